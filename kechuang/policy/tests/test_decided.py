"""The one way other modules put payouts they decided on a round: recommended with the decision, computed by the
engine, never twice, all or nothing."""

import pytest

from kechuang.audit.models import AuditEntry
from kechuang.errors import DomainError, ErrorCode
from kechuang.policy import services
from kechuang.policy.models import Candidate, Round
from kechuang.policy.tests.conftest import WAN

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided_round(reviewer):
    programme = services.do_create_programme(
        "项目经费", ["project_contract", "rd_incremental"], acting_user=reviewer
    )
    fund = services.do_create_fund(programme, "2025年项目经费", 2025, 1_000 * WAN, acting_user=reviewer)

    def make(name="第一批"):
        return services.do_create_round(
            fund,
            name,
            year=2025,
            budget_fen=500 * WAN,
            policy_codes=["project_contract", "rd_incremental"],
            mode=Round.Mode.APPLY,
            acting_user=reviewer,
        )

    return make


def milestone(org, fen, key="project-milestone:1", expect=True):
    return services.Decided(
        org,
        "project_contract",
        fen,
        "桂科计字〔2025〕1号 第一节点",
        dedupe_key=key,
        expect_fen=fen if expect else None,
    )


def test_decided_payouts_enter_recommended_with_their_decision_and_close_the_round(
    decided_round, acme, globex, reviewer
):
    round_ = decided_round()
    a, g = services.do_add_decided_candidates(
        round_,
        [milestone(acme, 30 * WAN), milestone(globex, 12 * WAN, key="project-milestone:2")],
        acting_user=reviewer,
    )
    round_.refresh_from_db()
    assert round_.status == Round.Status.CITY_REVIEW
    assert (a.status, a.computed_fen, a.dedupe_key) == (
        Candidate.Status.RECOMMENDED,
        30 * WAN,
        "project-milestone:1",
    )
    assert g.computed_fen == 12 * WAN and "桂科计字〔2025〕1号" in a.city_note
    assert "project_milestone_due" in str(a.trace)
    assert AuditEntry.objects.filter(action="policy.candidate.add").count() == 2
    close = AuditEntry.objects.get(action="policy.round.close_applications", target_id=str(round_.pk))
    assert close.changes["decided"] == [None, 2]


def test_what_is_not_decided_elsewhere_or_already_taken_is_refused_and_nothing_is_added(
    decided_round, acme, globex, reviewer, alice
):
    round_ = decided_round()
    with pytest.raises(DomainError) as ordinary:  # an ordinary policy needs the county and city review
        services.do_add_decided_candidates(
            round_, [services.Decided(acme, "rd_incremental", 100, "自称已决定")], acting_user=reviewer
        )
    assert ordinary.value.code == ErrorCode.INVALID
    with pytest.raises(DomainError) as applied:  # and nobody applies for a decided payout
        services.do_add_candidate(round_, acme, "project_contract", acting_user=alice, applied=True)
    assert applied.value.code == ErrorCode.INVALID
    with pytest.raises(DomainError) as twice:
        services.do_add_decided_candidates(
            round_,
            [milestone(acme, WAN), milestone(acme, WAN, key="project-milestone:2")],
            acting_user=reviewer,
        )
    assert twice.value.code == ErrorCode.CONFLICT
    with pytest.raises(DomainError) as wrong:  # the engine's amount must be the decision's
        services.do_add_decided_candidates(
            round_,
            [services.Decided(acme, "project_contract", 30 * WAN, "x", expect_fen=31 * WAN)],
            acting_user=reviewer,
        )
    assert wrong.value.code == ErrorCode.INVALID
    assert not Candidate.objects.filter(round=round_).exists()  # all or nothing

    services.do_add_decided_candidates(round_, [milestone(acme, 30 * WAN)], acting_user=reviewer)
    with pytest.raises(DomainError) as taken:  # the same milestone on a second round
        services.do_add_decided_candidates(
            decided_round("第二批"), [milestone(acme, 30 * WAN)], acting_user=reviewer
        )
    assert taken.value.code == ErrorCode.CONFLICT and taken.value.details["reason"] == "already_taken"
