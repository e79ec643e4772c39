"""The awards API and the new pages call the same services with the same permission rules."""

import datetime as dt

import pytest

from kechuang.awards.models import AwardObjection, NationalAward, Nomination
from kechuang.awards.services import do_propose_grade, do_start_notice
from kechuang.awards.tests.test_awards import TODAY, walk_to_committee_pass
from kechuang.awards.tests.test_payouts import approved_call
from kechuang.policy.models import Candidate

JSON = "application/json"


def test_nominate_object_respond_and_answer_through_the_api(client, call, alice, bob, admin_user, department):
    client.force_login(alice)
    body = {
        "category": "st_progress",
        "title": "面向东盟的甘蔗智能收获装备",
        "summary": "甘蔗收获机械化关键技术及产业化应用",
        "contributors": [{"name": "韦强"}, {"name": "覃丽"}],
    }
    created = client.post(f"/api/awards/calls/{call.pk}/nominations", body, content_type=JSON)
    assert created.status_code == 201, created.content
    nomination = Nomination.objects.get(pk=created.json()["id"])
    again = client.post(
        f"/api/awards/calls/{call.pk}/nominations", body | {"title": "另一个"}, content_type=JSON
    )
    assert again.status_code == 409 and again.json()["code"] == "award_person_in_two_nominations"
    # a nominator cannot run the call's steps
    assert (
        client.post(
            f"/api/awards/nominations/{nomination.pk}/grade", {"grade": "first"}, content_type=JSON
        ).status_code
        == 404
    )
    client.force_login(bob)
    assert client.get(f"/api/awards/calls/{call.pk}").json()["nominations"] == []
    walk_to_committee_pass(call, nomination, admin_user, department)
    client.force_login(admin_user)
    graded = client.post(
        f"/api/awards/nominations/{nomination.pk}/grade", {"grade": "first"}, content_type=JSON
    )
    assert graded.status_code == 200 and graded.json()["prize_fen"] == 20_000_000
    assert client.post(f"/api/awards/calls/{call.pk}/notice").status_code == 200
    client.logout()
    notice = client.get(f"/api/awards/notices/{call.pk}")
    assert (
        notice.status_code == 200
        and notice.json()["open"]
        and notice.json()["rows"][0]["title"] == body["title"]
    )
    objection = client.post(
        f"/api/awards/notices/{call.pk}/objections",
        {
            "nomination_id": nomination.pk,
            "name": "张三",
            "contact": "13800000000",
            "text": "应用证明存在问题，请核实。",
        },
        content_type=JSON,
    )
    assert objection.status_code == 201
    oid = objection.json()["id"]
    client.force_login(bob)
    assert (
        client.post(
            f"/api/awards/objections/{oid}/response", {"text": "不是本单位项目的说明"}, content_type=JSON
        ).status_code
        == 404
    )
    client.force_login(alice)
    answered = client.post(
        f"/api/awards/objections/{oid}/response",
        {"text": "应用证明由用户单位出具，附合同。"},
        content_type=JSON,
    )
    assert answered.status_code == 200 and answered.json()["response"]
    assert (
        client.post(
            f"/api/awards/objections/{oid}/answer", {"upheld": False, "answer": "x"}, content_type=JSON
        ).status_code
        == 403
    )
    client.force_login(admin_user)
    done = client.post(
        f"/api/awards/objections/{oid}/answer",
        {"upheld": False, "answer": "经核实，证明真实。"},
        content_type=JSON,
    )
    assert done.status_code == 200 and done.json()["status"] == AwardObjection.Status.DISMISSED


