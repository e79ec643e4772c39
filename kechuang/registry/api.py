from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from kechuang.permissions import Cap, access_organisation_by_id, has_cap
from kechuang.registry.queries import OrganisationFilter, filtered_organisations
from kechuang.registry.services import current_indicator_series, do_record_indicator, do_update_organisation
from kechuang.registry.spreadsheets import check_upload_size

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
    q: str = ""
    city: str = ""
    kind: str = ""
    industry_section: str = ""
    size: str = ""
    certification: str = ""
    sort: str = "name"


class OrganisationPatch(Schema):
    name: str | None = None
    name_en: str | None = None
    region: str | None = None
    industry: str | None = None
    size: str | None = None
    registered_capital_fen: int | None = None
    address: str | None = None


class IndicatorIn(Schema):
    indicator: str
    year: int
    value: int
    source: str = "api"


class IndicatorSeriesOut(Schema):
    organisation_id: int
    series: dict[str, dict[int, int]]


class JobRef(Schema):
    job_id: int
    status_url: str


@router.get(
    "/organisations", response=list[OrganisationOut], summary="Organisations the caller may see, filtered"
)
@paginate(PageNumberPagination, page_size=50)
def list_organisations(request, filters: Query[OrganisationFilterIn]):
    return filtered_organisations(request.auth, OrganisationFilter(**filters.dict()))


@router.get("/organisations/{org_id}", response=OrganisationOut)
def get_organisation(request, org_id: int):
    return access_organisation_by_id(request.auth, org_id)


@router.patch("/organisations/{org_id}", response=OrganisationOut)
def patch_organisation(request, org_id: int, payload: OrganisationPatch):
    org = access_organisation_by_id(request.auth, org_id, for_edit=True)
    return do_update_organisation(org, acting_user=request.auth, **payload.dict(exclude_unset=True))


@router.get("/organisations/{org_id}/indicators", response=IndicatorSeriesOut)
def get_indicators(request, org_id: int):
    org = access_organisation_by_id(request.auth, org_id)
    return {"organisation_id": org.pk, "series": current_indicator_series(org)}


@router.post("/organisations/{org_id}/indicators", response={200: IndicatorSeriesOut})
def post_indicator(request, org_id: int, payload: IndicatorIn):
    org = access_organisation_by_id(request.auth, org_id)
    do_record_indicator(
        org, payload.indicator, payload.year, payload.value, source=payload.source, acting_user=request.auth
    )
    return {"organisation_id": org.pk, "series": current_indicator_series(org)}


@router.post(
    "/imports", response={202: JobRef}, summary="Upload an .xlsx/.csv of organisations or indicators"
)
def post_import(request, kind: Form[str], file: File[UploadedFile], valid_rows_only: Form[bool] = False):
    from django.urls import reverse

    from kechuang.registry.views import enqueue_import

    if not has_cap(request.auth, Cap.REGISTRY_IMPORT):
        raise PermissionDenied(Cap.REGISTRY_IMPORT)
    check_upload_size(file.size)
    job = enqueue_import(file, kind, valid_rows_only, request.auth)
    return Status(202, {"job_id": job.pk, "status_url": reverse("api:get_job", args=[job.pk])})


@router.get("/organisations.xlsx", summary="Export the filtered list to Excel")
def export_organisations(request, filters: Query[OrganisationFilterIn]):
    from kechuang.registry.exports import organisation_export
    from kechuang.registry.views import xlsx_response

    if not has_cap(request.auth, Cap.REGISTRY_EXPORT):
        raise PermissionDenied(Cap.REGISTRY_EXPORT)
    content = organisation_export(filtered_organisations(request.auth, OrganisationFilter(**filters.dict())))
    response: HttpResponse = xlsx_response(content, "organisations.xlsx")
    return response
