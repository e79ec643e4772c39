"""Indicators the corrected rules read (registry.Indicator rows, not a schema change). The tax figure
`rd_super_deduction` keeps its registry name (import files match columns by it); the engine's label says what it
is: the R&D expense accepted for the super-deduction, not the extra deduction."""

from django.db import migrations

INDICATORS = [
    ("rd_self_funded", "企业自筹研发经费（统计107-1）", "Self-funded R&D expenditure (form 107-1)", "fen", 150),
    ("taxable_income", "应纳税所得额（加计扣除前，亏损填0）", "Taxable income before the super-deduction (0 for a loss)", "fen", 160),
    ("total_assets", "资产总额", "Total assets", "fen", 170),
    ("negative_list_revenue", "负面清单行业主营业务收入", "Main-business revenue from negative-list industries", "fen", 180),
    ("total_income", "收入总额", "Total income", "fen", 190),
    ("rd_domestic", "境内研发费用", "R&D expense incurred in China", "fen", 200),
    ("innovation_score", "创新能力评价得分", "Innovation-capability score", "count", 210),
    ("major_incident", "申请前一年重大安全、质量事故或严重环境违法（1=有，0=无）",
     "Major safety, quality or environmental incident in the year before (1 = yes, 0 = no)", "count", 220),
    ("tech_field_supported", "主要产品（服务）属于国家重点支持的高新技术领域（1=是，0=否）",
     "Main products/services in the state-supported high-tech fields (1 = yes, 0 = no)", "count", 230),
    ("rd_expense_q4", "第四季度研发费用", "R&D expense of the fourth quarter", "fen", 240),
    ("ic_or_machine_tool", "集成电路企业或工业母机企业（1=是，0=否）",
     "Integrated-circuit or industrial machine-tool enterprise (1 = yes, 0 = no)", "count", 250),
    ("western_encouraged", "主营业务属西部地区鼓励类产业（1=是，0=否）",
     "Main business in the western encouraged industries (1 = yes, 0 = no)", "count", 260),
    ("independent_legal_person", "在广西设立并取得独立法人资格（1=是，0=否）",
     "Set up in Guangxi as an independent legal person (1 = yes, 0 = no)", "count", 270),
    ("amac_filed", "已在基金业协会完成登记备案（1=是，0=否）",
     "Registered and filed with the Asset Management Association (1 = yes, 0 = no)", "count", 280),
    ("registered_capital", "注册资本", "Registered capital", "fen", 290),
]


def load(apps, schema_editor):
    Indicator = apps.get_model("registry", "Indicator")
    for code, name, name_en, unit, order in INDICATORS:
        Indicator.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "unit": unit, "sort_order": order}
        )


def unload(apps, schema_editor):
    Indicator = apps.get_model("registry", "Indicator")
    IndicatorValue = apps.get_model("registry", "IndicatorValue")
    codes = [row[0] for row in INDICATORS]
    unused = [c for c in codes if not IndicatorValue.objects.filter(indicator_id=c).exists()]
    Indicator.objects.filter(code__in=unused).delete()


class Migration(migrations.Migration):
    dependencies = [("policy", "0005_departments_review_chain_bank_returns")]
    operations = [migrations.RunPython(load, unload)]
