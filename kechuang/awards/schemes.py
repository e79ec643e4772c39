"""Award schemes read from `rules/awards.yaml`: categories, grades, caps, prizes and limits, with their sources."""

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

RULES = Path(__file__).with_name("rules") / "awards.yaml"


@dataclass(frozen=True)
class Grade:
    code: str
    name: str
    cap: int
    prize_fen: int
    max_people: int
    max_units: int
    unverified: bool = False


@functools.cache
def schemes() -> dict:
    return yaml.safe_load(RULES.read_text(encoding="utf-8"))


def scheme(kind: str) -> dict:
    return schemes()[kind]


def categories(kind: str) -> dict[str, str]:
    return {code: c["name"] for code, c in scheme(kind)["categories"].items()}


def grades(kind: str, category: str) -> list[Grade]:
    return [Grade(**g) for g in scheme(kind)["categories"][category]["grades"]]


def grade(kind: str, category: str, code: str) -> Grade | None:
    return next((g for g in grades(kind, category) if g.code == code), None)


def shared_caps(kind: str) -> bool:
    """In the S&T award the grade caps of the three main awards are one pool (桂政发〔2020〕27号)."""
    return kind == "st_award"


# --- national recommendation quotas (rules/national_quotas.yaml) ------------------------------------------------

NATIONAL_QUOTAS = Path(__file__).with_name("rules") / "national_quotas.yaml"


@dataclass(frozen=True)
class NationalQuota:
    kind: str
    category: str
    year: int
    quota: int
    from_year: int
    document: str
    verified: bool
    note: str


@functools.cache
def national_schemes() -> dict:
    return yaml.safe_load(NATIONAL_QUOTAS.read_text(encoding="utf-8"))


def national_categories(kind: str) -> dict[str, str]:
    return {code: c["name"] for code, c in national_schemes()[kind]["categories"].items()}


def national_category_for(kind: str, award_category: str) -> str:
    """The national category a Guangxi award category is recommended to by default ('' when none)."""
    for code, c in national_schemes()[kind]["categories"].items():
        if award_category in c.get("from", []):
            return code
    return ""


def national_quota(kind: str, category: str, year: int) -> NationalQuota | None:
    """The quota in force for `year`: the latest version starting on or before it (None when none covers it)."""
    versions = [v for v in national_schemes()[kind]["versions"] if v["from_year"] <= year]
    if not versions:
        return None
    v = max(versions, key=lambda v: v["from_year"])
    if category not in v["quotas"]:
        return None
    return NationalQuota(
        kind=kind,
        category=category,
        year=year,
        quota=int(v["quotas"][category]),
        from_year=int(v["from_year"]),
        document=v["document"],
        verified=bool(v.get("verified", False)),
        note=v.get("note", ""),
    )
