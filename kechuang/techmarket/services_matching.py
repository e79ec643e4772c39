"""Storing computed matches (a state change: rows and notifications), kept apart from the read-only search."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.permissions import techmarket as perm
from kechuang.techmarket.models import ListingKind, Match, Notification


@transaction.atomic
def do_store_matches(listing, results: list[dict], *, acting_user) -> tuple[int, int]:
    """Replace `listing`'s matches on its side with `results`; notify demand owners of new strong matches.

    Run by the index job (acting_user None) or by an official who forces a refresh."""
    if acting_user is not None and not perm.has_cap(acting_user, perm.MarketCap.REVIEW):
        raise PermissionDenied("techmarket.match:refresh")
    is_demand = listing.kind == ListingKind.DEMAND
    side = {"demand": listing} if is_demand else {"achievement": listing}
    keep, notified = [], 0
    for item in results:
        pair = (
            {"demand": listing, "achievement": item["other"]}
            if is_demand
            else {"demand": item["other"], "achievement": listing}
        )
        match, created = Match.objects.get_or_create(
            **pair,
            defaults={
                "score": item["score"],
                "rank": item["rank"],
                "reasons": item["reasons"],
                "strong": item["strong"],
            },
        )
        if not created:
            match.score, match.rank, match.reasons = item["score"], item["rank"], item["reasons"]
            match.strong = item["strong"]
        if match.strong and match.notified_at is None:
            demand = pair["demand"]
            Notification.objects.create(
                organisation_id=demand.owner_id,
                listing=demand,
                kind="match",
                text=_("您的技术需求有新的高匹配度成果：%(title)s")
                % {"title": str(pair["achievement"])[:200]},
            )
            match.notified_at = timezone.now()
            notified += 1
        match.save()
        keep.append(match.pk)
    removed = Match.objects.filter(**side).exclude(pk__in=keep).delete()[0]
    record(
        "techmarket.match.refresh",
        listing,
        acting_user=acting_user,
        organisation_id=listing.owner_id,
        changes={"matches": [removed, len(keep)], "notified": [None, notified]},
    )
    return len(keep), notified
