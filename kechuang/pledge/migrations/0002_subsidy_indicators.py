"""The yearly subsidy bases from loan records, as registry indicators, so the policy engine can read them
(a new input of the engine is a registry.Indicator row; see docs/policy.md). Not a schema change."""

from django.db import migrations

INDICATORS = [
    ("pledge_interest_paid", "知识产权质押贷款已付利息", "Interest paid on patent-pledge loans", "fen", 200),
    ("pledge_valuation_fee", "知识产权质押评估费", "Patent-pledge valuation fees", "fen", 210),
    ("pledge_insurance_premium", "知识产权质押贷款保证保险保费", "Patent-pledge loan insurance premiums", "fen", 220),
    ("pledge_guarantee_fee", "知识产权质押贷款担保费", "Patent-pledge loan guarantee fees", "fen", 230),
]


def load(apps, schema_editor):
    Indicator = apps.get_model("registry", "Indicator")
    for code, name, name_en, unit, order in INDICATORS:
        Indicator.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "unit": unit, "sort_order": order,
                                                                "description": "由质押融资模块按贷款记录写入"})


def unload(apps, schema_editor):
    Indicator = apps.get_model("registry", "Indicator")
    IndicatorValue = apps.get_model("registry", "IndicatorValue")
    codes = [row[0] for row in INDICATORS]
    unused = [c for c in codes if not IndicatorValue.objects.filter(indicator_id=c).exists()]
    Indicator.objects.filter(code__in=unused).delete()


class Migration(migrations.Migration):
    dependencies = [("pledge", "0001_initial"), ("registry", "0002_reference_data")]
    operations = [migrations.RunPython(load, unload)]
