"""Field work: every state change a `do_*` function, atomic, audited, permission-checked.

An activity is refused, with its reason, when its attendees exceed the venue's capacity, when its county is not
one the team serves, when a training has no sign-in evidence, or when it lies in the future. Only activities the
county confirmed count in the totals and the appraisal.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import yaml
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.fieldwork.errors import FieldError
from kechuang.fieldwork.models import Activity, Appraisal, ServiceTeam, TeamMember, YearPlan
from kechuang.permissions.fieldwork import FieldCap, can_confirm, can_manage, can_record

RULES = Path(__file__).with_name("rules") / "appraisal.yaml"


@functools.cache
def appraisal_rules() -> dict:
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))


def _require_manager(user) -> None:
    if user is not None and not can_manage(user):
        raise PermissionDenied(FieldCap.MANAGE)


@transaction.atomic
def do_create_team(
    *, acting_user, name: str, industry: str, lead_organisation, counties, members=()
) -> ServiceTeam:
    """A team with the counties it serves (county-level regions) and its members
    ({"name", "organisation", "title", "expertise", "commissioner"})."""
    from kechuang.registry.models import Region

    _require_manager(acting_user)
    if not name.strip() or not industry.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写服务团名称和服务产业。"), {"field": "name"}, 422)
    counties = list(counties)
    if not counties:
        raise DomainError(ErrorCode.INVALID, _("请至少选择一个服务县（区）。"), {"field": "counties"}, 422)
    bad = [c.name for c in counties if c.level != Region.Level.COUNTY]
    if bad:
        raise DomainError(
            FieldError.NOT_A_COUNTY, _("不是县级行政区：%(names)s") % {"names": "、".join(bad)}, status=422
        )
    if ServiceTeam.objects.filter(name=name.strip()).exists():
        raise DomainError(ErrorCode.CONFLICT, _("已有同名服务团。"), status=409)
    team = ServiceTeam.objects.create(
        name=name.strip()[:200], industry=industry.strip()[:100], lead_organisation=lead_organisation
    )
    team.counties.set(counties)
    for m in members:
        TeamMember.objects.create(
            team=team,
            name=m["name"][:50],
            organisation=m.get("organisation"),
            title=m.get("title", "")[:50],
            expertise=m.get("expertise", "")[:200],
            commissioner=bool(m.get("commissioner")),
        )
    record(
        "fieldwork.team.create",
        team,
        acting_user=acting_user,
        organisation_id=lead_organisation.pk,
        changes={"counties": [c.code for c in counties], "members": len(members)},
    )
    return team


@transaction.atomic
def do_set_plan(
    team: ServiceTeam,
    *,
    acting_user,
    year: int,
    trainings: int,
    trainees: int,
    bases: int = 0,
    note: str = "",
) -> YearPlan:
    if not can_record(acting_user, team):
        raise PermissionDenied(FieldCap.RECORD)
    for value, field in ((trainings, "trainings"), (trainees, "trainees"), (bases, "bases")):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
            raise DomainError(ErrorCode.INVALID, _("计划数应为非负整数。"), {"field": field}, 422)
    if Appraisal.objects.filter(team=team, year=year).exists():
        raise StateError(_("该年度已考核，计划不能再改。"))
    plan, _created = YearPlan.objects.update_or_create(
        team=team,
        year=year,
        defaults={"trainings": trainings, "trainees": trainees, "bases": bases, "note": note},
    )
    record(
        "fieldwork.plan",
        team,
        acting_user=acting_user,
        changes={"year": year, "trainings": trainings, "trainees": trainees, "bases": bases},
    )
    return plan


def check_activity(
    team: ServiceTeam,
    *,
    kind,
    day: dt.date,
    county,
    capacity: int,
    attendees: int,
    signin_evidence: str,
    today: dt.date,
) -> None:
    """Each refusal with its reason (the same checks the API, the page and the import apply)."""
    if kind not in Activity.Kind.values:
        raise DomainError(ErrorCode.INVALID, _("活动类型无效。"), {"field": "kind"}, 422)
    for value, field in ((capacity, "capacity"), (attendees, "attendees")):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000:
            raise DomainError(ErrorCode.INVALID, _("人数应为非负整数。"), {"field": field}, 422)
    if attendees > capacity:
        raise DomainError(
            FieldError.OVER_CAPACITY,
            _("参加人数 %(n)s 人超过场地容量 %(cap)s 人。") % {"n": attendees, "cap": capacity},
            {"attendees": attendees, "capacity": capacity},
            status=422,
        )
    if not team.counties.filter(pk=county.pk).exists():
        served = "、".join(team.counties.values_list("name", flat=True))
        raise DomainError(
            FieldError.OUTSIDE_COUNTIES,
            _("%(county)s 不在本服务团的服务县（区）之内（%(served)s）。")
            % {"county": county.name, "served": served},
            {"county": county.pk},
            status=422,
        )
    if day > today:
        raise DomainError(FieldError.FUTURE_DATE, _("不能登记尚未发生的活动。"), {"field": "date"}, 422)
    if kind == Activity.Kind.TRAINING and attendees > 0 and not (signin_evidence or "").strip():
        raise DomainError(
            FieldError.EVIDENCE_MISSING, _("培训须附签到表。"), {"field": "signin_evidence"}, 422
        )


@transaction.atomic
def do_record_activity(
    team: ServiceTeam,
    *,
    acting_user,
    kind: str,
    day: dt.date,
    county,
    title: str,
    venue: str,
    capacity: int,
    attendees: int,
    handouts: int = 0,
    demonstration_base: str = "",
    signin_evidence: str = "",
    experts=(),
    today: dt.date | None = None,
) -> Activity:
    if not can_record(acting_user, team):
        raise PermissionDenied(FieldCap.RECORD)
    check_activity(
        team,
        kind=kind,
        day=day,
        county=county,
        capacity=capacity,
        attendees=attendees,
        signin_evidence=signin_evidence,
        today=today or timezone.localdate(),
    )
    if not title.strip() or not venue.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写主题和地点。"), {"field": "title"}, 422)
    if isinstance(handouts, bool) or not isinstance(handouts, int) or handouts < 0:
        raise DomainError(ErrorCode.INVALID, _("资料份数应为非负整数。"), {"field": "handouts"}, 422)
    activity = Activity.objects.create(
        team=team,
        kind=kind,
        date=day,
        county=county,
        title=title.strip()[:200],
        venue=venue.strip()[:200],
        capacity=capacity,
        attendees=attendees,
        handouts=handouts,
        demonstration_base=demonstration_base.strip()[:200],
        signin_evidence=signin_evidence.strip()[:200],
        recorded_by=acting_user,
    )
    experts = list(experts)
    if any(e.team_id != team.pk for e in experts):
        raise DomainError(ErrorCode.INVALID, _("参加专家须是本服务团成员。"), {"field": "experts"}, 422)
    activity.experts.set(experts)
    record(
        "fieldwork.activity.record",
        activity,
        acting_user=acting_user,
        organisation_id=team.lead_organisation_id,
        changes={"county": county.pk, "attendees": attendees, "kind": kind},
    )
    return activity


@transaction.atomic
def do_confirm_activity(activity: Activity, *, acting_user, confirmed: bool, note: str = "") -> Activity:
    """County confirmation: by an official of the activity's county (or its city)."""
    activity = Activity.objects.select_for_update(of=("self",)).select_related("county").get(pk=activity.pk)
    if not can_confirm(acting_user, activity):
        raise PermissionDenied(FieldCap.CONFIRM)
    if activity.state != Activity.State.RECORDED:
        raise StateError(_("该活动已确认或退回。"))
    if not confirmed and not note.strip():
        raise DomainError(ErrorCode.INVALID, _("不予确认时请写明理由。"), {"field": "note"}, 422)
    activity.state = Activity.State.CONFIRMED if confirmed else Activity.State.REJECTED
    activity.confirm_note, activity.confirmed_by = note.strip()[:300], acting_user
    activity.save(update_fields=["state", "confirm_note", "confirmed_by"])
    record("fieldwork.activity.confirm", activity, acting_user=acting_user, changes={"state": activity.state})
    return activity