def test_the_rebuttal_through_the_api_shows_reviews_without_names(
    client, call, alice, admin_user, department
):
    from kechuang.review.models import StageKind
    from kechuang.review.services import do_close_stage

    client.force_login(alice)
    created = client.post(
        f"/api/awards/calls/{call.pk}/nominations",
        {
            "category": "st_progress",
            "title": "糖厂节能",
            "summary": "甘蔗制糖节能",
            "contributors": [{"name": "黄敏"}],
        },
        content_type=JSON,
    ).json()
    nomination = Nomination.objects.get(pk=created["id"])
    client.force_login(admin_user)
    client.post(
        f"/api/awards/nominations/{nomination.pk}/formal-check",
        {"passed": True, "note": "齐全"},
        content_type=JSON,
    )
    stages = {s.kind: s for s in call.review_process.stages.all()}
    do_close_stage(stages[StageKind.FORMAL], acting_user=admin_user)
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
    assert (
        client.post(
            f"/api/awards/calls/{call.pk}/rebuttal", {"deadline": deadline}, content_type=JSON
        ).status_code
        == 200
    )
    client.force_login(alice)
    assert client.get(f"/api/awards/nominations/{nomination.pk}/reviews").json() == []
    refused = client.post(
        f"/api/awards/nominations/{nomination.pk}/rebuttal",
        {"text": "没有评审意见时的答辩"},
        content_type=JSON,
    )
    assert refused.status_code == 409


def test_prizes_and_national_rewards_through_pages_and_api(
    client, call, alice, bob, admin_user, department, reviewer, prize_round, acme
):
    call, first, second = approved_call(call, alice, bob, admin_user, department)
    round_ = prize_round()
    client.force_login(reviewer)
    page = client.get(f"/awards/calls/{call.pk}/").content.decode()
    assert "round" in page and round_.name in page
    client.post(f"/awards/calls/{call.pk}/manage/", {"action": "pay", "round": round_.pk})
    call.refresh_from_db()
    assert call.payout_round_id == round_.pk
    rows = client.get(f"/api/awards/calls/{call.pk}/payouts").json()
    assert {r["candidate_status"] for r in rows} == {Candidate.Status.RECOMMENDED}
    assert (
        client.post(
            f"/api/awards/calls/{call.pk}/pay-prizes", {"round_id": round_.pk}, content_type=JSON
        ).status_code
        == 409
    )
    # national: recommend from the call page, record the result and pay the matching through the API
    client.post(
        f"/awards/calls/{call.pk}/manage/",
        {"action": "national", "nomination": first.pk, "year": str(call.year)},
    )
    entry = NationalAward.objects.get(nomination=first)
    assert client.get("/awards/national/").status_code == 200
    result = client.post(
        f"/api/awards/national/{entry.pk}/result",
        {"stage": "awarded", "grade": "二等奖", "document": "国发〔2026〕2号", "prize_fen": 15_000_000},
        content_type=JSON,
    )
    assert result.status_code == 200 and result.json()["prize_fen"] == 15_000_000
    paid = client.post(
        "/api/awards/national/pay",
        {"year": call.year, "round_id": prize_round(name="国家奖配套").pk},
        content_type=JSON,
    )
    assert paid.status_code == 200
    assert [(r["organisation_id"], r["computed_fen"]) for r in paid.json()] == [(acme.pk, 15_000_000)]
    client.force_login(alice)
    assert client.get("/awards/national/").status_code == 403
    assert client.get("/api/awards/national").status_code == 403
    assert client.get(f"/api/awards/calls/{call.pk}/payouts").status_code == 404


@pytest.mark.parametrize("path", ["/api/awards/calls", "/api/awards/national"])
def test_the_api_needs_a_login(client, path):
    assert client.get(path).status_code == 401


def test_the_nominator_page_offers_the_rebuttal_and_the_objection_answer(
    client, call, alice, admin_user, department
):
    from kechuang.awards.tests.test_awards import nominate

    n = walk_to_committee_pass(call, nominate(call, alice), admin_user, department)
    do_propose_grade(n, acting_user=admin_user, grade_code="first")
    do_start_notice(call, acting_user=admin_user, start=TODAY)
    client.post(
        f"/awards/notices/{call.pk}/",
        {
            "nomination": n.pk,
            "name": "张三",
            "contact": "13800000000",
            "text": "该项目的应用证明存在问题，请核实。",
        },
    )
    objection = AwardObjection.objects.get()
    client.force_login(alice)
    assert f'value="{objection.pk}"' in client.get(f"/awards/calls/{call.pk}/").content.decode()
    client.post(
        f"/awards/calls/{call.pk}/respond/",
        {"action": "objection", "objection": objection.pk, "text": "应用证明由用户单位出具，附合同。"},
    )
    objection.refresh_from_db()
    assert objection.response
