"""Follow-up records, registered contracts and the organisation's notifications."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode
from kechuang.permissions import techmarket as perm
from kechuang.techmarket.errors import MarketError
from kechuang.techmarket.models import (
    COUNTRY_CHOICES,
    ContractKind,
    FollowUp,
    FollowUpOutcome,
    Interest,
    InterestStage,
    Listing,
    ListingKind,
    Notification,
    TechContract,
)
from kechuang.techmarket.services.checks import clean_text
from kechuang.techmarket.states import INTEREST


@transaction.atomic
def do_record_follow_up(
    listing: Listing, *, acting_user, called_at, outcome: str, note: str = ""
) -> FollowUp:
    if not perm.can_record_follow_up(acting_user, listing):
        raise PermissionDenied(perm.MarketCap.FOLLOW_UP)
    if listing.kind != ListingKind.DEMAND:
        raise DomainError(ErrorCode.INVALID, _("电话回访针对技术需求。"))
    if outcome not in FollowUpOutcome.values:
        raise DomainError(ErrorCode.INVALID, _("回访结果无效。"), {"field": "outcome"})
    if called_at > timezone.now() + timedelta(minutes=5):
        raise DomainError(ErrorCode.INVALID, _("回访时间不能晚于现在。"), {"field": "called_at"})
    note = clean_text(note, _("记录"), required=False, limit=4000)
    follow_up = FollowUp.objects.create(
        listing=listing, caller=acting_user, called_at=called_at, outcome=outcome, note=note
    )
    record(
        "techmarket.followup.create",
        listing,
        acting_user=acting_user,
        organisation_id=listing.owner_id,
        changes={"outcome": [None, outcome]},
        note=note[:200],
    )
    return follow_up


@transaction.atomic
def do_register_contract(
    *,
    acting_user,
    registration_number: str,
    kind: str,
    title: str,
    seller,
    buyer_name: str,
    amount_fen: int,
    tech_income_fen: int,
    signed_on,
    buyer=None,
    buyer_country: str = "CN",
    listing=None,
    interest=None,
) -> TechContract:
    if not perm.can_register_contract(acting_user):
        raise PermissionDenied(perm.MarketCap.CONTRACT)
    number = clean_text(registration_number, _("登记编号"), required=True, limit=40).upper()
    if kind not in ContractKind.values:
        raise DomainError(ErrorCode.INVALID, _("合同类型无效。"), {"field": "kind"})
    title = clean_text(title, _("合同名称"), required=True, limit=200)
    buyer_name = clean_text(
        buyer_name or (buyer.name if buyer else ""), _("买方名称"), required=True, limit=200
    )
    for name, value in (("amount_fen", amount_fen), ("tech_income_fen", tech_income_fen)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise DomainError(ErrorCode.INVALID, _("金额必须是非负整数（分）。"), {"field": name})
    if amount_fen <= 0:
        raise DomainError(ErrorCode.INVALID, _("合同金额必须大于零。"), {"field": "amount_fen"})
    if tech_income_fen > amount_fen:
        raise DomainError(ErrorCode.INVALID, _("技术交易额不能超过合同金额。"), {"field": "tech_income_fen"})
    if buyer_country not in dict(COUNTRY_CHOICES):
        raise DomainError(ErrorCode.INVALID, _("国家代码无效。"), {"field": "buyer_country"})
    if signed_on > timezone.localdate():
        raise DomainError(ErrorCode.INVALID, _("签订日期不能晚于今天。"), {"field": "signed_on"})
    if TechContract.objects.filter(registration_number=number).exists():
        raise DomainError(
            MarketError.DUPLICATE_CONTRACT, _("登记编号 %(n)s 已存在。") % {"n": number}, status=409
        )
    contract = TechContract.objects.create(
        registration_number=number,
        kind=kind,
        title=title,
        seller=seller,
        buyer=buyer,
        buyer_name=buyer_name,
        buyer_country=buyer_country,
        amount_fen=amount_fen,
        tech_income_fen=tech_income_fen,
        signed_on=signed_on,
        listing=listing,
        interest=interest,
        city_id=seller.city_id,
        registered_by=acting_user,
    )
    talks = {}
    if interest is not None and interest.stage != InterestStage.CONTRACTED:
        talks = {"interest_stage": [interest.stage, INTEREST.step(interest, "record_contract")]}
        Interest.objects.filter(pk=interest.pk).update(stage=talks["interest_stage"][1])
    record(
        "techmarket.contract.register",
        contract,
        acting_user=acting_user,
        organisation_id=seller.pk,
        changes={
            "registration_number": [None, number],
            "amount_fen": [None, amount_fen],
            "tech_income_fen": [None, tech_income_fen],
            **talks,
        },
    )
    return contract


@transaction.atomic
def do_mark_notifications_read(*, acting_user) -> int:
    if not (acting_user and acting_user.is_authenticated and acting_user.organisation_id):
        return 0
    n = Notification.objects.filter(organisation_id=acting_user.organisation_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if n:
        record(
            "techmarket.notifications.read",
            ("registry.organisation", str(acting_user.organisation_id), ""),
            acting_user=acting_user,
            changes={"read": [None, n]},
        )
    return n
