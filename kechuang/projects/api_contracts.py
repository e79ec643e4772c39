"""JSON API of the programme projects, second half: task contracts and their milestones with the state of each
payment in the policy payout workflow (read only: the money moves there), progress reports, change requests,
acceptance, the results offered to the technology market, and overseas R&D centres. Same services and permission
rules as the pages; the operations are registered on `api.router` (under /api/projects)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Schema, Status

from kechuang.bounds import Code, Count, Date, Fen, Id, Line, Name, Text, Year
from kechuang.permissions.projects import (
    access_application_by_id,
    access_centre_by_id,
    access_change_by_id,
    access_contract_by_id,
    access_report_by_id,
    can_act_for_contract,
    can_apply,
    visible_centres,
    visible_contracts,
)
from kechuang.projects import services
from kechuang.projects.api import router
from kechuang.projects.models import ResultOffer

# ---- contracts --------------------------------------------------------------------------------------------------


class ProjectMilestoneOut(Schema):
    id: int
    seq: int
    title: str
    gate: str
    due_on: dt.date
    amount_fen: int
    state: str  # waiting · due · in_payment · paid · failed
    round_id: int | None
    candidate_status: str | None
    payment_status: str | None
    paid_fen: int


def _milestone_out(m) -> dict:
    c = m.candidate
    payment = getattr(c, "payment", None) if c is not None else None
    return {
        "id": m.pk,
        "seq": m.seq,
        "title": m.title,
        "gate": m.gate,
        "due_on": m.due_on,
        "amount_fen": m.amount_fen,
        "state": services.milestone_state(m),
        "round_id": c.round_id if c is not None else None,
        "candidate_status": c.status if c is not None else None,
        "payment_status": payment.status if payment is not None else None,
        "paid_fen": payment.amount_fen if payment is not None and payment.status == "paid" else 0,
    }


class ProjectContractOut(Schema):
    id: int
    number: str
    application_id: int
    title: str
    unit: str
    status: str
    funding_mode: str
    starts_on: dt.date
    ends_on: dt.date
    fiscal_fen: int
    self_fen: int
    targets: list[str]
    team: list[dict]
    budget: dict[str, int]
    unit_signed: bool
    signed: bool
    clawback_fen: int
    clawback_due_fen: int
    clawback_recovered_fen: int
    warnings: list[dict]


def _contract_out(contract) -> dict:
    app = contract.application
    clawback = services.clawback_status(contract)
    return {
        "id": contract.pk,
        "number": contract.number,
        "application_id": app.pk,
        "title": app.title,
        "unit": app.unit.name,
        "status": contract.status,
        "funding_mode": contract.funding_mode,
        "starts_on": contract.starts_on,
        "ends_on": contract.ends_on,
        "fiscal_fen": contract.fiscal_fen,
        "self_fen": contract.self_fen,
        "targets": [str(t) for t in contract.targets],
        "team": [{"name": m.get("name", ""), "role": m.get("role", "")} for m in contract.team],
        "budget": dict(contract.budget_lines.values_list("category", "amount_fen")),
        "unit_signed": contract.unit_signed_at is not None,
        "signed": contract.signed_at is not None,
        "clawback_fen": contract.clawback_fen,
        "clawback_due_fen": clawback["due_fen"],
        "clawback_recovered_fen": clawback["recovered_fen"],
        "warnings": services.contract_warnings(contract),
    }


@router.get("/contracts", response=list[ProjectContractOut])
def list_contracts(request, page: int = 1):
    page = max(1, min(page, 10_000))
    qs = visible_contracts(request.auth).order_by("-created_at")[(page - 1) * 50 : page * 50]
    return [_contract_out(c) for c in qs]


class ProjectContractIn(Schema):
    starts_on: Date
    ends_on: Date
    funding_mode: Code = "staged"
    targets: list[Line] | None = Field(default=None, max_length=100)


@router.post("/applications/{application_id}/contract", response={201: ProjectContractOut})
def create_contract(request, application_id: Id, payload: ProjectContractIn):
    app = access_application_by_id(request.auth, application_id)
    contract = services.do_create_contract(
        app,
        acting_user=request.auth,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        funding_mode=payload.funding_mode,
        targets=payload.targets,
    )
    return Status(201, _contract_out(contract))


@router.get("/contracts/{contract_id}", response=ProjectContractOut)
def get_contract(request, contract_id: Id):
    return _contract_out(access_contract_by_id(request.auth, contract_id))


@router.post("/contracts/{contract_id}/sign", response=ProjectContractOut)
def sign_contract(request, contract_id: Id):
    """The unit signs first, then the department."""
    contract = access_contract_by_id(request.auth, contract_id)
    return _contract_out(services.do_sign_contract(contract, acting_user=request.auth))


@router.get("/contracts/{contract_id}/milestones", response=list[ProjectMilestoneOut])
def list_milestones(request, contract_id: Id):
    """The staged payments: each milestone's amount and where its payment stands in the payout workflow."""
    contract = access_contract_by_id(request.auth, contract_id)
    rows = contract.milestones.select_related("candidate__payment", "contract__acceptance").order_by("seq")
    return [_milestone_out(m) for m in rows]


