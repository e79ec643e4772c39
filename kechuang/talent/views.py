"""Pages of the talent programmes: the list and the application form (employers), the application page with the
actions its state allows (one table, `ACTIONS`), the benefits desk (yearly check, hand-over to the payout workflow,
settlement), the public notice (no login) and 八桂学者."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.bounds import MAX_ID, parse_int
from kechuang.errors import DomainError
from kechuang.money import MoneyError, Unit, parse_fen
from kechuang.permissions.talent import (
    TalentCap,
    access_application_by_id,
    access_post_by_id,
    can_apply,
    can_manage,
    can_open_talent,
    can_precheck,
    can_report_for,
    can_set_payee,
    shown_account,
    visible_applications,
    visible_posts,
)
from kechuang.spreadsheets import xlsx_response
from kechuang.talent import catalogue, services, stats
from kechuang.talent.models import (
    LIVE,
    BaguiAppointment,
    BaguiEvaluation,
    BenefitSchedule,
    Level,
    ServiceTicket,
    Status,
    TalentApplication,
)
from kechuang.talent.services import bagui

# action → (states it is offered in, who may: f(user, application)). The page shows exactly these buttons, and the
# POST handler refuses anything else with one message.
ACTIONS = {
    "precheck_pass": ((Status.SUBMITTED,), can_precheck),
    "precheck_fail": ((Status.SUBMITTED,), can_precheck),
    "recognise": ((Status.PRECHECKED, Status.IN_PANEL), lambda u, a: can_manage(u)),
    "reject": ((Status.PRECHECKED, Status.IN_PANEL), lambda u, a: can_manage(u)),
    "certify": ((Status.NOTICE,), lambda u, a: can_manage(u)),
    "answer": ((Status.NOTICE,), lambda u, a: can_manage(u)),
    "compliance": ((Status.RECOGNISED,), lambda u, a: can_report_for(u, a.employer)),
    "leave": ((Status.RECOGNISED,), lambda u, a: can_report_for(u, a.employer)),
    "payee": (LIVE, lambda u, a: can_set_payee(u, a.employer)),
}


def allowed_actions(user, app) -> set[str]:
    return {name for name, (states, who) in ACTIONS.items() if app.status in states and who(user, app)}


def _date(value, field):
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise DomainError("invalid", _("日期格式应为 YYYY-MM-DD。"), {"field": field}, 422)


def _int(value, field, default=None):
    try:
        return int((value or "").strip())
    except (TypeError, ValueError):
        if default is not None:
            return default
        raise DomainError("invalid", _("请填写整数。"), {"field": field}, 422)


@login_required
def home(request):
    if not can_open_talent(request.user):
        raise PermissionDenied(TalentCap.VIEW)
    apps = visible_applications(request.user).select_related("person", "employer")
    status = request.GET.get("status", "")
    if status in Status.values:
        apps = apps.filter(status=status)
    level = request.GET.get("level", "")
    if level in Level.values:
        apps = apps.filter(level=level)
    return render(
        request,
        "talent/home.html",
        {
            "applications": apps[:200],
            "statuses": Status.choices,
            "levels": Level.choices,
            "status": status,
            "level": level,
            "can_apply": can_apply(request.user),
            "managing": can_manage(request.user),
            "proposed": TalentApplication.objects.filter(status=Status.PROPOSED).count()
            if can_manage(request.user)
            else 0,
            "summary": stats.summary(visible_applications(request.user)),
        },
    )


@login_required
def apply(request):
    if not can_apply(request.user):
        raise PermissionDenied(TalentCap.APPLY)
    rules = catalogue.in_force(timezone.localdate())
    if request.method == "POST":
        post = request.POST
        try:
            app = services.do_apply(
                acting_user=request.user,
                name=post.get("name", ""),
                id_number=post.get("id_number", ""),
                level=post.get("level", ""),
                basis=post.get("basis", "catalogue"),
                credential=post.get("credential", ""),
                credential_note=post.get("credential_note", ""),
                position=post.get("position", ""),
                discipline=post.get("discipline", ""),
                contract_start=_date(post.get("contract_start"), "contract_start"),
                contract_end=_date(post.get("contract_end"), "contract_end"),
                evidence={k: post.get(f"evidence_{k}", "") for k in rules.evidence},
            )
            messages.success(request, _("认定申请已提交，等待初审。"))
            return redirect("talent:application", pk=app.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    credentials = [
        (lv.code, lv.name, [(code, c["name"]) for code, c in lv.credentials.items()])
        for lv in rules.levels.values()
    ]
    return render(
        request,
        "talent/apply.html",
        {"rules": rules, "credentials": credentials, "levels": Level.choices, "form": request.POST},
    )


@login_required
def application_detail(request, pk):
    app = access_application_by_id(request.user, pk)
    schedules = BenefitSchedule.objects.filter(application=app).prefetch_related("instalments")
    return render(
        request,
        "talent/application.html",
        {
            "app": app,
            "actions": allowed_actions(request.user, app),
            "schedules": schedules,
            "compliance": app.compliance.order_by("-year"),
            "recoveries": app.recoveries.all(),
            "objections": app.objections.all() if can_manage(request.user) else [],
            "evidence_names": services.recognition.EVIDENCE_NAMES,
            "payee_account": shown_account(request.user, app.person.bank_account),
            "this_year": timezone.localdate().year,
        },
    )


@login_required
@require_POST
def act(request, pk):
    app = access_application_by_id(request.user, pk)
    action = request.POST.get("action", "")
    if action not in allowed_actions(request.user, app):
        messages.error(request, _("当前状态下不能执行此操作。"))
        return redirect("talent:application", pk=app.pk)
    note = request.POST.get("note", "")
    try:
        if action in ("precheck_pass", "precheck_fail"):
            services.do_precheck(app, acting_user=request.user, passed=action == "precheck_pass", note=note)
        elif action == "recognise":
            services.do_recognise(app, acting_user=request.user, note=note)
        elif action == "reject":
            services.do_reject(app, acting_user=request.user, note=note)
        elif action == "certify":
            services.do_certify(app, acting_user=request.user)
            messages.success(request, _("已发证，待遇计划已生成。"))
        elif action == "answer":
            objection = app.objections.filter(pk=request.POST.get("objection")).first()
            if objection is None:
                raise Http404
            services.do_answer_objection(
                objection,
                acting_user=request.user,
                upheld=request.POST.get("upheld") == "1",
                answer=request.POST.get("answer", ""),
            )
        elif action == "compliance":
            services.do_report_compliance(
                app,
                acting_user=request.user,
                year=_int(request.POST.get("year"), "year"),
                employed=request.POST.get("employed") == "1",
                social_insurance_months=_int(
                    request.POST.get("social_insurance_months"), "social_insurance_months"
                ),
                tax_months=_int(request.POST.get("tax_months"), "tax_months"),
            )
            messages.success(request, _("年度情况已报送。"))
        elif action == "payee":
            services.do_set_payee_account(
                app.person,
                employer=app.employer,
                acting_user=request.user,
                bank_name=request.POST.get("bank_name", ""),
                bank_account=request.POST.get("bank_account", ""),
            )
            messages.success(request, _("收款账户已保存。"))
        elif action == "leave":
            order = services.do_report_leaving(
                app, acting_user=request.user, left_on=_date(request.POST.get("left_on"), "left_on")
            )
            if order:
                messages.warning(
                    request, _("已停止发放，需退回 %(amount)s 元。") % {"amount": order.amount_fen / 100}
                )
            else:
                messages.success(request, _("已停止发放。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("talent:application", pk=app.pk)


@login_required
def benefits(request):
    if not can_manage(request.user):
        raise PermissionDenied(TalentCap.MANAGE)
    year = _int(request.GET.get("year"), "year", default=timezone.localdate().year)
    from kechuang.policy.models import Round

    # JSON "contains" is not on SQLite: the draft rounds are few, filtered here
    drafts = Round.objects.filter(status=Round.Status.DRAFT, mode=Round.Mode.APPLY).order_by("-id")[:200]
    rounds = [r for r in drafts if services.BENEFIT_POLICY in r.policy_codes]
    return render(
        request, "talent/benefits.html", {"year": year, "rounds": rounds, **stats.benefits_desk(year)}
    )


@login_required
@require_POST
def benefits_run(request):
    if not can_manage(request.user):
        raise PermissionDenied(TalentCap.MANAGE)
    action = request.POST.get("action", "")
    try:
        year = _int(request.POST.get("year"), "year")
        if action == "notice":
            n = services.do_start_notice(acting_user=request.user)
            messages.success(request, _("公示已发布：%(n)s 人。") % {"n": n})
            return redirect("talent:home")
        if action == "compliance":
            s = services.do_run_compliance(year, acting_user=request.user)
            messages.success(
                request, _("年度核查完成：合规 %(passed)s，不合规 %(failed)s，未报送 %(missing)s。") % s
            )
        elif action == "publish":
            s = services.do_publish_benefits(year, acting_user=request.user)
            messages.success(
                request,
                _(
                    "已报送拨付：%(employers)s 个用人单位，%(instalments)s 期待遇。请在“政策计算与奖补”中由人才待遇批次拨付。"
                )
                % s,
            )
        elif action == "round":
            from kechuang.policy.models import Round

            round_ = Round.objects.filter(
                pk=parse_int(request.POST.get("round"), low=1, high=MAX_ID), status=Round.Status.DRAFT
            ).first()
            if round_ is None:
                raise DomainError("invalid", _("请选择一个受理中的人才待遇批次。"), {"field": "round"}, 422)
            s = services.do_add_benefits_to_round(year, round_, acting_user=request.user)
            messages.success(request, _("已列入拨付批次：%(candidates)s 条收款记录。") % s)
            for m in s["missing_accounts"]:
                messages.error(
                    request,
                    _("%(employer)s：%(people)s 未登记本人收款账户，该单位暂未列入。")
                    % {"employer": m["employer"], "people": "、".join(m["people"])},
                )
        elif action == "settle":
            s = services.do_settle_benefits(year, acting_user=request.user)
            messages.success(request, _("已核销 %(settled)s 期待遇。") % s)
            for m in s["mismatches"]:
                messages.error(
                    request,
                    _("%(employer)s：到账 %(paid_fen)s 分，与应发 %(published_fen)s 分不一致，未核销。") % m,
                )
        else:
            raise DomainError("invalid", _("未知操作。"))
    except DomainError as exc:
        messages.error(request, exc.message)
        year = timezone.localdate().year
    return redirect(f"{reverse('talent:benefits')}?year={year}")


@login_required
def export(request):
    if not can_open_talent(request.user):
        raise PermissionDenied(TalentCap.VIEW)
    content = stats.export_workbook(visible_applications(request.user))
    return xlsx_response(content, "talent.xlsx")


def public_notice(request):
    """The public notice: anyone, no login; name, employer, level and basis only (never the ID number)."""
    apps = TalentApplication.objects.filter(status=Status.NOTICE).select_related("person", "employer")
    # 八桂学者 chosen by the talent leading group, on notice before the contract (name, post and unit only)
    scholars = BaguiAppointment.objects.filter(state=BaguiAppointment.State.NOTICE).select_related(
        "person", "post__unit"
    )
    return render(request, "talent/notice.html", {"applications": apps, "scholars": scholars})


@require_POST
def public_object(request, pk):
    app = TalentApplication.objects.filter(pk=pk, status=Status.NOTICE).first()
    if app is None:
        raise Http404
    try:
        services.do_object(
            app,
            name=request.POST.get("name", ""),
            contact=request.POST.get("contact", ""),
            text=request.POST.get("text", ""),
            acting_user=request.user if request.user.is_authenticated else None,
        )
        messages.success(request, _("异议已收到，我们将核实并答复。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("talent:notice")


# ---- 八桂学者 ------------------------------------------------------------------------------------------------------


@login_required
def bagui_home(request):
    if not can_open_talent(request.user):
        raise PermissionDenied(TalentCap.VIEW)
    if request.method == "POST":
        try:
            matching = parse_fen(request.POST.get("matching", ""), Unit.WAN)
            bagui.do_apply_post(
                acting_user=request.user,
                title=request.POST.get("title", ""),
                discipline=request.POST.get("discipline", ""),
                field=request.POST.get("field", ""),
                team=request.POST.get("team", ""),
                matching_fen=matching or 0,
            )
            messages.success(request, _("岗位申请已提交。"))
            return redirect("talent:bagui")
        except MoneyError as exc:
            messages.error(request, str(exc))
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "talent/bagui.html",
        {"posts": visible_posts(request.user).select_related("unit"), "can_apply": can_apply(request.user)},
    )


@login_required
def bagui_post(request, pk):
    post = access_post_by_id(request.user, pk)
    appointments = post.appointments.select_related("person", "review_submission").prefetch_related(
        "evaluations", "tickets"
    )
    return render(
        request,
        "talent/bagui_post.html",
        {
            "post": post,
            "appointments": appointments,
            "managing": can_manage(request.user),
            "own": can_apply(request.user) and request.user.organisation_id == post.unit_id,
            "set_payee": can_set_payee(request.user, post.unit),
            "evaluation_kinds": BaguiEvaluation.Kind.choices,
            "results": BaguiEvaluation.Result.choices,
            "ticket_kinds": ServiceTicket.Kind.choices,
            "schedules": BenefitSchedule.objects.filter(appointment__post=post).prefetch_related(
                "instalments"
            ),
        },
    )


@login_required
@require_POST
def bagui_act(request, pk):
    post = access_post_by_id(request.user, pk)
    action = request.POST.get("action", "")
    p = request.POST
    appt = None
    if p.get("appointment"):
        appt = post.appointments.filter(pk=p.get("appointment")).first()
        if appt is None:
            raise Http404
    try:
        if action in ("approve", "refuse"):
            bagui.do_review_post(
                post, acting_user=request.user, approved=action == "approve", note=p.get("note", "")
            )
        elif action == "applicant":
            bagui.do_add_applicant(
                post,
                acting_user=request.user,
                name=p.get("name", ""),
                id_number=p.get("id_number", ""),
                full_time=p.get("full_time") == "1",
                from_outside=p.get("from_outside") == "1",
            )
        elif action == "score" and appt:
            bagui.do_take_review_scores(appt, acting_user=request.user)
        elif action == "decide" and appt:
            bagui.do_decide(appt, acting_user=request.user, document=p.get("document", ""))
        elif action == "contract" and appt:
            bagui.do_contract(
                appt,
                acting_user=request.user,
                start=_date(p.get("start"), "start"),
                task_sheet=p.get("task_sheet", ""),
            )
        elif action == "evaluate" and appt:
            bagui.do_evaluate(
                appt,
                acting_user=request.user,
                kind=p.get("kind", ""),
                year=_int(p.get("year"), "year"),
                result=p.get("result", ""),
                note=p.get("note", ""),
            )
        elif action == "payee" and appt:
            services.do_set_payee_account(
                appt.person,
                employer=post.unit,
                acting_user=request.user,
                bank_name=p.get("bank_name", ""),
                bank_account=p.get("bank_account", ""),
            )
        elif action == "ticket" and appt:
            bagui.do_open_ticket(
                appt, acting_user=request.user, kind=p.get("kind", ""), detail=p.get("detail", "")
            )
        elif action == "close_ticket":
            ticket = ServiceTicket.objects.filter(pk=p.get("ticket"), appointment__post=post).first()
            if ticket is None:
                raise Http404
            bagui.do_close_ticket(ticket, acting_user=request.user, outcome=p.get("outcome", ""))
        else:
            raise DomainError("invalid", _("当前状态下不能执行此操作。"))
        messages.success(request, _("已保存。"))
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("talent:bagui_post", pk=post.pk)
