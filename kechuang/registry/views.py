from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang import bounds
from kechuang.audit.models import AuditEntry
from kechuang.errors import DomainError
from kechuang.money import wan
from kechuang.permissions import (
    Cap,
    access_organisation_by_id,
    can_edit_organisation,
    has_cap,
    require,
    require_cap,
)
from kechuang.permissions.registry import (
    access_change_request_by_id,
    can_change_identity,
    can_record_indicator,
    can_review_change_request,
    indicator_source_for,
    visible_change_requests,
)
from kechuang.registry.exports import organisation_export
from kechuang.registry.forms import (
    KIND_CHOICES,
    SIZE_CHOICES,
    ChangeDecisionForm,
    ImportForm,
    IndicatorForm,
    OrganisationCreateForm,
    OrganisationForm,
    OrganisationOwnerForm,
)
from kechuang.registry.importing import template_workbook
from kechuang.registry.models import (
    IDENTITY_FIELDS,
    CertificationKind,
    Indicator,
    IndicatorSource,
    Industry,
    Organisation,
    OrganisationChangeRequest,
    Region,
)
from kechuang.registry.queries import OrganisationFilter, filtered_organisations
from kechuang.registry.services import (
    current_indicator_series,
    do_create_organisation,
    do_decide_organisation_change,
    do_record_indicator,
    do_submit_organisation_edit,
)
from kechuang.registry.tasks import enqueue_import
from kechuang.spreadsheets import check_upload_size, xlsx_response

PAGE_SIZES = (25, 50, 100)


@login_required
def organisation_list(request):
    flt = OrganisationFilter.from_params(request.GET)
    per_page = bounds.parse_int(
        request.GET.get("per_page"), low=1, high=max(PAGE_SIZES), default=PAGE_SIZES[0]
    )
    per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZES[0]
    page = Paginator(filtered_organisations(request.user, flt), per_page).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": list_rows(page.object_list),
        "flt": flt,
        "query_string": urlencode({**flt.as_params(), "per_page": per_page}),
        "cities": Region.objects.filter(level=Region.Level.CITY),
        "sections": Industry.objects.filter(level=Industry.Level.SECTION),
        "kind_choices": KIND_CHOICES,
        "size_choices": SIZE_CHOICES,
        "certification_choices": CertificationKind.choices,
        "can_export": has_cap(request.user, Cap.REGISTRY_EXPORT),
        "can_create": has_cap(request.user, Cap.ORG_CREATE),
        "can_review_changes": has_cap(request.user, Cap.ORG_EDIT_ANY),
        "pending_changes": visible_change_requests(request.user)
        .filter(status=OrganisationChangeRequest.Status.PENDING)
        .count()
        if has_cap(request.user, Cap.ORG_EDIT_ANY)
        else 0,
    }
    template = (
        "registry/_organisation_rows.html"
        if request.headers.get("HX-Request")
        else "registry/organisation_list.html"
    )
    return render(request, template, context)


def list_rows(organisations) -> list[dict]:
    """Plain rows for the list template: labels are translated once per page, not once per cell."""
    from kechuang.formats import localname

    kinds, sizes = dict(KIND_CHOICES), dict(SIZE_CHOICES)
    kinds = {k: str(v) for k, v in kinds.items()}
    sizes = {k: str(v) for k, v in sizes.items()}
    detail = reverse("registry:organisation_detail", args=[0]).replace("/0/", "/{}/")
    return [
        {
            "url": detail.format(o.pk),
            "name": o.name,
            "name_en": o.name_en,
            "credit_code": o.credit_code,
            "kind": kinds.get(o.kind, o.kind),
            "city": localname(o.city),
            "industry": localname(o.industry),
            "size": sizes.get(o.size, o.size),
        }
        for o in organisations
    ]


