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
from kechuang.techmarket.services.checks import STAGE_ORDER, clean_text


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
    notify(listing.owner_id, listing, "interest", lambda: _("有新的合作意向。"))
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
    owner = perm.is_owner(acting_user, interest.listing)
    if not (
        owner
        or perm.is_interested_party(acting_user, interest)
        or perm.can_broker(acting_user, interest.listing)
    ):
        raise PermissionDenied("techmarket.message:send")
    if interest.stage == InterestStage.CLOSED:
        raise StateError(_("该对接已终止。"))
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
    """Move the pipeline: interest → meeting → signing → contracted (or closed). Parties and officials may."""
    if not (
        perm.is_owner(acting_user, interest.listing)
        or perm.is_interested_party(acting_user, interest)
        or perm.can_broker(acting_user, interest.listing)
    ):
        raise PermissionDenied("techmarket.interest:stage")
    if stage not in InterestStage.values:
        raise DomainError(ErrorCode.INVALID, _("阶段无效。"))
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    old = interest.stage
    if old == InterestStage.CLOSED or (
        stage != InterestStage.CLOSED
        and old in STAGE_ORDER
        and STAGE_ORDER.index(stage) < STAGE_ORDER.index(old)
    ):
        raise StateError(_("对接阶段只能向前推进。"))
    if stage == old:
        return interest
    interest.stage = stage
    interest.save(update_fields=["stage", "updated_at"])
    record(
        "techmarket.interest.stage",
        interest,
        acting_user=acting_user,
        organisation_id=interest.listing.owner_id,
        changes={"stage": [old, stage]},
    )
    return interest
