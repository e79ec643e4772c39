"""Benchmark of the one-to-one meeting scheduler (issue 5). No database: the scheduler is pure Python/NumPy.

Run: python -m bench.events
"""

import json
import time

from kechuang.events.scheduling import (
    check_schedule,
    first_come_greedy,
    mutual_blocked_by_one_way,
    participants_without_meetings,
    schedule,
    synthetic_problem,
)


def upper_bound(problem) -> int:
    """No schedule can place more meetings than this (tables; people's slots; people present per slot)."""
    from collections import Counter

    degree = Counter(p for r in problem.requests for p in (r.a, r.b))
    by_people = sum(min(d, len(problem.availability[p])) for p, d in degree.items()) // 2
    present = [sum(1 for p in degree if s in problem.availability[p]) // 2 for s in range(problem.n_slots)]
    by_slots = sum(min(t, n) for t, n in zip(problem.tables, present, strict=True))
    return min(sum(problem.tables), by_people, by_slots, len(problem.requests))


def run() -> dict:
    problem = synthetic_problem(participants=500, requests=3000, mutual=1000, slots=16, tables=60, seed=7)
    started = time.perf_counter()
    result = schedule(problem)
    seconds = time.perf_counter() - started
    greedy = first_come_greedy(problem)
    mutual_ids = {r.id for r in problem.requests if r.mutual}
    placed_requests = result.requests_placed(problem)
    greedy_requests = greedy.requests_placed(problem)
    return {
        "input": "500 participants, 3,000 requests (1,000 mutual = 500 mutual pairs), 16 slots x 60 tables, seed 7",
        "seconds": round(seconds, 3),
        "violations": len(check_schedule(problem, result.placements)),
        "mutual_meetings_placed": len(mutual_ids & result.placements.keys()),
        "mutual_meetings_total": len(mutual_ids),
        "mutual_left_out_while_capacity_allowed": len(mutual_blocked_by_one_way(problem, result.placements)),
        "requests_placed": placed_requests,
        "requests_placed_first_come_greedy": greedy_requests,
        "gain_over_greedy_pct": round(100 * (placed_requests - greedy_requests) / max(greedy_requests, 1), 1),
        "meetings_placed": len(result.placements),
        "meetings_placed_first_come_greedy": len(greedy.placements),
        "mutual_meetings_placed_first_come_greedy": len(mutual_ids & greedy.placements.keys()),
        "participants_without_any_meeting": participants_without_meetings(problem, result.placements),
        "participants_without_any_meeting_first_come_greedy": participants_without_meetings(problem, greedy.placements),
        "table_slots": sum(problem.tables),
        "meetings_upper_bound": upper_bound(problem),
    }


if __name__ == "__main__":
    import os
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    print(json.dumps(run(), indent=2, ensure_ascii=False))
