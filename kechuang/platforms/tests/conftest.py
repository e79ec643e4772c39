import datetime as dt

import pytest
from django.utils import timezone

from kechuang.accounts.models import Role
from kechuang.platforms import services
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
from kechuang.registry.models import OrganisationKind
from kechuang.talent.tests.conftest import experts  # noqa: F401  (three experts of three universities)
from kechuang.testing import make_org, make_user

TODAY = timezone.localdate()
WAN = 1_000_000
GOOD = {
    "revenue_fen": 2000 * WAN,
    "rd_spending_fen": 500 * WAN,
    "staff": 100,
    "rd_staff": 40,
    "premises_m2": 1200,
}


@pytest.fixture
def lab(db):
    """A research organisation in 南宁 (青秀区) set up two years ago."""
    return make_org(
        "广西智能制造研究院有限公司",
        kind=OrganisationKind.INSTITUTE,
        established_on=TODAY - dt.timedelta(days=800),
    )


@pytest.fixture
def lab_admin(lab):
    return make_user("lab_admin", org=lab, role=Role.ORG_ADMIN)


@pytest.fixture
def nanning_official(city_bureaus):  # noqa: F811
    return make_user("nn_platforms", org=city_bureaus["450100"], role=Role.REVIEWER, city="450100")


def pass_review(app):
    """The expert review and the site visit on the review engine, both passed."""
    from kechuang.review.models import StageKind
    from kechuang.review.services import do_close_stage, do_decide

    app.refresh_from_db()
    process = app.review_submission.process
    for kind in (StageKind.ONLINE, StageKind.HEARING):
        stage = process.stages.get(kind=kind)
        app.review_submission.refresh_from_db()
        do_decide(stage, app.review_submission, acting_user=None, passed=True, reason="专家组一致同意")
        do_close_stage(stage, acting_user=None)


@pytest.fixture
def recognised(lab_admin, nanning_official, reviewer):
    def make(kind="new_rd", figures=None):
        app = services.do_apply_institution(acting_user=lab_admin, kind=kind, figures=figures or dict(GOOD))
        services.do_recommend(app, acting_user=nanning_official, recommended=True, note="同意推荐")
        services.do_formal_check(app, acting_user=reviewer, passed=True, note="材料齐全")
        pass_review(app)
        services.do_decide(
            app, acting_user=reviewer, approved=True, note="厅务会审议通过", site_visit_note="场地设备属实"
        )
        services.do_start_notice(acting_user=reviewer, start=TODAY)
        app.refresh_from_db()
        return services.do_recognise(app, acting_user=reviewer, today=app.notice_end + dt.timedelta(days=1))

    return make


def expert_review(institution, year, experts, marks, *, office):  # noqa: F811
    """The year's expert review on the review engine for `institution`: the experts score `marks` (one each, on
    every criterion of the rubric)."""
    from kechuang.talent.expert_review import play_review

    services.do_open_expert_review(
        year, acting_user=office, institutions=type(institution).objects.filter(pk=institution.pk)
    )
    from kechuang.platforms.models import ExpertReview

    process = ExpertReview.objects.get(year=year).process
    play_review(process.submissions.get(subject_id=institution.pk), experts, marks, close=False)
