"""KPI definitions: YAML documents, validated into plain dicts (stored as `KpiDefinition.content`).

Fields (every one required unless marked):
  code, name {zh, en}, programme, document (文号), clause, verified, effective_from,
  period {start, end}, baseline {as_of, value, note?}, target, unit (count|fen), lead_department (a
  `registry.DepartmentType`), reporting_cities ("all" or a list of city codes), basis (gross|net),
  counts {source, params}, definition {zh, en} — the counting rule in words, shown on every figure and in the
  report's annex; comparison? (true: shown beside the programme's KPIs, not part of its overall completion);
  curve? (points [[date, share of the target]] the figure is expected to follow; default linear
  from the period start to its end), warn_below? (behind when the figure is under this share of the expected one,
  default 0.9); confidence? (found: the counting rule is in a public text; inferred — the default —: worked out
  from the material at hand, to be checked against the programme's 考核细则), evidence? {zh, en} — where the
  rule, the target and the figures it is checked against come from.

A gross KPI counts records of an event source; a net KPI counts the stock of a stock source on the counting date
minus the stock on the baseline date. The definition says which, and the text says it again in words.
"""

import datetime as dt
import hashlib
from functools import lru_cache
from pathlib import Path

import yaml

from kechuang.kpi.sources import check_params, get_source

DEFINITIONS_DIR = Path(__file__).parent / "definitions"
REQUIRED = (
    "code",
    "name",
    "programme",
    "document",
    "clause",
    "effective_from",
    "period",
    "baseline",
    "target",
    "unit",
    "lead_department",
    "reporting_cities",
    "basis",
    "counts",
    "definition",
)


class DefinitionError(ValueError):
    pass


