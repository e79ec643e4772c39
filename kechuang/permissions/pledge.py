"""Who may do what in patent-pledge financing.

Capabilities go to roles; the *party* a user acts for (enterprise, bank, insurer, guarantor, department) comes from
the kind of their organisation, and every object rule below asks which party the user is for that object.
"""

from django.http import Http404

from kechuang.accounts.models import Role
from kechuang.permissions.core import ALL_OFFICIALS, grant, has_cap, is_official

ORG_ROLES = (Role.MEMBER, Role.ORG_ADMIN)


class PledgeCap:
    USE = "pledge:use"  # organisation users: their own patents, needs, products, loans
    VIEW_ALL = "pledge:view_all"  # the department: every loan (a city official: its city)
    CONFIGURE = "pledge.config:manage"  # risk-sharing ratios and subsidy parameters
    STATS = "pledge.stats:view"
    PAY_FUND = "pledge.fund:pay"  # confirm the risk-compensation fund's share


grant([PledgeCap.USE], ORG_ROLES)
grant([PledgeCap.VIEW_ALL, PledgeCap.STATS], ALL_OFFICIALS)
grant([PledgeCap.CONFIGURE, PledgeCap.PAY_FUND], (Role.APPROVER, Role.ADMIN))

ENTERPRISE, BANK, INSURER, GUARANTOR, DEPARTMENT = "enterprise", "bank", "insurer", "guarantor", "department"
ORG_PARTIES = {"enterprise": ENTERPRISE, "bank": BANK, "insurer": INSURER, "guarantor": GUARANTOR}


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def party_of(user) -> str | None:
    """The side a user acts for on this platform, or None if they have no part in it."""
    if not _active(user):
        return None
    if is_official(user) and has_cap(user, PledgeCap.VIEW_ALL):
        return DEPARTMENT
    if not has_cap(user, PledgeCap.USE) or user.organisation_id is None:
        return None
    return ORG_PARTIES.get(user.organisation.kind)


def is_enterprise(user) -> bool:
    return party_of(user) == ENTERPRISE


def is_bank(user) -> bool:
    return party_of(user) == BANK


def can_manage_patent(user, patent) -> bool:
    return is_enterprise(user) and patent.owner_id == user.organisation_id


def can_view_patent(user, patent) -> bool:
    if can_manage_patent(user, patent):
        return True
    if party_of(user) == DEPARTMENT:
        return not user.city_id or patent.owner.city_id == user.city_id
    # a bank sees the patents of published needs; an insurer or guarantor those of the loans it takes part in
    from kechuang.pledge.models import FinancingNeed, LoanApplication

    party, field = party_of(user), applications_field(user)
    if (
        party == BANK
        and FinancingNeed.objects.filter(patents=patent, status=FinancingNeed.Status.PUBLISHED).exists()
    ):
        return True
    if field is None or party == ENTERPRISE:
        return False
    return LoanApplication.objects.filter(patents=patent, **{field: user.organisation_id}).exists()


def applications_field(user) -> str | None:
    """The LoanApplication field that names the user's organisation, for their party."""
    return {
        ENTERPRISE: "enterprise_id",
        BANK: "bank_id",
        INSURER: "insurer_id",
        GUARANTOR: "guarantor_id",
    }.get(party_of(user) or "")


def visible_applications(user, queryset=None):
    """Loans a user may see: each party only its own; the department all (a city official: its city)."""
    from kechuang.pledge.models import LoanApplication

    qs = LoanApplication.objects.all() if queryset is None else queryset
    party = party_of(user)
    if party == DEPARTMENT:
        return qs.filter(enterprise__city_id=user.city_id) if user.city_id else qs
    field = applications_field(user)
    if field is None:
        return qs.none()
    return qs.filter(**{field: user.organisation_id})


def access_application_by_id(user, application_id):
    """Fetch and authorise; "not found" whether missing or forbidden, so a bank learns nothing of another's loans."""
    from kechuang.pledge.models import LoanApplication

    try:
        return visible_applications(
            user,
            LoanApplication.objects.select_related(
                "need", "product", "enterprise", "bank", "insurer", "guarantor"
            ),
        ).get(pk=application_id)
    except (LoanApplication.DoesNotExist, ValueError, TypeError):
        raise Http404


