"""Login throttling, through django-axes, for every login door (the site's and the admin's).

Failures are counted per normalised username (NFKC, case-folded: `ａpprover` is `approver`) and per client
address, taken from `X-Forwarded-For` only when the request comes from a configured trusted proxy. A username is
locked after LOGIN_THROTTLE_MAX_FAILURES failures in the window, an address after
LOGIN_THROTTLE_MAX_FAILURES_PER_ADDRESS (many people may share one office address).
"""

import ipaddress
import unicodedata
from datetime import timedelta
from functools import lru_cache

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


def normalise_username(username: str | None) -> str:
    return unicodedata.normalize("NFKC", username or "").strip().casefold()[:150]


def normalised_username(request, credentials: dict | None) -> str:
    """AXES_USERNAME_CALLABLE: the username the failure is counted against."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return normalise_username(username)


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _is_trusted(address) -> bool:
    return address is not None and any(
        address in network for network in _networks(tuple(settings.KECHUANG_TRUSTED_PROXIES))
    )


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, unless that is a trusted proxy; then the nearest address in
    X-Forwarded-For that is not itself a trusted proxy. A forged header from anyone else is ignored."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if not _is_trusted(remote):
        return str(remote) if remote else "0.0.0.0"
    hops = [
        _address(part) for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    for hop in reversed(hops):
        if hop is None:
            break
        if not _is_trusted(hop):
            return str(hop)
    return str(remote)


def failure_limit(request, credentials) -> int:
    """AXES_FAILURE_LIMIT: read at each request so the setting can be changed."""
    return settings.LOGIN_THROTTLE_MAX_FAILURES


def cool_off(request=None) -> timedelta:
    """AXES_COOLOFF_TIME: failures older than the window no longer count."""
    return timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a higher limit per address than per username: the address's failures are
    scaled to the username limit before the two are compared with it."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        by_username, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        per_user, per_address = (
            settings.LOGIN_THROTTLE_MAX_FAILURES,
            settings.LOGIN_THROTTLE_MAX_FAILURES_PER_ADDRESS,
        )
        return max(by_username, by_address * per_user // max(per_address, 1))


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' gate in front of the password check. Every login form passes the request; an authentication made by
    code without one (the test client's `login()`, a management command) has no client to throttle and passes on
    to the password check."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page again, with the reason, as 429."""
    from kechuang.accounts.forms import LoginForm

    # an unbound form: binding it would authenticate (and count a failure) once more
    form = LoginForm(request, initial={"username": request.POST.get("username", "")[:150]})
    context = {
        "form": form,
        "next": request.POST.get("next", ""),
        "refusal": LoginForm.error_messages["throttled"],
    }
    return render(request, "accounts/login.html", context, status=429)
