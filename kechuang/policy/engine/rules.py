"""Reading policies and their test cases from YAML files, and running a test case through both evaluators."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from kechuang.policy.engine.definition import compile_policy
from kechuang.policy.engine.lang import DefinitionError
from kechuang.policy.engine.params import parse_quantity
from kechuang.policy.engine.policy import STATUS_NAMES, Policy
from kechuang.policy.engine.variables import VARIABLES

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CACHE: dict[tuple, dict] = {}


def read_yaml(path: Path):
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader)  # noqa: S506 - a safe loader


def load_specs(directory: Path = RULES_DIR) -> dict[str, dict]:
    """Every policy file in `directory`, re-read only when a file changed (by name, size and mtime).

    The same dict is returned while nothing changed: callers must not mutate it."""
    paths = sorted(directory.glob("*.yaml"))
    key = (str(directory), tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in paths))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = _read_specs(paths)
    return _CACHE[key]


def _read_specs(paths) -> dict[str, dict]:
    specs = {}
    for path in paths:
        spec = read_yaml(path)
        code = spec.get("code") if isinstance(spec, dict) else None
        if code != path.stem:
            raise DefinitionError(f"{path.name}：code 必须与文件名一致")
        specs[code] = spec
    return specs


def load_policies(directory: Path = RULES_DIR) -> dict[str, Policy]:
    return {code: compile_policy(spec) for code, spec in load_specs(directory).items()}


def load_cases(code: str, directory: Path = RULES_DIR) -> list[dict]:
    path = directory / "tests" / f"{code}.yaml"
    if not path.exists():
        return []
    data = read_yaml(path)
    if data.get("policy") != code:
        raise DefinitionError(f"{path.name}：policy 必须为 {code}")
    return data.get("cases") or []


def case_inputs(case: dict) -> dict[tuple[str, int], int | None]:
    """{name: value} or {name: {year: value}} → {(name, offset): int}; amounts may be written "150万"."""
    year = int(case["period"])
    inputs = {}
    for name, value in (case.get("inputs") or {}).items():
        if name not in VARIABLES:
            raise DefinitionError(f"用例 {case.get('name')}：未知指标 {name}")
        unit = VARIABLES[name].unit
        per_year = value if isinstance(value, dict) else {year: value}
        for y, v in per_year.items():
            if v is None:
                continue
            if isinstance(v, bool):
                v = int(v)
            inputs[(name, int(y) - year)] = parse_quantity(v, "fen" if unit == "fen" else "count")
    return inputs


def run_case(policy: Policy, case: dict) -> list[str]:
    """Run one YAML test case through the single and the vectorised evaluators; return the mismatches."""
    year = int(case["period"])
    inputs = case_inputs(case)
    one = policy.evaluate_one(year, inputs)
    keys = policy.required_inputs()
    data = {
        k: (np.array([inputs.get(k) or 0], dtype=np.int64), np.array([inputs.get(k) is not None]))
        for k in keys
    }
    batch = policy.evaluate_batch(year, data, 1)
    problems = []
    if int(batch.status[0]) != one.status or int(batch.amount[0]) != one.amount:
        problems.append(
            f"单户计算与批量计算不一致：{one.status_name}/{one.amount} 对 "
            f"{STATUS_NAMES[int(batch.status[0])]}/{int(batch.amount[0])}"
        )
    expected = case.get("expected") or {}
    if "status" in expected and one.status_name != expected["status"]:
        problems.append(f"状态应为 {expected['status']}，实为 {one.status_name}（{one.reason or ''}）")
    if "amount" in expected and one.amount != parse_quantity(expected["amount"], "fen"):
        problems.append(
            f"金额应为 {expected['amount']}（{parse_quantity(expected['amount'], 'fen')} 分），实为 {one.amount} 分"
        )
    if "failed" in expected:
        got = policy.conditions[one.failed].key if one.failed >= 0 else None
        if got != expected["failed"]:
            problems.append(f"未满足的条件应为 {expected['failed']}，实为 {got}")
    if "reason" in expected:
        got = one.reason[0] if one.reason else None
        if got != expected["reason"]:
            problems.append(f"不可计算原因应为 {expected['reason']}，实为 {one.reason}")
    if "capped" in expected and one.capped != bool(expected["capped"]):
        problems.append(f"封顶应为 {expected['capped']}，实为 {one.capped}")
    if "gap" in expected:
        gap = one.gaps[0]["value"] if one.gaps else None
        unit = one.gaps[0].get("unit", "fen") if one.gaps else "fen"
        if gap != parse_quantity(expected["gap"], unit):
            problems.append(f"差距应为 {expected['gap']}，实为 {gap}")
    return problems
