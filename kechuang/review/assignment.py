"""Expert-to-submission assignment as the optimisation it is.

Pure code, no Django: the service layer turns experts, submissions, conflicts and pins into an `Instance`.

The problem. `m` experts, `n` submissions, an affinity `a[e, s]` (higher is better, e.g. cosine similarity of
profile and submission text plus a discipline bonus). Choose `x[e, s] ∈ {0, 1}` to

    maximise   Σ a[e, s] · x[e, s]  −  M · Σ short[s]
    subject to Σ_s x[e, s] ≤ cap[e]                         (each expert's cap)
               Σ_e x[e, s] + short[s] = need[s]              (each submission's reviews; `short` ≥ 0)
               x[e, s] = 0 where e is in conflict with s, or forbidden
               x[e, s] = 1 where an official pinned the pair
               Σ_{e ∈ org o} x[e, s] ≤ 1                     (optional spread: one reviewer per organisation)

`M` is larger than any possible affinity gain, so a submission is short of reviews only when capacity (after
conflicts) truly runs out: "every submission gets its minimum where capacity allows".

Method. The problem is a minimum-cost flow, as in OpenReview's matcher: source → expert (capacity = cap) →
[organisation × submission node, capacity 1, when spread is on] → submission (capacity = need) → sink, each
expert→submission arc costing −affinity. The flow polytope is integral, so the optimum is an assignment.
"Short only when capacity runs out" is *maximum flow first, then minimum cost* (OR-Tools'
`solve_max_flow_with_min_cost`). Costs are affinities scaled to integers (×10⁶), so the flow optimum equals
the real-valued optimum to within 10⁻⁶ per assignment. Only allowed pairs become arcs, so conflicts cost nothing.
Pins are applied first (their expert's cap and their submission's need drop by one).

The exact reference (`solve_lp`) states the same problem as an LP for HiGHS with the big-M form above. Its
constraint matrix is a network matrix, so the simplex vertex is integral and the LP *is* the exact optimum; the
benchmark and the property tests compare both solvers on the same instances.

Fairness (optional). First maximise the affinity of the worst-served submission `t`, then maximise the total
while keeping every submission at ≥ t (less a tolerance). This is the max-min "fair flow" idea used by
OpenReview's matcher, done with two LPs.

Re-running after a decline keeps the other assignments: `keep` pins every assignment that is still valid, so
only the declined places are re-filled.

Invariants (property-tested in review/tests/test_assignment_properties.py): caps and needs are never exceeded;
no conflicted or forbidden pair is ever assigned; pins are honoured; the total affinity equals the optimum of an
independent exact MIP of the same instance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import highspy
import numpy as np

INF = highspy.kHighsInf


@dataclass
class Instance:
    affinity: np.ndarray  # (experts, submissions) float
    caps: np.ndarray  # (experts,) int
    needs: np.ndarray  # (submissions,) int
    allowed: np.ndarray | None = None  # (experts, submissions) bool; False = conflict or forbidden
    pinned: list[tuple[int, int]] = field(default_factory=list)
    expert_org: np.ndarray | None = None  # (experts,) int ids; set to enforce one reviewer per organisation

    @property
    def shape(self) -> tuple[int, int]:
        return self.affinity.shape

    def allowed_mask(self) -> np.ndarray:
        mask = np.ones(self.shape, dtype=bool) if self.allowed is None else self.allowed.copy()
        return mask


@dataclass
class Result:
    pairs: list[tuple[int, int]]  # (expert, submission)
    total_affinity: float
    short: dict[int, int]  # submission -> reviews missing because capacity ran out
    method: str
    worst_submission_affinity: float | None = None

    def by_submission(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for e, s in self.pairs:
            out.setdefault(s, []).append(e)
        return out


class AssignmentError(ValueError):
    """The instance is inconsistent (a pin on a conflicted pair, a pin beyond a cap)."""


def _check_pins(inst: Instance, mask: np.ndarray) -> None:
    per_expert: dict[int, int] = {}
    for e, s in inst.pinned:
        if not mask[e, s]:
            raise AssignmentError(f"pinned pair ({e}, {s}) is in conflict or forbidden")
        per_expert[e] = per_expert.get(e, 0) + 1
    for e, count in per_expert.items():
        if count > inst.caps[e]:
            raise AssignmentError(f"expert {e} has {count} pins but a cap of {inst.caps[e]}")


SCALE = 1_000_000


def solve(inst: Instance, *, fair: bool = False, time_limit: float = 120.0) -> Result:
    """The optimal assignment (see the module docstring)."""
    return solve_lp(inst, fair=fair, time_limit=time_limit)


def solve_lp(
    inst: Instance, *, fair: bool = False, integral: bool = False, time_limit: float = 120.0
) -> Result:
    """The same problem as an LP (or MIP) for HiGHS: the exact reference, and the fairness option."""
    mask = inst.allowed_mask()
    _check_pins(inst, mask)
    experts, subs = np.nonzero(mask)
    weights = inst.affinity[experts, subs].astype(float)
    worst = None
    floor = None
    if fair:
        # The floor rows break the network structure, so the LP vertex may be fractional: both fair stages are
        # solved with integrality, and the floor is the worst affinity an actual assignment can reach.
        integral = True
        worst, served = _max_min(inst, experts, subs, weights, integral, time_limit)
        floor = (worst - 1e-6, served)
    x, shorts, objective = _solve_model(inst, experts, subs, weights, integral, time_limit, floor)
    if not integral and np.any((x > 1e-6) & (x < 1 - 1e-6)):
        # A network LP has integral vertices; a fractional answer means the solver stopped on a face, so solve
        # the same model with integrality rather than round.
        integral = True
        x, shorts, objective = _solve_model(inst, experts, subs, weights, integral, time_limit, floor)
    chosen = np.nonzero(x > 0.5)[0]
    pairs = sorted(zip(experts[chosen].tolist(), subs[chosen].tolist(), strict=True))
    short = {int(s): int(round(v)) for s, v in enumerate(shorts) if v > 0.5}
    total = float(weights[chosen].sum())
    return Result(pairs, total, short, "HiGHS MIP" if integral else "HiGHS LP", worst)


def _big_m(weights: np.ndarray) -> float:
    return float(max(1.0, np.abs(weights).max(initial=0.0)) * 1000.0 + 1.0)


def _build(inst, experts, subs, weights, integral, objective_weights, extra_cols=0):
    """Columns: one per allowed pair, then one `short` per submission, then `extra_cols` free columns."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    m, n = inst.shape
    n_pairs = len(experts)
    pinned = set(inst.pinned)
    lower = np.array([1.0 if (int(e), int(s)) in pinned else 0.0 for e, s in zip(experts, subs, strict=True)])
    lp = highspy.HighsLp()
    lp.num_col_ = n_pairs + n + extra_cols
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.asarray(objective_weights, dtype=np.float64)
    lp.col_lower_ = np.concatenate([lower, np.zeros(n), np.full(extra_cols, -INF)])
    lp.col_upper_ = np.concatenate([np.ones(n_pairs), inst.needs.astype(float), np.full(extra_cols, INF)])
    rows_lower: list[float] = []
    rows_upper: list[float] = []
    starts: list[int] = [0]
    index: list[int] = []
    value: list[float] = []

    def add_row(cols, vals, lo, hi):
        rows_lower.append(lo)
        rows_upper.append(hi)
        index.extend(int(c) for c in cols)
        value.extend(float(v) for v in vals)
        starts.append(len(index))

    order_e = np.argsort(experts, kind="stable")
    bounds_e = np.searchsorted(experts[order_e], np.arange(m + 1))
    for e in range(m):
        cols = order_e[bounds_e[e] : bounds_e[e + 1]]
        if len(cols):
            add_row(cols, np.ones(len(cols)), 0.0, float(inst.caps[e]))
    order_s = np.argsort(subs, kind="stable")
    bounds_s = np.searchsorted(subs[order_s], np.arange(n + 1))
    for s in range(n):
        cols = order_s[bounds_s[s] : bounds_s[s + 1]]
        need = float(inst.needs[s])
        add_row([*cols, n_pairs + s], [*np.ones(len(cols)), 1.0], need, need)
    if inst.expert_org is not None:
        orgs = inst.expert_org[experts]
        groups: dict[tuple[int, int], list[int]] = {}
        for col, (o, s) in enumerate(zip(orgs.tolist(), subs.tolist(), strict=True)):
            groups.setdefault((o, s), []).append(col)
        for group in groups.values():
            if len(group) > 1:
                add_row(group, np.ones(len(group)), 0.0, 1.0)
    lp.num_row_ = len(rows_lower)
    lp.row_lower_ = np.asarray(rows_lower, dtype=float)
    lp.row_upper_ = np.asarray(rows_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(value, dtype=float)
    if integral:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * (n_pairs + n) + [
            highspy.HighsVarType.kContinuous
        ] * extra_cols
    h.passModel(lp)
    return h, order_s, bounds_s


def _run(h: highspy.Highs, time_limit: float) -> np.ndarray:
    h.setOptionValue("time_limit", float(time_limit))
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise AssignmentError(f"solver stopped without an optimum: {h.modelStatusToString(status)}")
    return np.asarray(h.getSolution().col_value)


def _solve_model(inst, experts, subs, weights, integral, time_limit, floor):
    n = inst.shape[1]
    big = _big_m(weights)
    cost = np.concatenate([weights, np.full(n, -big)])
    h, order_s, bounds_s = _build(inst, experts, subs, weights, integral, cost)
    if floor is not None:
        # Every submission that can be served keeps at least the fair floor of affinity.
        level, served = floor
        for s in np.nonzero(served)[0]:
            cols = order_s[bounds_s[s] : bounds_s[s + 1]]
            h.addRow(level, INF, len(cols), cols.astype(np.int32), weights[cols])
    x = _run(h, time_limit)
    n_pairs = len(experts)
    return x[:n_pairs], x[n_pairs : n_pairs + n], float(h.getInfo().objective_function_value)


def _max_min(inst, experts, subs, weights, integral, time_limit) -> tuple[float, np.ndarray]:
    """The largest t such that every submission (served to its reachable minimum) has affinity ≥ t."""
    n = inst.shape[1]
    n_pairs = len(experts)
    big = _big_m(weights)
    # First find how many reviews each submission can get at all, so the floor applies to what is reachable.
    _x, shorts, _obj = _solve_model(inst, experts, subs, weights, integral, time_limit, None)
    reachable_needs = inst.needs - np.rint(shorts).astype(int)
    served = reachable_needs > 0
    if not served.any():
        return 0.0, served
    tight = Instance(inst.affinity, inst.caps, reachable_needs, inst.allowed, inst.pinned, inst.expert_org)
    cost = np.concatenate([np.zeros(n_pairs), np.full(n, -big), [1.0]])
    h, order_s, bounds_s = _build(tight, experts, subs, weights, integral, cost, extra_cols=1)
    t_col = n_pairs + n
    for s in range(n):
        cols = order_s[bounds_s[s] : bounds_s[s + 1]]
        if reachable_needs[s] <= 0:
            continue
        idx = np.concatenate([cols, [t_col]]).astype(np.int32)
        vals = np.concatenate([weights[cols], [-1.0]])
        h.addRow(0.0, INF, len(idx), idx, vals)
    x = _run(h, time_limit)
    return float(x[t_col]), served


def greedy(inst: Instance) -> Result:
    """The first-come baseline: best remaining pair first. Used only to show what the optimisation gains."""
    mask = inst.allowed_mask()
    load = np.zeros(inst.shape[0], dtype=int)
    got = np.zeros(inst.shape[1], dtype=int)
    pairs = []
    for e, s in inst.pinned:
        pairs.append((e, s))
        load[e] += 1
        got[s] += 1
        mask[e, s] = False
    order = np.argsort(-inst.affinity, axis=None, kind="stable")
    orgs_taken: set[tuple[int, int]] = set()
    if inst.expert_org is not None:
        orgs_taken = {(int(inst.expert_org[e]), s) for e, s in pairs}
    m, n = inst.shape
    for flat in order:
        e, s = divmod(int(flat), n)
        if not mask[e, s] or load[e] >= inst.caps[e] or got[s] >= inst.needs[s]:
            continue
        if inst.expert_org is not None:
            key = (int(inst.expert_org[e]), s)
            if key in orgs_taken:
                continue
            orgs_taken.add(key)
        pairs.append((e, s))
        load[e] += 1
        got[s] += 1
    total = float(sum(inst.affinity[e, s] for e, s in pairs))
    short = {s: int(inst.needs[s] - got[s]) for s in range(n) if got[s] < inst.needs[s]}
    return Result(sorted(pairs), total, short, "greedy")


def check(inst: Instance, result: Result) -> list[str]:
    """Every broken invariant of `result` for `inst`, as readable sentences (empty when all hold)."""
    problems = []
    mask = inst.allowed_mask()
    load = np.zeros(inst.shape[0], dtype=int)
    got = np.zeros(inst.shape[1], dtype=int)
    seen = set()
    for e, s in result.pairs:
        if (e, s) in seen:
            problems.append(f"pair ({e}, {s}) assigned twice")
        seen.add((e, s))
        if not mask[e, s]:
            problems.append(f"conflicted or forbidden pair ({e}, {s}) assigned")
        load[e] += 1
        got[s] += 1
    problems += [f"expert {e} over cap ({load[e]} > {inst.caps[e]})" for e in np.nonzero(load > inst.caps)[0]]
    problems += [
        f"submission {j} over need ({got[j]} > {inst.needs[j]})" for j in np.nonzero(got > inst.needs)[0]
    ]
    for e, s in inst.pinned:
        if (e, s) not in seen:
            problems.append(f"pinned pair ({e}, {s}) missing")
    if inst.expert_org is not None:
        per: dict[tuple[int, int], int] = {}
        for e, s in result.pairs:
            key = (int(inst.expert_org[e]), s)
            per[key] = per.get(key, 0) + 1
        problems += [
            f"two reviewers of organisation {o} on submission {s}" for (o, s), c in per.items() if c > 1
        ]
    return problems
