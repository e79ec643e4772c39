"""JSON API of the programme projects, first half: calls, applications (pledge, submit, endorse), the formal check
with its reasons and 查重 passages, review hand-off, ranking, the department meeting's decision, the public notice
with objections, confirmation of funding and the payment requests. The contract stages are in `api_contracts`.
Same services and permission rules as the pages; a refusal is the service's error code."""

import datetime as dt

from django.http import Http404
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from kechuang.bounds import Code, Date, Fen, Id, Line, Name, Text, Year
from kechuang.permissions.projects import (
    access_application_by_id,
    access_call_by_id,
    can_manage_call,
    visible_applications,
    visible_calls,
)
from kechuang.projects import services
from kechuang.projects.models import (
    ApplicationStatus,
    CallStatus,
    NoticeObjection,
    ProgrammeLine,
    ProjectCall,
)

router = Router(tags=["projects"])


# ---- calls ------------------------------------------------------------------------------------------------------


class ProjectTopicOut(Schema):
    id: int
    code: str
    title: str
    budget_fen: int


class ProjectCallOut(Schema):
    id: int
    line: str
    line_kind: str
    year: int
    name: str
    status: str
    deadline: dt.date
    co_funding_percent: int
    max_per_pi: int
    max_per_unit: int
    eligible_kinds: list[str]
    required_documents: list[str]
    topics: list[ProjectTopicOut]
    decision_no: str
    notice_starts: dt.date | None
    notice_ends: dt.date | None
    fund_id: int | None


def _call_out(call) -> dict:
    return {
        "id": call.pk,
        "line": call.line.name,
        "line_kind": call.line.kind,
        "year": call.year,
        "name": call.name,
        "status": call.status,
        "deadline": call.deadline,
        "co_funding_percent": call.co_funding_percent,
        "max_per_pi": call.max_per_pi,
        "max_per_unit": call.max_per_unit,
        "eligible_kinds": call.eligible_kinds,
        "required_documents": call.required_documents,
        "topics": [
            {"id": t.pk, "code": t.code, "title": t.title, "budget_fen": t.budget_fen}
            for t in call.topics.all()
        ],
        "decision_no": call.decision_no,
        "notice_starts": call.notice_starts,
        "notice_ends": call.notice_ends,
        "fund_id": call.fund_id,
    }


@router.get("/calls", response=list[ProjectCallOut])
def list_calls(request):
    calls = visible_calls(request.auth).prefetch_related("topics").order_by("-year", "name")[:200]
    return [_call_out(c) for c in calls]


class ProjectTopicIn(Schema):
    code: Code = Field(min_length=1, max_length=30)
    title: Name = Field(min_length=1)
    budget_fen: Fen


class ProjectCallIn(Schema):
    line_id: Id
    year: Year
    name: Name = Field(min_length=1)
    deadline: Date
    topics: list[ProjectTopicIn] = Field(min_length=1, max_length=200)
    co_funding_percent: int = Field(default=0, ge=0, le=1000)
    max_per_pi: int = Field(default=1, ge=1, le=20)
    max_per_unit: int = Field(default=5, ge=1, le=1000)
    eligible_kinds: list[Code] = Field(default=[], max_length=20)
    required_documents: list[Code] = Field(default=[], max_length=20)


@router.post("/calls", response={201: ProjectCallOut})
def open_call(request, payload: ProjectCallIn):
    line = ProgrammeLine.objects.filter(pk=payload.line_id).first()
    if line is None:
        raise Http404
    call = services.do_open_call(
        acting_user=request.auth,
        line=line,
        year=payload.year,
        name=payload.name,
        deadline=payload.deadline,
        topics=[t.dict() for t in payload.topics],
        co_funding_percent=payload.co_funding_percent,
        max_per_pi=payload.max_per_pi,
        max_per_unit=payload.max_per_unit,
        eligible_kinds=payload.eligible_kinds,
        required_documents=payload.required_documents,
    )
    return Status(201, _call_out(call))


@router.get("/calls/{call_id}", response=ProjectCallOut)
def get_call(request, call_id: Id):
    return _call_out(access_call_by_id(request.auth, call_id))


# ---- applications -----------------------------------------------------------------------------------------------


class ProjectApplicationOut(Schema):
    id: int
    call: str
    call_id: int
    topic_id: int
    title: str
    unit: str
    pi_name: str
    project_type: str
    status: str
    fiscal_fen: int
    self_fen: int
    budget: dict[str, int]
    targets: list[str]
    pledge_signed: bool
    endorsed: bool
    formal_reasons: list[dict]
    review_score: str | None
    priority_points: int
    priority_trace: list[dict]
    rank: int | None
    funded_fen: int | None
    contract_id: int | None


