from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.accounts.forms import IssueTokenForm, LoginForm
from kechuang.accounts.services import do_change_own_password, do_issue_api_token, do_revoke_api_token
from kechuang.errors import DomainError
from kechuang.permissions import Cap, has_cap
from kechuang.permissions.accounts import token_users, visible_tokens


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        """Sign in, then show the interface in the language of the user's profile, if they chose one."""
        response = super().form_valid(form)
        language = (form.get_user().language or "").lower()
        if language in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
            )
        return response


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_change_own_password(
                request.user,
                form.cleaned_data["old_password"],
                form.cleaned_data["new_password1"],
                acting_user=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改。"))
            return redirect("web:home")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
def token_list(request):
    """API tokens for systems (banks, other departments): issued here by administrators, shown once, revocable."""
    if not has_cap(request.user, Cap.API_TOKENS):
        raise PermissionDenied(Cap.API_TOKENS)
    form = IssueTokenForm(
        request.POST or None,
        users=token_users(request.user).order_by("username"),
        default_days=settings.KECHUANG_API_TOKEN_DAYS,
    )
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            token, key = do_issue_api_token(
                form.cleaned_data["user"],
                form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                acting_user=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            issued = {"token": token, "key": key}
            form = IssueTokenForm(
                users=token_users(request.user).order_by("username"),
                default_days=settings.KECHUANG_API_TOKEN_DAYS,
            )
    tokens = visible_tokens(request.user).order_by("-created_at", "-id")[:200]
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "issued": issued})


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = visible_tokens(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    do_revoke_api_token(token, acting_user=request.user)
    messages.success(request, _("令牌已吊销。"))
    return redirect("accounts:tokens")
