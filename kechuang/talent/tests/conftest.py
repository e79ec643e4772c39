import datetime as dt

import pytest
from django.utils import timezone

from kechuang.accounts.models import Role
from kechuang.policy.tests.conftest import (  # noqa: F401  (the payout chain's people, reused)
    chain,
    city_bureaus,
    departments,
    finance_approver,
    local_reviewers,
    payer,
    reconciler,
    signers,
)
from kechuang.talent import services
from kechuang.testing import make_user

TODAY = timezone.localdate()
EVIDENCE = {"contract": "HT-2025-001", "social_insurance": "SB-450100-778", "tax": "GS-2025-3321"}


def id_number(seq: int) -> str:
    """A valid 18-character resident ID (GB 11643 check digit) for test person `seq`."""
    from kechuang.codes import resident_id_check_char

    body = f"45010219850101{seq:03d}"
    return body + resident_id_check_char(body)


@pytest.fixture
def qingxiu(city_bureaus):  # noqa: F811  (the fixture imported above)
    """A county-level reviewer whose area covers acme (青秀区, 南宁)."""
    return make_user("qx_talent", org=city_bureaus["450100"], role=Role.REVIEWER, city="450103")


@pytest.fixture
def apply_for(alice):
    def make(seq=1, *, level="C", credential="jieqing", user=None, **extra):
        values = {
            "name": f"人才{seq}",
            "id_number": id_number(seq),
            "level": level,
            "credential": credential,
            "contract_start": TODAY - dt.timedelta(days=30),
            "contract_end": TODAY + dt.timedelta(days=5 * 366),
            "evidence": dict(EVIDENCE),
        }
        values.update(extra)
        return services.do_apply(acting_user=user or alice, **values)

    return make


@pytest.fixture
def recognise(apply_for, qingxiu, reviewer):
    """Apply, pre-check, recognise, notice and certify one person; returns the recognised application."""

    def make(seq=1, **extra):
        app = apply_for(seq, **extra)
        services.do_precheck(app, acting_user=qingxiu, passed=True, note="材料齐全")
        services.do_recognise(app, acting_user=reviewer)
        services.do_start_notice(acting_user=reviewer)
        app.refresh_from_db()
        return services.do_certify(app, acting_user=reviewer, today=app.notice_end + dt.timedelta(days=1))

    return make


@pytest.fixture
def experts(db):
    """Three registered review experts, each of its own university (none of an employer in these tests)."""
    from kechuang.registry.models import OrganisationKind
    from kechuang.review.services import do_register_expert
    from kechuang.testing import make_org

    users = []
    for i, name in enumerate(("广西大学", "广西师范大学", "桂林理工大学")):
        org = make_org(name, kind=OrganisationKind.UNIVERSITY, registration="12", industry=None)
        user = make_user(f"bagui_expert{i}", org=org, role=Role.EXPERT)
        do_register_expert(
            user, acting_user=None, organisation=org, disciplines=[], profile_text="作物遗传育种"
        )
        users.append(user)
    return users


@pytest.fixture
def scholar(experts):
    """A post through its expert review and an applicant through the written review and the hearing on the review
    engine (each expert marking `marks` on every criterion), ending with the engine's scores taken."""
    from kechuang.talent.expert_review import play_review
    from kechuang.talent.services import bagui

    def make(post, office, name, id_no, *, written=(9, 9, 8), hearing=(9, 10, 9)):
        post.refresh_from_db()
        if post.state == "applied":
            play_review(post.review_submission, experts, [9, 9, 9])
            bagui.do_review_post(post, acting_user=office, approved=True, note="岗位设置合理")
        appt = bagui.do_add_applicant(post, acting_user=office, name=name, id_number=id_no)
        play_review(appt.review_submission, experts, list(written))
        play_review(appt.review_submission, experts, list(hearing))
        return bagui.do_take_review_scores(appt, acting_user=office)

    return make
