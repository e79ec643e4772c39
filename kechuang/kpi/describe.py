"""KPI definitions and report templates in words, for the pages and the audit log: every field of a definition
under its label, the counting conditions by their names (never the YAML keys, source names or stored codes), and a
change between two versions as labelled old → new values. The YAML itself is shown only in the source editor."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang import money
from kechuang.kpi.sources import get_source

FIELD_LABELS = {
    "name": gettext_lazy("指标名称"),
    "programme": gettext_lazy("所属工程"),
    "document": gettext_lazy("依据文件"),
    "clause": gettext_lazy("依据条款"),
    "verified": gettext_lazy("口径核实"),
    "confidence": gettext_lazy("口径可信度"),
    "evidence": gettext_lazy("口径来源"),
    "effective_from": gettext_lazy("生效日期"),
    "period": gettext_lazy("统计期"),
    "baseline": gettext_lazy("基期与基数"),
    "target": gettext_lazy("目标"),
    "unit": gettext_lazy("计量单位"),
    "lead_department": gettext_lazy("牵头部门"),
    "reporting_cities": gettext_lazy("报送城市"),
    "basis": gettext_lazy("计数方式"),
    "counts": gettext_lazy("计入的记录"),
    "definition": gettext_lazy("统计口径"),
    "curve": gettext_lazy("进度曲线"),
    "warn_below": gettext_lazy("落后预警"),
    "comparison": gettext_lazy("对照指标"),
    "code": gettext_lazy("指标"),
}
ORDER = list(FIELD_LABELS)


def _choices(source, name: str, values) -> dict:
    """Names of a parameter's stored choices: from the field of the source's app (then of any app) whose choices
    hold every one of them; talent categories by letter."""
    from django.apps import apps

    if name == "levels":
        return {c: _("%(level)s类") % {"level": c} for c in "ABCDE"}
    wanted = set(values if isinstance(values, list) else [values])
    label = getattr(source, "model", "") or ""
    app = label.split(".")[0] if "." in label else ""
    own = list(apps.get_app_config(app).get_models()) if app and apps.is_installed(f"kechuang.{app}") else []
    try:
        first = [apps.get_model(label)] if own else []
    except LookupError:
        first = []
    others = [m for m in apps.get_models() if m.__module__.startswith("kechuang.") and m not in own]
    for model in first + own + others:
        for f in model._meta.get_fields():
            if getattr(f, "choices", None):
                names = {k: str(v) for k, v in f.flatchoices}
                if wanted <= names.keys():
                    return names
    return {}


PARAM_LABELS = {
    "first_only": gettext_lazy("只计首次认定"),
    "kinds": gettext_lazy("计入的类型"),
    "min_amount_fen": gettext_lazy("合同金额不低于"),
    "lines": gettext_lazy("计入的计划类别"),
    "statuses": gettext_lazy("计入的项目状态"),
    "levels": gettext_lazy("计入的人才类别"),
}


def param_rows(source_name: str, params: dict) -> list[tuple[str, str]]:
    """(label, value) of each counting condition, in words."""
    source = get_source(source_name)
    declared = {p.name: p for p in (source.params if source is not None else ())}
    rows = []
    for name, value in (params or {}).items():
        p = declared.get(name)
        label = str((p.label if p is not None and p.label else "") or PARAM_LABELS.get(name, _("其他条件")))
        names = (p.choice_labels() if p is not None and p.choice_labels else None) or _choices(
            source, name, value
        )
        if isinstance(value, bool):
            text = _("是") if value else _("否")
        elif isinstance(value, list):
            text = "、".join(str(names.get(v, v)) for v in value) or "—"
        elif name.endswith("_fen") and isinstance(value, int):
            text = _("%(amount)s 万元") % {"amount": money.wan_text(value)} if value else _("不限")
        else:
            text = str(names.get(value, value))
        rows.append((label, text))
    return rows


def _text(value) -> str:
    if isinstance(value, dict):
        return str(value.get("zh") or "")
    return "" if value is None else str(value)


def _department(code) -> str:
    from kechuang.registry.models import DepartmentType

    return str(dict(DepartmentType.choices).get(code, _("其他部门")))


def _cities(value) -> str:
    if value == "all":
        return _("全区各设区市")
    from kechuang.registry.models import Region

    names = dict(Region.objects.filter(code__in=value or []).values_list("code", "name"))
    return "、".join(names.get(c, c) for c in value or []) or "—"


CONFIDENCE = {
    "found": gettext_lazy("有公开文件依据"),
    "inferred": gettext_lazy("依据不足，按现有材料推定（待核实）"),
}


def field_text(name: str, value, content: dict | None = None) -> str:
    """One field of a definition in words."""
    if name == "curve" and not value:
        return _("自统计期开始至结束匀速推进")
    if value is None or value == "" or value == []:
        return "—"
    unit = (content or {}).get("unit", "count")
    if name in ("name", "definition", "evidence"):
        return _text(value)
    if name == "period":
        return _("%(start)s 至 %(end)s") % {"start": value.get("start"), "end": value.get("end")}
    if name == "baseline":
        text = _("%(as_of)s，基数 %(value)s") % {"as_of": value.get("as_of"), "value": value.get("value", 0)}
        note = _text(value.get("note"))
        return f"{text}；{note}" if note else text
    if name == "target":
        if unit == "fen" and isinstance(value, int):
            return _("%(amount)s 万元") % {"amount": money.wan_text(value)}
        return f"{value:,}" if isinstance(value, int) else str(value)
    if name == "unit":
        return _("金额（万元）") if value == "fen" else _("个数")
    if name == "basis":
        return _("净增：期末存量减基期存量") if value == "net" else _("新增（毛增）：逐条计入")
    if name == "lead_department":
        return _department(value)
    if name == "reporting_cities":
        return _cities(value)
    if name == "counts":
        source = get_source(value.get("source", ""))
        label = str(source.label) if source is not None else _("尚未接入平台的数据来源")
        conditions = "；".join(
            f"{k}：{v}" for k, v in param_rows(value.get("source", ""), value.get("params"))
        )
        return f"{label}（{conditions}）" if conditions else label
    if name == "curve":
        points = "；".join(
            _("%(date)s 前完成 %(share)s%%") % {"date": d, "share": _share(s)} for d, s in value
        )
        return points or _("自统计期开始至结束匀速推进")
    if name == "warn_below":
        return _("低于进度曲线应完成值的 %(share)s%% 时预警") % {"share": _share(value)}
    if name in ("verified", "comparison"):
        if name == "verified":
            return _("已按考核细则原文核实") if value else _("考核细则原文未找到，口径待核实")
        return _("是（与工程指标并列展示，不计入总体完成率）") if value else _("否")
    if name == "confidence":
        return str(CONFIDENCE.get(value, _("依据不足，按现有材料推定（待核实）")))
    if name == "effective_from":
        return str(value)
    return _text(value)


def _share(value) -> str:
    from decimal import Decimal, InvalidOperation

    try:
        text = f"{Decimal(str(value)) * 100:f}"
    except InvalidOperation:
        return str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def definition_rows(content: dict) -> list[dict]:
    """Every field of a definition, labelled, in the order officials read them."""
    rows = []
    for name in ORDER:
        if name in ("code", "name") or name not in content:
            continue
        if name == "curve" and not content.get("curve"):
            rows.append({"field": name, "label": str(FIELD_LABELS[name]), "text": field_text(name, [])})
            continue
        rows.append(
            {
                "field": name,
                "label": str(FIELD_LABELS[name]),
                "text": field_text(name, content[name], content),
            }
        )
    return rows


def definition_changes(changes: dict, new_content: dict | None = None) -> list[tuple[str, str, str]]:
    """An audited change of a definition ({field: [old, new]}) as (label, old, new) in words."""
    out = []
    for name in sorted(changes, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER)):
        if name == "code":
            continue  # the KPI's stable key; the entry's target already names the KPI
        change = changes[name]
        old, new = (list(change) + [None, None])[:2] if isinstance(change, list | tuple) else (None, change)
        label = str(FIELD_LABELS.get(name, _("其他信息")))
        if name == "counts" and isinstance(old, dict) and isinstance(new, dict):
            # one row per condition that changed, so "合同类型" reads as such rather than as the whole block
            if old.get("source") != new.get("source"):
                out.append((label, field_text(name, old), field_text(name, new)))
                continue
            before = dict(param_rows(old.get("source", ""), old.get("params")))
            after = dict(param_rows(new.get("source", ""), new.get("params")))
            for key in after.keys() | before.keys():
                if before.get(key) != after.get(key):
                    out.append((f"{label} · {key}", before.get(key, "—"), after.get(key, "—")))
            continue
        content = new_content or (new if isinstance(new, dict) else {})
        out.append((label, field_text(name, old, content), field_text(name, new, content)))
    return out


# ---- report templates --------------------------------------------------------------------------------------------

TEMPLATE_LABELS = {
    "name": gettext_lazy("模板名称"),
    "params": gettext_lazy("生成时填写的参数"),
    "title": gettext_lazy("标题"),
    "addressee": gettext_lazy("主送"),
    "opening": gettext_lazy("开头"),
    "sections": gettext_lazy("正文"),
    "closing_heading": gettext_lazy("结尾标题"),
    "closing": gettext_lazy("结尾"),
    "signature": gettext_lazy("落款"),
    "date": gettext_lazy("日期"),
}


def placeholder_labels(params: dict | None = None) -> dict[str, str]:
    """{placeholder key: what it stands for}, from the newest snapshot's figures (any year) and the fixed keys."""
    from kechuang.kpi.models import Snapshot
    from kechuang.kpi.report_templates import figures

    labels = {
        "year": _("年度"),
        "prev_year": _("上一年度"),
        "as_of": _("统计截止日"),
        "today": _("生成日期"),
        "city": _("城市名称"),
        "sanbai.overall_percent": _("“三百二千”总体完成率"),
    }
    snapshot = Snapshot.objects.order_by("-computed_at", "-id").first()
    if snapshot is not None:
        suffix = {"percent": _("完成率"), "target": _("目标"), "counted": _("期内计入数")}
        for key, f in figures(snapshot.payload).items():
            last = key.rsplit(".", 1)[-1]
            if key.startswith("kpi.") and last in suffix:
                labels[key] = f"{f['label']}{suffix[last]}"
            elif last == "wan":
                labels[key] = _("%(label)s（万元）") % {"label": f["label"]}
            elif last == "yi":
                labels[key] = _("%(label)s（亿元）") % {"label": f["label"]}
            else:
                labels[key] = f["label"]
    for name, spec in (params or {}).items():
        labels[f"param.{name}"] = spec.get("label") or _("参数")
    return labels


