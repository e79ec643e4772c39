"""Report templates as data and the figures they are filled with.

A template (YAML, see `report_templates/*.yaml`) has a title, an addressee, an opening, sections of paragraphs, a
closing, a signature and a date; any text may hold `{{ key }}` placeholders. Keys are:
  `kpi.<code>.value|percent|target|counted` — a KPI (for a city report: the city's count),
  `sanbai.overall_percent` — the programme's overall completion (mean of its KPIs, each capped at 100%),
  `<module>.<figure>` (money also `.wan` in 万元 and `.yi` in 亿元) — a module's headline figure,
  `year`, `prev_year`, `as_of`, `today`, `city` (city reports), `param.<name>` (filled in when generating).
Nothing else is evaluated: a placeholder is looked up, never executed. Every figure a report uses is listed in its
annex with its definition, so a reader can check how it was counted.
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from kechuang import money

TEMPLATES_DIR = Path(__file__).parent / "report_templates"
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")
MISSING = "【暂无数据】"


class TemplateError(ValueError):
    pass


def _texts(content: dict) -> list[str]:
    texts = [content["title"], content["addressee"], content["opening"], content["closing_heading"]]
    texts += [content["signature"], content["date"]]
    for section in content["sections"]:
        texts.append(section["heading"])
        texts.extend(section["paragraphs"])
    texts.extend(content["closing"])
    return texts


def validate(doc, *, kind: str | None = None) -> dict:
    if not isinstance(doc, dict):
        raise TemplateError("a template is a mapping")
    for key in ("name", "kind", "title", "sections", "signature", "date"):
        if key not in doc:
            raise TemplateError(f"missing {key}")
    if doc["kind"] not in ("annual", "city") or (kind and doc["kind"] != kind):
        raise TemplateError("kind: annual or city, and unchanged")
    sections = []
    for s in doc["sections"] or []:
        if not isinstance(s, dict) or not isinstance(s.get("paragraphs"), list):
            raise TemplateError("each section: {heading, paragraphs: [...]}")
        sections.append(
            {"heading": str(s.get("heading") or ""), "paragraphs": [str(p) for p in s["paragraphs"]]}
        )
    params = {}
    for name, spec in (doc.get("params") or {}).items():
        if not re.fullmatch(r"[a-z_]+", str(name)) or not isinstance(spec, dict):
            raise TemplateError("params: name: {label, default}")
        params[str(name)] = {"label": str(spec.get("label", name)), "default": str(spec.get("default", ""))}
    content = {
        "name": str(doc["name"]),
        "kind": doc["kind"],
        "params": params,
        "title": str(doc["title"]),
        "addressee": str(doc.get("addressee") or ""),
        "opening": str(doc.get("opening") or ""),
        "sections": sections,
        "closing_heading": str(doc.get("closing_heading") or ""),
        "closing": [str(p) for p in doc.get("closing") or []],
        "signature": str(doc["signature"]),
        "date": str(doc["date"]),
    }
    for text in _texts(content):
        for key in PLACEHOLDER.findall(text):
            if key.startswith("param.") and key[6:] not in params:
                raise TemplateError(f"{{{{ {key} }}}}: no such parameter in params")
            if not _plausible_key(key):
                raise TemplateError(f"{{{{ {key} }}}}: unknown placeholder")
    return content


def _plausible_key(key: str) -> bool:
    head = key.split(".")[0]
    if key in ("year", "prev_year", "as_of", "today", "city", "sanbai.overall_percent"):
        return True
    if head == "param":
        return True
    if head == "kpi":
        return len(key.split(".")) == 3 and key.split(".")[2] in ("value", "percent", "target", "counted")
    return head in (
        "policy",
        "pledge",
        "techmarket",
        "events",
        "awards",
        "projects",
        "registry",
        "talent",
    ) or (len(key.split(".")) in (2, 3))


def shipped() -> list[tuple[str, str, dict]]:
    out = []
    for path in sorted(TEMPLATES_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        out.append((path.stem, text, validate(yaml.safe_load(text))))
    return out


# ---- figures -----------------------------------------------------------------------------------------------------


def _number_text(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _yi_text(fen: int) -> str:
    return str((Decimal(fen) / Decimal(10**10)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def figures(payload: dict, *, city: str | None = None) -> dict[str, dict]:
    """{key: {"text", "label", "definition"}} of every figure a template may use, for the province or a city."""
    out: dict[str, dict] = {}

    def put(key, text, label, definition):
        out[key] = {"text": text, "label": str(label), "definition": str(definition)}

    for k in payload["kpis"]:
        name, definition = k["name"]["zh"], k["definition"]["zh"]
        version = _("（定义第%(v)s版，%(doc)s）") % {"v": k["version"], "doc": k["document"]}
        computable = k.get("counted") is not None
        if city:
            row = next((c for c in k.get("cities", []) if c["city"] == city), None)
            n = row["n"] if row else 0
            put(
                f"kpi.{k['code']}.value",
                _number_text(n) if computable else MISSING,
                name,
                definition + version,
            )
            put(
                f"kpi.{k['code']}.counted",
                _number_text(n) if computable else MISSING,
                name,
                definition + version,
            )
        else:
            put(
                f"kpi.{k['code']}.value",
                _number_text(k["value"]) if computable else MISSING,
                name,
                definition + version,
            )
            put(
                f"kpi.{k['code']}.counted",
                _number_text(k["counted"]) if computable else MISSING,
                name,
                definition + version,
            )
            put(
                f"kpi.{k['code']}.percent",
                k["percent"] if computable else MISSING,
                _("%(name)s完成率") % {"name": name},
                _("（基数 + 计入数）÷ 目标 %(target)s。") % {"target": k["target"]} + definition + version,
            )
        put(
            f"kpi.{k['code']}.target",
            _number_text(k["target"]),
            _("%(name)s目标") % {"name": name},
            k["document"],
        )
    programme = [k for k in payload["kpis"] if not k.get("comparison") and k.get("counted") is not None]
    if programme and not city:
        shares = [min(Decimal(k["value"]) / Decimal(k["target"]), Decimal(1)) for k in programme]
        overall = (sum(shares) * 100 / len(shares)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        missing = len([k for k in payload["kpis"] if not k.get("comparison")]) - len(programme)
        put(
            "sanbai.overall_percent",
            str(overall),
            _("“三百二千”工程总体完成率"),
            _("各项任务完成率（超过100%%的按100%%计）的平均值；未接入数据的任务不参与平均（本次 %(n)s 项）。")
            % {"n": missing},
        )
    modules = payload["modules"].get(city or "", [])
    for m in modules:
        for f in m["figures"]:
            key = f"{m['module']}.{f['key']}"
            value = f["value"]
            if value is None:
                text = MISSING
            elif f["unit"] == "fen":
                put(
                    f"{key}.wan",
                    money.wan_text(value),
                    _("%(label)s（万元）") % {"label": f["label"]},
                    f["definition"],
                )
                put(
                    f"{key}.yi",
                    _yi_text(value),
                    _("%(label)s（亿元）") % {"label": f["label"]},
                    f["definition"],
                )
                text = money.wan_text(value)
            else:
                text = _number_text(value)
            put(key, text, f["label"], f["definition"])
    return out


def render(
    content: dict, payload: dict, *, params: dict, city: str | None, today: str, computed_at: str
) -> dict:
    """The filled-in document: {"title", "addressee", "opening", "sections", "closing_heading", "closing",
    "signature", "date", "annex": [{key, label, text, definition}], "computed_at"}."""
    figs = figures(payload, city=city)
    names = payload.get("cities", {})
    context = {
        "year": str(payload["year"]),
        "prev_year": str(payload["year"] - 1),
        "as_of": _date_text(payload["as_of"]),
        "today": today,
        "city": names.get(city, "") if city else "",
    }
    used: list[str] = []

    def fill(text: str) -> str:
        def one(match):
            key = match.group(1)
            if key.startswith("param."):
                name = key[6:]
                return str(params.get(name) or content["params"].get(name, {}).get("default", ""))
            if key in context:
                return context[key]
            if key not in used:
                used.append(key)
            return figs[key]["text"] if key in figs else MISSING

        return PLACEHOLDER.sub(one, text)

    doc = {
        "title": fill(content["title"]),
        "addressee": fill(content["addressee"]),
        "opening": fill(content["opening"]),
        "sections": [
            {"heading": fill(s["heading"]), "paragraphs": [fill(p) for p in s["paragraphs"]]}
            for s in content["sections"]
        ],
        "closing_heading": fill(content["closing_heading"]),
        "closing": [fill(p) for p in content["closing"]],
        "signature": fill(content["signature"]),
        "date": fill(content["date"]),
        "computed_at": computed_at,
    }
    doc["annex"] = [
        {
            "key": key,
            "label": figs[key]["label"] if key in figs else key,
            "text": figs[key]["text"] if key in figs else MISSING,
            "definition": figs[key]["definition"] if key in figs else _("平台没有这项数据。"),
        }
        for key in used
    ]
    return doc


def _date_text(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"
