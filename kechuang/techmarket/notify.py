"""In-app notifications written in the recipient's language, not the language of whoever caused them."""

import datetime as dt
from collections import Counter
from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from kechuang.techmarket.models import Listing, Notification


def recipient_language(organisation_id: int) -> str:
    """The interface language most of the organisation's users chose; else the language its listings are
    written in; else the site's default."""
    from kechuang.accounts.models import User

    site = {code for code, _ in settings.LANGUAGES}
    chosen = Counter(
        lang
        for lang in User.objects.filter(organisation_id=organisation_id, is_active=True)
        .exclude(language="")
        .values_list("language", flat=True)[:200]
        if lang in site
    )
    if chosen:
        return chosen.most_common(1)[0][0]
    written = Counter(
        Listing.objects.filter(owner_id=organisation_id).values_list("original_language", flat=True)[:200]
    )
    for lang, _n in written.most_common():
        if lang in site:
            return lang
    return settings.LANGUAGE_CODE


def _renew(p: dict) -> str:
    from kechuang.formats import date as local_date

    day = dt.date.fromisoformat(p["date"])
    return _("您的信息将于 %(date)s 到期，请确认是否仍然有效并续期。") % {"date": local_date(day)}


def _review(p: dict) -> str:
    if p["approved"]:
        return _("您的信息已审核发布。")
    return _("您的信息被退回：%(note)s") % {"note": p["note"]}


def _match(p: dict) -> str:
    if p["found"] == "achievement":
        return _("您的技术需求有新的高匹配度成果：%(title)s") % {"title": p["title"]}
    return _("您的科技成果有新的高匹配度需求：%(title)s") % {"title": p["title"]}


# kind -> the text from the notice's params, rendered in whatever language is active
NOTICES: dict[str, Callable[[dict], str]] = {
    "interest": lambda p: _("有新的合作意向。"),
    "review": _review,
    "expired": lambda p: _("您的信息已过期下架，续期后可重新展示。"),
    "renew": _renew,
    "match": _match,
}


def notice_text(note: Notification) -> str:
    """The notice in the active language; a row written before params were kept shows its stored text."""
    render = NOTICES.get(note.kind)
    if render is None:
        return note.text
    try:
        return str(render(note.params or {}))
    except (KeyError, TypeError, ValueError):
        return note.text


def notify(organisation_id: int, listing, kind: str, **params) -> Notification:
    """A notice of `kind` (one of NOTICES) about `listing`; `params` fill its text. The stored text is written in
    the organisation's language, the pages render it again in each reader's."""
    note = Notification(organisation_id=organisation_id, listing=listing, kind=kind, params=params)
    with translation.override(recipient_language(organisation_id)):
        note.text = notice_text(note)[:300]
    note.save()
    return note