def _out(app) -> dict:
    contract = getattr(app, "contract", None)
    return {
        "id": app.pk,
        "call": app.call.name,
        "call_id": app.call_id,
        "topic_id": app.topic_id,
        "title": app.title,
        "unit": app.unit.name,
        "pi_name": app.pi_name,
        "project_type": app.project_type,
        "status": app.status,
        "fiscal_fen": app.fiscal_fen,
        "self_fen": app.self_fen,
        "budget": dict(app.budget_lines.values_list("category", "amount_fen")),
        "targets": [str(t) for t in app.targets],
        "pledge_signed": app.pledge_signed_at is not None,
        "endorsed": app.endorsed_at is not None,
        "formal_reasons": app.formal_reasons,
        "review_score": None if app.review_score is None else str(app.review_score),
        "priority_points": app.priority_points,
        "priority_trace": app.priority_trace,
        "rank": app.rank,
        "funded_fen": app.funded_fen,
        "contract_id": contract.pk if contract is not None else None,
    }


@router.get("/applications", response=list[ProjectApplicationOut])
def list_applications(request, page: int = 1, call_id: int | None = None):
    page = max(1, min(page, 10_000))
    call = access_call_by_id(request.auth, call_id) if call_id is not None else None
    qs = visible_applications(request.auth, call).order_by("-created_at")[(page - 1) * 50 : page * 50]
    return [_out(a) for a in qs]


class ProjectMemberIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    role: str = Field(default="", max_length=50)
    id_digits: str = Field(default="", max_length=18)


class ProjectApplicationIn(Schema):
    topic_id: Id
    recommender_id: Id
    title: Name = Field(min_length=1)
    summary: Text = Field(min_length=1)
    pi_name: str = Field(min_length=1, max_length=100)
    pi_id_digits: str = Field(default="", max_length=18)
    team: list[ProjectMemberIn] = Field(default=[], max_length=50)
    targets: list[Line] = Field(default=[], max_length=100)
    budget: dict[Code, Fen] = Field(max_length=20)
    self_fen: Fen = 0
    project_type: Code = "research"


@router.post("/calls/{call_id}/applications", response={201: ProjectApplicationOut})
def create_application(request, call_id: Id, payload: ProjectApplicationIn):
    """A draft of the acting user's unit; the fiscal funds asked for are the sum of the budget lines."""
    from kechuang.registry.models import Organisation, OrganisationKind

    call = access_call_by_id(request.auth, call_id)
    topic = call.topics.filter(pk=payload.topic_id).first()
    recommender = Organisation.objects.filter(
        pk=payload.recommender_id, kind=OrganisationKind.GOVERNMENT, is_active=True
    ).first()
    if topic is None or recommender is None:
        raise Http404
    app = services.do_create_application(
        call,
        acting_user=request.auth,
        topic=topic,
        recommender=recommender,
        title=payload.title,
        summary=payload.summary,
        pi_name=payload.pi_name,
        pi_id_digits=payload.pi_id_digits,
        team=[m.dict() for m in payload.team],
        targets=payload.targets,
        budget=dict(payload.budget),
        fiscal_fen=sum(payload.budget.values()),
        self_fen=payload.self_fen,
        project_type=payload.project_type,
    )
    return Status(201, _out(app))


@router.get("/applications/{application_id}", response=ProjectApplicationOut)
def get_application(request, application_id: Id):
    return _out(access_application_by_id(request.auth, application_id))


@router.post("/applications/{application_id}/pledge", response=ProjectApplicationOut)
def sign_pledge(request, application_id: Id):
    app = access_application_by_id(request.auth, application_id)
    return _out(services.do_sign_pledge(app, acting_user=request.auth))


@router.post("/applications/{application_id}/submit", response=ProjectApplicationOut)
def submit(request, application_id: Id):
    app = access_application_by_id(request.auth, application_id)
    return _out(services.do_submit(app, acting_user=request.auth))


class ProjectNoteIn(Schema):
    note: Line = ""


@router.post("/applications/{application_id}/endorse", response=ProjectApplicationOut)
def endorse(request, application_id: Id, payload: ProjectNoteIn):
    app = access_application_by_id(request.auth, application_id)
    return _out(services.do_endorse(app, acting_user=request.auth, note=payload.note))


class ProjectAttachmentOut(Schema):
    id: int
    kind: str
    name: str
    uploaded_at: dt.datetime


def _attachment_out(a) -> dict:
    return {"id": a.pk, "kind": a.kind, "name": a.name, "uploaded_at": a.uploaded_at}


