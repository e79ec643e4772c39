from django.core.exceptions import PermissionDenied
from django.http import Http404

from kechuang.accounts.models import Role

ALL_OFFICIALS = (Role.REVIEWER, Role.APPROVER, Role.ADMIN)


class Cap:
    """Capabilities of the foundation. Domain modules add their own with `grant`."""

    ORG_VIEW_ALL = "registry.org:view_all"
    ORG_EDIT_ANY = "registry.org:edit_any"
    ORG_EDIT_OWN = "registry.org:edit_own"
    ORG_CREATE = "registry.org:create"
    REGISTRY_IMPORT = "registry.import"
    REGISTRY_EXPORT = "registry.export"
    INDICATOR_EDIT_OWN = "registry.indicator:edit_own"
    AUDIT_VIEW = "audit:view"
    JOBS_VIEW_ALL = "jobs:view_all"
    ADMIN_SITE = "admin:site"
    API_TOKENS = "accounts.token:manage"


ROLE_CAPS: dict[str, set[str]] = {role.value: set() for role in Role}


def grant(caps, roles) -> None:
    for role in roles:
        ROLE_CAPS[str(role)].update(caps)


grant([Cap.ORG_VIEW_ALL, Cap.REGISTRY_EXPORT, Cap.AUDIT_VIEW, Cap.JOBS_VIEW_ALL], ALL_OFFICIALS)
grant([Cap.ORG_EDIT_ANY, Cap.ORG_CREATE, Cap.REGISTRY_IMPORT], (Role.REVIEWER, Role.ADMIN))
grant([Cap.ADMIN_SITE, Cap.API_TOKENS], (Role.ADMIN,))
grant([Cap.ORG_EDIT_OWN, Cap.INDICATOR_EDIT_OWN, Cap.API_TOKENS], (Role.ORG_ADMIN,))


def is_official(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in ALL_OFFICIALS)


def has_cap(user, cap: str) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return cap in ROLE_CAPS.get(user.role, ())


def require_cap(user, cap: str) -> None:
    """Refuse (403) a user without the capability."""
    if not has_cap(user, cap):
        raise PermissionDenied(cap)


def require(allowed: bool, what: str) -> None:
    """Refuse (403) when an object rule said no: `require(can_manage_event(user, event), EventCap.MANAGE)`."""
    if not allowed:
        raise PermissionDenied(what)


def area_q(user, prefix: str = ""):
    """Q for the organisations in an official's area: `user.city` holds a city code or, for a county official,
    a county code; organisations carry both their city and their (county-level) region."""
    from django.db.models import Q

    if not user.city_id:
        return Q()
    return Q(**{f"{prefix}city_id": user.city_id}) | Q(**{f"{prefix}region_id": user.city_id})


def in_area(user, org) -> bool:
    """Whether `org` lies in the official's area (everything when no area is set)."""
    return not user.city_id or user.city_id in (org.city_id, org.region_id)


def department_of(user):
    """The government department (an Organisation with a department_type) an official works for, or None."""
    org = getattr(user, "organisation", None) if user and user.is_authenticated else None
    if org is None or not org.department_type:
        return None
    return org


def visible_organisations(user, queryset=None):
    """Organisations `user` may see: officials their area (city or county; or all), others only their own."""
    from kechuang.registry.models import Organisation

    qs = Organisation.objects.all() if queryset is None else queryset
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if has_cap(user, Cap.ORG_VIEW_ALL):
        return qs.filter(area_q(user))
    if user.organisation_id is None:
        return qs.none()
    return qs.filter(pk=user.organisation_id)


def can_view_organisation(user, org) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if has_cap(user, Cap.ORG_VIEW_ALL):
        return in_area(user, org)
    return user.organisation_id == org.pk


def can_edit_organisation(user, org) -> bool:
    if has_cap(user, Cap.ORG_EDIT_ANY):
        return can_view_organisation(user, org)
    return has_cap(user, Cap.ORG_EDIT_OWN) and user.organisation_id == org.pk


def access_organisation_by_id(user, org_id, *, for_edit: bool = False):
    """Fetch and authorise; "not found" whether missing or forbidden, so nothing leaks."""
    from kechuang.registry.models import Organisation

    try:
        org = Organisation.objects.select_related("region", "city", "industry").get(pk=org_id)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404
    allowed = can_edit_organisation(user, org) if for_edit else can_view_organisation(user, org)
    if not allowed:
        if for_edit and can_view_organisation(user, org):
            raise PermissionDenied("registry.org:edit")
        raise Http404
    return org
