from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kechuang.bounds import MAX_COUNT, MAX_ID, MAX_LIST_LENGTH, parse_int
from kechuang.events.models import DealType, Event, EventKind, Outcome, Session
from kechuang.money import MoneyField, Unit

TIMEZONE_CHOICES = [
    ("Asia/Shanghai", _("北京时间（Asia/Shanghai）")),
    ("Asia/Ho_Chi_Minh", _("越南（Asia/Ho_Chi_Minh）")),
    ("Asia/Bangkok", _("泰国（Asia/Bangkok）")),
    ("Asia/Jakarta", _("印度尼西亚西部（Asia/Jakarta）")),
    ("Asia/Makassar", _("印度尼西亚中部（Asia/Makassar）")),
    ("Asia/Kuala_Lumpur", _("马来西亚（Asia/Kuala_Lumpur）")),
    ("Asia/Singapore", _("新加坡（Asia/Singapore）")),
    ("Asia/Manila", _("菲律宾（Asia/Manila）")),
    ("Asia/Phnom_Penh", _("柬埔寨（Asia/Phnom_Penh）")),
    ("Asia/Vientiane", _("老挝（Asia/Vientiane）")),
    ("Asia/Yangon", _("缅甸（Asia/Yangon）")),
    ("Asia/Brunei", _("文莱（Asia/Brunei）")),
    ("UTC", "UTC"),
]
DATETIME = {"type": "datetime-local"}


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("活动类型"), choices=EventKind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(label=_("简介"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    original_language = forms.ChoiceField(label=_("原文语言"), choices=settings.LANGUAGES, initial="zh-hans")
    languages = forms.MultipleChoiceField(
        label=_("活动语言"),
        choices=settings.LANGUAGES,
        initial=["zh-hans"],
        widget=forms.CheckboxSelectMultiple,
    )
    timezone = forms.ChoiceField(label=_("活动时区"), choices=TIMEZONE_CHOICES, initial="Asia/Shanghai")
    starts_at = forms.DateTimeField(
        label=_("开始时间（活动时区）"), widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间（活动时区）"), widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")
    )
    venue = forms.CharField(label=_("地点"), max_length=200, required=False)
    online_url = forms.URLField(label=_("线上链接"), required=False)
    city = forms.CharField(label=_("所在城市代码（境外留空）"), max_length=6, required=False)
    partner_ids = forms.CharField(
        label=_("合作单位机构编号（逗号分隔，可选）"), max_length=300, required=False
    )
    quota = forms.IntegerField(label=_("名额（留空不限）"), min_value=0, max_value=MAX_COUNT, required=False)
    when_full = forms.ChoiceField(label=_("名额满后"), choices=Event.WhenFull.choices)
    requires_approval = forms.BooleanField(label=_("报名需审核"), required=False, initial=True)
    status = forms.ChoiceField(label=_("状态"), choices=Event.Status.choices)

    def clean_partner_ids(self):
        from kechuang.registry.models import Organisation

        raw = self.cleaned_data["partner_ids"].replace("，", ",")
        parsed = [parse_int(x, low=1, high=MAX_ID) for x in raw.split(",")[:MAX_LIST_LENGTH] if x.strip()]
        if None in parsed:
            raise forms.ValidationError(_("请填写机构编号，用逗号分隔。"))
        ids = set(parsed)
        partners = list(Organisation.objects.filter(pk__in=ids))
        if len(partners) != len(ids):
            raise forms.ValidationError(_("有机构编号不存在。"))
        return partners

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["partners"] = data.pop("partner_ids")
        # the browser sends wall-clock time: the service reads it in the event's own time zone
        for name in ("starts_at", "ends_at"):
            data[name] = data[name].replace(tzinfo=None)
        data["city"] = data["city"] or None
        return data


class RegisterForm(forms.Form):
    timezone = forms.ChoiceField(label=_("您所在的时区"), choices=TIMEZONE_CHOICES)
    wants_meetings = forms.BooleanField(label=_("参加一对一洽谈"), required=False, initial=True)
    note = forms.CharField(label=_("备注"), max_length=300, required=False)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=Session.Kind.choices)
    room = forms.CharField(label=_("会场"), max_length=100)
    starts_at = forms.DateTimeField(
        label=_("开始（活动时区）"), widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")
    )
    ends_at = forms.DateTimeField(
        label=_("结束（活动时区）"), widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")
    )


class SlotsForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("首个时段开始（活动时区）"),
        widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.IntegerField(label=_("每段分钟"), min_value=5, max_value=240, initial=20)
    count = forms.IntegerField(label=_("时段数"), min_value=1, max_value=64, initial=8)
    tables = forms.IntegerField(label=_("桌数"), min_value=1, max_value=1000, initial=20)


class RoadshowCallForm(forms.Form):
    title = forms.CharField(label=_("征集名称"), max_length=200)
    closes_at = forms.DateTimeField(
        label=_("截止时间（活动时区）"), widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")
    )
    minutes_per_project = forms.IntegerField(
        label=_("每个项目时长（分钟）"), min_value=3, max_value=120, initial=10
    )


class ApplicationForm(forms.Form):
    title = forms.CharField(label=_("项目名称"), max_length=200)
    summary = forms.CharField(label=_("项目简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    techmarket_listing_id = forms.IntegerField(
        label=_("关联技术成果编号（可选）"), min_value=1, max_value=MAX_ID, required=False
    )
    financing_need_id = forms.IntegerField(
        label=_("关联融资需求编号（可选）"), min_value=1, max_value=MAX_ID, required=False
    )


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=Outcome.Kind.choices)
    deal_type = forms.ChoiceField(label=_("合作方式"), choices=DealType.choices)
    title = forms.CharField(label=_("项目"), max_length=200)
    party_ids = forms.CharField(label=_("参与方机构编号（逗号分隔）"), max_length=200)
    amount_yuan = MoneyField(label=_("金额（元）"), unit=Unit.YUAN, required=False)  # cleaned: fen
    meeting_id = forms.IntegerField(
        label=_("洽谈编号（可选）"), min_value=1, max_value=MAX_ID, required=False
    )
    signed_on = forms.DateField(
        label=_("签约日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_party_ids(self):
        raw = self.cleaned_data["party_ids"].replace("，", ",")
        ids = [parse_int(x, low=1, high=MAX_ID) for x in raw.split(",")[:MAX_LIST_LENGTH] if x.strip()]
        if None in ids:
            raise forms.ValidationError(_("请填写机构编号，用逗号分隔。"))
        return ids


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("语言"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(label=_("简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    machine_translated = forms.BooleanField(label=_("机器翻译，待人工核对"), required=False)