@router.get("/applications/{application_id}/attachments", response=list[ProjectAttachmentOut])
def list_attachments(request, application_id: Id):
    """The documents attached (download: /projects/attachments/{id}/, for those who may see the application)."""
    app = access_application_by_id(request.auth, application_id)
    return [_attachment_out(a) for a in app.attachments.order_by("kind")]


@router.post("/applications/{application_id}/attachments", response={201: ProjectAttachmentOut})
def attach(request, application_id: Id, kind: Form[Code], file: File[UploadedFile]):
    """Attach (or replace) the document of one kind while the application is a draft."""
    app = access_application_by_id(request.auth, application_id)
    return Status(
        201, _attachment_out(services.do_attach(app, acting_user=request.auth, kind=kind, upload=file))
    )


# ---- formal check -----------------------------------------------------------------------------------------------


class ProjectFormalOut(Schema):
    application_id: int
    status: str
    passed: bool | None
    reasons: list[dict]


def _formal_out(app) -> dict:
    checked = app.status not in (
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.ENDORSED,
    )
    return {
        "application_id": app.pk,
        "status": app.status,
        "passed": (app.status != ApplicationStatus.FORMAL_FAILED) if checked else None,
        "reasons": app.formal_reasons,
    }


@router.get("/applications/{application_id}/formal-check", response=ProjectFormalOut)
def formal_check_result(request, application_id: Id):
    """The formal check's reasons (limits, eligibility, blacklist with its source, missing documents, 查重 hits
    with the similar passages side by side)."""
    return _formal_out(access_application_by_id(request.auth, application_id))


@router.post("/applications/{application_id}/formal-check", response=ProjectApplicationOut)
def formal_check(request, application_id: Id):
    app = access_application_by_id(request.auth, application_id)
    return _out(services.do_formal_check(app, acting_user=request.auth))


class ProjectJobOut(Schema):
    job_id: int


@router.post("/calls/{call_id}/formal-check", response={202: ProjectJobOut})
def formal_check_call(request, call_id: Id):
    """The whole call's formal check and 查重 as a background job (progress on /api/jobs)."""
    from kechuang.jobs.queue import enqueue

    call = access_call_by_id(request.auth, call_id, manage=True)
    job = enqueue(
        "projects.formal_check",
        params={"call_id": call.pk, "user_id": request.auth.pk, "language": request.LANGUAGE_CODE},
        label=f"formal check {call.pk}",
        acting_user=request.auth,
    )
    return Status(202, {"job_id": job.pk})


# ---- review, ranking, decision, notice, funding -----------------------------------------------------------------


class ProjectCountOut(Schema):
    count: int


@router.post("/calls/{call_id}/review", response=ProjectCountOut)
def send_to_review(request, call_id: Id):
    call = access_call_by_id(request.auth, call_id, manage=True)
    return {"count": services.do_send_to_review(call, acting_user=request.auth)}


@router.post("/calls/{call_id}/rank", response=list[ProjectApplicationOut])
def rank(request, call_id: Id):
    call = access_call_by_id(request.auth, call_id, manage=True)
    return [_out(a) for a in services.do_rank(call, acting_user=request.auth)]


class ProjectFundedIn(Schema):
    application_id: Id
    amount_fen: Fen


class ProjectDecisionIn(Schema):
    decision_no: str = Field(min_length=1, max_length=100)
    notice_days: int | None = Field(default=None, ge=1, le=30)
    funded: list[ProjectFundedIn] | None = Field(default=None, max_length=5000)


@router.post("/calls/{call_id}/decision", response=ProjectCallOut)
def decide(request, call_id: Id, payload: ProjectDecisionIn):
    """The department meeting's decision and the start of the public notice (working days)."""
    call = access_call_by_id(request.auth, call_id, manage=True)
    funded = None if payload.funded is None else {f.application_id: f.amount_fen for f in payload.funded}
    call = services.do_decide(
        call,
        acting_user=request.auth,
        decision_no=payload.decision_no,
        funded=funded,
        notice_days=payload.notice_days,
    )
    return _call_out(call)


class ProjectObjectionOut(Schema):
    id: int
    application_id: int
    text: str
    status: str
    answer: str
    created_at: dt.datetime


def _objection_out(o) -> dict:
    return {
        "id": o.pk,
        "application_id": o.application_id,
        "text": o.text,
        "status": o.status,
        "answer": o.answer,
        "created_at": o.created_at,
    }


@router.get("/calls/{call_id}/objections", response=list[ProjectObjectionOut])
def list_objections(request, call_id: Id):
    call = access_call_by_id(request.auth, call_id, manage=True)
    return [_objection_out(o) for o in NoticeObjection.objects.filter(application__call=call).order_by("id")]


