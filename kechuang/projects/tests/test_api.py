"""The projects API from call to acceptance: the same services and permission rules as the pages, refusals as
error codes; the result offered to the market on acceptance and counted for the KPIs."""

import datetime as dt

import pytest
from django.utils import timezone

from kechuang.projects import services, stats
from kechuang.projects.models import ApplicationStatus, ContractStatus, ResultStatus
from kechuang.projects.testing import WAN, budget, make_experts, open_call, project_fund, review_through
from kechuang.projects.tests.test_lifecycle import end_notice, pay_round

JSON = "application/json"


@pytest.fixture
def call(admin_user, department):
    return open_call(admin_user, department)


def test_a_manager_opens_a_call_and_a_unit_applies(client, reviewer, alice, bob, city_bureau, department):
    line = open_call(reviewer, department).line
    client.force_login(alice)
    body = {
        "line_id": line.pk,
        "year": 2027,
        "name": "2027 年度广西重点研发计划",
        "deadline": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
        "topics": [{"code": "T01", "title": "甘蔗收获机械", "budget_fen": 300 * WAN}],
    }
    assert client.post("/api/projects/calls", body, content_type=JSON).status_code == 403
    client.force_login(reviewer)
    created = client.post("/api/projects/calls", body, content_type=JSON)
    assert created.status_code == 201, created.content
    call = created.json()
    assert call["topics"][0]["budget_fen"] == 300 * WAN and call["status"] == "open"

    client.force_login(alice)
    application = {
        "topic_id": call["topics"][0]["id"],
        "recommender_id": city_bureau.pk,
        "title": "甘蔗智能收获装备研发",
        "summary": "研制丘陵甘蔗收获机。",
        "pi_name": "韦强",
        "targets": ["样机 1 台"],
        "budget": {"equipment": 80 * WAN, "materials": 20 * WAN},
    }
    over = client.post(f"/api/projects/calls/{call['id']}/applications", application, content_type=JSON)
    assert over.status_code == 422 and over.json()["code"] == "project_budget_share_exceeded"
    application["budget"] = budget(100 * WAN)
    made = client.post(f"/api/projects/calls/{call['id']}/applications", application, content_type=JSON)
    assert made.status_code == 201 and made.json()["fiscal_fen"] == 100 * WAN
    app_id = made.json()["id"]
    early = client.post(f"/api/projects/applications/{app_id}/submit")
    assert early.json()["code"] == "project_integrity_pledge_missing"
    client.force_login(bob)  # another unit sees nothing of it
    assert client.get(f"/api/projects/applications/{app_id}").status_code == 404
    assert client.get(f"/api/projects/applications/{app_id}/formal-check").status_code == 404


