"""Running a funded project: the task contract (任务书) with targets, budget, co-funding and milestones; money paid
per milestone through the policy payout workflow; yearly and mid-term reports with warnings; change requests.
Acceptance is in `acceptance.py`."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.money import split_by_ratios
from kechuang.permissions.projects import can_act_for_contract, can_manage_call, can_manage_contract
from kechuang.projects import rules
from kechuang.projects.errors import ProjectError
from kechuang.projects.models import (
    AcceptanceConclusion,
    Application,
    ApplicationStatus,
    ChangeKind,
    ChangeRequest,
    ChangeStatus,
    Contract,
    ContractBudgetLine,
    ContractStatus,
    FundingMode,
    Milestone,
    MilestoneGate,
    ProgressReport,
    ProjectCall,
    ReportKind,
    ReportStatus,
)

__all__ = [
    "POLICY_CODE",
    "contract_warnings",
    "do_check_report",
    "do_create_contract",
    "do_decide_change",
    "do_link_fund",
    "do_request_change",
    "do_request_payments",
    "do_sign_contract",
    "do_submit_report",
    "milestone_state",
    "scale_budget",
]

POLICY_CODE = "project_contract"  # kechuang/policy/rules/project_contract.yaml
POLICY_INPUT = "project_milestone_due"
MAX_EXTENSION_DAYS = 366
CLOSED = (
    ContractStatus.ACCEPTANCE,
    ContractStatus.ACCEPTED,
    ContractStatus.FAILED,
    ContractStatus.TERMINATED,
)


def _manager(user, contract) -> None:
    if not can_manage_contract(user, contract):
        raise PermissionDenied("projects.call:manage")


def _unit(user, contract) -> None:
    if not can_act_for_contract(user, contract):
        raise PermissionDenied("projects.apply")


def _lock(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("application__call__line", "application__unit")
        .get(pk=contract.pk)
    )


def scale_budget(lines: dict[str, int], total_fen: int) -> dict[str, int]:
    """The application's budget lines scaled to the funded amount, exactly (largest remainder, sums to total)."""
    from kechuang.projects.services import split_fen

    if sum(lines.values()) == total_fen:
        return dict(lines)
    return split_fen(total_fen, {k: v for k, v in lines.items() if v > 0})


def _at(kind: str, starts_on: dt.date, ends_on: dt.date) -> dt.date:
    if kind == "start":
        return starts_on
    if kind == "middle":
        return starts_on + (ends_on - starts_on) / 2
    return ends_on


def _schedule(mode: str, total_fen: int, starts_on: dt.date, ends_on: dt.date) -> list[dict]:
    steps = rules.payment_rules()["schedules"][mode]
    names = [str(i) for i in range(len(steps))]
    shares = split_by_ratios(total_fen, {n: s["share_bp"] for n, s in zip(names, steps, strict=True)}, names)
    return [
        {
            "title": s["title"],
            "gate": s["gate"],
            "amount_fen": shares[n],
            "due_on": _at(s["at"], starts_on, ends_on),
        }
        for n, s in zip(names, steps, strict=True)
    ]


def _report_calendar(starts_on: dt.date, ends_on: dt.date) -> list[tuple[str, int, dt.date]]:
    cfg = rules.payment_rules()["reports"]
    out = []
    for year in range(starts_on.year, ends_on.year):
        due = dt.date(year + 1, cfg["yearly_due_month"], cfg["yearly_due_day"])
        if due <= ends_on:
            out.append((ReportKind.YEARLY, year, due))
    middle = starts_on + (ends_on - starts_on) * cfg["midterm_after_share"] / 100
    out.append((ReportKind.MIDTERM, middle.year, middle))
    return out


