"""A compiled policy: parameters resolved per year, batch (vectorised) and single (with trace) evaluation.

After `compile_policy` (in `definition`) has checked a definition, evaluation never raises for bad data: an
enterprise whose figures are missing, negative or make a divisor zero gets status NOT_COMPUTABLE with a reason,
and the rest of the batch goes on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from kechuang.policy.engine.evaluate import Bad, FastEvaluator, Reasons, ScalarEvaluator, VectorEvaluator
from kechuang.policy.engine.lang import DefinitionError, Node, names_in
from kechuang.policy.engine.params import Param, ParamValue
from kechuang.policy.engine.variables import VARIABLES

INELIGIBLE, ELIGIBLE, NOT_COMPUTABLE = 0, 1, 2
STATUS_NAMES = {INELIGIBLE: "ineligible", ELIGIBLE: "eligible", NOT_COMPUTABLE: "not_computable"}


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


def row_inputs(data: dict, i: int) -> dict:
    """The scalar inputs of row `i` of batch data, for the single-enterprise evaluator."""
    return {key: (int(values[i]) if present[i] else None) for key, (values, present) in data.items()}
