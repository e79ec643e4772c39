"""Reference data shipped as files (disciplines, rubrics), loaded by a migration and by `load_reference()`."""

from pathlib import Path

import yaml

DATA = Path(__file__).with_name("data")


def disciplines() -> list[tuple[str, str, str]]:
    rows = yaml.safe_load((DATA / "disciplines.yaml").read_text(encoding="utf-8"))
    return [(str(code), name, name_en) for code, name, name_en in rows]


def rubrics() -> list[dict]:
    return yaml.safe_load((DATA / "rubrics.yaml").read_text(encoding="utf-8"))


def load_reference(discipline_model, rubric_model) -> None:
    for code, name, name_en in disciplines():
        discipline_model.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})
    for rubric in rubrics():
        rubric_model.objects.update_or_create(
            code=rubric["code"], defaults={"name": rubric["name"], "criteria": rubric["criteria"]}
        )
