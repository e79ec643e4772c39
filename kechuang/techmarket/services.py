"""Every change in the technology market goes through these functions: permission-checked, atomic, audited."""

import hashlib
import re
import unicodedata
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.codes import CodeError, check_ipc, check_patent_number
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions import techmarket as perm
from kechuang.registry.models import Industry, Organisation, Region
from kechuang.techmarket.models import (
    COUNTRY_CHOICES,
    LANGUAGE_CHOICES,
    ContractKind,
    FollowUp,
    FollowUpOutcome,
    Interest,
    InterestStage,
    Listing,
    ListingKind,
    ListingStatus,
    ListingText,
    Message,
    Notification,
    Patent,
    PriceMode,
    TechContract,
    TextOrigin,
    TransferMode,
)
from kechuang.techmarket.notify import notify
from kechuang.techmarket.search.tokenize import script_shares


class MarketError(StrEnum):
    DUPLICATE_LISTING = "duplicate_listing"
    INVALID_PATENT = "invalid_patent"
    INVALID_IPC = "invalid_ipc"
    UNSUPPORTED_LANGUAGE = "unsupported_language"
    TEXT_REQUIRED = "text_required"
    TEXT_TOO_LONG = "text_too_long"
    DUPLICATE_CONTRACT = "duplicate_contract"


LANGUAGES = [code for code, _label in LANGUAGE_CHOICES]
MAX_TITLE = 200
MAX_TEXT = 5000
MAX_PATENTS = 20
STAGE_ORDER = [InterestStage.INTEREST, InterestStage.MEETING, InterestStage.SIGNING, InterestStage.CONTRACTED]


def listing_days() -> int:
    return int(getattr(settings, "TECHMARKET_LISTING_DAYS", 365))


def renewal_notice_days() -> int:
    return int(getattr(settings, "TECHMARKET_RENEWAL_NOTICE_DAYS", 30))


# --- validation ------------------------------------------------------------------------------------------
def clean_text(value, field: str, *, required: bool, limit: int) -> str:
    """Normalise text as typed; HTML is kept verbatim (templates escape it), control characters are dropped."""
    value = unicodedata.normalize("NFC", str(value or ""))
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()
    if required and not value:
        raise DomainError(
            MarketError.TEXT_REQUIRED, _("“%(field)s”不能为空。") % {"field": field}, {"field": field}
        )
    if len(value) > limit:
        raise DomainError(
            MarketError.TEXT_TOO_LONG,
            _("“%(field)s”过长：%(n)d 字，最多 %(limit)d 字。")
            % {"field": field, "n": len(value), "limit": limit},
            {"field": field},
        )
    return value


def clean_language(language: str) -> str:
    language = (language or "").strip().lower()
    if language in ("zh", "zh-cn", "zh_cn"):
        language = "zh-hans"
    if language not in LANGUAGES:
        raise DomainError(
            MarketError.UNSUPPORTED_LANGUAGE,
            _("不支持的语言“%(lang)s”。支持：%(list)s")
            % {"lang": language[:20], "list": ", ".join(LANGUAGES)},
            {"field": "language"},
        )
    return language


def check_text_language(language: str, text: str) -> None:
    """Mixed-language text is fine, but the declared language's script must make up a fair share of it
    (Thai text declared as Lao, or Chinese declared as English, is refused with a clear message)."""
    shares = script_shares(text)
    if not shares:
        return
    script = "latin" if language in ("en", "vi", "id", "ms", "fil") else language
    if shares.get(script, 0) < 0.2:
        dominant = max(shares, key=shares.get)
        raise DomainError(
            MarketError.UNSUPPORTED_LANGUAGE,
            _("文本的文字（%(found)s）与所选语言 %(lang)s 不符，请选择正确的语言。")
            % {"found": dominant, "lang": language},
            {"field": "language"},
        )


