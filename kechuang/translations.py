"""Content in several languages that is searched or matched: one row per language (Saleor's ProductTranslation,
Wagtail's TranslatableMixin), each row marked machine-translated or written/verified by a person.

`TranslationRow` is the abstract base of those rows; `pick_translation()` is the one rule for which row a
reader sees:

1. a trusted row (written or verified by a person) in the reader's language, then in each fallback language
   of the content type, in order (the market, events and loan products fall back to English);
2. else a machine translation into the reader's language;
3. else the original (given by the caller, or the first row).

The row shown always carries its origin, so a page can say "machine translated" beside it.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TranslationRow(models.Model):
    """One language of one piece of content. Subclasses add the owner's foreign key, the translated fields and a
    unique constraint on (owner, language); a subclass that records its origin differently overrides `trusted`."""

    language = models.CharField(_("语言"), max_length=10)
    machine_translated = models.BooleanField(_("机器翻译"), default=False)

    class Meta:
        abstract = True

    @property
    def trusted(self) -> bool:
        """Written or verified by a person (not only a machine's output)."""
        return not self.machine_translated


def pick_translation(
    rows: Iterable[Any],
    language: str | None = None,
    *,
    fallbacks: Sequence[str] = (),
    original: Any = None,
) -> Any:
    """The row a reader of `language` (default: the active language) sees, by the rule in the module docstring.
    `rows` are the content's rows (prefetched: no query here); `original` is the row in the original language
    when the caller has one (it may also be one of `rows`). None only when there is nothing at all."""
    rows = list(rows)
    language = (language or get_language() or "").lower()
    candidates = [original, *rows] if original is not None and original not in rows else rows
    trusted = [r for r in candidates if r.trusted]
    for lang in dict.fromkeys((language, *fallbacks)):
        for row in trusted:
            if row.language == lang:
                return row
    for row in rows:
        if row.language == language:
            return row
    if original is not None:
        return original
    return rows[0] if rows else None
