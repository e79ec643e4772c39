"""Benchmark of the one-to-one meeting scheduler (issue 5).

1. The scheduler alone (pure Python/NumPy) against first-come greedy on the target input.
1b. The scheduler against the exact optimum (mutual meetings first, then meetings), solved as an integer program
   by HiGHS (`highspy`), side by side, on three instances: the target (500 participants, 3,000 requests,
   16 slots × 60 tables), the same with 200 tables, and 2,000 participants / 12,000 requests (4,000 mutual),
   16 slots × 240 tables. Set BENCH_EVENTS_EXACT=0 to skip, BENCH_EVENTS_EXACT_SECONDS to bound each solve.
2. End to end in a temporary SQLite database: the `events.schedule` work (read registrations, availability and
   requests, schedule, store the plan) at the same size, then a re-plan after late changes (5 withdrawals, one
   participant losing a slot, 10 declined meetings), counting how many meetings kept their place.
   Set BENCH_EVENTS_DB=0 to skip part 2.

Run: python -m bench.events
"""

import json
import os
import tempfile
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


INSTANCES = {
    "500 participants, 3,000 requests, 16 slots x 60 tables": {
        "participants": 500,
        "requests": 3000,
        "mutual": 1000,
        "slots": 16,
        "tables": 60,
        "seed": 7,
    },
    "500 participants, 3,000 requests, 16 slots x 200 tables": {
        "participants": 500,
        "requests": 3000,
        "mutual": 1000,
        "slots": 16,
        "tables": 200,
        "seed": 7,
    },
    "2,000 participants, 12,000 requests (4,000 mutual), 16 slots x 240 tables": {
        "participants": 2000,
        "requests": 12000,
        "mutual": 4000,
        "slots": 16,
        "tables": 240,
        "seed": 7,
    },
}


