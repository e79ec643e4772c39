"""Parameters with effective dates: quantities ("500万", "20%") parsed exactly, periods checked, values
scheduled in the platform laid over the file's."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kechuang.policy.engine.lang import DefinitionError, DefinitionReason

PARAM_UNITS = ("fen", "bp", "count", "year")

_QUANTITY = re.compile(r"^\s*(-?[\d,]+(?:\.\d+)?)\s*(亿元|亿|万元|万|元|%|‰|bp)?\s*$")
_UNIT_FACTORS = {
    "fen": {
        None: 1,
        "元": 100,
        "万": 1_000_000,
        "万元": 1_000_000,
        "亿": 10_000_000_000,
        "亿元": 10_000_000_000,
    },
    "bp": {None: 1, "bp": 1, "%": 100, "‰": 10},
    "count": {None: 1},
    "year": {None: 1},
}


def parse_quantity(value, unit: str) -> int:
    """ "500万" → 500_0000_00 fen; "20%" → 2000 bp; an int stays as it is. Must be exact."""
    if isinstance(value, bool):
        raise DefinitionError(f"数值不能是真/假：{value!r}")
    if isinstance(value, int):
        return value
    match = _QUANTITY.match(str(value))
    if not match:
        raise DefinitionError(f"无法识别的数值：{value!r}")
    factors = _UNIT_FACTORS.get(unit, {None: 1})
    suffix = match.group(2)
    if suffix not in factors:
        raise DefinitionError(f"数值 {value!r} 的单位与 {unit} 不符")
    try:
        exact = Decimal(match.group(1).replace(",", "")) * factors[suffix]
    except InvalidOperation:
        raise DefinitionError(f"无法识别的数值：{value!r}")
    if exact != exact.to_integral_value():
        raise DefinitionError(f"数值 {value!r} 换算为 {unit} 后不是整数")
    return int(exact)


def parse_date(value, what) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DefinitionError(f"{what}：无法识别的日期 {value!r}")


def parse_label(value, what) -> dict:
    if isinstance(value, str):
        return {"zh": value}
    if not isinstance(value, dict) or not value.get("zh"):
        raise DefinitionError(f"{what}：需要中文名称（zh）")
    return {str(k): str(v) for k, v in value.items()}


@dataclass
class ParamValue:
    value: int
    start: dt.date
    end: dt.date | None
    verified: bool
    document: str
    clause: str
    note: str = ""
    origin: str = "rules"  # "rules" (the YAML file) or "override:<id>" (scheduled in the platform)

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "from": self.start.isoformat(),
            "to": self.end.isoformat() if self.end else None,
            "verified": self.verified,
            "document": self.document,
            "clause": self.clause,
            "note": self.note,
            "origin": self.origin,
        }


@dataclass
class Param:
    name: str
    label: dict
    unit: str
    values: list[ParamValue]

    def at(self, day: dt.date) -> ParamValue | None:
        for value in self.values:
            if value.covers(day):
                return value
        return None


def check_periods(param: Param, start: dt.date, end: dt.date | None, where: str) -> None:
    """Values of a parameter may not overlap, and together must cover the policy's whole effective period."""
    values = sorted(param.values, key=lambda v: v.start)
    for a, b in zip(values, values[1:], strict=False):
        if a.end is None or a.end >= b.start:
            raise DefinitionError(
                f"{where}：参数 {param.name} 的有效期重叠（{a.start}–{a.end or '长期'} 与 {b.start}–{b.end or '长期'}）",
                DefinitionReason.PERIODS_OVERLAP,
            )
        if a.end + dt.timedelta(days=1) != b.start:
            raise DefinitionError(
                f"{where}：参数 {param.name} 在 {a.end} 与 {b.start} 之间没有取值",
                DefinitionReason.PERIOD_GAP,
            )
    if values[0].start > start:
        raise DefinitionError(
            f"{where}：参数 {param.name} 在政策生效日 {start} 没有取值", DefinitionReason.PERIOD_GAP
        )
    last = values[-1].end
    if last is not None and (end is None or last < end):
        raise DefinitionError(
            f"{where}：参数 {param.name} 在 {last} 之后没有取值", DefinitionReason.PERIOD_GAP
        )
    param.values = values


def apply_override(params: dict[str, Param], override: dict, where: str) -> None:
    """A value scheduled in the platform replaces the file's values from its start date (until its end)."""
    name = override["name"]
    if name not in params:
        raise DefinitionError(f"{where}：没有参数 {name}")
    param = params[name]
    start = parse_date(override["from"], where)
    end = parse_date(override.get("to"), where)
    new = ParamValue(
        parse_quantity(override["value"], param.unit),
        start,
        end,
        bool(override.get("verified")),
        str(override.get("document") or ""),
        str(override.get("clause") or ""),
        str(override.get("note") or ""),
        str(override.get("origin") or "override"),
    )
    kept = []
    for v in param.values:
        if v.end is not None and v.end < start or end is not None and v.start > end:
            kept.append(v)
            continue
        if v.start < start:
            kept.append(
                ParamValue(
                    v.value,
                    v.start,
                    start - dt.timedelta(days=1),
                    v.verified,
                    v.document,
                    v.clause,
                    v.note,
                    v.origin,
                )
            )
        if end is not None and (v.end is None or v.end > end):
            kept.append(
                ParamValue(
                    v.value,
                    end + dt.timedelta(days=1),
                    v.end,
                    v.verified,
                    v.document,
                    v.clause,
                    v.note,
                    v.origin,
                )
            )
    kept.append(new)
    param.values = sorted(kept, key=lambda v: v.start)
