"""Property tests (hypothesis): pro-rating, never paying twice, vectorised == single-enterprise evaluation."""

import datetime as dt
import itertools
from types import SimpleNamespace

import numpy as np
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.policy.engine import compile_policy
from kechuang.policy.engine.allocation import prorate
from kechuang.policy.engine.rules import load_policies
from kechuang.policy.services.screening import _choose

POLICIES = load_policies()

# ---- pro-rating ------------------------------------------------------------------------------------------

requests_st = st.lists(st.integers(min_value=0, max_value=10**12), min_size=0, max_size=40)


@given(requests_st, st.integers(min_value=0, max_value=10**13))
def test_prorated_total_never_exceeds_budget_and_nobody_gets_more_than_asked(amounts, budget):
    requests = list(enumerate(amounts))
    shares = prorate(requests, budget)
    assert set(shares) == {k for k, _ in requests}
    assert sum(shares.values()) <= budget
    assert all(0 <= shares[k] <= a for k, a in requests)
    if sum(amounts) > budget:
        assert sum(shares.values()) == budget  # the fen remainder is handed out, none lost
    else:
        assert shares == dict(requests)


@given(requests_st, st.integers(min_value=0, max_value=10**13), st.randoms())
def test_prorating_does_not_depend_on_input_order(amounts, budget, rnd):
    requests = list(enumerate(amounts))
    shuffled = requests[:]
    rnd.shuffle(shuffled)
    assert prorate(requests, budget) == prorate(shuffled, budget)


# ---- never twice: 从优从高不重复 ------------------------------------------------------------------------------

offer_st = st.dictionaries(
    st.sampled_from(["p1", "p2", "p3", "p4", "p5"]),
    st.tuples(st.integers(min_value=1, max_value=10**9), st.sampled_from(["", "g1", "g2"])),
    min_size=1,
    max_size=5,
)


@given(offer_st)
def test_at_most_one_award_per_group_and_it_is_the_best(offers):
    org_offers = {
        code: (amount, None, SimpleNamespace(code=code, group=group, name={"zh": code}), None)
        for code, (amount, group) in offers.items()
    }
    chosen = list(_choose(org_offers, 2024))
    assert len(chosen) == len(offers)  # every offer is kept, the losers with their reason
    winners = [c for c in chosen if c[4] == "pending"]
    for group in {g for _, g in offers.values() if g}:
        in_group = [c for c in winners if c[2].group == group]
        assert len(in_group) == 1
        assert in_group[0][0] == max(a for a, g in offers.values() if g == group)
    for loser in (c for c in chosen if c[4] != "pending"):
        assert "从优从高不重复" in loser[5]


@pytest.mark.django_db
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    actions=st.lists(st.sampled_from(["approve", "pay", "reconcile", "second_round"]), min_size=1, max_size=8)
)
def test_no_enterprise_is_paid_twice_whatever_is_clicked(
    actions, firms, make_round, reviewer, chain, payer, reconciler
):
    from kechuang.errors import DomainError
    from kechuang.jobs.queue import run_pending
    from kechuang.policy import services
    from kechuang.policy.models import LedgerEntry, Payment, PaymentBatch
    from kechuang.policy.tests.conftest import bank_file

    with transaction.atomic():
        rounds = []

        def new_round():
            r = make_round(budget=100_000_000, name=f"批次{len(rounds) + 1}")
            services.do_screen_round(r, acting_user=reviewer)
            run_pending()
            chain.to_notice(r)
            rounds.append(r)

        new_round()
        for action in actions:
            r = rounds[-1]
            try:
                if action == "approve":
                    chain.approve(r)
                elif action == "pay":
                    services.do_create_payment_batch(r, acting_user=payer)
                elif action == "reconcile":
                    batch = PaymentBatch.objects.filter(round=r).first()
                    if batch:
                        services.do_reconcile_batch(batch, bank_file(batch), "r.csv", acting_user=reconciler)
                elif action == "second_round" and len(rounds) < 3:
                    new_round()
            except DomainError:
                pass  # refusing an action in the wrong state is fine; paying twice is not
            keys = list(Payment.objects.values_list("organisation_id", "dedupe_key"))
            assert len(keys) == len(set(keys))
            assert (
                LedgerEntry.objects.filter(kind="payment").count()
                == Payment.objects.filter(status="paid").count()
            )
            balance = sum(LedgerEntry.objects.values_list("amount_fen", flat=True))
            assert balance >= 0
        transaction.set_rollback(True)


# ---- vectorised == single ------------------------------------------------------------------------------------

value_st = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=20),
    st.integers(min_value=0, max_value=10**11),
    st.just(-1),
    st.sampled_from([0, 1, 100, 10_000, 5_000_000, 50_000_000, 10**10]),
)


def compare(policy, year, rows):
    keys = sorted(policy.required_inputs())
    n = len(rows)
    data = {
        k: (
            np.array([r.get(k) or 0 for r in rows], dtype=np.int64),
            np.array([r.get(k) is not None for r in rows]),
        )
        for k in keys
    }
    batch = policy.evaluate_batch(year, data, n)
    for i, row in enumerate(rows):
        one = policy.evaluate_one(year, {k: row.get(k) for k in keys})
        assert (int(batch.status[i]), int(batch.amount[i]), bool(batch.capped[i])) == (
            one.status,
            one.amount,
            one.capped,
        ), row
        if one.reason:
            assert policy.reason_of(batch.reason[i]) == one.reason
        assert int(batch.failed[i]) == one.failed


