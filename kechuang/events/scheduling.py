"""One-to-one meeting scheduler: pure Python and NumPy, no Django.

Input: participants with the slots they are available in, meeting requests (one per unordered pair;
`mutual` when both asked), the number of tables in each slot, and optionally meetings already placed
(`pinned`). Output: a (slot, table) for as many requests as possible such that

* nobody is in two meetings in the same slot,
* both parties are available in the slot,
* a slot never holds more meetings than it has tables,
* mutual requests come first: a one-way meeting never keeps a mutual one out,
* re-planning keeps every still-valid pinned meeting exactly where it was (same slot and table).

Method: most-constrained-first greedy (mutual tier first, then one-way), followed by augmenting moves:
an unplaced request takes a slot after the meetings in its way (a party's other meeting, or any meeting
of a full slot) are moved elsewhere, recursively to a small depth; a mutual request may push out a
one-way meeting when nothing else works. Tables inside a slot are interchangeable, so they are numbered
at the end, pinned meetings keeping theirs. `first_come_greedy` is the baseline to compare with.

When tables are the binding limit (fewer table-slots than requests), slots are not interchangeable: few
people can attend the first and last slots, so their tables stay empty unless those people meet there.
Then (a) slot choice is weighted by scarcity — how many people can attend a slot per table: one-way
meetings go to the scarcest feasible slot, mutual meetings (placed first) to the most plentiful, leaving
the scarce slots to the people who can only meet there; (b) after the greedy, every slot with a free
table is improved by alternating paths inside the slot (a person free there, a request, the other party's
meeting in that slot, its other party, a request, … another free person: flipping adds one meeting), where
a request may come from another slot and the table it leaves is refilled through a breadth-first chain of
moves over the slots. A flip is kept only if (mutual meetings, meetings) grows lexicographically, otherwise
undone exactly. Pinned meetings are never moved.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

SEARCH_BUDGET = 300  # augmenting search steps per unplaced request and round
ROUNDS = 3  # rounds of augmenting moves; they stop earlier as soon as one adds nothing


class SchedulingInputError(ValueError):
    """The input is inconsistent (a request to meet oneself, an unknown participant, a duplicate pair)."""


@dataclass(frozen=True)
class Request:
    id: int
    a: int
    b: int
    mutual: bool = False
    order: int = 0  # arrival order: smaller came first (used by the first-come baseline and to break ties)

    @property
    def weight(self) -> int:
        """How many people's requests this meeting satisfies."""
        return 2 if self.mutual else 1


@dataclass
class Problem:
    tables: list[int]  # tables available in each slot; len(tables) is the number of slots
    availability: dict[int, frozenset[int] | set[int]]  # participant -> slots they can attend
    requests: list[Request]
    pinned: dict[int, tuple[int, int]] = field(
        default_factory=dict
    )  # request id -> (slot, table) already published

    @property
    def n_slots(self) -> int:
        return len(self.tables)


@dataclass
class Schedule:
    placements: dict[int, tuple[int, int]]  # request id -> (slot, table)
    unplaced: list[int]
    kept: set[int] = field(default_factory=set)  # pinned and left exactly where they were
    displaced: set[int] = field(default_factory=set)  # pinned but no longer valid (re-placed or dropped)
    seconds: float = 0.0

    def requests_placed(self, problem: Problem) -> int:
        by_id = {r.id: r for r in problem.requests}
        return sum(by_id[i].weight for i in self.placements)


def merge_requests(directed: list[tuple[int, int, int]]) -> list[Request]:
    """[(requester, target, order), ...] -> one Request per unordered pair; mutual when both asked.

    A request to meet oneself is refused; a repeated request in the same direction counts once.
    """
    pairs: dict[tuple[int, int], dict] = {}
    for requester, target, order in directed:
        if requester == target:
            raise SchedulingInputError(f"participant {requester} cannot request a meeting with themself")
        key = (min(requester, target), max(requester, target))
        entry = pairs.setdefault(key, {"directions": set(), "order": order})
        entry["directions"].add((requester, target))
        entry["order"] = min(entry["order"], order)
    out = []
    for i, (key, entry) in enumerate(sorted(pairs.items(), key=lambda kv: (kv[1]["order"], kv[0]))):
        out.append(
            Request(id=i, a=key[0], b=key[1], mutual=len(entry["directions"]) == 2, order=entry["order"])
        )
    return out


