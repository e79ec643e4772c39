"""Forms of the programme projects. Money is typed in 万元 and cleaned to integer fen (`kechuang.money.MoneyField`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.money import MoneyField, Unit
from kechuang.projects import rules
from kechuang.projects.models import ChangeKind, FundingMode, IntegritySource, ProjectType


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ApplicationForm(forms.Form):
    topic = forms.ChoiceField(label=_("指南方向"))
    recommender = forms.ChoiceField(label=_("推荐单位"))
    project_type = forms.ChoiceField(label=_("项目类型"), choices=ProjectType.choices)
    title = forms.CharField(label=_("项目名称"), max_length=300)
    summary = forms.CharField(label=_("项目摘要"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    pi_name = forms.CharField(label=_("项目负责人"), max_length=100)
    pi_id_digits = forms.CharField(label=_("负责人身份证号后六位"), max_length=6, required=False)
    team = forms.CharField(
        label=_("项目组成员（每行一人：姓名 分工）"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    targets = forms.CharField(label=_("考核指标（每行一项）"), widget=forms.Textarea(attrs={"rows": 3}))
    self_fen = MoneyField(label=_("自筹资金（万元）"), unit=Unit.WAN, required=False)

    def __init__(self, *args, call, recommenders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [(t.pk, str(t)) for t in call.topics.all()]
        self.fields["recommender"].choices = [(o.pk, o.name) for o in recommenders]
        for code, name in rules.categories().items():
            self.fields[f"budget_{code}"] = MoneyField(label=f"{name}（万元）", unit=Unit.WAN, required=False)

    def budget(self) -> dict[str, int]:
        return {
            code: self.cleaned_data.get(f"budget_{code}") or 0
            for code in rules.categories()
            if self.cleaned_data.get(f"budget_{code}")
        }

    def team_members(self) -> list[dict]:
        out = []
        for line in _lines(self.cleaned_data.get("team", "")):
            name, _sep, role = line.partition(" ")
            out.append({"name": name, "role": role.strip()})
        return out

    def target_list(self) -> list[str]:
        return _lines(self.cleaned_data["targets"])


class DecisionForm(forms.Form):
    decision_no = forms.CharField(label=_("厅务会议纪要文号"), max_length=100)
    notice_days = forms.IntegerField(label=_("公示工作日"), min_value=1, max_value=30, initial=5)


class ContractForm(forms.Form):
    starts_on = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("完成日期"), widget=forms.DateInput(attrs={"type": "date"}))
    funding_mode = forms.ChoiceField(label=_("支持方式"), choices=FundingMode.choices)


class ReportForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    spent_fen = MoneyField(label=_("累计支出（万元）"), unit=Unit.WAN)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        for i, target in enumerate(self.targets):
            self.fields[f"t{i}"] = forms.IntegerField(
                label=f"{target}（%）", min_value=0, max_value=100, required=False
            )

    def progress(self) -> list[dict]:
        return [
            {"target": t, "percent": self.cleaned_data[f"t{i}"]}
            for i, t in enumerate(self.targets)
            if self.cleaned_data.get(f"t{i}") is not None
        ]


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("变更事项"), choices=ChangeKind.choices)
    ends_on = forms.DateField(
        label=_("延期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    team = forms.CharField(
        label=_("调整后的项目组成员（每行一人）"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reason = forms.CharField(label=_("变更理由"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in rules.categories().items():
            self.fields[f"budget_{code}"] = MoneyField(label=f"{name}（万元）", unit=Unit.WAN, required=False)

    def payload(self) -> dict:
        kind = self.cleaned_data["kind"]
        if kind == ChangeKind.TIME:
            ends_on = self.cleaned_data.get("ends_on")
            return {"ends_on": ends_on.isoformat() if ends_on else ""}
        if kind == ChangeKind.TEAM:
            return {
                "team": [
                    {"name": line.partition(" ")[0], "role": line.partition(" ")[2]}
                    for line in _lines(self.cleaned_data.get("team", ""))
                ]
            }
        return {
            "budget": {
                code: self.cleaned_data[f"budget_{code}"]
                for code in rules.categories()
                if self.cleaned_data.get(f"budget_{code}")
            }
        }


class AcceptanceForm(forms.Form):
    final_report = forms.CharField(
        label=_("总结报告"), widget=forms.Textarea(attrs={"rows": 4}), max_length=50000
    )
    audit_report_no = forms.CharField(label=_("专项审计报告编号"), max_length=100)
    audit_firm = forms.CharField(label=_("审计机构"), max_length=200)
    spent_fen = MoneyField(label=_("财政资金实际支出（万元）"), unit=Unit.WAN)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        for i, target in enumerate(self.targets):
            self.fields[f"t{i}"] = forms.IntegerField(label=f"{target}（%）", min_value=0, max_value=100)

    def outcomes(self) -> list[dict]:
        return [{"target": t, "percent": self.cleaned_data[f"t{i}"]} for i, t in enumerate(self.targets)]


class AcceptanceDecisionForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("结论"), choices=[("1", _("通过验收")), ("0", _("不通过验收"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("验收意见"), max_length=500)
    misused_fen = MoneyField(label=_("违规使用资金（万元，责令退回）"), unit=Unit.WAN, required=False)


class IntegrityForm(forms.Form):
    source = forms.ChoiceField(label=_("来源"), choices=IntegritySource.choices)
    reference = forms.CharField(label=_("认定文书"), max_length=200)
    reason = forms.CharField(label=_("失信事由"), max_length=500)
    credit_code = forms.CharField(label=_("失信单位统一社会信用代码"), max_length=18, required=False)
    person_name = forms.CharField(label=_("责任人"), max_length=100, required=False)
    person_id_digits = forms.CharField(label=_("身份证号后六位"), max_length=6, required=False)
    starts_on = forms.DateField(label=_("起始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("限制期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CentreForm(forms.Form):
    name = forms.CharField(label=_("中心名称"), max_length=200)
    host_country = forms.CharField(label=_("所在国家（地区，ISO 两位代码）"), max_length=2)
    city = forms.CharField(label=_("所在城市"), max_length=100, required=False)
    partner = forms.CharField(label=_("合作方"), max_length=200, required=False)
    filing_no = forms.CharField(label=_("境外投资备案（核准）文号"), max_length=100)
    established_on = forms.DateField(label=_("设立日期"), widget=forms.DateInput(attrs={"type": "date"}))


class CentreReportForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    staff = forms.IntegerField(label=_("人员（人）"), min_value=0, max_value=10**7)
    new_products = forms.IntegerField(label=_("新产品（个）"), min_value=0, max_value=10**7)
    sales_fen = MoneyField(label=_("销售收入（万元）"), unit=Unit.WAN)
    patents = forms.IntegerField(label=_("专利（件）"), min_value=0, max_value=10**7)
