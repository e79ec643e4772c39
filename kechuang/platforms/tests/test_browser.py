"""In Debian's Chromium: one institution from its application to a graded evaluation — the organisation checks
itself against the criteria and applies, the city recommends, the department checks it (the expert review and the
site visit run on the review engine, tested on their own), approves, publishes the notice and recognises it with a
number; the institution reports its year and the department evaluates it with every point explained."""

import datetime as dt

import pytest
from django.utils import timezone

from kechuang.platforms.models import (
    ApplicationStatus,
    Evaluation,
    ExpertReview,
    Institution,
    InstitutionApplication,
)
from kechuang.platforms.tests.conftest import pass_review
from kechuang.talent.expert_review import play_review
from kechuang.talent.tests.test_browser import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate()


def test_institution_from_recognition_to_graded_evaluation(
    chromium, live_server, lab, lab_admin, nanning_official, reviewer, experts
):
    org = signed_in(chromium, live_server, lab_admin)
    org.goto(f"{live_server.url}/")
    org.click("nav >> text=平台与机构")
    org.click("text=申请机构认定")
    org.fill("input[name=revenue_fen]", "2000")
    org.fill("input[name=rd_spending_fen]", "500")
    org.fill("input[name=staff]", "100")
    org.fill("input[name=rd_staff]", "20")
    org.fill("input[name=premises_m2]", "1200")
    org.click("button:has-text('自查')")
    org.wait_for_load_state()
    assert org.locator("[data-passed=False]").count() == 1  # R&D staff 20% < 30%
    org.fill("input[name=rd_staff]", "40")
    org.click("button:has-text('提交申请')")
    org.wait_for_load_state()
    app = InstitutionApplication.objects.get()

    city = signed_in(chromium, live_server, nanning_official)
    city.goto(f"{live_server.url}/platforms/applications/{app.pk}/")
    city.click("button:has-text('推荐')")
    city.wait_for_load_state()

    office = signed_in(chromium, live_server, reviewer)
    office.goto(f"{live_server.url}/platforms/applications/{app.pk}/")
    office.click("button:has-text('形式审查通过')")
    office.wait_for_load_state()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.IN_REVIEW
    pass_review(app)
    office.goto(f"{live_server.url}/platforms/applications/{app.pk}/")
    office.fill("input[name=site_visit_note]", "场地设备与申报一致")
    office.click("button:has-text('审议通过')")
    office.wait_for_load_state()
    office.goto(f"{live_server.url}/platforms/")
    office.click("button:has-text('发布认定公示')")
    office.wait_for_load_state()
    InstitutionApplication.objects.filter(pk=app.pk).update(
        notice_start=TODAY - dt.timedelta(days=14), notice_end=TODAY - dt.timedelta(days=1)
    )
    office.goto(f"{live_server.url}/platforms/applications/{app.pk}/")
    office.click("button:has-text('公示期满，认定并编号')")
    office.wait_for_load_state()
    institution = Institution.objects.get()
    assert institution.number in office.inner_text("body")

    org.goto(f"{live_server.url}/platforms/institutions/{institution.pk}/")
    org.fill("input[name=year]", str(TODAY.year))
    org.fill("input[name=rd_spending_fen]", "800")
    org.fill("input[name=rd_share_bp]", "2500")
    org.fill("input[name=rd_staff_share_bp]", "4000")
    org.fill("input[name=incubated]", "6")
    org.click("button:has-text('报送')")
    org.wait_for_load_state()

    office.goto(f"{live_server.url}/platforms/evaluation/?year={TODAY.year}")
    office.click("button:has-text('送专家评议')")
    office.wait_for_load_state()
    # the experts score on the review engine (its own pages are tested with it): 90, 100 and 80
    process = ExpertReview.objects.get(year=TODAY.year).process
    play_review(process.submissions.get(subject_id=institution.pk), experts, [9, 10, 8], close=False)
    office.click("button:has-text('评估（重新计算）')")
    office.wait_for_load_state()
    evaluation = Evaluation.objects.get()
    assert (evaluation.total_centi, evaluation.grade) == (6750, "C")
    org.goto(f"{live_server.url}/platforms/institutions/{institution.pk}/")
    assert org.locator("[data-grade=C]").count() == 1
    text = org.inner_text("body")
    assert "专家评议得分（专家评议）：90，满分线 100，得 22.50 分" in text and "合计 67.50 分" in text
