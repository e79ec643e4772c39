"""Indicators the policies need beyond the registry's own (added as registry.Indicator rows, not a schema change)."""

from django.db import migrations

INDICATORS = [
    ("hightech_revenue", "高新技术产品（服务）收入", "High-tech products/services revenue", "fen", 60),
    ("st_staff", "科技人员", "S&T staff", "count", 70),
    ("ip_count", "自主知识产权数量", "Owned intellectual property items", "count", 80),
    ("paid_in_capital", "实缴资本（营运资金）", "Paid-in capital (operating funds)", "fen", 90),
    ("equity_raised", "年度募集资金", "Capital raised in the year", "fen", 100),
    ("equity_invested_in_guangxi", "投资广西企业金额", "Invested in Guangxi enterprises", "fen", 110),
    ("equity_received", "获得股权投资金额", "Equity investment received", "fen", 120),
    ("guidance_fund_involved", "政府引导基金参与（1=是，0=否）", "Government guidance fund involved (1 = yes, 0 = no)", "count", 130),
    ("fi_establishment_type", "金融机构设立类型（1法人 2一级分支 3后台中心 4新型）",
     "Financial institution set-up type (1 HQ, 2 first-tier branch, 3 back office, 4 new-type)", "count", 140),
]


def load(apps, schema_editor):
    Indicator = apps.get_model("registry", "Indicator")
    for code, name, name_en, unit, order in INDICATORS:
        Indicator.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "unit": unit, "sort_order": order})


def unload(apps, schema_editor):
    Indicator = apps.get_model("registry", "Indicator")
    IndicatorValue = apps.get_model("registry", "IndicatorValue")
    codes = [row[0] for row in INDICATORS]
    unused = [c for c in codes if not IndicatorValue.objects.filter(indicator_id=c).exists()]
    Indicator.objects.filter(code__in=unused).delete()


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial"), ("registry", "0002_reference_data")]
    operations = [migrations.RunPython(load, unload)]
