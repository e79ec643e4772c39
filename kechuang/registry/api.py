from datetime import date
from typing import Annotated

from annotated_types import MaxLen
from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kechuang.bounds import BoundedPages, Code, Date, Fen, Id, Line, Name, Search, Year
from kechuang.permissions import Cap, access_organisation_by_id, require_cap
from kechuang.permissions.registry import access_change_request_by_id, visible_change_requests
from kechuang.registry.queries import OrganisationFilter, filtered_organisations
from kechuang.registry.services import (
    current_indicator_series,
    do_decide_organisation_change,
    do_record_indicator,
    do_request_organisation_change,
    do_update_organisation,
)
from kechuang.spreadsheets import check_upload_size

router = Router(tags=["registry"])


class OrganisationOut(Schema):
    id: int
    credit_code: str
    name: str
    name_en: str
    kind: str
    region_id: str
    city_id: str
    industry_id: str | None
    size: str
    registered_capital_fen: int | None
    established_on: date | None


class OrganisationFilterIn(Schema):
    q: Search = ""
    city: Code = ""
    kind: Code = ""
    industry_section: Code = ""
    size: Code = ""
    certification: Code = ""
    sort: Code = "name"


class OrganisationPatch(Schema):
    """Identity fields (credit_code, name, kind, region, size, is_active, bank_name, bank_account) change here only
    for an official covering the organisation; its own users get 403 review_required and file a change request.
    Only the fields sent change; null is refused except where a field may be empty (industry, capital)."""

    credit_code: Annotated[str, MaxLen(30)] = None  # type: ignore[assignment]
    name: Name = None  # type: ignore[assignment]
    name_en: Name = None  # type: ignore[assignment]
    kind: Annotated[str, MaxLen(20)] = None  # type: ignore[assignment]
    region: Annotated[str, MaxLen(6)] = None  # type: ignore[assignment]
    industry: Annotated[str, MaxLen(5)] | None = None
    size: Annotated[str, MaxLen(5)] = None  # type: ignore[assignment]
    is_active: bool = None  # type: ignore[assignment]
    registered_capital_fen: Fen | None = None
    address: Line = None  # type: ignore[assignment]
    contact_name: Annotated[str, MaxLen(50)] = None  # type: ignore[assignment]
    contact_phone: Annotated[str, MaxLen(30)] = None  # type: ignore[assignment]
    bank_name: Annotated[str, MaxLen(100)] = None  # type: ignore[assignment]
    bank_account: Annotated[str, MaxLen(40)] = None  # type: ignore[assignment]


class ChangeRequestIn(Schema):
    credit_code: str | None = Field(None, max_length=30)
    name: str | None = Field(None, max_length=200)
    kind: str | None = Field(None, max_length=20)
    region: str | None = Field(None, max_length=6)
    size: str | None = Field(None, max_length=5)
    is_active: bool | None = None
    bank_name: str | None = Field(None, max_length=100)
    bank_account: str | None = Field(None, max_length=40)
    explanation: str = Field("", max_length=2000)


class ChangeRequestOut(Schema):
    id: int
    organisation_id: int
    status: str
    changes: dict
    explanation: str
    decision_note: str


class ChangeDecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=2000)


class IndicatorIn(Schema):
    indicator: str = Field(max_length=40)
    year: Year
    value: Fen
    source: str | None = Field(
        None,
        max_length=20,
        description="Optional check: the source is decided by the caller's department (tax, statistics, market, "
        "financial, verified, self); naming another one is refused with 403 source_not_allowed.",
    )
    reference: str = Field("", max_length=200, description="Free text: report, file or document number")


class IndicatorSeriesOut(Schema):
    organisation_id: int
    series: dict[str, dict[int, int]]
    sources: dict[str, dict[int, str]]


class RegistryStatsOut(Schema):
    on: date
    total: int
    hightech: int
    by_kind: list[dict]
    by_city: list[dict]


class JobRef(Schema):
    job_id: int
    status_url: str


@router.get(
    "/organisations", response=list[OrganisationOut], summary="Organisations the caller may see, filtered"
)
@paginate(BoundedPages, page_size=50)
def list_organisations(request, filters: Query[OrganisationFilterIn]):
    return filtered_organisations(request.auth, OrganisationFilter(**filters.dict()))


