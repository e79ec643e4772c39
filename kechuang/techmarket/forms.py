from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.bounds import MAX_ID
from kechuang.money import MoneyField, Unit
from kechuang.techmarket.models import (
    COUNTRY_CHOICES,
    LANGUAGE_CHOICES,
    TRL_CHOICES,
    ContractKind,
    FollowUpOutcome,
    ListingKind,
    PriceMode,
    TextOrigin,
    TransferMode,
)

MAX_TEXT_INPUT = (
    20000  # longer input is refused by the service with a clear message; this only bounds the form
)


class ListingForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ListingKind.choices)
    language = forms.ChoiceField(label=_("原文语言"), choices=LANGUAGE_CHOICES)
    title = forms.CharField(label=_("标题"), max_length=1000)
    summary = forms.CharField(
        label=_("简介"), widget=forms.Textarea(attrs={"rows": 5}), max_length=MAX_TEXT_INPUT
    )
    problem = forms.CharField(
        label=_("解决的问题"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_TEXT_INPUT,
    )
    advantage = forms.CharField(
        label=_("相对现有方案的优势"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_TEXT_INPUT,
    )
    trl = forms.TypedChoiceField(label=_("技术就绪度（GB/T 22900）"), choices=TRL_CHOICES, coerce=int)
    ipc_codes = forms.CharField(label=_("IPC分类号（逗号分隔）"), required=False, max_length=400)
    industry = forms.CharField(label=_("行业代码（GB/T 4754）"), required=False, max_length=5)
    transfer_mode = forms.ChoiceField(label=_("合作方式"), choices=TransferMode.choices)
    price_mode = forms.ChoiceField(label=_("价格方式"), choices=PriceMode.choices)
    price_yuan = MoneyField(label=_("价格（元）"), unit=Unit.YUAN, required=False)
    region = forms.CharField(label=_("所在地区代码（国内）"), required=False, max_length=6)
    country = forms.ChoiceField(label=_("国家"), choices=COUNTRY_CHOICES, initial="CN")
    patents = forms.CharField(
        label=_("专利申请号（每行一个）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def service_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "language": d["language"],
            "title": d["title"],
            "summary": d["summary"],
            "problem": d["problem"],
            "advantage": d["advantage"],
            "trl": d["trl"],
            "ipc_codes": d["ipc_codes"],
            "industry": d["industry"] or None,
            "transfer_mode": d["transfer_mode"],
            "price_mode": d["price_mode"],
            "price_fen": d["price_yuan"],
            "region": d["region"] or None,
            "country": d["country"],
            "patents": d["patents"],
        }


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("语言"), choices=LANGUAGE_CHOICES)
    origin = forms.ChoiceField(
        label=_("来源"),
        choices=[
            (TextOrigin.MACHINE, TextOrigin.MACHINE.label),
            (TextOrigin.VERIFIED, TextOrigin.VERIFIED.label),
        ],
    )
    title = forms.CharField(label=_("标题"), max_length=1000)
    summary = forms.CharField(
        label=_("简介"), widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_TEXT_INPUT
    )


class InterestForm(forms.Form):
    note = forms.CharField(
        label=_("意向说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT_INPUT
    )
    anonymous = forms.BooleanField(label=_("通过技术经纪人或技术转移机构匿名联系"), required=False)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("消息"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT_INPUT
    )


class FollowUpForm(forms.Form):
    called_at = forms.DateTimeField(
        label=_("回访时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    outcome = forms.ChoiceField(label=_("结果"), choices=FollowUpOutcome.choices)
    note = forms.CharField(
        label=_("记录"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=MAX_TEXT_INPUT
    )


class ContractForm(forms.Form):
    registration_number = forms.CharField(label=_("登记编号"), max_length=40)
    kind = forms.ChoiceField(label=_("合同类型"), choices=ContractKind.choices)
    title = forms.CharField(label=_("合同名称"), max_length=200)
    seller_credit_code = forms.CharField(label=_("卖方统一社会信用代码"), max_length=18)
    buyer_name = forms.CharField(label=_("买方名称"), max_length=200)
    buyer_country = forms.ChoiceField(label=_("买方国家"), choices=COUNTRY_CHOICES, initial="CN")
    amount_yuan = MoneyField(label=_("合同金额（元）"), unit=Unit.YUAN)
    tech_income_yuan = MoneyField(label=_("技术交易额（元）"), unit=Unit.YUAN)
    signed_on = forms.DateField(label=_("签订日期"), widget=forms.DateInput(attrs={"type": "date"}))
    listing_id = forms.IntegerField(label=_("关联信息编号"), min_value=1, max_value=MAX_ID, required=False)
