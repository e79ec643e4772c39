"""The public 公示 objection form is limited per client (kechuang/web/throttle.py): behind the trusted proxy one
client flooding it is refused with 429 and nothing of the refused objection is recorded, while the next client
behind the same proxy still objects."""

import pytest
from django.urls import reverse

from kechuang.policy.models import Candidate, Objection
from kechuang.policy.tests.test_notice_and_money import screened

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


def test_a_flood_of_public_objections_is_refused_per_client(
    client, settings, firms, make_round, reviewer, chain
):
    settings.KECHUANG_TRUSTED_PROXIES = [PROXY]
    settings.KECHUANG_ANON_POST_LIMIT = 2
    listed = chain.to_notice(screened(make_round(), reviewer))
    target = Candidate.objects.filter(round=listed, status=Candidate.Status.LISTED).first()
    url = reverse("policy:gongshi_round", args=[listed.pk])

    def object_from(address, n):
        form = {"candidate": target.pk, "name": f"李{n}", "contact": "0771-1234567", "text": "研发数据不实"}
        return client.post(url, form, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)

    assert [object_from("203.0.113.5", n).status_code for n in range(2)] == [302, 302]
    refused = object_from("203.0.113.5", 2)
    assert refused.status_code == 429
    assert Objection.objects.count() == 2
    assert object_from("203.0.113.9", 3).status_code == 302
    assert Objection.objects.count() == 3
