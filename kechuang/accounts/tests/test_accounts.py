import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from kechuang.testing import PASSWORD

pytestmark = pytest.mark.django_db


def login_attempt(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_with_the_right_password_works(client, alice):
    response = login_attempt(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200


def test_wrong_password_is_refused_with_a_message(client, alice):
    response = login_attempt(client, "alice", "wrong-password")
    assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()


def test_repeated_failures_throttle_even_the_right_password(client, alice, settings):
    settings.LOGIN_THROTTLE_MAX_FAILURES = 3
    for _ in range(3):
        login_attempt(client, "alice", "wrong-password")
    response = login_attempt(client, "alice", PASSWORD)
    assert response.status_code == 429 and "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_login_clears_earlier_failures(client, alice):
    login_attempt(client, "alice", "wrong-password")
    assert AccessAttempt.objects.filter(username="alice").count() == 1
    login_attempt(client, "alice", PASSWORD)
    assert AccessAttempt.objects.filter(username="alice").count() == 0


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from django.conf import settings as django_settings

    from config import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert django_settings.AUTH_PASSWORD_VALIDATORS


def test_security_headers_and_content_security_policy(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert (
        "default-src 'self'" in csp
        and "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("style-src")[0]
    )
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_login_form_needs_csrf(alice):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403


def test_language_switch_translates_the_interface(client, alice):
    client.force_login(alice)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("registry:organisation_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in page


def test_chinese_is_the_default_language(client, alice):
    client.force_login(alice)
    page = client.get(reverse("registry:organisation_list")).content.decode()
    assert '<html lang="zh-hans">' in page and "机构登记" in page