@router.get(
    "/statistics",
    response=RegistryStatsOut,
    summary="Organisations by kind and city; high-tech = holding a certificate valid on `on` (default today)",
)
def registry_statistics(request, on: Date | None = None):
    from kechuang.permissions import visible_organisations
    from kechuang.registry.stats import registry_overview

    require_cap(request.auth, Cap.ORG_VIEW_ALL)
    return registry_overview(visible_organisations(request.auth), on=on)


@router.get("/organisations/{org_id}", response=OrganisationOut)
def get_organisation(request, org_id: Id):
    return access_organisation_by_id(request.auth, org_id)


@router.patch("/organisations/{org_id}", response=OrganisationOut)
def patch_organisation(request, org_id: Id, payload: OrganisationPatch):
    org = access_organisation_by_id(request.auth, org_id, for_edit=True)
    return do_update_organisation(org, acting_user=request.auth, **payload.dict(exclude_unset=True))


@router.post("/organisations/{org_id}/change-requests", response={201: ChangeRequestOut})
def post_change_request(request, org_id: Id, payload: ChangeRequestIn):
    """An organisation asks to change its identity fields; an official covering it decides."""
    org = access_organisation_by_id(request.auth, org_id)
    fields = payload.dict(exclude_unset=True)
    explanation = fields.pop("explanation", "")
    change_request = do_request_organisation_change(
        org, acting_user=request.auth, explanation=explanation, **fields
    )
    return Status(201, change_request)


@router.get("/change-requests", response=list[ChangeRequestOut], summary="Pending identity change requests")
@paginate(BoundedPages, page_size=50)
def list_change_requests(request):
    return visible_change_requests(request.auth).filter(status="pending").order_by("requested_at", "id")


@router.post("/change-requests/{request_id}/decision", response=ChangeRequestOut)
def decide_change_request(request, request_id: Id, payload: ChangeDecisionIn):
    change_request = access_change_request_by_id(request.auth, request_id)
    return do_decide_organisation_change(
        change_request, approve=payload.approve, note=payload.note, acting_user=request.auth
    )


@router.get("/organisations/{org_id}/indicators", response=IndicatorSeriesOut)
def get_indicators(request, org_id: Id):
    org = access_organisation_by_id(request.auth, org_id)
    return _series_out(org)


def _series_out(org) -> dict:
    sources: dict = {}
    series = current_indicator_series(org, sources)
    return {"organisation_id": org.pk, "series": series, "sources": sources}


@router.post("/organisations/{org_id}/indicators", response={200: IndicatorSeriesOut})
def post_indicator(request, org_id: Id, payload: IndicatorIn):
    """Record a yearly figure. Its source is the caller's: a bureau's own account delivers the bureau's source,
    another official's figure is "verified", an organisation's own users self-declare."""
    org = access_organisation_by_id(request.auth, org_id)
    do_record_indicator(
        org,
        payload.indicator,
        payload.year,
        payload.value,
        source=payload.source,
        reference=payload.reference,
        acting_user=request.auth,
    )
    return _series_out(org)


@router.post(
    "/imports", response={202: JobRef}, summary="Upload an .xlsx/.csv of organisations or indicators"
)
def post_import(request, kind: Form[Code], file: File[UploadedFile], valid_rows_only: Form[bool] = False):
    from django.urls import reverse

    from kechuang.registry.tasks import enqueue_import

    require_cap(request.auth, Cap.REGISTRY_IMPORT)
    check_upload_size(file.size)
    job = enqueue_import(file, kind, valid_rows_only, request.auth)
    return Status(202, {"job_id": job.pk, "status_url": reverse("api:get_job", args=[job.pk])})


@router.get("/organisations.xlsx", summary="Export the filtered list to Excel")
def export_organisations(request, filters: Query[OrganisationFilterIn]):
    from kechuang.registry.exports import organisation_export
    from kechuang.spreadsheets import xlsx_response

    require_cap(request.auth, Cap.REGISTRY_EXPORT)
    content = organisation_export(filtered_organisations(request.auth, OrganisationFilter(**filters.dict())))
    response: HttpResponse = xlsx_response(content, "organisations.xlsx")
    return response
