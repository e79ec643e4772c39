"""Fixtures of the payout tests: a call, a prize round, and the payout chain's people from the policy tests
(finance, the second approver, the reconciler)."""

import datetime as dt

import pytest
from django.utils import timezone

from kechuang.awards.services import do_open_call
from kechuang.policy import services as policy
from kechuang.policy.tests.conftest import (  # noqa: F401  (fixtures)
    departments,
    finance_approver,
    payer,
    reconciler,
    signers,
)

TODAY = timezone.localdate()
WAN = 1_000_000


@pytest.fixture
def call(admin_user, department, acme, globex):
    return do_open_call(
        acting_user=admin_user,
        kind="st_award",
        year=TODAY.year,
        department=department,
        nomination_deadline=TODAY + dt.timedelta(days=30),
        quotas=[(acme, 2), (globex, 1)],
    )


@pytest.fixture
def prize_round(reviewer):
    programme = policy.do_create_programme(
        "科学技术奖励奖金",
        ["st_award_prize", "patent_award_prize", "national_award_matching", "national_award_defence"],
        joint_departments=["science", "finance"],
        acting_user=reviewer,
    )
    fund = policy.do_create_fund(programme, "科学技术奖励经费", TODAY.year, 1_000 * WAN, acting_user=reviewer)

    def make(year=TODAY.year, name="奖金拨付"):
        return policy.do_create_round(
            fund, name, year=year, budget_fen=200 * WAN, mode="apply", acting_user=reviewer
        )

    return make
