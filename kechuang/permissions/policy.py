"""Who may do what with policies, screening, payout rounds and payments.

Officials act for their department (`department_of(user)`, a government organisation with a department type)
and within their area (`user.city`: a city or a county code; none = the whole region):

* a programme, its funds and rounds are managed and approved by officials of the owning department whose area
  is the round's area (a city official never acts on a region-wide round);
* 区县初审 by an official whose area covers the candidate (a county, or the city for counties without their own
  reviewer); 市级推荐 only by a city-level official of the candidate's city, never the person who did 初审;
* 联合会审: one signature per department listed on the programme (科技, 财政, 工信, 税务, 统计 by default);
* 财政 concurrence by a finance-department approver; payment by the owning or the finance department;
* approving, creating the payment batch and reconciling are three different people (checked in the services).
"""

from django.http import Http404

from kechuang.accounts.models import Role
from kechuang.permissions.core import (
    ALL_OFFICIALS,
    area_q,
    department_of,
    grant,
    has_cap,
    in_area,
    is_official,
)


class PolicyCap:
    VIEW = "policy.policy:view"
    PARAM_EDIT = "policy.param:edit"
    SCREEN = "policy.screening:run"
    ROUND_MANAGE = "policy.round:manage"
    CITY_REVIEW = "policy.round:city_review"
    JOINT_REVIEW = "policy.round:joint_review"
    APPROVE = "policy.round:approve"
    CONCUR = "policy.round:concur"
    PAY = "policy.payment:manage"
    EXPORT = "policy.export"
    CALCULATE_OWN = "policy.calculator:own"
    APPLY = "policy.application:create"
    OBJECT = "policy.objection:raise"


grant([PolicyCap.VIEW, PolicyCap.EXPORT], ALL_OFFICIALS)
grant(
    [PolicyCap.SCREEN, PolicyCap.ROUND_MANAGE, PolicyCap.CITY_REVIEW, PolicyCap.JOINT_REVIEW],
    (Role.REVIEWER, Role.ADMIN),
)
grant([PolicyCap.PARAM_EDIT], (Role.ADMIN,))
grant([PolicyCap.APPROVE, PolicyCap.CONCUR], (Role.APPROVER, Role.ADMIN))
grant([PolicyCap.PAY], (Role.APPROVER, Role.ADMIN))
grant([PolicyCap.CALCULATE_OWN], (Role.MEMBER, Role.ORG_ADMIN))
grant([PolicyCap.APPLY], (Role.ORG_ADMIN,))
grant([PolicyCap.OBJECT], (Role.MEMBER, Role.ORG_ADMIN, Role.REVIEWER, Role.APPROVER, Role.ADMIN))

FINANCE = "finance"


def area_level(user) -> str:
    """ "province" (no area), "city" or "county"."""
    if not user.city_id:
        return "province"
    return user.city.level


def in_round_area(user, obj) -> bool:
    """A programme/fund/round's area is the official's: a city official acts only on its city's rounds."""
    return not user.city_id or obj.area_id == user.city_id


def owns(user, obj) -> bool:
    """The official works for the department owning `obj` (programme, fund or round) and within its area."""
    dept = department_of(user)
    return dept is not None and obj.department_id == dept.pk and in_round_area(user, obj)


def can_create_programme(user) -> bool:
    return has_cap(user, PolicyCap.ROUND_MANAGE) and department_of(user) is not None


def can_manage_programme(user, programme) -> bool:
    return has_cap(user, PolicyCap.ROUND_MANAGE) and owns(user, programme)


def can_manage_round(user, round_) -> bool:
    return has_cap(user, PolicyCap.ROUND_MANAGE) and owns(user, round_)


def can_approve_round(user, round_) -> bool:
    return has_cap(user, PolicyCap.APPROVE) and owns(user, round_)


def is_finance(user) -> bool:
    dept = department_of(user)
    return dept is not None and dept.department_type == FINANCE


def can_concur_round(user, round_) -> bool:
    """财政 concurrence: an approver of a finance department whose area is the round's."""
    return has_cap(user, PolicyCap.CONCUR) and is_finance(user) and in_round_area(user, round_)


def can_pay_round(user, round_) -> bool:
    """Payment batches and reconciliation: the owning department or the finance department."""
    if not has_cap(user, PolicyCap.PAY):
        return False
    return owns(user, round_) or (is_finance(user) and in_round_area(user, round_))


