"""JSON API of platforms and institutions: platform records, recognition applications from the organisation's
application to the recognition number, institutions with their yearly reports and graded evaluations (every point
explained), and the evaluation desk (score, notice, final grades whose post-funding goes to the payout workflow).
The same services and permission rules as the pages."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Router, Schema, Status

from kechuang.bounds import Code, Id, Line, Year
from kechuang.permissions.platforms import (
    PlatformCap,
    access_application_by_id,
    access_institution_by_id,
    can_manage,
    can_open_platforms,
    visible_applications,
    visible_institutions,
)
from kechuang.platforms import services
from kechuang.platforms.models import Evaluation, Platform
from kechuang.registry.models import Organisation

router = Router(tags=["platforms"])
PAGE = 50


def _page(page: int) -> slice:
    page = max(1, min(page, 10_000))
    return slice((page - 1) * PAGE, page * PAGE)


class PlatformsPlatformOut(Schema):
    id: int
    name: str
    kind: str
    level: str
    host_id: int | None
    host_name: str
    approved_year: int
    approved_on: dt.date | None
    approved_on_known: bool
    approval_document: str
    is_active: bool


@router.get("/records", response=list[PlatformsPlatformOut])
def list_platforms(request, kind: Code = "", level: Code = "", page: int = 1):
    """Platform records, imported from the ministries' published lists: everyone who may open the platforms pages
    reads them, as on the page."""
    if not can_open_platforms(request.auth):
        raise PermissionDenied(PlatformCap.VIEW)
    qs = Platform.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    return list(
        qs.values(
            "id",
            "name",
            "kind",
            "level",
            "host_id",
            "host_name",
            "approved_year",
            "approved_on",
            "approved_on_known",
            "approval_document",
            "is_active",
        )[_page(page)]
    )


class PlatformsApplicationOut(Schema):
    id: int
    kind: str
    organisation_id: int
    organisation: str
    year: int
    status: str
    figures: dict
    criteria: list[dict]
    rules_version: str
    city_note: str
    formal_note: str
    site_visit_note: str
    decision_note: str
    notice_start: dt.date | None
    notice_end: dt.date | None
    review_submission_id: int | None
    institution_id: int | None


def _app_out(app) -> dict:
    institution = getattr(app, "institution", None)
    return {
        "id": app.pk,
        "kind": app.kind,
        "organisation_id": app.organisation_id,
        "organisation": app.organisation.name,
        "year": app.year,
        "status": app.status,
        "figures": app.figures,
        "criteria": app.criteria,
        "rules_version": app.rules_version,
        "city_note": app.city_note,
        "formal_note": app.formal_note,
        "site_visit_note": app.site_visit_note,
        "decision_note": app.decision_note,
        "notice_start": app.notice_start,
        "notice_end": app.notice_end,
        "review_submission_id": app.review_submission_id,
        "institution_id": institution.pk if institution else None,
    }


@router.get("/applications", response=list[PlatformsApplicationOut])
def list_applications(request, status: Code = "", page: int = 1):
    if not can_open_platforms(request.auth):
        raise PermissionDenied(PlatformCap.VIEW)
    qs = visible_applications(request.auth).select_related("organisation", "institution")
    if status:
        qs = qs.filter(status=status)
    return [_app_out(a) for a in qs[_page(page)]]


@router.get("/applications/{application_id}", response=PlatformsApplicationOut)
def get_application(request, application_id: Id):
    return _app_out(access_application_by_id(request.auth, application_id))


class PlatformsFiguresIn(Schema):
    revenue_fen: int | None = Field(None, ge=0, le=10**15)
    rd_spending_fen: int | None = Field(None, ge=0, le=10**15)
    staff: int | None = Field(None, ge=0, le=10**9)
    rd_staff: int | None = Field(None, ge=0, le=10**9)
    premises_m2: int | None = Field(None, ge=0, le=10**9)
    contract_turnover_fen: int | None = Field(None, ge=0, le=10**15)
    brokers: int | None = Field(None, ge=0, le=10**9)


class PlatformsApplyIn(Schema):
    kind: Code
    figures: PlatformsFiguresIn


@router.post("/applications", response={201: PlatformsApplicationOut})
def apply(request, payload: PlatformsApplyIn):
    """The acting administrator's organisation applies; refused with every unmet criterion named."""
    figures = {k: v for k, v in payload.figures.dict().items() if v is not None}
    app = services.do_apply_institution(acting_user=request.auth, kind=payload.kind, figures=figures)
    return Status(201, _app_out(app))


class PlatformsVerdictIn(Schema):
    passed: bool
    note: Line = ""


@router.post("/applications/{application_id}/recommend", response=PlatformsApplicationOut)
def recommend(request, application_id: Id, payload: PlatformsVerdictIn):
    app = access_application_by_id(request.auth, application_id)
    app = services.do_recommend(app, acting_user=request.auth, recommended=payload.passed, note=payload.note)
    return _app_out(app)


@router.post("/applications/{application_id}/formal-check", response=PlatformsApplicationOut)
def formal_check(request, application_id: Id, payload: PlatformsVerdictIn):
    app = access_application_by_id(request.auth, application_id)
    return _app_out(
        services.do_formal_check(app, acting_user=request.auth, passed=payload.passed, note=payload.note)
    )


class PlatformsDecideIn(PlatformsVerdictIn):
    site_visit_note: Line = ""