@transaction.atomic
def do_create_contract(
    application: Application,
    *,
    acting_user,
    starts_on: dt.date,
    ends_on: dt.date,
    funding_mode: str = FundingMode.STAGED,
    targets: list[str] | None = None,
) -> Contract:
    """Draw up the task contract of a funded project: the funded amount split over the budget lines in proportion
    to the application (exactly), milestones by the payment schedule (exactly), the report calendar."""
    from kechuang.projects.services import check_budget

    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__line", "unit")
        .get(pk=application.pk)
    )
    if not can_manage_call(acting_user, application.call):
        raise PermissionDenied("projects.call:manage")
    if application.status != ApplicationStatus.FUNDED:
        raise StateError(_("只有已立项的项目可以签订任务书。"))
    if Contract.objects.filter(application=application).exists():
        raise StateError(_("该项目已有任务书。"))
    if funding_mode not in FundingMode.values:
        raise DomainError(ErrorCode.INVALID, _("支持方式无效。"), {"field": "funding_mode"}, status=422)
    if not starts_on < ends_on or (ends_on - starts_on).days > 366 * 5:
        raise DomainError(ErrorCode.INVALID, _("执行期应在五年以内且完成日期晚于起始日期。"), status=422)
    total = application.funded_fen
    lines = scale_budget(dict(application.budget_lines.values_list("category", "amount_fen")), total)
    check_budget(application.call.line.kind, lines, total)
    contract = Contract.objects.create(
        application=application,
        number=f"GK{application.call.year}{application.pk:07d}",
        funding_mode=funding_mode,
        starts_on=starts_on,
        ends_on=ends_on,
        fiscal_fen=total,
        self_fen=application.self_fen,
        targets=list(targets if targets is not None else application.targets),
        team=list(application.team),
    )
    ContractBudgetLine.objects.bulk_create(
        ContractBudgetLine(contract=contract, category=c, amount_fen=a) for c, a in sorted(lines.items())
    )
    plan = _schedule(funding_mode, total, starts_on, ends_on)
    Milestone.objects.bulk_create(
        Milestone(contract=contract, seq=i, **step) for i, step in enumerate(plan, start=1)
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(contract=contract, kind=kind, period=period, due_on=due)
        for kind, period, due in _report_calendar(starts_on, ends_on)
    )
    record(
        "projects.contract.create",
        contract,
        acting_user=acting_user,
        organisation_id=application.unit_id,
        changes={
            "fiscal_fen": [None, total],
            "budget": [None, lines],
            "milestones": [None, [(m["title"], m["amount_fen"]) for m in plan]],
            "funding_mode": [None, funding_mode],
        },
    )
    return contract


@transaction.atomic
def do_sign_contract(contract: Contract, *, acting_user) -> Contract:
    """The unit signs first, then the department; with both signatures the project runs."""
    contract = _lock(contract)
    if contract.status != ContractStatus.DRAFT:
        raise StateError(_("任务书已签订。"))
    if can_act_for_contract(acting_user, contract):
        if contract.unit_signed_at:
            raise StateError(_("本单位已签署。"))
        contract.unit_signed_by, contract.unit_signed_at = acting_user, timezone.now()
        contract.save(update_fields=["unit_signed_by", "unit_signed_at"])
        record("projects.contract.sign_unit", contract, acting_user=acting_user)
        return contract
    _manager(acting_user, contract)
    if not contract.unit_signed_at:
        raise StateError(_("承担单位尚未签署任务书。"))
    contract.signed_by, contract.signed_at = acting_user, timezone.now()
    contract.status = ContractStatus.RUNNING
    contract.save(update_fields=["signed_by", "signed_at", "status"])
    record(
        "projects.contract.sign",
        contract,
        acting_user=acting_user,
        changes={"status": [ContractStatus.DRAFT, ContractStatus.RUNNING]},
    )
    return contract


# ---- money: milestones paid through the policy payout workflow ------------------------------------------------


def gate_open(milestone: Milestone) -> bool:
    contract = milestone.contract
    if milestone.gate == MilestoneGate.SIGNED:
        return contract.status in (ContractStatus.RUNNING, ContractStatus.ACCEPTANCE, ContractStatus.ACCEPTED)
    if milestone.gate == MilestoneGate.MIDTERM:
        return contract.reports.filter(kind=ReportKind.MIDTERM, status=ReportStatus.PASSED).exists()
    acceptance = getattr(contract, "acceptance", None)
    return acceptance is not None and acceptance.conclusion == AcceptanceConclusion.PASSED


#: candidate statuses after which the milestone may be requested again (the round refused or dropped it)
RETRYABLE = ("joint_rejected", "withdrawn")


def milestone_state(milestone: Milestone) -> str:
    """waiting (gate closed) · due (may be requested) · in_payment (in a payout round) · paid · failed."""
    c = milestone.candidate
    if c is not None and c.status not in RETRYABLE:
        if c.status == "paid":
            return "paid"
        payment = getattr(c, "payment", None)
        if payment is not None and payment.status == "failed":
            return "failed"
        return "in_payment"
    if milestone.contract.status in (ContractStatus.FAILED, ContractStatus.TERMINATED):
        return "waiting"
    return "due" if gate_open(milestone) else "waiting"


