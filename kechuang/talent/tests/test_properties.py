"""Property tests: a benefit schedule never pays beyond its total, whatever the total, the years, the stop year, the
extra tranches asked for; a recovery is never more than what was paid, never negative."""

import contextlib
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.talent import benefits

totals = st.integers(min_value=0, max_value=10**12)
# the machine these run on is often shared and loaded: generation time is not what is tested
loaded = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@loaded
@given(total=totals, years=st.integers(min_value=1, max_value=30), first=st.integers(2000, 2090))
def test_instalments_sum_exactly_to_the_total(total, years, first):
    lines = benefits.schedule(total, years, first)
    assert sum(line.amount_fen for line in lines) == total
    assert all(line.amount_fen > 0 for line in lines)
    assert len(lines) <= years
    amounts = [line.amount_fen for line in lines]
    assert max(amounts, default=0) - min(amounts, default=0) <= 199  # one 元 and the fen below one 元
    assert all(a % 100 == 0 for a in amounts[1:])  # whole 元 after the first


@loaded
@given(
    total=totals,
    years=st.integers(min_value=1, max_value=10),
    paid_upto=st.integers(min_value=0, max_value=10),
    extra=st.lists(st.integers(min_value=1, max_value=10**12), max_size=5),
)
def test_paid_plus_allowed_tranches_never_exceed_the_total(total, years, paid_upto, extra):
    """Paying the first `paid_upto` instalments, stopping the rest, then asking for extra tranches: a tranche is
    accepted only within the remaining capacity (the rule `do_add_instalment` applies)."""
    lines = benefits.schedule(total, years, 2025)
    live = [line.amount_fen for line in lines[:paid_upto]]
    for amount in extra:
        if amount <= benefits.remaining_capacity(total, live):
            live.append(amount)
    assert sum(live) <= total


@loaded
@given(
    paid=st.integers(min_value=-10, max_value=10**12),
    start=st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 1, 1)),
    days=st.integers(min_value=0, max_value=4000),
    years=st.integers(min_value=1, max_value=10),
)
def test_recovery_is_within_what_was_paid(paid, start, days, years):
    result = benefits.recovery(paid, start, start + dt.timedelta(days=days), years)
    assert 0 <= result.amount_fen <= max(paid, 0)
    assert result.served_months <= result.committed_months


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tranches=st.lists(st.integers(min_value=1, max_value=3_000_000_00), max_size=6))
def test_the_service_refuses_every_tranche_beyond_the_schedule(tranches, recognise, reviewer):
    from kechuang.errors import DomainError
    from kechuang.talent import services
    from kechuang.talent.models import BenefitSchedule, Instalment

    schedule = BenefitSchedule.objects.filter(kind="research").first()
    if schedule is None:
        schedule = BenefitSchedule.objects.get(application=recognise(1), kind="research")
    Instalment.objects.filter(schedule=schedule, index__gt=1).update(state=Instalment.State.CANCELLED)
    for amount in tranches:
        with contextlib.suppress(DomainError):
            services.do_add_instalment(schedule, acting_user=reviewer, year=2030, amount_fen=amount)
    live = schedule.instalments.exclude(state=Instalment.State.CANCELLED)
    assert sum(live.values_list("amount_fen", flat=True)) <= schedule.total_fen