@router.post("/applications/{application_id}/decide", response=PlatformsApplicationOut)
def decide(request, application_id: Id, payload: PlatformsDecideIn):
    app = access_application_by_id(request.auth, application_id)
    app = services.do_decide(
        app,
        acting_user=request.auth,
        approved=payload.passed,
        note=payload.note,
        site_visit_note=payload.site_visit_note,
    )
    return _app_out(app)


class PlatformsCountOut(Schema):
    count: int


@router.post("/notice", response=PlatformsCountOut)
def start_notice(request):
    """Publish every approved application (公示)."""
    return {"count": services.do_start_notice(acting_user=request.auth)}


class PlatformsInstitutionOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    kind: str
    category: str
    number: str
    recognised_on: dt.date
    is_active: bool


def _inst_out(i) -> dict:
    return {
        "id": i.pk,
        "organisation_id": i.organisation_id,
        "organisation": i.organisation.name,
        "kind": i.kind,
        "category": i.category,
        "number": i.number,
        "recognised_on": i.recognised_on,
        "is_active": i.is_active,
    }


@router.post("/applications/{application_id}/recognise", response={201: PlatformsInstitutionOut})
def recognise(request, application_id: Id):
    app = access_application_by_id(request.auth, application_id)
    return Status(201, _inst_out(services.do_recognise(app, acting_user=request.auth)))


class PlatformsEvaluationOut(Schema):
    institution_id: int
    year: int
    category: str
    rules_version: str
    figures: dict
    expert_score: int | None
    total: str
    grade: str
    explanation: list
    post_funding_fen: int
    state: str
    notice_end: dt.date | None


def _eval_out(e: Evaluation) -> dict:
    return {
        "institution_id": e.institution_id,
        "year": e.year,
        "category": e.category,
        "rules_version": e.rules_version,
        "figures": e.figures,
        "expert_score": e.expert_score,
        "total": e.total_text,
        "grade": e.grade,
        "explanation": e.explanation,
        "post_funding_fen": e.post_funding_fen,
        "state": e.state,
        "notice_end": e.notice_end,
    }


class PlatformsInstitutionDetailOut(PlatformsInstitutionOut):
    reports: list[dict]
    evaluations: list[PlatformsEvaluationOut]


def _inst_detail(i) -> dict:
    return {
        **_inst_out(i),
        "reports": list(i.reports.order_by("-year").values("year", "figures")),
        "evaluations": [_eval_out(e) for e in i.evaluations.all()],
    }


@router.get("/institutions", response=list[PlatformsInstitutionOut])
def list_institutions(request, page: int = 1):
    if not can_open_platforms(request.auth):
        raise PermissionDenied(PlatformCap.VIEW)
    return [
        _inst_out(i) for i in visible_institutions(request.auth).select_related("organisation")[_page(page)]
    ]


@router.get("/institutions/{institution_id}", response=PlatformsInstitutionDetailOut)
def get_institution(request, institution_id: Id):
    return _inst_detail(access_institution_by_id(request.auth, institution_id))


class PlatformsInstituteIn(Schema):
    organisation_id: Id
    category: Code


@router.post("/institutes", response={201: PlatformsInstitutionOut})
def register_institute(request, payload: PlatformsInstituteIn):
    """Enter a research institute into the classified evaluation with its category."""
    if not can_manage(request.auth):
        raise PermissionDenied(PlatformCap.MANAGE)
    organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
    if organisation is None:
        raise Http404
    institution = services.do_register_institute(
        organisation, acting_user=request.auth, category=payload.category
    )
    return Status(201, _inst_out(institution))


class PlatformsReportIn(Schema):
    year: Year
    figures: dict[Code, int] = Field(max_length=100)


@router.post("/institutions/{institution_id}/reports", response=PlatformsInstitutionDetailOut)
def report_indicators(request, institution_id: Id, payload: PlatformsReportIn):
    """The institution's yearly indicator report (its category's self-assessment indicators)."""
    institution = access_institution_by_id(request.auth, institution_id)
    services.do_report_indicators(
        institution, acting_user=request.auth, year=payload.year, figures=payload.figures
    )
    return _inst_detail(institution)


@router.get("/evaluations", response=list[PlatformsEvaluationOut])
def list_evaluations(request, year: Year, page: int = 1):
    if not can_manage(request.auth):
        raise PermissionDenied(PlatformCap.MANAGE)
    return [_eval_out(e) for e in Evaluation.objects.filter(year=year)[_page(page)]]


class PlatformsYearIn(Schema):
    year: Year


@router.post("/evaluations/expert-review", response=PlatformsCountOut)
def open_expert_review(request, payload: PlatformsYearIn):
    """Send the year's institutions to the expert review on the review engine (experts assigned with their
    conflicts, scored by the rubric); the evaluation takes the mean of their scores."""
    return {"count": services.do_open_expert_review(payload.year, acting_user=request.auth)}


@router.post("/evaluations/run", response=dict)
def run_evaluation(request, payload: PlatformsYearIn):
    """Score every active institution for the year (final evaluations untouched)."""
    return services.do_evaluate(payload.year, acting_user=request.auth)


@router.post("/evaluations/notice", response=PlatformsCountOut)
def evaluation_notice(request, payload: PlatformsYearIn):
    return {"count": services.do_start_evaluation_notice(payload.year, acting_user=request.auth)}


@router.post("/evaluations/finalise", response=dict)
def finalise_evaluations(request, payload: PlatformsYearIn):
    """Grades become final; each organisation's post-funding is handed to the payout workflow."""
    return services.do_finalise_evaluations(payload.year, acting_user=request.auth)
