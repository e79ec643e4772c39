import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from kechuang.accounts.models import Role
from kechuang.errors import DomainError
from kechuang.permissions.review import access_assignment_by_id
from kechuang.review.errors import ReviewError
from kechuang.review.models import (
    Assignment,
    AssignmentStatus,
    Conflict,
    ConflictReason,
    ExpertRelation,
    RelationKind,
    StageStatus,
    SubmissionStatus,
    VoteChoice,
)
from kechuang.review.services import (
    detect_conflicts,
    do_assign,
    do_cast_vote,
    do_close_stage,
    do_decide,
    do_declare_conflict,
    do_decline,
    do_forbid,
    do_submit_review,
    stage_results,
    tally,
)
from kechuang.testing import make_user

GOOD = {"innovation": 8, "difficulty": 7, "benefit": 9, "promotion": 6}
NOTES = {"innovation": "首创", "benefit": "效益显著"}


def pass_formal(process, submissions, admin_user):
    formal, online, _vote = process.stages.order_by("order")
    for sub in submissions:
        do_decide(formal, sub, acting_user=admin_user, passed=True, reason="材料齐全")
    do_close_stage(formal, acting_user=admin_user)
    online.refresh_from_db()
    return online


def test_conflicts_are_found_before_anyone_is_invited(process, submissions, experts, gxu):
    wang = experts[0].expert_profile
    ExpertRelation.objects.create(expert=wang, kind=RelationKind.CO_INVENTOR, person_name="王 强", year=2020)
    detect_conflicts(process)
    reasons = set(Conflict.objects.filter(expert=wang).values_list("submission__title", "reason"))
    assert ("五轴联动数控机床关键技术", ConflictReason.CO_INVENTOR) in reasons


def test_collaboration_counts_only_within_the_configured_years(process, submissions, experts, acme):
    li = experts[1].expert_profile
    ExpertRelation.objects.create(expert=li, kind=RelationKind.COLLABORATION, organisation=acme, year=2015)
    detect_conflicts(process, today=dt.date(2026, 6, 1))
    assert not Conflict.objects.filter(expert=li, reason=ConflictReason.COLLABORATION).exists()
    ExpertRelation.objects.create(expert=li, kind=RelationKind.COLLABORATION, organisation=acme, year=2024)
    detect_conflicts(process, today=dt.date(2026, 6, 1))
    assert Conflict.objects.filter(
        expert=li, submission=submissions[1], reason=ConflictReason.COLLABORATION
    ).exists()


def test_assignment_follows_expertise_respects_caps_and_never_a_conflict(
    process, submissions, experts, admin_user
):
    online = pass_formal(process, submissions, admin_user)
    wang = experts[0].expert_profile
    do_declare_conflict(submissions[0], acting_user=experts[2], detail="曾参与该项目咨询")
    result = do_assign(online, acting_user=admin_user)
    pairs = set(
        Assignment.objects.filter(stage=online).values_list("expert__user__username", "submission_id")
    )
    assert result.short == {}
    assert ("zhao", submissions[0].pk) not in pairs
    assert ("wang", submissions[0].pk) in pairs  # the machine-tool expert reviews the machine-tool work
    assert ("li", submissions[1].pk) in pairs  # the sugar expert reviews the sugar work
    load = {}
    for username, _sub in pairs:
        load[username] = load.get(username, 0) + 1
    assert max(load.values()) <= process.cap_per_expert
    assert Assignment.objects.filter(stage=online, expert=wang).count() <= 2


def test_rerunning_after_a_decline_keeps_every_other_assignment(process, submissions, experts, admin_user):
    online = pass_formal(process, submissions, admin_user)
    do_assign(online, acting_user=admin_user)
    before = {(a.pk, a.expert_id, a.submission_id) for a in Assignment.objects.filter(stage=online)}
    leaving = Assignment.objects.filter(stage=online).first()
    do_decline(leaving, acting_user=leaving.expert.user, reason="出差")
    do_assign(online, acting_user=admin_user)
    after = {(a.pk, a.expert_id, a.submission_id) for a in Assignment.objects.filter(stage=online)}
    assert before - {(leaving.pk, leaving.expert_id, leaving.submission_id)} <= after
    replacement = Assignment.objects.filter(stage=online, submission=leaving.submission).exclude(
        status=AssignmentStatus.DECLINED
    )
    assert replacement.count() == process.reviews_per_submission
    assert leaving.expert_id not in set(replacement.values_list("expert_id", flat=True))


def test_a_forbidden_pair_is_removed_and_stays_out(process, submissions, experts, admin_user):
    online = pass_formal(process, submissions, admin_user)
    do_assign(online, acting_user=admin_user)
    wang = experts[0].expert_profile
    do_forbid(online, submissions[0], wang, acting_user=admin_user)
    do_assign(online, acting_user=admin_user)
    assert not Assignment.objects.filter(stage=online, submission=submissions[0], expert=wang).exists()


