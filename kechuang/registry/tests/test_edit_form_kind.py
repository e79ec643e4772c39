"""Issue 9's first reproduction through the page it was made on: an enterprise administrator choosing "bank" as its
own kind on the edit form gets a change request for an official, never a bank's kind."""

import pytest
from django.urls import reverse

from kechuang.registry.models import OrganisationChangeRequest

pytestmark = pytest.mark.django_db


def test_choosing_bank_on_the_edit_form_only_files_a_change_request(login, alice, acme):
    response = login(alice).post(
        reverse("registry:organisation_edit", args=[acme.pk]),
        {
            "name": acme.name,
            "name_en": "",
            "kind": "bank",
            "size": acme.size,
            "region": "450103",
            "industry": "39",
            "established_on": "",
            "address": "青秀区",
            "contact_name": "",
            "contact_phone": "",
            "website": "",
            "is_active": "on",
            "registered_capital_yuan": "",
            "explanation": "",
        },
    )
    assert response.status_code in (200, 302)
    acme.refresh_from_db()
    assert acme.kind == "enterprise"
    pending = OrganisationChangeRequest.objects.filter(organisation=acme, status="pending")
    assert [r.changes.get("kind") for r in pending] in ([], [["enterprise", "bank"]])
