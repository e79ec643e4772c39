"""Who may do what in 高层次人才认定 and 八桂学者.

Employers' organisation administrators apply for their people, report compliance and leaving, and see only their
own applications. Officials whose area covers the employer pre-check (the city, or a supervising department's
province-wide official). Province-wide officials recognise, publish the notice, certify, run the yearly check,
hand the benefits due to the payout workflow and run 八桂学者. The public notice is open to everyone.
"""

from django.http import Http404

from kechuang.accounts.models import Role
from kechuang.permissions.core import ALL_OFFICIALS, area_q, department_of, grant, has_cap, in_area


class TalentCap:
    APPLY = "talent.apply"
    PRECHECK = "talent.precheck"
    MANAGE = "talent.manage"
    VIEW = "talent.view"


grant([TalentCap.VIEW, TalentCap.PRECHECK, TalentCap.MANAGE], ALL_OFFICIALS)
grant([TalentCap.APPLY], (Role.ORG_ADMIN,))


def is_provincial(user) -> bool:
    return has_cap(user, TalentCap.MANAGE) and (user.role == Role.ADMIN or user.city_id is None)


def can_manage(user) -> bool:
    return is_provincial(user)


def can_apply(user) -> bool:
    return has_cap(user, TalentCap.APPLY) and user.organisation_id is not None


def is_talent_office(user) -> bool:
    """The talent office: the science department's province-wide officials, and the system administrators."""
    from kechuang.registry.models import DepartmentType

    if not is_provincial(user):
        return False
    if user.role == Role.ADMIN:
        return True
    department = department_of(user)
    return department is not None and department.department_type == DepartmentType.SCIENCE


def can_see_person_account(user) -> bool:
    """A person's full bank account (benefits paid to the person): the talent office only; everyone else sees
    the last four digits, in pages, the API and payment files alike."""
    return is_talent_office(user)


def can_set_payee(user, employer) -> bool:
    """The employer's administrators record their people's own accounts; the talent office may correct them."""
    return is_talent_office(user) or (can_apply(user) and user.organisation_id == employer.pk)


def shown_account(user, account: str) -> str:
    if not account or can_see_person_account(user):
        return account
    return "*" * max(len(account) - 4, 4) + account[-4:]


def can_open_talent(user) -> bool:
    return has_cap(user, TalentCap.VIEW) or can_apply(user)


def can_precheck(user, application) -> bool:
    return has_cap(user, TalentCap.PRECHECK) and in_area(user, application.employer)


def can_report_for(user, employer) -> bool:
    """The employer's own administrators report compliance and leaving (officials may record it too)."""
    if is_provincial(user):
        return True
    return has_cap(user, TalentCap.APPLY) and user.organisation_id == employer.pk


def visible_applications(user, queryset=None):
    from kechuang.talent.models import TalentApplication

    qs = TalentApplication.objects.all() if queryset is None else queryset
    if has_cap(user, TalentCap.VIEW):
        return qs.filter(area_q(user, "employer__"))
    if can_apply(user):
        return qs.filter(employer_id=user.organisation_id)
    return qs.none()


def access_application_by_id(user, pk):
    """Fetch and authorise; "not found" whether missing or forbidden."""
    from kechuang.talent.models import TalentApplication

    try:
        return visible_applications(user).select_related("person", "employer").get(pk=pk)
    except (TalentApplication.DoesNotExist, ValueError, TypeError):
        raise Http404


def visible_posts(user):
    from kechuang.talent.models import BaguiPost

    if has_cap(user, TalentCap.VIEW):
        return BaguiPost.objects.filter(area_q(user, "unit__"))
    if can_apply(user):
        return BaguiPost.objects.filter(unit_id=user.organisation_id)
    return BaguiPost.objects.none()


def access_post_by_id(user, pk):
    from kechuang.talent.models import BaguiPost

    try:
        return visible_posts(user).select_related("unit").get(pk=pk)
    except (BaguiPost.DoesNotExist, ValueError, TypeError):
        raise Http404
