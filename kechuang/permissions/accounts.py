"""Who may issue and revoke API tokens: system administrators for any user, an organisation's administrator for
the users of its own organisation (e.g. a bank's system account)."""

from django.core.exceptions import PermissionDenied

from kechuang.accounts.models import Role
from kechuang.permissions.core import Cap, has_cap


def token_users(user):
    """The users `user` may issue API tokens for."""
    from kechuang.accounts.models import User

    if not has_cap(user, Cap.API_TOKENS):
        return User.objects.none()
    active = User.objects.filter(is_active=True)
    if user.role == Role.ADMIN:
        return active
    if user.organisation_id is None:
        return User.objects.none()
    return active.filter(organisation_id=user.organisation_id)


def can_manage_tokens_for(user, target) -> bool:
    return token_users(user).filter(pk=target.pk).exists()


def require_token_manager(user, target) -> None:
    if not can_manage_tokens_for(user, target):
        raise PermissionDenied(Cap.API_TOKENS)


def visible_tokens(user):
    from kechuang.accounts.models import ApiToken

    return ApiToken.objects.filter(user__in=token_users(user)).select_related("user", "issued_by")