@login_required
def organisation_export_view(request):
    require_cap(request.user, Cap.REGISTRY_EXPORT)
    flt = OrganisationFilter.from_params(request.GET)
    content = organisation_export(filtered_organisations(request.user, flt))
    return xlsx_response(content, f"organisations-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
def organisation_detail(request, org_id: int):
    org = access_organisation_by_id(request.user, org_id)
    sources: dict = {}
    series = current_indicator_series(org, sources)
    years = sorted({y for values in series.values() for y in values})
    indicators = list(Indicator.objects.all())
    source_labels = dict(IndicatorSource.choices)
    table = [
        {
            "indicator": ind,
            "values": [series.get(ind.code, {}).get(y) for y in years],
            "cells": [
                {
                    "value": series.get(ind.code, {}).get(y),
                    "source": source_labels.get(sources.get(ind.code, {}).get(y), ""),
                    "self_declared": sources.get(ind.code, {}).get(y) == IndicatorSource.SELF_DECLARED,
                }
                for y in years
            ],
        }
        for ind in indicators
    ]
    # The chart tells the R&D story; revenue, orders of magnitude larger, stays in the table.
    charted = [ind for ind in indicators if ind.unit == Indicator.Unit.FEN and ind.code != "revenue"]
    chart_rows = [
        {
            "year": y,
            **{ind.code: str(wan(series.get(ind.code, {}).get(y) or 0)) for ind in charted},
        }
        for y in years
    ]
    from kechuang.formats import localname

    chart_series = [{"name": f"{localname(ind)}（{_('万元')}）", "key": ind.code} for ind in charted]
    history = (
        org.indicator_values.filter(is_current=False)
        .select_related("indicator")
        .order_by("-superseded_at")[:20]
    )
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "org": org,
            "years": years,
            "table": table,
            "chart_rows": chart_rows,
            "chart_series": chart_series,
            "history": history,
            "certifications": org.certifications.all(),
            "indicator_form": IndicatorForm(indicators=indicators)
            if can_record_indicator(request.user, org)
            else None,
            "my_source": IndicatorSource(indicator_source_for(request.user)).label
            if can_record_indicator(request.user, org)
            else "",
            "pending_change": org.change_requests.filter(
                status=OrganisationChangeRequest.Status.PENDING
            ).exists(),
            "can_edit": can_edit_organisation(request.user, org),
            "can_audit": has_cap(request.user, Cap.AUDIT_VIEW),
            "recent_audit": AuditEntry.objects.filter(organisation_id=org.pk)[:10]
            if has_cap(request.user, Cap.AUDIT_VIEW)
            else [],
        },
    )


