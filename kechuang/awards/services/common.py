"""What the award services share: the keys that find a person or a work again, the manager check."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import PermissionDenied

from kechuang.awards.models import AwardKind
from kechuang.permissions.awards import can_manage_call

PATENT_GROUNDS = {
    "pledgor_not_owner",
    "patent_not_granted",
    "patent_lapsed",
    "patent_invalidated",
    "patent_expired",
    "annual_fee_unpaid",
    "ownership_dispute",
    "invalidation_pending",
}
RUBRIC_BY_KIND = {AwardKind.ST_AWARD: "st_award_2024", AwardKind.PATENT_AWARD: "patent_award_2024"}
MAX_CONTRIBUTORS = 50


def title_key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title or "")
    return "".join(ch for ch in text if ch.isalnum()).casefold()


def person_key(name: str, id_digits: str = "") -> str:
    return f"{title_key(name)}|{(id_digits or '')[-6:]}"


def _require_manager(user, call) -> None:
    if user is not None and not can_manage_call(user, call):
        raise PermissionDenied("awards.call:manage")