@transaction.atomic
def do_link_fund(call: ProjectCall, fund, *, acting_user) -> ProjectCall:
    """The call's projects are paid from this fund of the policy workflow (its programme must pay `project_contract`)."""
    from kechuang.permissions.policy import can_manage_programme

    call = ProjectCall.objects.select_for_update(of=("self",)).select_related("line").get(pk=call.pk)
    if not can_manage_call(acting_user, call) or not can_manage_programme(acting_user, fund.programme):
        raise PermissionDenied("projects.call:manage")
    if POLICY_CODE not in fund.programme.policy_codes:
        raise DomainError(
            ProjectError.NO_FUND, _("该资金所属项目不包含“科技计划项目经费拨付”政策。"), status=422
        )
    before = call.fund_id
    call.fund = fund
    call.save(update_fields=["fund"])
    record("projects.call.fund", call, acting_user=acting_user, changes={"fund": [before, fund.pk]})
    return call


@transaction.atomic
def do_request_payments(call: ProjectCall, *, acting_user) -> list:
    """Put every due milestone of the call's contracts into payout rounds of the call's fund (one round per batch,
    at most one milestone per unit in a round; further ones go into the next round). Each milestone becomes one
    candidate whose dedupe key is the milestone, so it can never be paid twice. Returns the rounds."""
    from kechuang.policy.models import Round
    from kechuang.policy.services import Decided, do_add_decided_candidates, do_create_round

    call = ProjectCall.objects.select_for_update(of=("self",)).select_related("line", "fund").get(pk=call.pk)
    if not can_manage_call(acting_user, call):
        raise PermissionDenied("projects.call:manage")
    if call.fund is None:
        raise DomainError(ProjectError.NO_FUND, _("请先指定拨款资金。"), status=409)
    milestones = list(
        Milestone.objects.select_for_update(of=("self",))
        .filter(contract__application__call=call)
        .select_related("contract__application__unit", "candidate")
        .order_by("due_on", "pk")
    )
    due = [m for m in milestones if milestone_state(m) == "due" and m.amount_fen > 0]
    if not due:
        raise StateError(_("没有达到拨付条件的节点。"))
    batches: list[list[Milestone]] = []
    for m in due:
        unit = m.contract.application.unit_id
        for batch in batches:
            if all(x.contract.application.unit_id != unit for x in batch):
                batch.append(m)
                break
        else:
            batches.append([m])
    existing = Round.objects.filter(fund=call.fund).count()
    rounds = []
    for n, batch in enumerate(batches, start=existing + 1):
        round_ = do_create_round(
            call.fund,
            _("%(call)s 项目经费拨付（第%(n)s批）") % {"call": call.name, "n": n},
            year=call.fund.year,
            budget_fen=sum(m.amount_fen for m in batch),
            policy_codes=[POLICY_CODE],
            mode=Round.Mode.APPLY,
            notice_days=None,  # the programme's own floor: the payout workflow always gives a 公示
            acting_user=acting_user,
        )
        candidates = do_add_decided_candidates(
            round_,
            [
                Decided(
                    m.contract.application.unit,
                    POLICY_CODE,
                    m.amount_fen,
                    f"{m.contract.number} {m.title}",
                    dedupe_key=f"project-milestone:{m.pk}",
                    expect_fen=m.amount_fen,
                )
                for m in batch
            ],
            acting_user=acting_user,
        )
        for m, candidate in zip(batch, candidates, strict=True):
            before = m.candidate_id
            m.candidate = candidate
            m.save(update_fields=["candidate"])
            record(
                "projects.milestone.request",
                m,
                acting_user=acting_user,
                organisation_id=m.contract.application.unit_id,
                changes={
                    "candidate": [before, candidate.pk],
                    "round": [None, round_.pk],
                    "amount_fen": [None, m.amount_fen],
                },
            )
        rounds.append(round_)
    return rounds


# ---- reports and warnings ---------------------------------------------------------------------------------------


def _progress(items, targets) -> list[dict]:
    out = []
    for item in items or ():
        try:
            percent = int(item.get("percent"))
        except (TypeError, ValueError, AttributeError) as exc:
            raise DomainError(ErrorCode.INVALID, _("指标完成比例无效。"), status=422) from exc
        if not 0 <= percent <= 100 or str(item.get("target")) not in targets:
            raise DomainError(ErrorCode.INVALID, _("指标完成比例无效。"), status=422)
        out.append({"target": str(item["target"]), "percent": percent})
    return out


