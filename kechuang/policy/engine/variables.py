"""The variables a policy may refer to: yearly indicators (registry.Indicator rows) and derived facts.

`source` says where the platform takes the value from; the Django layer (`kechuang.policy.inputs`) fills them.
Units: fen (money), count, bp (basis points, 1/10000), year, flag (true/false).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    name: str
    zh: str
    en: str
    unit: str  # fen | count | year | flag
    source: str  # indicator | certification | organisation | ledger | period

    @property
    def type(self) -> str:
        return "bool" if self.unit == "flag" else "int"


# Indicators that live in registry.Indicator (the first five come with the registry; the rest are added by
# the policy app's data migration).
INDICATORS = [
    Variable("revenue", "营业收入", "Operating revenue", "fen", "indicator"),
    Variable("rd_spending", "研发经费支出", "R&D expenditure", "fen", "indicator"),
    # The R&D expense the tax authority accepted for the super-deduction (享受加计扣除的研发费用) — the expense,
    # not the extra deduction (rate × expense): a rate rise (75% → 100%) must not look like more R&D.
    Variable(
        "rd_super_deduction",
        "享受加计扣除的研发费用（税务确认）",
        "R&D expense accepted for the super-deduction (tax authority)",
        "fen",
        "indicator",
    ),
    Variable("employees", "从业人员", "Employees", "count", "indicator"),
    Variable("rd_staff", "研发人员", "R&D staff", "count", "indicator"),
    Variable(
        "hightech_revenue",
        "高新技术产品（服务）收入",
        "High-tech products/services revenue",
        "fen",
        "indicator",
    ),
    Variable("st_staff", "科技人员", "S&T staff", "count", "indicator"),
    Variable("ip_count", "自主知识产权数量", "Owned intellectual property items", "count", "indicator"),
    Variable(
        "paid_in_capital", "实缴资本（营运资金）", "Paid-in capital (operating funds)", "fen", "indicator"
    ),
    Variable("equity_raised", "年度募集资金", "Capital raised in the year", "fen", "indicator"),
    Variable(
        "equity_invested_in_guangxi",
        "投资广西企业金额",
        "Invested in Guangxi enterprises",
        "fen",
        "indicator",
    ),
    Variable("equity_received", "获得股权投资金额", "Equity investment received", "fen", "indicator"),
    Variable(
        "guidance_fund_involved",
        "政府引导基金参与（1=是）",
        "Government guidance fund involved (1 = yes)",
        "count",
        "indicator",
    ),
    # Patent-pledge subsidy bases, written yearly from the loan records by the pledge app's job.
    Variable(
        "pledge_interest_paid", "质押贷款已付利息", "Interest paid on patent-pledge loans", "fen", "indicator"
    ),
    Variable("pledge_valuation_fee", "专利评估费", "Patent valuation fees", "fen", "indicator"),
    Variable(
        "pledge_insurance_premium", "质押贷款保证保险费", "Pledge-loan insurance premiums", "fen", "indicator"
    ),
    Variable("pledge_guarantee_fee", "质押贷款担保费", "Pledge-loan guarantee fees", "fen", "indicator"),
    # A programme project's task-contract milestone due for payment (kechuang.projects passes it per candidate).
    Variable(
        "project_milestone_due", "任务书节点应拨金额", "Task-contract milestone due", "fen", "indicator"
    ),
    # Written yearly by the talent and platforms apps from their own records (benefits due, graded post-funding).
    Variable(
        "talent_benefit_due", "高层次人才待遇应发额", "High-level talent benefits due", "fen", "indicator"
    ),
    Variable(
        "institution_post_funding_due",
        "机构评估后补助应发额",
        "Post-funding due after evaluation",
        "fen",
        "indicator",
    ),
    # Award figures, written by the awards module from the award decisions and the national results it records.
    Variable(
        "st_award_prize_due",
        "广西科学技术奖应得奖金（获奖决定）",
        "Guangxi S&T Award prize due (award decision)",
        "fen",
        "indicator",
    ),
    Variable(
        "patent_award_prize_due",
        "广西专利奖应得奖金（获奖决定）",
        "Guangxi Patent Award prize due (award decision)",
        "fen",
        "indicator",
    ),
    Variable(
        "national_award_prize_led",
        "牵头获得国家科学技术奖的国家奖金",
        "National S&T Award prize money of projects led by the organisation",
        "fen",
        "indicator",
    ),
    Variable(
        "national_defence_projects",
        "牵头申报国家科学技术奖进入答辩阶段（未获奖）的项目数",
        "National S&T Award applications led by the organisation that reached the defence stage (not awarded)",
        "count",
        "indicator",
    ),
    Variable(
        "rd_self_funded",
        "企业自筹研发经费（统计107-1）",
        "Self-funded R&D expenditure (form 107-1)",
        "fen",
        "indicator",
    ),
    Variable(
        "taxable_income",
        "应纳税所得额（加计扣除前）",
        "Taxable income before the super-deduction",
        "fen",
        "indicator",
    ),
    Variable("total_assets", "资产总额", "Total assets", "fen", "indicator"),
    Variable(
        "negative_list_revenue",
        "负面清单行业主营业务收入",
        "Main-business revenue from negative-list industries",
        "fen",
        "indicator",
    ),
    Variable("total_income", "收入总额", "Total income", "fen", "indicator"),
    Variable("rd_domestic", "境内研发费用", "R&D expense incurred in China", "fen", "indicator"),
    Variable("innovation_score", "创新能力评价得分", "Innovation-capability score", "count", "indicator"),
    Variable(
        "major_incident",
        "申请前一年重大安全、质量事故或严重环境违法（1=有，0=无）",
        "Major safety, quality or environmental incident in the year before (1 = yes, 0 = no)",
        "count",
        "indicator",
    ),
    Variable(
        "tech_field_supported",
        "主要产品（服务）属于国家重点支持的高新技术领域（1=是，0=否）",
        "Main products/services in the state-supported high-tech fields (1 = yes, 0 = no)",
        "count",
        "indicator",
    ),
    Variable("rd_expense_q4", "第四季度研发费用", "R&D expense of the fourth quarter", "fen", "indicator"),
    Variable(
        "ic_or_machine_tool",
        "集成电路企业或工业母机企业（1=是，0=否）",
        "Integrated-circuit or industrial machine-tool enterprise (1 = yes, 0 = no)",
        "count",
        "indicator",
    ),
    Variable(
        "western_encouraged",
        "主营业务属西部地区鼓励类产业且收入占比达标（1=是，0=否）",
        "Main business in the western encouraged industries, revenue share met (1 = yes, 0 = no)",
        "count",
        "indicator",
    ),
    Variable(
        "independent_legal_person",
        "在广西设立并取得独立法人资格（1=是，0=否）",
        "Set up in Guangxi as an independent legal person (1 = yes, 0 = no)",
        "count",
        "indicator",
    ),
    Variable(
        "amac_filed",
        "已按中基协发〔2014〕1号完成登记备案（1=是，0=否）",
        "Registered and filed with the Asset Management Association (1 = yes, 0 = no)",
        "count",
        "indicator",
    ),
    Variable("registered_capital", "注册资本", "Registered capital", "fen", "indicator"),
    Variable(
        "fi_establishment_type",
        "金融机构设立类型（1法人 2一级分支 3后台中心 4新型）",
        "Financial institution set-up type (1 HQ, 2 first-tier branch, 3 back office, 4 new-type)",
        "count",
        "indicator",
    ),
]

DERIVED = [
    Variable("year", "评价年度", "Assessment year", "year", "period"),
    Variable(
        "org_age_years",
        "成立满整年数（至年度末）",
        "Full years since establishment (at year end)",
        "count",
        "organisation",
    ),
    Variable(
        "org_age_days",
        "成立天数（至年度末）",
        "Days since establishment (at year end)",
        "count",
        "organisation",
    ),
    Variable("is_enterprise", "是企业", "Is an enterprise", "flag", "organisation"),
    Variable("is_financial_institution", "是金融机构", "Is a financial institution", "flag", "organisation"),
    Variable("is_fund_manager", "是基金管理机构", "Is a fund manager", "flag", "organisation"),
    Variable("above_scale", "规模以上企业", "Above designated size", "flag", "organisation"),
    Variable("is_manufacturing", "制造业企业（门类C）", "Manufacturing (section C)", "flag", "organisation"),
    Variable(
        "excluded_industry",
        "不适用加计扣除的行业",
        "Industry excluded from super-deduction",
        "flag",
        "organisation",
    ),
    Variable(
        "is_hightech",
        "高新技术企业（年末有效）",
        "High-tech enterprise (valid at year end)",
        "flag",
        "certification",
    ),
    Variable(
        "is_gazelle",
        "科技厅认定的瞪羚企业（年末有效）",
        "Gazelle enterprise recognised by the department (valid at year end)",
        "flag",
        "certification",
    ),
    Variable(
        "gazelle_year",
        "瞪羚企业认定后第几年（认定当年为1，未认定为0）",
        "Year since gazelle recognition (1 in the year recognised, 0 if not recognised)",
        "count",
        "certification",
    ),
    Variable("is_tech_sme", "科技型中小企业", "Technology-based SME", "flag", "certification"),
    Variable(
        "hightech_new",
        "本年度首次认定高新技术企业",
        "First recognised as high-tech this year",
        "flag",
        "certification",
    ),
    Variable(
        "hightech_renewed",
        "本年度重新认定高新技术企业",
        "Re-recognised as high-tech this year",
        "flag",
        "certification",
    ),
    Variable(
        "paid_before", "以前年度已获本政策奖补", "Already paid under this policy before", "flag", "ledger"
    ),
]

VARIABLES: dict[str, Variable] = {v.name: v for v in INDICATORS + DERIVED}

# The sources each indicator accepts where a rule pays money (kind "payout"), best first. Source codes are those of
# `registry.models.IndicatorSource`: tax, statistics, market (market regulator / IP office), financial (local
# financial regulator), verified (a department official), platform (the platform's own business records),
# self (declared by the organisation). A self-declared figure is never accepted here; estimates and self-checks
# (kinds "estimate" and "assessment") accept every source, and the calculator shows what a payout would be if the
# organisation's own figures were confirmed, marked as such.
STATISTICS_FIRST = ("statistics", "tax", "verified")
ACCEPTED_SOURCES: dict[str, tuple[str, ...]] = {
    "revenue": STATISTICS_FIRST,
    "rd_spending": STATISTICS_FIRST,  # the statistics bureau's 107-1 R&D report
    "rd_super_deduction": ("tax",),  # the R&D expense the tax authority confirmed for the super-deduction
    "employees": ("statistics", "verified"),
    "rd_staff": ("statistics", "verified"),
    "hightech_revenue": STATISTICS_FIRST,
    "st_staff": ("statistics", "verified"),
    "ip_count": ("market", "verified"),
    "paid_in_capital": ("financial", "market"),  # the regulators' records, never a declaration
    "equity_raised": ("financial", "verified"),
    "equity_invested_in_guangxi": ("financial", "verified"),
    "equity_received": ("financial", "verified"),
    "guidance_fund_involved": ("financial", "verified"),
    "pledge_interest_paid": ("platform", "market", "verified"),
    "pledge_valuation_fee": ("platform", "market", "verified"),
    "pledge_insurance_premium": ("platform", "market", "verified"),
    "pledge_guarantee_fee": ("platform", "market", "verified"),
    "fi_establishment_type": ("financial",),
    "rd_self_funded": ("statistics", "verified"),  # 107-1: 企业资金
    "taxable_income": ("tax",),
    "total_assets": ("statistics", "tax", "verified"),
    "negative_list_revenue": ("tax", "statistics", "verified"),
    "total_income": ("tax", "statistics", "verified"),
    "rd_domestic": ("tax", "verified"),
    "innovation_score": ("verified",),
    "major_incident": ("market", "verified"),
    "tech_field_supported": ("verified",),
    "rd_expense_q4": ("tax",),
    "ic_or_machine_tool": ("verified",),
    "western_encouraged": ("tax", "verified"),
    "independent_legal_person": ("market", "financial", "verified"),
    "amac_filed": ("financial", "verified"),
    "registered_capital": ("market", "financial"),  # the licence, as the local financial regulator records it
    "project_milestone_due": ("platform",),  # the platform's own task contracts
    "talent_benefit_due": ("platform",),  # the talent app's schedules, never a declaration
    "institution_post_funding_due": ("platform",),  # the platforms app's graded evaluations
    # only the awards module's own records (the decision, the national results it records), never a declaration
    "st_award_prize_due": ("platform",),
    "patent_award_prize_due": ("platform",),
    "national_award_prize_led": ("platform",),
    "national_defence_projects": ("platform",),
}
ANY_SOURCE = ("tax", "statistics", "market", "financial", "verified", "platform", "self")


def accepted_sources(name: str, kind: str = "payout") -> tuple[str, ...]:
    """The sources an indicator variable accepts in a policy of `kind`; an indicator without an entry accepts
    none where money is paid (so a new indicator must name its sources before a payout rule can use it)."""
    if kind != "payout":
        return ANY_SOURCE
    return ACCEPTED_SOURCES.get(name, ())
