from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.money import MAX_FEN, MoneyField, Unit
from kechuang.registry.models import EnterpriseSize, Organisation, OrganisationKind


class OrganisationForm(forms.ModelForm):
    region = forms.CharField(label=_("行政区划代码"), max_length=6)
    industry = forms.CharField(label=_("行业代码"), max_length=5, required=False)
    registered_capital_yuan = MoneyField(label=_("注册资本（元）"), unit=Unit.YUAN, required=False)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "name_en",
            "kind",
            "size",
            "established_on",
            "address",
            "contact_name",
            "contact_phone",
            "website",
            "is_active",
            "bank_name",
            "bank_account",
        ]
        widgets = {"established_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["region"] = self.instance.region_id
            self.initial["industry"] = self.instance.industry_id or ""
            if self.instance.registered_capital_fen is not None:
                self.initial["registered_capital_yuan"] = self.instance.registered_capital_fen

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["region"] = self.cleaned_data["region"]
        data["industry"] = self.cleaned_data["industry"] or None
        data["registered_capital_fen"] = self.cleaned_data.get("registered_capital_yuan")
        return data


class OrganisationOwnerForm(OrganisationForm):
    """The edit page of an organisation's own users: identity fields go to review with an explanation."""

    explanation = forms.CharField(
        label=_("变更说明（修改名称、类型、地区、规模、状态或银行账户时填写，供审核参考）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def _post_clean(self):
        # The model instance is not changed here: identity fields go to review, and the service saves the rest.
        pass


class ChangeDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("refuse", _("驳回"))])
    note = forms.CharField(label=_("审核意见（驳回时必填）"), required=False, max_length=2000)


class IndicatorForm(forms.Form):
    """One yearly figure. There is no source field: the source is the account's (bureau, official or self)."""

    indicator = forms.ChoiceField(label=_("指标"))
    year = forms.IntegerField(label=_("年度"), min_value=1990, max_value=2100)
    value = forms.DecimalField(
        label=_("数值（金额填元，最多两位小数）"),
        min_value=0,
        max_value=MAX_FEN // 100,  # 元: the money limit (kechuang.money.MAX_FEN)
        decimal_places=2,
        max_digits=16,
    )
    reference = forms.CharField(label=_("来源说明（报表、文号等）"), required=False, max_length=200)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = {i.code: i for i in indicators}
        self.fields["indicator"].choices = [(i.code, i.name) for i in indicators]

    def clean(self):
        data = super().clean()
        indicator = self.indicators.get(data.get("indicator"))
        value = data.get("value")
        if indicator is not None and value is not None:
            if indicator.unit == "fen":
                data["stored_value"] = int(value * 100)
            elif value != value.to_integral_value():
                self.add_error("value", _("该指标应为整数。"))
            else:
                data["stored_value"] = int(value)
        return data


class ImportForm(forms.Form):
    KIND_CHOICES = [("indicators", _("年度指标")), ("organisations", _("机构"))]
    kind = forms.ChoiceField(label=_("导入内容"), choices=KIND_CHOICES)
    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))
    valid_rows_only = forms.BooleanField(
        label=_("只导入校验通过的行（其余行列入报告）；不勾选则任何一行有误时整个文件都不导入"),
        required=False,
    )


class OrganisationCreateForm(OrganisationForm):
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=20)

    field_order = ["credit_code", "name"]

    def service_fields(self) -> dict:
        return {"credit_code": self.cleaned_data["credit_code"], **super().service_fields()}


SIZE_CHOICES = [("", _("全部规模")), *EnterpriseSize.choices]
KIND_CHOICES = [("", _("全部类型")), *OrganisationKind.choices]
