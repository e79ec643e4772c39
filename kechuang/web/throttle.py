"""Anonymous POSTs (the public 公示 objection forms, registration, the API's public objection operation) are
counted per client address and refused with 429 past KECHUANG_ANON_POST_LIMIT in KECHUANG_ANON_POST_WINDOW_SECONDS.

The address is the login throttle's (`kechuang.accounts.throttle.client_ip`): X-Forwarded-For only from a trusted
proxy, so behind the README's reverse proxy each client is counted on its own and a forged header from anyone
else counts against the sender's own address. The login doors are left to django-axes (per username and address);
switching the language is no submission. "Anonymous" is neither a session user nor a valid API token: an invented
`Authorization` header does not escape the count. The counts live in the database so every worker process shares
them.
"""

import re
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.throttle import client_ip
from kechuang.errors import ErrorCode

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
EXEMPT_VIEWS = {"accounts:login", "admin:login", "set_language"}


@lru_cache(maxsize=1)
def _public_api_operations() -> frozenset[tuple[str, str]]:
    """(method, path with "{}" for each parameter) of the API operations that need no authentication."""
    from config.api import api

    schema = api.get_openapi_schema(path_prefix="/api")
    return frozenset(
        (method.upper(), re.sub(r"{\w+}", "{}", path).rstrip("/"))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "security" not in operation
    )


def _answers_401_anyway(request, match) -> bool:
    """An API operation that needs authentication refuses an anonymous call by itself (401), doing nothing."""
    if match is None or match.namespace != "api":
        return False
    path = "/" + re.sub(r"<(?:\w+:)?\w+>", "{}", match.route).rstrip("/")
    return (request.method, path) not in _public_api_operations()


def _has_valid_token(request) -> bool:
    from kechuang.accounts.models import ApiToken

    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return False
    return ApiToken.objects.filter(
        key_hash=ApiToken.hash_key(key.strip()),
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
        user__is_active=True,
    ).exists()


def is_anonymous(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not _has_valid_token(request)


def allow_anonymous_post(request) -> bool:
    """Count this anonymous POST; False when its client is over the limit (then nothing is counted)."""
    from kechuang.web.models import AnonymousPost

    now = timezone.now()
    since = now - timedelta(seconds=settings.KECHUANG_ANON_POST_WINDOW_SECONDS)
    address = client_ip(request)
    sent = AnonymousPost.objects.filter(address=address, at__gte=since).count()
    if sent >= settings.KECHUANG_ANON_POST_LIMIT:
        return False
    if sent == 0:  # the client's first in the window: a good moment to forget old ones (cheap, indexed)
        AnonymousPost.objects.filter(at__lt=since).delete()
    AnonymousPost.objects.create(address=address, at=now)
    return True


def refusal(request):
    minutes = max(1, settings.KECHUANG_ANON_POST_WINDOW_SECONDS // 60)
    text = _("提交过于频繁，请 %(minutes)s 分钟后再试；已登录用户不受此限制。") % {"minutes": minutes}
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": ErrorCode.THROTTLED.value, "message": text}, status=429)
    else:
        context = {"status": 429, "title": _("提交过于频繁"), "text": text}
        response = render(request, "web/error.html", context, status=429)
    response["Retry-After"] = str(settings.KECHUANG_ANON_POST_WINDOW_SECONDS)
    return response


class AnonymousPostThrottleMiddleware:
    """After authentication and CSRF: counts (and past the limit refuses) every POST, PUT, PATCH or DELETE sent
    without a session or a valid API token, before its view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS:
            return None
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        if _answers_401_anyway(request, match):
            return None
        if not is_anonymous(request) or allow_anonymous_post(request):
            return None
        return refusal(request)
