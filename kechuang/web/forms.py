from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kechuang.codes import REGISTRATION_TYPES
from kechuang.registry.models import Region
from kechuang.web.models import COUNTRY_CHOICES, SELF_REGISTERING_KINDS


class RegistrationForm(forms.Form):
    country = forms.ChoiceField(label=_("国家"), choices=COUNTRY_CHOICES, initial="CN")
    name = forms.CharField(label=_("机构名称（与登记证照一致）"), max_length=200)
    name_en = forms.CharField(label=_("英文名称"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("机构类型"), choices=SELF_REGISTERING_KINDS)
    credit_code = forms.CharField(
        label=_("统一社会信用代码（中国机构）"),
        max_length=18,
        required=False,
        help_text=_("18 位，系统会核对校验位。"),
    )
    region = forms.ModelChoiceField(
        label=_("所在地区（中国机构，可不选：按信用代码识别）"),
        queryset=Region.objects.filter(level="city").order_by("code"),
        required=False,
    )
    registration_type = forms.ChoiceField(
        label=_("本国登记号类型（东盟机构）"),
        choices=[("", "—")]
        + [(t.code, format_lazy("{} · {}", t.country, t.label)) for t in REGISTRATION_TYPES],
        required=False,
        help_text=_("选择与所选国家相符的登记号类型。"),
    )
    registration_number = forms.CharField(
        label=_("本国登记号（东盟机构）"),
        max_length=40,
        required=False,
        help_text=_("在本国工商或公司登记机关的注册号。"),
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("电子邮箱"))
    username = forms.RegexField(
        label=_("登录名"),
        max_length=150,
        regex=r"^[\w.@+-]{3,150}$",
        error_messages={"invalid": _("登录名只能包含字母、数字和 @ . + - _，至少 3 个字符。")},
    )
    password = forms.CharField(label=_("密码（至少 10 位）"), widget=forms.PasswordInput, min_length=10)
    password2 = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        if data.get("country") == "CN" and not (data.get("credit_code") or "").strip():
            self.add_error("credit_code", _("中国机构请填写统一社会信用代码。"))
        if (
            data.get("country")
            and data.get("country") != "CN"
            and not (data.get("registration_number") or "").strip()
        ):
            self.add_error("registration_number", _("东盟机构请填写本国登记号。"))
        if data.get("country") and data.get("country") != "CN" and not data.get("registration_type"):
            self.add_error("registration_type", _("东盟机构请选择本国登记号类型。"))
        return data
