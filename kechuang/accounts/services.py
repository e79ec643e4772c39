from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import ApiToken, LoginFailure, Role, User
from kechuang.audit.services import record


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def is_login_throttled(username: str, ip: str) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.LOGIN_THROTTLE_MAX_FAILURES
    return (
        recent.filter(username=username.lower()).count() >= limit
        or recent.filter(ip_address=ip).count() >= limit * 4
    )


def note_login_failure(username: str, ip: str) -> None:
    LoginFailure.objects.create(username=username.lower()[:150], ip_address=ip[:64])


def clear_login_failures(username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()


@transaction.atomic
def do_create_user(
    username: str,
    password: str,
    *,
    organisation,
    role: str = Role.MEMBER,
    city=None,
    display_name: str = "",
    email: str = "",
    acting_user,
    check_password: bool = True,
) -> User:
    user = User(
        username=username,
        organisation=organisation,
        role=role,
        city=city,
        display_name=display_name,
        email=email,
        is_staff=(role == Role.ADMIN),
    )
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    record(
        "accounts.user.create",
        user,
        acting_user=acting_user,
        changes={"role": [None, role], "organisation": [None, organisation.pk if organisation else None]},
        organisation_id=organisation.pk if organisation else None,
    )
    return user


@transaction.atomic
def do_issue_api_token(user: User, name: str, *, acting_user) -> tuple[ApiToken, str]:
    """Create a token; the clear key is returned once and never stored."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, prefix=key[3:9], key_hash=ApiToken.hash_key(key))
    record("accounts.token.issue", token, acting_user=acting_user, organisation_id=user.organisation_id)
    return token, key


@transaction.atomic
def do_revoke_api_token(token: ApiToken, *, acting_user) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            "accounts.token.revoke",
            token,
            acting_user=acting_user,
            organisation_id=token.user.organisation_id,
        )
    return token