def test_from_application_to_accepted_project_and_its_result_on_the_market(
    client, call, alice, bob, reviewer, endorser, city_bureau, money_people
):
    app = services.do_create_application(
        call,
        acting_user=alice,
        topic=call.topics.get(),
        recommender=city_bureau,
        title="甘蔗智能收获装备研发",
        summary="研制丘陵甘蔗收获机，突破切割剥叶关键技术。",
        pi_name="韦强",
        targets=["样机 1 台"],
        budget=budget(200 * WAN),
        fiscal_fen=200 * WAN,
    )
    client.force_login(alice)
    assert client.post(f"/api/projects/applications/{app.pk}/pledge").json()["pledge_signed"] is True
    assert client.post(f"/api/projects/applications/{app.pk}/submit").json()["status"] == "submitted"
    assert (
        client.post(f"/api/projects/applications/{app.pk}/endorse", {}, content_type=JSON).status_code == 403
    )
    client.force_login(endorser)
    endorsed = client.post(
        f"/api/projects/applications/{app.pk}/endorse", {"note": "同意"}, content_type=JSON
    )
    assert endorsed.json()["endorsed"] is True
    client.force_login(reviewer)
    checked = client.post(f"/api/projects/applications/{app.pk}/formal-check")
    assert checked.status_code == 200 and checked.json()["status"] == ApplicationStatus.FORMAL_PASSED
    result = client.get(f"/api/projects/applications/{app.pk}/formal-check").json()
    assert result["passed"] is True and result["reasons"] == []
    make_experts(3)
    assert client.post(f"/api/projects/calls/{call.pk}/review").json() == {"count": 1}
    early = client.post(f"/api/projects/calls/{call.pk}/rank")
    assert early.status_code == 409  # the review has not finished
    call.refresh_from_db()
    review_through(call.review_process, reviewer)
    ranked = client.post(f"/api/projects/calls/{call.pk}/rank").json()
    assert [r["rank"] for r in ranked] == [1]
    over = client.post(
        f"/api/projects/calls/{call.pk}/decision",
        {
            "decision_no": "桂科厅会〔2026〕12号",
            "funded": [{"application_id": app.pk, "amount_fen": 201 * WAN}],
        },
        content_type=JSON,
    )
    assert over.status_code == 422 and over.json()["code"] == "project_funding_over_asked"
    decided = client.post(
        f"/api/projects/calls/{call.pk}/decision", {"decision_no": "桂科厅会〔2026〕12号"}, content_type=JSON
    )
    assert decided.json()["status"] == "notice"

    client.logout()  # the public notice and an objection need no login
    notice = client.get(f"/api/projects/notices/{call.pk}").json()
    assert notice["open"] and notice["rows"][0]["funded_fen"] == 200 * WAN
    objected = client.post(
        f"/api/projects/notices/{call.pk}/objections",
        {"application_id": app.pk, "name": "张三", "contact": "13800000000", "text": "请核实样机。"},
        content_type=JSON,
    )
    assert objected.status_code == 201
    client.force_login(reviewer)
    running = client.post(f"/api/projects/calls/{call.pk}/confirm")
    assert running.status_code == 409 and running.json()["code"] == "project_notice_running"
    [objection] = client.get(f"/api/projects/calls/{call.pk}/objections").json()
    answered = client.post(
        f"/api/projects/objections/{objection['id']}/answer",
        {"upheld": False, "answer": "经核实不成立。"},
        content_type=JSON,
    )
    assert answered.json()["status"] == "dismissed"
    end_notice(call)
    assert client.post(f"/api/projects/calls/{call.pk}/confirm").json()["status"] == "decided"

    today = timezone.localdate()
    made = client.post(
        f"/api/projects/applications/{app.pk}/contract",
        {"starts_on": today.isoformat(), "ends_on": (today + dt.timedelta(days=730)).isoformat()},
        content_type=JSON,
    )
    assert made.status_code == 201, made.content
    contract = made.json()
    assert sum(contract["budget"].values()) == contract["fiscal_fen"] == 200 * WAN
    cid = contract["id"]
    assert client.post(f"/api/projects/contracts/{cid}/sign").status_code == 409  # the unit signs first
    client.force_login(alice)
    client.post(f"/api/projects/contracts/{cid}/sign")
    client.force_login(bob)
    assert client.get(f"/api/projects/contracts/{cid}").status_code == 404
    assert client.get(f"/api/projects/contracts/{cid}/milestones").status_code == 404
    client.force_login(reviewer)
    assert client.post(f"/api/projects/contracts/{cid}/sign").json()["status"] == ContractStatus.RUNNING

    fund = project_fund(reviewer, year=today.year)
    assert (
        client.post(f"/api/projects/calls/{call.pk}/fund", {"fund_id": fund.pk}, content_type=JSON).json()[
            "fund_id"
        ]
        == fund.pk
    )
    rounds = client.post(f"/api/projects/calls/{call.pk}/payments")
    assert rounds.status_code == 201 and len(rounds.json()) == 1
    milestones = client.get(f"/api/projects/contracts/{cid}/milestones").json()
    assert [m["state"] for m in milestones] == ["in_payment", "waiting", "waiting"]
    assert sum(m["amount_fen"] for m in milestones) == 200 * WAN
    from kechuang.policy.models import Round

    pay_round(Round.objects.get(pk=rounds.json()[0]["id"]), reviewer, money_people)
    first = client.get(f"/api/projects/contracts/{cid}/milestones").json()[0]
    assert first["state"] == "paid" and first["paid_fen"] == first["amount_fen"] == 120 * WAN

    client.force_login(alice)
    midterm = next(
        r for r in client.get(f"/api/projects/contracts/{cid}/reports").json() if r["kind"] == "midterm"
    )
    sent = client.post(
        f"/api/projects/reports/{midterm['id']}/submit",
        {
            "text": "样机完成设计。",
            "progress": [{"target": "样机 1 台", "percent": 60}],
            "spent_fen": 90 * WAN,
        },
        content_type=JSON,
    )
    assert sent.json()["status"] == "submitted"
    refused = client.post(
        f"/api/projects/contracts/{cid}/changes",
        {"kind": "budget", "reason": "购置设备", "budget": {"equipment": 200 * WAN}},
        content_type=JSON,
    )
    assert refused.status_code == 422 and refused.json()["code"] == "project_budget_share_exceeded"
    asked = client.post(
        f"/api/projects/contracts/{cid}/changes",
        {"kind": "time", "reason": "延期", "ends_on": (today + dt.timedelta(days=800)).isoformat()},
        content_type=JSON,
    )
    assert asked.status_code == 201
    client.force_login(reviewer)
    client.post(f"/api/projects/reports/{midterm['id']}/check", {"passed": True}, content_type=JSON)
    no_reason = client.post(
        f"/api/projects/changes/{asked.json()['id']}/decide", {"approve": False}, content_type=JSON
    )
    assert no_reason.status_code == 422
    decided = client.post(
        f"/api/projects/changes/{asked.json()['id']}/decide", {"approve": True}, content_type=JSON
    ).json()
    assert decided["status"] == "approved" and decided["before"]["ends_on"] == contract["ends_on"]

    client.force_login(alice)
    applied = client.post(
        f"/api/projects/contracts/{cid}/acceptance",
        {
            "final_report": "样机通过测试，申请发明专利 2 件。",
            "audit_report_no": "桂审专〔2028〕8号",
            "audit_firm": "广西某会计师事务所",
            "spent_fen": 190 * WAN,
            "outcomes": [{"target": "样机 1 台", "percent": 100}],
        },
        content_type=JSON,
    )
    assert applied.status_code == 201
    late = client.post(
        f"/api/projects/contracts/{cid}/changes", {"kind": "time", "reason": "x"}, content_type=JSON
    )
    assert late.status_code == 409 and late.json()["code"] == "project_change_after_acceptance"
    client.force_login(reviewer)
    sent = client.post(f"/api/projects/contracts/{cid}/acceptance/review").json()
    from kechuang.review.models import ReviewProcess

    review_through(ReviewProcess.objects.get(pk=sent["review_process_id"]), reviewer)
    concluded = client.post(
        f"/api/projects/contracts/{cid}/acceptance/decision",
        {"passed": True, "note": "完成任务书指标"},
        content_type=JSON,
    ).json()
    assert concluded["conclusion"] == "passed" and concluded["decided_on"] == today.isoformat()

    # the result is offered to the unit, not published for it
    [offer] = client.get(f"/api/projects/contracts/{cid}/results").json()
    assert offer["status"] == ResultStatus.OFFERED and offer["listing_id"] is None
    assert "样机通过测试" in offer["summary"]
    assert (
        client.post(f"/api/projects/results/{offer['id']}/confirm", {"trl": 6}, content_type=JSON).status_code
        == 403
    )
    client.force_login(bob)
    assert (
        client.post(f"/api/projects/results/{offer['id']}/confirm", {"trl": 6}, content_type=JSON).status_code
        == 404
    )
    client.force_login(alice)
    listed = client.post(f"/api/projects/results/{offer['id']}/confirm", {"trl": 6}, content_type=JSON).json()
    assert listed["status"] == ResultStatus.LISTED
    from kechuang.techmarket.models import Listing

    listing = Listing.objects.get(pk=listed["listing_id"])
    assert listing.owner_id == alice.organisation_id and listing.kind == "achievement"
    assert listing.status == "pending"  # the market's own review publishes it
    again = client.post(f"/api/projects/results/{offer['id']}/decline", {}, content_type=JSON)
    assert again.status_code == 409

    # what the KPIs count
    assert list(stats.accepted_projects(today, today).values_list("pk", flat=True)) == [cid]
    assert stats.accepted_projects(today, today, city="450200").count() == 0  # acme is in 南宁
    assert stats.accepted_projects(today + dt.timedelta(days=1), today + dt.timedelta(days=9)).count() == 0
    assert stats.listed_results(today, today).get().listing_id == listing.pk
    from kechuang.kpi.sources import get_source

    for name in ("projects.accepted", "projects.results_listed"):
        source = get_source(name)
        [row] = source.records({}, today, today, alice.organisation.city_id).values(*source.fields)
        assert (
            contract["number"] in source.explain(row, {})
            and source.link(row) == f"/projects/contracts/{cid}/"
        )


