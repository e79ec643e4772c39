from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="kechuang.accounts.official_session")
def shorten_officials_sessions(sender, request, user, **kwargs):
    """Officials act on public money: their sessions end KECHUANG_OFFICIAL_SESSION_SECONDS after login (whichever
    door they used), instead of the default SESSION_COOKIE_AGE."""
    if request is not None and hasattr(request, "session") and getattr(user, "is_official", False):
        request.session.set_expiry(settings.KECHUANG_OFFICIAL_SESSION_SECONDS)
