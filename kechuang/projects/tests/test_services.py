import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.accounts.models import Role
from kechuang.audit.models import AuditEntry
from kechuang.errors import DomainError
from kechuang.projects.errors import ProjectError
from kechuang.projects.models import ApplicationStatus, LineKind
from kechuang.projects.services import (
    check_budget,
    do_create_application,
    do_endorse,
    do_formal_check,
    do_sign_pledge,
    do_submit,
    split_fen,
)
from kechuang.projects.testing import WAN, budget, open_call
from kechuang.testing import make_org, make_user


@pytest.fixture
def call(admin_user, department):
    return open_call(admin_user, department, co_funding_percent=100, max_per_pi=1, max_per_unit=2)


@pytest.fixture
def city_bureau(db):
    from kechuang.registry.models import OrganisationKind

    return make_org("南宁市科学技术局", kind=OrganisationKind.GOVERNMENT, registration="11", credit_code=None)


@pytest.fixture
def endorser(city_bureau):
    return make_user("nnkj", org=city_bureau, role=Role.REVIEWER)


def apply(call, user, recommender, *, pi="韦强", team=("覃丽",), title="甘蔗智能收获装备研发", **kw):
    options = {"budget": budget(), "fiscal_fen": 100 * WAN, "self_fen": 100 * WAN, **kw}
    return do_create_application(
        call,
        acting_user=user,
        topic=call.topics.get(),
        recommender=recommender,
        title=title,
        summary="研制适合丘陵地区的甘蔗收获机，突破切割、剥叶和输送关键技术。",
        pi_name=pi,
        team=[{"name": n} for n in team],
        targets=["样机 1 台", "发明专利 2 件"],
        **options,
    )


def submitted(call, user, recommender, **kw):
    application = apply(call, user, recommender, **kw)
    do_sign_pledge(application, acting_user=user)
    return do_submit(application, acting_user=user)


def codes(excinfo):
    return excinfo.value.code


def test_call_to_formal_check_passes_and_is_audited(call, alice, city_bureau, endorser, admin_user):
    application = submitted(call, alice, city_bureau)
    assert application.status == ApplicationStatus.SUBMITTED
    do_endorse(application, acting_user=endorser)
    application = do_formal_check(application, acting_user=admin_user)
    assert application.status == ApplicationStatus.FORMAL_PASSED
    assert application.formal_reasons == []
    assert sum(application.budget_lines.values_list("amount_fen", flat=True)) == application.fiscal_fen
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "projects.application.submit",
        "projects.application.endorse",
        "projects.application.formal_check",
    } <= actions


def test_formal_check_without_endorsement_fails_with_reason(call, alice, city_bureau, admin_user):
    application = do_formal_check(submitted(call, alice, city_bureau), acting_user=admin_user)
    assert application.status == ApplicationStatus.FORMAL_FAILED
    assert [r["code"] for r in application.formal_reasons] == [ProjectError.NOT_ENDORSED]


def test_missing_pledge_refused(call, alice, city_bureau):
    application = apply(call, alice, city_bureau)
    with pytest.raises(DomainError) as e:
        do_submit(application, acting_user=alice)
    assert codes(e) == ProjectError.NO_PLEDGE


def test_after_deadline_refused(call, alice, city_bureau):
    application = apply(call, alice, city_bureau)
    do_sign_pledge(application, acting_user=alice)
    call.deadline = timezone.localdate() - dt.timedelta(days=1)
    call.save()
    with pytest.raises(DomainError) as e:
        do_submit(application, acting_user=alice)
    assert codes(e) == ProjectError.CALL_CLOSED
    with pytest.raises(DomainError) as e:
        apply(call, alice, city_bureau)
    assert codes(e) == ProjectError.CALL_CLOSED


def test_one_application_per_person_per_call(call, alice, city_bureau, globex, bob):
    submitted(call, alice, city_bureau, pi="韦强", team=("覃丽",))
    with pytest.raises(DomainError) as e:
        submitted(call, bob, city_bureau, pi="黄海", team=("覃丽",), title="另一项目")
    assert codes(e) == ProjectError.PERSON_TWICE


def test_pi_concurrent_limit_across_calls(call, alice, city_bureau, admin_user, department):
    submitted(call, alice, city_bureau, pi="韦强", team=())
    other = open_call(admin_user, department, kind=LineKind.GUIDANCE, co_funding_percent=0)
    with pytest.raises(DomainError) as e:
        submitted(other, alice, city_bureau, pi="韦强", team=())
    assert codes(e) == ProjectError.PI_LIMIT


