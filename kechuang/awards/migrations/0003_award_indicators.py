"""The award figures the policy engine reads (a new engine input is a registry.Indicator row; docs/policy.md):
prize money due by the award decision and the national results recorded here. Not a schema change."""

from django.db import migrations

INDICATORS = [
    ("st_award_prize_due", "广西科学技术奖应得奖金", "Guangxi S&T Award prize due", "fen", 300),
    ("patent_award_prize_due", "广西专利奖应得奖金", "Guangxi Patent Award prize due", "fen", 310),
    ("national_award_prize_led", "牵头获得国家科学技术奖的国家奖金", "National S&T Award prize money (led)", "fen", 320),
    ("national_defence_projects", "牵头申报国家科学技术奖进入答辩阶段（未获奖）的项目数", "National S&T Award applications at the defence stage (led, not awarded)", "count", 330),
]


def load(apps, schema_editor):
    Indicator = apps.get_model("registry", "Indicator")
    for code, name, name_en, unit, order in INDICATORS:
        Indicator.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "unit": unit, "sort_order": order,
                      "description": "由评奖模块按获奖决定和国家奖结果写入"},
        )


def unload(apps, schema_editor):
    Indicator = apps.get_model("registry", "Indicator")
    IndicatorValue = apps.get_model("registry", "IndicatorValue")
    codes = [row[0] for row in INDICATORS]
    unused = [c for c in codes if not IndicatorValue.objects.filter(indicator_id=c).exists()]
    Indicator.objects.filter(code__in=unused).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0002_payout_national_objection_response"), ("registry", "0002_reference_data")]
    operations = [migrations.RunPython(load, unload)]
