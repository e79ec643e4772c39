"""JSON API of the talent programmes: 高层次人才认定 from the employer's application to the certificate, the yearly
compliance report and leaving, the benefits desk (yearly check, hand-over to the payout workflow, settlement), the
public notice with signed objections, and 八桂学者 posts, appointments, evaluations and service tickets. The same
services and permission rules as the pages: a user sees only what `visible_*` gives and gets 404 for the rest."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from kechuang.bounds import Code, Date, Id, Line, Name, Text, Year
from kechuang.permissions.talent import (
    TalentCap,
    access_application_by_id,
    access_post_by_id,
    can_manage,
    can_open_talent,
    shown_account,
    visible_applications,
    visible_posts,
)
from kechuang.talent import services
from kechuang.talent.models import (
    BaguiAppointment,
    BenefitSchedule,
    ServiceTicket,
    TalentApplication,
    TalentObjection,
)
from kechuang.talent.models import (
    Status as AppStatus,
)
from kechuang.talent.services import bagui

router = Router(tags=["talent"])
PAGE = 50


class TalentInstalmentOut(Schema):
    index: int
    year: int
    amount_fen: int
    state: str
    note: str


class TalentScheduleOut(Schema):
    id: int
    programme: str
    kind: str
    total_fen: int
    years: int
    state: str
    reason: str
    explanation: str
    instalments: list[TalentInstalmentOut]


def _schedule_out(s: BenefitSchedule) -> dict:
    return {
        "id": s.pk,
        "programme": s.programme,
        "kind": s.kind,
        "total_fen": s.total_fen,
        "years": s.years,
        "state": s.state,
        "reason": s.reason,
        "explanation": s.explanation,
        "instalments": [
            {"index": i.index, "year": i.year, "amount_fen": i.amount_fen, "state": i.state, "note": i.note}
            for i in s.instalments.all()
        ],
    }


class TalentApplicationOut(Schema):
    id: int
    name: str
    id_tail: str
    employer_id: int
    employer: str
    level: str
    basis: str
    credential: str
    status: str
    contract_start: dt.date
    contract_end: dt.date
    precheck_note: str
    decision_note: str
    notice_start: dt.date | None
    notice_end: dt.date | None
    certificate_no: str
    recognised_on: dt.date | None
    left_on: dt.date | None


def _app_out(app: TalentApplication) -> dict:
    return {
        "id": app.pk,
        "name": app.person.name,
        "id_tail": app.person.id_tail,
        "employer_id": app.employer_id,
        "employer": app.employer.name,
        "level": app.level,
        "basis": app.basis,
        "credential": app.credential,
        "status": app.status,
        "contract_start": app.contract_start,
        "contract_end": app.contract_end,
        "precheck_note": app.precheck_note,
        "decision_note": app.decision_note,
        "notice_start": app.notice_start,
        "notice_end": app.notice_end,
        "certificate_no": app.certificate_no,
        "recognised_on": app.recognised_on,
        "left_on": app.left_on,
    }


class TalentComplianceOut(Schema):
    year: int
    employed: bool
    social_insurance_months: int
    tax_months: int
    outcome: str
    reason: str


class TalentObjectionOut(Schema):
    id: int
    name: str
    text: str
    state: str
    answer: str


class TalentPayeeOut(Schema):
    id_masked: str
    bank_name: str
    bank_account: str  # the full number for the talent office only; the last four digits for everyone else


class TalentApplicationDetailOut(TalentApplicationOut):
    payee: TalentPayeeOut
    schedules: list[TalentScheduleOut]
    compliance: list[TalentComplianceOut]
    recoveries_fen: list[int]
    objections: list[TalentObjectionOut]


def _detail(user, app: TalentApplication) -> dict:
    out = _app_out(app)
    out["payee"] = {
        "id_masked": app.person.id_masked,
        "bank_name": app.person.bank_name,
        "bank_account": shown_account(user, app.person.bank_account),
    }
    schedules = BenefitSchedule.objects.filter(application=app).prefetch_related("instalments")
    out["schedules"] = [_schedule_out(s) for s in schedules]
    out["compliance"] = list(
        app.compliance.order_by("-year").values(
            "year", "employed", "social_insurance_months", "tax_months", "outcome", "reason"
        )
    )
    out["recoveries_fen"] = list(app.recoveries.values_list("amount_fen", flat=True))
    # objectors' names and contacts are for the office that answers them, as on the page
    out["objections"] = (
        list(app.objections.values("id", "name", "text", "state", "answer")) if can_manage(user) else []
    )
    return out


@router.get("/applications", response=list[TalentApplicationOut])
def list_applications(request, status: Code = "", level: Code = "", page: int = 1):
    page = max(1, min(page, 10_000))
    if not can_open_talent(request.auth):
        raise PermissionDenied(TalentCap.VIEW)
    qs = visible_applications(request.auth).select_related("person", "employer")
    if status:
        qs = qs.filter(status=status)
    if level:
        qs = qs.filter(level=level)
    return [_app_out(a) for a in qs[(page - 1) * PAGE : page * PAGE]]


@router.get("/applications/{application_id}", response=TalentApplicationDetailOut)
def get_application(request, application_id: Id):
    return _detail(request.auth, access_application_by_id(request.auth, application_id))


class TalentApplyIn(Schema):
    name: Name
    id_number: Code
    level: Code
    basis: Code = "catalogue"
    credential: Code = ""
    credential_note: Line = ""
    position: Name = ""
    discipline: Name = ""
    contract_start: Date
    contract_end: Date
    evidence: dict[Code, Name] = Field(default={}, max_length=20)


@router.post("/applications", response={201: TalentApplicationDetailOut})
def apply(request, payload: TalentApplyIn):
    app = services.do_apply(acting_user=request.auth, **payload.dict())
    return Status(201, _detail(request.auth, app))


class TalentPrecheckIn(Schema):
    passed: bool
    note: Line = ""


@router.post("/applications/{application_id}/precheck", response=TalentApplicationDetailOut)
def precheck(request, application_id: Id, payload: TalentPrecheckIn):
    app = access_application_by_id(request.auth, application_id)
    app = services.do_precheck(app, acting_user=request.auth, passed=payload.passed, note=payload.note)
    return _detail(request.auth, app)


class TalentNoteIn(Schema):
    note: Line = ""


@router.post("/applications/{application_id}/recognise", response=TalentApplicationDetailOut)
def recognise(request, application_id: Id, payload: TalentNoteIn):
    app = access_application_by_id(request.auth, application_id)
    return _detail(request.auth, services.do_recognise(app, acting_user=request.auth, note=payload.note))


@router.post("/applications/{application_id}/reject", response=TalentApplicationDetailOut)
def reject(request, application_id: Id, payload: TalentNoteIn):
    app = access_application_by_id(request.auth, application_id)
    return _detail(request.auth, services.do_reject(app, acting_user=request.auth, note=payload.note))


class TalentCountOut(Schema):
    count: int


@router.post("/notice", response=TalentCountOut)
def start_notice(request):
    """Publish every proposed recognition (公示)."""
    return {"count": services.do_start_notice(acting_user=request.auth)}


@router.post("/applications/{application_id}/certify", response=TalentApplicationDetailOut)
def certify(request, application_id: Id):
    app = access_application_by_id(request.auth, application_id)
    return _detail(request.auth, services.do_certify(app, acting_user=request.auth))


class TalentAnswerIn(Schema):
    upheld: bool
    answer: Text


@router.post("/objections/{objection_id}/answer", response=TalentObjectionOut)
def answer_objection(request, objection_id: Id, payload: TalentAnswerIn):
    objection = TalentObjection.objects.filter(pk=objection_id).first()
    if objection is None:
        raise Http404
    access_application_by_id(request.auth, objection.application_id)  # 404 for an application not visible
    objection = services.do_answer_objection(
        objection, acting_user=request.auth, upheld=payload.upheld, answer=payload.answer
    )
    return {
        "id": objection.pk,
        "name": objection.name,
        "text": objection.text,
        "state": objection.state,
        "answer": objection.answer,
    }


class TalentComplianceIn(Schema):
    year: Year
    employed: bool
    social_insurance_months: int = Field(ge=0, le=12)
    tax_months: int = Field(ge=0, le=12)


@router.post("/applications/{application_id}/compliance", response=TalentComplianceOut)
def report_compliance(request, application_id: Id, payload: TalentComplianceIn):
    app = access_application_by_id(request.auth, application_id)
    report = services.do_report_compliance(app, acting_user=request.auth, **payload.dict())
    return {
        "year": report.year,
        "employed": report.employed,
        "social_insurance_months": report.social_insurance_months,
        "tax_months": report.tax_months,
        "outcome": report.outcome,
        "reason": report.reason,
    }


class TalentPayeeIn(Schema):
    bank_name: Name
    bank_account: Code


@router.post("/applications/{application_id}/payee", response=TalentApplicationDetailOut)
def set_payee(request, application_id: Id, payload: TalentPayeeIn):
    """The person's own account for the living subsidy and the settling-in allowance (the employer, or the
    talent office)."""
    app = access_application_by_id(request.auth, application_id)
    services.do_set_payee_account(
        app.person, employer=app.employer, acting_user=request.auth, **payload.dict()
    )
    app.person.refresh_from_db()
    return _detail(request.auth, app)


class TalentLeavingIn(Schema):
    left_on: Date


class TalentLeavingOut(Schema):
    status: str
    recovery_fen: int
    explanation: str


@router.post("/applications/{application_id}/leaving", response=TalentLeavingOut)
def report_leaving(request, application_id: Id, payload: TalentLeavingIn):
    app = access_application_by_id(request.auth, application_id)
    order = services.do_report_leaving(app, acting_user=request.auth, left_on=payload.left_on)
    return {
        "status": AppStatus.LEFT,
        "recovery_fen": order.amount_fen if order else 0,
        "explanation": order.explanation if order else "",
    }


# ---- the benefits desk -----------------------------------------------------------------------------------------


class TalentYearIn(Schema):
    year: Year


@router.post("/benefits/compliance-run", response=dict)
def run_compliance(request, payload: TalentYearIn):
    """The yearly check over every recognised person (outcome per pending report; failed ones stop payments)."""
    return services.do_run_compliance(payload.year, acting_user=request.auth)


@router.post("/benefits/publish", response=dict)
def publish_benefits(request, payload: TalentYearIn):
    """Hand the benefits due in the year to the payout workflow."""
    return services.do_publish_benefits(payload.year, acting_user=request.auth)


class TalentRoundIn(Schema):
    year: Year
    round_id: Id


@router.post("/benefits/round", response=dict)
def add_benefits_to_round(request, payload: TalentRoundIn):
    """Put the year's handed-over benefits on a draft round of the talent programme: one payment line per person
    for the living subsidy and the settling-in allowance (the person's own account), one per employer for the
    research funding; employers with a person lacking an account are listed, not added."""
    from kechuang.policy.models import Round

    if not can_manage(request.auth):
        raise PermissionDenied(TalentCap.MANAGE)
    round_ = get_object_or_404(Round, pk=payload.round_id)
    return services.do_add_benefits_to_round(payload.year, round_, acting_user=request.auth)


@router.post("/benefits/settle", response=dict)
def settle_benefits(request, payload: TalentYearIn):
    """Mark instalments paid from the payout workflow's paid payments (a mismatch is reported, never guessed)."""
    return services.do_settle_benefits(payload.year, acting_user=request.auth)


# ---- the public notice -------------------------------------------------------------------------------------------


class TalentNoticeOut(Schema):
    id: int
    name: str
    employer: str
    level: str
    basis: str
    notice_end: dt.date | None


@router.get("/notice", response=list[TalentNoticeOut], auth=None)
def public_notice(request):
    """The public notice: name, employer, level and basis only (never the ID number)."""
    apps = TalentApplication.objects.filter(status=AppStatus.NOTICE).select_related("person", "employer")
    return [
        {
            "id": a.pk,
            "name": a.person.name,
            "employer": a.employer.name,
            "level": a.level,
            "basis": a.basis,
            "notice_end": a.notice_end,
        }
        for a in apps
    ]


class TalentObjectIn(Schema):
    name: Name
    contact: Name
    text: Text


class TalentReceivedOut(Schema):
    id: int
    received: bool


@router.post("/notice/{application_id}/objections", response={201: TalentReceivedOut}, auth=None)
def public_object(request, application_id: Id, payload: TalentObjectIn):
    """Anyone objects during the notice, signed with a name and a contact."""
    app = get_object_or_404(TalentApplication, pk=application_id, status=AppStatus.NOTICE)
    user = request.user if request.user.is_authenticated else None
    objection = services.do_object(app, acting_user=user, **payload.dict())
    return Status(201, {"id": objection.pk, "received": True})


# ---- 八桂学者 ------------------------------------------------------------------------------------------------------


class TalentAppointmentOut(Schema):
    id: int
    name: str
    state: str
    full_time: bool
    from_outside: bool
    written_score: str | None
    hearing_score: str | None
    review_submission_id: int | None
    notice_end: dt.date | None
    contract_start: dt.date | None
    contract_end: dt.date | None
    evaluations: list[dict]
    tickets: list[dict]


def _appt_out(a: BaguiAppointment) -> dict:
    return {
        "id": a.pk,
        "name": a.person.name,
        "state": a.state,
        "full_time": a.full_time,
        "from_outside": a.from_outside,
        "written_score": None if a.written_score is None else str(a.written_score),
        "hearing_score": None if a.hearing_score is None else str(a.hearing_score),
        "review_submission_id": a.review_submission_id,
        "notice_end": a.notice_end,
        "contract_start": a.contract_start,
        "contract_end": a.contract_end,
        "evaluations": [
            {"kind": e.kind, "year": e.year, "result": e.result, "effect": e.effect}
            for e in a.evaluations.all()
        ],
        "tickets": [
            {"id": t.pk, "kind": t.kind, "state": t.state, "detail": t.detail, "outcome": t.outcome}
            for t in a.tickets.all()
        ],
    }


class TalentPostOut(Schema):
    id: int
    unit_id: int
    unit: str
    title: str
    discipline: str
    field: str
    matching_fen: int
    year: int
    state: str
    review_note: str
    review_submission_id: int | None


class TalentPostDetailOut(TalentPostOut):
    appointments: list[TalentAppointmentOut]


def _post_out(post) -> dict:
    return {
        "id": post.pk,
        "unit_id": post.unit_id,
        "unit": post.unit.name,
        "title": post.title,
        "discipline": post.discipline,
        "field": post.field,
        "matching_fen": post.matching_fen,
        "year": post.year,
        "state": post.state,
        "review_note": post.review_note,
        "review_submission_id": post.review_submission_id,
    }


def _post_detail(post) -> dict:
    appts = post.appointments.select_related("person").prefetch_related("evaluations", "tickets")
    return {**_post_out(post), "appointments": [_appt_out(a) for a in appts]}


def _appointment(user, appointment_id: int) -> BaguiAppointment:
    appt = BaguiAppointment.objects.filter(pk=appointment_id).select_related("post", "person").first()
    if appt is None:
        raise Http404
    access_post_by_id(user, appt.post_id)
    return appt


@router.get("/bagui/posts", response=list[TalentPostOut])
def list_posts(request):
    if not can_open_talent(request.auth):
        raise PermissionDenied(TalentCap.VIEW)
    return [_post_out(p) for p in visible_posts(request.auth).select_related("unit")[:500]]


@router.get("/bagui/posts/{post_id}", response=TalentPostDetailOut)
def get_post(request, post_id: Id):
    return _post_detail(access_post_by_id(request.auth, post_id))


class TalentPostIn(Schema):
    title: Name
    discipline: Name
    field: Code
    team: Text
    matching_fen: int = Field(ge=1, le=10**15)


@router.post("/bagui/posts", response={201: TalentPostDetailOut})
def apply_post(request, payload: TalentPostIn):
    post = bagui.do_apply_post(acting_user=request.auth, **payload.dict())
    return Status(201, _post_detail(post))


class TalentPostReviewIn(Schema):
    approved: bool
    note: Line = ""


@router.post("/bagui/posts/{post_id}/review", response=TalentPostDetailOut)
def review_post(request, post_id: Id, payload: TalentPostReviewIn):
    post = access_post_by_id(request.auth, post_id)
    post = bagui.do_review_post(post, acting_user=request.auth, approved=payload.approved, note=payload.note)
    return _post_detail(post)


class TalentApplicantIn(Schema):
    name: Name
    id_number: Code
    full_time: bool = True
    from_outside: bool = True


@router.post("/bagui/posts/{post_id}/applicants", response={201: TalentAppointmentOut})
def add_applicant(request, post_id: Id, payload: TalentApplicantIn):
    post = access_post_by_id(request.auth, post_id)
    appt = bagui.do_add_applicant(post, acting_user=request.auth, **payload.dict())
    return Status(201, _appt_out(appt))


@router.post("/bagui/appointments/{appointment_id}/scores", response=TalentAppointmentOut)
def take_review_scores(request, appointment_id: Id):
    """The written-review and hearing scores from the review engine (the means of the experts' rubric totals)."""
    appt = _appointment(request.auth, appointment_id)
    return _appt_out(bagui.do_take_review_scores(appt, acting_user=request.auth))


class TalentDecideIn(Schema):
    document: Name


@router.post("/bagui/appointments/{appointment_id}/decide", response=TalentAppointmentOut)
def decide(request, appointment_id: Id, payload: TalentDecideIn):
    appt = _appointment(request.auth, appointment_id)
    return _appt_out(bagui.do_decide(appt, acting_user=request.auth, document=payload.document))


class TalentContractIn(Schema):
    start: Date
    task_sheet: Text


@router.post("/bagui/appointments/{appointment_id}/contract", response=TalentAppointmentOut)
def contract(request, appointment_id: Id, payload: TalentContractIn):
    appt = _appointment(request.auth, appointment_id)
    appt = bagui.do_contract(
        appt, acting_user=request.auth, start=payload.start, task_sheet=payload.task_sheet
    )
    return _appt_out(appt)


class TalentEvaluateIn(Schema):
    kind: Code
    year: Year
    result: Code
    note: Line = ""


@router.post("/bagui/appointments/{appointment_id}/evaluations", response={201: TalentAppointmentOut})
def evaluate(request, appointment_id: Id, payload: TalentEvaluateIn):
    appt = _appointment(request.auth, appointment_id)
    bagui.do_evaluate(appt, acting_user=request.auth, **payload.dict())
    return Status(201, _appt_out(BaguiAppointment.objects.select_related("person").get(pk=appt.pk)))


@router.post("/bagui/appointments/{appointment_id}/payee", response=TalentAppointmentOut)
def set_scholar_payee(request, appointment_id: Id, payload: TalentPayeeIn):
    """The scholar's own account for the living subsidy and the settling-in allowance (the post's unit, or the
    talent office)."""
    appt = _appointment(request.auth, appointment_id)
    services.do_set_payee_account(
        appt.person, employer=appt.post.unit, acting_user=request.auth, **payload.dict()
    )
    return _appt_out(appt)


class TalentTicketIn(Schema):
    kind: Code
    detail: Line


class TalentTicketOut(Schema):
    id: int
    kind: str
    state: str
    detail: str
    outcome: str


def _ticket_out(t: ServiceTicket) -> dict:
    return {"id": t.pk, "kind": t.kind, "state": t.state, "detail": t.detail, "outcome": t.outcome}


@router.post("/bagui/appointments/{appointment_id}/tickets", response={201: TalentTicketOut})
def open_ticket(request, appointment_id: Id, payload: TalentTicketIn):
    appt = _appointment(request.auth, appointment_id)
    ticket = bagui.do_open_ticket(appt, acting_user=request.auth, kind=payload.kind, detail=payload.detail)
    return Status(201, _ticket_out(ticket))


class TalentCloseTicketIn(Schema):
    outcome: Line


@router.post("/bagui/tickets/{ticket_id}/close", response=TalentTicketOut)
def close_ticket(request, ticket_id: Id, payload: TalentCloseTicketIn):
    ticket = ServiceTicket.objects.filter(pk=ticket_id, appointment__isnull=False).first()
    if ticket is None:
        raise Http404
    _appointment(request.auth, ticket.appointment_id)
    ticket = bagui.do_close_ticket(ticket, acting_user=request.auth, outcome=payload.outcome)
    return _ticket_out(ticket)
