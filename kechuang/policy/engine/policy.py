"""A policy as data: definition checks, parameters with effective dates, batch and single evaluation.

A definition is a plain dict (read from YAML). `compile_policy` checks it completely — unknown indicators,
type errors, overlapping or missing parameter periods, a rounding mode that does not exist — and raises
`DefinitionError`; after that, evaluation never raises for bad data: an enterprise whose figures are missing,
negative or make a divisor zero gets status NOT_COMPUTABLE with a reason, and the rest of the batch goes on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import numpy as np

from kechuang.policy.engine.evaluate import (
    ROUNDING_MODES,
    Bad,
    FastEvaluator,
    Reasons,
    ScalarEvaluator,
    VectorEvaluator,
)
from kechuang.policy.engine.lang import DefinitionError, DefinitionReason, Node, check, names_in, parse
from kechuang.policy.engine.variables import VARIABLES

INELIGIBLE, ELIGIBLE, NOT_COMPUTABLE = 0, 1, 2
STATUS_NAMES = {INELIGIBLE: "ineligible", ELIGIBLE: "eligible", NOT_COMPUTABLE: "not_computable"}
PARAM_UNITS = ("fen", "bp", "count", "year")
KINDS = ("payout", "estimate", "assessment")

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


def _date(value, what) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DefinitionError(f"{what}：无法识别的日期 {value!r}")


def _label(value, what) -> dict:
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


@dataclass
class Condition:
    key: str
    label: dict
    node: Node
    gap: Node | None = None
    gap_unit: str = "fen"
    gap_label: dict | None = None


@dataclass
class Step:
    key: str
    label: dict
    node: Node
    unit: str = "fen"


@dataclass
class Policy:
    code: str
    name: dict
    kind: str
    document: str
    clause: str
    effective_from: dt.date
    effective_to: dt.date | None
    applies_to: list[str]
    group: str
    rounding: str
    params: dict[str, Param]
    conditions: list[Condition]
    steps: list[Step]
    cap: Node | None
    cap_label: dict
    summary: dict = field(default_factory=dict)
    revision: str = ""
    # the article of the document the rule follows, and whether that reference was checked against the text
    # (an unchecked reference is flagged to officials like an unverified parameter)
    article: str = ""
    reference_verified: bool = False
    reference_note: str = ""
    reasons: Reasons = field(default_factory=Reasons)
    source: dict = field(default_factory=dict)

    # ---- periods and parameters -------------------------------------------------------------------------
    @staticmethod
    def as_of(year: int) -> dt.date:
        return dt.date(year, 12, 31)

    def in_effect(self, year: int) -> bool:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return self.effective_from <= end and (self.effective_to is None or self.effective_to >= start)

    def params_for(self, year: int) -> dict[str, ParamValue]:
        day = self.as_of(year)
        if self.effective_to is not None and day > self.effective_to:
            day = self.effective_to
        resolved = {}
        for name, param in self.params.items():
            value = param.at(day)
            if value is None:
                raise DefinitionError(f"{self.code}：参数 {name} 在 {day} 没有有效值")
            resolved[name] = value
        return resolved

    def required_inputs(self) -> set[tuple[str, int]]:
        """Every (variable, period offset) the policy reads; computed once per compiled policy."""
        cached = self.__dict__.get("_required")
        if cached is not None:
            return set(cached)
        needed = set()
        for node in self.all_nodes():
            for name in names_in(node):
                if name.kind == "var":
                    needed.add((name.name, name.offset))
        self.__dict__["_required"] = frozenset(needed)
        return needed

    def all_nodes(self):
        for cond in self.conditions:
            yield cond.node
            if cond.gap is not None:
                yield cond.gap
        for step in self.steps:
            yield step.node
        if self.cap is not None:
            yield self.cap

    @property
    def reference(self) -> str:
        """The document and article, e.g. "桂政发〔2019〕69号 第五条"."""
        return f"{self.document} {self.article}".strip()

    @property
    def unverified_params(self) -> list[str]:
        return sorted({name for name, p in self.params.items() for v in p.values if not v.verified})

    # ---- evaluation -------------------------------------------------------------------------------------
    def evaluate_batch(self, year: int, data: dict, n: int, checked: dict | None = None) -> BatchResult:
        """Evaluate every enterprise at once. `data[(name, offset)] = (int64 values, present mask)`.

        `checked`: pass the same empty dict to every policy evaluated on the same arrays, so that each input is
        checked (missing, negative, out of range) once rather than once per policy. The arrays must not be
        changed in place between those calls."""
        if not self.in_effect(year):
            return BatchResult.empty(n, self.reasons.id("not_in_effect", year))
        params = {k: v.value for k, v in self.params_for(year).items()}
        data = dict(data)
        if ("year", 0) in self.required_inputs() and ("year", 0) not in data:
            data[("year", 0)] = (np.full(n, year, dtype=np.int64), np.ones(n, dtype=bool))
        status, amount, failed, capped = self._evaluate_fast(data, params, n, checked)
        why = np.zeros(n, dtype=np.int32)
        rows = np.flatnonzero(status == NOT_COMPUTABLE)
        if rows.size:
            # name the reasons: the tracing pass, on the not-computable rows only
            subset = {
                key: (np.asarray(data[key][0])[rows], np.asarray(data[key][1])[rows])
                for key in self.required_inputs() | ({("year", 0)} & data.keys())
            }
            why[rows] = self._evaluate_traced(subset, params, rows.size).reason
        return BatchResult(status, amount, failed, why, capped)

    def _evaluate_fast(self, data: dict, params: dict, n: int, checked: dict | None = None):
        """Status, amount, failed condition and capped for every row, without reasons (see evaluate.py)."""
        ev = FastEvaluator(data, params, self.rounding, n, checked)
        status = np.full(n, ELIGIBLE, dtype=np.int8)
        failed = np.full(n, -1, dtype=np.int16)
        open_ = np.ones(n, dtype=bool)
        for i, cond in enumerate(self.conditions):
            v = ev.eval(cond.node)
            val = np.broadcast_to(np.asarray(v.val, dtype=bool), (n,))
            if v.bad is not False:
                np.copyto(status, NOT_COMPUTABLE, where=open_ & v.bad)
                open_ &= ~v.bad
            false = open_ & ~val
            np.copyto(status, INELIGIBLE, where=false)
            np.copyto(failed, i, where=false)
            open_ &= val
        for step in self.steps:
            ev.steps[step.key] = ev.eval(step.node)
        value, bad = ev.full(ev.steps[self.steps[-1].key])
        capped = None
        if self.cap is not None:
            cval, cbad = ev.full(ev.eval(self.cap))
            bad = bad | cbad
            capped = value > cval
            value = np.minimum(value, cval)
        stop = open_ & (bad | (value < 0))
        np.copyto(status, NOT_COMPUTABLE, where=stop)
        ok = open_ & ~stop
        amount = np.where(ok, value, 0)
        capped = np.zeros(n, dtype=bool) if capped is None else capped & ok
        return status, amount, failed, capped

    def _evaluate_traced(self, data: dict, params: dict, n: int) -> BatchResult:
        """The evaluation that also names the reason of every not-computable row."""
        ev = VectorEvaluator(data, params, self.reasons, self.rounding, n)
        status = np.full(n, -1, dtype=np.int8)
        failed = np.full(n, -1, dtype=np.int16)
        why = np.zeros(n, dtype=np.int32)
        for i, cond in enumerate(self.conditions):
            val, bad, reason = ev.full(ev.eval(cond.node), bool)
            open_ = status < 0
            hit_bad = open_ & bad
            hit_false = open_ & ~bad & ~val
            status[hit_bad] = NOT_COMPUTABLE
            why[hit_bad] = reason[hit_bad]
            status[hit_false] = INELIGIBLE
            failed[hit_false] = i
        amount = np.zeros(n, dtype=np.int64)
        capped = np.zeros(n, dtype=bool)
        for step in self.steps:
            ev.steps[step.key] = ev.eval(step.node)
        value, bad, reason = ev.full(ev.steps[self.steps[-1].key])
        if self.cap is not None:
            cval, cbad, creason = ev.full(ev.eval(self.cap))
            reason = np.where(bad, reason, creason)
            bad = bad | cbad
            capped = ~bad & (value > cval)
            value = np.where(capped, cval, value)
        open_ = status < 0
        negative = open_ & ~bad & (value < 0)
        hit_bad = open_ & bad
        status[hit_bad] = NOT_COMPUTABLE
        why[hit_bad] = reason[hit_bad]
        status[negative] = NOT_COMPUTABLE
        why[negative] = self.reasons.id("negative_amount")
        ok = status < 0
        status[ok] = ELIGIBLE
        amount[ok] = value[ok]
        capped &= ok
        return BatchResult(status, amount, failed, why, capped)

    def evaluate_one(self, year: int, inputs: dict, sources: dict | None = None) -> OneResult:
        """Evaluate one enterprise with a full trace. `inputs[(name, offset)] = int or None`."""
        trace: list[dict] = []
        if not self.in_effect(year):
            return OneResult(NOT_COMPUTABLE, 0, -1, ("not_in_effect", year), False, trace, [])
        resolved = self.params_for(year)
        inputs = dict(inputs)
        inputs.setdefault(("year", 0), year)
        ev = ScalarEvaluator(inputs, {k: v.value for k, v in resolved.items()}, self.rounding)
        status, failed, reason = None, -1, None
        gaps = []
        for i, cond in enumerate(self.conditions):
            entry = {"kind": "condition", "key": cond.key, "label": cond.label, "expr": cond.node.text}
            trace.append(entry)
            try:
                result = bool(ev.eval(cond.node))
            except Bad as bad:
                entry["result"], entry["reason"] = None, list(bad.reason)
                status, reason = NOT_COMPUTABLE, bad.reason
                break
            entry["result"] = result
            if not result:
                status, failed = INELIGIBLE, i
                gaps = self._gaps(ev, i)
                break
        amount, capped = 0, False
        if status is None:
            value = None
            for step in self.steps:
                entry = {
                    "kind": "step",
                    "key": step.key,
                    "label": step.label,
                    "expr": step.node.text,
                    "unit": step.unit,
                }
                trace.append(entry)
                try:
                    value = ev.eval(step.node)
                    ev.steps[step.key] = value
                    entry["value"] = value
                except Bad as bad:
                    ev.steps[step.key] = bad
                    entry["value"], entry["reason"] = None, list(bad.reason)
                    status, reason = NOT_COMPUTABLE, bad.reason
                    break
            if status is None and self.cap is not None:
                entry = {"kind": "cap", "label": self.cap_label, "expr": self.cap.text, "before": value}
                trace.append(entry)
                try:
                    cap = ev.eval(self.cap)
                    entry["cap"] = cap
                    capped = value > cap
                    value = min(value, cap)
                    entry["applied"], entry["after"] = capped, value
                except Bad as bad:
                    entry["reason"] = list(bad.reason)
                    status, reason = NOT_COMPUTABLE, bad.reason
            if status is None:
                if value < 0:
                    status, reason = NOT_COMPUTABLE, ("negative_amount",)
                else:
                    status, amount = ELIGIBLE, value
        used = self._used_trace(ev, year, resolved, sources or {})
        trace = used + trace
        trace.append(
            {
                "kind": "result",
                "status": STATUS_NAMES[status],
                "amount": amount,
                "reason": list(reason) if reason else None,
            }
        )
        return OneResult(status, amount, failed, reason, bool(capped), trace, gaps)

    def check_each(self, year: int, inputs: dict) -> list[dict]:
        """Every condition on its own (a self-assessment shows them all, not only the first that fails):
        [{"key", "label", "result": True | False | None (unknown: data missing or not computable), "reason"}]."""
        if not self.in_effect(year):
            return []
        inputs = dict(inputs)
        inputs.setdefault(("year", 0), year)
        ev = ScalarEvaluator(inputs, {k: v.value for k, v in self.params_for(year).items()}, self.rounding)
        out = []
        for cond in self.conditions:
            try:
                out.append(
                    {"key": cond.key, "label": cond.label, "result": bool(ev.eval(cond.node)), "reason": None}
                )
            except Bad as bad:
                out.append({"key": cond.key, "label": cond.label, "result": None, "reason": list(bad.reason)})
        return out

    def _gaps(self, ev: ScalarEvaluator, index: int) -> list[dict]:
        cond = self.conditions[index]
        if cond.gap is None:
            return []
        try:
            value = ev.eval(cond.gap)
        except Bad as bad:
            return [
                {
                    "key": cond.key,
                    "label": cond.gap_label or cond.label,
                    "value": None,
                    "reason": list(bad.reason),
                }
            ]
        if value <= 0:
            return []
        return [
            {"key": cond.key, "label": cond.gap_label or cond.label, "value": value, "unit": cond.gap_unit}
        ]

    def _used_trace(self, ev, year, resolved, sources) -> list[dict]:
        entries = []
        for key, value in ev.used.items():
            if key[0] == "var":
                _, name, offset = key
                var = VARIABLES[name]
                entries.append(
                    {
                        "kind": "input",
                        "name": name,
                        "label": {"zh": var.zh, "en": var.en},
                        "unit": var.unit,
                        "period": year + offset,
                        "value": value,
                        "source": sources.get((name, offset), var.source),
                    }
                )
            elif key[0] == "param":
                p = self.params[key[1]]
                entries.append(
                    {
                        "kind": "param",
                        "name": key[1],
                        "label": p.label,
                        "unit": p.unit,
                        **resolved[key[1]].as_dict(),
                    }
                )
        return entries

    def reason_of(self, rid: int) -> tuple:
        return self.reasons[int(rid)]


@dataclass
class BatchResult:
    status: np.ndarray  # int8: INELIGIBLE / ELIGIBLE / NOT_COMPUTABLE
    amount: np.ndarray  # int64 fen, 0 unless eligible
    failed: np.ndarray  # int16: index of the first failed condition, -1 if none
    reason: np.ndarray  # int32 reason id where not computable
    capped: np.ndarray  # bool: the cap lowered the amount

    @classmethod
    def empty(cls, n, reason_id):
        return cls(
            np.full(n, NOT_COMPUTABLE, dtype=np.int8),
            np.zeros(n, dtype=np.int64),
            np.full(n, -1, dtype=np.int16),
            np.full(n, reason_id, dtype=np.int32),
            np.zeros(n, dtype=bool),
        )


@dataclass
class OneResult:
    status: int
    amount: int
    failed: int
    reason: tuple | None
    capped: bool
    trace: list[dict]
    gaps: list[dict]

    @property
    def eligible(self) -> bool:
        return self.status == ELIGIBLE

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]


# ---- definition -------------------------------------------------------------------------------------------


def compile_policy(spec: dict, overrides: list[dict] | None = None) -> Policy:
    """Check a policy definition completely and compile it. Raises DefinitionError with a clear message."""
    if not isinstance(spec, dict):
        raise DefinitionError("政策定义必须是映射（YAML 字典）")
    code = str(spec.get("code") or "")
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,60}", code):
        raise DefinitionError(f"政策代码无效：{code!r}")
    where = f"政策 {code}"
    kind = spec.get("kind", "payout")
    if kind not in KINDS:
        raise DefinitionError(f"{where}：kind 应为 {KINDS}")
    rounding = spec.get("rounding", "half_up")
    if rounding not in ROUNDING_MODES:
        raise DefinitionError(
            f"{where}：rounding 应为 {ROUNDING_MODES} 之一，实为 {rounding!r}", DefinitionReason.ROUNDING
        )
    effective_from = _date(spec.get("effective_from"), where)
    if effective_from is None:
        raise DefinitionError(f"{where}：缺少 effective_from")
    effective_to = _date(spec.get("effective_to"), where)
    if effective_to is not None and effective_to < effective_from:
        raise DefinitionError(f"{where}：effective_to 早于 effective_from")
    document = str(spec.get("document") or "")
    if not document:
        raise DefinitionError(f"{where}：缺少文号（document）", DefinitionReason.NO_DOCUMENT)
    article = str(spec.get("article") or "")  # the shipped rules all name one (checked by their tests)
    reference_verified = spec.get("reference_verified", False)
    if not isinstance(reference_verified, bool):
        raise DefinitionError(f"{where}：reference_verified 应为 true 或 false")

    params = {}
    for name, pspec in (spec.get("params") or {}).items():
        if name in VARIABLES:
            raise DefinitionError(f"{where}：参数名 {name} 与指标重名")
        unit = pspec.get("unit", "fen")
        if unit not in PARAM_UNITS:
            raise DefinitionError(f"{where}：参数 {name} 的单位应为 {PARAM_UNITS}")
        values = []
        for v in pspec.get("values") or []:
            start = _date(v.get("from"), f"{where} 参数 {name}") or effective_from
            values.append(
                ParamValue(
                    value=parse_quantity(v["value"], unit),
                    start=start,
                    end=_date(v.get("to"), f"{where} 参数 {name}"),
                    verified=bool(v.get("verified", False)),
                    document=str(v.get("document") or document),
                    clause=str(v.get("clause") or spec.get("clause") or ""),
                    note=str(v.get("note") or ""),
                )
            )
        if not values:
            raise DefinitionError(f"{where}：参数 {name} 没有取值", DefinitionReason.PERIOD_GAP)
        params[name] = Param(name, _label(pspec.get("label", name), f"{where} 参数 {name}"), unit, values)
    for override in overrides or []:
        apply_override(params, override, where)
    for param in params.values():
        check_periods(param, effective_from, effective_to, where)

    scope = {name: f"var:{var.type}" for name, var in VARIABLES.items()}
    scope.update(dict.fromkeys(params, "param:int"))

    applies_to = list(spec.get("applies_to") or [])
    conditions = []
    kind_flags = {
        "enterprise": "is_enterprise",
        "financial_institution": "is_financial_institution",
        "fund_manager": "is_fund_manager",
    }
    if applies_to:
        unknown = [a for a in applies_to if a not in kind_flags]
        if unknown:
            raise DefinitionError(f"{where}：applies_to 未知的机构类型 {unknown}")
        text = " or ".join(kind_flags[a] for a in applies_to)
        node = parse(text)
        check(node, scope)
        conditions.append(
            Condition(
                "applies_to", {"zh": "机构类型符合政策适用范围", "en": "Organisation type is covered"}, node
            )
        )
    for i, cspec in enumerate(spec.get("conditions") or []):
        key = str(cspec.get("key") or f"c{i + 1}")
        node = _compile_expr(cspec.get("expr"), scope, "bool", f"{where} 条件 {key}")
        gap = None
        if cspec.get("gap"):
            gap = _compile_expr(cspec["gap"], scope, "int", f"{where} 条件 {key} 的差距")
        conditions.append(
            Condition(
                key,
                _label(cspec.get("label", key), f"{where} 条件 {key}"),
                node,
                gap,
                cspec.get("gap_unit", "fen"),
                _label(cspec["gap_label"], where) if cspec.get("gap_label") else None,
            )
        )
    steps = []
    for i, sspec in enumerate(spec.get("formula") or []):
        key = str(sspec.get("key") or f"s{i + 1}")
        if key in scope:
            raise DefinitionError(f"{where}：步骤名 {key} 与指标或参数重名")
        node = _compile_expr(sspec.get("expr"), scope, "int", f"{where} 步骤 {key}")
        unit = sspec.get("unit", "fen")
        if unit not in PARAM_UNITS:
            raise DefinitionError(f"{where}：步骤 {key} 的单位应为 {PARAM_UNITS}")
        steps.append(Step(key, _label(sspec.get("label", key), f"{where} 步骤 {key}"), node, unit))
        scope[key] = "step:int"
    if not steps:
        raise DefinitionError(f"{where}：缺少金额公式（formula）")
    cap = None
    cap_label = {"zh": "封顶", "en": "Cap"}
    if spec.get("cap"):
        cspec = spec["cap"] if isinstance(spec["cap"], dict) else {"expr": spec["cap"]}
        cap = _compile_expr(cspec.get("expr"), scope, "int", f"{where} 封顶")
        cap_label = _label(cspec.get("label", cap_label), where)
    for cond in conditions:
        for name in names_in(cond.node):
            if name.kind == "step":
                raise DefinitionError(f"{where}：条件不能引用公式步骤 {name.name}")
    policy = Policy(
        code=code,
        name=_label(spec.get("name"), where),
        kind=kind,
        document=document,
        clause=str(spec.get("clause") or ""),
        effective_from=effective_from,
        effective_to=effective_to,
        applies_to=applies_to,
        group=str(spec.get("exclusivity_group") or ""),
        rounding=rounding,
        params=params,
        conditions=conditions,
        steps=steps,
        cap=cap,
        cap_label=cap_label,
        summary=_label(spec["summary"], where) if spec.get("summary") else {},
        revision=str(spec.get("revision") or ""),
        source=spec,
        article=article,
        reference_verified=reference_verified,
        reference_note=str(spec.get("reference_note") or ""),
    )
    return policy


def _compile_expr(text, scope, typ, where) -> Node:
    try:
        node = parse(text)
        got = check(node, scope)
    except DefinitionError as exc:
        raise DefinitionError(f"{where}：{exc}", exc.reason)
    if got != typ:
        raise DefinitionError(
            f"{where}：{text!r} 应为{'数值' if typ == 'int' else '条件'}", DefinitionReason.WRONG_TYPE
        )
    return node


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
    start = _date(override["from"], where)
    end = _date(override.get("to"), where)
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


def row_inputs(data: dict, i: int) -> dict:
    """The scalar inputs of row `i` of batch data, for the single-enterprise evaluator."""
    return {key: (int(values[i]) if present[i] else None) for key, (values, present) in data.items()}