def _bits(mask: int):
    s = 0
    while mask:
        if mask & 1:
            yield s
        mask >>= 1
        s += 1


class _State:
    """Mutable placement state with an undo journal, so that failed augmenting attempts roll back exactly."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.S = problem.n_slots
        self.cap = [int(t) for t in problem.tables]
        ids = sorted(problem.availability)
        self.index = {p: i for i, p in enumerate(ids)}
        self.avail = []
        full = (1 << self.S) - 1
        for p in ids:
            mask = 0
            for s in problem.availability[p]:
                if 0 <= s < self.S:
                    mask |= 1 << s
            self.avail.append(mask & full)
        self.reqs = problem.requests
        seen = set()
        self.ra = np.empty(len(self.reqs), dtype=np.int64)
        self.rb = np.empty(len(self.reqs), dtype=np.int64)
        for k, r in enumerate(self.reqs):
            if r.a == r.b:
                raise SchedulingInputError(f"request {r.id}: participant {r.a} cannot meet themself")
            if r.a not in self.index or r.b not in self.index:
                raise SchedulingInputError(f"request {r.id}: unknown participant")
            pair = (min(r.a, r.b), max(r.a, r.b))
            if pair in seen:
                raise SchedulingInputError(f"request {r.id}: duplicate pair {pair}")
            seen.add(pair)
            self.ra[k], self.rb[k] = self.index[r.a], self.index[r.b]
        self.ra_l, self.rb_l = self.ra.tolist(), self.rb.tolist()
        self.mutual = [r.mutual for r in self.reqs]
        P = len(ids)
        self.busy = [0] * P
        self.occ = [[-1] * self.S for _ in range(P)]
        self.members: list[set[int]] = [set() for _ in range(self.S)]
        self.slot_of = [-1] * len(self.reqs)
        self.fixed = [False] * len(self.reqs)
        self.journal: list[tuple[int, int, int]] = []  # (+1 placed / -1 removed, request index, slot)
        self.budget = 0  # search steps left for the current augmenting attempt
        self.commons = [self.avail[a] & self.avail[b] for a, b in zip(self.ra_l, self.rb_l, strict=True)]
        self.n_placed = self.n_mutual = 0
        self.open = sum(1 << s for s in range(self.S) if self.cap[s] > 0)  # slots with a free table
        self.by_slot: list[list[int]] = [[] for _ in range(self.S)]  # requests whose parties can both attend
        for k, c in enumerate(self.commons):
            for s in _bits(c):
                self.by_slot[s].append(k)
        # tables are the binding limit: then slots differ in how many people can attend them per table
        self.capacity_bound = sum(self.cap) < len(self.reqs)
        present = [0] * self.S
        for mask in self.avail:
            for s in _bits(mask):
                present[s] += 1
        self.scarcity = [present[s] / max(self.cap[s], 1) for s in range(self.S)]

    def score(self) -> tuple[int, int]:
        """(mutual meetings placed, meetings placed): compared lexicographically, mutual first."""
        return self.n_mutual, self.n_placed

    def common(self, k: int) -> int:
        return self.avail[self.ra_l[k]] & self.avail[self.rb_l[k]]

    def open_mask(self) -> int:
        return self.open

    def set_cap(self, s: int, cap: int) -> None:
        self.cap[s] = cap
        if len(self.members[s]) < cap:
            self.open |= 1 << s
        else:
            self.open &= ~(1 << s)

    def can_place(self, k: int, s: int) -> bool:
        bit = 1 << s
        a, b = self.ra_l[k], self.rb_l[k]
        return (
            self.slot_of[k] < 0
            and not (self.busy[a] & bit or self.busy[b] & bit)
            and len(self.members[s]) < self.cap[s]
        )

    def free(self, k: int, open_mask: int | None = None) -> int:
        a, b = self.ra_l[k], self.rb_l[k]
        mask = self.avail[a] & self.avail[b] & ~self.busy[a] & ~self.busy[b]
        return mask & (self.open_mask() if open_mask is None else open_mask)

    def place(self, k: int, s: int) -> None:
        a, b = self.ra_l[k], self.rb_l[k]
        bit = 1 << s
        assert self.can_place(k, s)
        self.busy[a] |= bit
        self.busy[b] |= bit
        self.occ[a][s] = k
        self.occ[b][s] = k
        self.members[s].add(k)
        if len(self.members[s]) >= self.cap[s]:
            self.open &= ~bit
        self.slot_of[k] = s
        self.n_placed += 1
        self.n_mutual += self.mutual[k]
        self.journal.append((1, k, s))

    def remove(self, k: int) -> int:
        s = self.slot_of[k]
        a, b = self.ra_l[k], self.rb_l[k]
        bit = ~(1 << s)
        self.busy[a] &= bit
        self.busy[b] &= bit
        self.occ[a][s] = -1
        self.occ[b][s] = -1
        self.members[s].discard(k)
        if len(self.members[s]) < self.cap[s]:
            self.open |= 1 << s
        self.slot_of[k] = -1
        self.n_placed -= 1
        self.n_mutual -= self.mutual[k]
        self.journal.append((-1, k, s))
        return s

    def rollback(self, mark: int) -> None:
        while len(self.journal) > mark:
            op, k, s = self.journal.pop()
            if op == 1:
                self.remove(k)
            else:
                self.place(k, s)
            self.journal.pop()  # the inverse operation just logged

    def best_slot(self, k: int, mask: int) -> int:
        """Among feasible slots, the least loaded (relative to tables): keeps room everywhere for later requests.
        When tables are the binding limit, first by scarcity: one-way meetings to the scarcest slot, mutual
        meetings to the most plentiful."""
        best, best_key = -1, None
        sign = (-1 if self.mutual[k] else 1) if self.capacity_bound else 0
        for s in _bits(mask):
            key = (sign * self.scarcity[s], len(self.members[s]) / max(self.cap[s], 1), s)
            if best_key is None or key < best_key:
                best, best_key = s, key
        return best

    def try_insert(self, k: int, depth: int, deadline: float, allow_evict: bool) -> bool:
        """Place request k, moving other (non-fixed) meetings out of the way if needed; all-or-nothing."""
        mask = self.free(k)
        if mask:
            self.place(k, self.best_slot(k, mask))
            return True
        self.budget -= 1
        if depth <= 0 or self.budget < 0 or time.perf_counter() > deadline:
            return False
        a, b = self.ra_l[k], self.rb_l[k]
        mine = self.mutual[k]
        for s in _bits(self.common(k)):
            blockers = {x for x in (self.occ[a][s], self.occ[b][s]) if x >= 0}
            if any(self.fixed[x] for x in blockers):
                continue
            if not mine and any(self.mutual[x] for x in blockers):
                continue  # a one-way request never disturbs a mutual meeting it cannot re-place for sure
            mark = len(self.journal)
            for x in blockers:
                self.remove(x)
            if len(self.members[s]) >= self.cap[s]:  # noqa: SIM102  (the comment belongs to the inner test)
                # the slot is full: someone else in it must move (or, for a mutual request, make way)
                if not self._make_room(s, k, depth, deadline, allow_evict):
                    self.rollback(mark)
                    continue
            self.place(k, s)
            ok = True
            for x in sorted(blockers):
                if self.try_insert(x, depth - 1, deadline, allow_evict=False):
                    continue
                if allow_evict and mine and not self.mutual[x]:
                    continue  # mutual first: the one-way meeting stays unplaced
                ok = False
                break
            if ok:
                return True
            self.rollback(mark)
        return False

    def _make_room(self, s: int, k: int, depth: int, deadline: float, allow_evict: bool) -> bool:
        candidates = sorted(
            (x for x in self.members[s] if not self.fixed[x]), key=lambda x: (self.mutual[x], x)
        )
        if self.capacity_bound:
            # a meeting that can step straight into another open slot makes room at no cost: look for one first
            others = self.open & ~(1 << s)
            for x in candidates:
                mask = self.free(x, others)
                if mask:
                    self.remove(x)
                    self.place(x, self.best_slot(x, mask))
                    return True
        for x in candidates[:12]:
            mark = len(self.journal)
            self.remove(x)
            saved = self.cap[s]
            self.set_cap(s, len(self.members[s]))  # closes s while x looks for a new place: the table is k's
            moved = self.try_insert(x, depth - 1, deadline, allow_evict=False)
            self.set_cap(s, saved)
            if moved:
                return True
            self.rollback(mark)
        if allow_evict and self.mutual[k]:
            for x in candidates:
                if not self.mutual[x]:
                    self.remove(x)
                    return True
        return False


def _slot_edges(state: _State, s: int) -> dict[int, list[int]]:
    """Requests that could meet in s and are not there: unplaced ones first, then ones placed elsewhere."""
    edges: dict[int, list[int]] = {}
    for placed in (False, True):
        for k in state.by_slot[s]:
            if (state.slot_of[k] >= 0) != placed or state.slot_of[k] == s or state.fixed[k]:
                continue
            edges.setdefault(state.ra_l[k], []).append(k)
            edges.setdefault(state.rb_l[k], []).append(k)
    return edges


def _refill(state: _State, slots) -> None:
    """Offer each free table of `slots` to the unplaced requests, through a chain of moves if need be."""
    for t in slots:
        while len(state.members[t]) < state.cap[t] and _fill_table(state, t):
            pass


def _fill_table(state: _State, t: int) -> bool:
    """A free table in slot t: place an unplaced request there, or move there a meeting from another slot and fill
    the table it leaves, and so on (breadth first over the slots). True if a meeting was added."""
    parent: dict[int, tuple[int, int] | None] = {t: None}
    queue = [t]
    while queue:
        u = queue.pop(0)
        bit = 1 << u
        for k in state.by_slot[u]:
            v = state.slot_of[k]
            if v == u or (v >= 0 and (v in parent or state.fixed[k])):
                continue
            a, b = state.ra_l[k], state.rb_l[k]
            if state.busy[a] & bit or state.busy[b] & bit:
                continue
            if v < 0:
                # found: the chain t ← v1 ← … ← u, applied from t outwards (each move frees the next table)
                chain = []
                while parent[u] is not None:
                    chain.append(parent[u][1])
                    u = parent[u][0]
                mark = len(state.journal)
                slots = [t] + [state.slot_of[moved] for moved in reversed(chain)]
                # reversed(chain) starts with the meeting that moves into t; each move frees the next table
                for target, moved in zip(slots, reversed(chain), strict=False):
                    state.remove(moved)
                    if not state.can_place(moved, target):  # two moves of the chain share a person
                        state.rollback(mark)
                        return False
                    state.place(moved, target)
                if not state.can_place(k, slots[-1]):
                    state.rollback(mark)
                    return False
                state.place(k, slots[-1])
                return True
            parent[v] = (u, k)
            queue.append(v)
    return False


def _augment_slot(state: _State, s: int, deadline: float) -> int:
    """Alternating paths inside slot s: a person free in s, a request not in s, its other party's one-way meeting
    in s, that meeting's other party, a request not in s, … ending at another person free in s. Flipping the path
    adds one meeting to s; requests taken from other slots leave a table there, which is offered to the unplaced
    requests; the meetings taken off s are offered any free place. The flip is kept only if (mutual meetings,
    meetings) grew lexicographically, otherwise it is undone exactly; pinned meetings are never taken off.
    Returns how many meetings were added."""
    added = 0
    bit = 1 << s
    while len(state.members[s]) < state.cap[s] and time.perf_counter() <= deadline:
        edges = _slot_edges(state, s)
        dead: set[int] = set()
        found = False
        for u in list(edges):
            if state.busy[u] & bit or u in dead:
                continue
            path = _alternating_path(state, s, u, edges)
            if path is None:
                dead.add(u)
                continue
            requests, meetings = path
            mark, before = len(state.journal), state.score()
            freed = set()
            for m in meetings:
                state.remove(m)
            for k in requests:
                if state.slot_of[k] >= 0:
                    freed.add(state.remove(k))
            for k in requests:
                state.place(k, s)
            _refill(state, freed)
            for m in meetings:
                mask = state.free(m) if state.slot_of[m] < 0 else 0
                if mask:
                    state.place(m, state.best_slot(m, mask))
            after = state.score()
            if after[0] >= before[0] and after > before:
                added += after[1] - before[1]
                found = True
                break  # the edges changed: rebuild them
            state.rollback(mark)
            dead.add(u)
        if not found:
            break
    return added


def _alternating_path(state: _State, s: int, start: int, edges):
    """Iterative DFS for an augmenting path from `start` (free in s); returns (requests to add, meetings to take
    off) or None."""
    bit = 1 << s
    seen = {start}
    # stack of (person, iterator over their unplaced requests, request used to reach them, meeting left)
    stack = [(start, iter(edges.get(start, ())), None, None)]
    while stack:
        person, options, _via, _left = stack[-1]
        advanced = False
        for k in options:
            other = state.rb_l[k] if state.ra_l[k] == person else state.ra_l[k]
            if other in seen:
                continue
            if not state.busy[other] & bit:
                # reached a free person: collect the path
                requests, meetings = [k], []
                for _p, _it, via, left in reversed(stack):
                    if via is not None:
                        requests.append(via)
                        meetings.append(left)
                return requests, meetings
            m = state.occ[other][s]
            if state.fixed[m]:
                continue
            partner = state.rb_l[m] if state.ra_l[m] == other else state.ra_l[m]
            if partner in seen:
                continue
            seen.add(other)
            seen.add(partner)
            stack.append((partner, iter(edges.get(partner, ())), k, m))
            advanced = True
            break
        if not advanced:
            stack.pop()
    return None


def _priority_order(state: _State, indices) -> list[int]:
    """Mutual first; inside a tier the most constrained (fewest common slots, busiest people) first."""
    degree = (
        np.bincount(np.concatenate([state.ra, state.rb]), minlength=len(state.avail))
        if len(state.reqs)
        else np.zeros(0)
    )
    common = [bin(state.common(k)).count("1") for k in range(len(state.reqs))]
    return sorted(
        indices,
        key=lambda k: (
            not state.mutual[k],
            common[k],
            -int(degree[state.ra_l[k]] + degree[state.rb_l[k]]),
            state.reqs[k].order,
            k,
        ),
    )


def _number_tables(state: _State, problem: Problem, kept: set[int]) -> dict[int, tuple[int, int]]:
    placements: dict[int, tuple[int, int]] = {}
    by_id = {r.id: k for k, r in enumerate(state.reqs)}
    for s in range(state.S):
        taken = set()
        for k in state.members[s]:
            rid = state.reqs[k].id
            if rid in kept:
                table = problem.pinned[rid][1]
                placements[rid] = (s, table)
                taken.add(table)
        free_tables = (t for t in range(state.cap[s]) if t not in taken)
        for k in sorted(state.members[s], key=lambda k: state.reqs[k].id):
            rid = state.reqs[k].id
            if rid not in placements:
                placements[rid] = (s, next(free_tables))
    assert len(placements) == sum(len(m) for m in state.members) and by_id is not None
    return placements


def _fair_greedy(state: _State, todo: list[int]) -> None:
    """Greedy in `todo` order, but a request whose less-served party already has more meetings waits its turn."""
    import heapq

    placed = [0] * len(state.avail)
    for k in range(len(state.reqs)):
        if state.slot_of[k] >= 0:
            placed[state.ra_l[k]] += 1
            placed[state.rb_l[k]] += 1
    heap = [(not state.mutual[k], 0, rank, k) for rank, k in enumerate(todo)]
    heapq.heapify(heap)
    while heap:
        tier, served, rank, k = heapq.heappop(heap)
        now = min(placed[state.ra_l[k]], placed[state.rb_l[k]])
        if now != served:
            heapq.heappush(heap, (tier, now, rank, k))
            continue
        mask = state.free(k)
        if mask:
            state.place(k, state.best_slot(k, mask))
            placed[state.ra_l[k]] += 1
            placed[state.rb_l[k]] += 1


def schedule(problem: Problem, *, time_limit: float = 3.0, depth: int = 2, fair: bool = True) -> Schedule:
    """Place as many requests as possible, mutual first, keeping valid pinned meetings where they are."""
    started = time.perf_counter()
    deadline = started + time_limit
    state = _State(problem)
    by_id = {r.id: k for k, r in enumerate(state.reqs)}

    # 1. pinned meetings that are still valid stay exactly where they are
    kept: set[int] = set()
    displaced: set[int] = set()
    used_tables: set[tuple[int, int]] = set()
    still_wanted = [
        (rid, place) for rid, place in problem.pinned.items() if rid in by_id
    ]  # the others' places are freed
    for rid, (s, table) in sorted(still_wanted, key=lambda item: (state.reqs[by_id[item[0]]].order, item[0])):
        k = by_id[rid]
        valid = 0 <= s < state.S and 0 <= table < state.cap[s] and (s, table) not in used_tables
        if valid:
            a, b = state.ra_l[k], state.rb_l[k]
            bit = 1 << s
            valid = bool(state.avail[a] & state.avail[b] & bit) and not (
                state.busy[a] & bit or state.busy[b] & bit
            )
        if valid:
            state.place(k, s)
            state.fixed[k] = True
            used_tables.add((s, table))
            kept.add(rid)
        else:
            displaced.add(rid)

    # 2. greedy, most constrained first, mutual tier first
    #    and, inside a tier, whoever has the fewest meetings so far goes next (nobody ends with an empty agenda
    #    while others get a full one)
    todo = _priority_order(state, [k for k in range(len(state.reqs)) if state.slot_of[k] < 0])
    if fair:
        _fair_greedy(state, todo)
    else:
        for k in todo:
            mask = state.free(k)
            if mask:
                state.place(k, state.best_slot(k, mask))
    state.journal.clear()

    # 3. augmenting moves for what is left, mutual first; a mutual request may push out a one-way meeting
    for _round in range(ROUNDS):
        improved = False
        for k in todo:
            if state.slot_of[k] >= 0:
                continue
            if time.perf_counter() > deadline:
                break
            if not state.mutual[k] and not state.common(k) & state.open_mask():
                continue  # every table it could use is taken: a one-way request could only swap, never add
            if not state.mutual[k] and state.capacity_bound:
                continue  # the alternating paths below place one-way requests far more cheaply
            mark = len(state.journal)
            state.budget = SEARCH_BUDGET
            if state.try_insert(k, depth, deadline, allow_evict=state.mutual[k]):
                improved = True
            else:
                state.rollback(mark)
            state.journal.clear()
        if state.capacity_bound:
            # alternating paths inside every slot with a free table, the scarcest slots first
            for s in sorted(range(state.S), key=lambda s: (state.scarcity[s], s)):
                if len(state.members[s]) < state.cap[s] and _augment_slot(state, s, deadline):
                    improved = True
            state.journal.clear()
        # re-offer places freed by evictions to the one-way requests
        for k in todo:
            if state.slot_of[k] < 0:
                mask = state.free(k)
                if mask:
                    state.place(k, state.best_slot(k, mask))
                    improved = True
        state.journal.clear()
        if not improved or time.perf_counter() > deadline:
            break

    _enforce_mutual_first(state, todo)
    placements = _number_tables(state, problem, kept)
    unplaced = [r.id for k, r in enumerate(state.reqs) if state.slot_of[k] < 0]
    return Schedule(
        placements=placements,
        unplaced=unplaced,
        kept=kept,
        displaced=displaced,
        seconds=time.perf_counter() - started,
    )


def _enforce_mutual_first(state: _State, todo: list[int]) -> None:
    """Final guarantee: no unplaced mutual request may have a slot where only one-way meetings (or nothing) stand
    in its way. Moves in step 3 can open such a slot after the request was last tried; here it takes that slot,
    the one-way meetings in the way step aside and are offered any other free place. Each step places one more
    mutual meeting, so this ends."""
    changed = True
    while changed:
        changed = False
        for k in todo:
            if state.slot_of[k] >= 0 or not state.mutual[k]:
                continue
            a, b = state.ra_l[k], state.rb_l[k]
            for s in _bits(state.common(k)):
                in_way = {x for x in (state.occ[a][s], state.occ[b][s]) if x >= 0}
                if any(state.mutual[x] or state.fixed[x] for x in in_way):
                    continue
                spare = len(state.members[s]) - len(in_way) < state.cap[s]
                one_way = [
                    x
                    for x in state.members[s]
                    if not state.mutual[x] and not state.fixed[x] and x not in in_way
                ]
                if not spare and not one_way:
                    continue  # full of mutual (or pinned) meetings: capacity does not allow it
                for x in in_way:
                    state.remove(x)
                if not spare:
                    state.remove(one_way[0])
                    in_way.add(one_way[0])
                state.place(k, s)
                for x in sorted(in_way):
                    mask = state.free(x)
                    if mask:
                        state.place(x, state.best_slot(x, mask))
                changed = True
                break
    state.journal.clear()


def first_come_greedy(problem: Problem) -> Schedule:
    """Baseline: requests in arrival order, each in the earliest slot where both are free, first free table."""
    started = time.perf_counter()
    state = _State(problem)
    for k in sorted(range(len(state.reqs)), key=lambda k: (state.reqs[k].order, k)):
        mask = state.free(k)
        if mask:
            state.place(k, next(_bits(mask)))
    placements = _number_tables(state, problem, set())
    unplaced = [r.id for k, r in enumerate(state.reqs) if state.slot_of[k] < 0]
    return Schedule(placements=placements, unplaced=unplaced, seconds=time.perf_counter() - started)


def check_schedule(problem: Problem, placements: dict[int, tuple[int, int]]) -> list[str]:
    """Every rule a schedule must keep; returns the violations (empty when the schedule is valid)."""
    errors = []
    by_id = {r.id: r for r in problem.requests}
    seen_person: dict[tuple[int, int], int] = {}
    seen_table: dict[tuple[int, int], int] = {}
    load = [0] * problem.n_slots
    for rid, (s, table) in placements.items():
        r = by_id.get(rid)
        if r is None:
            errors.append(f"unknown request {rid}")
            continue
        if not 0 <= s < problem.n_slots:
            errors.append(f"request {rid}: no slot {s}")
            continue
        if not 0 <= table < problem.tables[s]:
            errors.append(f"request {rid}: slot {s} has no table {table}")
        load[s] += 1
        if (s, table) in seen_table:
            errors.append(f"slot {s} table {table}: requests {seen_table[(s, table)]} and {rid}")
        seen_table[(s, table)] = rid
        for p in (r.a, r.b):
            if s not in problem.availability.get(p, ()):
                errors.append(f"request {rid}: participant {p} is not available in slot {s}")
            if (p, s) in seen_person:
                errors.append(f"participant {p} double-booked in slot {s}: {seen_person[(p, s)]} and {rid}")
            seen_person[(p, s)] = rid
    for s, n in enumerate(load):
        if n > problem.tables[s]:
            errors.append(f"slot {s}: {n} meetings for {problem.tables[s]} tables")
    return errors


def participants_without_meetings(problem: Problem, placements: dict[int, tuple[int, int]]) -> int:
    """How many people who asked or were asked for a meeting got none at all."""
    by_id = {r.id: r for r in problem.requests}
    wanted = {p for r in problem.requests for p in (r.a, r.b)}
    served = {p for rid in placements for p in (by_id[rid].a, by_id[rid].b)}
    return len(wanted - served)


def mutual_blocked_by_one_way(problem: Problem, placements: dict[int, tuple[int, int]]) -> list[int]:
    """Unplaced mutual requests that could be placed if one-way meetings were removed.

    For an unplaced mutual request (a, b) and a slot both can attend, the slot is lost to mutual
    meetings only if a or b already has a mutual meeting there, or all its tables hold mutual meetings.
    Any other case means capacity allowed it and a one-way meeting (or nothing) stood in the way.
    """
    by_id = {r.id: r for r in problem.requests}
    mutual_at: dict[tuple[int, int], bool] = {}
    mutual_load = [0] * problem.n_slots
    for rid, (s, _table) in placements.items():
        r = by_id[rid]
        if r.mutual:
            mutual_at[(r.a, s)] = True
            mutual_at[(r.b, s)] = True
            mutual_load[s] += 1
    out = []
    for r in problem.requests:
        if not r.mutual or r.id in placements:
            continue
        common = set(problem.availability.get(r.a, ())) & set(problem.availability.get(r.b, ()))
        for s in common:
            if 0 <= s < problem.n_slots and not (
                mutual_at.get((r.a, s)) or mutual_at.get((r.b, s)) or mutual_load[s] >= problem.tables[s]
            ):
                out.append(r.id)
                break
    return out


def synthetic_problem(
    participants: int = 500,
    requests: int = 3000,
    mutual: int = 1000,
    slots: int = 16,
    tables: int = 60,
    seed: int = 7,
    availability: float = 0.75,
) -> Problem:
    """A seeded event: `requests` directed requests of which `mutual` are halves of mutual pairs.

    Popularity is skewed (some exhibitors are asked by many), and each participant attends a random
    share of the slots (one contiguous window, as people arrive late or leave early).
    """
    rng = np.random.default_rng(seed)
    weights = rng.pareto(2.0, participants) + 1.0
    weights /= weights.sum()
    pairs: set[tuple[int, int]] = set()
    directed: list[tuple[int, int, int]] = []
    order = 0
    while len(directed) < mutual:
        a, b = rng.choice(participants, size=2, replace=False, p=weights)
        key = (min(a, b), max(a, b))
        if key in pairs:
            continue
        pairs.add(key)
        directed.append((int(a), int(b), order))
        directed.append((int(b), int(a), int(rng.integers(order, order + requests))))
        order += 1
    while len(directed) < requests:
        a = int(rng.integers(participants))
        b = int(rng.choice(participants, p=weights))
        key = (min(a, b), max(a, b))
        if a == b or key in pairs:
            continue
        pairs.add(key)
        directed.append((a, b, order))
        order += 1
    availability_map = {}
    for p in range(participants):
        length = max(1, int(round(slots * rng.uniform(availability - 0.25, min(1.0, availability + 0.25)))))
        start = int(rng.integers(0, slots - length + 1))
        availability_map[p] = frozenset(range(start, start + length))
    # arrival order is random: mutual pairs are not the early birds
    arrival = rng.permutation(len(directed) * 4)[: len(directed)]
    directed = sorted(((a, b, int(arrival[i])) for i, (a, b, _o) in enumerate(directed)), key=lambda t: t[2])
    return Problem(tables=[tables] * slots, availability=availability_map, requests=merge_requests(directed))
