"""Turning engine results into sentences in the user's language (zh-Hans first, others through gettext)."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kechuang.money import percent_text, wan_text
from kechuang.policy.engine.variables import VARIABLES


def label(mapping) -> str:
    """Pick the label for the active language: zh for Chinese, en for every other language, else zh."""
    if not mapping:
        return ""
    if isinstance(mapping, str):
        return mapping
    lang = (get_language() or "zh-hans").lower()
    if lang.startswith("zh"):
        return mapping.get("zh", "")
    return mapping.get(lang.split("-")[0]) or mapping.get("en") or mapping.get("zh", "")


def fmt_value(value, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if unit == "fen":
        return _("%(amount)s 万元") % {"amount": wan_text(value)}
    if unit == "bp":
        return percent_text(value)
    if unit == "flag":
        return _("是") if value else _("否")
    return str(value)


def reason_text(reason) -> str:
    if not reason:
        return ""
    kind, *rest = reason
    if kind == "missing":
        name, offset = rest
        return _("缺少数据：%(name)s（%(period)s）") % {
            "name": var_label(name),
            "period": period_label(offset),
        }
    if kind == "negative":
        name, offset = rest
        return _("数据有误：%(name)s（%(period)s）为负数") % {
            "name": var_label(name),
            "period": period_label(offset),
        }
    if kind == "range":
        name, offset = rest
        return _("数据有误：%(name)s（%(period)s）超出范围") % {
            "name": var_label(name),
            "period": period_label(offset),
        }
    if kind == "div0":
        return _("无法计算：除数为零（%(expr)s）") % {"expr": rest[0]}
    if kind == "overflow":
        return _("无法计算：数值过大（%(expr)s）") % {"expr": rest[0]}
    if kind == "not_in_effect":
        return _("政策在 %(year)s 年度不适用") % {"year": rest[0]}
    if kind == "negative_amount":
        return _("无法计算：金额为负数")
    return str(reason)


def var_label(name: str) -> str:
    var = VARIABLES.get(name)
    return label({"zh": var.zh, "en": var.en}) if var else name


def period_label(offset: int) -> str:
    if offset == 0:
        return _("本年度")
    if offset == -1:
        return _("上年度")
    return _("%(n)s 年前") % {"n": -offset}


def source_label(source) -> str:
    labels = {
        "organisation": _("机构登记信息"),
        "certification": _("资质认定记录"),
        "ledger": _("奖补拨付台账"),
        "period": _("评价年度"),
        "indicator": _("年度指标"),
    }
    return labels.get(source, source or "—")


def trace_lines(trace: list[dict], *, flags: bool = True) -> list[dict]:
    """Each trace entry as {kind, text, detail, ok}: one readable line per input, parameter, condition, step.
    `flags`: mark unverified parameters — for officials; an enterprise's view leaves them out."""
    lines = []
    for e in trace or []:
        kind = e.get("kind")
        if kind == "input":
            lines.append(
                {
                    "kind": kind,
                    "text": _("%(name)s（%(period)s年）= %(value)s")
                    % {
                        "name": label(e["label"]),
                        "period": e["period"],
                        "value": fmt_value(e["value"], e["unit"]),
                    },
                    "detail": _("来源：%(source)s") % {"source": source_label(e.get("source"))},
                    "ok": e["value"] is not None,
                }
            )
        elif kind == "param":
            flag = "" if e.get("verified") or not flags else _("（未核实）")
            lines.append(
                {
                    "kind": kind,
                    "text": _("参数 %(name)s = %(value)s%(flag)s")
                    % {"name": label(e["label"]), "value": fmt_value(e["value"], e["unit"]), "flag": flag},
                    "detail": _("%(document)s %(clause)s，自 %(start)s 起")
                    % {
                        "document": e.get("document", ""),
                        "clause": e.get("clause", ""),
                        "start": e.get("from"),
                    },
                    "ok": True,
                }
            )
        elif kind == "condition":
            result = e.get("result")
            state = (
                _("满足") if result else (_("不满足") if result is False else reason_text(e.get("reason")))
            )
            lines.append(
                {
                    "kind": kind,
                    "text": _("条件：%(label)s —— %(state)s") % {"label": label(e["label"]), "state": state},
                    "detail": e.get("expr", ""),
                    "ok": bool(result),
                }
            )
        elif kind == "step":
            value = e.get("value")
            shown = (
                fmt_value(value, e.get("unit", "fen")) if value is not None else reason_text(e.get("reason"))
            )
            lines.append(
                {
                    "kind": kind,
                    "text": _("计算：%(label)s = %(value)s") % {"label": label(e["label"]), "value": shown},
                    "detail": e.get("expr", ""),
                    "ok": value is not None,
                }
            )
        elif kind == "cap":
            if e.get("applied"):
                text = _("封顶：%(label)s %(cap)s，金额由 %(before)s 调整为 %(after)s") % {
                    "label": label(e["label"]),
                    "cap": fmt_value(e.get("cap"), "fen"),
                    "before": fmt_value(e.get("before"), "fen"),
                    "after": fmt_value(e.get("after"), "fen"),
                }
            else:
                text = _("封顶：%(label)s %(cap)s，未触及") % {
                    "label": label(e["label"]),
                    "cap": fmt_value(e.get("cap"), "fen"),
                }
            lines.append({"kind": kind, "text": text, "detail": e.get("expr", ""), "ok": True})
        elif kind == "result":
            if e["status"] == "eligible":
                text = _("结果：符合，金额 %(amount)s") % {"amount": fmt_value(e["amount"], "fen")}
            elif e["status"] == "ineligible":
                text = _("结果：不符合")
            else:
                text = _("结果：无法计算 —— %(reason)s") % {"reason": reason_text(e.get("reason"))}
            lines.append({"kind": kind, "text": text, "detail": "", "ok": e["status"] == "eligible"})
    return lines


def gap_text(gap: dict) -> str:
    if gap.get("value") is None:
        return reason_text(gap.get("reason"))
    return _("%(label)s %(value)s") % {
        "label": label(gap["label"]),
        "value": fmt_value(gap["value"], gap.get("unit", "fen")),
    }
