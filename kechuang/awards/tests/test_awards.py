import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.accounts.models import Role
from kechuang.awards.errors import AwardError
from kechuang.awards.exports import cjk_font
from kechuang.awards.models import AwardObjection, CallStatus, NominationStatus
from kechuang.awards.services import (
    do_answer_objection,
    do_approve,
    do_formal_check,
    do_nominate,
    do_object,
    do_open_call,
    do_propose_grade,
    do_start_notice,
)
from kechuang.errors import DomainError
from kechuang.review.models import StageKind, VoteChoice
from kechuang.review.services import do_cast_vote, do_close_stage, do_decide
from kechuang.testing import make_user
from kechuang.workdays import add_working_days

TODAY = timezone.localdate()


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


def nominate(call, user, title="面向东盟的甘蔗智能收获装备", people=("韦强", "覃丽"), category="st_progress"):
    return do_nominate(
        call,
        acting_user=user,
        category=category,
        title=title,
        summary="甘蔗收获机械化关键技术及产业化应用",
        lead_unit=user.organisation,
        contributors=[{"name": p} for p in people],
    )


def walk_to_committee_pass(call, nominations, admin_user, department, prefix="committee"):
    """Formal check, online review and hearing passed; the committee votes unanimously for every nomination."""
    single = not isinstance(nominations, list)
    nominations = [nominations] if single else nominations
    for n in nominations:
        if n.status == NominationStatus.SUBMITTED:
            do_formal_check(n, acting_user=admin_user, passed=True, note="材料齐全")
    stages = {s.kind: s for s in call.review_process.stages.all()}
    do_close_stage(stages[StageKind.FORMAL], acting_user=admin_user)
    for kind in (StageKind.ONLINE, StageKind.HEARING):
        for n in nominations:
            n.review_submission.refresh_from_db()
            do_decide(
                stages[kind], n.review_submission, acting_user=admin_user, passed=True, reason="评审通过"
            )
        do_close_stage(stages[kind], acting_user=admin_user)
    vote = stages[StageKind.VOTE]
    vote.refresh_from_db()
    members = [make_user(f"{prefix}{i}", org=department, role=Role.REVIEWER) for i in range(3)]
    vote.committee.set(members)
    for n in nominations:
        n.review_submission.refresh_from_db()
        for member in members:
            do_cast_vote(vote, n.review_submission, acting_user=member, choice=VoteChoice.YES)
        do_decide(vote, n.review_submission, acting_user=admin_user)
    do_close_stage(vote, acting_user=admin_user)
    for n in nominations:
        n.refresh_from_db()
        n.review_submission.refresh_from_db()
    return nominations[0] if single else nominations


def test_a_nominator_beyond_its_quota_is_refused(call, bob):
    nominate(call, bob)
    with pytest.raises(DomainError) as refused:
        nominate(call, bob, title="另一个项目", people=("卢明",))
    assert refused.value.code == AwardError.QUOTA_EXCEEDED


def test_an_organisation_without_a_quota_cannot_nominate(call, outsider):
    with pytest.raises(PermissionDenied):
        nominate(call, outsider)


def test_one_person_in_one_nomination_a_year(call, alice, bob):
    nominate(call, alice, people=("韦强", "覃丽"))
    with pytest.raises(DomainError) as refused:
        nominate(call, bob, title="柳州新能源汽车电驱系统", people=("覃 丽",))
    assert refused.value.code == AwardError.PERSON_TWICE


def test_too_many_contributors_for_the_category_is_refused(call, alice):
    with pytest.raises(DomainError) as refused:
        nominate(call, alice, people=[f"完成人{i}" for i in range(16)])
    assert refused.value.code == AwardError.TOO_MANY_CONTRIBUTORS


def test_the_patent_award_runs_every_three_years_from_2021(admin_user, department):
    with pytest.raises(DomainError) as refused:
        do_open_call(
            acting_user=admin_user,
            kind="patent_award",
            year=2025,
            department=department,
            nomination_deadline=dt.date(2025, 6, 1),
        )
    assert refused.value.code == AwardError.NOT_AN_AWARD_YEAR


def test_an_ineligible_patent_is_refused_with_its_grounds(admin_user, department, alice, acme):
    from kechuang.pledge.services import do_register_patent

    call = do_open_call(
        acting_user=admin_user,
        kind="patent_award",
        year=2027,
        department=department,
        nomination_deadline=TODAY + dt.timedelta(days=30),
        quotas=[(acme, 3)],
    )
    patent = do_register_patent(
        acting_user=alice,
        application_number="201710601862.3",
        title="一种甘蔗剥叶装置",
        filing_date=dt.date(2017, 7, 20),
        grant_date=dt.date(2019, 3, 1),
        fee_paid_until=TODAY - dt.timedelta(days=10),
        in_dispute=True,
    )
    with pytest.raises(DomainError) as refused:
        do_nominate(
            call,
            acting_user=alice,
            category="invention_utility",
            title="一种甘蔗剥叶装置",
            summary="专利实施情况",
            lead_unit=acme,
            contributors=[{"name": "韦强"}],
            patent=patent,
        )
    assert refused.value.code == AwardError.PATENT_INELIGIBLE
    assert set(refused.value.details["grounds"]) == {"annual_fee_unpaid", "ownership_dispute"}


