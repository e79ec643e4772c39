"""Pages: policies and versions, the calculator, payout rounds with their workflow actions, exports, statistics.

Views parse, authorise (through kechuang.permissions), call a service, render.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang import bounds, money
from kechuang.errors import DomainError
from kechuang.files import attachment_response
from kechuang.permissions import access_organisation_by_id, has_cap, is_official, require_cap
from kechuang.permissions.core import area_q, department_of
from kechuang.permissions.policy import (
    PolicyCap,
    access_candidate_by_id,
    access_fund_by_id,
    access_fund_for_round,
    access_round_by_id,
    area_level,
    can_approve_round,
    can_calculate_for,
    can_city_review,
    can_concur_round,
    can_county_review,
    can_manage_programme,
    can_manage_round,
    can_open_attachment,
    can_pay_round,
    can_see_trace,
    can_sign_joint_review,
    can_view_fund,
    visible_candidates,
)
from kechuang.policy import services
from kechuang.policy.engine.rules import load_cases
from kechuang.policy.explain import fmt_value, gap_text, label, reason_text, trace_lines
from kechuang.policy.exports import notice_export, payment_export, transfer_docx, transfer_xlsx
from kechuang.policy.models import (
    MAX_FEN,
    BankReturn,
    Candidate,
    Fund,
    LedgerEntry,
    Objection,
    ParameterChange,
    PaymentBatch,
    PolicyVersion,
    Recovery,
    ResultStatus,
    Round,
    ScreeningResult,
    ScreeningRun,
)
from kechuang.policy.stats import payout_statistics
from kechuang.registry.models import DepartmentType, IndicatorValue, Region
from kechuang.spreadsheets import xlsx_response

PAGE_SIZE = 50


@login_required
def home(request):
    if not has_cap(request.user, PolicyCap.VIEW):
        return redirect("policy:calculator")
    versions = services.current_versions()
    policies = [{"version": v, "policy": services.get_policy(v)} for v in versions.values()]
    for p in policies:
        p["name"] = label(p["policy"].name)
        p["unverified"] = len(p["policy"].unverified_params)
    # the exclusivity group by the other policies in it (从高不重复), not by its key
    for p in policies:
        group = p["version"].exclusivity_group
        p["exclusive_with"] = [
            q["name"] for q in policies if group and q is not p and q["version"].exclusivity_group == group
        ]
    rounds = Round.objects.select_related("fund").order_by("-created_at")[:20]
    runs = ScreeningRun.objects.order_by("-created_at")[:10]
    return render(
        request,
        "policy/home.html",
        {
            "policies": policies,
            "rounds": rounds,
            "runs": runs,
            "can_screen": has_cap(request.user, PolicyCap.SCREEN),
            "can_manage": has_cap(request.user, PolicyCap.ROUND_MANAGE),
            "default_year": timezone.localdate().year - 1,
        },
    )


@login_required
def policy_detail(request, code: str):
    require_cap(request.user, PolicyCap.VIEW)
    versions = services.current_versions()
    if code not in versions:
        raise Http404
    version = versions[code]
    if request.GET.get("version"):  # an earlier version, as it was loaded
        number = bounds.parse_int(request.GET["version"], low=1, high=bounds.MAX_COUNT)
        version = PolicyVersion.objects.filter(code=code, version=number).first() if number else None
        if version is None:
            raise Http404
    policy = services.get_policy(version)
    params = [
        {
            "name": name,
            "label": label(p.label),
            "unit": p.unit,
            "values": [{**v.as_dict(), "shown": fmt_value(v.value, p.unit)} for v in p.values],
        }
        for name, p in policy.params.items()
    ]
    return render(
        request,
        "policy/policy_detail.html",
        {
            "version": version,
            "policy": policy,
            "name": label(policy.name),
            "summary": label(policy.summary),
            "params": params,
            "conditions": [
                {"key": c.key, "label": label(c.label), "expr": c.node.text} for c in policy.conditions
            ],
            "steps": [{"key": s.key, "label": label(s.label), "expr": s.node.text} for s in policy.steps],
            "cap": policy.cap.text if policy.cap is not None else "",
            "cap_label": label(policy.cap_label),
            "history": PolicyVersion.objects.filter(code=code).order_by("-version"),
            "is_current": version.pk == versions[code].pk,
            "changes": ParameterChange.objects.filter(policy_code=code).select_related("created_by"),
            "cases": load_cases(code),
            "can_edit": has_cap(request.user, PolicyCap.PARAM_EDIT),
            "tomorrow": timezone.localdate() + dt.timedelta(days=1),
        },
    )


@login_required
@require_POST
def schedule_parameter(request, code: str):
    require_cap(request.user, PolicyCap.PARAM_EDIT)
    try:
        effective_from = dt.date.fromisoformat(request.POST.get("effective_from", ""))
    except ValueError:
        messages.error(request, _("请填写有效的生效日期。"))
        return redirect("policy:policy_detail", code=code)
    try:
        services.do_schedule_parameter_change(
            code,
            request.POST.get("param", ""),
            request.POST.get("value", "").strip(),
            effective_from,
            document_no=request.POST.get("document_no", ""),
            clause=request.POST.get("clause", ""),
            note=request.POST.get("note", ""),
            verified=bool(request.POST.get("verified")),
            acting_user=request.user,
        )
        messages.success(request, _("参数调整已保存，将于 %(date)s 生效。") % {"date": effective_from})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("policy:policy_detail", code=code)


def _calculator_org(request):
    org_id = request.GET.get("org") or request.user.organisation_id
    if not org_id:
        return None
    org = access_organisation_by_id(request.user, org_id)
    if not can_calculate_for(request.user, org):
        raise Http404
    return org


def _default_year(org) -> int:
    latest = IndicatorValue.objects.filter(organisation=org, is_current=True).aggregate(y=Max("year"))["y"]
    return latest or timezone.localdate().year - 1


@login_required
def calculator(request):
    org = _calculator_org(request)
    if org is None:  # no organisation to calculate for: the page says so, to those who may use the calculator
        if not (is_official(request.user) or has_cap(request.user, PolicyCap.CALCULATE_OWN)):
            raise PermissionDenied(PolicyCap.CALCULATE_OWN)
        return render(request, "policy/calculator.html", {"org": None})
    year = bounds.parse_int(request.GET.get("year"), low=bounds.MIN_YEAR, high=bounds.MAX_YEAR)
    year = year or _default_year(org)
    # Prizes and national-award rewards are decided by the award procedures, not calculated by an enterprise: they
    # are paid through rounds (the organisation's candidates below) but are not in the calculator.
    calcs = services.calculate_for_organisation(org, year, exclude=services.DECIDED_ELSEWHERE)
    standings = services.standings_for(org, year, calcs)
    rows = []
    for c in calcs:
        st = standings.get(c.version.code)
        rows.append(
            {
                "code": c.version.code,
                "name": c.name,
                "kind": c.policy.kind,
                "status": c.result.status_name,
                "amount": c.result.amount,
                "reason": c.reason,
                "gaps": [gap_text(g) for g in c.result.gaps],
                "capped": c.result.capped,
                "version": c.version.version,
                "if_confirmed": c.if_confirmed.amount if c.if_confirmed is not None else None,
                "standing": st,
                "offer": st.offer_fen if st is not None else 0,
            }
        )
    order = {"eligible": 0, "ineligible": 1, "not_computable": 2}
    rows.sort(key=lambda r: (order[r["status"]], -r["amount"]))
    mine = list(
        visible_candidates(request.user, Candidate.objects.filter(organisation=org))
        .select_related("round", "policy_version")
        .defer("policy_version__definition")[:50]
    )
    for c in mine:  # the policy's name, never its code
        c.policy_name = label(
            {"zh": c.policy_version.name, "en": c.policy_version.name_en or c.policy_version.name}
        )
    open_rounds = Round.objects.filter(mode=Round.Mode.APPLY, status=Round.Status.DRAFT).filter(
        Q(area=None) | Q(area_id__in=[org.city_id, org.region_id])
    )
    return render(
        request,
        "policy/calculator.html",
        {
            "org": org,
            "year": year,
            "rows": rows,
            "years": list(range(timezone.localdate().year, 2017, -1)),
            "candidates": mine,
            "open_rounds": open_rounds,
            # 可享: only what is neither paid nor already under way for the same thing
            "total": sum(r["offer"] for r in rows if r["status"] == "eligible" and r["kind"] == "payout"),
            "received": sum(st.paid_fen for st in standings.values()),
        },
    )


@login_required
def calculator_detail(request, code: str):
    org = _calculator_org(request)
    if org is None:
        raise Http404
    year = _default_year(org)
    if request.GET.get("year"):
        year = bounds.parse_int(request.GET["year"], low=bounds.MIN_YEAR, high=bounds.MAX_YEAR)
        if year is None:
            raise Http404
    calcs = services.calculate_for_organisation(org, year, codes=[code])
    if not calcs or code in services.DECIDED_ELSEWHERE:
        raise Http404
    calc = calcs[0]
    checks = [
        {
            "key": c["key"],
            "label": label(c["label"]),
            "state": {True: "met", False: "not_met", None: "unknown"}[c["result"]],
            "reason": reason_text(tuple(c["reason"])) if c["reason"] else "",
        }
        for c in calc.checks or []
        if c["key"] != "applies_to"
    ]
    return render(
        request,
        "policy/calculator_detail.html",
        {
            "official": is_official(request.user),
            "checks": checks,
            "assessment": calc.assessment,
            "org": org,
            "year": year,
            "calc": calc,
            "name": label(calc.policy.name),
            "lines": trace_lines(calc.result.trace, flags=is_official(request.user)),
            "gaps": [gap_text(g) for g in calc.result.gaps],
            "summary": label(calc.policy.summary),
            "if_confirmed": calc.if_confirmed,
        },
    )


# ---- rounds ------------------------------------------------------------------------------------------------


@login_required
def round_list(request):
    rounds = Round.objects.select_related("fund", "fund__programme").annotate(n=Count("candidates"))
    if not has_cap(request.user, PolicyCap.VIEW):
        rounds = rounds.filter(mode=Round.Mode.APPLY, status=Round.Status.DRAFT)
        org = request.user.organisation
        rounds = rounds.filter(
            Q(area=None) | Q(area_id__in=[org.city_id, org.region_id]) if org is not None else Q(area=None)
        )
    versions = services.current_versions()
    dept = department_of(request.user)
    funds = Fund.objects.none()
    if dept is not None:
        funds = [
            f
            for f in Fund.objects.select_related("programme").filter(programme__department=dept)[:200]
            if can_manage_programme(request.user, f.programme)
        ]
    return render(
        request,
        "policy/round_list.html",
        {
            "rounds": rounds,
            "funds": funds,
            "carry_sources": Round.objects.filter(candidates__status=Candidate.Status.CARRIED).distinct()[:50]
            if funds
            else [],
            "can_manage": has_cap(request.user, PolicyCap.ROUND_MANAGE) and dept is not None,
            "payout_policies": [(c, v.name) for c, v in versions.items() if v.kind == "payout"],
            # the latest year the registry holds figures for, so a new round does not start empty
            "default_year": IndicatorValue.objects.filter(is_current=True).aggregate(y=Max("year"))["y"]
            or timezone.localdate().year - 1,
        },
    )


def _fen_from_wan(text: str) -> int:
    try:
        fen = money.parse_fen(text, money.Unit.WAN, max_fen=MAX_FEN)
    except money.MoneyError as exc:
        raise DomainError("invalid", exc.message, {"field": "budget_wan", "reason": exc.reason})
    if not fen:
        raise DomainError("invalid", _("金额应大于零且不超过 %(max)s 元。") % {"max": f"{MAX_FEN // 100:,}"})
    return fen


def _int(text, default=None):
    text = (text or "").strip()
    if not text:
        if default is None:
            raise ValueError(text)
        return default
    number = bounds.parse_int(text, low=0, high=999_999)
    if number is None:
        raise ValueError(text)
    return number


def _bp(text) -> int:
    """A percentage typed as "30" or "12.5" → basis points (at most two decimals); blank is 0."""
    from decimal import Decimal, InvalidOperation

    text = (text or "").strip().rstrip("%")
    if not text:
        return 0
    try:
        value = Decimal(text) * 100
    except InvalidOperation:
        raise ValueError(text)
    if value != value.to_integral_value() or not 0 <= value <= 10000:
        raise ValueError(text)
    return int(value)


@login_required
@require_POST
def create_programme(request):
    require_cap(request.user, PolicyCap.ROUND_MANAGE)
    try:
        services.do_create_programme_with_fund(
            request.POST.get("name", ""),
            request.POST.getlist("policy"),
            description=request.POST.get("description", ""),
            fund_name=request.POST.get("fund_name", ""),
            fund_year=_int(request.POST.get("fund_year"), timezone.localdate().year),
            budget_fen=_fen_from_wan(request.POST.get("budget_wan", "")),
            notice_min_days=_int(request.POST.get("notice_min_days"), 5),
            objection_release=request.POST.get("objection_release") or "carry",
            city_share_bp=_bp(request.POST.get("city_share_pct")),
            county_share_bp=_bp(request.POST.get("county_share_pct")),
            acting_user=request.user,
        )
        messages.success(request, _("已创建项目和专项资金。"))
    except ValueError:
        messages.error(request, _("请填写有效的预算年度、公示最少工作日和配套比例。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("policy:round_list")


@login_required
@require_POST
def create_round(request):
    require_cap(request.user, PolicyCap.ROUND_MANAGE)
    try:
        fund = access_fund_for_round(request.user, _int(request.POST.get("fund")))
        carried_from = None
        if request.POST.get("carried_from"):
            carried_from = access_round_by_id(request.user, _int(request.POST.get("carried_from")))
        round_ = services.do_create_round(
            fund,
            request.POST.get("name", ""),
            year=_int(request.POST.get("year")),
            budget_year=_int(request.POST.get("budget_year"), fund.year),
            budget_fen=_fen_from_wan(request.POST.get("budget_wan", "")),
            mode=request.POST.get("mode", "screen"),
            allocation=request.POST.get("allocation", Round.Allocation.BATCHES),
            notice_days=_int(request.POST.get("notice_days")) if request.POST.get("notice_days") else None,
            carried_from=carried_from,
            acting_user=request.user,
        )
    except ValueError:
        messages.error(request, _("请完整填写批次信息。"))
        return redirect("policy:round_list")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("policy:round_list")
    return redirect("policy:round_detail", round_id=round_.pk)


@login_required
def round_detail(request, round_id: int):
    round_ = access_round_by_id(request.user, round_id)
    official = has_cap(request.user, PolicyCap.VIEW)
    candidates = visible_candidates(request.user, Candidate.objects.filter(round=round_))
    status = request.GET.get("status", "")
    city = request.GET.get("city", "")
    if status:
        candidates = candidates.filter(status=status)
    if city and official:
        candidates = candidates.filter(organisation__city_id=city[:6])
    candidates = candidates.select_related("organisation", "organisation__city").order_by(
        "organisation__city_id", "organisation__name", "id"
    )
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    names = {code: label({"zh": v.name, "en": v.name_en}) for code, v in services.current_versions().items()}
    for c in page:
        c.policy_name = names.get(c.policy_code, c.policy_code)
        c.flags = [services.flag_text(f) for f in c.data_flags] if official else []
    counts = dict(
        visible_candidates(request.user, Candidate.objects.filter(round=round_))
        .values_list("status")
        .annotate(n=Count("id"))
    )
    totals = Candidate.objects.filter(round=round_).aggregate(
        computed=Sum("computed_fen", default=0), awarded=Sum("awarded_fen", default=0)
    )
    run = round_.screening_runs.order_by("-id").first()
    batch = PaymentBatch.objects.filter(round=round_).first()
    user = request.user
    signoffs = list(round_.signoffs.select_related("department", "signed_by").prefetch_related("vetoes"))
    signed = {s.department_type for s in signoffs}
    dept = department_of(user)
    return render(
        request,
        "policy/round_detail.html",
        {
            "round": round_,
            "page": page,
            "counts": [(s, lbl, counts.get(s, 0)) for s, lbl in Candidate.Status.choices],
            "status": status,
            "city": city,
            "cities": Region.objects.filter(level=Region.Level.CITY),
            "official": official,
            "totals": totals,
            "run": run,
            "batch": batch,
            "open_objections": Objection.objects.filter(
                candidate__round=round_, status=Objection.Status.OPEN
            ).count(),
            "can_manage": can_manage_round(user, round_),
            "can_county_review": has_cap(user, PolicyCap.CITY_REVIEW) and bool(user.city_id),
            "can_city_review": has_cap(user, PolicyCap.CITY_REVIEW) and area_level(user) == "city",
            "can_sign": can_sign_joint_review(user, round_) and dept.department_type not in signed,
            "signoffs": signoffs,
            "missing_signoffs": [
                DepartmentType(d).label for d in round_.fund.programme.joint_departments if d not in signed
            ],
            "can_concur": can_concur_round(user, round_),
            "can_approve": can_approve_round(user, round_),
            "can_pay": can_pay_round(user, round_),
            "can_export": has_cap(user, PolicyCap.EXPORT),
            "bank_returns": BankReturn.objects.filter(batch=batch).order_by("-id")[:5] if batch else [],
            "cancellable": round_.status in services.CANCELLABLE,
            "can_apply": has_cap(user, PolicyCap.APPLY)
            and round_.mode == Round.Mode.APPLY
            and round_.status == Round.Status.DRAFT,
            "apply_policies": [
                (c, label(services.get_current_policy(c)[1].name)) for c in round_.policy_codes
            ],
            "today": timezone.localdate(),
            "programme": round_.fund.programme,
            "city_share": money.percent_text(round_.fund.programme.city_share_bp),
            "county_share": money.percent_text(round_.fund.programme.county_share_bp),
            "transferable": round_.status in services.TRANSFERABLE,
            "transfers": round_.transfers.select_related("city").order_by("city_id"),
            "recoveries": Recovery.objects.filter(candidate__round=round_).select_related("organisation")
            if official
            else [],
            "can_check_clawback": can_pay_round(user, round_)
            and round_.status in (Round.Status.PAYING, Round.Status.CLOSED),
            "can_view_fund": can_view_fund(user, round_.fund),
        },
    )


def _vetoes(text: str) -> dict[int, str]:
    """ "编号：理由" per line → {candidate_id: reason}; a line without a reason keeps an empty one (refused)."""
    out = {}
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        head, _sep, reason = line.replace("：", ":").partition(":")
        number = bounds.parse_int(head, low=1, high=bounds.MAX_ID)
        if number is None:
            raise DomainError("invalid", _("否决格式：每行“对象编号：理由”。"))
        out[number] = reason.strip()
    return out


ROUND_ACTIONS = {
    "screen": lambda r, u, p: services.do_screen_round(r, acting_user=u),
    "close_applications": lambda r, u, p: services.do_close_applications(r, acting_user=u),
    "county_review_all": lambda r, u, p: services.do_county_review_all(
        r, acting_user=u, note=p.get("note", "")
    ),
    "city_review_all": lambda r, u, p: services.do_city_review_all(r, acting_user=u, note=p.get("note", "")),
    "start_joint_review": lambda r, u, p: services.do_start_joint_review(r, acting_user=u),
    "joint_signoff": lambda r, u, p: services.do_joint_signoff(
        r, acting_user=u, vetoes=_vetoes(p.get("vetoes", "")), note=p.get("note", "")
    ),
    "joint_review": lambda r, u, p: services.do_complete_joint_review(
        r, acting_user=u, note=p.get("note", "")
    ),
    "concur": lambda r, u, p: services.do_concur_round(r, acting_user=u, note=p.get("note", "")),
    "approve": lambda r, u, p: services.do_approve_round(r, acting_user=u),
    "pay": lambda r, u, p: services.do_create_payment_batch(r, acting_user=u),
    "cancel": lambda r, u, p: services.do_cancel_round(r, acting_user=u, reason=p.get("reason", "")),
    "transfer": lambda r, u, p: services.do_transfer_round(
        r, document_no=p.get("document_no", ""), acting_user=u
    ),
    "clawback": lambda r, u, p: services.do_check_clawbacks(r, acting_user=u),
}


@login_required
@require_POST
def round_reconcile(request, round_id: int):
    """Upload the bank's return file; the report of matches and mismatches is shown on the round page."""
    round_ = access_round_by_id(request.user, round_id)
    if not can_pay_round(request.user, round_):
        raise PermissionDenied(PolicyCap.PAY)
    batch = PaymentBatch.objects.filter(round=round_).first()
    if batch is None:
        raise Http404
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请上传银行回单文件（CSV 或 Excel）。"))
        return redirect("policy:round_detail", round_id=round_.pk)
    try:
        report = services.do_reconcile_batch(
            batch, services.read_upload(upload), upload.name, acting_user=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("policy:round_detail", round_id=round_.pk)
    messages.success(
        request,
        _("已读取回单 %(file)s：%(rows)s 行，到账 %(paid)s 笔，失败 %(failed)s 笔，不一致 %(bad)s 处。")
        % {
            "file": report.file_name,
            "rows": report.rows,
            "paid": report.paid,
            "failed": report.failed,
            "bad": len(report.mismatches),
        },
    )
    return redirect("policy:round_detail", round_id=round_.pk)


@login_required
@require_POST
def round_action(request, round_id: int, action: str):
    round_ = access_round_by_id(request.user, round_id)
    if action not in ROUND_ACTIONS:
        raise Http404
    try:
        result = ROUND_ACTIONS[action](round_, request.user, request.POST)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("policy:round_detail", round_id=round_.pk)
    if isinstance(result, ScreeningRun) and result.job_id:
        messages.success(request, _("已开始全量筛查，可在任务页查看进度。"))
        return redirect("jobs:detail", job_id=result.job_id)
    messages.success(request, _("操作已完成。"))
    return redirect("policy:round_detail", round_id=round_.pk)


@login_required
@require_POST
def round_apply(request, round_id: int):
    round_ = access_round_by_id(request.user, round_id)
    require_cap(request.user, PolicyCap.APPLY)
    org = request.user.organisation
    if org is None:
        raise PermissionDenied(PolicyCap.APPLY)
    upload = request.FILES.get("attachment")
    if upload is not None and upload.size > 10 * 1024 * 1024:
        messages.error(request, _("附件不能超过 10 MB。"))
        return redirect("policy:round_detail", round_id=round_.pk)
    try:
        services.do_add_candidate(
            round_,
            org,
            request.POST.get("policy", ""),
            applied=True,
            attachment=upload,
            acting_user=request.user,
        )
        messages.success(request, _("申请已提交。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("policy:round_detail", round_id=round_.pk)


@login_required
def candidate_attachment(request, candidate_id: int):
    """The application's attachment, for its organisation and the officials reviewing it; 404 for anyone else."""
    candidate = access_candidate_by_id(request.user, candidate_id)
    if not (candidate.attachment and can_open_attachment(request.user, candidate)):
        raise Http404
    return attachment_response(candidate.attachment)


@login_required
def candidate_detail(request, candidate_id: int):
    candidate = access_candidate_by_id(request.user, candidate_id)
    show_trace = can_see_trace(request.user, candidate)
    return render(
        request,
        "policy/candidate_detail.html",
        {
            "c": candidate,
            "round": candidate.round,
            "lines": trace_lines(candidate.trace, flags=is_official(request.user)) if show_trace else [],
            "show_trace": show_trace,
            "can_open_attachment": bool(candidate.attachment)
            and can_open_attachment(request.user, candidate),
            "objections": candidate.objections.select_related("raised_by", "resolved_by")
            if show_trace or is_official(request.user)
            else [],
            "can_county_review": can_county_review(request.user, candidate)
            and candidate.round.status == Round.Status.CITY_REVIEW
            and candidate.status in ("pending", "county_passed", "county_rejected"),
            "can_city_review": can_city_review(request.user, candidate)
            and candidate.round.status == Round.Status.CITY_REVIEW
            and candidate.status in ("county_passed", "recommended", "city_rejected"),
            "flags": [services.flag_text(f) for f in candidate.data_flags]
            if is_official(request.user)
            else [],
            "vetoes": candidate.vetoes.select_related("signoff", "signoff__department")
            if is_official(request.user)
            else [],
            "can_object": has_cap(request.user, PolicyCap.OBJECT)
            and candidate.status == Candidate.Status.LISTED,
            "can_resolve": can_manage_round(request.user, candidate.round),
        },
    )


@login_required
@require_POST
def candidate_action(request, candidate_id: int, action: str):
    candidate = access_candidate_by_id(request.user, candidate_id)
    try:
        if action in ("county_pass", "county_reject"):
            services.do_county_review(
                candidate,
                approve=action == "county_pass",
                note=request.POST.get("note", ""),
                acting_user=request.user,
            )
        elif action in ("recommend", "reject"):
            services.do_city_review(
                candidate,
                approve=action == "recommend",
                note=request.POST.get("note", ""),
                acting_user=request.user,
            )
        elif action == "object":
            services.do_raise_objection(candidate, request.POST.get("text", ""), acting_user=request.user)
        elif action == "letter":
            services.do_record_letter(
                candidate,
                request.POST.get("text", ""),
                name=request.POST.get("name", ""),
                contact=request.POST.get("contact", ""),
                acting_user=request.user,
            )
        elif action in ("uphold", "dismiss"):
            objection = Objection.objects.get(
                pk=bounds.parse_int(request.POST.get("objection"), low=1, high=bounds.MAX_ID, default=0),
                candidate=candidate,
            )
            services.do_resolve_objection(
                objection,
                upheld=action == "uphold",
                resolution=request.POST.get("resolution", ""),
                acting_user=request.user,
            )
        else:
            raise Http404
        messages.success(request, _("操作已完成。"))
    except (Objection.DoesNotExist, ValueError):
        raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("policy:candidate_detail", candidate_id=candidate.pk)


@login_required
def notice_xlsx(request, round_id: int):
    round_ = access_round_by_id(request.user, round_id)
    require_cap(request.user, PolicyCap.EXPORT)
    return xlsx_response(notice_export(round_, user=request.user), f"notice-{round_.pk}.xlsx")


@login_required
def payments_xlsx(request, round_id: int):
    round_ = access_round_by_id(request.user, round_id)
    if not can_pay_round(request.user, round_):
        raise PermissionDenied(PolicyCap.PAY)
    batch = PaymentBatch.objects.filter(round=round_).first()
    if batch is None:
        raise Http404
    return xlsx_response(payment_export(batch, request.user), f"payments-{batch.reference}.xlsx")


@login_required
def statistics(request):
    require_cap(request.user, PolicyCap.VIEW)
    stats = payout_statistics(area=request.user.city_id)
    # Exact 万元 figures as strings; ECharts reads numeric strings.
    chart = [
        {
            "label": r["label"],
            "paid": str(money.wan(r["paid_fen"])),
            "rd": str(money.wan(r["rd_fen"])),
        }
        for r in stats["cities"]
    ]
    return render(
        request,
        "policy/statistics.html",
        {
            "stats": stats,
            "chart": chart,
            "series": [
                {"name": _("奖补资金（万元）"), "key": "paid"},
                {"name": _("带动研发投入（万元）"), "key": "rd", "axis": 1},
            ],
        },
    )


@login_required
def screening_run(request, run_id: int):
    require_cap(request.user, PolicyCap.VIEW)
    try:
        run = ScreeningRun.objects.get(pk=run_id)
    except ScreeningRun.DoesNotExist:
        raise Http404
    rows = [{"code": code, **values} for code, values in (run.summary or {}).items()]
    results = ScreeningResult.objects.filter(run=run).select_related("organisation", "organisation__city")
    results = results.filter(area_q(request.user, "organisation__"))
    policy = request.GET.get("policy", "")
    status = request.GET.get("status", "")
    if policy:
        results = results.filter(policy_code=policy)
    if bounds.parse_int(status, low=0, high=99) is not None:
        results = results.filter(status=bounds.parse_int(status, low=0, high=99))
    reasons = (
        ScreeningResult.objects.filter(run=run, status=ResultStatus.NOT_COMPUTABLE)
        .values("policy_code", "not_computable")
        .annotate(n=Count("id"))
        .order_by("-n")[:15]
    )
    page = Paginator(results.order_by("organisation_id", "policy_code"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    conditions = {}
    for code, version in services.current_versions().items():
        for cond in services.get_policy(version).conditions:
            conditions[(code, cond.key)] = label(cond.label)
    for r in page:
        if r.not_computable or not r.failed_condition:
            r.explanation = r.not_computable
        else:
            r.explanation = _("未满足：%(condition)s") % {
                "condition": conditions.get((r.policy_code, r.failed_condition), r.failed_condition)
            }
    return render(
        request,
        "policy/screening_run.html",
        {
            "run": run,
            "rows": rows,
            "page": page,
            "reasons": reasons,
            "policy": policy,
            "status": status,
            "statuses": ResultStatus.choices,
        },
    )


@login_required
@require_POST
def start_screening(request):
    require_cap(request.user, PolicyCap.SCREEN)
    try:
        year = bounds.parse_int(request.POST.get("year"), low=bounds.MIN_YEAR, high=bounds.MAX_YEAR)
        if year is None:
            raise ValueError(request.POST.get("year"))
        run = services.do_start_screening(year=year, acting_user=request.user)
    except ValueError:
        messages.error(request, _("请填写年度。"))
        return redirect("policy:home")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("policy:home")
    return redirect("jobs:detail", job_id=run.job_id)


# ---- the public 公示 (no login) -------------------------------------------------------------------------------


def _public_rounds():
    return (
        Round.objects.filter(status=Round.Status.NOTICE)
        .select_related("fund__programme", "department", "area")
        .order_by("-notice_starts", "-id")
    )


def gongshi(request):
    """Every round in its 公示: open to anyone, no login."""
    today = timezone.localdate()
    rounds = []
    for r in _public_rounds():
        listed = Candidate.objects.filter(round=r, status=Candidate.Status.LISTED).aggregate(
            n=Count("id"), s=Sum("awarded_fen", default=0)
        )
        rounds.append({"round": r, "n": listed["n"], "total": listed["s"], "open": r.notice_ends >= today})
    return render(request, "policy/gongshi.html", {"rounds": rounds, "today": today})


def gongshi_round(request, round_id: int):
    """One round's 公示: the proposed awards (organisation, credit code, programme, policy, amount), the period in
    working days, and how to object — on this page with name and contact, or by signed letter."""
    round_ = _public_rounds().filter(pk=round_id).first()
    if round_ is None:
        raise Http404
    versions = services.current_versions()
    names = {code: label(services.get_policy(v).name) for code, v in versions.items()}
    listed = list(
        Candidate.objects.filter(round=round_, status=Candidate.Status.LISTED)
        .select_related("organisation")
        .order_by("organisation__name", "policy_code")
    )
    objections = Objection.objects.filter(candidate__round=round_).aggregate(
        n=Count("id"), answered=Count("id", filter=~Q(status=Objection.Status.OPEN))
    )
    form = {"candidate": "", "name": "", "contact": "", "text": ""}
    errors = []
    if request.method == "POST":
        form = {k: request.POST.get(k, "").strip() for k in form}
        candidate = next((c for c in listed if str(c.pk) == form["candidate"]), None)
        if candidate is None:
            errors.append(_("请选择公示名单中的对象。"))
        else:
            try:
                services.do_raise_public_objection(
                    candidate,
                    form["text"],
                    name=form["name"],
                    contact=form["contact"],
                    acting_user=request.user,
                )
            except DomainError as exc:
                errors.append(exc.message)
            else:
                messages.success(request, _("异议已收到，主管部门将在公示期结束前答复。"))
                return redirect("policy:gongshi_round", round_id=round_.pk)
    return render(
        request,
        "policy/gongshi_round.html",
        {
            "round": round_,
            "programme": round_.fund.programme,
            "rows": [{"c": c, "policy": names.get(c.policy_code, c.policy_code)} for c in listed],
            "total": sum(c.awarded_fen for c in listed),
            "objections": objections,
            "open": round_.notice_ends >= timezone.localdate(),
            "form": form,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


# ---- 下达 tables and recoveries ----------------------------------------------------------------------------------


@login_required
def transfer_xlsx_view(request, round_id: int):
    round_ = access_round_by_id(request.user, round_id)
    if not can_pay_round(request.user, round_) or not round_.transfers.exists():
        raise Http404
    return xlsx_response(transfer_xlsx(round_), f"xiada-{round_.year}-{round_.pk}.xlsx")


@login_required
def transfer_docx_view(request, round_id: int):
    from django.http import HttpResponse

    round_ = access_round_by_id(request.user, round_id)
    if not can_pay_round(request.user, round_) or not round_.transfers.exists():
        raise Http404
    response = HttpResponse(
        transfer_docx(round_),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="xiada-{round_.year}-{round_.pk}.docx"'
    return response


@login_required
@require_POST
def recovery_record(request, recovery_id: int):
    recovery = Recovery.objects.select_related("candidate__round").filter(pk=recovery_id).first()
    if recovery is None:
        raise Http404
    round_ = access_round_by_id(request.user, recovery.candidate.round_id)
    if not can_pay_round(request.user, round_):
        raise PermissionDenied(PolicyCap.PAY)
    try:
        amount = money.parse_fen(request.POST.get("amount_yuan", ""), money.Unit.YUAN, max_fen=MAX_FEN)
        services.do_record_recovery(
            recovery,
            amount_fen=amount or 0,
            receipt=request.POST.get("receipt", ""),
            note=request.POST.get("note", ""),
            acting_user=request.user,
        )
        messages.success(request, _("已登记追回。"))
    except money.MoneyError as exc:
        messages.error(request, exc.message)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("policy:round_detail", round_id=round_.pk)


@login_required
def fund_ledger(request, fund_id: int):
    """A fund's ledger: the budget in, payments out, money recovered after a clawback back in, and the balance."""
    fund = access_fund_by_id(request.user, fund_id)
    entries = fund.ledger.select_related("payment__organisation", "recovery__organisation").order_by(
        "-created_at", "-id"
    )
    by_kind = dict(entries.values_list("kind").annotate(s=Sum("amount_fen")).order_by())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "policy/fund_ledger.html",
        {
            "fund": fund,
            "page": page,
            "budget": by_kind.get(LedgerEntry.Kind.BUDGET, 0),
            "paid": -by_kind.get(LedgerEntry.Kind.PAYMENT, 0),
            "recovered": by_kind.get(LedgerEntry.Kind.RECOVERY, 0),
            "balance": sum(by_kind.values()),
            "rounds": fund.rounds.order_by("-created_at")[:50],
        },
    )
