"""The scheduler alone: rules that must always hold (hypothesis), re-planning, and the benchmark figure."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.events.scheduling import (
    Problem,
    Request,
    SchedulingInputError,
    check_schedule,
    first_come_greedy,
    merge_requests,
    mutual_blocked_by_one_way,
    participants_without_meetings,
    schedule,
    synthetic_problem,
)


@st.composite
def problems(draw):
    n_slots = draw(st.integers(1, 6))
    n_people = draw(st.integers(2, 12))
    tables = draw(st.lists(st.integers(0, 4), min_size=n_slots, max_size=n_slots))
    availability = {p: frozenset(draw(st.sets(st.integers(0, n_slots - 1)))) for p in range(n_people)}
    pairs = draw(
        st.sets(
            st.tuples(st.integers(0, n_people - 1), st.integers(0, n_people - 1)).filter(
                lambda t: t[0] < t[1]
            ),
            max_size=30,
        )
    )
    requests = [
        Request(id=i, a=a, b=b, mutual=draw(st.booleans()), order=i) for i, (a, b) in enumerate(sorted(pairs))
    ]
    return Problem(tables=tables, availability=availability, requests=requests)


@settings(max_examples=150, deadline=None)
@given(problems())
def test_no_double_booking_capacity_and_availability_always_hold(problem):
    for result in (schedule(problem, time_limit=1.0), first_come_greedy(problem)):
        assert check_schedule(problem, result.placements) == []
        assert set(result.placements) | set(result.unplaced) == {r.id for r in problem.requests}
    assert mutual_blocked_by_one_way(problem, schedule(problem, time_limit=1.0).placements) == []


@settings(max_examples=80, deadline=None)
@given(problems(), st.data())
def test_replanning_keeps_every_unaffected_meeting_where_it_was(problem, data):
    first = schedule(problem, time_limit=1.0)
    # a late change: one participant withdraws, another loses a slot, one meeting is declined
    people = sorted(problem.availability)
    gone = data.draw(st.sampled_from(people))
    changed = data.draw(st.sampled_from(people))
    lost_slot = data.draw(st.integers(0, problem.n_slots - 1))
    declined = data.draw(st.sampled_from([None] + sorted(first.placements)))
    availability = dict(problem.availability)
    availability[changed] = frozenset(availability[changed] - {lost_slot})
    requests = [r for r in problem.requests if gone not in (r.a, r.b) and r.id != declined]
    replan = Problem(
        tables=problem.tables,
        availability=availability,
        requests=requests,
        pinned=dict(first.placements.items()),
    )
    second = schedule(replan, time_limit=1.0)
    assert check_schedule(replan, second.placements) == []
    by_id = {r.id: r for r in requests}
    for rid, (slot, table) in first.placements.items():
        r = by_id.get(rid)
        if r is None:
            assert rid not in second.placements
            continue
        affected = changed in (r.a, r.b) and slot == lost_slot
        if not affected:
            assert second.placements[rid] == (slot, table), "an unaffected meeting moved"
            assert rid in second.kept
        else:
            assert rid in second.displaced
    # the freed places are offered again: never fewer meetings than the kept ones
    assert len(second.placements) >= len(second.kept)


def test_mutual_requests_come_first_when_tables_are_short():
    availability = {p: frozenset({0}) for p in range(6)}
    requests = [
        Request(0, 0, 1, mutual=False, order=0),
        Request(1, 2, 3, mutual=False, order=1),
        Request(2, 4, 5, mutual=True, order=2),
    ]
    problem = Problem(tables=[2], availability=availability, requests=requests)
    result = schedule(problem)
    assert 2 in result.placements
    greedy = first_come_greedy(problem)
    assert 2 not in greedy.placements  # the baseline serves the early birds


def test_augmenting_move_frees_a_slot():
    # 0-1 greedy-placed in slot 0 blocks 0-2 who can only meet in slot 0; moving 0-1 to slot 1 fixes it
    availability = {0: frozenset({0, 1}), 1: frozenset({0, 1}), 2: frozenset({0})}
    requests = [Request(0, 0, 1, order=0), Request(1, 0, 2, order=1)]
    problem = Problem(tables=[1, 1], availability=availability, requests=requests, pinned={})
    result = schedule(problem)
    assert result.placements == {1: (0, 0), 0: (1, 0)}
    assert len(first_come_greedy(problem).placements) == 1


def test_bad_input_is_refused_clearly():
    with pytest.raises(SchedulingInputError, match="themself"):
        merge_requests([(3, 3, 0)])
    with pytest.raises(SchedulingInputError, match="duplicate"):
        schedule(
            Problem(tables=[1], availability={0: {0}, 1: {0}}, requests=[Request(0, 0, 1), Request(1, 1, 0)])
        )
    with pytest.raises(SchedulingInputError, match="unknown"):
        schedule(Problem(tables=[1], availability={0: {0}}, requests=[Request(0, 0, 9)]))


def test_merge_requests_marks_mutual_pairs_and_ignores_repeats():
    merged = merge_requests([(1, 2, 0), (2, 1, 5), (1, 3, 1), (1, 3, 2)])
    assert [(r.a, r.b, r.mutual, r.order) for r in merged] == [(1, 2, True, 0), (1, 3, False, 1)]


def test_target_size_is_fast_places_mutual_first_and_beats_first_come():
    problem = synthetic_problem()  # 500 participants, 3,000 requests (1,000 mutual), 16 slots, 60 tables
    assert sum(r.weight for r in problem.requests) == 3000
    assert sum(r.weight for r in problem.requests if r.mutual) == 1000
    result = schedule(problem)
    greedy = first_come_greedy(problem)
    assert result.seconds <= 5
    assert check_schedule(problem, result.placements) == []
    assert mutual_blocked_by_one_way(problem, result.placements) == []
    assert result.requests_placed(problem) >= 1.10 * greedy.requests_placed(problem)
    assert len(result.placements) >= len(greedy.placements)
    # nobody who asked goes home with an empty agenda while others have full ones
    assert participants_without_meetings(problem, result.placements) <= participants_without_meetings(
        problem, greedy.placements
    )
    assert participants_without_meetings(problem, result.placements) <= 5


def test_scarce_slots_are_filled_when_tables_are_the_limit():
    # 960 table-slots for 2,500 wanted meetings: few people attend the first and last slots, so those tables stay
    # empty unless the people who can only meet there do. HiGHS proves 953 meetings (459 mutual) optimal here
    # (bench.events); the scheduler must reach 99.5 % of it without giving up a mutual meeting.
    problem = synthetic_problem()
    result = schedule(problem, time_limit=60)
    mutual = {r.id for r in problem.requests if r.mutual}
    assert check_schedule(problem, result.placements) == []
    assert len(mutual & result.placements.keys()) == 459
    assert len(result.placements) >= 949
    assert mutual_blocked_by_one_way(problem, result.placements) == []
