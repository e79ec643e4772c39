"""The assignment solver against the exact optimum, by two methods that do not share its code path.

1. Full size (1,000 submissions × 300 experts, 3 reviews, caps of 12, 2% conflicts, with and without one reviewer
   per organisation): the LP relaxation of the same integer programme, solved by scipy's interior-point method
   (`linprog`, HiGHS IPM with crossover, a different algorithm from the production solver's simplex and built from
   its own matrix here). For a maximisation the relaxation's optimum bounds every integral assignment from above,
   so `bound − solver` is a certified optimality gap: zero means the production solver's assignment is optimal.
   (The exact MIP of the same instance did not finish in 600 s under load, see the `review` section; the bound
   needs no integrality and finishes.)
2. Realistic panel size (300 submissions × 90 experts, the same rules, several seeds): an exhaustive minimum-cost
   maximum flow by successive shortest paths (Dijkstra with potentials, scipy.sparse.csgraph, no LP at all) on
   the network of `kechuang.review.assignment` — source → expert (cap) → [organisation × submission, capacity 1]
   → submission (need) → sink — with integer costs (affinities have 4 decimals, so ×10⁴ is exact). Its optimum is
   the exact optimum; the gap is reported in affinity units.

Run: python -m bench.review_exact
"""

from __future__ import annotations

import os
import time

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import bellman_ford, dijkstra

from kechuang.review.assignment import Instance, check, greedy, solve

SCALE = 10_000  # the instances' affinities are rounded to 4 decimals


def instance(seed: int, experts: int, submissions: int, orgs: int | None) -> Instance:
    """As bench.review: cosine-like affinity plus a discipline bonus, 2% conflicts, caps 12, 3 reviews."""
    rng = np.random.default_rng(seed)
    disciplines = 20
    expert_disc = rng.integers(0, disciplines, experts)
    sub_disc = rng.integers(0, disciplines, submissions)
    affinity = np.round(
        0.6 * rng.random((experts, submissions)) + 0.3 * (expert_disc[:, None] == sub_disc), 4
    )
    allowed = rng.random((experts, submissions)) > 0.02
    org = rng.integers(0, orgs, experts) if orgs else None
    return Instance(affinity, np.full(experts, 12), np.full(submissions, 3), allowed, expert_org=org)


def lp_bound(inst: Instance) -> tuple[float, int, float]:
    """(affinity of the relaxation's optimum, reviews it leaves missing, seconds) — big-M as the solver."""
    experts, subs = np.nonzero(inst.allowed_mask())
    weights = inst.affinity[experts, subs].astype(float)
    m, n = inst.shape
    p = len(experts)
    big = float(max(1.0, weights.max()) * 1000.0 + 1.0)
    cost = -np.concatenate([weights, np.full(n, -big)])  # linprog minimises
    cols = np.arange(p)
    a_eq = coo_matrix(
        (np.ones(p + n), (np.concatenate([subs, np.arange(n)]), np.concatenate([cols, p + np.arange(n)]))),
        shape=(n, p + n),
    )
    rows, row_cols = [experts], [cols]
    n_rows = m
    if inst.expert_org is not None:
        key = inst.expert_org[experts].astype(np.int64) * n + subs
        _, group = np.unique(key, return_inverse=True)
        rows.append(m + group)
        row_cols.append(cols)
        n_rows = m + int(group.max()) + 1
    a_ub = coo_matrix(
        (np.ones(sum(len(r) for r in rows)), (np.concatenate(rows), np.concatenate(row_cols))),
        shape=(n_rows, p + n),
    )
    b_ub = np.concatenate([inst.caps.astype(float), np.ones(n_rows - m)])
    bounds = np.column_stack([np.zeros(p + n), np.concatenate([np.ones(p), inst.needs.astype(float)])])
    started = time.perf_counter()
    res = linprog(
        cost,
        A_ub=a_ub.tocsr(),
        b_ub=b_ub,
        A_eq=a_eq.tocsr(),
        b_eq=inst.needs.astype(float),
        bounds=bounds,
        method="highs-ipm",
    )
    seconds = time.perf_counter() - started
    if res.status != 0:
        raise RuntimeError(f"LP relaxation failed: {res.message}")
    return float(weights @ res.x[:p]), int(round(res.x[p:].sum())), seconds


