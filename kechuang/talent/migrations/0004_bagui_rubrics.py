"""The rubrics of the 八桂学者 reviews run on kechuang.review: the post review and the applicants' written review and
hearing. Reference data, not a schema change."""

from django.db import migrations

RUBRICS = [
    {
        "code": "bagui_post_2024",
        "name": "八桂学者岗位评审",
        "criteria": [
            {"code": "need", "label": "岗位设置的必要性（学科与产业需求）", "weight": 40, "min": 0, "max": 10, "comment_required": True},
            {"code": "team", "label": "团队基础与平台条件", "weight": 35, "min": 0, "max": 10, "comment_required": False},
            {"code": "support", "label": "设岗单位配套与保障", "weight": 25, "min": 0, "max": 10, "comment_required": False},
        ],
    },
    {
        "code": "bagui_candidate_2024",
        "name": "八桂学者书面评审与答辩",
        "criteria": [
            {"code": "standing", "label": "学术水平与影响力", "weight": 35, "min": 0, "max": 10, "comment_required": True},
            {"code": "innovation", "label": "创新能力与代表性成果", "weight": 30, "min": 0, "max": 10, "comment_required": False},
            {"code": "fit", "label": "与岗位的契合度", "weight": 20, "min": 0, "max": 10, "comment_required": False},
            {"code": "plan", "label": "聘期工作设想", "weight": 15, "min": 0, "max": 10, "comment_required": False},
        ],
    },
]


def load(apps, schema_editor):
    Rubric = apps.get_model("review", "Rubric")
    for rubric in RUBRICS:
        Rubric.objects.update_or_create(
            code=rubric["code"], defaults={"name": rubric["name"], "criteria": rubric["criteria"]}
        )


class Migration(migrations.Migration):
    dependencies = [("talent", "0003_bagui_review"), ("review", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