def test_a_review_is_refused_when_late_incomplete_or_conflicted(process, submissions, experts, admin_user):
    online = pass_formal(process, submissions, admin_user)
    do_assign(online, acting_user=admin_user)
    mine = Assignment.objects.filter(stage=online, expert__user=experts[0]).first()
    with pytest.raises(DomainError) as missing_comment:
        do_submit_review(mine, acting_user=experts[0], scores=GOOD, comments={"innovation": "首创"})
    assert missing_comment.value.code == ReviewError.COMMENT_REQUIRED
    with pytest.raises(DomainError) as out_of_range:
        do_submit_review(mine, acting_user=experts[0], scores={**GOOD, "benefit": 11}, comments=NOTES)
    assert out_of_range.value.code == ReviewError.BAD_SCORE
    with pytest.raises(PermissionDenied):
        do_submit_review(mine, acting_user=experts[1], scores=GOOD, comments=NOTES)
    online.deadline = timezone.now() - dt.timedelta(minutes=1)
    online.save()
    with pytest.raises(DomainError) as late:
        do_submit_review(mine, acting_user=experts[0], scores=GOOD, comments=NOTES)
    assert late.value.code == ReviewError.LATE
    online.deadline = timezone.now() + dt.timedelta(days=1)
    online.save()
    review = do_submit_review(mine, acting_user=experts[0], scores=GOOD, comments=NOTES)
    assert str(review.total) == "77.50"  # 40·0.8 + 20·0.7 + 25·0.9 + 15·0.6
    with pytest.raises(DomainError) as twice:
        do_submit_review(mine, acting_user=experts[0], scores=GOOD, comments=NOTES)
    assert twice.value.code == ReviewError.ALREADY_SUBMITTED


def test_an_expert_sees_only_their_own_assignments_and_never_a_conflicted_one(
    process, submissions, experts, admin_user
):
    online = pass_formal(process, submissions, admin_user)
    do_assign(online, acting_user=admin_user)
    theirs = Assignment.objects.filter(stage=online, expert__user=experts[1]).first()
    with pytest.raises(Http404):
        access_assignment_by_id(experts[0], theirs.pk)
    assert access_assignment_by_id(experts[1], theirs.pk) == theirs
    Conflict.objects.create(
        expert=theirs.expert, submission=theirs.submission, reason="declared", source="official"
    )
    with pytest.raises(Http404):
        access_assignment_by_id(experts[1], theirs.pk)


def test_normalised_scores_sit_beside_raw_scores_with_flags(process, submissions, experts, admin_user):
    online = pass_formal(process, submissions, admin_user)
    do_assign(online, acting_user=admin_user)
    harsh = {"innovation": 1, "difficulty": 1, "benefit": 1, "promotion": 1}
    for a in Assignment.objects.filter(stage=online).select_related("expert__user"):
        scores = harsh if a.expert.user.username == "zhao" else GOOD
        do_submit_review(a, acting_user=a.expert.user, scores=scores, comments=NOTES)
    results = stage_results(online)
    assert set(results) == {s.pk for s in submissions}
    for entry in results.values():
        for r in entry["reviews"]:
            assert r.normalised is not None
    flagged = [r for entry in results.values() for r in entry["reviews"] if r.outlier]
    if any(a.expert.user.username == "zhao" for a in Assignment.objects.filter(stage=online)):
        assert flagged
        assert any(entry["disagree"] for entry in results.values())


def test_committee_vote_needs_quorum_two_thirds_and_recusal(
    process, submissions, experts, admin_user, department
):
    formal, online, vote = process.stages.order_by("order")
    members = [make_user(f"member{i}", org=department, role=Role.REVIEWER) for i in range(6)]
    vote.committee.set(members)
    vote.status = StageStatus.OPEN
    vote.save()
    sub = submissions[0]
    sub.stage = vote
    sub.save()
    do_cast_vote(vote, sub, acting_user=members[0], choice=VoteChoice.YES)
    do_cast_vote(vote, sub, acting_user=members[1], choice=VoteChoice.YES)
    with pytest.raises(DomainError) as no_quorum:
        do_decide(vote, sub, acting_user=admin_user)
    assert no_quorum.value.code == ReviewError.NO_QUORUM
    do_cast_vote(vote, sub, acting_user=members[2], choice=VoteChoice.YES)
    do_cast_vote(vote, sub, acting_user=members[3], choice=VoteChoice.NO)
    assert tally(vote, sub)["passed"] is True  # 3 of 4 ≥ two thirds
    do_cast_vote(vote, sub, acting_user=members[4], choice=VoteChoice.NO)
    assert tally(vote, sub)["passed"] is False  # 3 of 5 < two thirds
    with pytest.raises(DomainError) as outsider:
        do_cast_vote(vote, sub, acting_user=experts[0], choice=VoteChoice.YES)
    assert outsider.value.code == ReviewError.NOT_ON_COMMITTEE
    decision = do_decide(vote, sub, acting_user=admin_user)
    assert decision.passed is False
    assert "反对 2" in decision.reason


def test_closing_a_stage_moves_decided_submissions_on_and_refuses_undecided(process, submissions, admin_user):
    formal = process.stages.order_by("order").first()
    do_decide(formal, submissions[0], acting_user=admin_user, passed=True, reason="合格")
    with pytest.raises(DomainError):
        do_close_stage(formal, acting_user=admin_user)
    do_decide(formal, submissions[1], acting_user=admin_user, passed=False, reason="缺少应用证明")
    assert do_close_stage(formal, acting_user=admin_user) == {"passed": 1, "eliminated": 1}
    submissions[1].refresh_from_db()
    assert submissions[1].status == SubmissionStatus.ELIMINATED


def test_a_city_official_cannot_run_a_province_process(process, submissions, liuzhou_reviewer):
    online = process.stages.order_by("order")[1]
    with pytest.raises(PermissionDenied):
        do_assign(online, acting_user=liuzhou_reviewer)
