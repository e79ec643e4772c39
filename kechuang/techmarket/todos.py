"""The market's to-dos for the workbench (`kechuang.web.workbench`): listings to review, interests to
answer, listings about to expire or sent back. The workbench passes its `Todo` type and the per-kind limit."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.formats import date as local_date
from kechuang.permissions import has_cap


def _listing_title(listing, language: str) -> str:
    row = listing.text_for(language)
    return row.title if row else str(listing)


def market_todos(user, todo, limit: int = 8, language: str = "zh-hans") -> list:
    from kechuang.permissions.techmarket import MarketCap
    from kechuang.techmarket.models import Interest, InterestStage, Listing, ListingStatus

    todos: list = []
    if has_cap(user, MarketCap.REVIEW):
        pending = Listing.objects.filter(status=ListingStatus.PENDING)
        if user.city_id:
            pending = pending.filter(city_id=user.city_id)
        n = pending.count()
        if n:
            todos.append(
                todo(
                    "techmarket",
                    _("%(n)s 条技术交易信息待审核") % {"n": n},
                    reverse("techmarket:review_queue"),
                    n,
                )
            )
    if user.organisation_id:
        unanswered = (
            Interest.objects.filter(listing__owner_id=user.organisation_id, stage=InterestStage.INTEREST)
            .exclude(messages__from_owner=True)
            .select_related("listing")
            .prefetch_related("listing__texts")
            .order_by("created_at")
        )
        total = unanswered.count()
        for i in unanswered[:limit]:
            todos.append(
                todo(
                    "techmarket",
                    _("答复合作意向：%(title)s") % {"title": _listing_title(i.listing, language)},
                    reverse("techmarket:interest", args=[i.pk]),
                    detail=i.note[:80],
                )
            )
        if total > limit:
            todos.append(
                todo(
                    "techmarket",
                    _("另有 %(n)s 条合作意向待答复") % {"n": total - limit},
                    reverse("techmarket:dashboard"),
                    total - limit,
                )
            )
        soon = timezone.now() + dt.timedelta(days=30)
        expiring = (
            Listing.objects.filter(
                owner_id=user.organisation_id, status=ListingStatus.PUBLISHED, expires_at__lte=soon
            )
            .prefetch_related("texts")
            .order_by("expires_at")
        )
        for x in expiring[:limit]:
            todos.append(
                todo(
                    "techmarket",
                    _("即将到期，请确认并续期：%(title)s") % {"title": _listing_title(x, language)},
                    reverse("techmarket:detail", args=[x.pk]),
                    detail=_("到期日 %(date)s") % {"date": local_date(x.expires_at)},
                )
            )
        for x in (
            Listing.objects.filter(owner_id=user.organisation_id, status=ListingStatus.REJECTED)
            .prefetch_related("texts")
            .order_by("-updated_at")[:limit]
        ):
            todos.append(
                todo(
                    "techmarket",
                    _("被退回，请修改后重新提交：%(title)s") % {"title": _listing_title(x, language)},
                    reverse("techmarket:detail", args=[x.pk]),
                    detail=x.review_note[:80],
                )
            )
    return todos
