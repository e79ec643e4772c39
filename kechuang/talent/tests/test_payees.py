"""People paid directly through the payout workflow (kechuang.policy.payees): the lines must add up to what the
engine computes for the organisation, each person needs a valid account of their own, and a person is never put
on two rounds for the same thing."""

import pytest

from kechuang.errors import DomainError
from kechuang.policy import services as policy
from kechuang.policy.payees import PersonLine, do_add_person_candidates
from kechuang.registry.services import do_record_platform_figures

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture
def talent_round(reviewer, acme):
    do_record_platform_figures("talent_benefit_due", YEAR, {acme.pk: 300_000}, reference="测试")
    programme = policy.do_create_programme("高层次人才待遇", ["talent_benefit"], acting_user=reviewer)
    fund = policy.do_create_fund(programme, "资金", YEAR, 10**9, acting_user=reviewer)
    return policy.do_create_round(
        fund, "批次", year=YEAR, budget_fen=10**8, mode="apply", acting_user=reviewer
    )


def line(key, amount, account="6222021234567890123", **extra):
    return PersonLine(
        key=key,
        name="韦明",
        amount_fen=amount,
        id_masked="450102********1234",
        bank_name="工行",
        account=account,
        **extra,
    )


def test_lines_must_add_up_to_the_engines_amount(talent_round, acme, reviewer):
    with pytest.raises(DomainError) as exc:
        do_add_person_candidates(
            talent_round, acme, "talent_benefit", [line("p:1", 200_000)], decided="决定", acting_user=reviewer
        )
    assert exc.value.code == "conflict" and exc.value.details == {
        "computed_fen": 300_000,
        "lines_fen": 200_000,
    }
    made = do_add_person_candidates(
        talent_round,
        acme,
        "talent_benefit",
        [line("p:1", 200_000), PersonLine(key="org", name=acme.name, amount_fen=100_000, person=False)],
        decided="决定",
        acting_user=reviewer,
    )
    assert [(c.payee_key, c.computed_fen, c.status) for c in made] == [
        ("p:1", 200_000, "recommended"),
        ("org", 100_000, "recommended"),
    ]
    assert made[1].payee_account == "" and made[1].payee_name == ""  # the organisation's own registry account


@pytest.mark.parametrize("account", ["", "6222-ABCD", "123"])
def test_a_person_without_a_valid_account_of_their_own_is_refused(talent_round, acme, reviewer, account):
    with pytest.raises(DomainError) as exc:
        do_add_person_candidates(
            talent_round,
            acme,
            "talent_benefit",
            [line("p:1", 300_000, account)],
            decided="决定",
            acting_user=reviewer,
        )
    assert exc.value.status == 422 and exc.value.details["payee"] == "p:1"


def test_a_person_already_listed_is_a_duplicate_and_others_may_not_add(talent_round, acme, reviewer, alice):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        do_add_person_candidates(
            talent_round, acme, "talent_benefit", [line("p:1", 300_000)], decided="决定", acting_user=alice
        )
    do_add_person_candidates(
        talent_round, acme, "talent_benefit", [line("p:1", 300_000)], decided="决定", acting_user=reviewer
    )
    fund = talent_round.fund
    second = policy.do_create_round(
        fund, "第二批", year=YEAR, budget_fen=10**8, mode="apply", acting_user=reviewer
    )
    [again] = do_add_person_candidates(
        second, acme, "talent_benefit", [line("p:1", 300_000)], decided="决定", acting_user=reviewer
    )
    assert again.status == "duplicate"


def test_a_screening_round_never_pays_talent_benefits_to_the_employer_in_one_sum(reviewer, acme):
    from kechuang.jobs.queue import run_pending
    from kechuang.policy.models import Candidate

    do_record_platform_figures("talent_benefit_due", YEAR, {acme.pk: 300_000}, reference="测试")
    programme = policy.do_create_programme("高层次人才待遇", ["talent_benefit"], acting_user=reviewer)
    fund = policy.do_create_fund(programme, "资金", YEAR, 10**9, acting_user=reviewer)
    round_ = policy.do_create_round(
        fund, "筛查批次", year=YEAR, budget_fen=10**8, mode="screen", acting_user=reviewer
    )
    policy.do_screen_round(round_, acting_user=reviewer)
    [job] = run_pending()
    assert job.status == "succeeded", job.error
    assert policy.calculate_for_organisation(acme, YEAR, codes=["talent_benefit"])[0].result.amount == 300_000
    assert not Candidate.objects.filter(round=round_, policy_code="talent_benefit").exists()