@transaction.atomic
def do_submit_report(
    report: ProgressReport, *, acting_user, text: str, progress: list[dict], spent_fen: int
) -> ProgressReport:
    """The unit's yearly or mid-term report against the targets; a late report is accepted and flagged."""
    from kechuang.projects.services import _fen

    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    contract = _lock(report.contract)
    _unit(acting_user, contract)
    if contract.status != ContractStatus.RUNNING:
        raise DomainError(ProjectError.REPORT_CLOSED, _("项目不在执行期，不能报送进展报告。"), status=409)
    if report.status not in (ReportStatus.DUE, ReportStatus.RETURNED):
        raise StateError(_("该报告已提交。"))
    if not text.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写进展情况。"), status=422)
    _fen(spent_fen, _("累计支出"))
    if spent_fen > contract.fiscal_fen + contract.self_fen:
        raise DomainError(ErrorCode.INVALID, _("累计支出超过项目总经费。"), status=422)
    report.progress = _progress(progress, [str(t) for t in contract.targets])
    report.text = text.strip()
    report.spent_fen = spent_fen
    report.submitted_at = timezone.now()
    report.submitted_by = acting_user
    late = timezone.localdate() > report.due_on
    report.warnings = [{"code": "late", "due_on": report.due_on.isoformat()}] if late else []
    old = report.status
    report.status = ReportStatus.SUBMITTED
    report.save()
    record(
        "projects.report.submit",
        report,
        acting_user=acting_user,
        organisation_id=contract.application.unit_id,
        changes={"status": [old, report.status], "late": [None, late], "spent_fen": [None, spent_fen]},
    )
    return report


@transaction.atomic
def do_check_report(report: ProgressReport, *, acting_user, passed: bool, note: str = "") -> ProgressReport:
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    contract = _lock(report.contract)
    _manager(acting_user, contract)
    if report.status != ReportStatus.SUBMITTED:
        raise StateError(_("该报告不在待检查状态。"))
    if not passed and not note.strip():
        raise DomainError(ErrorCode.INVALID, _("退回时请写明理由。"), status=422)
    report.status = ReportStatus.PASSED if passed else ReportStatus.RETURNED
    report.checked_by = acting_user
    report.check_note = note.strip()[:500]
    report.save(update_fields=["status", "checked_by", "check_note"])
    record(
        "projects.report.check",
        report,
        acting_user=acting_user,
        organisation_id=contract.application.unit_id,
        changes={"status": [ReportStatus.SUBMITTED, report.status]},
        note=report.check_note[:200],
    )
    return report


def contract_warnings(contract: Contract, today: dt.date | None = None) -> list[dict]:
    """Late reports, targets slipping behind the time elapsed, a period over without acceptance."""
    today = today or timezone.localdate()
    out = []
    if contract.status != ContractStatus.RUNNING:
        return out
    for r in contract.reports.all():
        if r.status in (ReportStatus.DUE, ReportStatus.RETURNED) and r.due_on < today:
            out.append(
                {"code": "report_late", "report": r.pk, "kind": r.kind, "due_on": r.due_on.isoformat()}
            )
    latest = (
        contract.reports.filter(status__in=(ReportStatus.SUBMITTED, ReportStatus.PASSED))
        .order_by("-submitted_at")
        .first()
    )
    if latest is not None and latest.progress:
        total_days = max((contract.ends_on - contract.starts_on).days, 1)
        elapsed = (
            min(max((latest.submitted_at.date() - contract.starts_on).days, 0), total_days)
            * 100
            // total_days
        )
        tolerance = rules.payment_rules()["reports"]["slip_tolerance_percent"]
        for item in latest.progress:
            if item["percent"] + tolerance < elapsed:
                out.append(
                    {
                        "code": "target_slipping",
                        "target": item["target"],
                        "percent": item["percent"],
                        "elapsed": elapsed,
                    }
                )
    if contract.ends_on < today:
        out.append({"code": "period_over", "ends_on": contract.ends_on.isoformat()})
    return out


# ---- change requests ------------------------------------------------------------------------------------------------


