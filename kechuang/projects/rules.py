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


PRIORITY = Path(__file__).with_name("rules") / "priority.yaml"


@functools.cache
def priority_spec() -> dict:
    return yaml.safe_load(PRIORITY.read_text(encoding="utf-8"))


@functools.cache
def priority_policies() -> tuple:
    """The priority rules compiled by the policy engine (a broken file fails here, loudly)."""
    from kechuang.policy.engine import compile_policy

    return tuple(compile_policy(spec) for spec in priority_spec()["rules"])


def priority_cap() -> int:
    return int(priority_spec()["cap_points"])


PAYMENT = Path(__file__).with_name("rules") / "payment.yaml"


@functools.cache
def payment_rules() -> dict:
    return yaml.safe_load(PAYMENT.read_text(encoding="utf-8"))


ACCEPTANCE_RUBRIC = Path(__file__).with_name("rules") / "acceptance_rubric.yaml"


@functools.cache
def acceptance_rubric() -> dict:
    return yaml.safe_load(ACCEPTANCE_RUBRIC.read_text(encoding="utf-8"))