@pytest.mark.parametrize("code", sorted(POLICIES))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_vectorised_equals_single_on_random_inputs(code, data):
    policy = POLICIES[code]
    keys = sorted(policy.required_inputs())
    rows = data.draw(st.lists(st.fixed_dictionaries(dict.fromkeys(keys, value_st)), min_size=1, max_size=12))
    year = data.draw(st.integers(min_value=2017, max_value=2027))
    compare(policy, year, rows)


# random expressions over a few variables, to exercise the language itself
INT_VARS = ["revenue", "rd_spending", "rd_spending[-1]", "employees"]
BOOL_VARS = ["above_scale", "is_hightech"]
int_expr = st.deferred(
    lambda: st.one_of(
        st.integers(min_value=0, max_value=10_000).map(str),
        st.sampled_from(INT_VARS),
        st.tuples(int_expr, st.sampled_from(["+", "-", "*", "/"]), int_expr).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(st.sampled_from(["min", "max", "coalesce", "div_up", "div_down"]), int_expr, int_expr).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        st.tuples(bool_expr, int_expr, int_expr).map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
        int_expr.map(lambda e: f"abs(-{e})"),
    )
)
bool_expr = st.deferred(
    lambda: st.one_of(
        st.sampled_from(BOOL_VARS + ["true", "false", "has(revenue)"]),
        st.tuples(int_expr, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), int_expr).map(
            lambda t: f"{t[0]} {t[1]} {t[2]}"
        ),
        st.tuples(bool_expr, st.sampled_from(["and", "or"]), bool_expr).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        bool_expr.map(lambda e: f"not ({e})"),
    )
)
small_value_st = st.one_of(
    st.none(), st.integers(min_value=0, max_value=50), st.just(-3), st.integers(min_value=0, max_value=2**40)
)


@settings(max_examples=60, deadline=None)
@given(cond=bool_expr, formula=int_expr, rounding=st.sampled_from(["half_up", "down", "up"]), data=st.data())
def test_random_expressions_agree(cond, formula, rounding, data):
    policy = compile_policy(
        {
            "code": "random",
            "name": "随机",
            "document": "测试",
            "effective_from": dt.date(2020, 1, 1),
            "rounding": rounding,
            "conditions": [{"key": "c", "expr": cond}],
            "formula": [{"key": "f", "expr": f"abs({formula})"}],
            "cap": "max(rd_spending, 7)",
        }
    )
    keys = sorted(policy.required_inputs())
    rows = data.draw(
        st.lists(st.fixed_dictionaries(dict.fromkeys(keys, small_value_st)), min_size=1, max_size=8)
    )
    compare(policy, 2024, rows)


def test_every_policy_agrees_on_an_exhaustive_grid_of_edge_values():
    """Small exhaustive check on top of the random ones: every combination of missing/zero/typical values."""
    edge = [None, 0, 1, 5_000_000]
    for policy in POLICIES.values():
        keys = sorted(policy.required_inputs())[:5]
        rows = [dict(zip(keys, combo, strict=True)) for combo in itertools.product(edge, repeat=len(keys))]
        compare(policy, 2024, rows)


def _product_policy(formula: str):
    return compile_policy(
        {
            "code": "product",
            "name": "乘积",
            "document": "测试",
            "effective_from": dt.date(2020, 1, 1),
            "formula": [{"key": "f", "expr": formula}],
        }
    )


@pytest.mark.parametrize("formula", ["revenue * 3", "3 * revenue", "revenue * 3 / 1", "(revenue + 0) * 3"])
def test_overflow_is_detected_exactly_at_two_to_the_62(formula):
    # (2^62 − 1) / 3 is an integer: ×3 gives 2^62 − 1, the largest amount allowed, which a float64 product would
    # round up to 2^62 and call an overflow; one more and the product is 2^62, which is not computable.
    policy = _product_policy(formula)
    largest = (2**62 - 1) // 3
    rows = [{("revenue", 0): largest}, {("revenue", 0): largest + 1}, {("revenue", 0): 7}]
    compare(policy, 2024, rows)
    batch = policy.evaluate_batch(
        2024, {("revenue", 0): (np.array([largest, largest + 1, 7]), np.ones(3, dtype=bool))}, 3
    )
    assert batch.status.tolist() == [1, 2, 1]
    assert batch.amount.tolist() == [2**62 - 1, 0, 21]
    assert policy.reason_of(batch.reason[1])[0] == "overflow"


def test_sums_and_products_of_large_arrays_agree_with_python_integers():
    rng = np.random.default_rng(7)
    values = rng.integers(0, 2**40, 500, dtype=np.int64)
    values[::5] = rng.integers(2**61, 2**62, 100, dtype=np.int64)  # some near the limit
    other = rng.integers(0, 2**23, 500, dtype=np.int64)
    policy = _product_policy("revenue * employees - rd_spending + employees")
    data = {
        ("revenue", 0): (values, np.ones(500, dtype=bool)),
        ("employees", 0): (other, np.ones(500, dtype=bool)),
        ("rd_spending", 0): (values[::-1].copy(), np.ones(500, dtype=bool)),
    }
    batch = policy.evaluate_batch(2024, data, 500)
    for i in range(500):
        exact = int(values[i]) * int(other[i])
        if abs(exact) >= 2**62:
            assert batch.status[i] == 2
        else:
            total = exact - int(values[::-1][i]) + int(other[i])
            assert (batch.status[i], batch.amount[i]) == ((1, total) if total >= 0 else (2, 0))