def test_overseas_centres_through_the_api(client, alice, bob, reviewer):
    client.force_login(alice)
    body = {
        "name": "越南甘蔗研发中心",
        "host_country": "CN",
        "filing_no": "境外投资证第N4500202000001号",
        "established_on": "2020-05-01",
    }
    assert client.post("/api/projects/centres", body, content_type=JSON).status_code == 422
    made = client.post("/api/projects/centres", body | {"host_country": "vn"}, content_type=JSON)
    assert made.status_code == 201 and made.json()["host_country"] == "VN"
    cid = made.json()["id"]
    report = {"year": 2025, "staff": 40, "new_products": 3, "sales_fen": 5_000 * WAN, "patents": 2}
    assert client.post(f"/api/projects/centres/{cid}/reports", report, content_type=JSON).status_code == 201
    client.force_login(bob)
    assert client.get(f"/api/projects/centres/{cid}").status_code == 404
    assert client.post(f"/api/projects/centres/{cid}/reports", report, content_type=JSON).status_code == 404
    client.force_login(reviewer)  # province-wide officials see every centre, and report for none
    assert client.get(f"/api/projects/centres/{cid}").json()["reports"][0]["staff"] == 40
    assert client.post(f"/api/projects/centres/{cid}/reports", report, content_type=JSON).status_code == 403
