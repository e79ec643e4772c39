"""Registry rules: who delivers which source of figures, and who reviews an organisation's identity changes.

* The source of an indicator value is decided by the writer, never chosen: an official of a tax, statistics,
  market-regulation or financial-regulation department delivers that bureau's source (through the interface,
  an API token or an import); any other official's figure is "verified by a department official"; an
  organisation's own users can only self-declare.
* Identity fields (`registry.models.IDENTITY_FIELDS`) of an organisation change only through a change request
  that an official with `registry.org:edit_any` whose city covers the organisation approves (province-wide
  officials cover all); such an official may also change them directly, audited the same way.
"""

from kechuang.permissions.core import (
    ALL_OFFICIALS,
    Cap,
    can_edit_organisation,
    can_view_organisation,
    has_cap,
)


def indicator_source_for(user) -> str:
    """The source every figure written by `user` carries."""
    from kechuang.registry.models import BUREAU_SOURCES, IndicatorSource, OrganisationKind

    if not (user and user.is_authenticated and user.is_active):
        raise ValueError("an anonymous writer has no source")
    if user.role not in ALL_OFFICIALS:
        return IndicatorSource.SELF_DECLARED
    org = user.organisation
    if org is not None and org.kind == OrganisationKind.GOVERNMENT and org.department_type in BUREAU_SOURCES:
        return BUREAU_SOURCES[org.department_type]
    return IndicatorSource.VERIFIED


def covers_organisation(user, org) -> bool:
    """An official with edit rights whose city (or the whole region) includes the organisation."""
    return has_cap(user, Cap.ORG_EDIT_ANY) and can_view_organisation(user, org)


def can_change_identity(user, org) -> bool:
    return covers_organisation(user, org)


def can_request_identity_change(user, org) -> bool:
    return has_cap(user, Cap.ORG_EDIT_OWN) and user.organisation_id == org.pk


def can_review_change_request(user, change_request) -> bool:
    """Officials covering the organisation decide; nobody decides their own request."""
    return (
        covers_organisation(user, change_request.organisation) and change_request.requested_by_id != user.pk
    )


def visible_change_requests(user, queryset=None):
    from kechuang.registry.models import OrganisationChangeRequest

    qs = OrganisationChangeRequest.objects.all() if queryset is None else queryset
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if has_cap(user, Cap.ORG_EDIT_ANY):
        return qs.filter(organisation__city_id=user.city_id) if user.city_id else qs
    if user.organisation_id is None:
        return qs.none()
    return qs.filter(organisation_id=user.organisation_id)


def can_import_for_city(user, city_id) -> bool:
    """An import row is applied only for an organisation in the importer's city (all, for province-wide
    importers); `user=None` is the platform itself."""
    if user is None:
        return True
    return has_cap(user, Cap.REGISTRY_IMPORT) and (not user.city_id or user.city_id == city_id)


def access_change_request_by_id(user, request_id):
    """Fetch a change request the user may see; "not found" otherwise."""
    from django.http import Http404

    from kechuang.registry.models import OrganisationChangeRequest

    try:
        return visible_change_requests(user).select_related("organisation").get(pk=request_id)
    except (OrganisationChangeRequest.DoesNotExist, ValueError, TypeError):
        raise Http404


def can_record_indicator(user, org) -> bool:
    """Officials with edit rights covering the organisation, and the organisation's own administrators."""
    return (
        has_cap(user, Cap.ORG_EDIT_ANY)
        and can_edit_organisation(user, org)
        or has_cap(user, Cap.INDICATOR_EDIT_OWN)
        and user.organisation_id == org.pk
    )


def can_review_registrations(user) -> bool:
    """Officials who create organisations decide the requests of those who want an account."""
    return has_cap(user, Cap.ORG_CREATE)


def visible_registration_requests(user, queryset=None):
    """Requests an official decides: province-wide officials every one; an official with an area (a city or a
    county) those from it; a request without a Chinese region (ASEAN partners) only province-wide officials."""
    from django.db.models import Q

    from kechuang.web.models import OrganisationRequest

    qs = OrganisationRequest.objects.all() if queryset is None else queryset
    if not can_review_registrations(user):
        return qs.none()
    if not user.city_id:
        return qs
    return qs.filter(Q(region_id=user.city_id) | Q(region__parent_id=user.city_id))


def access_registration_request_by_id(user, request_id):
    from django.http import Http404

    from kechuang.web.models import OrganisationRequest

    try:
        return visible_registration_requests(user).select_related("region").get(pk=request_id)
    except (OrganisationRequest.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404
