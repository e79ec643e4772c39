"""The platforms app's rules read from `rules/*.yaml`: recognition criteria, evaluation categories with indicator
sets, weights, grade bands and post-funding, and the platform kinds of the ministries' lists. Amounts written as 万
or 元 are read exactly into fen."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import yaml

from kechuang.talent.catalogue import fen

DIR = Path(__file__).with_name("rules")


@functools.cache
def _load(name: str) -> dict:
    return yaml.safe_load((DIR / name).read_text(encoding="utf-8"))


def _amount(value, unit: str) -> int:
    return fen(value) if unit == "fen" else int(value)


def recognition(kind: str, on: dt.date) -> dict:
    """The recognition rules of `kind` in force on a day (criteria thresholds already in their units)."""
    versions = sorted(_load("recognition.yaml")[kind], key=lambda v: v["effective_from"])
    chosen = [v for v in versions if v["effective_from"] <= on]
    if not chosen:
        raise LookupError(f"no {kind} rules in force on {on}")
    spec = dict(chosen[-1])
    spec["criteria"] = [{**c, "threshold": _amount(c["threshold"], c["unit"])} for c in spec["criteria"]]
    return spec


@functools.cache
def evaluation() -> dict:
    spec = dict(_load("evaluation.yaml"))
    categories = {}
    for code, cat in spec["categories"].items():
        indicators = [{**i, "full": _amount(i["full"], i["unit"])} for i in cat["indicators"]]
        if sum(i["weight"] for i in indicators) != 100:
            raise ValueError(f"weights of {code} do not sum to 100")
        categories[code] = {
            **cat,
            "indicators": indicators,
            "post_funding": {g: fen(v) for g, v in cat["post_funding"].items()},
        }
    spec["categories"] = categories
    return spec


def platform_kinds() -> dict:
    return _load("platform_kinds.yaml")
