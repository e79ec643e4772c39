"""Reference data: the registry indicator the payout rule `institution_post_funding` reads, and the rubric of the
recognition's expert review. Not a schema change."""

from django.db import migrations

INDICATORS = [
    ("institution_post_funding_due", "机构评估后补助应发额", "Post-funding due after evaluation", "fen", 310,
     "由创新平台与研发机构模块按评估等级写入"),
]
RUBRIC = {
    "code": "institution_recognition_2019",
    "name": "新型研发机构、技术转移示范机构认定评审",
    "criteria": [
        {"code": "capacity", "label": "研发（服务）能力与条件", "weight": 30, "min": 0, "max": 10, "comment_required": True},
        {"code": "mechanism", "label": "体制机制创新", "weight": 25, "min": 0, "max": 10, "comment_required": False},
        {"code": "performance", "label": "成果转化与服务绩效", "weight": 30, "min": 0, "max": 10, "comment_required": True},
        {"code": "site", "label": "现场考察情况", "weight": 15, "min": 0, "max": 10, "comment_required": False},
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
    Rubric.objects.update_or_create(code=RUBRIC["code"], defaults={"name": RUBRIC["name"], "criteria": RUBRIC["criteria"]})


def unload(apps, schema_editor):
    Indicator = apps.get_model("registry", "Indicator")
    IndicatorValue = apps.get_model("registry", "IndicatorValue")
    codes = [row[0] for row in INDICATORS]
    unused = [c for c in codes if not IndicatorValue.objects.filter(indicator_id=c).exists()]
    Indicator.objects.filter(code__in=unused).delete()


class Migration(migrations.Migration):
    dependencies = [("platforms", "0001_initial"), ("registry", "0002_reference_data"), ("review", "0002_reference_data")]
    operations = [migrations.RunPython(load, unload)]
