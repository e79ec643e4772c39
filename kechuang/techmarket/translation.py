"""Translations as work: which listings lack the languages their readers use, and a machine-translation
backend interface a deployment can plug in (none is configured by default: nothing runs offline here).

A backend is a class with `translate(texts: list[str], source: str, target: str) -> list[str]`, named by the
setting `TECHMARKET_MT_BACKEND` ("package.module.ClassName"). Its rows are marked machine and carry no
`added_by`, so a reader is shown an owner's or verified version (or English) before them.
"""

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode
from kechuang.techmarket.models import Listing, ListingText, TextOrigin


class MachineTranslator:
    """The interface; subclasses call a real service."""

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        raise NotImplementedError


def backend() -> MachineTranslator | None:
    path = getattr(settings, "TECHMARKET_MT_BACKEND", "")
    return import_string(path)() if path else None


@transaction.atomic
def do_machine_translate(listing: Listing, language: str, *, acting_user=None) -> ListingText:
    """Add (or refresh) the machine translation of a listing's original into `language` with the configured
    backend. Never replaces an owner's or verified row."""
    from kechuang.techmarket.indexing import enqueue_index
    from kechuang.techmarket.services import clean_language

    translator = backend()
    if translator is None:
        raise DomainError(ErrorCode.INVALID, _("未配置机器翻译服务。"), status=409)
    language = clean_language(language)
    original = listing.original_text
    if original is None or language == original.language:
        raise DomainError(ErrorCode.INVALID, _("原文语言无需翻译。"), {"field": "language"})
    existing = listing.texts.filter(language=language).first()
    if existing is not None and (existing.origin != TextOrigin.MACHINE or existing.added_by_id is not None):
        return existing
    parts = [original.title, original.summary, original.problem, original.advantage]
    title, summary, problem, advantage = translator.translate(parts, original.language, language)
    row, _created = ListingText.objects.update_or_create(
        listing=listing,
        language=language,
        defaults={
            "origin": TextOrigin.MACHINE,
            "title": title[:200],
            "summary": summary,
            "problem": problem,
            "advantage": advantage,
            "added_by": None,
            "embedded_hash": "",
        },
    )
    record(
        "techmarket.listing.machine_translate",
        listing,
        acting_user=acting_user,
        organisation_id=listing.owner_id,
        changes={f"text:{language}": [None, TextOrigin.MACHINE]},
    )
    transaction.on_commit(lambda: enqueue_index([listing.pk], acting_user=acting_user))
    return row


def reader_languages(listing: Listing) -> set[str]:
    """The languages of the people who showed interest in the listing or whose listings it matches."""
    from kechuang.techmarket.notify import recipient_language

    orgs = set(listing.interests.exclude(organisation_id=None).values_list("organisation_id", flat=True))
    field = "demand" if listing.kind == "achievement" else "achievement"
    side = {"achievement": listing} if listing.kind == "achievement" else {"demand": listing}
    from kechuang.techmarket.models import Match

    counterpart_languages = set(
        Match.objects.filter(**side, rank__lte=3).values_list(f"{field}__original_language", flat=True)
    )
    return {recipient_language(org) for org in orgs} | counterpart_languages


def translation_queue(listings, limit: int = 200) -> list[dict]:
    """Live listings missing a trusted row (original, owner's or verified) in a language their readers use."""
    out = []
    for listing in listings.prefetch_related("texts")[:limit]:
        have = {
            r.language
            for r in listing.texts.all()
            if r.origin != TextOrigin.MACHINE or r.added_by_id is not None
        }
        missing = sorted(reader_languages(listing) - have)
        if missing:
            out.append({"listing": listing, "missing": missing})
    return out