@login_required
@require_POST
def record_indicator(request, org_id: int):
    """The detail page's form: one yearly figure with the writer's source."""
    org = access_organisation_by_id(request.user, org_id)
    if not can_record_indicator(request.user, org):
        raise PermissionDenied
    form = IndicatorForm(request.POST, indicators=list(Indicator.objects.all()))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("registry:organisation_detail", org_id=org.pk)
    try:
        change = do_record_indicator(
            org,
            form.cleaned_data["indicator"],
            form.cleaned_data["year"],
            form.cleaned_data["stored_value"],
            reference=form.cleaned_data["reference"],
            acting_user=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已录入。") if change.created else _("数值未变化，未重复录入。"))
    return redirect("registry:organisation_detail", org_id=org.pk)


@login_required
def organisation_create(request):
    require_cap(request.user, Cap.ORG_CREATE)
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = do_create_organisation(acting_user=request.user, **form.service_fields())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记。"))
            return redirect("registry:organisation_detail", org_id=org.pk)
    return render(request, "registry/organisation_edit.html", {"org": None, "form": form})


@login_required
def organisation_edit(request, org_id: int):
    org = access_organisation_by_id(request.user, org_id, for_edit=True)
    direct = can_change_identity(request.user, org)
    form_class = OrganisationForm if direct else OrganisationOwnerForm
    form = form_class(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            _org, change_request = do_submit_organisation_edit(
                org,
                acting_user=request.user,
                explanation=form.cleaned_data.get("explanation", ""),
                **form.service_fields(),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if change_request is not None:
                messages.success(
                    request, _("其他信息已保存；名称、类型等关键信息的变更申请已提交，经主管部门审核后生效。")
                )
            else:
                messages.success(request, _("已保存。"))
            return redirect("registry:organisation_detail", org_id=org.pk)
    pending = org.change_requests.filter(status=OrganisationChangeRequest.Status.PENDING).first()
    return render(
        request,
        "registry/organisation_edit.html",
        {
            "org": org,
            "form": form,
            "reviewed": not direct,
            "identity_labels": identity_labels(),
            "pending": change_rows(pending) if pending else None,
        },
    )


def identity_labels() -> list[str]:
    return [str(Organisation._meta.get_field(name).verbose_name) for name in IDENTITY_FIELDS]


def change_rows(change_request) -> list[dict]:
    """{label, old, new} per changed field, with choices and regions shown by their names."""

    def shown(name, value):
        if value in (None, ""):
            return "—"
        field = Organisation._meta.get_field(name)
        if name == "region":
            region = Region.objects.filter(pk=value).first()
            return f"{region.name}（{value}）" if region else value
        if field.choices:
            return str(dict(field.choices).get(value, value))
        if isinstance(value, bool):
            return _("是") if value else _("否")
        return str(value)

    return [
        {
            "label": Organisation._meta.get_field(name).verbose_name,
            "old": shown(name, old),
            "new": shown(name, new),
        }
        for name, (old, new) in change_request.changes.items()
    ]


@login_required
def change_request_list(request):
    """Officials: pending identity changes of the organisations they cover; organisations: their own requests."""
    if not (has_cap(request.user, Cap.ORG_EDIT_ANY) or has_cap(request.user, Cap.ORG_EDIT_OWN)):
        raise PermissionDenied
    status = request.GET.get("status", OrganisationChangeRequest.Status.PENDING)
    if status not in OrganisationChangeRequest.Status.values:
        status = OrganisationChangeRequest.Status.PENDING
    requests = (
        visible_change_requests(request.user)
        .filter(status=status)
        .select_related("organisation", "requested_by", "decided_by")
        .order_by("requested_at", "id")
    )
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/change_requests.html",
        {
            "page": page,
            "items": [
                {
                    "request": r,
                    "rows": change_rows(r),
                    "can_decide": r.status == OrganisationChangeRequest.Status.PENDING
                    and can_review_change_request(request.user, r),
                }
                for r in page.object_list
            ],
            "status": status,
            "statuses": OrganisationChangeRequest.Status.choices,
            "form": ChangeDecisionForm(),
        },
    )


@login_required
@require_POST
def change_request_decide(request, request_id: int):
    change_request = access_change_request_by_id(request.user, request_id)
    require(can_review_change_request(request.user, change_request), "registry.org:review_change")
    form = ChangeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择批准或驳回。"))
    else:
        try:
            do_decide_organisation_change(
                change_request,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已审核。"))
    return redirect("registry:change_requests")


@login_required
def import_view(request):
    require_cap(request.user, Cap.REGISTRY_IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload_size(upload.size)
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            job = enqueue_import(
                upload, form.cleaned_data["kind"], form.cleaned_data["valid_rows_only"], request.user
            )
            return redirect("jobs:detail", job_id=job.pk)
    return render(
        request,
        "registry/import.html",
        {"form": form, "max_mb": settings.KECHUANG_MAX_UPLOAD_BYTES // 1048576},
    )


@login_required
def import_template(request, kind: str):
    require_cap(request.user, Cap.REGISTRY_IMPORT)
    if kind not in ("organisations", "indicators"):
        kind = "indicators"
    return xlsx_response(template_workbook(kind), f"template-{kind}.xlsx")
