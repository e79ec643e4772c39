"""Recognition criteria, pure code: the measures each criterion names, computed from an application's figures, and
one line of explanation per criterion ("研发人员占比 32.00%，要求 ≥ 30.00%：符合"). A measure whose figures are
missing is "not computable" and named, never taken as zero."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kechuang.money import percent_text, wan_text


def _ratio_bp(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator * 10000 // denominator


MEASURES = {
    "legal_entity_in_guangxi": lambda f, on: f.get("legal_entity_in_guangxi"),
    "operating_days": lambda f, on: (on - f["established_on"]).days if f.get("established_on") else None,
    "rd_spending_fen": lambda f, on: f.get("rd_spending_fen"),
    "rd_share_bp": lambda f, on: _ratio_bp(f.get("rd_spending_fen"), f.get("revenue_fen")),
    "rd_staff_share_bp": lambda f, on: _ratio_bp(f.get("rd_staff"), f.get("staff")),
    "premises_m2": lambda f, on: f.get("premises_m2"),
    "contract_turnover_fen": lambda f, on: f.get("contract_turnover_fen"),
    "brokers": lambda f, on: f.get("brokers"),
    "staff": lambda f, on: f.get("staff"),
}
# the figures each measure needs (named when missing)
NEEDS = {
    "legal_entity_in_guangxi": ["legal_entity_in_guangxi"],
    "operating_days": ["established_on"],
    "rd_spending_fen": ["rd_spending_fen"],
    "rd_share_bp": ["rd_spending_fen", "revenue_fen"],
    "rd_staff_share_bp": ["rd_staff", "staff"],
    "premises_m2": ["premises_m2"],
    "contract_turnover_fen": ["contract_turnover_fen"],
    "brokers": ["brokers"],
    "staff": ["staff"],
}


def show(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "fen":
        return f"{wan_text(value)} 万元"
    if unit == "bp":
        return percent_text(value)
    if unit == "flag":
        return "是" if value else "否"
    if unit == "days":
        return f"{value} 天"
    if unit == "m2":
        return f"{value} 平方米"
    return str(value)


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    value: int | None
    threshold: int
    unit: str
    passed: bool | None  # None: not computable
    text: str
    confidence: str
    missing: tuple[str, ...] = ()


def check(rules: dict, figures: dict, on: dt.date) -> list[Line]:
    lines = []
    for c in rules["criteria"]:
        value = MEASURES[c["measure"]](figures, on)
        missing = tuple(k for k in NEEDS[c["measure"]] if figures.get(k) in (None, ""))
        if value is None:
            passed, text = None, f"{c['label']}：缺少 {('、'.join(missing) or c['measure'])}，无法判断"
        else:
            passed = value >= c["threshold"]
            verdict = "符合" if passed else "不符合"
            text = (
                f"{c['label']}：{show(value, c['unit'])}，要求 ≥ {show(c['threshold'], c['unit'])}：{verdict}"
            )
        lines.append(
            Line(
                c["code"],
                c["label"],
                value,
                c["threshold"],
                c["unit"],
                passed,
                text,
                c.get("confidence", "I"),
                missing,
            )
        )
    return lines