def readable(text: str, labels: dict[str, str]) -> str:
    """A template text with each placeholder shown as 【what it stands for】."""
    from kechuang.kpi.report_templates import PLACEHOLDER

    return PLACEHOLDER.sub(lambda m: f"【{labels.get(m.group(1), _('数据项'))}】", text)


def template_rows(content: dict, labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(label, text) of every part of a template, placeholders in words."""
    labels = labels if labels is not None else placeholder_labels(content.get("params"))
    rows = []
    for name in TEMPLATE_LABELS:
        value = content.get(name)
        label = str(TEMPLATE_LABELS[name])
        if name == "params":
            text = "；".join(
                f"{spec.get('label')}（{_('默认')}：{spec.get('default') or '—'}）"
                for spec in (value or {}).values()
            )
            rows.append((label, text or "—"))
        elif name == "sections":
            for i, section in enumerate(value or [], start=1):
                heading = readable(section.get("heading", ""), labels) or _("第 %(n)s 节") % {"n": i}
                rows.append(
                    (
                        f"{label} · {heading}",
                        "\n".join(readable(p, labels) for p in section.get("paragraphs", [])),
                    )
                )
        elif name == "closing":
            rows.append((label, "\n".join(readable(p, labels) for p in value or []) or "—"))
        else:
            rows.append((label, readable(str(value or ""), labels) or "—"))
    return rows


def template_changes(old_text: str | None, new_text: str | None) -> list[tuple[str, str, str]]:
    """An audited template change (its YAML before and after) as (part, old, new) of the parts that changed."""
    import yaml

    from kechuang.kpi.report_templates import TemplateError, validate

    def parsed(text):
        if not text:
            return {}
        try:
            return validate(yaml.safe_load(text))
        except (yaml.YAMLError, TemplateError, ValueError, TypeError, AttributeError):
            return None

    old, new = parsed(old_text), parsed(new_text)
    if old is None or new is None:
        return [
            (
                _("模板内容"),
                _("（无法解析）") if old is None else "…",
                _("（无法解析）") if new is None else "…",
            )
        ]
    labels = placeholder_labels({**(old.get("params") or {}), **(new.get("params") or {})})
    before, after = dict(template_rows(old, labels)) if old else {}, dict(template_rows(new, labels))
    out = []
    for part in list(after) + [p for p in before if p not in after]:
        if before.get(part) != after.get(part):
            out.append((part, before.get(part, "—"), after.get(part, "—")))
    return out
