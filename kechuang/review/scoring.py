"""Score arithmetic, pure: rubric totals, per-reviewer normalisation, flags. No Django.

A rubric is a list of criteria {"code", "label", "weight", "min", "max", "comment_required"}; weights sum to 100.
A review's total is Σ weight × (score − min) / (max − min), so every rubric scores on 0–100.

Normalisation (shown beside the raw totals, never replacing them): each reviewer's totals are turned into
z-scores over that reviewer's own reviews in the stage, then mapped back onto the stage's overall mean and
standard deviation, so a harsh and a lenient reviewer become comparable. A reviewer with fewer than two reviews,
or who gave every submission the same total, keeps their raw totals (no information to correct with).

Flags: a review is an *outlier* when its total is more than `OUTLIER_POINTS` from the mean of the other reviews
of the same submission; a submission's reviews *disagree* when their totals span more than `DISAGREE_POINTS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

OUTLIER_POINTS = 25.0
DISAGREE_POINTS = 30.0
TWO_PLACES = Decimal("0.01")


class RubricError(ValueError):
    def __init__(self, code: str, criterion: str | None = None):
        super().__init__(code)
        self.code = code
        self.criterion = criterion


def check_rubric(criteria: list[dict]) -> None:
    if not criteria:
        raise RubricError("empty")
    codes = [c["code"] for c in criteria]
    if len(set(codes)) != len(codes):
        raise RubricError("duplicate_code")
    if sum(Decimal(str(c["weight"])) for c in criteria) != 100:
        raise RubricError("weights_not_100")
    for c in criteria:
        if not int(c["min"]) < int(c["max"]):
            raise RubricError("bad_scale", c["code"])


def weighted_total(criteria: list[dict], scores: dict[str, int], comments: dict[str, str]) -> Decimal:
    """The 0–100 total of one review; raises RubricError naming the criterion that is missing or out of range."""
    total = Decimal(0)
    for c in criteria:
        code = c["code"]
        value = scores.get(code)
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            raise RubricError("missing_score", code)
        low, high = int(c["min"]), int(c["max"])
        if not low <= value <= high:
            raise RubricError("out_of_range", code)
        if c.get("comment_required") and not (comments.get(code) or "").strip():
            raise RubricError("comment_required", code)
        total += Decimal(str(c["weight"])) * Decimal(value - low) / Decimal(high - low)
    return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class ScoredReview:
    review_id: int
    reviewer_id: int
    submission_id: int
    total: float
    normalised: float = 0.0
    outlier: bool = False


def normalise(reviews: list[ScoredReview]) -> tuple[list[ScoredReview], set[int]]:
    """Fill `normalised` and `outlier` in place; return the reviews and the ids of submissions whose reviews disagree."""
    if not reviews:
        return reviews, set()
    totals = np.array([r.total for r in reviews], dtype=float)
    reviewers = np.array([r.reviewer_id for r in reviews])
    subs = np.array([r.submission_id for r in reviews])
    overall_mean = totals.mean()
    overall_std = totals.std()
    normalised = totals.copy()
    uniq, inverse, counts = np.unique(reviewers, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=totals)
    means = sums / counts
    sq = np.bincount(inverse, weights=totals**2) / counts
    stds = np.sqrt(np.maximum(sq - means**2, 0.0))
    usable = (counts >= 2) & (stds > 1e-9)
    row_usable = usable[inverse]
    z = np.zeros_like(totals)
    z[row_usable] = (totals[row_usable] - means[inverse][row_usable]) / stds[inverse][row_usable]
    normalised[row_usable] = overall_mean + overall_std * z[row_usable]
    s_uniq, s_inv, s_counts = np.unique(subs, return_inverse=True, return_counts=True)
    s_sums = np.bincount(s_inv, weights=totals)
    others = s_counts[s_inv] - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        others_mean = np.where(others > 0, (s_sums[s_inv] - totals) / np.maximum(others, 1), totals)
    outliers = (others > 0) & (np.abs(totals - others_mean) > OUTLIER_POINTS)
    s_max = np.full(len(s_uniq), -np.inf)
    s_min = np.full(len(s_uniq), np.inf)
    np.maximum.at(s_max, s_inv, totals)
    np.minimum.at(s_min, s_inv, totals)
    disagree = {int(s) for s, hi, lo in zip(s_uniq, s_max, s_min, strict=True) if hi - lo > DISAGREE_POINTS}
    for r, value, flag in zip(reviews, normalised, outliers, strict=True):
        r.normalised = round(float(value), 2)
        r.outlier = bool(flag)
    return reviews, disagree


def vote_outcome(
    yes: int, no: int, abstain: int, *, members: int, quorum: int, two_thirds: bool
) -> tuple[bool, str]:
    """(passed, reason code) of a committee vote. Recused members are not counted among `members`.

    Quorum: at least `quorum` members (or, when 0, more than half of the non-recused members) cast a vote.
    Passing: more than half of the votes cast, or at least two thirds when `two_thirds`.
    """
    cast = yes + no + abstain
    needed = quorum or (members // 2 + 1)
    if cast < needed:
        return False, "no_quorum"
    if two_thirds:
        return (3 * yes >= 2 * cast), ("two_thirds" if 3 * yes >= 2 * cast else "short_of_two_thirds")
    return (2 * yes > cast), ("majority" if 2 * yes > cast else "no_majority")