def can_act_as_bank(user, application) -> bool:
    return is_bank(user) and application.bank_id == user.organisation_id


def can_act_as_enterprise(user, application) -> bool:
    return is_enterprise(user) and application.enterprise_id == user.organisation_id


def can_pay_share(user, share) -> bool:
    """Each sharer confirms only its own share; the fund's share is confirmed by the department."""
    from kechuang.pledge.models import RiskParty

    if share.party == RiskParty.FUND:  # the provincial fund: a province-wide official, not a city's
        return has_cap(user, PledgeCap.PAY_FUND) and party_of(user) == DEPARTMENT and not user.city_id
    return (
        party_of(user)
        == {RiskParty.BANK: BANK, RiskParty.INSURER: INSURER, RiskParty.GUARANTOR: GUARANTOR}[share.party]
        and share.organisation_id == user.organisation_id
    )


def visible_needs(user, queryset=None):
    """Needs a user may open: an enterprise its own, the department all (city-scoped), a bank the published ones."""
    from kechuang.pledge.models import FinancingNeed

    qs = FinancingNeed.objects.all() if queryset is None else queryset
    party = party_of(user)
    if party == ENTERPRISE:
        return qs.filter(enterprise_id=user.organisation_id)
    if party == DEPARTMENT:
        return qs.filter(enterprise__city_id=user.city_id) if user.city_id else qs
    if party == BANK:
        return qs.filter(status=FinancingNeed.Status.PUBLISHED)
    return qs.none()


def access_need_by_id(user, need_id):
    from kechuang.pledge.models import FinancingNeed

    try:
        return visible_needs(
            user, FinancingNeed.objects.select_related("enterprise", "enterprise__city")
        ).get(pk=need_id)
    except (FinancingNeed.DoesNotExist, ValueError, TypeError):
        raise Http404


def access_patent_by_id(user, patent_id):
    from kechuang.pledge.models import Patent

    try:
        patent = Patent.objects.select_related("owner").get(pk=patent_id)
    except (Patent.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not can_view_patent(user, patent):
        raise Http404
    return patent


def can_manage_product(user, product) -> bool:
    return is_bank(user) and product.bank_id == user.organisation_id


def can_view_product(user, product) -> bool:
    """Every party sees the products on the shelf; a bank also its own products taken off it."""
    return can_manage_product(user, product) or (product.is_active and party_of(user) is not None)


def access_product_by_id(user, product_id, *, manage: bool = False):
    """Fetch and authorise; "not found" whether missing, off the shelf, or (to manage) another bank's."""
    from kechuang.pledge.models import LoanProduct

    try:
        product = LoanProduct.objects.select_related("bank").get(pk=product_id)
    except (LoanProduct.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404
    allowed = can_manage_product(user, product) if manage else can_view_product(user, product)
    if not allowed:
        raise Http404
    return product


def visible_matches(user, matches):
    """(product, match) pairs of a need: a bank sees only how its own products fit, the others every product."""
    if is_bank(user):
        return [(p, m) for p, m in matches if p.bank_id == user.organisation_id]
    return list(matches)


def can_configure(user) -> bool:
    """Risk-sharing ratios and subsidy parameters are provincial: a city official may not change them."""
    return has_cap(user, PledgeCap.CONFIGURE) and not user.city_id


def can_view_stats(user) -> bool:
    return has_cap(user, PledgeCap.STATS)


ENTERPRISE_ACTIONS = frozenset({"withdraw"})  # every other lifecycle step is the lending bank's


def can_act_on_loan(user, application, action: str) -> bool:
    """Who takes a lifecycle step of a loan: the applying enterprise withdraws; the lending bank does the rest."""
    if action in ENTERPRISE_ACTIONS:
        return can_act_as_enterprise(user, application)
    return can_act_as_bank(user, application)