def _check_change(contract: Contract, kind: str, payload: dict) -> tuple[dict, dict]:
    """(normalised payload, the values before) or a refusal with the reason."""
    from kechuang.projects.services import MAX_TEAM, check_budget, person_key

    if kind == ChangeKind.BUDGET:
        lines = payload.get("budget")
        if not isinstance(lines, dict):
            raise DomainError(ErrorCode.INVALID, _("请给出调整后的预算科目。"), status=422)
        check_budget(contract.application.call.line.kind, lines, contract.fiscal_fen)
        return {"budget": dict(lines)}, {
            "budget": dict(contract.budget_lines.values_list("category", "amount_fen"))
        }
    if kind == ChangeKind.TIME:
        try:
            ends_on = dt.date.fromisoformat(str(payload.get("ends_on")))
        except ValueError as exc:
            raise DomainError(ErrorCode.INVALID, _("延期后的完成日期无效。"), status=422) from exc
        if ends_on <= contract.ends_on or (ends_on - contract.ends_on).days > MAX_EXTENSION_DAYS:
            raise DomainError(ErrorCode.INVALID, _("延期应晚于原完成日期且不超过一年。"), status=422)
        return {"ends_on": ends_on.isoformat()}, {"ends_on": contract.ends_on.isoformat()}
    if kind == ChangeKind.TEAM:
        team = payload.get("team")
        if not isinstance(team, list) or not team or len(team) > MAX_TEAM:
            raise DomainError(ErrorCode.INVALID, _("项目组成员无效。"), status=422)
        members = []
        for m in team:
            if not isinstance(m, dict) or not str(m.get("name", "")).strip():
                raise DomainError(ErrorCode.INVALID, _("项目组成员无效。"), status=422)
            members.append(
                {
                    "name": str(m["name"]).strip()[:100],
                    "role": str(m.get("role", ""))[:50],
                    "key": person_key(str(m["name"]), str(m.get("id_digits", ""))),
                }
            )
        return {"team": members}, {"team": contract.team}
    raise DomainError(ErrorCode.INVALID, _("变更事项无效。"), status=422)


@transaction.atomic
def do_request_change(
    contract: Contract, *, acting_user, kind: str, payload: dict, reason: str
) -> ChangeRequest:
    contract = _lock(contract)
    _unit(acting_user, contract)
    if contract.status in CLOSED:
        raise DomainError(
            ProjectError.CHANGE_AFTER_ACCEPTANCE, _("项目已进入验收或已结束，不能再申请变更。"), status=409
        )
    if contract.status != ContractStatus.RUNNING:
        raise DomainError(ProjectError.CONTRACT_STATE, _("任务书签订后才能申请变更。"), status=409)
    if not reason.strip():
        raise DomainError(ErrorCode.INVALID, _("请说明变更理由。"), status=422)
    if contract.changes.filter(kind=kind, status=ChangeStatus.PENDING).exists():
        raise StateError(_("同一事项已有待审批的变更申请。"))
    normalised, before = _check_change(contract, kind, payload)
    change = ChangeRequest.objects.create(
        contract=contract,
        kind=kind,
        payload=normalised,
        before=before,
        reason=reason.strip()[:500],
        requested_by=acting_user,
    )
    record(
        "projects.change.request",
        change,
        acting_user=acting_user,
        organisation_id=contract.application.unit_id,
        changes={"kind": [None, kind], "payload": [before, normalised]},
    )
    return change


@transaction.atomic
def do_decide_change(change: ChangeRequest, *, acting_user, approve: bool, note: str = "") -> ChangeRequest:
    """Approve (the change is applied, old and new values audited) or refuse with a reason."""
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    contract = _lock(change.contract)
    _manager(acting_user, contract)
    if change.status != ChangeStatus.PENDING:
        raise StateError(_("该变更申请已处理。"))
    if approve and contract.status in CLOSED:
        raise DomainError(
            ProjectError.CHANGE_AFTER_ACCEPTANCE, _("项目已进入验收或已结束，不能再变更。"), status=409
        )
    if not approve and not note.strip():
        raise DomainError(ErrorCode.INVALID, _("不予批准时请写明理由。"), status=422)
    if approve:
        normalised, before = _check_change(contract, change.kind, change.payload)  # still valid now?
        if change.kind == ChangeKind.BUDGET:
            contract.budget_lines.all().delete()
            ContractBudgetLine.objects.bulk_create(
                ContractBudgetLine(contract=contract, category=c, amount_fen=a)
                for c, a in sorted(normalised["budget"].items())
            )
        elif change.kind == ChangeKind.TIME:
            contract.ends_on = dt.date.fromisoformat(normalised["ends_on"])
            contract.save(update_fields=["ends_on"])
        else:
            contract.team = normalised["team"]
            contract.save(update_fields=["team"])
        change.before = before
    change.status = ChangeStatus.APPROVED if approve else ChangeStatus.REFUSED
    change.decided_by, change.decided_at = acting_user, timezone.now()
    change.decision_note = note.strip()[:500]
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "before"])
    record(
        "projects.change.decide",
        change,
        acting_user=acting_user,
        organisation_id=contract.application.unit_id,
        changes={
            "status": [ChangeStatus.PENDING, change.status],
            **({change.kind: [change.before, change.payload]} if approve else {}),
        },
        note=change.decision_note[:200],
    )
    return change
