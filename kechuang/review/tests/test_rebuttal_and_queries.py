"""The rebuttal (答辩/澄清) step, the vectorised affinity and language matrices against the per-pair definitions,
and the process page's queries not growing with the number of submissions."""

import datetime as dt

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kechuang.errors import DomainError
from kechuang.review.errors import ReviewError
from kechuang.review.models import Assignment, Discipline, ExpertProfile, Rebuttal, Submission
from kechuang.review.services import (
    DISCIPLINE_BONUS,
    _reads,
    _vector,
    affinity_matrix,
    do_add_submission,
    do_assign,
    do_open_rebuttal,
    do_submit_rebuttal,
    do_submit_review,
    reads_matrix,
    rebuttals_before,
    reviews_for_applicant,
)
from kechuang.review.tests.test_services import GOOD, NOTES, pass_formal


def test_the_vectorised_affinity_equals_the_per_pair_definition(process, submissions, experts):
    profiles = list(ExpertProfile.objects.prefetch_related("disciplines").order_by("pk"))
    subs = list(Submission.objects.prefetch_related("disciplines").order_by("pk"))
    subs[0].disciplines.add(*Discipline.objects.filter(code="550"))  # one submission in two disciplines
    subs = list(Submission.objects.prefetch_related("disciplines").order_by("pk"))
    expected = np.zeros((len(profiles), len(subs)))
    for i, e in enumerate(profiles):
        for j, s in enumerate(subs):
            shared = {d.pk for d in e.disciplines.all()} & {d.pk for d in s.disciplines.all()}
            cosine = float(_vector(e, e.profile_text) @ _vector(s, f"{s.title}\n{s.text}"))
            expected[i, j] = round(cosine + (DISCIPLINE_BONUS if shared else 0), 4)
    assert np.allclose(affinity_matrix(profiles, subs), expected, atol=1e-4)


def test_the_language_matrix_equals_the_per_pair_rule(process, submissions, experts, admin_user, acme):
    ExpertProfile.objects.filter(pk=ExpertProfile.objects.order_by("pk").first().pk).update(languages="en")
    for k, lang in enumerate(("en", "vi")):
        do_add_submission(
            process,
            acting_user=admin_user,
            subject_type="test",
            subject_id=10 + k,
            title=f"Cassava starch {lang}",
            text="Modified cassava starch for paper making",
            applicant=acme,
        )
    Submission.objects.filter(title="Cassava starch en").update(language="en")
    Submission.objects.filter(title="Cassava starch vi").update(language="vi")
    profiles = list(ExpertProfile.objects.order_by("pk"))
    subs = list(Submission.objects.order_by("pk"))
    expected = np.array([[_reads(e, s) for s in subs] for e in profiles], dtype=bool)
    assert expected.any() and not expected.all()
    assert (reads_matrix(profiles, subs) == expected).all()


def test_the_process_page_queries_do_not_grow_with_submissions(
    client, process, submissions, experts, admin_user, acme
):
    pass_formal(process, submissions, admin_user)
    client.force_login(admin_user)
    vote = process.stages.get(kind="vote")

    def count(stage):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/review/processes/{process.pk}/?stage={stage.pk}").status_code == 200
        return len(ctx.captured_queries)

    before = count(vote)
    for i in range(6):
        do_add_submission(
            process,
            acting_user=admin_user,
            subject_type="test",
            subject_id=100 + i,
            title=f"糖厂节能项目{i}",
            text="甘蔗制糖节能",
            applicant=acme,
        )
    assert count(vote) == before


@pytest.fixture
def reviewed(process, submissions, experts, admin_user):
    online = pass_formal(process, submissions, admin_user)
    do_assign(online, acting_user=admin_user)
    for a in Assignment.objects.filter(stage=online, submission=submissions[0]).select_related(
        "expert__user"
    ):
        do_submit_review(a, acting_user=a.expert.user, scores=GOOD, comments=NOTES, overall_comment="可以")
    return online


def test_a_rebuttal_is_taken_once_within_its_window_and_read_by_later_stages(
    reviewed, process, submissions, admin_user, globex
):
    sub = submissions[0]
    speaker = admin_user
    with pytest.raises(DomainError) as closed:
        do_submit_rebuttal(reviewed, sub, acting_user=speaker, text="关于创新性意见的说明材料补充")
    assert closed.value.code == ReviewError.REBUTTAL_CLOSED
    do_open_rebuttal(reviewed, acting_user=admin_user, deadline=timezone.now() + dt.timedelta(days=3))
    seen = reviews_for_applicant(reviewed, sub)
    assert seen and all(set(r) == {"label", "total", "scores", "comments", "overall_comment"} for r in seen)
    with pytest.raises(DomainError):
        do_submit_rebuttal(reviewed, sub, acting_user=speaker, text="太短")
    do_submit_rebuttal(
        reviewed, sub, acting_user=speaker, text="关于创新性意见的说明：已补充第三方检测报告。"
    )
    with pytest.raises(DomainError) as twice:
        do_submit_rebuttal(reviewed, sub, acting_user=speaker, text="再次提交的答辩意见，应当被拒绝。")
    assert twice.value.code == ReviewError.REBUTTAL_TWICE
    vote = process.stages.get(kind="vote")
    assert [r.stage_id for r in rebuttals_before(vote, sub)] == [reviewed.pk]
    assert rebuttals_before(reviewed, sub) == []
    assert Rebuttal.objects.count() == 1


def test_a_late_rebuttal_is_refused(reviewed, submissions, admin_user):
    do_open_rebuttal(reviewed, acting_user=admin_user, deadline=timezone.now() + dt.timedelta(seconds=1))
    reviewed.rebuttal_deadline = timezone.now() - dt.timedelta(seconds=1)
    reviewed.save(update_fields=["rebuttal_deadline"])
    with pytest.raises(DomainError) as late:
        do_submit_rebuttal(
            reviewed, submissions[0], acting_user=admin_user, text="逾期提交的答辩意见应当被拒绝。"
        )
    assert late.value.code == ReviewError.REBUTTAL_CLOSED
