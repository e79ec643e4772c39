from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from kechuang.accounts.models import ApiToken


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer kc_…` for systems such as banks and other departments."""

    def authenticate(self, request, token):
        if not token:
            return None
        api_token = (
            ApiToken.objects.select_related("user")
            .filter(
                key_hash=ApiToken.hash_key(token),
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
                user__is_active=True,
            )
            .first()
        )
        if api_token is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = api_token.user
        return api_token.user


class SessionAuthWithCsrf(APIKeyCookie):
    """The browser's session, for HTMX and the docs page; unsafe methods need the CSRF token."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None
