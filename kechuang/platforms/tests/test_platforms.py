"""Platforms and institutions: the ministry list import, recognition with criteria as rules and a recognition number,
the classified evaluation with every point explained, and the grade's post-funding paid through the payout
workflow."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kechuang.errors import DomainError
from kechuang.jobs.queue import run_pending
from kechuang.platforms import evaluation as ev
from kechuang.platforms import rules, services
from kechuang.platforms.errors import PlatformError
from kechuang.platforms.models import ApplicationStatus, Evaluation, Platform
from kechuang.platforms.tests.conftest import GOOD, TODAY, WAN, expert_review
from kechuang.policy import services as policy
from kechuang.registry.models import IndicatorValue

pytestmark = pytest.mark.django_db


def test_import_creates_updates_and_reports_each_refused_row(reviewer, acme):
    csv = (
        "平台名称,类型,级别,依托单位,依托单位统一社会信用代码,批准年份,批准文件\n"
        f"广西甘蔗遗传改良重点实验室,重点实验室,自治区级,广西大学,,2015,桂科基字〔2015〕1号\n"
        f"国家非粮生物质能源工程技术研究中心,工程技术研究中心,国家级,{acme.name},{acme.credit_code},2008,国科发计字〔2008〕\n"
        "某平台,火箭基地,国家级,某单位,,2010,\n"
        "另一平台,孵化器,国家级,某单位,,公元二零一零,\n"
    ).encode()
    report = services.do_import_platforms(csv, "list.csv", acting_user=reviewer)
    assert (report.created, report.updated) == (2, 0)
    assert [e["row"] for e in report.errors] == [4, 5]
    assert Platform.objects.get(kind="engineering_centre").host_id == acme.pk
    again = services.do_import_platforms(csv, "list.csv", acting_user=reviewer)
    assert (again.created, again.updated) == (0, 2)


def test_missing_figures_and_unmet_criteria_are_refused_with_reasons(lab_admin):
    with pytest.raises(DomainError) as exc:
        services.do_apply_institution(acting_user=lab_admin, kind="new_rd", figures={"staff": 10})
    assert (
        exc.value.code == PlatformError.EVIDENCE_MISSING and "rd_spending_fen" in exc.value.details["missing"]
    )
    weak = {**GOOD, "rd_staff": 10}
    with pytest.raises(DomainError) as exc:
        services.do_apply_institution(acting_user=lab_admin, kind="new_rd", figures=weak)
    assert exc.value.code == PlatformError.CRITERIA_NOT_MET and exc.value.details["failed"] == [
        "rd_staff_share"
    ]
    assert "10.00%" in exc.value.message and "30.00%" in exc.value.message


def test_recognition_end_to_end_gives_a_number(recognised, lab):
    institution = recognised()
    assert institution.number == f"桂新研〔{institution.recognised_on.year}〕001号"
    assert institution.application.status == ApplicationStatus.RECOGNISED
    assert all(c["passed"] for c in institution.application.criteria)


def test_only_the_organisations_city_recommends_and_approval_needs_the_review(
    lab_admin, liuzhou_reviewer, nanning_official, reviewer
):
    app = services.do_apply_institution(acting_user=lab_admin, kind="new_rd", figures=dict(GOOD))
    with pytest.raises(PermissionDenied):
        services.do_recommend(app, acting_user=liuzhou_reviewer, recommended=True)
    services.do_recommend(app, acting_user=nanning_official, recommended=True)
    services.do_formal_check(app, acting_user=reviewer, passed=True)
    with pytest.raises(DomainError) as exc:
        services.do_decide(app, acting_user=reviewer, approved=True)
    assert exc.value.code == PlatformError.REVIEW_REQUIRED
    with pytest.raises(DomainError) as exc:  # a second application for the same recognition
        services.do_apply_institution(acting_user=lab_admin, kind="new_rd", figures=dict(GOOD))
    assert exc.value.code == PlatformError.ALREADY


def test_evaluation_explains_every_point_and_the_grade(recognised, lab_admin, reviewer, experts):
    institution = recognised()
    year = TODAY.year
    services.do_report_indicators(
        institution,
        acting_user=lab_admin,
        year=year,
        figures={
            "rd_spending_fen": 800 * WAN,
            "rd_share_bp": 2500,
            "rd_staff_share_bp": 4000,
            "incubated": 6,
        },
    )
    services.do_evaluate(year, acting_user=reviewer)
    assert Evaluation.objects.get(institution=institution, year=year).expert_score is None  # no review yet
    expert_review(institution, year, experts, [9, 10, 8], office=reviewer)  # rubric totals 90, 100, 80
    services.do_evaluate(year, acting_user=reviewer)
    e = Evaluation.objects.get(institution=institution, year=year)
    lines = {line["code"]: line for line in e.explanation}
    # 800/1000 × 20 = 16; 15 (capped); 4000/5000 × 10 = 8; 6/10 × 10 = 6; platforms 0; talents 0; 90 × 25% = 22.5
    assert lines["rd_spending_fen"]["points_centi"] == 1600
    assert lines["rd_share_bp"]["points_centi"] == 1500
    assert lines["rd_staff_share_bp"]["points_centi"] == 800
    assert lines["expert"]["points_centi"] == 2250
    assert e.total_centi == 1600 + 1500 + 800 + 600 + 2250 == 6750
    assert (
        e.grade == "C"
        and e.post_funding_fen == rules.evaluation()["categories"]["new_rd"]["post_funding"]["C"]
    )
    assert "未报送" not in lines["incubated"]["text"] and "合计 67.50 分" in lines["grade"]["text"]


def test_grade_drives_post_funding_through_the_payout_workflow(
    recognised, lab, lab_admin, reviewer, chain, experts
):
    institution = recognised()
    year = TODAY.year
    services.do_report_indicators(
        institution,
        acting_user=lab_admin,
        year=year,
        figures={
            "rd_spending_fen": 1200 * WAN,
            "rd_share_bp": 3000,
            "rd_staff_share_bp": 6000,
            "incubated": 12,
        },
    )
    expert_review(institution, year, experts, [10, 10, 10], office=reviewer)
    services.do_evaluate(year, acting_user=reviewer)
    e = Evaluation.objects.get(institution=institution)
    assert e.grade == "B"  # 80 points: the platform data (no platforms, no talents) keeps it from A
    services.do_start_evaluation_notice(year, acting_user=reviewer, start=TODAY)
    e.refresh_from_db()
    with pytest.raises(DomainError):
        services.do_finalise_evaluations(year, acting_user=reviewer, today=e.notice_end)
    services.do_finalise_evaluations(year, acting_user=reviewer, today=e.notice_end + dt.timedelta(days=1))
    due = IndicatorValue.objects.get(organisation=lab, indicator_id="institution_post_funding_due", year=year)
    assert due.value == e.post_funding_fen == 150 * WAN
    programme = policy.do_create_programme(
        "机构评估后补助", ["institution_post_funding"], acting_user=reviewer
    )
    fund = policy.do_create_fund(programme, "资金", year, 1000 * WAN, acting_user=reviewer)
    round_ = policy.do_create_round(fund, "批次", year=year, budget_fen=1000 * WAN, acting_user=reviewer)
    policy.do_screen_round(round_, acting_user=reviewer)
    run_pending()
    [candidate] = round_.candidates.all()
    assert candidate.organisation_id == lab.pk and candidate.computed_fen == 150 * WAN
    chain.to_notice(round_)
    chain.approve(round_)
    batch = chain.pay(round_)
    assert batch.payments.get().amount_fen == 150 * WAN
    with pytest.raises(DomainError):  # the final grade's report cannot change afterwards
        services.do_report_indicators(
            institution, acting_user=lab_admin, year=year, figures={"incubated": 99}
        )


def test_evaluation_is_monotone_and_bounded():
    spec = rules.evaluation()
    category = spec["categories"]["transfer"]
    rows = [
        {"contract_turnover_fen": None if v is None else v * WAN, "contracts": c, "brokers": b, "expert": x}
        for v, c, b, x in [(0, 0, 0, 0), (100, 10, 2, 50), (6000, 200, 30, 100), (None, None, None, None)]
    ]
    results = ev.evaluate_many(category, spec["grades"], rows)
    assert [r.total_centi for r in results][:3] == sorted(r.total_centi for r in results[:3])
    assert results[2].total_centi == 10000 and results[2].grade == "A"
    assert results[3].total_centi == 0 and "未报送" in results[3].lines[0]["text"]
    for r in results:
        assert r.total_centi == sum(line["points_centi"] for line in r.lines[:-1])


def test_pages(client, recognised, reviewer, lab_admin, outsider):
    institution = recognised()
    client.force_login(lab_admin)
    assert client.get(reverse("platforms:institution", args=[institution.pk])).status_code == 200
    assert client.get(reverse("platforms:evaluation")).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("platforms:institution", args=[institution.pk])).status_code == 404
    assert client.get(reverse("platforms:home")).status_code == 403
    client.force_login(reviewer)
    for name in ("platforms:home", "platforms:evaluation", "platforms:export"):
        assert client.get(reverse(name)).status_code == 200, name
    client.logout()
    assert client.get(reverse("platforms:notice")).status_code == 200


def test_demo_seeds_through_the_services(db):
    from kechuang.platforms.demo import seed_demo
    from kechuang.registry.demo import create_demo_accounts, generate_province

    generate_province(enterprises=20, seed=5, years=range(2024, 2025), with_accounts=False)
    create_demo_accounts()
    assert "institutions evaluated" in seed_demo(seed=5)
    assert Evaluation.objects.filter(state="notice").exists()
    assert seed_demo(seed=5) == "already present"


def test_the_kpi_monitor_counts_national_platforms_on_their_dates(reviewer, acme):
    from kechuang.kpi.sources import all_sources, check_params

    csv = (
        "平台名称,类型,级别,依托单位,依托单位统一社会信用代码,批准年份,批准日期\n"
        f"国家甲重点实验室,重点实验室,国家级,{acme.name},{acme.credit_code},2019,2019-06-18\n"
        "国家乙工程中心,工程技术研究中心,国家级,某大学,,2020,\n"
        "自治区丙实验室,重点实验室,自治区级,某大学,,2019,\n"
        "国家丁中心,工程技术研究中心,国家级,某大学,,2019,2018-03-01\n"
    ).encode()
    report = services.do_import_platforms(csv, "list.csv", acting_user=reviewer)
    assert [e["row"] for e in report.errors] == [5]  # the date contradicts the year
    source = all_sources()["platforms.national_recognitions"]
    rows = list(
        source.records(check_params(source, {}), dt.date(2018, 1, 1), dt.date(2020, 12, 31)).values(
            *source.fields
        )
    )
    assert [r["name"] for r in rows] == ["国家甲重点实验室", "国家乙工程中心"]
    assert "2019-06-18" in source.explain(rows[0], {}) and "1 月 1 日" in source.explain(rows[1], {})
