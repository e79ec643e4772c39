"""Budget share rules read from `rules/budget.yaml`, with their documents and `unverified` flags."""

import functools
from pathlib import Path

import yaml

RULES = Path(__file__).with_name("rules") / "budget.yaml"


@functools.cache
def budget_rules() -> dict:
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))


def categories() -> dict[str, str]:
    return {code: c["name"] for code, c in budget_rules()["categories"].items()}


def line_rules(line_code: str) -> dict:
    lines = budget_rules()["lines"]
    return lines.get(line_code) or lines["default"]
