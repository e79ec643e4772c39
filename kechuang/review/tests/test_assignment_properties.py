"""The assignment solver against an independent exact formulation (SciPy's MILP) on small random instances."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from kechuang.review.assignment import AssignmentError, Instance, check, greedy, solve


def exact_optimum(inst: Instance) -> tuple[int, float]:
    """(reviews placed, total affinity) of the lexicographic optimum, by a dense MILP written separately."""
    m, n = inst.shape
    allowed = inst.allowed_mask()
    count = m * n
    upper = allowed.astype(float).ravel()
    lower = np.zeros(count)
    for e, s in inst.pinned:
        lower[e * n + s] = 1.0
    rows, lo, hi = [], [], []
    for e in range(m):
        row = np.zeros(count)
        row[e * n : (e + 1) * n] = 1
        rows.append(row)
        lo.append(0)
        hi.append(inst.caps[e])
    for s in range(n):
        row = np.zeros(count)
        row[s::n] = 1
        rows.append(row)
        lo.append(0)
        hi.append(inst.needs[s])
    if inst.expert_org is not None:
        for org in np.unique(inst.expert_org):
            members = np.nonzero(inst.expert_org == org)[0]
            for s in range(n):
                row = np.zeros(count)
                row[members * n + s] = 1
                rows.append(row)
                lo.append(0)
                hi.append(1)
    constraints = LinearConstraint(np.array(rows), lo, hi)
    integrality = np.ones(count)
    bounds = Bounds(lower, upper)
    most = milp(-np.ones(count), constraints=constraints, integrality=integrality, bounds=bounds)
    placed = round(-most.fun)
    keep_count = LinearConstraint(np.ones((1, count)), placed, placed)
    best = milp(
        -inst.affinity.ravel(), constraints=[constraints, keep_count], integrality=integrality, bounds=bounds
    )
    return placed, -best.fun


@st.composite
def instances(draw, spread=False):
    m = draw(st.integers(1, 6))
    n = draw(st.integers(1, 7))
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    affinity = np.round(rng.random((m, n)), 3)
    caps = rng.integers(0, 4, size=m)
    needs = rng.integers(0, 4, size=n)
    allowed = rng.random((m, n)) > draw(st.sampled_from([0.0, 0.2, 0.5]))
    orgs = rng.integers(0, 3, size=m) if spread else None
    return Instance(affinity, caps, needs, allowed, expert_org=orgs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_assignment_is_feasible_and_optimal(inst):
    result = solve(inst)
    assert check(inst, result) == []
    placed, best = exact_optimum(inst)
    assert len(result.pairs) == placed
    assert result.total_affinity == pytest.approx(best, abs=1e-6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(spread=True))
def test_one_reviewer_per_organisation_is_kept_at_the_optimum(inst):
    result = solve(inst)
    assert check(inst, result) == []
    placed, best = exact_optimum(inst)
    assert len(result.pairs) == placed
    assert result.total_affinity == pytest.approx(best, abs=1e-6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_greedy_is_never_better_and_the_fair_option_keeps_every_invariant(inst):
    optimal = solve(inst)
    baseline = greedy(inst)
    assert check(inst, baseline) == []
    assert (len(baseline.pairs), baseline.total_affinity) <= (
        len(optimal.pairs),
        optimal.total_affinity + 1e-9,
    )
    fair = solve(inst, fair=True)
    assert check(inst, fair) == []
    assert len(fair.pairs) == len(optimal.pairs)


def test_a_submission_is_short_only_when_capacity_runs_out():
    affinity = np.ones((2, 3))
    inst = Instance(affinity, caps=np.array([2, 2]), needs=np.array([2, 2, 2]))
    result = solve(inst)
    assert len(result.pairs) == 4
    assert sum(result.short.values()) == 2


def test_pins_are_kept_and_a_pin_on_a_conflict_is_refused():
    affinity = np.array([[0.1, 0.9], [0.9, 0.1]])
    inst = Instance(affinity, caps=np.array([1, 1]), needs=np.array([1, 1]), pinned=[(0, 0)])
    assert solve(inst).pairs == [(0, 0), (1, 1)]
    blocked = Instance(
        affinity, np.array([1, 1]), np.array([1, 1]), np.array([[False, True], [True, True]]), [(0, 0)]
    )
    with pytest.raises(AssignmentError):
        solve(blocked)


def test_fairness_raises_the_worst_served_submission():
    # Expert 0 is everyone's favourite; maximising the total gives submission 1 a poor reviewer.
    affinity = np.array([[1.0, 0.4], [0.45, 0.0]])
    inst = Instance(affinity, caps=np.array([1, 1]), needs=np.array([1, 1]))
    total = solve(inst)
    fair = solve(inst, fair=True)
    assert total.pairs == [(0, 0), (1, 1)]
    assert fair.pairs == [(0, 1), (1, 0)]
    assert fair.worst_submission_affinity == pytest.approx(0.4)
