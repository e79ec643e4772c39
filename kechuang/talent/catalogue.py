"""The talent rules read from `rules/catalogue.yaml`: qualifying credentials and benefits by level (A–E), evidence,
service commitment, recovery, 八桂学者 and 从高不重复, each figure with its source and confidence mark.

Money in the file is written as 万 or 元 text and read exactly into integer fen (never through a float)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kechuang.money import Unit, parse_fen

RULES = Path(__file__).with_name("rules") / "catalogue.yaml"
LEVELS = ("A", "B", "C", "D", "E")
KINDS = ("living", "settling", "research")


def fen(text) -> int:
    """'100万' / '5000元' / 1000000 (fen) → fen, exactly."""
    if isinstance(text, int):
        return text
    text = str(text).strip()
    if text.endswith("万"):
        value = parse_fen(text[:-1], Unit.WAN)
    else:
        value = parse_fen(text.removesuffix("元"), Unit.YUAN)
    if value is None:
        raise ValueError(f"empty amount {text!r}")
    return value


@dataclass(frozen=True)
class Benefit:
    kind: str
    total_fen: int
    years: int
    confidence: str
    note: str = ""


@dataclass(frozen=True)
class Level:
    code: str
    name: str
    benefits: dict[str, Benefit]
    credentials: dict[str, dict]


@dataclass(frozen=True)
class Version:
    version: str
    name: str
    document: str
    effective_from: dt.date
    notice_working_days: int
    min_contract_years: int
    recruited_within_days: int
    service_years: int
    evidence: tuple[str, ...]
    recovery_kinds: tuple[str, ...]
    min_social_insurance_months: int
    min_tax_months: int
    levels: dict[str, Level] = field(default_factory=dict)
    unverified_reference: bool = False

    def credential_level(self, code: str) -> str | None:
        return next((lv.code for lv in self.levels.values() if code in lv.credentials), None)


def _benefits(spec: dict) -> dict[str, Benefit]:
    return {
        kind: Benefit(kind, fen(b["total"]), int(b["years"]), b.get("confidence", "I"), b.get("note", ""))
        for kind, b in spec.items()
    }


@functools.cache
def raw() -> dict:
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))


@functools.cache
def versions() -> tuple[Version, ...]:
    out = []
    for v in raw()["versions"]:
        levels = {
            code: Level(code, spec["name"], _benefits(spec["benefits"]), spec["credentials"])
            for code, spec in v["levels"].items()
        }
        out.append(
            Version(
                version=str(v["version"]),
                name=v["name"],
                document=v["document"],
                effective_from=v["effective_from"],
                notice_working_days=int(v["notice_working_days"]),
                min_contract_years=int(v["min_contract_years"]),
                recruited_within_days=int(v["recruited_within_days"]),
                service_years=int(v["service_years"]),
                evidence=tuple(v["evidence"]),
                recovery_kinds=tuple(v["recovery"]["kinds"]),
                min_social_insurance_months=int(v["compliance"]["min_social_insurance_months"]),
                min_tax_months=int(v["compliance"]["min_tax_months"]),
                levels=levels,
                unverified_reference=bool(v.get("unverified_reference")),
            )
        )
    return tuple(sorted(out, key=lambda v: v.effective_from))


def in_force(on: dt.date) -> Version:
    """The version in force on a day; a day before the first version is refused (no guess)."""
    chosen = [v for v in versions() if v.effective_from <= on]
    if not chosen:
        raise LookupError(f"no talent rules in force on {on}")
    return chosen[-1]


def bagui() -> dict:
    spec = dict(raw()["bagui"])
    spec["benefit_specs"] = _benefits(spec["benefits"])
    return spec


def exclusive_kinds() -> tuple[str, ...]:
    return tuple(raw()["highest_not_twice"]["kinds"])
