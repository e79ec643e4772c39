from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from kechuang.accounts.models import User

MAX_TOKEN_DAYS = 365


class LoginForm(AuthenticationForm):
    """The login form; throttling happens in the authentication backends (django-axes), for every login door."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。"),
        "throttled": _("登录失败次数过多，请 15 分钟后再试。"),
    }


class IssueTokenForm(forms.Form):
    user = forms.ModelChoiceField(label=_("用户"), queryset=User.objects.none())
    name = forms.CharField(label=_("用途"), max_length=100)
    days = forms.IntegerField(label=_("有效天数"), min_value=1, max_value=MAX_TOKEN_DAYS)

    def __init__(self, *args, users, default_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["days"].initial = min(default_days, MAX_TOKEN_DAYS)