def exact_reference(problem, time_limit: float = 600.0) -> dict:
    """The optimum by integer programming (HiGHS): x[k, s] = 1 when request k meets in slot s, over the slots both
    parties attend; each request at most once, each person at most once per slot, each slot at most its tables.
    Objective: mutual meetings first, then meetings — weight (one-way requests + 1) for a mutual meeting and 1 for
    a one-way meeting, which is exactly lexicographic; gaps set to zero so "optimal" means proven."""
    import highspy
    import numpy as np
    import scipy.sparse as sp

    started = time.perf_counter()
    slots = problem.n_slots
    people = {p: i for i, p in enumerate(sorted(problem.availability))}
    req_col, slot_col = [], []
    for k, r in enumerate(problem.requests):
        for s in sorted(set(problem.availability[r.a]) & set(problem.availability[r.b])):
            if 0 <= s < slots:
                req_col.append(k)
                slot_col.append(s)
    req_col, slot_col = np.array(req_col, dtype=np.int64), np.array(slot_col, dtype=np.int64)
    n, n_req, n_people = len(req_col), len(problem.requests), len(people)
    ra = np.array([people[r.a] for r in problem.requests], dtype=np.int64)
    rb = np.array([people[r.b] for r in problem.requests], dtype=np.int64)
    mutual = np.array([r.mutual for r in problem.requests], dtype=bool)
    rows = np.concatenate(
        [
            req_col,  # request k at most once
            n_req + ra[req_col] * slots + slot_col,  # person a at most once in slot s
            n_req + rb[req_col] * slots + slot_col,  # person b likewise
            n_req + n_people * slots + slot_col,  # tables of slot s
        ]
    )
    cols = np.tile(np.arange(n), 4)
    n_rows = n_req + n_people * slots + slots
    matrix = sp.csc_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_rows, n))
    weight_mutual = float((~mutual).sum() + 1)

    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("mip_abs_gap", 0.5)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, n_rows
    lp.col_cost_ = -np.where(mutual[req_col], weight_mutual, 1.0)
    lp.col_lower_, lp.col_upper_ = np.zeros(n), np.ones(n)
    lp.row_lower_ = np.full(n_rows, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate([np.ones(n_req + n_people * slots), np.array(problem.tables, dtype=float)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    highs.passModel(lp)
    highs.run()
    status = highs.modelStatusToString(highs.getModelStatus())
    x = np.array(highs.getSolution().col_value) > 0.5
    bound = -highs.getInfo().mip_dual_bound  # no schedule scores more than this
    mutual_placed = int(mutual[req_col][x].sum())
    if status == "Optimal":
        upper = int(x.sum())
    elif np.isfinite(bound):
        # W·m + o ≤ bound for every schedule, and the optimum has at least the incumbent's mutual meetings m
        upper = int(bound - (weight_mutual - 1) * mutual_placed + 1e-6)
    else:
        upper = None  # stopped before any bound
    return {
        "status": status,
        "mutual_meetings": mutual_placed,
        "meetings": int(x.sum()),
        "meetings_upper_bound": upper,
        "seconds": round(time.perf_counter() - started, 1),
    }


def against_exact() -> dict:
    """The scheduler (default 3 s limit) and the exact optimum, side by side, on the three instances."""
    out = {}
    limit = float(os.environ.get("BENCH_EVENTS_EXACT_SECONDS", "600"))
    for name, args in INSTANCES.items():
        problem = synthetic_problem(**args)
        mutual_ids = {r.id for r in problem.requests if r.mutual}
        started = time.perf_counter()
        result = schedule(problem)
        seconds = time.perf_counter() - started
        exact = exact_reference(problem, limit)
        placed = len(result.placements)
        out[name] = {
            "scheduler_meetings": placed,
            "scheduler_mutual_meetings": len(mutual_ids & result.placements.keys()),
            "scheduler_seconds": round(seconds, 2),
            "scheduler_violations": len(check_schedule(problem, result.placements)),
            "exact_status": exact["status"],
            "exact_meetings": exact["meetings"],
            "exact_mutual_meetings": exact["mutual_meetings"],
            "exact_meetings_upper_bound": exact["meetings_upper_bound"],
            "exact_seconds": exact["seconds"],
            "scheduler_pct_of_exact": round(100 * placed / max(exact["meetings"], 1), 2),
            "load_average_1min": round(os.getloadavg()[0], 1),
        }
    return out


def end_to_end(problem) -> dict:
    """Same input in a temporary SQLite database, through the services (setup rows are bulk-inserted)."""
    import datetime as dt

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["KECHUANG_DATA_DIR"] = tempfile.mkdtemp(prefix="kc-bench-events-")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from kechuang.accounts.models import Role, User
    from kechuang.events import services
    from kechuang.events.models import Event, EventKind, Meeting, MeetingRequest, Registration
    from kechuang.testing import make_org

    department = make_org(
        "广西壮族自治区科学技术厅", kind="government", industry=None, registration="11", credit_code=None
    )
    admin = User.objects.create(username="bench-admin", role=Role.ADMIN, organisation=department)
    event = services.do_create_event(
        acting_user=admin,
        kind=EventKind.TECH_MATCH,
        title="bench",
        timezone="Asia/Shanghai",
        organiser=department,
        starts_at=dt.datetime(2026, 9, 15, 8),
        ends_at=dt.datetime(2026, 9, 15, 20),
        status=Event.Status.PUBLISHED,
        requires_approval=False,
    )
    slots = services.do_add_meeting_slots(
        event,
        acting_user=admin,
        starts_at=dt.datetime(2026, 9, 15, 9),
        minutes=30,
        count=problem.n_slots,
        tables=problem.tables[0],
    )
    people = sorted(problem.availability)
    users = User.objects.bulk_create([User(username=f"p{p}", role=Role.ORG_ADMIN) for p in people])
    regs = Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                user=u,
                status=Registration.Status.APPROVED,
                timezone="Asia/Jakarta" if p % 5 == 0 else "Asia/Shanghai",
            )
            for p, u in zip(people, users, strict=True)
        ]
    )
    reg_of = dict(zip(people, regs, strict=True))
    through = Registration.unavailable_slots.through
    through.objects.bulk_create(
        [
            through(registration_id=reg_of[p].pk, meetingslot_id=slot.pk)
            for p in people
            for i, slot in enumerate(slots)
            if i not in problem.availability[p]
        ]
    )
    rows = []
    for r in problem.requests:
        rows.append(MeetingRequest(event=event, requester=reg_of[r.a], target=reg_of[r.b]))
        if r.mutual:
            rows.append(MeetingRequest(event=event, requester=reg_of[r.b], target=reg_of[r.a]))
    MeetingRequest.objects.bulk_create(rows, batch_size=1000)

    started = time.perf_counter()
    first = services.do_apply_schedule(event, acting_user=admin)
    first_seconds = time.perf_counter() - started
    before = dict(
        Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED).values_list("pk", "slot_id")
    )
    tables_before = dict(
        Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED).values_list("pk", "table")
    )

    # late changes
    withdrawn = [reg_of[p] for p in people[:5]]
    for reg in withdrawn:
        services.do_withdraw_registration(reg, acting_user=admin)
    mover = reg_of[people[10]]
    lost = (
        Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED, low=mover).first()
        or Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED, high=mover).first()
    )
    if lost is not None:
        mover.unavailable_slots.add(lost.slot)
    declined = list(
        Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED)
        .exclude(low__in=withdrawn)
        .exclude(high__in=withdrawn)
        .order_by("pk")[:10]
    )
    for m in declined:
        services.do_respond_meeting(m, accept=False, acting_user=m.low.user)
    affected = Meeting.objects.filter(event=event, pk__in=before).exclude(
        status=Meeting.Status.SCHEDULED
    ).count() + (1 if lost is not None else 0)
    started = time.perf_counter()
    second = services.do_apply_schedule(event, acting_user=admin)
    replan_seconds = time.perf_counter() - started
    after = Meeting.objects.filter(event=event, status=Meeting.Status.SCHEDULED, pk__in=before)
    unmoved = sum(
        1
        for pk, slot_id, table in after.values_list("pk", "slot_id", "table")
        if before[pk] == slot_id and tables_before[pk] == table
    )
    return {
        "schedule_job_seconds": round(first_seconds, 2),
        "meetings_stored": first["placed"],
        "replan_seconds": round(replan_seconds, 2),
        "meetings_before_changes": len(before),
        "meetings_touched_by_changes": affected,
        "meetings_left_exactly_in_place": unmoved,
        "meetings_placed_into_freed_places": second["placed"],
        "replan_scheduler_seconds": second["seconds"],
        "first_scheduler_seconds": first["seconds"],
    }


def run() -> dict:
    problem = synthetic_problem(participants=500, requests=3000, mutual=1000, slots=16, tables=60, seed=7)
    started = time.perf_counter()
    result = schedule(problem)
    seconds = time.perf_counter() - started
    greedy = first_come_greedy(problem)
    mutual_ids = {r.id for r in problem.requests if r.mutual}
    placed_requests = result.requests_placed(problem)
    greedy_requests = greedy.requests_placed(problem)
    figures = {
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
        "participants_without_any_meeting_first_come_greedy": participants_without_meetings(
            problem, greedy.placements
        ),
        "table_slots": sum(problem.tables),
        "meetings_upper_bound": upper_bound(problem),
    }
    if os.environ.get("BENCH_EVENTS_EXACT", "1") != "0":
        figures["against_exact_highs"] = against_exact()
    if os.environ.get("BENCH_EVENTS_DB", "1") != "0":
        figures["end_to_end_sqlite"] = end_to_end(problem)
    return figures


if __name__ == "__main__":
    import os
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    print(json.dumps(run(), indent=2, ensure_ascii=False))
