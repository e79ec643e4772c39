"""Translations as work: the queue of listings lacking their readers' languages; the backend interface."""

import pytest
from django.urls import reverse

from kechuang.accounts.models import Role
from kechuang.errors import DomainError
from kechuang.registry.models import OrganisationKind
from kechuang.techmarket import services
from kechuang.techmarket.models import Listing, TextOrigin
from kechuang.techmarket.translation import MachineTranslator, do_machine_translate
from kechuang.testing import make_org, make_user

from .conftest import publish


class TaggingTranslator(MachineTranslator):
    """A stand-in service for the interface test: marks each text with the target language."""

    def translate(self, texts, source, target):
        return [f"[{target}] {t}" if t else "" for t in texts]


def test_queue_lists_languages_interested_readers_use(login, client, professor, reviewer, alice, outsider):
    listing = publish(professor, reviewer)
    alice.language = "vi"
    alice.save(update_fields=["language"])
    services.do_express_interest(listing, acting_user=alice, note="Chúng tôi quan tâm")
    broker = make_user(
        "broker2", org=make_org("南宁技术转移中心", kind=OrganisationKind.TECH_TRANSFER), role=Role.MEMBER
    )
    for user in (professor, broker):
        login(user)
        body = client.get(reverse("techmarket:translations")).content.decode()
        assert f'data-listing="{listing.pk}"' in body and "Tiếng Việt" in body
    login(outsider)
    assert client.get(reverse("techmarket:translations")).status_code == 404
    login(broker)  # the broker adds the Vietnamese version through the page: the listing leaves the queue
    client.post(
        reverse("techmarket:translation", args=[listing.pk]),
        {
            "language": "vi",
            "origin": "verified",
            "title": "Lên men ethanol từ sắn",
            "summary": "Nồng độ 16%.",
        },
    )
    assert (
        f'data-listing="{listing.pk}"' not in client.get(reverse("techmarket:translations")).content.decode()
    )
    # the owner's notice of interest was written in Chinese (the owner's language), not in Vietnamese
    from kechuang.techmarket.models import Notification

    note = Notification.objects.get(organisation_id=professor.organisation_id, kind="interest")
    assert note.text == "有新的合作意向。"


def test_machine_translation_backend_is_optional_and_ranked_below_trusted_rows(professor, reviewer, settings):
    listing = publish(professor, reviewer)
    with pytest.raises(DomainError):
        do_machine_translate(listing, "th")  # none configured by default
    settings.TECHMARKET_MT_BACKEND = "kechuang.techmarket.tests.test_translation.TaggingTranslator"
    row = do_machine_translate(listing, "th")
    assert row.origin == TextOrigin.MACHINE and row.added_by_id is None and row.title.startswith("[th] ")
    listing = Listing.objects.prefetch_related("texts").get(pk=listing.pk)
    assert listing.text_for("th").language == "th"  # nothing better exists
    services.do_set_text(
        listing,
        acting_user=professor,
        language="en",
        origin="verified",
        title="Cassava ethanol",
        summary="16%.",
    )
    listing = Listing.objects.prefetch_related("texts").get(pk=listing.pk)
    assert listing.text_for("th").language == "en"  # the owner's English before the machine's Thai
