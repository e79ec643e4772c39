"""Anonymous POSTs are limited per client (kechuang/web/throttle.py), the client's address taken as for the login
throttle: behind the trusted proxy each client on its own, a forged X-Forwarded-For from anyone else ignored."""

import datetime as dt

import pytest
from django.urls import reverse

from kechuang.web.models import AnonymousPost

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
OBJECTION = "/api/awards/notices/999999/objections"  # public (no login); no such notice: 404 when let through
BODY = {"nomination_id": 1, "name": "张三", "contact": "13800000000", "text": "公示项目数据不实，请核查。"}


@pytest.fixture
def limit(settings):
    settings.KECHUANG_TRUSTED_PROXIES = [PROXY]
    settings.KECHUANG_ANON_POST_LIMIT = 3
    settings.KECHUANG_ANON_POST_WINDOW_SECONDS = 900
    return 3


def via_proxy(client, url, client_address, data=None, **extra):
    return client.post(
        url, data or {}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{client_address}, {PROXY}", **extra
    )


def test_registration_is_limited_per_client_behind_the_proxy_not_for_everybody(client, limit):
    url = reverse("web:register")
    for _ in range(limit):
        assert via_proxy(client, url, "203.0.113.5").status_code != 429
    refused = via_proxy(client, url, "203.0.113.5")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 900
    # another client behind the same proxy is not locked out by the first one
    assert via_proxy(client, url, "203.0.113.9").status_code != 429
    assert set(AnonymousPost.objects.values_list("address", flat=True)) == {"203.0.113.5", "203.0.113.9"}


def test_the_public_api_objection_is_limited_and_an_invented_token_does_not_escape(client, limit):
    for _ in range(limit):
        assert client.post(OBJECTION, BODY, content_type="application/json").status_code == 404
    refused = client.post(
        OBJECTION, BODY, content_type="application/json", HTTP_AUTHORIZATION="Bearer kc_invented"
    )
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"


def test_a_forged_forwarded_for_from_an_untrusted_address_counts_against_the_sender(client, limit):
    for i in range(limit):
        response = client.post(
            OBJECTION,
            BODY,
            content_type="application/json",
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i + 20}",
        )
        assert response.status_code == 404
    assert (
        client.post(
            OBJECTION,
            BODY,
            content_type="application/json",
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR="203.0.113.99",
        ).status_code
        == 429
    )


def test_signed_in_users_and_token_holders_are_not_counted(client, limit, alice):
    from kechuang.accounts.services import do_issue_api_token

    _token, key = do_issue_api_token(alice, "甲的系统", acting_user=None)
    for _ in range(limit + 2):
        assert (
            client.post(
                OBJECTION, BODY, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
            ).status_code
            == 404
        )
    client.force_login(alice)
    for _ in range(limit + 2):
        assert client.post(OBJECTION, BODY, content_type="application/json").status_code == 404
    assert not AnonymousPost.objects.exists()


def test_switching_the_language_is_not_counted_and_the_window_passes(client, limit):
    for _ in range(limit + 1):
        assert client.post(reverse("set_language"), {"language": "en"}).status_code != 429
    for _ in range(limit):
        client.post(reverse("web:register"), {})
    assert client.post(reverse("web:register"), {}).status_code == 429
    AnonymousPost.objects.update(at=AnonymousPost.objects.first().at - dt.timedelta(seconds=901))
    assert client.post(reverse("web:register"), {}).status_code != 429
    assert AnonymousPost.objects.count() == 1  # the old ones forgotten


def test_an_api_operation_that_needs_a_login_answers_401_and_is_not_counted(client, limit):
    for _ in range(limit + 2):
        response = client.post("/api/policy/programmes", {}, content_type="application/json")
        assert response.status_code == 401
    assert not AnonymousPost.objects.exists()