def totals(year: int | None = None, *, by: str = "county", teams=None) -> list[dict]:
    """Confirmed activities summed per county (or team): trainings, trainees, handouts, demonstration bases."""
    qs = Activity.objects.filter(state=Activity.State.CONFIRMED)
    if year:
        qs = qs.filter(date__year=year)
    if teams is not None:
        qs = qs.filter(team__in=teams)
    key = {"county": ("county_id", "county__name"), "team": ("team_id", "team__name")}[by]
    rows = (
        qs.values(*key)
        .annotate(
            activities=Count("id"),
            trainings=Count("id", filter=Q(kind=Activity.Kind.TRAINING)),
            trainees=Sum("attendees", filter=Q(kind=Activity.Kind.TRAINING), default=0),
            attendees=Sum("attendees", default=0),
            handouts=Sum("handouts", default=0),
            bases=Count("demonstration_base", filter=~Q(demonstration_base=""), distinct=True),
        )
        .order_by(key[1])
    )
    return [
        {
            "key": r[key[0]],
            "label": r[key[1]],
            **{k: r[k] for k in ("activities", "trainings", "trainees", "attendees", "handouts", "bases")},
        }
        for r in rows
    ]


@transaction.atomic
def do_appraise(team: ServiceTeam, *, acting_user, year: int) -> Appraisal:
    """The yearly appraisal: each measure's completion against the plan (capped at 100%), weighted; the grade by the
    bands in the rules; every step explained."""
    _require_manager(acting_user)
    plan = YearPlan.objects.filter(team=team, year=year).first()
    if plan is None:
        raise DomainError(
            FieldError.NO_PLAN, _("该服务团没有 %(year)s 年度计划。") % {"year": year}, status=409
        )
    rules = appraisal_rules()
    done = next(iter(totals(year, by="team", teams=[team])), {"trainings": 0, "trainees": 0, "bases": 0})
    planned = {"trainings": plan.trainings, "trainees": plan.trainees, "bases": plan.bases}
    lines, score = [], 0
    for m in rules["measures"]:
        target, actual = planned[m["code"]], done[m["code"]]
        pct = 100 if target == 0 else min(actual * 100 // target, 100)
        points = pct * m["weight"] // 100
        score += points
        lines.append(
            {
                "code": m["code"],
                "text": f"{m['label']}：完成 {actual} / 计划 {target}（{pct}%），"
                f"得 {points} 分（权重 {m['weight']}）",
            }
        )
    grade = next(g for g in sorted(rules["grades"], key=lambda g: -g["min"]) if score >= g["min"])
    lines.append(
        {
            "code": "grade",
            "text": f"合计 {score} 分，{grade['name']}（≥ {grade['min']} 分）。"
            f"依据：{rules['document']}（可信度 {rules['confidence']}）",
        }
    )
    appraisal, _created = Appraisal.objects.update_or_create(
        team=team, year=year, defaults={"score": score, "grade": grade["code"], "explanation": lines}
    )
    record(
        "fieldwork.appraise",
        team,
        acting_user=acting_user,
        changes={"year": year, "score": score, "grade": grade["code"]},
    )
    return appraisal
