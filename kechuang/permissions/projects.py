"""Who may do what in the programme projects.

The owning department's province-wide officials (and administrators) run a call and its formal check, rank,
decide, draw up and sign the contracts, request payments, check reports, decide changes and acceptance. Units
apply through their organisation's users; the recommending unit named on an application endorses it. Applicants
see only their unit's applications and contracts; recommenders the ones they recommend; managers every one of
their calls. Experts see only their assignments (on the review engine). Province-wide officials keep the
integrity blacklist. Units keep their own overseas R&D centres; province-wide officials see all of them.
"""

from django.http import Http404

from kechuang.accounts.models import Role
from kechuang.permissions.core import ALL_OFFICIALS, grant, has_cap

MAX_ID = 2**62


class ProjectCap:
    MANAGE = "projects.call:manage"
    APPLY = "projects.apply"
    ENDORSE = "projects.endorse"
    INTEGRITY = "projects.integrity:manage"


grant([ProjectCap.MANAGE], ALL_OFFICIALS)
grant([ProjectCap.APPLY], (Role.ORG_ADMIN, Role.MEMBER))
grant([ProjectCap.ENDORSE], (Role.ORG_ADMIN, *ALL_OFFICIALS))
grant([ProjectCap.INTEGRITY], ALL_OFFICIALS)


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


def is_province_manager(user) -> bool:
    """A province-wide official (or an administrator): runs calls of their department, keeps the blacklist."""
    if not has_cap(user, ProjectCap.MANAGE):
        return False
    return user.role == Role.ADMIN or user.city_id is None


def can_open_projects(user) -> bool:
    """The projects area: managers, units that may apply or endorse."""
    return bool(user and user.is_authenticated and user.is_active) and (
        is_province_manager(user)
        or (
            user.organisation_id is not None
            and (has_cap(user, ProjectCap.APPLY) or has_cap(user, ProjectCap.ENDORSE))
        )
    )


def can_manage_integrity(user) -> bool:
    return has_cap(user, ProjectCap.INTEGRITY) and (user.role == Role.ADMIN or user.city_id is None)


def can_manage_contract(user, contract) -> bool:
    return can_manage_call(user, contract.application.call)


def can_act_for_contract(user, contract) -> bool:
    return can_apply(user, contract.application.unit)


def can_view_contract(user, contract) -> bool:
    return can_manage_contract(user, contract) or can_act_for_contract(user, contract)


def access_contract_by_id(user, contract_id):
    from kechuang.projects.models import Contract

    if not isinstance(contract_id, int) or not 1 <= contract_id <= MAX_ID:
        raise Http404
    contract = (
        Contract.objects.filter(pk=contract_id)
        .select_related("application__call__line", "application__unit")
        .first()
    )
    if contract is None or not can_view_contract(user, contract):
        raise Http404
    return contract


def visible_contracts(user):
    from django.db.models import Q

    from kechuang.projects.models import Contract

    qs = Contract.objects.select_related("application__call__line", "application__unit")
    if not (user and user.is_authenticated):
        return qs.none()
    if user.role == Role.ADMIN:
        return qs
    q = Q(pk__in=[])
    if has_cap(user, ProjectCap.APPLY) and user.organisation_id:
        q |= Q(application__unit_id=user.organisation_id)
    if has_cap(user, ProjectCap.MANAGE) and user.city_id is None and user.organisation_id:
        q |= Q(application__call__line__department_id=user.organisation_id)
    return qs.filter(q)


def visible_calls(user):
    from kechuang.projects.models import ProjectCall

    qs = ProjectCall.objects.select_related("line")
    if not (user and user.is_authenticated):
        return qs.none()
    if user.role == Role.ADMIN:
        return qs
    if has_cap(user, ProjectCap.MANAGE) and user.city_id is None and user.organisation_id:
        return qs.filter(line__department_id=user.organisation_id)
    if has_cap(user, ProjectCap.APPLY):
        return qs.filter(status="open")
    return qs.none()


def can_manage_centre(user, centre) -> bool:
    return can_apply(user, centre.organisation)


def visible_centres(user):
    from kechuang.projects.models import OverseasCentre

    qs = OverseasCentre.objects.select_related("organisation")
    if not (user and user.is_authenticated):
        return qs.none()
    if is_province_manager(user):
        return qs
    if has_cap(user, ProjectCap.APPLY) and user.organisation_id:
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def access_centre_by_id(user, centre_id):
    if not isinstance(centre_id, int) or not 1 <= centre_id <= MAX_ID:
        raise Http404
    centre = visible_centres(user).filter(pk=centre_id).first()
    if centre is None:
        raise Http404
    return centre


def access_report_by_id(user, report_id):
    from kechuang.projects.models import ProgressReport

    if not isinstance(report_id, int) or not 1 <= report_id <= MAX_ID:
        raise Http404
    report = ProgressReport.objects.filter(pk=report_id).select_related("contract").first()
    if report is None:
        raise Http404
    access_contract_by_id(user, report.contract_id)
    return report


def access_change_by_id(user, change_id):
    from kechuang.projects.models import ChangeRequest

    if not isinstance(change_id, int) or not 1 <= change_id <= MAX_ID:
        raise Http404
    change = ChangeRequest.objects.filter(pk=change_id).first()
    if change is None:
        raise Http404
    access_contract_by_id(user, change.contract_id)
    return change