def _date(value, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DefinitionError(f"{what}: a date (YYYY-MM-DD)")


def _text(value, what: str) -> dict:
    if isinstance(value, str):
        return {"zh": value, "en": ""}
    if not isinstance(value, dict) or not value.get("zh"):
        raise DefinitionError(f"{what}: {{zh: …, en: …}}")
    return {"zh": str(value["zh"]), "en": str(value.get("en", ""))}


def validate(doc) -> dict:
    """A definition as stored: dates as ISO text, texts as {zh, en}, parameters checked against the source.

    A source that no installed app provides is allowed (the KPI then shows "not computable"); its parameters are
    kept as written."""
    from kechuang.registry.models import DepartmentType, Region

    if not isinstance(doc, dict):
        raise DefinitionError("a definition is a mapping of fields")
    missing = [k for k in REQUIRED if k not in doc]
    if missing:
        raise DefinitionError(f"missing fields: {', '.join(missing)}")
    code = str(doc["code"])
    if not code.replace("_", "").isalnum() or len(code) > 60:
        raise DefinitionError("code: letters, digits and _ only")
    period = doc["period"] or {}
    start, end = _date(period.get("start"), "period.start"), _date(period.get("end"), "period.end")
    if end < start:
        raise DefinitionError("period: end before start")
    baseline = doc["baseline"] or {}
    as_of = _date(baseline.get("as_of"), "baseline.as_of")
    if as_of >= start:
        raise DefinitionError("baseline.as_of: before the period starts")
    base_value = baseline.get("value", 0)
    target = doc["target"]
    for what, value in (("baseline.value", base_value), ("target", target)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise DefinitionError(f"{what}: a non-negative integer")
    if target == 0:
        raise DefinitionError("target: greater than zero")
    if doc["unit"] not in ("count", "fen"):
        raise DefinitionError("unit: count or fen")
    if doc["lead_department"] not in DepartmentType.values:
        raise DefinitionError(f"lead_department: one of {DepartmentType.values}")
    cities = doc["reporting_cities"]
    if cities != "all":
        known = set(Region.objects.filter(level=Region.Level.CITY).values_list("code", flat=True))
        if not isinstance(cities, list) or not cities or any(str(c) not in known for c in cities):
            raise DefinitionError("reporting_cities: all, or a list of city codes")
        cities = [str(c) for c in cities]
    if doc["basis"] not in ("gross", "net"):
        raise DefinitionError("basis: gross or net")
    counts = doc["counts"] or {}
    source_name = counts.get("source")
    if not source_name:
        raise DefinitionError("counts.source: the record source to count")
    params = counts.get("params") or {}
    source = get_source(source_name)
    if source is not None:
        wanted = "stock" if doc["basis"] == "net" else "event"
        if source.kind != wanted:
            raise DefinitionError(
                f"basis {doc['basis']} needs a {wanted} source; {source_name} is a {source.kind} source"
            )
        try:
            params = check_params(source, params)
        except ValueError as exc:
            raise DefinitionError(f"counts.params: {exc}")
        if doc["unit"] == "fen" and not getattr(source, "value_field", ""):
            raise DefinitionError("unit fen: the source has no amount to sum")
    curve = []
    for point in doc.get("curve") or []:
        if not isinstance(point, list | tuple) or len(point) != 2:
            raise DefinitionError("curve: a list of [date, share] points")
        share = point[1]
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
            raise DefinitionError("curve: shares between 0 and 1")
        curve.append([_date(point[0], "curve date").isoformat(), str(share)])
    confidence = doc.get("confidence", "inferred")
    if confidence not in ("found", "inferred"):
        raise DefinitionError("confidence: found or inferred")
    warn_below = doc.get("warn_below", 0.9)
    if isinstance(warn_below, bool) or not isinstance(warn_below, int | float) or not 0 < warn_below <= 1:
        raise DefinitionError("warn_below: a share between 0 and 1")
    return {
        "code": code,
        "name": _text(doc["name"], "name"),
        "programme": str(doc["programme"]),
        "document": str(doc["document"]),
        "clause": str(doc["clause"]),
        "verified": bool(doc.get("verified", False)),
        "confidence": confidence,
        "evidence": _text(doc["evidence"], "evidence") if doc.get("evidence") else {"zh": "", "en": ""},
        "effective_from": _date(doc["effective_from"], "effective_from").isoformat(),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "baseline": {
            "as_of": as_of.isoformat(),
            "value": base_value,
            "note": _text(baseline["note"], "baseline.note")
            if baseline.get("note")
            else {"zh": "", "en": ""},
        },
        "target": target,
        "unit": doc["unit"],
        "lead_department": doc["lead_department"],
        "reporting_cities": cities,
        "basis": doc["basis"],
        "counts": {"source": str(source_name), "params": params},
        "definition": _text(doc["definition"], "definition"),
        "curve": curve,
        "warn_below": str(warn_below),
        "comparison": bool(doc.get("comparison", False)),
    }


def parse_text(text: str) -> list[dict]:
    try:
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: e.g. an integer of more than 4,300 digits
        raise DefinitionError(f"YAML: {exc}")
    if not all(isinstance(d, dict) for d in docs):
        raise DefinitionError("YAML: each definition is a mapping of fields")
    return [validate(d) for d in docs]


def split_documents(text: str) -> list[str]:
    """The YAML text of each document in a file, so each version keeps the text it was written as."""
    parts, current = [], []
    for line in text.splitlines(keepends=True):
        if line.rstrip() == "---":
            parts.append("".join(current))
            current = []
        else:
            current.append(line)
    parts.append("".join(current))
    return [p for p in parts if yaml.safe_load(p) is not None]


def shipped() -> list[tuple[str, dict]]:
    """(yaml text, validated content) of every definition shipped in `definitions/` (read again when a file
    changes)."""
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in sorted(DEFINITIONS_DIR.glob("*.yaml")))
    return _shipped(stamp)


@lru_cache(maxsize=2)
def _shipped(stamp) -> list[tuple[str, dict]]:
    out = []
    for path, _mtime in stamp:
        for text in split_documents(Path(path).read_text(encoding="utf-8")):
            out.append((text.strip() + "\n", validate(yaml.safe_load(text))))
    return out


def shipped_order() -> list[str]:
    return [content["code"] for _text, content in shipped()]


def sha(content: dict) -> str:
    import json

    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
