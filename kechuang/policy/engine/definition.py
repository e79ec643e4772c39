"""Policy definitions: a plain dict (read from YAML) checked completely and compiled into a `Policy`.

`compile_policy` rejects unknown indicators, type errors, overlapping or missing parameter periods and rounding
modes that do not exist with a `DefinitionError` naming the place."""

from __future__ import annotations

import re

from kechuang.policy.engine.evaluate import ROUNDING_MODES
from kechuang.policy.engine.lang import DefinitionError, DefinitionReason, Node, check, names_in, parse
from kechuang.policy.engine.params import (
    PARAM_UNITS,
    Param,
    ParamValue,
    apply_override,
    check_periods,
    parse_date,
    parse_label,
    parse_quantity,
)
from kechuang.policy.engine.policy import Condition, Policy, Step
from kechuang.policy.engine.variables import VARIABLES

KINDS = ("payout", "estimate", "assessment")


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
    effective_from = parse_date(spec.get("effective_from"), where)
    if effective_from is None:
        raise DefinitionError(f"{where}：缺少 effective_from")
    effective_to = parse_date(spec.get("effective_to"), where)
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
            start = parse_date(v.get("from"), f"{where} 参数 {name}") or effective_from
            values.append(
                ParamValue(
                    value=parse_quantity(v["value"], unit),
                    start=start,
                    end=parse_date(v.get("to"), f"{where} 参数 {name}"),
                    verified=bool(v.get("verified", False)),
                    document=str(v.get("document") or document),
                    clause=str(v.get("clause") or spec.get("clause") or ""),
                    note=str(v.get("note") or ""),
                )
            )
        if not values:
            raise DefinitionError(f"{where}：参数 {name} 没有取值", DefinitionReason.PERIOD_GAP)
        params[name] = Param(
            name, parse_label(pspec.get("label", name), f"{where} 参数 {name}"), unit, values
        )
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
                parse_label(cspec.get("label", key), f"{where} 条件 {key}"),
                node,
                gap,
                cspec.get("gap_unit", "fen"),
                parse_label(cspec["gap_label"], where) if cspec.get("gap_label") else None,
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
        steps.append(Step(key, parse_label(sspec.get("label", key), f"{where} 步骤 {key}"), node, unit))
        scope[key] = "step:int"
    if not steps:
        raise DefinitionError(f"{where}：缺少金额公式（formula）")
    cap = None
    cap_label = {"zh": "封顶", "en": "Cap"}
    if spec.get("cap"):
        cspec = spec["cap"] if isinstance(spec["cap"], dict) else {"expr": spec["cap"]}
        cap = _compile_expr(cspec.get("expr"), scope, "int", f"{where} 封顶")
        cap_label = parse_label(cspec.get("label", cap_label), where)
    for cond in conditions:
        for name in names_in(cond.node):
            if name.kind == "step":
                raise DefinitionError(f"{where}：条件不能引用公式步骤 {name.name}")
    policy = Policy(
        code=code,
        name=parse_label(spec.get("name"), where),
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
        summary=parse_label(spec["summary"], where) if spec.get("summary") else {},
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
