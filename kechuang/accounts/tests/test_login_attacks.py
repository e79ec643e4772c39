"""The login and session attacks from the trust review, each reproduced: throttling by normalised username and by
the real client address behind the trusted proxy, one door for the admin login, short official sessions, own
password changes, and API tokens that expire, are revoked and are issued in the interface."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.models import ApiToken
from kechuang.audit.models import AuditEntry
from kechuang.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def throttle(settings):
    settings.LOGIN_THROTTLE_MAX_FAILURES = 3
    settings.LOGIN_THROTTLE_MAX_FAILURES_PER_ADDRESS = 12
    settings.KECHUANG_TRUSTED_PROXIES = [PROXY]


def attempt(username, password, *, client=None, path="accounts:login", **meta):
    client = client or Client()
    response = client.post(reverse(path), {"username": username, "password": password}, **meta)
    return client, response


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def via_proxy(address):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


def test_behind_the_trusted_proxy_one_clients_failures_do_not_lock_everybody_out(alice, bob):
    for i in range(12):
        attempt(f"guess{i}", "wrong-password", **via_proxy("203.0.113.9"))
    client, response = attempt("alice", PASSWORD, **via_proxy("198.51.100.7"))
    assert response.status_code == 302 and logged_in(client)
    # the attacking address itself is locked, even with a right password
    client, response = attempt("bob", PASSWORD, **via_proxy("203.0.113.9"))
    assert response.status_code == 429 and not logged_in(client)


def test_a_forged_forwarded_for_from_an_untrusted_address_is_ignored(alice):
    for i in range(12):
        attempt(f"guess{i}", "wrong-password", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    client, response = attempt(
        "alice", PASSWORD, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="192.0.2.200"
    )
    assert response.status_code == 429 and not logged_in(client)


def test_a_locked_account_stays_locked_when_its_name_is_typed_with_full_width_letters(approver):
    assert approver.username == "approver1"
    for name in ("approver1", "ＡPPROVER1", "Approver1"):  # failures under any spelling count for the account
        attempt(name, "wrong-password", REMOTE_ADDR=f"198.51.100.{len(name)}")
    client, response = attempt("ａpprover1", PASSWORD, REMOTE_ADDR="198.51.100.50")
    assert response.status_code == 429 and not logged_in(client)


def test_the_admin_login_goes_through_the_same_door(admin_user):
    for _ in range(3):
        attempt("admin1", "wrong-password", path="admin:login")
    client, response = attempt("admin1", PASSWORD, path="admin:login")
    assert response.status_code == 429 and not logged_in(client)
    client, response = attempt("admin1", PASSWORD)
    assert response.status_code == 429 and not logged_in(client)


def test_officials_sessions_are_short_and_others_are_not(settings, reviewer, admin_user, alice):
    settings.KECHUANG_OFFICIAL_SESSION_SECONDS = 1800
    client, _response = attempt("reviewer1", PASSWORD)
    assert logged_in(client) and client.session.get_expiry_age() == 1800
    client, _response = attempt("admin1", PASSWORD, path="admin:login")
    assert logged_in(client) and client.session.get_expiry_age() == 1800
    client, _response = attempt("alice", PASSWORD)
    assert logged_in(client) and client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_users_change_their_own_password(login, alice):
    client = login(alice)
    url = reverse("accounts:password_change")
    assert reverse("accounts:password_change") in client.get(reverse("web:home")).content.decode()
    wrong = client.post(url, {"old_password": "nope", "new_password1": "x", "new_password2": "x"})
    assert wrong.status_code == 200
    weak = client.post(
        url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.status_code == 200
    new = "Guangxi-Innovation-2027"
    done = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302 and logged_in(client)  # the session survives its own password change
    alice.refresh_from_db()
    assert alice.check_password(new) and not alice.check_password(PASSWORD)
    assert AuditEntry.objects.filter(action="accounts.password.change", actor=alice).count() == 1
    assert logged_in(attempt("alice", new)[0]) and not logged_in(attempt("alice", PASSWORD)[0])


def issue_through_the_page(client, user, days=30, name="ICBC loan system"):
    response = client.post(reverse("accounts:tokens"), {"user": user.pk, "name": name, "days": days})
    assert response.status_code == 200
    return response.context["issued"]


def me(key):
    return Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {key}")


def test_an_administrator_issues_a_token_in_the_interface_and_revokes_it(login, admin_user, bob):
    client = login(admin_user)
    assert reverse("accounts:tokens") in client.get(reverse("web:home")).content.decode()
    issued = issue_through_the_page(client, bob, days=30)
    token, key = issued["token"], issued["key"]
    assert key not in client.get(reverse("accounts:tokens")).content.decode()
    assert timezone.now() + timedelta(days=29) < token.expires_at <= timezone.now() + timedelta(days=30)
    assert me(key).status_code == 200 and me(key).json()["username"] == "bob"
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert me(key).status_code == 401
    assert AuditEntry.objects.filter(action="accounts.token.revoke", actor=admin_user).count() == 1


def test_tokens_expire(login, admin_user, bob):
    key = issue_through_the_page(login(admin_user), bob, days=1)["key"]
    assert me(key).status_code == 200
    ApiToken.objects.filter(user=bob).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert me(key).status_code == 401


def test_tokens_are_issued_only_by_administrators_within_their_remit(login, alice, bob, reviewer):
    assert login(reviewer).get(reverse("accounts:tokens")).status_code == 403
    colleague = make_user("alice-system", org=alice.organisation)
    client = login(alice)
    assert issue_through_the_page(client, colleague)["token"].user == colleague
    response = client.post(reverse("accounts:tokens"), {"user": bob.pk, "name": "x", "days": 30})
    assert response.context["issued"] is None and not ApiToken.objects.filter(user=bob).exists()
    too_long = client.post(reverse("accounts:tokens"), {"user": colleague.pk, "name": "x", "days": 3650})
    assert too_long.context["issued"] is None


def test_a_refused_attempt_while_locked_counts_once_and_says_why(alice):
    from axes.models import AccessAttempt

    for _ in range(3):
        attempt("alice", "wrong-password")
    _client, response = attempt("alice", PASSWORD)
    assert response.status_code == 429 and "登录失败次数过多" in response.content.decode()
    assert 'value="alice"' in response.content.decode()
    assert (
        sum(AccessAttempt.objects.filter(username="alice").values_list("failures_since_start", flat=True))
        == 4
    )
