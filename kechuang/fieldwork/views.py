"""Pages of the field work: teams and the totals per county and year; a team's page with its plan, activity log
and appraisal; county confirmation; the export."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.bounds import MAX_COUNT, parse_int
from kechuang.errors import DomainError
from kechuang.fieldwork import services
from kechuang.fieldwork.models import Activity
from kechuang.permissions.core import has_cap
from kechuang.permissions.fieldwork import (
    FieldCap,
    access_team_by_id,
    can_confirm,
    can_manage,
    can_open_fieldwork,
    can_record,
    visible_teams,
)
from kechuang.registry.models import Region
from kechuang.spreadsheets import write_workbook, xlsx_response


def _year(request) -> int:
    today = timezone.localdate().year
    return parse_int(request.GET.get("year"), low=1949, high=2100, default=today)


def _int(value, field) -> int:
    number = parse_int(value, low=0, high=MAX_COUNT)
    if number is None:
        raise DomainError("invalid", _("请填写整数。"), {"field": field}, 422)
    return number


def _to_confirm(user):
    if not has_cap(user, FieldCap.CONFIRM) or not user.city_id:
        return Activity.objects.none()
    from django.db.models import Q

    return Activity.objects.filter(
        Q(county_id=user.city_id) | Q(county__parent_id=user.city_id), state=Activity.State.RECORDED
    ).select_related("team", "county")


@login_required
def home(request):
    if not can_open_fieldwork(request.user):
        raise PermissionDenied(FieldCap.VIEW)
    year = _year(request)
    teams = visible_teams(request.user)
    return render(
        request,
        "fieldwork/home.html",
        {
            "year": year,
            "teams": teams.prefetch_related("counties"),
            "by_county": services.totals(year, by="county", teams=teams),
            "by_team": services.totals(year, by="team", teams=teams),
            "to_confirm": _to_confirm(request.user)[:100],
        },
    )


@login_required
def team_detail(request, pk):
    team = access_team_by_id(request.user, pk)
    year = _year(request)
    return render(
        request,
        "fieldwork/team.html",
        {
            "team": team,
            "year": year,
            "members": team.members.select_related("organisation"),
            "plans": team.plans.order_by("-year"),
            "activities": team.activities.select_related("county")[:200],
            "appraisals": team.appraisals.order_by("-year"),
            "recording": can_record(request.user, team),
            "managing": can_manage(request.user),
            "counties": team.counties.all(),
            "kinds": Activity.Kind.choices,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def team_act(request, pk):
    team = access_team_by_id(request.user, pk)
    if not can_record(
        request.user, team
    ):  # plans and activities: the lead organisation; the appraisal: managers
        raise PermissionDenied(FieldCap.RECORD)
    p = request.POST
    action = p.get("action", "")
    try:
        if action == "plan":
            services.do_set_plan(
                team,
                acting_user=request.user,
                year=_int(p.get("year"), "year"),
                trainings=_int(p.get("trainings"), "trainings"),
                trainees=_int(p.get("trainees"), "trainees"),
                bases=_int(p.get("bases") or "0", "bases"),
                note=p.get("note", ""),
            )
            messages.success(request, _("年度计划已保存。"))
        elif action == "activity":
            county = Region.objects.filter(pk=p.get("county")).first()
            if county is None:
                raise DomainError("invalid", _("请选择县（区）。"), {"field": "county"}, 422)
            try:
                day = dt.date.fromisoformat(p.get("date", ""))
            except ValueError:
                raise DomainError("invalid", _("日期格式应为 YYYY-MM-DD。"), {"field": "date"}, 422)
            services.do_record_activity(
                team,
                acting_user=request.user,
                kind=p.get("kind", ""),
                day=day,
                county=county,
                title=p.get("title", ""),
                venue=p.get("venue", ""),
                capacity=_int(p.get("capacity"), "capacity"),
                attendees=_int(p.get("attendees"), "attendees"),
                handouts=_int(p.get("handouts") or "0", "handouts"),
                demonstration_base=p.get("demonstration_base", ""),
                signin_evidence=p.get("signin_evidence", ""),
            )
            messages.success(request, _("活动已登记，等待县级确认。"))
        elif action == "appraise":
            a = services.do_appraise(team, acting_user=request.user, year=_int(p.get("year"), "year"))
            messages.success(request, _("考核完成：%(score)s 分。") % {"score": a.score})
        else:
            raise DomainError("invalid", _("未知操作。"))
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("fieldwork:team", pk=team.pk)


@login_required
@require_POST
def confirm(request, pk):
    activity = Activity.objects.filter(pk=pk).select_related("county").first()
    if activity is None or not can_confirm(request.user, activity):
        raise Http404
    try:
        services.do_confirm_activity(
            activity,
            acting_user=request.user,
            confirmed=request.POST.get("confirmed") == "1",
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("已处理。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("fieldwork:home")


@login_required
def export(request):
    if not can_open_fieldwork(request.user):
        raise PermissionDenied(FieldCap.VIEW)
    year = _year(request)
    teams = visible_teams(request.user)
    heads = ["名称", "活动", "培训场次", "培训人次", "参加人数", "发放资料", "示范基地"]

    def rows(by):
        return (
            [
                r["label"],
                r["activities"],
                r["trainings"],
                r["trainees"],
                r["attendees"],
                r["handouts"],
                r["bases"],
            ]
            for r in services.totals(year, by=by, teams=teams)
        )

    activities = Activity.objects.filter(team__in=teams, date__year=year).select_related("team", "county")
    content = write_workbook(
        [
            ("按县（区）", heads, rows("county")),
            ("按服务团", heads, rows("team")),
            (
                "活动明细",
                [
                    "日期",
                    "服务团",
                    "县（区）",
                    "类型",
                    "主题",
                    "地点",
                    "容量",
                    "参加",
                    "资料",
                    "示范基地",
                    "签到表",
                    "状态",
                ],
                (
                    [
                        a.date,
                        a.team.name,
                        a.county.name,
                        a.get_kind_display(),
                        a.title,
                        a.venue,
                        a.capacity,
                        a.attendees,
                        a.handouts,
                        a.demonstration_base,
                        a.signin_evidence,
                        a.get_state_display(),
                    ]
                    for a in activities
                ),
            ),
        ]
    )
    return xlsx_response(content, f"fieldwork-{year}.xlsx")
