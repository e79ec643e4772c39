"""Classified evaluation, pure code: the score of each indicator, the total, the grade, and the explanation of every
point. Vectorised over many institutions with exact integer arithmetic (no floats): scores are kept in 1/100 of a
point.

Method (per category, from `rules/evaluation.yaml`): an indicator's value v with full-mark line F scores
min(v, F) / F of its weight w; its points = w × min(v, F) / F, in hundredths of a point rounded down; the total is the
sum of the points (0–100); the grade is the first band whose minimum the total reaches. A missing value scores 0 and
is named ("未报送"), never guessed. Invariants (tested): 0 ≤ points ≤ weight; total = Σ points; a higher value never
lowers the score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kechuang.platforms.criteria import show

SOURCES = {"self": "自评", "platform": "平台数据", "expert": "专家评议"}


@dataclass(frozen=True)
class Result:
    total_centi: int  # total × 100
    grade: str
    grade_name: str
    lines: list[dict]

    @property
    def total_text(self) -> str:
        return f"{self.total_centi // 100}.{self.total_centi % 100:02d}"


def _centi_text(c: int) -> str:
    return f"{c // 100}.{c % 100:02d}"


def points_centi(values: np.ndarray, weight: int, full: int) -> np.ndarray:
    """Points in hundredths for an array of values (int64; missing as -1 → 0 points)."""
    v = np.clip(values, 0, full).astype(np.int64)
    return (v * weight * 100) // full


def grade_of(total_centi: int, grades: list[dict]) -> tuple[str, str]:
    for g in sorted(grades, key=lambda g: -g["min"]):
        if total_centi >= g["min"] * 100:
            return g["code"], g["name"]
    last = grades[-1]
    return last["code"], last["name"]


def evaluate_many(
    category: dict, grades: list[dict], rows: list[dict], *, explain: bool = True
) -> list[Result]:
    """Evaluate many institutions of one category; `rows` are {indicator code: value or None}."""
    n = len(rows)
    indicators = category["indicators"]
    points = np.zeros((len(indicators), n), dtype=np.int64)
    values = np.full((len(indicators), n), -1, dtype=np.int64)
    for k, ind in enumerate(indicators):
        col = np.fromiter(
            (-1 if r.get(ind["code"]) is None else int(r[ind["code"]]) for r in rows), dtype=np.int64, count=n
        )
        values[k] = col
        points[k] = np.where(col >= 0, points_centi(col, ind["weight"], ind["full"]), 0)
    totals = points.sum(axis=0)
    out = []
    for j in range(n):
        total = int(totals[j])
        code, name = grade_of(total, grades)
        lines = []
        if explain:
            for k, ind in enumerate(indicators):
                v = int(values[k, j])
                p = int(points[k, j])
                if v < 0:
                    text = (
                        f"{ind['label']}（{SOURCES[ind['source']]}）：未报送，得 0 分（权重 {ind['weight']}）"
                    )
                else:
                    text = (
                        f"{ind['label']}（{SOURCES[ind['source']]}）：{show(v, ind['unit'])}，"
                        f"满分线 {show(ind['full'], ind['unit'])}，得 {_centi_text(p)} 分（权重 {ind['weight']}）"
                    )
                lines.append(
                    {
                        "code": ind["code"],
                        "value": None if v < 0 else v,
                        "points_centi": p,
                        "weight": ind["weight"],
                        "source": ind["source"],
                        "text": text,
                    }
                )
            band = next(g for g in grades if g["code"] == code)
            lines.append(
                {
                    "code": "grade",
                    "points_centi": total,
                    "text": f"合计 {_centi_text(total)} 分，达到{name}（≥ {band['min']} 分）",
                }
            )
        out.append(Result(total, code, name, lines))
    return out
