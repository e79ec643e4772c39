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