class ProjectAnswerIn(Schema):
    upheld: bool
    answer: Line = Field(min_length=1)


@router.post("/objections/{objection_id}/answer", response=ProjectObjectionOut)
def answer_objection(request, objection_id: Id, payload: ProjectAnswerIn):
    objection = (
        NoticeObjection.objects.filter(pk=objection_id).select_related("application__call__line").first()
    )
    if objection is None or not can_manage_call(request.auth, objection.application.call):
        raise Http404
    objection = services.do_answer_objection(
        objection, acting_user=request.auth, upheld=payload.upheld, answer=payload.answer
    )
    return _objection_out(objection)


@router.post("/calls/{call_id}/confirm", response=ProjectCallOut)
def confirm_funding(request, call_id: Id):
    call = access_call_by_id(request.auth, call_id, manage=True)
    return _call_out(services.do_confirm_funding(call, acting_user=request.auth))


class ProjectFundIn(Schema):
    fund_id: Id


@router.post("/calls/{call_id}/fund", response=ProjectCallOut)
def link_fund(request, call_id: Id, payload: ProjectFundIn):
    from kechuang.policy.models import Fund

    call = access_call_by_id(request.auth, call_id, manage=True)
    fund = Fund.objects.filter(pk=payload.fund_id).select_related("programme").first()
    if fund is None:
        raise Http404
    return _call_out(services.do_link_fund(call, fund, acting_user=request.auth))


class ProjectRoundOut(Schema):
    id: int
    name: str
    status: str
    budget_fen: int


@router.post("/calls/{call_id}/payments", response={201: list[ProjectRoundOut]})
def request_payments(request, call_id: Id):
    """Every due milestone of the call's contracts into payout rounds of the call's fund (the policy workflow
    then runs its 联合会审, 公示, 会签, approval and payment)."""
    call = access_call_by_id(request.auth, call_id, manage=True)
    rounds = services.do_request_payments(call, acting_user=request.auth)
    return Status(
        201, [{"id": r.pk, "name": r.name, "status": r.status, "budget_fen": r.budget_fen} for r in rounds]
    )


# ---- the public notice (no login) -------------------------------------------------------------------------------


class ProjectNoticeRowOut(Schema):
    application_id: int
    title: str
    unit: str
    topic: str
    funded_fen: int | None
    status: str


class ProjectNoticeOut(Schema):
    call: str
    decision_no: str
    notice_starts: dt.date | None
    notice_ends: dt.date | None
    open: bool
    rows: list[ProjectNoticeRowOut]


def _public_call(call_id: int) -> ProjectCall:
    call = ProjectCall.objects.filter(pk=call_id, status__in=(CallStatus.NOTICE, CallStatus.DECIDED)).first()
    if call is None:
        raise Http404
    return call


def _listed(call):
    return call.applications.filter(
        status__in=(ApplicationStatus.PROPOSED, ApplicationStatus.FUNDED, ApplicationStatus.FINISHED)
    ).select_related("unit", "topic")


@router.get("/notices/{call_id}", response=ProjectNoticeOut, auth=None)
def public_notice(request, call_id: Id):
    call = _public_call(call_id)
    return {
        "call": call.name,
        "decision_no": call.decision_no,
        "notice_starts": call.notice_starts,
        "notice_ends": call.notice_ends,
        "open": services.notice_open(call, timezone.localdate()),
        "rows": [
            {
                "application_id": a.pk,
                "title": a.title,
                "unit": a.unit.name,
                "topic": a.topic.title,
                "funded_fen": a.funded_fen,
                "status": a.status,
            }
            for a in _listed(call).order_by("rank", "pk")
        ],
    }


class ProjectObjectionIn(Schema):
    application_id: Id
    name: str = Field(min_length=1, max_length=100)
    contact: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=5000)


class ProjectObjectionReceivedOut(Schema):
    id: int
    status: str


@router.post("/notices/{call_id}/objections", response={201: ProjectObjectionReceivedOut}, auth=None)
def object_to(request, call_id: Id, payload: ProjectObjectionIn):
    """Anyone may object during the notice, signed with a name and a contact (as on the public page)."""
    app = _listed(_public_call(call_id)).filter(pk=payload.application_id).first()
    if app is None:
        raise Http404
    user = request.user if request.user.is_authenticated else None
    objection = services.do_object(
        app, name=payload.name, contact=payload.contact, text=payload.text, acting_user=user
    )
    return Status(201, {"id": objection.pk, "status": objection.status})


# The contract stages register their operations on this same router.
from kechuang.projects import api_contracts  # noqa: E402, F401
