"""Storing computed matches (a state change: rows and notifications), kept apart from the read-only search.

One row per (demand, achievement) pair. The demand's refresh ranks achievements, the achievement's refresh ranks
demands; each writes only its own rank, and the pair's score is symmetric (the same whichever side computed
it), so the two refreshes agree on the row instead of overwriting each other. A row goes away only when neither
side ranks the pair any more.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kechuang.audit.services import record
from kechuang.permissions import techmarket as perm
from kechuang.techmarket.models import ListingKind, Match
from kechuang.techmarket.notify import notify


@transaction.atomic
def do_store_matches(listing, results: list[dict], *, acting_user) -> tuple[int, int]:
    """Store `listing`'s side of its matches; notify both owners once of each new strong match.

    Run by the index job (acting_user None) or by an official who forces a refresh."""
    if acting_user is not None and not perm.has_cap(acting_user, perm.MarketCap.REVIEW):
        raise PermissionDenied("techmarket.match:refresh")
    is_demand = listing.kind == ListingKind.DEMAND
    mine, theirs = ("demand_rank", "achievement_rank") if is_demand else ("achievement_rank", "demand_rank")
    side = {"demand": listing} if is_demand else {"achievement": listing}
    keep, notified = [], 0
    for item in results:
        pair = (
            {"demand": listing, "achievement": item["other"]}
            if is_demand
            else {"demand": item["other"], "achievement": listing}
        )
        match, _created = Match.objects.select_for_update().get_or_create(
            **pair, defaults={"score": item["score"], "reasons": item["reasons"], "strong": item["strong"]}
        )
        setattr(match, mine, item["rank"])
        match.rank = min(r for r in (match.demand_rank, match.achievement_rank) if r is not None)
        match.score, match.reasons = item["score"], item["reasons"]
        match.strong = match.strong or item["strong"]
        if match.strong and match.notified_at is None:
            demand, achievement = pair["demand"], pair["achievement"]
            notify(demand.owner_id, demand, "match", found="achievement", title=str(achievement)[:200])
            if achievement.owner_id != demand.owner_id:
                notify(achievement.owner_id, achievement, "match", found="demand", title=str(demand)[:200])
                notified += 1
            match.notified_at = timezone.now()
            notified += 1
        match.save()
        keep.append(match.pk)
    stale = Match.objects.select_for_update().filter(**side).exclude(pk__in=keep)
    removed = stale.filter(**{f"{theirs}__isnull": True}).delete()[0]
    for match in stale.exclude(**{f"{theirs}__isnull": True}):
        setattr(match, mine, None)
        match.rank = getattr(match, theirs)
        match.save(update_fields=[mine, "rank", "updated_at"])
    record(
        "techmarket.match.refresh",
        listing,
        acting_user=acting_user,
        organisation_id=listing.owner_id,
        changes={"matches": [removed, len(keep)], "notified": [None, notified]},
    )
    return len(keep), notified
