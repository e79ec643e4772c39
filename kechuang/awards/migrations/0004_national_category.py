from django.db import migrations, models

# The national category of the recommendations made before categories were recorded, from the Guangxi award's
# category (as rules/national_quotas.yaml maps them in 2026; inlined so the migration does not change with it).
DEFAULT = {
    "natural_science": "natural_science",
    "technological_invention": "technological_invention",
    "st_progress": "st_progress",
    "special_contribution": "st_progress",
    "invention_utility": "invention_utility",
    "design": "design",
}


def fill(apps, schema_editor):
    NationalAward = apps.get_model("awards", "NationalAward")
    for entry in NationalAward.objects.filter(nomination__isnull=False, category="").select_related("nomination"):
        entry.category = DEFAULT.get(entry.nomination.category, "")
        entry.save(update_fields=["category"])


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0003_award_indicators"),
    ]

    operations = [
        migrations.AddField(
            model_name="nationalaward",
            name="category",
            field=models.CharField(blank=True, max_length=40, verbose_name="国家奖类别"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
