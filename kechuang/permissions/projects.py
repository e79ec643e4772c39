"""Who may do what in the programme projects.

The owning department's province-wide officials (and administrators) run a call and its formal check. Units
apply through their organisation's users; the recommending unit named on an application endorses it. Applicants
see only their unit's applications; recommenders the ones they recommend; managers every one of their calls.
"""

from django.http import Http404

from kechuang.accounts.models import Role
from kechuang.permissions.core import ALL_OFFICIALS, grant, has_cap

MAX_ID = 2**62


class ProjectCap:
    MANAGE = "projects.call:manage"
    APPLY = "projects.apply"
    ENDORSE = "projects.endorse"


grant([ProjectCap.MANAGE], ALL_OFFICIALS)
grant([ProjectCap.APPLY], (Role.ORG_ADMIN, Role.MEMBER))
grant([ProjectCap.ENDORSE], (Role.ORG_ADMIN, *ALL_OFFICIALS))


def can_manage_call(user, call) -> bool:
    if not has_cap(user, ProjectCap.MANAGE):
        return False
    if user.role == Role.ADMIN:
        return True
    return user.city_id is None and user.organisation_id == call.line.department_id


def can_apply(user, unit) -> bool:
    return has_cap(user, ProjectCap.APPLY) and unit is not None and user.organisation_id == unit.pk


def can_edit_application(user, application) -> bool:
    return can_apply(user, application.unit)


def can_endorse(user, application) -> bool:
    return has_cap(user, ProjectCap.ENDORSE) and user.organisation_id == application.recommender_id


def can_view_application(user, application) -> bool:
    return (
        can_manage_call(user, application.call)
        or can_edit_application(user, application)
        or can_endorse(user, application)
    )


def access_call_by_id(user, call_id, *, manage: bool = False):
    from kechuang.projects.models import ProjectCall

    if not isinstance(call_id, int) or not 1 <= call_id <= MAX_ID:
        raise Http404
    call = ProjectCall.objects.filter(pk=call_id).select_related("line").first()
    if call is None:
        raise Http404
    if can_manage_call(user, call):
        return call
    if not manage and call.status == "open" and has_cap(user, ProjectCap.APPLY):
        return call
    raise Http404


def access_application_by_id(user, application_id):
    from kechuang.projects.models import Application

    if not isinstance(application_id, int) or not 1 <= application_id <= MAX_ID:
        raise Http404
    application = Application.objects.filter(pk=application_id).select_related("call__line", "unit").first()
    if application is None or not can_view_application(user, application):
        raise Http404
    return application


def visible_applications(user, call=None):
    from django.db.models import Q

    from kechuang.projects.models import Application

    qs = Application.objects.select_related("call__line", "unit", "topic")
    if call is not None:
        qs = qs.filter(call=call)
        if can_manage_call(user, call):
            return qs
    elif user.is_authenticated and user.role == Role.ADMIN:
        return qs
    if not (user.is_authenticated and user.organisation_id):
        return qs.none()
    q = Q(pk__in=[])
    if has_cap(user, ProjectCap.APPLY):
        q |= Q(unit_id=user.organisation_id)
    if has_cap(user, ProjectCap.ENDORSE):
        q |= Q(recommender_id=user.organisation_id)
    if has_cap(user, ProjectCap.MANAGE) and user.city_id is None:
        q |= Q(call__line__department_id=user.organisation_id)
    return qs.filter(q)