# ---- progress reports -------------------------------------------------------------------------------------------


class ProjectReportOut(Schema):
    id: int
    kind: str
    period: int
    due_on: dt.date
    status: str
    text: str
    progress: list[dict]
    spent_fen: int
    submitted_at: dt.datetime | None
    check_note: str
    warnings: list[dict]


def _report_out(r) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "period": r.period,
        "due_on": r.due_on,
        "status": r.status,
        "text": r.text,
        "progress": r.progress,
        "spent_fen": r.spent_fen,
        "submitted_at": r.submitted_at,
        "check_note": r.check_note,
        "warnings": r.warnings,
    }


@router.get("/contracts/{contract_id}/reports", response=list[ProjectReportOut])
def list_reports(request, contract_id: Id):
    contract = access_contract_by_id(request.auth, contract_id)
    return [_report_out(r) for r in contract.reports.order_by("due_on", "pk")]


class ProjectProgressIn(Schema):
    target: Line
    percent: int = Field(ge=0, le=100)


class ProjectReportIn(Schema):
    text: Text = Field(min_length=1)
    progress: list[ProjectProgressIn] = Field(default=[], max_length=100)
    spent_fen: Fen = 0


@router.post("/reports/{report_id}/submit", response=ProjectReportOut)
def submit_report(request, report_id: Id, payload: ProjectReportIn):
    """A late report is accepted and flagged (its warnings say so)."""
    report = access_report_by_id(request.auth, report_id)
    report = services.do_submit_report(
        report,
        acting_user=request.auth,
        text=payload.text,
        progress=[p.dict() for p in payload.progress],
        spent_fen=payload.spent_fen,
    )
    return _report_out(report)


class ProjectCheckIn(Schema):
    passed: bool
    note: Line = ""


@router.post("/reports/{report_id}/check", response=ProjectReportOut)
def check_report(request, report_id: Id, payload: ProjectCheckIn):
    report = access_report_by_id(request.auth, report_id)
    report = services.do_check_report(
        report, acting_user=request.auth, passed=payload.passed, note=payload.note
    )
    return _report_out(report)


# ---- change requests --------------------------------------------------------------------------------------------


class ProjectChangeOut(Schema):
    id: int
    kind: str
    payload: dict
    before: dict
    reason: str
    status: str
    decision_note: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None


def _change_out(c) -> dict:
    payload = c.payload
    before = c.before
    if c.kind == "team":  # people are named, their identity-number keys stay inside
        payload = {"team": [{k: v for k, v in m.items() if k != "key"} for m in payload.get("team", [])]}
        before = {"team": [{k: v for k, v in m.items() if k != "key"} for m in before.get("team", [])]}
    return {
        "id": c.pk,
        "kind": c.kind,
        "payload": payload,
        "before": before,
        "reason": c.reason,
        "status": c.status,
        "decision_note": c.decision_note,
        "requested_at": c.requested_at,
        "decided_at": c.decided_at,
    }


@router.get("/contracts/{contract_id}/changes", response=list[ProjectChangeOut])
def list_changes(request, contract_id: Id):
    contract = access_contract_by_id(request.auth, contract_id)
    return [_change_out(c) for c in contract.changes.order_by("-requested_at")]


class ProjectChangeIn(Schema):
    kind: Code  # team · budget · time
    reason: Line = Field(min_length=1)
    team: list[dict] | None = Field(default=None, max_length=50)
    budget: dict[Code, Fen] | None = Field(default=None, max_length=20)
    ends_on: Date | None = None


@router.post("/contracts/{contract_id}/changes", response={201: ProjectChangeOut})
def request_change(request, contract_id: Id, payload: ProjectChangeIn):
    """Refused after the unit has applied for acceptance (`project_change_after_acceptance`)."""
    contract = access_contract_by_id(request.auth, contract_id)
    body: dict = {}
    if payload.team is not None:
        body["team"] = payload.team
    if payload.budget is not None:
        body["budget"] = dict(payload.budget)
    if payload.ends_on is not None:
        body["ends_on"] = payload.ends_on.isoformat()
    change = services.do_request_change(
        contract, acting_user=request.auth, kind=payload.kind, payload=body, reason=payload.reason
    )
    return Status(201, _change_out(change))


