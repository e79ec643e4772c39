"""Listings: create, edit, texts per language, review, renewal, withdrawal, expiry."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions import techmarket as perm
from kechuang.registry.models import Organisation
from kechuang.techmarket.models import (
    Listing,
    ListingKind,
    ListingStatus,
    ListingText,
    Patent,
    PriceMode,
    TextOrigin,
    TransferMode,
)
from kechuang.techmarket.notify import notify
from kechuang.techmarket.services.checks import (
    apply_attributes,
    check_duplicate,
    clean_attributes,
    clean_language,
    clean_patents,
    clean_text,
    clean_texts,
    enqueue_index_later,
    fingerprint,
    listing_days,
    renewal_notice_days,
)
from kechuang.techmarket.states import LISTING


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
    check_duplicate(owner.pk, kind, fp)
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
        if owner.country != "CN":  # an ASEAN organisation publishes from its country
            attrs["country"] = owner.country
        else:
            attrs["region"] = owner.region
    apply_attributes(listing, attrs)
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
        check_duplicate(listing.owner_id, listing.kind, fp, exclude=listing.pk)
        listing.fingerprint = fp
        original.embedded_hash = ""
        original.save()
    for name, value in attrs.items():
        old = getattr(listing, name)
        if old != value:
            changes[name] = [getattr(old, "pk", old), getattr(value, "pk", value)]
    apply_attributes(listing, attrs)
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
    enqueue_index_later([listing.pk], acting_user)
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
    enqueue_index_later([listing.pk], acting_user)
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
    old, _new = LISTING.apply(listing, "submit")
    listing.submitted_at = timezone.now()
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
    LISTING.check(listing, "approve" if approve else "reject")
    note = clean_text(note, _("审核意见"), required=not approve, limit=500)
    now = timezone.now()
    listing.reviewed_by, listing.review_note = acting_user, note
    old, _new = LISTING.apply(listing, "approve" if approve else "reject")
    if approve:
        listing.published_at = listing.published_at or now
        listing.expires_at = now + timedelta(days=listing_days())
        listing.renewal_reminded_at = None
    listing.save()
    record(
        "techmarket.listing.review",
        listing,
        acting_user=acting_user,
        organisation_id=listing.owner_id,
        changes={"status": [old, listing.status]},
        note=note,
    )
    notify(listing.owner_id, listing, "review", approved=approve, note=note)
    enqueue_index_later([listing.pk], acting_user)
    return listing


@transaction.atomic
def do_renew_listing(listing: Listing, *, acting_user) -> Listing:
    """Extend a published or expired listing by the configured period from today."""
    if not perm.can_edit_listing(acting_user, listing):
        raise PermissionDenied("techmarket.listing:edit")
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    old = (listing.status, listing.expires_at)
    LISTING.apply(listing, "renew")
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
    enqueue_index_later([listing.pk], acting_user)
    return listing


@transaction.atomic
def do_withdraw_listing(listing: Listing, *, acting_user) -> Listing:
    if not perm.can_edit_listing(acting_user, listing):
        raise PermissionDenied("techmarket.listing:edit")
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.status == ListingStatus.WITHDRAWN:
        return listing
    old, _new = LISTING.apply(listing, "withdraw")
    listing.save(update_fields=["status", "updated_at"])
    record(
        "techmarket.listing.withdraw",
        listing,
        acting_user=acting_user,
        organisation_id=listing.owner_id,
        changes={"status": [old, listing.status]},
    )
    enqueue_index_later([listing.pk], acting_user)
    return listing


@transaction.atomic
def do_expire_listings(*, acting_user=None, now=None) -> dict:
    """Expire overdue listings and remind owners of those expiring soon (run daily by a job)."""
    now = now or timezone.now()
    expired = list(
        Listing.objects.select_for_update().filter(status=ListingStatus.PUBLISHED, expires_at__lte=now)
    )
    for listing in expired:
        LISTING.apply(listing, "expire")
        listing.save(update_fields=["status", "updated_at"])
        record(
            "techmarket.listing.expire",
            listing,
            acting_user=acting_user,
            organisation_id=listing.owner_id,
            changes={"status": [ListingStatus.PUBLISHED, ListingStatus.EXPIRED]},
        )
        notify(listing.owner_id, listing, "expired")
    soon = Listing.objects.select_for_update().filter(
        status=ListingStatus.PUBLISHED,
        expires_at__lte=now + timedelta(days=renewal_notice_days()),
        renewal_reminded_at__isnull=True,
    )
    reminded = 0
    for listing in soon:
        listing.renewal_reminded_at = now
        listing.save(update_fields=["renewal_reminded_at"])
        notify(listing.owner_id, listing, "renew", date=timezone.localdate(listing.expires_at).isoformat())
        record(
            "techmarket.listing.remind", listing, acting_user=acting_user, organisation_id=listing.owner_id
        )
        reminded += 1
    if expired:
        enqueue_index_later([listing.pk for listing in expired], acting_user)
    return {"expired": len(expired), "reminded": reminded}


def count_view(listing: Listing, user) -> None:
    """A counter, not a change of record: the owner's own views do not count."""
    if not perm.is_owner(user, listing):
        Listing.objects.filter(pk=listing.pk).update(view_count=F("view_count") + 1)