def test_unit_limit(call, alice, city_bureau):
    submitted(call, alice, city_bureau, pi="甲", team=(), title="一")
    submitted(call, alice, city_bureau, pi="乙", team=(), title="二")
    with pytest.raises(DomainError) as e:
        submitted(call, alice, city_bureau, pi="丙", team=(), title="三")
    assert codes(e) == ProjectError.UNIT_LIMIT


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ({"equipment": 60 * WAN, "materials": 40 * WAN}, ProjectError.BUDGET_SHARE),
        ({"indirect": 31 * WAN, "materials": 69 * WAN}, ProjectError.BUDGET_SHARE),
        ({"materials": 100 * WAN - 1}, ProjectError.BUDGET_SUM),
        ({"travel_abroad": 100 * WAN}, ProjectError.BUDGET_CATEGORY),
        ({"materials": -1, "labour": 100 * WAN + 1}, "invalid"),
    ],
)
def test_budget_breaking_rules_refused(call, alice, city_bureau, lines, code):
    with pytest.raises(DomainError) as e:
        apply(call, alice, city_bureau, budget=lines)
    assert codes(e) == code


def test_co_funding_and_topic_budget(call, alice, city_bureau):
    with pytest.raises(DomainError) as e:
        apply(call, alice, city_bureau, self_fen=50 * WAN)
    assert codes(e) == ProjectError.CO_FUNDING
    with pytest.raises(DomainError) as e:
        apply(call, alice, city_bureau, budget=budget(400 * WAN), fiscal_fen=400 * WAN, self_fen=400 * WAN)
    assert codes(e) == ProjectError.BUDGET_TOPIC


def test_permissions(call, alice, bob, city_bureau, endorser, liuzhou_reviewer, outsider):
    application = apply(call, alice, city_bureau)
    with pytest.raises(PermissionDenied):
        do_sign_pledge(application, acting_user=bob)
    do_sign_pledge(application, acting_user=alice)
    do_submit(application, acting_user=alice)
    with pytest.raises(PermissionDenied):
        do_endorse(application, acting_user=bob)
    with pytest.raises(PermissionDenied):
        do_formal_check(
            application, acting_user=liuzhou_reviewer
        )  # a city official does not run provincial calls
    with pytest.raises(PermissionDenied):
        apply(call, outsider, city_bureau)


def test_visibility(call, alice, bob, city_bureau, endorser, reviewer):
    from kechuang.permissions.projects import visible_applications

    mine = apply(call, alice, city_bureau)
    assert list(visible_applications(alice, call)) == [mine]
    assert list(visible_applications(bob, call)) == []
    assert list(visible_applications(endorser)) == [mine]
    assert list(visible_applications(reviewer, call)) == [mine]


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    total=st.integers(0, 10**12),
    weights=st.dictionaries(
        st.sampled_from(["equipment", "materials", "labour", "indirect"]), st.integers(1, 1000), min_size=1
    ),
)
def test_split_always_sums_exactly(total, weights):
    parts = split_fen(total, weights)
    assert sum(parts.values()) == total
    assert all(p >= 0 for p in parts.values())


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    lines=st.dictionaries(
        st.sampled_from(["equipment", "materials", "labour", "indirect"]), st.integers(0, 10**13)
    ),
    total=st.integers(0, 10**13),
)
def test_accepted_budget_always_sums_to_total(lines, total):
    try:
        check_budget("key_rd", lines, total)
    except DomainError as exc:
        assert exc.code in (ProjectError.BUDGET_SUM, ProjectError.BUDGET_SHARE)  # noqa: PT017  (either outcome is allowed)
        return
    assert sum(lines.values()) == total
    assert lines.get("equipment", 0) * 2 <= total and lines.get("indirect", 0) * 10 <= total * 3


def test_passed_applications_go_to_expert_review(call, alice, bob, city_bureau, endorser, admin_user):
    from kechuang.projects.services import do_send_to_review

    passed = submitted(call, alice, city_bureau)
    do_endorse(passed, acting_user=endorser)
    do_formal_check(passed, acting_user=admin_user)
    failed = do_formal_check(
        submitted(call, bob, city_bureau, pi="黄海", team=(), title="桂林漓江水质监测"),
        acting_user=admin_user,
    )
    with pytest.raises(PermissionDenied):
        do_send_to_review(call, acting_user=bob)
    assert do_send_to_review(call, acting_user=admin_user) == 1
    passed.refresh_from_db()
    call.refresh_from_db()
    assert passed.status == ApplicationStatus.IN_REVIEW
    submission = passed.review_submission
    assert submission.process == call.review_process and submission.applicant == alice.organisation
    assert set(submission.people) == {"韦强", "覃丽"}
    assert failed.status == ApplicationStatus.FORMAL_FAILED and failed.review_submission is None
    assert do_send_to_review(call, acting_user=admin_user) == 0  # idempotent


def test_a_calls_formal_check_job_leads_back_to_its_call(call, admin_user):
    from kechuang.jobs.queue import enqueue, subject_of

    job = enqueue("projects.formal_check", params={"call_id": call.pk, "user_id": admin_user.pk})
    assert subject_of(job) == {"label": f"回到申报指南：{call.name}", "url": f"/projects/calls/{call.pk}/"}