class ProjectDecideChangeIn(Schema):
    approve: bool
    note: Line = ""


@router.post("/changes/{change_id}/decide", response=ProjectChangeOut)
def decide_change(request, change_id: Id, payload: ProjectDecideChangeIn):
    change = access_change_by_id(request.auth, change_id)
    change = services.do_decide_change(
        change, acting_user=request.auth, approve=payload.approve, note=payload.note
    )
    return _change_out(change)


# ---- acceptance -------------------------------------------------------------------------------------------------


class ProjectAcceptanceOut(Schema):
    contract_id: int
    final_report: str
    audit_report_no: str
    audit_firm: str
    spent_fen: int
    outcomes: list[dict]
    review_process_id: int | None
    review_score: str | None
    conclusion: str
    conclusion_note: str
    misused_fen: int
    decided_on: dt.date | None


def _acceptance_out(a) -> dict:
    return {
        "contract_id": a.contract_id,
        "final_report": a.final_report,
        "audit_report_no": a.audit_report_no,
        "audit_firm": a.audit_firm,
        "spent_fen": a.spent_fen,
        "outcomes": a.outcomes,
        "review_process_id": a.review_process_id,
        "review_score": None if a.review_score is None else str(a.review_score),
        "conclusion": a.conclusion,
        "conclusion_note": a.conclusion_note,
        "misused_fen": a.misused_fen,
        "decided_on": a.decided_on,
    }


def _acceptance(contract):
    acceptance = getattr(contract, "acceptance", None)
    if acceptance is None:
        raise Http404
    return acceptance


@router.get("/contracts/{contract_id}/acceptance", response=ProjectAcceptanceOut)
def get_acceptance(request, contract_id: Id):
    return _acceptance_out(_acceptance(access_contract_by_id(request.auth, contract_id)))


class ProjectAcceptanceIn(Schema):
    final_report: Text = Field(min_length=1)
    audit_report_no: str = Field(min_length=1, max_length=100)
    audit_firm: Name = Field(min_length=1)
    spent_fen: Fen
    outcomes: list[ProjectProgressIn] = Field(default=[], max_length=100)


@router.post("/contracts/{contract_id}/acceptance", response={201: ProjectAcceptanceOut})
def apply_acceptance(request, contract_id: Id, payload: ProjectAcceptanceIn):
    """Refused while a report that has fallen due is missing (`project_reports_outstanding`)."""
    contract = access_contract_by_id(request.auth, contract_id)
    acceptance = services.do_apply_acceptance(
        contract,
        acting_user=request.auth,
        final_report=payload.final_report,
        audit_report_no=payload.audit_report_no,
        audit_firm=payload.audit_firm,
        spent_fen=payload.spent_fen,
        outcomes=[o.dict() for o in payload.outcomes],
    )
    return Status(201, _acceptance_out(acceptance))


@router.post("/contracts/{contract_id}/acceptance/review", response=ProjectAcceptanceOut)
def send_acceptance_to_review(request, contract_id: Id):
    contract = access_contract_by_id(request.auth, contract_id)
    services.do_send_acceptance_to_review(contract, acting_user=request.auth)
    contract.refresh_from_db()
    return _acceptance_out(_acceptance(contract))


class ProjectAcceptanceDecisionIn(Schema):
    passed: bool
    note: Line = Field(min_length=1)
    misused_fen: Fen = 0


@router.post("/contracts/{contract_id}/acceptance/decision", response=ProjectAcceptanceOut)
def decide_acceptance(request, contract_id: Id, payload: ProjectAcceptanceDecisionIn):
    """The conclusion after the expert review; misused funds are clawed back and recorded for integrity."""
    contract = access_contract_by_id(request.auth, contract_id)
    acceptance = services.do_decide_acceptance(
        contract,
        acting_user=request.auth,
        passed=payload.passed,
        note=payload.note,
        misused_fen=payload.misused_fen,
    )
    return _acceptance_out(acceptance)


# ---- results offered to the technology market -------------------------------------------------------------------


class ProjectResultOut(Schema):
    id: int
    contract_id: int
    title: str
    summary: str
    status: str
    listing_id: int | None


def _result_out(r) -> dict:
    return {
        "id": r.pk,
        "contract_id": r.contract_id,
        "title": r.title,
        "summary": r.summary,
        "status": r.status,
        "listing_id": r.listing_id,
    }


