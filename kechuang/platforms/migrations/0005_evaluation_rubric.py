"""The rubric of the classified evaluation's expert review run on kechuang.review. Reference data, not a schema
change."""

from django.db import migrations

RUBRIC = {
    "code": "institution_evaluation_2024",
    "name": "科研机构分类评估专家评议",
    "criteria": [
        {"code": "management", "label": "运行管理与制度建设", "weight": 25, "min": 0, "max": 10, "comment_required": False},
        {"code": "output", "label": "创新产出与成果质量", "weight": 35, "min": 0, "max": 10, "comment_required": True},
        {"code": "service", "label": "服务产业与社会贡献", "weight": 25, "min": 0, "max": 10, "comment_required": False},
        {"code": "prospect", "label": "发展潜力", "weight": 15, "min": 0, "max": 10, "comment_required": False},
    ],
}


def load(apps, schema_editor):
    Rubric = apps.get_model("review", "Rubric")
    Rubric.objects.update_or_create(
        code=RUBRIC["code"], defaults={"name": RUBRIC["name"], "criteria": RUBRIC["criteria"]}
    )


class Migration(migrations.Migration):
    dependencies = [("platforms", "0004_expert_review"), ("review", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