def test_a_grade_is_refused_once_its_cap_is_reached(call, alice, admin_user, department, settings):
    from kechuang.awards import schemes

    special = next(g for g in schemes.grades("st_award", "st_progress") if g.code == "special")
    nominations = walk_to_committee_pass(
        call,
        [nominate(call, alice, title=f"项目{i}", people=(f"人员{i}",)) for i in range(2)],
        admin_user,
        department,
    )
    assert special.cap == 3
    do_propose_grade(nominations[0], acting_user=admin_user, grade_code="special")
    # Fill the pooled cap of the three main awards up to its limit with nominations of another category.
    call.nominations.filter(pk=nominations[0].pk).update(category="natural_science")
    for _ in range(special.cap - 1):
        call.nominations.create(
            category="technological_invention",
            title="占位",
            title_key="占位",
            summary="",
            nominator=alice.organisation,
            lead_unit=alice.organisation,
            status=NominationStatus.PROPOSED,
            proposed_grade="special",
            nominated_by=alice,
        )
    with pytest.raises(DomainError) as refused:
        do_propose_grade(nominations[1], acting_user=admin_user, grade_code="special")
    assert refused.value.code == AwardError.GRADE_CAP


def test_a_grade_needs_the_committee_vote(call, alice, admin_user):
    nomination = nominate(call, alice)
    do_formal_check(nomination, acting_user=admin_user, passed=True, note="材料齐全")
    with pytest.raises(DomainError):
        do_propose_grade(nomination, acting_user=admin_user, grade_code="first")


def test_public_notice_counts_working_days_takes_signed_objections_and_gates_approval(
    call, alice, admin_user, department, client
):
    nomination = walk_to_committee_pass(call, nominate(call, alice), admin_user, department)
    do_propose_grade(nomination, acting_user=admin_user, grade_code="first")
    call = do_start_notice(call, acting_user=admin_user, start=TODAY)
    assert call.notice_end == add_working_days(TODAY, 5)
    assert (call.notice_end - TODAY).days >= 4
    page = client.get(f"/awards/notices/{call.pk}/")
    assert page.status_code == 200
    assert nomination.title in page.content.decode()
    assert alice.organisation.credit_code in page.content.decode()
    anonymous = client.post(
        f"/awards/notices/{call.pk}/",
        {"nomination": nomination.pk, "name": "", "contact": "", "text": "不署名"},
    )
    assert anonymous.status_code == 302
    assert not AwardObjection.objects.exists()
    client.post(
        f"/awards/notices/{call.pk}/",
        {
            "nomination": nomination.pk,
            "name": "张三",
            "contact": "13800000000",
            "text": "该项目的应用证明存在问题，请核实。",
        },
    )
    objection = AwardObjection.objects.get()
    with pytest.raises(DomainError) as early:
        do_approve(call, acting_user=admin_user, document="桂政函〔2026〕1号")
    assert early.value.code in (AwardError.NOTICE_OPEN, AwardError.OBJECTIONS_OPEN)
    do_answer_objection(objection, acting_user=admin_user, upheld=False, answer="经核实，应用证明真实有效。")
    objection.refresh_from_db()
    assert objection.status == AwardObjection.Status.DISMISSED


def test_approval_after_the_notice_issues_certificates_and_the_annex(
    call, alice, admin_user, department, client
):
    nomination = walk_to_committee_pass(call, nominate(call, alice), admin_user, department)
    do_propose_grade(nomination, acting_user=admin_user, grade_code="second")
    do_start_notice(call, acting_user=admin_user, start=TODAY - dt.timedelta(days=30))
    with pytest.raises(DomainError) as late:
        do_object(nomination, name="李四", contact="lisi@example.cn", text="公示期已过仍提出的异议内容")
    assert late.value.code == AwardError.NOTICE_CLOSED
    call.refresh_from_db()
    do_approve(call, acting_user=admin_user, document="桂政函〔2026〕1号")
    call.refresh_from_db()
    nomination.refresh_from_db()
    assert call.status == CallStatus.APPROVED
    assert nomination.status == NominationStatus.AWARDED
    assert nomination.certificate_no.startswith(f"GXKJ-{call.year}-")
    assert nomination.prize_fen == 10_000_000
    client.force_login(admin_user)
    docx = client.get(f"/awards/calls/{call.pk}/annex.docx")
    from docx import Document

    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(docx.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert nomination.title in text
    assert "100,000.00" in text or "100000.00" in text
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get(f"/awards/calls/{call.pk}/annex.xlsx").content)).active
    assert [c.value for c in sheet[2]][4] == nomination.title
    # the work cannot be nominated again
    with pytest.raises(DomainError) as again:
        nominate(call, alice)
    assert again.value.code in (AwardError.ALREADY_AWARDED, AwardError.CLOSED)
    try:
        cjk_font()
    except RuntimeError:
        pytest.skip("no CJK font on this machine (make test installs fonts-wqy-microhei)")
    pdf = client.get(f"/awards/nominations/{nomination.pk}/certificate.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert len(pdf.content) > 2000


def test_only_the_owning_department_manages_a_call(call, client, liuzhou_reviewer, bob, alice):
    for user, expected in ((liuzhou_reviewer, 404), (bob, 200)):
        client.force_login(user)
        assert client.get(f"/awards/calls/{call.pk}/").status_code == expected
    client.force_login(bob)
    assert client.get(f"/awards/calls/{call.pk}/annex.xlsx").status_code == 404
    nominate(call, alice)
    page = client.get(f"/awards/calls/{call.pk}/").content.decode()
    assert "面向东盟的甘蔗智能收获装备" not in page  # a nominator sees only its own nominations
