"""Who may do what with platforms and institutions.

Platform records are imported by province-wide officials; every signed-in official may read them. An organisation's
administrators apply for recognition of their own organisation and send its yearly indicator reports. Officials
whose area covers the organisation recommend (the city); province-wide officials check, review, decide, publish the
notice, recognise, evaluate and hand the post-funding to the payout workflow.
"""

from django.http import Http404

from kechuang.accounts.models import Role
from kechuang.permissions.core import ALL_OFFICIALS, area_q, grant, has_cap, in_area


class PlatformCap:
    VIEW = "platforms.view"
    RECOMMEND = "platforms.recommend"
    MANAGE = "platforms.manage"
    APPLY = "platforms.apply"


grant([PlatformCap.VIEW, PlatformCap.RECOMMEND, PlatformCap.MANAGE], ALL_OFFICIALS)
grant([PlatformCap.APPLY], (Role.ORG_ADMIN,))


def can_manage(user) -> bool:
    return has_cap(user, PlatformCap.MANAGE) and (user.role == Role.ADMIN or user.city_id is None)


def can_apply(user) -> bool:
    return has_cap(user, PlatformCap.APPLY) and user.organisation_id is not None


def can_open_platforms(user) -> bool:
    return has_cap(user, PlatformCap.VIEW) or can_apply(user)


def can_recommend(user, application) -> bool:
    return (
        has_cap(user, PlatformCap.RECOMMEND)
        and user.city_id is not None
        and in_area(user, application.organisation)
    )


def can_report_for(user, institution) -> bool:
    return can_manage(user) or (can_apply(user) and user.organisation_id == institution.organisation_id)


def visible_applications(user):
    from kechuang.platforms.models import InstitutionApplication

    if has_cap(user, PlatformCap.VIEW):
        return InstitutionApplication.objects.filter(area_q(user, "organisation__"))
    if can_apply(user):
        return InstitutionApplication.objects.filter(organisation_id=user.organisation_id)
    return InstitutionApplication.objects.none()


def visible_institutions(user):
    from kechuang.platforms.models import Institution

    if has_cap(user, PlatformCap.VIEW):
        return Institution.objects.filter(area_q(user, "organisation__"))
    if can_apply(user):
        return Institution.objects.filter(organisation_id=user.organisation_id)
    return Institution.objects.none()


def access_application_by_id(user, pk):
    """Fetch and authorise; "not found" whether missing or forbidden."""
    from kechuang.platforms.models import InstitutionApplication

    try:
        return visible_applications(user).select_related("organisation").get(pk=pk)
    except (InstitutionApplication.DoesNotExist, ValueError, TypeError):
        raise Http404


def access_institution_by_id(user, pk):
    from kechuang.platforms.models import Institution

    try:
        return visible_institutions(user).select_related("organisation").get(pk=pk)
    except (Institution.DoesNotExist, ValueError, TypeError):
        raise Http404
