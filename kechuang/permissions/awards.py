"""Who may do what in the awards.

The owning department's province-wide officials (and administrators) run a call. Nominators are organisations
with a quota in the call: their organisation administrators nominate. The public notice is open to everyone.
"""

from django.http import Http404

from kechuang.accounts.models import Role
from kechuang.permissions.core import ALL_OFFICIALS, grant, has_cap


class AwardCap:
    MANAGE = "awards.call:manage"
    NOMINATE = "awards.nominate"


grant([AwardCap.MANAGE], ALL_OFFICIALS)
grant([AwardCap.NOMINATE], (Role.ORG_ADMIN,))


# The department that runs each award: a province-wide official of another department (finance, tax…) holds the
# manage capability for its own work but runs no award call.
AWARD_DEPARTMENT = {"st_award": "science", "patent_award": "market"}


def can_manage_call(user, call) -> bool:
    if not has_cap(user, AwardCap.MANAGE):
        return False
    if user.role == Role.ADMIN:
        return True
    org = user.organisation
    return (
        user.city_id is None
        and org is not None
        and user.organisation_id == call.department_id
        and getattr(org, "department_type", "") == AWARD_DEPARTMENT.get(call.kind)
    )


# The department that runs each scheme: 广西科学技术奖 the 科技厅, 广西专利奖 the 市场监管局（知识产权局）.
SCHEME_DEPARTMENT = {"st_award": "science", "patent_award": "market"}


def can_open_call(user, kind: str, department) -> bool:
    """A call is opened for its department by that department's province-wide officials, and only for the scheme
    the department runs: another department could otherwise take the year's call (one per scheme and year)."""
    if not has_cap(user, AwardCap.MANAGE):
        return False
    if user.role == Role.ADMIN:
        return True
    return (
        user.city_id is None
        and department is not None
        and user.organisation_id == department.pk
        and getattr(department, "department_type", "") == SCHEME_DEPARTMENT.get(kind)
    )


def can_nominate(user, call) -> bool:
    if not has_cap(user, AwardCap.NOMINATE) or user.organisation_id is None:
        return False
    return call.quotas.filter(nominator_id=user.organisation_id).exists()


def can_open_awards(user) -> bool:
    """Officials who may run calls, and organisations holding a nomination quota in any call."""
    from kechuang.awards.models import NominatorQuota

    if has_cap(user, AwardCap.MANAGE):
        return True
    if not has_cap(user, AwardCap.NOMINATE) or user.organisation_id is None:
        return False
    return NominatorQuota.objects.filter(nominator_id=user.organisation_id).exists()


def access_call_by_id(user, call_id, *, manage: bool = False):
    from kechuang.awards.models import AwardCall

    call = AwardCall.objects.filter(pk=call_id).select_related("department", "review_process").first()
    if call is None:
        raise Http404
    if can_manage_call(user, call) or (not manage and can_nominate(user, call)):
        return call
    raise Http404


def visible_nominations(user, call):
    """A manager sees every nomination of the call; a nominator only its own."""
    if can_manage_call(user, call):
        return call.nominations.all()
    if can_nominate(user, call):
        return call.nominations.filter(nominator_id=user.organisation_id)
    return call.nominations.none()


NATIONAL_DEPARTMENT = {"national_st": "science", "china_patent": "market"}


def can_manage_national(user, kind: str = "national_st") -> bool:
    """National results are recorded (and their rewards paid) by the province-wide officials of the department that
    recommends to that award: 科技厅 for the national S&T award, 市场监管局（知识产权局） for the China Patent Award."""
    if not has_cap(user, AwardCap.MANAGE):
        return False
    if user.role == Role.ADMIN:
        return True
    org = user.organisation
    return (
        user.city_id is None
        and org is not None
        and getattr(org, "department_type", "") == NATIONAL_DEPARTMENT.get(kind)
    )
