"""Forms only parse; the services decide. Amounts are entered in 万元 (or 元) as decimals and become integer fen."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.bounds import MAX_ID
from kechuang.money import MoneyField, Unit
from kechuang.pledge.models import CooperationModel, LegalStatus, PatentType, ValuationMethod

DATE = forms.DateInput(attrs={"type": "date"})


def percent_to_bp(value: Decimal | None) -> int:
    return 0 if value is None else int((value * 100).to_integral_value())


class WanField(MoneyField):
    """A positive amount entered in 万元; cleans to fen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_fen", 1)
        super().__init__(unit=Unit.WAN, **kwargs)


class YuanField(MoneyField):
    """An amount entered in 元; cleans to fen."""

    def __init__(self, **kwargs):
        super().__init__(unit=Unit.YUAN, **kwargs)


class PercentField(forms.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(max_digits=5, decimal_places=2, min_value=0, max_value=100, **kwargs)


class PatentForm(forms.Form):
    application_number = forms.CharField(
        label=_("申请号"),
        max_length=30,
        help_text=_("例如 ZL201710601862.3"),
        widget=forms.TextInput(
            attrs={
                "data-patent-number": "1",
                "data-msg-ok": _("校验位正确"),
                "data-msg-mismatch": _("校验位不符，请核对号码"),
                "data-msg-nocheck": _("缺少校验位（小数点后的一位）"),
                "data-msg-bad": _("格式不正确：12 位（或 2003 年前 8 位）数字加校验位"),
            }
        ),
    )
    title = forms.CharField(label=_("专利名称"), max_length=200)
    filing_date = forms.DateField(label=_("申请日"), widget=DATE)
    grant_date = forms.DateField(label=_("授权公告日"), required=False, widget=DATE)
    legal_status = forms.ChoiceField(
        label=_("法律状态"), choices=LegalStatus.choices, initial=LegalStatus.GRANTED
    )
    fee_paid_until = forms.DateField(label=_("年费缴至"), required=False, widget=DATE)
    ipc = forms.CharField(label=_("IPC 主分类号"), max_length=30, required=False)
    in_dispute = forms.BooleanField(label=_("存在权属纠纷"), required=False)
    invalidation_pending = forms.BooleanField(label=_("无效宣告请求审查中"), required=False)
    co_owners = forms.CharField(
        label=_("共有人（每行一个；已同意出质的在名称后加“ 同意”）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def co_owner_list(self) -> list[dict]:
        rows = []
        for line in (self.cleaned_data.get("co_owners") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            consents = line.endswith(("同意", "consent", "consents"))
            name = line.removesuffix("同意").removesuffix("consents").removesuffix("consent").strip()
            rows.append({"name": name, "consents_to_pledge": consents})
        return rows

    def service_fields(self) -> dict:
        data = {
            k: self.cleaned_data[k]
            for k in (
                "application_number",
                "title",
                "filing_date",
                "grant_date",
                "legal_status",
                "fee_paid_until",
                "ipc",
                "in_dispute",
                "invalidation_pending",
            )
        }
        data["co_owners"] = self.co_owner_list()
        return data


class PatentStatusForm(forms.Form):
    legal_status = forms.ChoiceField(label=_("法律状态"), choices=LegalStatus.choices)
    grant_date = forms.DateField(label=_("授权公告日"), required=False, widget=DATE)
    fee_paid_until = forms.DateField(label=_("年费缴至"), required=False, widget=DATE)
    in_dispute = forms.BooleanField(label=_("存在权属纠纷"), required=False)
    invalidation_pending = forms.BooleanField(label=_("无效宣告请求审查中"), required=False)


class NeedForm(forms.Form):
    amount_wan = WanField(label=_("融资金额（万元）"))
    term_months = forms.IntegerField(label=_("期限（月）"), min_value=1, max_value=120)
    purpose = forms.CharField(label=_("用途"), max_length=300)
    preferred_model = forms.ChoiceField(
        label=_("意向合作模式"), choices=[("", _("不限"))] + CooperationModel.choices, required=False
    )
    patent_ids = forms.MultipleChoiceField(label=_("拟质押专利"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, patents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patent_ids"].choices = [
            (str(p.pk), f"{p.application_number} {p.title}") for p in patents
        ]

    def service_fields(self) -> dict:
        c = self.cleaned_data
        return {
            "amount_fen": c["amount_wan"],
            "term_months": c["term_months"],
            "purpose": c["purpose"],
            "preferred_model": c["preferred_model"],
            "patent_ids": [int(i) for i in c["patent_ids"]],
        }


class ProductForm(forms.Form):
    name_zh = forms.CharField(label=_("产品名称（中文）"), max_length=120)
    name_en = forms.CharField(label=_("产品名称（英文）"), max_length=120)
    description_zh = forms.CharField(
        label=_("产品说明（中文）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("产品说明（英文）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    min_amount_wan = WanField(label=_("最低金额（万元）"))
    max_amount_wan = WanField(label=_("最高金额（万元）"))
    min_term_months = forms.IntegerField(label=_("最短期限（月）"), min_value=1, max_value=120, initial=1)
    max_term_months = forms.IntegerField(label=_("最长期限（月）"), min_value=1, max_value=120, initial=36)
    rate_percent = forms.DecimalField(
        label=_("年利率（%）"), max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=24
    )
    max_ltv_percent = PercentField(label=_("最高质押率（%）"), initial=50)
    requires_valuation = forms.BooleanField(label=_("需要评估报告"), required=False, initial=True)
    patent_types = forms.MultipleChoiceField(
        label=_("接受的专利类型"), choices=PatentType.choices, widget=forms.CheckboxSelectMultiple
    )
    models_supported = forms.MultipleChoiceField(
        label=_("合作模式"), choices=CooperationModel.choices, widget=forms.CheckboxSelectMultiple
    )
    regions = forms.MultipleChoiceField(
        label=_("服务城市（不选表示全区）"), required=False, widget=forms.CheckboxSelectMultiple
    )
    industries = forms.CharField(
        label=_("支持行业门类（字母，逗号分隔；留空不限）"), required=False, max_length=60
    )

    def __init__(self, *args, cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regions"].choices = [(c.code, c.name) for c in cities]

    @classmethod
    def initial_for(cls, product) -> dict:
        texts = {t.language: t for t in product.texts.all()}
        zh, en = texts.get("zh-hans"), texts.get("en")
        return {
            "name_zh": zh.name if zh else "",
            "name_en": en.name if en else "",
            "description_zh": zh.description if zh else "",
            "description_en": en.description if en else "",
            "min_amount_wan": product.min_amount_fen,
            "max_amount_wan": product.max_amount_fen,
            "min_term_months": product.min_term_months,
            "max_term_months": product.max_term_months,
            "rate_percent": Decimal(product.rate_bp) / 100,
            "max_ltv_percent": Decimal(product.max_ltv_bp) / 100,
            "requires_valuation": product.requires_valuation,
            "patent_types": product.patent_types,
            "models_supported": product.models_supported,
            "regions": product.regions,
            "industries": ", ".join(product.industries),
        }

    def service_fields(self) -> dict:
        c = self.cleaned_data
        return {
            "texts": {
                "zh-hans": {"name": c["name_zh"], "description": c["description_zh"]},
                "en": {"name": c["name_en"], "description": c["description_en"]},
            },
            "min_amount_fen": c["min_amount_wan"],
            "max_amount_fen": c["max_amount_wan"],
            "min_term_months": c["min_term_months"],
            "max_term_months": c["max_term_months"],
            "rate_bp": percent_to_bp(c["rate_percent"]),
            "max_ltv_bp": percent_to_bp(c["max_ltv_percent"]),
            "requires_valuation": c["requires_valuation"],
            "patent_types": c["patent_types"],
            "models_supported": c["models_supported"],
            "regions": c["regions"],
            "industries": [
                s.strip().upper() for s in (c["industries"] or "").replace("，", ",").split(",") if s.strip()
            ],
        }


class ApplyForm(forms.Form):
    product_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    cooperation_model = forms.ChoiceField(
        label=_("合作模式"), choices=[("", _("按需求意向"))] + CooperationModel.choices, required=False
    )


class ValuationForm(forms.Form):
    method = forms.ChoiceField(label=_("评估方法"), choices=ValuationMethod.choices)
    valuer = forms.CharField(label=_("评估机构"), max_length=200)
    report = forms.CharField(label=_("评估报告编号"), max_length=100)
    valuation_wan = WanField(label=_("评估价值（万元）"))
    fee_yuan = YuanField(label=_("评估费（元）"), required=False)
    valued_on = forms.DateField(label=_("评估日期"), required=False, widget=DATE)

    def service_fields(self) -> dict:
        c = self.cleaned_data
        return {
            "method": c["method"],
            "valuer": c["valuer"],
            "report": c["report"],
            "valuation_fen": c["valuation_wan"],
            "fee_fen": c["fee_yuan"] or 0,
            "valued_on": c["valued_on"],
        }


class ApproveForm(forms.Form):
    amount_wan = WanField(label=_("授信金额（万元）"))
    rate_percent = forms.DecimalField(
        label=_("执行年利率（%）"), max_digits=5, decimal_places=2, min_value=Decimal("0.01"), max_value=24
    )
    insurer_id = forms.TypedChoiceField(label=_("保险机构"), coerce=int, required=False, empty_value=None)
    insurance_premium_yuan = YuanField(label=_("保费（元）"), required=False)
    guarantor_id = forms.TypedChoiceField(label=_("担保机构"), coerce=int, required=False, empty_value=None)
    guarantee_fee_yuan = YuanField(label=_("担保费（元）"), required=False)

    def __init__(self, *args, insurers=(), guarantors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insurer_id"].choices = [("", "—")] + [(o.pk, o.name) for o in insurers]
        self.fields["guarantor_id"].choices = [("", "—")] + [(o.pk, o.name) for o in guarantors]

    def service_fields(self) -> dict:
        c = self.cleaned_data
        return {
            "amount_fen": c["amount_wan"],
            "rate_bp": percent_to_bp(c["rate_percent"]),
            "insurer_id": c["insurer_id"],
            "guarantor_id": c["guarantor_id"],
            "insurance_premium_fen": c["insurance_premium_yuan"] or 0,
            "guarantee_fee_fen": c["guarantee_fee_yuan"] or 0,
        }


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("拒绝理由"), max_length=500)


class RegisterForm(forms.Form):
    registration_number = forms.CharField(label=_("质押登记号"), max_length=60)
    registered_on = forms.DateField(label=_("质押登记日"), required=False, widget=DATE)


class DisburseForm(forms.Form):
    disbursed_on = forms.DateField(label=_("放款日"), required=False, widget=DATE)


class RepayForm(forms.Form):
    principal_yuan = YuanField(label=_("本金（元）"))
    interest_yuan = YuanField(label=_("利息（元）"), required=False)
    paid_on = forms.DateField(label=_("还款日"), required=False, widget=DATE)

    def service_fields(self) -> dict:
        c = self.cleaned_data
        return {
            "principal_fen": c["principal_yuan"] or 0,
            "interest_fen": c["interest_yuan"] or 0,
            "paid_on": c["paid_on"],
        }


class DefaultForm(forms.Form):
    defaulted_on = forms.DateField(label=_("违约日"), required=False, widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class DisposeForm(forms.Form):
    method = forms.CharField(label=_("处置方式"), max_length=100, help_text=_("拍卖、转让、许可等"))
    proceeds_yuan = YuanField(label=_("处置回收（元）"))
    disposed_on = forms.DateField(label=_("处置日"), required=False, widget=DATE)


class SchemeForm(forms.Form):
    cooperation_model = forms.ChoiceField(label=_("合作模式"), choices=CooperationModel.choices)
    bank_percent = PercentField(label=_("银行（%）"))
    insurer_percent = PercentField(label=_("保险（%）"), required=False)
    guarantor_percent = PercentField(label=_("担保（%）"), required=False)
    fund_percent = PercentField(label=_("风险补偿资金（%）"), required=False)
    effective_from = forms.DateField(label=_("生效日期"), widget=DATE)
    document_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    verified = forms.BooleanField(label=_("已核实原文"), required=False)

    def service_fields(self) -> dict:
        c = self.cleaned_data
        return {
            "cooperation_model": c["cooperation_model"],
            "bank_bp": percent_to_bp(c["bank_percent"]),
            "insurer_bp": percent_to_bp(c["insurer_percent"]),
            "guarantor_bp": percent_to_bp(c["guarantor_percent"]),
            "fund_bp": percent_to_bp(c["fund_percent"]),
            "effective_from": c["effective_from"],
            "document_number": c["document_number"],
            "verified": c["verified"],
        }
