"""Acceptance (验收) of a running project: the unit applies with its final report and the special audit report, the
department sends it to an online expert review on the review engine, then records the conclusion. A pass makes the
final milestone due and offers the result to the market; misused funds are recorded for clawback and put the unit
on the department's integrity record."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.projects import rules
from kechuang.projects.errors import ProjectError
from kechuang.projects.models import (
    Acceptance,
    AcceptanceConclusion,
    Application,
    ApplicationStatus,
    Contract,
    ContractStatus,
    IntegritySource,
    ReportStatus,
)
from kechuang.projects.services.contracts import _lock, _manager, _progress, _unit

__all__ = ["clawback_status", "do_apply_acceptance", "do_decide_acceptance", "do_send_acceptance_to_review"]


def open_clawback(contract: Contract, misused_fen: int, *, acting_user) -> int:
    """The misused funds to be paid back, as clawback records (`policy.Recovery`) of the payout workflow against the
    contract's paid milestone payments, the latest first, each at most what is left of its payment. The money
    coming back is then booked where every clawback is — the payout workflow's recovery, which writes the refund
    entry of the fund ledger — so the fund's balance shows it. Returns the amount covered (misused funds beyond
    what was paid are not paid out at all: nothing to recover). Runs inside the acceptance decision."""
    from django.db.models import Sum

    from kechuang.policy.models import Payment, Recovery

    payments = (
        Payment.objects.select_for_update(of=("self",))
        .filter(candidate__project_milestone__contract=contract, status=Payment.Status.PAID)
        .select_related("candidate", "organisation")
        .order_by("-pk")
    )
    left = misused_fen
    for payment in payments:
        if left <= 0:
            break
        taken = Recovery.objects.filter(payment=payment).aggregate(n=Sum("overpaid_fen"))["n"] or 0
        part = min(left, payment.amount_fen - taken)
        if part <= 0:
            continue
        recovery = Recovery.objects.create(
            payment=payment,
            candidate=payment.candidate,
            organisation=payment.organisation,
            paid_fen=payment.amount_fen,
            recomputed_fen=payment.amount_fen - taken - part,
            overpaid_fen=part,
            reason=(_("项目 %(number)s 验收发现违规使用财政资金，责令退回") % {"number": contract.number})[
                :255
            ],
            trace=[],
            created_by=acting_user,
        )
        record(
            "projects.clawback.open",
            recovery,
            acting_user=acting_user,
            organisation_id=payment.organisation_id,
            changes={"overpaid_fen": [None, part], "contract": [None, contract.number]},
        )
        left -= part
    return misused_fen - left


def clawback_status(contract: Contract) -> dict:
    """What is to be paid back and what is back: {"misused_fen", "due_fen", "recovered_fen"}."""
    from django.db.models import Sum

    from kechuang.policy.models import Recovery

    rows = Recovery.objects.filter(payment__candidate__project_milestone__contract=contract).aggregate(
        due=Sum("overpaid_fen"), back=Sum("recovered_fen")
    )
    return {
        "misused_fen": contract.clawback_fen,
        "due_fen": rows["due"] or 0,
        "recovered_fen": rows["back"] or 0,
    }


# ---- acceptance ---------------------------------------------------------------------------------------------------


@transaction.atomic
def do_apply_acceptance(
    contract: Contract,
    *,
    acting_user,
    final_report: str,
    audit_report_no: str,
    audit_firm: str,
    spent_fen: int,
    outcomes: list[dict],
) -> Acceptance:
    """The unit applies for acceptance with its final report and the special audit report; every report that has
    fallen due must have been submitted."""
    from kechuang.projects.services import _fen

    contract = _lock(contract)
    _unit(acting_user, contract)
    if contract.status != ContractStatus.RUNNING:
        raise DomainError(ProjectError.CONTRACT_STATE, _("项目不在执行期，不能申请验收。"), status=409)
    today = timezone.localdate()
    outstanding = contract.reports.filter(
        status__in=(ReportStatus.DUE, ReportStatus.RETURNED), due_on__lte=today
    ).count()
    if outstanding:
        raise DomainError(
            ProjectError.REPORTS_OUTSTANDING,
            _("尚有 %(n)s 份到期的进展报告未提交。") % {"n": outstanding},
            status=409,
        )
    if not final_report.strip() or not audit_report_no.strip() or not audit_firm.strip():
        raise DomainError(ErrorCode.INVALID, _("请提交总结报告和专项审计报告。"), status=422)
    _fen(spent_fen, _("实际支出"))
    if spent_fen > contract.fiscal_fen:
        raise DomainError(ErrorCode.INVALID, _("财政资金实际支出超过任务书金额。"), status=422)
    acceptance = Acceptance.objects.create(
        contract=contract,
        final_report=final_report.strip(),
        audit_report_no=audit_report_no.strip()[:100],
        audit_firm=audit_firm.strip()[:200],
        spent_fen=spent_fen,
        outcomes=_progress(outcomes, [str(t) for t in contract.targets]),
        submitted_by=acting_user,
    )
    contract.status = ContractStatus.ACCEPTANCE
    contract.save(update_fields=["status"])
    record(
        "projects.acceptance.apply",
        contract,
        acting_user=acting_user,
        changes={
            "status": [ContractStatus.RUNNING, ContractStatus.ACCEPTANCE],
            "spent_fen": [None, spent_fen],
        },
    )
    return acceptance


def _acceptance_rubric():
    from kechuang.review.models import Rubric

    spec = rules.acceptance_rubric()
    rubric, _created = Rubric.objects.update_or_create(
        code=spec["code"], defaults={"name": spec["name"], "criteria": spec["criteria"]}
    )
    return rubric


@transaction.atomic
def do_send_acceptance_to_review(contract: Contract, *, acting_user):
    """An online expert review of the acceptance on the review engine (random draw within disciplines, conflicts)."""
    from kechuang.projects.services import application_text
    from kechuang.review import services as review
    from kechuang.review.models import StageKind

    contract = _lock(contract)
    _manager(acting_user, contract)
    acceptance = Acceptance.objects.select_for_update().get(contract=contract)
    if contract.status != ContractStatus.ACCEPTANCE or acceptance.review_submission_id:
        raise StateError(_("该验收已送专家评审或不在验收阶段。"))
    app = contract.application
    process = review.do_create_process(
        acting_user=acting_user,
        name=_("%(title)s 验收") % {"title": app.title},
        department=app.call.line.department,
        rubric=_acceptance_rubric(),
        stages=[{"kind": StageKind.ONLINE, "name": _("验收评审")}],
    )
    acceptance.review_process = process
    acceptance.review_submission = review.do_add_submission(
        process,
        acting_user=acting_user,
        subject_type="projects.acceptance",
        subject_id=acceptance.pk,
        title=app.title,
        text=application_text(app) + "\n" + acceptance.final_report,
        applicant=app.unit,
        people=[app.pi_name, *(m["name"] for m in contract.team)],
    )
    acceptance.save(update_fields=["review_process", "review_submission"])
    record(
        "projects.acceptance.to_review",
        contract,
        acting_user=acting_user,
        changes={"process": [None, process.pk]},
    )
    return process


@transaction.atomic
def do_decide_acceptance(
    contract: Contract, *, acting_user, passed: bool, note: str, misused_fen: int = 0
) -> Acceptance:
    """The conclusion after the expert review. Misused funds are recorded for clawback and the unit enters the
    department's integrity record (3 years)."""
    from kechuang.projects.services import _fen
    from kechuang.projects.services.decision import do_add_integrity_record
    from kechuang.review.services import stage_results

    contract = _lock(contract)
    _manager(acting_user, contract)
    acceptance = Acceptance.objects.select_for_update().get(contract=contract)
    if contract.status != ContractStatus.ACCEPTANCE:
        raise StateError(_("该项目不在验收阶段。"))
    if acceptance.review_process_id is None:
        raise StateError(_("请先组织专家验收评审。"))
    scores = [
        e["mean_normalised"]
        for stage in acceptance.review_process.stages.all()
        for sub, e in stage_results(stage).items()
        if sub == acceptance.review_submission_id
    ]
    if not scores:
        raise StateError(_("专家验收评审尚无评分。"))
    if not note.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写验收意见。"), status=422)
    _fen(misused_fen, _("违规使用资金"))
    if misused_fen > contract.fiscal_fen:
        raise DomainError(ErrorCode.INVALID, _("违规金额超过财政资金。"), status=422)
    acceptance.review_score = Decimal(str(round(sum(scores) / len(scores), 2)))
    acceptance.conclusion = AcceptanceConclusion.PASSED if passed else AcceptanceConclusion.FAILED
    acceptance.conclusion_note = note.strip()[:500]
    acceptance.misused_fen = misused_fen
    acceptance.decided_by, acceptance.decided_at = acting_user, timezone.now()
    acceptance.decided_on = timezone.localdate()
    acceptance.save()
    contract.status = ContractStatus.ACCEPTED if passed else ContractStatus.FAILED
    contract.clawback_fen = misused_fen
    contract.save(update_fields=["status", "clawback_fen"])
    app = contract.application
    Application.objects.filter(pk=app.pk).update(status=ApplicationStatus.FINISHED)
    if misused_fen:
        today = timezone.localdate()
        do_add_integrity_record(
            acting_user=None,
            source=IntegritySource.DEPARTMENT,
            reference=contract.number,
            reason=_("项目验收发现违规使用财政资金 %(fen)s 分，责令退回。") % {"fen": misused_fen},
            starts_on=today,
            ends_on=today.replace(year=today.year + 3),
            organisation=app.unit,
            application=app,
        )
        open_clawback(contract, misused_fen, acting_user=acting_user)
    if passed:
        from kechuang.projects.services.results import offer_results

        offer_results(contract, acting_user=acting_user)
    record(
        "projects.acceptance.decide",
        contract,
        acting_user=acting_user,
        changes={
            "status": [ContractStatus.ACCEPTANCE, contract.status],
            "review_score": [None, str(acceptance.review_score)],
            "clawback_fen": [0, misused_fen],
        },
        note=acceptance.conclusion_note[:200],
    )
    return acceptance
