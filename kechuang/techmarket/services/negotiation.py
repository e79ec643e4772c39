"""Interest in a listing, the messages between the parties and the stage of their talks."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions import techmarket as perm
from kechuang.techmarket.models import Interest, InterestStage, Listing, Message
from kechuang.techmarket.notify import notify
from kechuang.techmarket.services.checks import clean_text
from kechuang.techmarket.states import INTEREST, STAGE_ACTIONS, TALKS

ACTION_FOR_STAGE = {stage: action for action, stage in STAGE_ACTIONS.items()}


def _require_party(user, interest: Interest, cap: str) -> None:
    """Only the two sides of the talks and the broker act on them (whatever the stage allows)."""
    if not any(INTEREST.may(party, user, interest) for party in TALKS):
        raise PermissionDenied(cap)


@transaction.atomic
def do_express_interest(listing: Listing, *, acting_user, note: str, anonymous: bool = False) -> Interest:
    if not perm.can_express_interest(acting_user, listing):
        if perm.is_owner(acting_user, listing):
            raise DomainError(ErrorCode.FORBIDDEN, _("不能对本单位发布的信息表达意向。"), status=403)
        raise PermissionDenied(perm.MarketCap.INTEREST)
    note = clean_text(note, _("意向说明"), required=True, limit=4000)
    try:
        with transaction.atomic():
            interest = Interest.objects.create(
                listing=listing,
                organisation_id=acting_user.organisation_id,
                created_by=acting_user,
                anonymous=bool(anonymous),
                note=note,
            )
    except IntegrityError:
        raise DomainError(ErrorCode.CONFLICT, _("您已对该信息表达过意向，请在原对话中继续沟通。"), status=409)
    Listing.objects.filter(pk=listing.pk).update(interest_count=F("interest_count") + 1)
    notify(listing.owner_id, listing, "interest")
    record(
        "techmarket.interest.create",
        interest,
        acting_user=acting_user,
        organisation_id=listing.owner_id,
        changes={"listing": [None, listing.pk], "anonymous": [None, interest.anonymous]},
    )
    return interest


@transaction.atomic
def do_send_message(interest: Interest, *, acting_user, body: str) -> Message:
    _require_party(acting_user, interest, "techmarket.message:send")
    INTEREST.step(interest, "message")
    owner = perm.is_owner(acting_user, interest.listing)
    body = clean_text(body, _("内容"), required=True, limit=4000)
    message = Message.objects.create(interest=interest, sender=acting_user, from_owner=owner, body=body)
    Interest.objects.filter(pk=interest.pk).update(updated_at=timezone.now())
    record(
        "techmarket.message.send",
        interest,
        acting_user=acting_user,
        organisation_id=interest.listing.owner_id,
        changes={"message": [None, message.pk]},
    )
    return message


@transaction.atomic
def do_set_stage(interest: Interest, *, acting_user, stage: str) -> Interest:
    """Move the talks to `stage` (interest → meeting → signing → contracted, or closed) as the table in
    techmarket/states.py allows; asking for the stage the talks are already at changes nothing."""
    _require_party(acting_user, interest, "techmarket.interest:stage")
    if stage not in InterestStage.values:
        raise DomainError(ErrorCode.INVALID, _("阶段无效。"), {"field": "stage"})
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    if stage == interest.stage:
        return interest
    action = ACTION_FOR_STAGE.get(InterestStage(stage))
    if action is None:  # back to 意向: no step of the table leads there
        raise StateError(_("对接阶段只能向前推进。"), {"status": interest.stage, "stage": stage})
    old, new = INTEREST.apply(interest, action)
    interest.save(update_fields=["stage", "updated_at"])
    record(
        "techmarket.interest.stage",
        interest,
        acting_user=acting_user,
        organisation_id=interest.listing.owner_id,
        changes={"stage": [old, new]},
    )
    return interest