def clean_texts(fields: dict, language: str) -> dict:
    cleaned = {
        "title": clean_text(fields.get("title"), _("标题"), required=True, limit=MAX_TITLE),
        "summary": clean_text(fields.get("summary"), _("简介"), required=True, limit=MAX_TEXT),
        "problem": clean_text(fields.get("problem"), _("解决的问题"), required=False, limit=MAX_TEXT),
        "advantage": clean_text(
            fields.get("advantage"), _("相对现有方案的优势"), required=False, limit=MAX_TEXT
        ),
    }
    check_text_language(language, cleaned["title"] + " " + cleaned["summary"])
    return cleaned


def clean_patents(raw) -> list[str]:
    if isinstance(raw, str):
        raw = [p for p in re.split(r"[,;，；\n]+", raw) if p.strip()]
    numbers = []
    for value in raw or []:
        try:
            numbers.append(check_patent_number(value))
        except CodeError as exc:
            raise DomainError(
                MarketError.INVALID_PATENT, exc.message, {"field": "patents", "value": str(value)[:40]}
            )
    if len(numbers) > MAX_PATENTS:
        raise DomainError(
            ErrorCode.INVALID, _("专利最多 %(n)d 件。") % {"n": MAX_PATENTS}, {"field": "patents"}
        )
    return list(dict.fromkeys(numbers))


def clean_ipc(raw) -> str:
    if isinstance(raw, str):
        raw = [p for p in re.split(r"[,;，；\n]+", raw) if p.strip()]
    codes = []
    for value in raw or []:
        try:
            codes.append(check_ipc(value))
        except CodeError as exc:
            raise DomainError(MarketError.INVALID_IPC, exc.message, {"field": "ipc_codes"})
    return ",".join(dict.fromkeys(codes))[:200]


def clean_attributes(fields: dict) -> dict:
    out = {}
    if "trl" in fields:
        try:
            trl = int(fields["trl"])
        except (TypeError, ValueError):
            trl = 0
        if not 1 <= trl <= 9:
            raise DomainError(ErrorCode.INVALID, _("技术就绪度应为 1–9 级（GB/T 22900）。"), {"field": "trl"})
        out["trl"] = trl
    if "transfer_mode" in fields:
        if fields["transfer_mode"] not in TransferMode.values:
            raise DomainError(ErrorCode.INVALID, _("合作方式无效。"), {"field": "transfer_mode"})
        out["transfer_mode"] = fields["transfer_mode"]
    if "price_mode" in fields:
        if fields["price_mode"] not in PriceMode.values:
            raise DomainError(ErrorCode.INVALID, _("价格方式无效。"), {"field": "price_mode"})
        out["price_mode"] = fields["price_mode"]
    if "price_fen" in fields:
        price = fields["price_fen"]
        if price in ("", None):
            price = None
        elif isinstance(price, bool) or not isinstance(price, int) or price < 0:
            raise DomainError(ErrorCode.INVALID, _("价格必须是非负整数（分）。"), {"field": "price_fen"})
        out["price_fen"] = price
    if (
        out.get("price_mode", fields.get("price_mode")) == PriceMode.LISTED
        and out.get("price_fen", fields.get("price_fen")) is None
    ):
        raise DomainError(ErrorCode.INVALID, _("挂牌价方式须填写价格。"), {"field": "price_fen"})
    if "industry" in fields:
        industry = fields["industry"]
        if industry in ("", None):
            out["industry"] = None
        elif isinstance(industry, Industry):
            out["industry"] = industry
        else:
            out["industry"] = Industry.objects.filter(pk=str(industry)).first()
            if out["industry"] is None:
                raise DomainError(
                    ErrorCode.UNKNOWN_INDUSTRY,
                    _("未知的国民经济行业代码：%(code)s") % {"code": str(industry)[:10]},
                    {"field": "industry"},
                )
    if "region" in fields:
        region = fields["region"]
        if region in ("", None):
            out["region"] = None
        elif isinstance(region, Region):
            out["region"] = region
        else:
            out["region"] = Region.objects.filter(pk=str(region)).first()
            if out["region"] is None:
                raise DomainError(
                    ErrorCode.UNKNOWN_REGION,
                    _("未知的行政区划代码：%(code)s") % {"code": str(region)[:10]},
                    {"field": "region"},
                )
    if "country" in fields:
        if fields["country"] not in dict(COUNTRY_CHOICES):
            raise DomainError(ErrorCode.INVALID, _("国家代码无效。"), {"field": "country"})
        out["country"] = fields["country"]
    if "ipc_codes" in fields:
        out["ipc_codes"] = clean_ipc(fields["ipc_codes"])
    return out


