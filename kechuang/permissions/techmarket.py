"""Who may do what in the technology market.

Enterprise, university and institute users publish listings for their own organisation and express interest
in others' listings. Published, unexpired listings are open to everyone, signed in or not (contacting needs an
account); 技术经纪人 (users of a 技术转移机构) add and verify translations of live listings; drafts, pending,
rejected, expired and withdrawn ones only to the owner's users and to officials (a city official: listings of
their city). A conversation (interest + messages) is visible to the interested party, the listing owner and
officials; an anonymous interest hides the interested party from the owner (the department's broker relays).
Reviewers review listings; department staff record follow-up calls and register contracts.
"""

from django.http import Http404
from django.utils import timezone

from kechuang.accounts.models import Role
from kechuang.permissions.core import ALL_OFFICIALS, grant, has_cap


class MarketCap:
    PUBLISH = "techmarket.listing:publish"
    REVIEW = "techmarket.listing:review"
    VIEW_ALL = "techmarket.listing:view_all"
    INTEREST = "techmarket.interest:create"
    BROKER = "techmarket.interest:broker"
    FOLLOW_UP = "techmarket.followup:record"
    CONTRACT = "techmarket.contract:register"
    STATS = "techmarket.stats:view"


PUBLISHER_ROLES = (Role.MEMBER, Role.ORG_ADMIN)

grant([MarketCap.PUBLISH, MarketCap.INTEREST], PUBLISHER_ROLES)
grant([MarketCap.VIEW_ALL, MarketCap.STATS, MarketCap.BROKER], ALL_OFFICIALS)
grant([MarketCap.REVIEW, MarketCap.FOLLOW_UP, MarketCap.CONTRACT], (Role.REVIEWER, Role.ADMIN))


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _in_city(user, listing) -> bool:
    return not user.city_id or listing.city_id == user.city_id


def is_owner(user, listing) -> bool:
    """The users who act for the owning organisation in the market: its publishers, not e.g. its experts."""
    return (
        has_cap(user, MarketCap.PUBLISH)
        and user.organisation_id is not None
        and user.organisation_id == listing.owner_id
    )


def can_broker(user, listing) -> bool:
    """The department's broker relays conversations: an official, within their city like the listings."""
    return has_cap(user, MarketCap.BROKER) and _in_city(user, listing)


def is_live(listing) -> bool:
    return listing.status == "published" and (
        listing.expires_at is None or listing.expires_at > timezone.now()
    )


def can_view_listing(user, listing) -> bool:
    """Published listings are open to the public (no account needed); contacting needs one."""
    if is_live(listing):
        return True
    if not _active(user):
        return False
    if is_owner(user, listing):
        return True
    return has_cap(user, MarketCap.VIEW_ALL) and _in_city(user, listing)


def can_publish(user) -> bool:
    return has_cap(user, MarketCap.PUBLISH) and user.organisation_id is not None


def can_edit_listing(user, listing) -> bool:
    return can_publish(user) and is_owner(user, listing) and listing.status != "withdrawn"


def is_tech_broker(user) -> bool:
    """技术经纪人: a user of a 技术转移机构 (technology transfer organisation)."""
    return (
        _active(user)
        and user.organisation_id is not None
        and getattr(user.organisation, "kind", "") == "tech_transfer"
    )


def can_translate_listing(user, listing) -> bool:
    """Owners translate their listings; 技术经纪人 add and verify translations of live listings."""
    return can_edit_listing(user, listing) or (is_live(listing) and is_tech_broker(user))


def can_review_listing(user, listing) -> bool:
    return has_cap(user, MarketCap.REVIEW) and _in_city(user, listing)


def can_see_owner_side(user, listing) -> bool:
    """Matches, interests received and counts: the owner and officials."""
    return is_owner(user, listing) or (has_cap(user, MarketCap.VIEW_ALL) and _in_city(user, listing))


def can_express_interest(user, listing) -> bool:
    return (
        has_cap(user, MarketCap.INTEREST)
        and user.organisation_id is not None
        and is_live(listing)
        and not is_owner(user, listing)
    )


def is_interested_party(user, interest) -> bool:
    return _active(user) and (
        user.pk == interest.created_by_id
        or (
            has_cap(user, MarketCap.INTEREST)
            and user.organisation_id is not None
            and user.organisation_id == interest.organisation_id
        )
    )


def can_view_interest(user, interest) -> bool:
    if not _active(user):
        return False
    if is_interested_party(user, interest) or is_owner(user, interest.listing):
        return True
    return can_broker(user, interest.listing)


def can_see_interested_party(user, interest) -> bool:
    """The owner does not learn who is interested when the interest goes through the broker."""
    return not interest.anonymous or is_interested_party(user, interest) or can_broker(user, interest.listing)


def can_record_follow_up(user, listing) -> bool:
    return has_cap(user, MarketCap.FOLLOW_UP) and _in_city(user, listing)


def can_register_contract(user) -> bool:
    return has_cap(user, MarketCap.CONTRACT)


def can_view_contract(user, contract) -> bool:
    if not _active(user):
        return False
    if has_cap(user, MarketCap.STATS):
        return not user.city_id or contract.city_id == user.city_id
    return user.organisation_id is not None and user.organisation_id in (
        contract.seller_id,
        contract.buyer_id,
    )


def access_listing_by_id(user, listing_id, *, for_edit: bool = False):
    from kechuang.techmarket.models import Listing

    try:
        listing = (
            Listing.objects.select_related("owner", "industry", "region")
            .prefetch_related("texts", "patents")
            .get(pk=listing_id)
        )
    except (Listing.DoesNotExist, ValueError, TypeError):
        raise Http404
    allowed = can_edit_listing(user, listing) if for_edit else can_view_listing(user, listing)
    if not allowed:
        raise Http404
    return listing


def access_interest_by_id(user, interest_id):
    from kechuang.techmarket.models import Interest

    try:
        interest = Interest.objects.select_related("listing", "listing__owner", "organisation").get(
            pk=interest_id
        )
    except (Interest.DoesNotExist, ValueError, TypeError):
        raise Http404
    if not can_view_interest(user, interest):
        raise Http404
    return interest
