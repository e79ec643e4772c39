"""High-level talent recognition: application rules, pre-check by area, recognition, notice, certificate and the
benefit schedules it creates; bad input refused with its reason."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from kechuang.errors import DomainError
from kechuang.talent import catalogue, services
from kechuang.talent.errors import TalentError
from kechuang.talent.models import BenefitSchedule, Instalment, Status, TalentApplication
from kechuang.talent.tests.conftest import EVIDENCE, TODAY, id_number

pytestmark = pytest.mark.django_db


def test_recognition_creates_the_levels_schedules_that_sum_to_their_totals(recognise):
    app = recognise(1, level="C", credential="jieqing")
    assert app.status == Status.RECOGNISED and app.certificate_no.startswith(
        f"GXRC-{app.recognised_on.year}-C-"
    )
    rules = catalogue.in_force(app.recognised_on)
    schedules = {s.kind: s for s in BenefitSchedule.objects.filter(application=app)}
    assert set(schedules) == {"living", "settling", "research"}
    for kind, schedule in schedules.items():
        benefit = rules.levels["C"].benefits[kind]
        assert schedule.total_fen == benefit.total_fen
        assert sum(schedule.instalments.values_list("amount_fen", flat=True)) == benefit.total_fen
        assert schedule.instalments.count() == benefit.years
        assert rules.document in schedule.explanation and "可信度" in schedule.explanation
    first = schedules["living"].instalments.get(index=1)
    assert first.year == app.recognised_on.year


def test_missing_evidence_is_refused_naming_each_document(apply_for):
    with pytest.raises(DomainError) as exc:
        apply_for(1, evidence={"contract": "HT-1"})
    assert exc.value.code == TalentError.EVIDENCE_MISSING
    assert exc.value.details["missing"] == ["social_insurance", "tax"]


def test_a_person_recognised_at_one_level_is_refused_at_another(recognise, apply_for, bob, globex):
    from kechuang.accounts.models import Role

    bob.role = Role.ORG_ADMIN
    bob.save(update_fields=["role"])
    recognise(1, level="C", credential="jieqing")
    with pytest.raises(DomainError) as exc:
        apply_for(1, level="D", credential="youqing", user=bob)
    assert exc.value.code == TalentError.OTHER_LEVEL and exc.value.details["held_level"] == "C"
    with pytest.raises(DomainError) as exc:
        apply_for(1, level="C", credential="jieqing", user=bob)
    assert exc.value.code == TalentError.ALREADY_RECOGNISED


def test_the_database_itself_refuses_a_second_live_recognition(recognise, alice):
    app = recognise(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        TalentApplication.objects.create(
            person=app.person,
            employer=app.employer,
            level="D",
            contract_start=TODAY,
            contract_end=TODAY + dt.timedelta(days=2000),
            rules_version="x",
            created_by=alice,
        )


def test_credential_must_belong_to_the_level_applied_for(apply_for):
    with pytest.raises(DomainError) as exc:
        apply_for(1, level="A", credential="jieqing")
    assert exc.value.code == TalentError.CREDENTIAL_LEVEL and exc.value.details["qualifies"] == "C"


def test_contract_length_and_new_recruitment_are_checked(apply_for):
    with pytest.raises(DomainError) as exc:
        apply_for(1, contract_end=TODAY + dt.timedelta(days=300))
    assert exc.value.code == TalentError.CONTRACT_TOO_SHORT
    with pytest.raises(DomainError) as exc:
        apply_for(
            2, contract_start=TODAY - dt.timedelta(days=800), contract_end=TODAY + dt.timedelta(days=2000)
        )
    assert exc.value.code == TalentError.NOT_NEWLY_RECRUITED


def test_bad_id_numbers_are_refused(apply_for):
    bad = id_number(1)[:-1] + ("0" if id_number(1)[-1] != "0" else "1")
    with pytest.raises(DomainError):
        apply_for(1, id_number=bad)


def test_precheck_only_by_an_official_of_the_employers_area(apply_for, liuzhou_reviewer, qingxiu, outsider):
    app = apply_for(1)
    for user in (liuzhou_reviewer, outsider):
        with pytest.raises(PermissionDenied):
            services.do_precheck(app, acting_user=user, passed=True)
    with pytest.raises(DomainError):
        services.do_precheck(app, acting_user=qingxiu, passed=False, note="")  # a refusal needs its reason
    services.do_precheck(app, acting_user=qingxiu, passed=True)
    app.refresh_from_db()
    assert app.status == Status.PRECHECKED


def test_only_provincial_officials_recognise_and_certify(apply_for, qingxiu, alice):
    app = apply_for(1)
    services.do_precheck(app, acting_user=qingxiu, passed=True)
    for user in (qingxiu, alice):
        with pytest.raises(PermissionDenied):
            services.do_recognise(app, acting_user=user)


def test_certificate_waits_for_the_notice_and_open_objections(apply_for, qingxiu, reviewer):
    app = apply_for(1)
    services.do_precheck(app, acting_user=qingxiu, passed=True)
    services.do_recognise(app, acting_user=reviewer)
    services.do_start_notice(acting_user=reviewer, start=TODAY)
    app.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.do_certify(app, acting_user=reviewer, today=app.notice_end)
    assert exc.value.code == TalentError.NOTICE_OPEN
    objection = services.do_object(
        app, name="张三", contact="13800000000", text="该人才的合同起始日期与实际到岗时间不符。"
    )
    with pytest.raises(DomainError) as exc:
        services.do_certify(app, acting_user=reviewer, today=app.notice_end + dt.timedelta(days=1))
    assert exc.value.code == TalentError.OBJECTIONS_OPEN
    services.do_answer_objection(objection, acting_user=reviewer, upheld=True, answer="经核实异议成立。")
    app.refresh_from_db()
    assert app.status == Status.WITHDRAWN


def test_panel_basis_needs_the_panel_to_pass(apply_for, qingxiu, reviewer):
    from kechuang.review.models import StageKind
    from kechuang.review.services import do_close_stage, do_decide

    app = apply_for(
        1, basis="panel", credential="", credential_note="主持国家重大专项，成果在区内龙头企业转化。"
    )
    services.do_precheck(app, acting_user=qingxiu, passed=True)
    app.refresh_from_db()
    assert app.status == Status.IN_PANEL and app.review_submission is not None
    with pytest.raises(DomainError) as exc:
        services.do_recognise(app, acting_user=reviewer)
    assert exc.value.code == TalentError.PANEL_REQUIRED
    process = app.review_submission.process
    online = process.stages.get(kind=StageKind.ONLINE)
    do_decide(online, app.review_submission, acting_user=None, passed=True, reason="专家一致同意")
    do_close_stage(online, acting_user=None)
    # the committee's vote is the review engine's own (tested there): here it passed
    from kechuang.review.models import Submission, SubmissionStatus

    Submission.objects.filter(pk=app.review_submission_id).update(status=SubmissionStatus.PASSED)
    services.do_recognise(app, acting_user=reviewer)
    app.refresh_from_db()
    assert app.status == Status.PROPOSED


def test_instalments_never_exceed_the_schedule(recognise, reviewer):
    app = recognise(1)
    research = BenefitSchedule.objects.get(application=app, kind="research")
    with pytest.raises(DomainError) as exc:
        services.do_add_instalment(research, acting_user=reviewer, year=TODAY.year, amount_fen=1)
    assert exc.value.code == TalentError.BEYOND_SCHEDULE and exc.value.details["room_fen"] == 0
    last = research.instalments.order_by("-index").first()
    last.state = Instalment.State.CANCELLED
    last.save(update_fields=["state"])
    services.do_add_instalment(
        research, acting_user=reviewer, year=TODAY.year + 1, amount_fen=last.amount_fen
    )
    with pytest.raises(DomainError):
        services.do_add_instalment(research, acting_user=reviewer, year=TODAY.year + 1, amount_fen=1)


def test_evidence_values_are_kept(apply_for):
    app = apply_for(1)
    assert app.evidence == EVIDENCE
