"""Self-registration refuses invisible and bidirectional control characters in names and NFKC-normalises them."""

import pytest
from django.urls import reverse

from kechuang.web.models import OrganisationRequest
from kechuang.web.tests.test_front_door import _registration

pytestmark = pytest.mark.django_db


def test_registration_refuses_invisible_characters_and_normalises_names(client):
    response = client.post(reverse("web:register"), _registration(name="南宁新注册\u200b科技有限公司"))
    assert response.status_code == 200 and response.context["form"].errors.get("name")
    assert not OrganisationRequest.objects.exists()
    client.post(reverse("web:register"), _registration(name="南宁ＸＹＺ科技有限公司"))
    assert OrganisationRequest.objects.get().name == "南宁XYZ科技有限公司"
