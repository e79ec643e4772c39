"""The talent app's reference data: the registry indicator the payout rule `talent_benefit` reads (a new input of the
policy engine is a registry.Indicator row; see docs/policy.md), and the expert panel's rubric. Not a schema change."""

from django.db import migrations

INDICATORS = [
    ("talent_benefit_due", "高层次人才待遇应发额", "High-level talent benefits due", "fen", 300,
     "由人才模块按认定、待遇计划和年度核查写入"),
]
RUBRIC = {
    "code": "talent_panel_2023",
    "name": "高层次人才（特殊人才）认定专家评议",
    "criteria": [
        {"code": "achievement", "label": "业绩与贡献", "weight": 40, "min": 0, "max": 10, "comment_required": True},
        {"code": "standing", "label": "学术（行业）影响力", "weight": 30, "min": 0, "max": 10, "comment_required": False},
        {"code": "fit", "label": "与广西产业发展需求的契合度", "weight": 30, "min": 0, "max": 10, "comment_required": False},
    ],
}


def load(apps, schema_editor):
    Indicator = apps.get_model("registry", "Indicator")
    for code, name, name_en, unit, order, description in INDICATORS:
        Indicator.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "unit": unit, "sort_order": order, "description": description},
        )
    Rubric = apps.get_model("review", "Rubric")
    Rubric.objects.update_or_create(
        code=RUBRIC["code"], defaults={"name": RUBRIC["name"], "criteria": RUBRIC["criteria"]}
    )


def unload(apps, schema_editor):
    Indicator = apps.get_model("registry", "Indicator")
    IndicatorValue = apps.get_model("registry", "IndicatorValue")
    codes = [row[0] for row in INDICATORS]
    unused = [c for c in codes if not IndicatorValue.objects.filter(indicator_id=c).exists()]
    Indicator.objects.filter(code__in=unused).delete()


class Migration(migrations.Migration):
    dependencies = [("talent", "0001_initial"), ("registry", "0002_reference_data"), ("review", "0002_reference_data")]
    operations = [migrations.RunPython(load, unload)]