def fingerprint(kind: str, title: str, summary: str) -> str:
    """Same owner + same kind + same normalised title and summary = a duplicate."""
    norm = re.sub(r"\W+", "", f"{title}|{summary}".lower())
    return hashlib.sha256(f"{kind}:{norm}".encode()).hexdigest()


def _apply_attributes(listing: Listing, attrs: dict) -> None:
    for name, value in attrs.items():
        setattr(listing, name, value)
    listing.industry_section = listing.industry.section if listing.industry_id else ""
    if listing.region_id:
        listing.city_id = listing.region.city_code
        listing.country = "CN"
    else:
        listing.city_id = None


def _check_duplicate(owner_id, kind, fp, exclude=None):
    qs = Listing.objects.filter(owner_id=owner_id, kind=kind, fingerprint=fp).exclude(
        status=ListingStatus.WITHDRAWN
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    existing = qs.first()
    if existing is not None:
        raise DomainError(
            MarketError.DUPLICATE_LISTING,
            _("贵单位已发布过相同内容的信息（编号 %(id)s），请编辑或续期原信息。") % {"id": existing.pk},
            {"existing_id": existing.pk},
            status=409,
        )


def _enqueue_index(listing_ids, acting_user=None):
    from kechuang.techmarket.indexing import enqueue_index

    # created inside the change's transaction: the worker sees the job exactly when it sees the change
    enqueue_index(listing_ids, acting_user=acting_user)


# --- listings --------------------------------------------------------------------------------------------
@transaction.atomic
def do_create_listing(
    *,
    acting_user,
    kind: str,
    language: str,
    title: str,
    summary: str,
    problem: str = "",
    advantage: str = "",
    patents=(),
    submit: bool = True,
    **attributes,
) -> Listing:
    if not perm.can_publish(acting_user):
        raise PermissionDenied(perm.MarketCap.PUBLISH)
    if kind not in ListingKind.values:
        raise DomainError(ErrorCode.INVALID, _("类型无效。"), {"field": "kind"})
    language = clean_language(language)
    texts = clean_texts(
        {"title": title, "summary": summary, "problem": problem, "advantage": advantage}, language
    )
    attributes.setdefault("transfer_mode", TransferMode.TRANSFER)
    attributes.setdefault("price_mode", PriceMode.NEGOTIABLE)
    if "trl" not in attributes:
        raise DomainError(ErrorCode.INVALID, _("请填写技术就绪度。"), {"field": "trl"})
    attrs = clean_attributes(attributes)
    numbers = clean_patents(patents)
    owner = Organisation.objects.get(pk=acting_user.organisation_id)
    fp = fingerprint(kind, texts["title"], texts["summary"])
    _check_duplicate(owner.pk, kind, fp)
    listing = Listing(
        kind=kind,
        owner=owner,
        created_by=acting_user,
        original_language=language,
        fingerprint=fp,
        status=ListingStatus.PENDING if submit else ListingStatus.DRAFT,
        submitted_at=timezone.now() if submit else None,
    )
    if not attrs.get("region") and "country" not in attrs:
        attrs["region"] = owner.region
    _apply_attributes(listing, attrs)
    listing.save()
    ListingText.objects.create(listing=listing, language=language, origin=TextOrigin.ORIGINAL, **texts)
    Patent.objects.bulk_create([Patent(listing=listing, number=n) for n in numbers])
    record(
        "techmarket.listing.create",
        listing,
        acting_user=acting_user,
        organisation_id=owner.pk,
        changes={"kind": [None, kind], "title": [None, texts["title"]], "status": [None, listing.status]},
    )
    return listing


@transaction.atomic
def do_update_listing(listing: Listing, *, acting_user, patents=None, **fields) -> Listing:
    """Edit attributes and/or the original text. A published listing goes back to review."""
    if not perm.can_edit_listing(acting_user, listing):
        raise PermissionDenied("techmarket.listing:edit")
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    text_fields = {k: fields.pop(k) for k in ("title", "summary", "problem", "advantage") if k in fields}
    attrs = clean_attributes(fields)
    changes = {}
    original = listing.texts.get(origin=TextOrigin.ORIGINAL)
    if text_fields:
        merged = {
            k: text_fields.get(k, getattr(original, k)) for k in ("title", "summary", "problem", "advantage")
        }
        cleaned = clean_texts(merged, original.language)
        for k, v in cleaned.items():
            if getattr(original, k) != v:
                changes[k] = [getattr(original, k), v]
                setattr(original, k, v)
        fp = fingerprint(listing.kind, original.title, original.summary)
        _check_duplicate(listing.owner_id, listing.kind, fp, exclude=listing.pk)
        listing.fingerprint = fp
        original.embedded_hash = ""
        original.save()
    for name, value in attrs.items():
        old = getattr(listing, name)
        if old != value:
            changes[name] = [getattr(old, "pk", old), getattr(value, "pk", value)]
    _apply_attributes(listing, attrs)
    if patents is not None:
        numbers = clean_patents(patents)
        old = sorted(listing.patents.values_list("number", flat=True))
        if old != sorted(numbers):
            listing.patents.all().delete()
            Patent.objects.bulk_create([Patent(listing=listing, number=n) for n in numbers])
            changes["patents"] = [old, numbers]
    if not changes:
        return listing
    if listing.status in (ListingStatus.PUBLISHED, ListingStatus.REJECTED):
        changes["status"] = [listing.status, ListingStatus.PENDING]
        listing.status = ListingStatus.PENDING
        listing.submitted_at = timezone.now()
    listing.save()
    record(
        "techmarket.listing.update",
        listing,
        acting_user=acting_user,
        organisation_id=listing.owner_id,
        changes=changes,
    )
    _enqueue_index([listing.pk], acting_user)
    return listing


@transaction.atomic
def do_set_text(
    listing: Listing,
    *,
    acting_user,
    language: str,
    origin: str,
    title: str,
    summary: str,
    problem: str = "",
    advantage: str = "",
) -> ListingText:
    """Add or replace a translation row (machine-translated or verified) of a listing: its owner, or a
    技术经纪人 (a user of a 技术转移机构) for a live listing. A verified row records who verified it."""
    if not perm.can_translate_listing(acting_user, listing):
        raise PermissionDenied("techmarket.listing:translate")
    language = clean_language(language)
    if origin not in (TextOrigin.MACHINE, TextOrigin.VERIFIED):
        raise DomainError(ErrorCode.INVALID, _("译文须标明“机器翻译”或“人工校核”。"), {"field": "origin"})
    if language == listing.original_language:
        raise DomainError(ErrorCode.INVALID, _("原文语言的文本请直接编辑原文。"), {"field": "language"})
    texts = clean_texts(
        {"title": title, "summary": summary, "problem": problem, "advantage": advantage}, language
    )
    verified_by = acting_user if origin == TextOrigin.VERIFIED else None
    row, created = ListingText.objects.update_or_create(
        listing=listing,
        language=language,
        defaults={
            "origin": origin,
            "embedded_hash": "",
            "added_by": acting_user,
            "verified_by": verified_by,
            **texts,
        },
    )
    record(
        "techmarket.listing.text",
        listing,
        acting_user=acting_user,
        organisation_id=listing.owner_id,
        changes={
            f"text:{language}": [None if created else "updated", {"origin": origin, "title": texts["title"]}]
        },
    )
    _enqueue_index([listing.pk], acting_user)
    return row


@transaction.atomic
def do_verify_text(row: ListingText, *, acting_user) -> ListingText:
    """A person who read the translation against the original marks it verified."""
    listing = row.listing
    if not perm.can_translate_listing(acting_user, listing):
        raise PermissionDenied("techmarket.listing:translate")
    if row.origin == TextOrigin.ORIGINAL:
        raise StateError(_("原文无需校核。"))
    old = row.origin
    row.origin, row.verified_by = TextOrigin.VERIFIED, acting_user
    row.save(update_fields=["origin", "verified_by", "updated_at"])
    record(
        "techmarket.listing.text_verify",
        listing,
        acting_user=acting_user,
        organisation_id=listing.owner_id,
        changes={f"text:{row.language}": [old, TextOrigin.VERIFIED]},
    )
    return row


@transaction.atomic
def do_submit_listing(listing: Listing, *, acting_user) -> Listing:
    if not perm.can_edit_listing(acting_user, listing):
        raise PermissionDenied("techmarket.listing:edit")
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.status not in (ListingStatus.DRAFT, ListingStatus.REJECTED):
        raise StateError(_("只有草稿或被退回的信息可以提交审核。"))
    old = listing.status
    listing.status, listing.submitted_at = ListingStatus.PENDING, timezone.now()
    listing.save(update_fields=["status", "submitted_at", "updated_at"])
    record(
        "techmarket.listing.submit",
        listing,
        acting_user=acting_user,
        organisation_id=listing.owner_id,
        changes={"status": [old, listing.status]},
    )
    return listing


@transaction.atomic
def do_review_listing(listing: Listing, *, acting_user, approve: bool, note: str = "") -> Listing:
    if not perm.can_review_listing(acting_user, listing):
        raise PermissionDenied(perm.MarketCap.REVIEW)
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.status != ListingStatus.PENDING:
        raise StateError(_("该信息不在待审核状态。"))
    note = clean_text(note, _("审核意见"), required=not approve, limit=500)
    old = listing.status
    now = timezone.now()
    listing.reviewed_by, listing.review_note = acting_user, note
    if approve:
        listing.status = ListingStatus.PUBLISHED
        listing.published_at = listing.published_at or now
        listing.expires_at = now + timedelta(days=listing_days())
        listing.renewal_reminded_at = None
    else:
        listing.status = ListingStatus.REJECTED
    listing.save()
    record(
        "techmarket.listing.review",
        listing,
        acting_user=acting_user,
        organisation_id=listing.owner_id,
        changes={"status": [old, listing.status]},
        note=note,
    )
    notify(
        listing.owner_id,
        listing,
        "review",
        lambda: _("您的信息已审核发布。") if approve else _("您的信息被退回：%(note)s") % {"note": note},
    )
    _enqueue_index([listing.pk], acting_user)
    return listing


@transaction.atomic
def do_renew_listing(listing: Listing, *, acting_user) -> Listing:
    """Extend a published or expired listing by the configured period from today."""
    if not perm.can_edit_listing(acting_user, listing):
        raise PermissionDenied("techmarket.listing:edit")
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.status not in (ListingStatus.PUBLISHED, ListingStatus.EXPIRED):
        raise StateError(_("只有已发布或已过期的信息可以续期。"))
    old = (listing.status, listing.expires_at)
    listing.status = ListingStatus.PUBLISHED
    listing.expires_at = timezone.now() + timedelta(days=listing_days())
    listing.renewal_reminded_at = None
    listing.save()
    record(
        "techmarket.listing.renew",
        listing,
        acting_user=acting_user,
        organisation_id=listing.owner_id,
        changes={"status": [old[0], listing.status], "expires_at": [old[1], listing.expires_at]},
    )
    _enqueue_index([listing.pk], acting_user)
    return listing


@transaction.atomic
def do_withdraw_listing(listing: Listing, *, acting_user) -> Listing:
    if not perm.can_edit_listing(acting_user, listing):
        raise PermissionDenied("techmarket.listing:edit")
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    old = listing.status
    listing.status = ListingStatus.WITHDRAWN
    listing.save(update_fields=["status", "updated_at"])
    record(
        "techmarket.listing.withdraw",
        listing,
        acting_user=acting_user,
        organisation_id=listing.owner_id,
        changes={"status": [old, listing.status]},
    )
    _enqueue_index([listing.pk], acting_user)
    return listing


@transaction.atomic
def do_expire_listings(*, acting_user=None, now=None) -> dict:
    """Expire overdue listings and remind owners of those expiring soon (run daily by a job)."""
    now = now or timezone.now()
    expired = list(
        Listing.objects.select_for_update().filter(status=ListingStatus.PUBLISHED, expires_at__lte=now)
    )
    for listing in expired:
        listing.status = ListingStatus.EXPIRED
        listing.save(update_fields=["status", "updated_at"])
        record(
            "techmarket.listing.expire",
            listing,
            acting_user=acting_user,
            organisation_id=listing.owner_id,
            changes={"status": [ListingStatus.PUBLISHED, ListingStatus.EXPIRED]},
        )
        notify(listing.owner_id, listing, "expired", lambda: _("您的信息已过期下架，续期后可重新展示。"))
    soon = Listing.objects.select_for_update().filter(
        status=ListingStatus.PUBLISHED,
        expires_at__lte=now + timedelta(days=renewal_notice_days()),
        renewal_reminded_at__isnull=True,
    )
    reminded = 0
    for listing in soon:
        listing.renewal_reminded_at = now
        listing.save(update_fields=["renewal_reminded_at"])
        notify(
            listing.owner_id,
            listing,
            "renew",
            lambda listing=listing: (
                _("您的信息将于 %(date)s 到期，请确认是否仍然有效并续期。")
                % {"date": timezone.localdate(listing.expires_at)}
            ),
        )
        record(
            "techmarket.listing.remind", listing, acting_user=acting_user, organisation_id=listing.owner_id
        )
        reminded += 1
    if expired:
        _enqueue_index([listing.pk for listing in expired], acting_user)
    return {"expired": len(expired), "reminded": reminded}


def count_view(listing: Listing, user) -> None:
    """A counter, not a change of record: the owner's own views do not count."""
    if not perm.is_owner(user, listing):
        Listing.objects.filter(pk=listing.pk).update(view_count=F("view_count") + 1)


# --- interest and negotiation ------------------------------------------------------------------------------
@transaction.atomic
def do_express_interest(listing: Listing, *, acting_user, note: str, anonymous: bool = False) -> Interest:
    if not perm.can_express_interest(acting_user, listing):
        if perm.is_owner(acting_user, listing):
            raise DomainError(ErrorCode.INVALID, _("不能对本单位发布的信息表达意向。"))
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


# --- follow-up and contracts ---------------------------------------------------------------------------
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
    if interest is not None and interest.stage != InterestStage.CONTRACTED:
        Interest.objects.filter(pk=interest.pk).update(stage=InterestStage.CONTRACTED)
    record(
        "techmarket.contract.register",
        contract,
        acting_user=acting_user,
        organisation_id=seller.pk,
        changes={
            "registration_number": [None, number],
            "amount_fen": [None, amount_fen],
            "tech_income_fen": [None, tech_income_fen],
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
