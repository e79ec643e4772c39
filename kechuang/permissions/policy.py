"""Who may do what with policies, screening, payout rounds and payments."""

from django.http import Http404

from kechuang.accounts.models import Role
from kechuang.permissions.core import ALL_OFFICIALS, grant, has_cap, is_official


class PolicyCap:
    VIEW = "policy.policy:view"
    PARAM_EDIT = "policy.param:edit"
    SCREEN = "policy.screening:run"
    ROUND_MANAGE = "policy.round:manage"
    CITY_REVIEW = "policy.round:city_review"
    APPROVE = "policy.round:approve"
    PAY = "policy.payment:manage"
    EXPORT = "policy.export"
    CALCULATE_OWN = "policy.calculator:own"
    APPLY = "policy.application:create"
    OBJECT = "policy.objection:raise"


grant([PolicyCap.VIEW, PolicyCap.EXPORT], ALL_OFFICIALS)
grant([PolicyCap.SCREEN, PolicyCap.ROUND_MANAGE, PolicyCap.CITY_REVIEW], (Role.REVIEWER, Role.ADMIN))
grant([PolicyCap.PARAM_EDIT], (Role.ADMIN,))
grant([PolicyCap.APPROVE], (Role.APPROVER, Role.ADMIN))
grant([PolicyCap.PAY], (Role.APPROVER, Role.ADMIN))
grant([PolicyCap.CALCULATE_OWN], (Role.MEMBER, Role.ORG_ADMIN))
grant([PolicyCap.APPLY], (Role.ORG_ADMIN,))
grant([PolicyCap.OBJECT], (Role.MEMBER, Role.ORG_ADMIN, Role.REVIEWER, Role.APPROVER, Role.ADMIN))


def can_view_round(user, round_) -> bool:
    """Officials see every round; organisation users see rounds (their public facts) to apply and follow status."""
    return bool(user and user.is_authenticated and user.is_active)


def can_view_candidate(user, candidate) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if has_cap(user, PolicyCap.VIEW):
        return not user.city_id or candidate.organisation.city_id == user.city_id
    if candidate.status in ("listed",) and has_cap(user, PolicyCap.OBJECT):
        return True  # the public notice (公示) is public
    return user.organisation_id is not None and candidate.organisation_id == user.organisation_id


def can_see_trace(user, candidate) -> bool:
    if has_cap(user, PolicyCap.VIEW):
        return can_view_candidate(user, candidate)
    return user.organisation_id is not None and candidate.organisation_id == user.organisation_id


def can_city_review(user, candidate) -> bool:
    if not has_cap(user, PolicyCap.CITY_REVIEW):
        return False
    return not user.city_id or candidate.organisation.city_id == user.city_id


def can_calculate_for(user, org) -> bool:
    """The calculator: an enterprise user for its own organisation; officials for the organisations they see."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if is_official(user):
        return not user.city_id or org.city_id == user.city_id
    return has_cap(user, PolicyCap.CALCULATE_OWN) and user.organisation_id == org.pk


def access_round_by_id(user, round_id):
    from kechuang.policy.models import Round

    try:
        round_ = Round.objects.select_related("fund", "fund__programme").get(pk=round_id)
    except (Round.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not can_view_round(user, round_):
        raise Http404
    return round_


def access_candidate_by_id(user, candidate_id):
    from kechuang.policy.models import Candidate

    try:
        candidate = Candidate.objects.select_related(
            "round", "organisation", "organisation__city", "policy_version"
        ).get(pk=candidate_id)
    except (Candidate.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not can_view_candidate(user, candidate):
        raise Http404
    return candidate


def visible_candidates(user, queryset):
    """Officials: their city (or all); others: their own organisation's candidates."""
    if not (user and user.is_authenticated and user.is_active):
        return queryset.none()
    if has_cap(user, PolicyCap.VIEW):
        return queryset.filter(organisation__city_id=user.city_id) if user.city_id else queryset
    if user.organisation_id is None:
        return queryset.none()
    return queryset.filter(organisation_id=user.organisation_id)
