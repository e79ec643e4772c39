from django.db import migrations


def load(apps, schema_editor):
    from kechuang.review.reference import load_reference

    load_reference(apps.get_model("review", "Discipline"), apps.get_model("review", "Rubric"))


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