@router.get("/contracts/{contract_id}/results", response=list[ProjectResultOut])
def list_results(request, contract_id: Id):
    contract = access_contract_by_id(request.auth, contract_id)
    return [_result_out(r) for r in contract.results.order_by("id")]


def _own_result(user, result_id: int) -> ResultOffer:
    offer = (
        ResultOffer.objects.filter(pk=result_id)
        .select_related("contract__application__unit", "contract__application__call__line")
        .first()
    )
    if offer is None:
        raise Http404
    access_contract_by_id(user, offer.contract_id)  # 404 for those who may not see the contract
    if not can_act_for_contract(user, offer.contract):
        raise PermissionDenied("projects.apply")
    return offer


class ProjectConfirmResultIn(Schema):
    trl: int = Field(ge=1, le=9)
    title: Name | None = None
    summary: Text | None = None


@router.post("/results/{result_id}/confirm", response=ProjectResultOut)
def confirm_result(request, result_id: Id, payload: ProjectConfirmResultIn):
    """The unit confirms: the achievement listing is created in the technology market and goes to its review."""
    offer = _own_result(request.auth, result_id)
    offer = services.do_confirm_result(
        offer, acting_user=request.auth, trl=payload.trl, title=payload.title, summary=payload.summary
    )
    return _result_out(offer)


class ProjectDeclineIn(Schema):
    note: Line = ""


@router.post("/results/{result_id}/decline", response=ProjectResultOut)
def decline_result(request, result_id: Id, payload: ProjectDeclineIn):
    offer = _own_result(request.auth, result_id)
    return _result_out(services.do_decline_result(offer, acting_user=request.auth, note=payload.note))


# ---- overseas R&D centres ---------------------------------------------------------------------------------------


class ProjectCentreReportOut(Schema):
    year: int
    staff: int
    new_products: int
    sales_fen: int
    patents: int


class ProjectCentreOut(Schema):
    id: int
    organisation: str
    name: str
    host_country: str
    city: str
    partner: str
    filing_no: str
    established_on: dt.date
    application_id: int | None
    reports: list[ProjectCentreReportOut]


def _centre_out(c) -> dict:
    return {
        "id": c.pk,
        "organisation": c.organisation.name,
        "name": c.name,
        "host_country": c.host_country,
        "city": c.city,
        "partner": c.partner,
        "filing_no": c.filing_no,
        "established_on": c.established_on,
        "application_id": c.application_id,
        "reports": [
            {
                "year": r.year,
                "staff": r.staff,
                "new_products": r.new_products,
                "sales_fen": r.sales_fen,
                "patents": r.patents,
            }
            for r in c.reports.all()
        ],
    }


@router.get("/centres", response=list[ProjectCentreOut])
def list_centres(request):
    user = request.auth
    return [_centre_out(c) for c in visible_centres(user).prefetch_related("reports")[:500]]


class ProjectCentreIn(Schema):
    name: Name = Field(min_length=1)
    host_country: str = Field(min_length=2, max_length=2)
    filing_no: str = Field(min_length=1, max_length=100)
    established_on: Date
    partner: Name = ""
    city: str = Field(default="", max_length=100)
    application_id: Id | None = None


@router.post("/centres", response={201: ProjectCentreOut})
def register_centre(request, payload: ProjectCentreIn):
    user = request.auth
    if not can_apply(user, user.organisation):
        raise PermissionDenied("projects.apply")
    application = None
    if payload.application_id is not None:
        application = access_application_by_id(user, payload.application_id)
    centre = services.do_register_centre(
        acting_user=user,
        name=payload.name,
        host_country=payload.host_country,
        filing_no=payload.filing_no,
        established_on=payload.established_on,
        partner=payload.partner,
        city=payload.city,
        application=application,
    )
    return Status(201, _centre_out(centre))


@router.get("/centres/{centre_id}", response=ProjectCentreOut)
def get_centre(request, centre_id: Id):
    return _centre_out(access_centre_by_id(request.auth, centre_id))


class ProjectCentreReportIn(Schema):
    year: Year
    staff: Count
    new_products: Count
    sales_fen: Fen
    patents: Count


@router.post("/centres/{centre_id}/reports", response={201: ProjectCentreReportOut})
def report_centre(request, centre_id: Id, payload: ProjectCentreReportIn):
    """The yearly report; a second one for the same year replaces the figures (the old ones are audited)."""
    centre = access_centre_by_id(request.auth, centre_id)
    report = services.do_report_centre(centre, acting_user=request.auth, **payload.dict())
    return Status(
        201,
        {
            "year": report.year,
            "staff": report.staff,
            "new_products": report.new_products,
            "sales_fen": report.sales_fen,
            "patents": report.patents,
        },
    )
