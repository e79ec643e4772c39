import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"

INDICATORS = [
    ("revenue", "营业收入", "Operating revenue", "fen", 10),
    ("rd_spending", "研发经费支出", "R&D expenditure", "fen", 20),
    ("rd_super_deduction", "研发费用加计扣除额（税务确认）", "R&D super-deduction confirmed by tax", "fen", 30),
    ("employees", "从业人员", "Employees", "count", 40),
    ("rd_staff", "研发人员", "R&D staff", "count", 50),
]


def rows(name):
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load(apps, schema_editor):
    Region = apps.get_model("registry", "Region")
    Industry = apps.get_model("registry", "Industry")
    Indicator = apps.get_model("registry", "Indicator")
    for row in rows("regions.csv"):
        Region.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "name_en": row.get("name_en", ""), "level": row["level"],
                      "parent_id": row["parent_code"] or None},
        )
    industries = rows("industries.csv")
    by_code = {row["code"]: row for row in industries}

    def section_of(code):
        row = by_code[code]
        return code if row["level"] == "section" else section_of(row["parent_code"])

    for row in industries:
        Industry.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "name_en": row.get("name_en", ""), "level": row["level"],
                      "parent_id": row["parent_code"] or None, "section": section_of(row["code"])},
        )
    for code, name, name_en, unit, order in INDICATORS:
        Indicator.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "unit": unit, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
