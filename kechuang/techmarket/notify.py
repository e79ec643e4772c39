"""In-app notifications written in the recipient's language, not the language of whoever caused them."""

from collections import Counter

from django.conf import settings
from django.utils import translation

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


def notify(organisation_id: int, listing, kind: str, render) -> Notification:
    """`render()` builds the text with gettext; it runs in the recipient's language."""
    with translation.override(recipient_language(organisation_id)):
        text = str(render())[:300]
    return Notification.objects.create(organisation_id=organisation_id, listing=listing, kind=kind, text=text)