def can_view_fund(user, fund) -> bool:
    """A fund's ledger: officials of the owning department, and of the finance department, within its area."""
    if not has_cap(user, PolicyCap.VIEW):
        return False
    programme = fund.programme
    return owns(user, programme) or (is_finance(user) and in_round_area(user, programme))


def can_sign_joint_review(user, round_) -> bool:
    """One of the departments of the programme's 联合会审, at the round's level."""
    dept = department_of(user)
    if dept is None or not has_cap(user, PolicyCap.JOINT_REVIEW):
        return False
    return dept.department_type in round_.fund.programme.joint_departments and in_round_area(user, round_)


def can_view_round(user, round_) -> bool:
    """Officials see every round; organisation users see rounds (their public facts) to apply and follow status."""
    return bool(user and user.is_authenticated and user.is_active)


def can_view_candidate(user, candidate) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if has_cap(user, PolicyCap.VIEW):
        return in_area(user, candidate.organisation)
    if candidate.status in ("listed",) and has_cap(user, PolicyCap.OBJECT):
        return True  # the public notice (公示) is public
    return user.organisation_id is not None and candidate.organisation_id == user.organisation_id


def can_see_trace(user, candidate) -> bool:
    if has_cap(user, PolicyCap.VIEW):
        return can_view_candidate(user, candidate)
    return user.organisation_id is not None and candidate.organisation_id == user.organisation_id


def can_open_attachment(user, candidate) -> bool:
    """An application's attachment: the applying organisation, and the officials who review it (their area)."""
    if has_cap(user, PolicyCap.VIEW):
        return can_view_candidate(user, candidate)
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.organisation_id is not None
        and candidate.organisation_id == user.organisation_id
    )


def can_county_review(user, candidate) -> bool:
    """区县初审: a county official of the candidate's county, or a city official of its city."""
    if not has_cap(user, PolicyCap.CITY_REVIEW) or not user.city_id:
        return False
    return in_area(user, candidate.organisation)


def can_city_review(user, candidate) -> bool:
    """市级推荐: a city-level official of the candidate's city."""
    if not has_cap(user, PolicyCap.CITY_REVIEW) or not user.city_id or area_level(user) != "city":
        return False
    return candidate.organisation.city_id == user.city_id


def can_calculate_for(user, org) -> bool:
    """The calculator: an enterprise user for its own organisation; officials for the organisations they see."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if is_official(user):
        return in_area(user, org)
    return has_cap(user, PolicyCap.CALCULATE_OWN) and user.organisation_id == org.pk


def access_round_by_id(user, round_id):
    from kechuang.policy.models import Round

    try:
        round_ = Round.objects.select_related("fund", "fund__programme").get(pk=round_id)
    except (Round.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404
    if not can_view_round(user, round_):
        raise Http404
    return round_


def access_fund_for_round(user, fund_id):
    """A fund an official may open a round of; 404 when missing or not the official's department and area."""
    from kechuang.policy.models import Fund

    try:
        fund = Fund.objects.select_related("programme").get(pk=fund_id)
    except (Fund.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404
    if not can_manage_programme(user, fund.programme):
        raise Http404
    return fund


def access_fund_by_id(user, fund_id):
    """A fund whose ledger the official may read; 404 when missing or not theirs (see can_view_fund)."""
    from kechuang.policy.models import Fund

    try:
        fund = Fund.objects.select_related("programme").get(pk=fund_id)
    except (Fund.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404
    if not can_view_fund(user, fund):
        raise Http404
    return fund


def access_candidate_by_id(user, candidate_id):
    from kechuang.policy.models import Candidate

    try:
        candidate = Candidate.objects.select_related(
            "round", "organisation", "organisation__city", "policy_version"
        ).get(pk=candidate_id)
    except (Candidate.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404
    if not can_view_candidate(user, candidate):
        raise Http404
    return candidate


def visible_candidates(user, queryset):
    """Officials: their area (or all); others: their own organisation's candidates."""
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    if has_cap(user, PolicyCap.VIEW):
        return queryset.filter(area_q(user, "organisation__"))
    if user.organisation_id is None:
        return queryset.none()
    return queryset.filter(organisation_id=user.organisation_id)
