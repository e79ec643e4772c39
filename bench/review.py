"""Benchmark of the expert-review engine (issue 14).

1. Assignment of 1,000 submissions × 300 experts, 3 reviews each, caps of 12, 2% conflicts, one reviewer per
   organisation (60 organisations): the production solver (HiGHS LP on the network formulation), the same
   instance solved as an exact MIP with integrality, and a first-come greedy pass, side by side.
   Affinities mimic the real ones: cosine similarity plus a bonus when expert and submission share a discipline.
2. Score normalisation and flags over 3,000 reviews by 300 reviewers.

Run: python -m bench.review
"""

import os
import time

import numpy as np

from kechuang.review.assignment import AssignmentError, Instance, check, greedy, solve, solve_lp
from kechuang.review.scoring import ScoredReview, normalise

# The exact MIP's wall-clock limit (s). On a shared machine the MIP with the organisation spread can run out of it;
# the figure then says so instead of failing the whole module.
MIP_LIMIT = float(os.environ.get("BENCH_REVIEW_MIP_LIMIT", "600"))


def instance(seed: int = 14, spread: bool = True) -> Instance:
    rng = np.random.default_rng(seed)
    experts, submissions, disciplines = 300, 1000, 20
    expert_disc = rng.integers(0, disciplines, experts)
    sub_disc = rng.integers(0, disciplines, submissions)
    affinity = np.round(
        0.6 * rng.random((experts, submissions)) + 0.3 * (expert_disc[:, None] == sub_disc), 4
    )
    allowed = rng.random((experts, submissions)) > 0.02
    orgs = rng.integers(0, 60, experts) if spread else None
    return Instance(affinity, np.full(experts, 12), np.full(submissions, 3), allowed, expert_org=orgs)


def attempt(fn):
    """`timed`, or (None, seconds, cpu, reason) when the solver stops at its time limit without an optimum."""
    started, cpu = time.perf_counter(), time.process_time()
    try:
        return (*timed(fn), "")
    except AssignmentError as exc:
        return None, round(time.perf_counter() - started, 2), round(time.process_time() - cpu, 2), str(exc)


def timed(fn):
    started = time.perf_counter()
    cpu = time.process_time()
    result = fn()
    return result, round(time.perf_counter() - started, 2), round(time.process_time() - cpu, 2)


def assignment_figures(spread: bool) -> dict:
    inst = instance(spread=spread)
    lp, lp_s, lp_cpu = timed(lambda: solve(inst))
    mip, mip_s, mip_cpu, mip_stop = attempt(lambda: solve_lp(inst, integral=True, time_limit=MIP_LIMIT))
    base, greedy_s, _ = timed(lambda: greedy(inst))
    fair, fair_s, _, fair_stop = attempt(lambda: solve(inst, fair=True, time_limit=MIP_LIMIT))
    conflicted = int(sum(not inst.allowed[e, s] for e, s in lp.pairs))

    def worst(result):
        per = np.zeros(inst.shape[1])
        for e, s in result.pairs:
            per[s] += inst.affinity[e, s]
        return round(float(per.min()), 4)

    return {
        "instance": "1000 submissions x 300 experts, 3 reviews, cap 12, 2% conflicts"
        + (", one reviewer per organisation (60 organisations)" if spread else ""),
        "solver_seconds": lp_s,
        "solver_cpu_seconds": lp_cpu,
        "solver_total_affinity": round(lp.total_affinity, 4),
        "solver_method": lp.method,
        "exact_mip_seconds": mip_s,
        "exact_mip_cpu_seconds": mip_cpu,
        "exact_mip_total_affinity": round(mip.total_affinity, 4) if mip else mip_stop,
        "solver_equals_exact": abs(lp.total_affinity - mip.total_affinity) < 1e-6 if mip else None,
        "greedy_seconds": greedy_s,
        "greedy_total_affinity": round(base.total_affinity, 4),
        "greedy_reviews_missing": sum(base.short.values()),
        "solver_reviews_missing": sum(lp.short.values()),
        "conflicted_assignments": conflicted,
        "invariant_violations": len(check(inst, lp)),
        "worst_submission_affinity_optimal": worst(lp),
        "worst_submission_affinity_greedy": worst(base),
        "fair_seconds": fair_s,
        "worst_submission_affinity_fair": worst(fair) if fair else fair_stop,
        "fair_total_affinity": round(fair.total_affinity, 4) if fair else None,
    }


def normalisation_figures() -> dict:
    rng = np.random.default_rng(3)
    bias = rng.normal(0, 8, 300)
    reviews = [
        ScoredReview(
            i, int(r), int(rng.integers(0, 1000)), float(np.clip(70 + bias[r] + rng.normal(0, 10), 0, 100))
        )
        for i, r in enumerate(rng.integers(0, 300, 3000))
    ]
    (_, disagree), seconds, cpu = timed(lambda: normalise(reviews))
    return {
        "reviews": len(reviews),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "outliers_flagged": sum(r.outlier for r in reviews),
        "submissions_disagreeing": len(disagree),
    }


def run() -> dict:
    load_before = os.getloadavg()[0]
    figures = {
        "assignment_with_spread": assignment_figures(spread=True),
        "assignment_without_spread": assignment_figures(spread=False),
        "normalisation": normalisation_figures(),
    }
    figures["machine"] = {
        "cores": os.cpu_count(),
        "load_average_1min_before": round(load_before, 2),
        "load_average_1min_after": round(os.getloadavg()[0], 2),
    }
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2, ensure_ascii=False))
