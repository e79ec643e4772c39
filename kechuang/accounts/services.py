from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.models import ApiToken, Role, User
from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode
from kechuang.permissions.accounts import require_token_manager


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
def do_issue_api_token(
    user: User, name: str, *, acting_user, days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token that expires after `days` (default KECHUANG_API_TOKEN_DAYS); the clear key is returned once
    and never stored."""
    if acting_user is not None:
        require_token_manager(acting_user, user)
    days = settings.KECHUANG_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= 365:
        raise DomainError(ErrorCode.INVALID, _("有效天数应在 1 到 365 之间。"))
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=key[3:9],
        key_hash=ApiToken.hash_key(key),
        expires_at=timezone.now() + timedelta(days=days),
        issued_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
    )
    record(
        "accounts.token.issue",
        token,
        acting_user=acting_user,
        changes={"user": [None, user.pk], "expires_at": [None, token.expires_at.isoformat()]},
        organisation_id=user.organisation_id,
    )
    return token, key


@transaction.atomic
def do_revoke_api_token(token: ApiToken, *, acting_user) -> ApiToken:
    if acting_user is not None:
        require_token_manager(acting_user, token.user)
    token = ApiToken.objects.select_for_update(of=("self",)).select_related("user").get(pk=token.pk)
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


@transaction.atomic
def do_change_own_password(user: User, old_password: str, new_password: str, *, acting_user) -> User:
    """A user changes their own password: the old one is checked, the new one validated; audited, never logged."""
    if acting_user is None or acting_user.pk != user.pk:
        raise PermissionDenied("accounts.password:own")
    if not user.check_password(old_password):
        raise DomainError(ErrorCode.INVALID, _("原密码不正确。"), details={"field": "old_password"})
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record("accounts.password.change", user, acting_user=acting_user, organisation_id=user.organisation_id)
    return user
