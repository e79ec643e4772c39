"""Results of accepted projects into the technology market: at a passed acceptance the project's result is offered
to its unit as a draft achievement listing; the unit confirms it (with the technology readiness level only it can
state, and any edits) and the listing is created through the market's own service, where the market's review
then publishes it — or the unit declines. The department never publishes on the unit's behalf."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions.projects import can_act_for_contract
from kechuang.projects.models import Contract, ResultOffer, ResultStatus

__all__ = ["do_confirm_result", "do_decline_result", "offer_results"]

TITLE_LIMIT = 200  # the market's title limit (techmarket.services.MAX_TITLE)
SUMMARY_LIMIT = 5000  # the market's text limit (techmarket.services.MAX_TEXT)


def _draft_summary(contract: Contract) -> str:
    app = contract.application
    acceptance = contract.acceptance
    done = [o["target"] for o in acceptance.outcomes if o.get("percent") == 100]
    parts = [app.summary.strip(), acceptance.final_report.strip()]
    if done:
        parts.append(_("完成的考核指标：%(list)s") % {"list": "；".join(done)})
    parts.append(_("来源：科技计划项目 %(number)s，已通过验收。") % {"number": contract.number})
    text = "\n".join(p for p in parts if p)
    return text[:SUMMARY_LIMIT]


def offer_results(contract: Contract, *, acting_user) -> list[ResultOffer]:
    """Called inside the acceptance decision (same transaction): the draft offered to the unit. Not a `do_*`
    of its own because it never happens apart from a passed acceptance."""
    if contract.results.exists():
        return list(contract.results.all())
    offer = ResultOffer.objects.create(
        contract=contract,
        title=contract.application.title[:TITLE_LIMIT],
        summary=_draft_summary(contract),
    )
    record(
        "projects.result.offer",
        offer,
        acting_user=acting_user,
        organisation_id=contract.application.unit_id,
        changes={"status": [None, offer.status]},
    )
    return [offer]


def _lock(offer: ResultOffer, acting_user) -> ResultOffer:
    offer = (
        ResultOffer.objects.select_for_update(of=("self",))
        .select_related("contract__application__unit", "contract__application__call__line")
        .get(pk=offer.pk)
    )
    if not can_act_for_contract(acting_user, offer.contract):
        raise PermissionDenied("projects.apply")
    if offer.status != ResultStatus.OFFERED:
        raise StateError(_("该成果已处理。"))
    return offer


@transaction.atomic
def do_confirm_result(
    offer: ResultOffer, *, acting_user, trl: int, title: str | None = None, summary: str | None = None
) -> ResultOffer:
    """The unit confirms: the achievement listing is created through the market's service (its checks, its
    duplicate rule, its audit) and submitted to the market's review."""
    from kechuang.techmarket import services as market
    from kechuang.techmarket.models import ListingKind

    offer = _lock(offer, acting_user)
    if isinstance(trl, bool) or not isinstance(trl, int) or not 1 <= trl <= 9:
        raise DomainError(ErrorCode.INVALID, _("技术就绪度应为 1–9 级。"), {"field": "trl"}, status=422)
    listing = market.do_create_listing(
        acting_user=acting_user,
        kind=ListingKind.ACHIEVEMENT,
        language="zh-hans",
        title=offer.title if title is None else title,
        summary=offer.summary if summary is None else summary,
        trl=trl,
        submit=True,
    )
    offer.status, offer.listing = ResultStatus.LISTED, listing
    offer.decided_by, offer.decided_at = acting_user, timezone.now()
    offer.decided_on = timezone.localdate()
    offer.save(update_fields=["status", "listing", "decided_by", "decided_at", "decided_on"])
    record(
        "projects.result.confirm",
        offer,
        acting_user=acting_user,
        organisation_id=offer.contract.application.unit_id,
        changes={"status": [ResultStatus.OFFERED, offer.status], "listing": [None, listing.pk]},
    )
    return offer


@transaction.atomic
def do_decline_result(offer: ResultOffer, *, acting_user, note: str = "") -> ResultOffer:
    offer = _lock(offer, acting_user)
    offer.status = ResultStatus.DECLINED
    offer.decided_by, offer.decided_at = acting_user, timezone.now()
    offer.decided_on = timezone.localdate()
    offer.save(update_fields=["status", "decided_by", "decided_at", "decided_on"])
    record(
        "projects.result.decline",
        offer,
        acting_user=acting_user,
        organisation_id=offer.contract.application.unit_id,
        changes={"status": [ResultStatus.OFFERED, offer.status]},
        note=note.strip()[:200],
    )
    return offer
