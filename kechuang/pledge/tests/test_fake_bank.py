"""Reproduction: an enterprise administrator turned its own organisation into a "bank" on the edit form and read
every published financing need. The kind is an identity field: it changes only when an official approves."""

import pytest
from django.urls import reverse

from kechuang.registry.models import OrganisationChangeRequest

pytestmark = pytest.mark.django_db


def test_an_enterprise_cannot_make_itself_a_bank_and_read_published_needs(login, need, bob, globex):
    client = login(bob)
    response = client.patch(
        f"/api/registry/organisations/{globex.pk}", {"kind": "bank"}, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "review_required"
    form = {
        "name": globex.name,
        "kind": "bank",
        "size": globex.size,
        "region": globex.region_id,
        "industry": globex.industry_id or "",
        "is_active": "on",
    }
    assert client.post(reverse("registry:organisation_edit", args=[globex.pk]), form).status_code == 302
    globex.refresh_from_db()
    assert globex.kind == "enterprise"
    assert OrganisationChangeRequest.objects.get(organisation=globex).changes == {
        "kind": ["enterprise", "bank"]
    }
    listed = client.get("/api/pledge/needs")
    assert listed.status_code == 200 and need.pk not in [n["id"] for n in listed.json()]
    assert client.get(f"/pledge/needs/{need.pk}/").status_code in (403, 404)