def min_cost_flow(inst: Instance) -> tuple[float, int]:
    """Exact optimum by successive shortest paths: (total affinity, reviews missing). Maximum flow first, then
    minimum cost, which is what the solver's big-M states."""
    m, n = inst.shape
    mask = inst.allowed_mask()
    experts, subs = np.nonzero(mask)
    source, sink = 0, 1
    expert_node = 2 + np.arange(m)
    sub_node = 2 + m + np.arange(n)
    tails, heads, caps, costs = [], [], [], []

    def arcs(t, h, c, w):
        tails.append(np.asarray(t)), heads.append(np.asarray(h))
        caps.append(np.broadcast_to(c, len(tails[-1])).astype(np.int64))
        costs.append(np.broadcast_to(w, len(tails[-1])).astype(np.int64))

    arcs(np.full(m, source), expert_node, inst.caps, 0)
    arcs(sub_node, np.full(n, sink), inst.needs, 0)
    weight = -np.rint(inst.affinity[experts, subs] * SCALE).astype(np.int64)
    if inst.expert_org is None:
        arcs(expert_node[experts], sub_node[subs], 1, weight)
        nodes = 2 + m + n
    else:
        key = inst.expert_org[experts].astype(np.int64) * n + subs
        uniq, group = np.unique(key, return_inverse=True)
        middle = 2 + m + n + np.arange(len(uniq))
        arcs(expert_node[experts], middle[group], 1, weight)
        arcs(middle, sub_node[uniq % n], 1, 0)
        nodes = 2 + m + n + len(uniq)
    tail, head = np.concatenate(tails), np.concatenate(heads)
    cap, cost = np.concatenate(caps), np.concatenate(costs)
    arcs_n = len(tail)
    # Residual arcs: i < arcs_n forward, arcs_n + i the reverse of i.
    r_tail = np.concatenate([tail, head])
    r_head = np.concatenate([head, tail])
    r_cost = np.concatenate([cost, -cost]).astype(float)
    residual = np.concatenate([cap, np.zeros(arcs_n, dtype=np.int64)])
    # Initial potentials: the graph is acyclic with negative costs, so one Bellman-Ford.
    live = residual > 0
    g = csr_matrix((r_cost[live], (r_tail[live], r_head[live])), shape=(nodes, nodes))
    potential = bellman_ford(g, indices=source)
    potential[~np.isfinite(potential)] = 0.0
    index = {(int(u), int(v)): a for a, (u, v) in enumerate(zip(r_tail, r_head, strict=True))}
    flow_cost = 0
    while True:
        live = np.nonzero(residual > 0)[0]
        reduced = r_cost[live] + potential[r_tail[live]] - potential[r_head[live]]
        reduced = np.maximum(reduced, 0.0)  # rounding only: the potentials keep reduced costs ≥ 0
        g = csr_matrix((reduced, (r_tail[live], r_head[live])), shape=(nodes, nodes))
        dist, pred = dijkstra(g, indices=source, return_predecessors=True)
        if not np.isfinite(dist[sink]):
            break
        finite = np.isfinite(dist)
        potential[finite] += dist[finite]
        path, v = [], sink
        while v != source:
            u = int(pred[v])
            path.append(index[(u, v)])
            v = u
        push = int(min(residual[a] for a in path))
        for a in path:
            residual[a] -= push
            residual[(a + arcs_n) % (2 * arcs_n)] += push
            flow_cost += push * int(r_cost[a])
    # The submission → sink arcs are m … m+n−1; what is left on them is the reviews missing.
    return -flow_cost / SCALE, int(residual[m : m + n].sum())


def full_size(orgs: int | None) -> dict:
    inst = instance(14, 300, 1000, orgs)
    started, cpu = time.perf_counter(), time.process_time()
    result = solve(inst)
    solver_s, solver_cpu = time.perf_counter() - started, time.process_time() - cpu
    bound, bound_short, bound_s = lp_bound(inst)
    base = greedy(inst)
    return {
        "solver_total_affinity": round(result.total_affinity, 4),
        "solver_reviews_missing": sum(result.short.values()),
        "solver_seconds": round(solver_s, 2),
        "solver_cpu_seconds": round(solver_cpu, 2),
        "lp_bound_total_affinity": round(bound, 4),
        "lp_bound_reviews_missing": bound_short,
        "lp_bound_seconds": round(bound_s, 2),
        "certified_gap": round(bound - result.total_affinity, 6),
        "greedy_gap": round(bound - base.total_affinity, 4),
        "invariant_violations": len(check(inst, result)),
    }


def panel_size(seeds=(1, 2, 3)) -> dict:
    rows = []
    for seed in seeds:
        for orgs in (None, 20):
            inst = instance(seed, 90, 300, orgs)
            started = time.perf_counter()
            result = solve(inst)
            solver_s = time.perf_counter() - started
            started = time.perf_counter()
            exact, exact_short = min_cost_flow(inst)
            exact_s = time.perf_counter() - started
            rows.append(
                {
                    "seed": seed,
                    "spread": bool(orgs),
                    "solver": round(result.total_affinity, 4),
                    "exact_min_cost_flow": round(exact, 4),
                    "gap": round(exact - result.total_affinity, 6),
                    "missing_solver_exact": [sum(result.short.values()), exact_short],
                    "greedy_gap": round(exact - greedy(inst).total_affinity, 4),
                    "solver_seconds": round(solver_s, 2),
                    "exact_seconds": round(exact_s, 2),
                }
            )
    return {"instances": rows, "largest_gap": max(abs(r["gap"]) for r in rows)}


def run() -> dict:
    load_before = os.getloadavg()[0]
    figures = {
        "full_size_with_spread": full_size(60),
        "full_size_without_spread": full_size(None),
        "panel_size_300x90": panel_size(),
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
