"""The talent API calls the same services with the same permission rules as the pages."""

import datetime as dt

from kechuang.talent.models import TalentApplication
from kechuang.talent.tests.conftest import EVIDENCE, TODAY, id_number

JSON = "application/json"


def _body(seq=1, **extra):
    return {
        "name": f"人才{seq}",
        "id_number": id_number(seq),
        "level": "C",
        "credential": "jieqing",
        "contract_start": str(TODAY - dt.timedelta(days=30)),
        "contract_end": str(TODAY + dt.timedelta(days=5 * 366)),
        "evidence": dict(EVIDENCE),
        **extra,
    }


def test_employer_applies_and_officials_carry_it_to_the_certificate(client, alice, bob, qingxiu, reviewer):
    client.force_login(alice)
    created = client.post("/api/talent/applications", _body(), content_type=JSON)
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    assert created.json()["status"] == "submitted" and created.json()["id_tail"] == id_number(1)[-4:]
    missing = client.post(
        "/api/talent/applications", _body(2, evidence={"contract": "HT-1"}), content_type=JSON
    )
    assert missing.status_code == 422 and missing.json()["code"] == "talent_evidence_missing"
    assert missing.json()["details"]["missing"] == ["social_insurance", "tax"]
    # the employer cannot pre-check its own application
    assert (
        client.post(
            f"/api/talent/applications/{app_id}/precheck", {"passed": True}, content_type=JSON
        ).status_code
        == 403
    )
    client.force_login(bob)  # another employer: not found, and not in its list
    assert client.get(f"/api/talent/applications/{app_id}").status_code == 404
    assert client.get("/api/talent/applications").json() == []
    client.force_login(qingxiu)
    done = client.post(f"/api/talent/applications/{app_id}/precheck", {"passed": True}, content_type=JSON)
    assert done.status_code == 200 and done.json()["status"] == "prechecked"
    # a county official does not recognise
    assert (
        client.post(f"/api/talent/applications/{app_id}/recognise", {}, content_type=JSON).status_code == 403
    )
    client.force_login(reviewer)
    assert (
        client.post(f"/api/talent/applications/{app_id}/recognise", {}, content_type=JSON).json()["status"]
        == "proposed"
    )
    assert client.post("/api/talent/notice").json() == {"count": 1}
    early = client.post(f"/api/talent/applications/{app_id}/certify")
    assert early.status_code == 409 and early.json()["code"] == "talent_notice_still_open"


def test_public_notice_and_objection_need_no_login_and_never_show_the_id_number(
    client, apply_for, qingxiu, reviewer
):
    from kechuang.talent import services

    app = apply_for(1)
    services.do_precheck(app, acting_user=qingxiu, passed=True)
    services.do_recognise(app, acting_user=reviewer)
    services.do_start_notice(acting_user=reviewer)
    listed = client.get("/api/talent/notice")
    assert listed.status_code == 200 and [r["id"] for r in listed.json()] == [app.pk]
    assert id_number(1) not in listed.content.decode() and "id_tail" not in listed.json()[0]
    short = client.post(
        f"/api/talent/notice/{app.pk}/objections",
        {"name": "韦明", "contact": "1", "text": "短"},
        content_type=JSON,
    )
    assert short.status_code == 422
    ok = client.post(
        f"/api/talent/notice/{app.pk}/objections",
        {"name": "韦明", "contact": "0771-1234567", "text": "该人才的认定依据与事实不符，请核实。"},
        content_type=JSON,
    )
    assert ok.status_code == 201
    client.force_login(reviewer)
    detail = client.get(f"/api/talent/applications/{app.pk}").json()
    [objection] = detail["objections"]
    answered = client.post(
        f"/api/talent/objections/{objection['id']}/answer",
        {"upheld": True, "answer": "经核实属实"},
        content_type=JSON,
    )
    assert answered.status_code == 200 and answered.json()["state"] == "upheld"
    assert TalentApplication.objects.get(pk=app.pk).status == "withdrawn"


def test_compliance_leaving_and_benefits_desk(client, recognise, alice, bob, reviewer):
    app = recognise(1)
    year = app.recognised_on.year
    client.force_login(bob)
    body = {"year": year, "employed": True, "social_insurance_months": 12, "tax_months": 12}
    assert (
        client.post(f"/api/talent/applications/{app.pk}/compliance", body, content_type=JSON).status_code
        == 404
    )
    client.force_login(alice)
    bad = client.post(
        f"/api/talent/applications/{app.pk}/compliance", body | {"tax_months": 13}, content_type=JSON
    )
    assert bad.status_code == 422
    report = client.post(f"/api/talent/applications/{app.pk}/compliance", body, content_type=JSON)
    assert report.status_code == 200 and report.json()["outcome"] == "pending"
    assert client.post("/api/talent/benefits/publish", {"year": year}, content_type=JSON).status_code == 403
    client.force_login(reviewer)
    run = client.post("/api/talent/benefits/compliance-run", {"year": year}, content_type=JSON).json()
    assert run["passed"] == 1 and run["failed"] == 0
    published = client.post("/api/talent/benefits/publish", {"year": year}, content_type=JSON).json()
    assert published["employers"] == 1 and published["total_fen"] > 0
    detail = client.get(f"/api/talent/applications/{app.pk}").json()
    first_year = [i for s in detail["schedules"] for i in s["instalments"] if i["year"] == year]
    assert first_year and all(i["state"] == "published" for i in first_year)
    client.force_login(alice)
    left = client.post(
        f"/api/talent/applications/{app.pk}/leaving", {"left_on": str(TODAY)}, content_type=JSON
    )
    assert left.status_code == 200 and left.json()["status"] == "left"


def test_bagui_post_review_and_scores_come_from_the_review_engine(client, alice, bob, reviewer, experts):
    from kechuang.talent.expert_review import play_review
    from kechuang.talent.models import BaguiAppointment, BaguiPost

    client.force_login(alice)
    post = client.post(
        "/api/talent/bagui/posts",
        {
            "title": "甘蔗育种首席",
            "discipline": "作物遗传育种",
            "field": "natural",
            "team": "甘蔗育种团队 12 人，国家产业技术体系岗位",
            "matching_fen": 100_000_000,
        },
        content_type=JSON,
    )
    assert post.status_code == 201, post.content
    post_id = post.json()["id"]
    assert post.json()["review_submission_id"]  # on the engine from the start
    review = f"/api/talent/bagui/posts/{post_id}/review"
    assert client.post(review, {"approved": True}, content_type=JSON).status_code == 403
    client.force_login(bob)
    assert client.get(f"/api/talent/bagui/posts/{post_id}").status_code == 404
    client.force_login(reviewer)
    assert client.get("/api/talent/bagui/posts").json()[0]["id"] == post_id
    early = client.post(review, {"approved": True}, content_type=JSON)
    assert early.status_code == 409 and early.json()["code"] == "bagui_review_required"
    play_review(BaguiPost.objects.get(pk=post_id).review_submission, experts, [9, 8, 9])
    assert client.post(review, {"approved": True}, content_type=JSON).json()["state"] == "open"
    added = client.post(
        f"/api/talent/bagui/posts/{post_id}/applicants",
        {"name": "黎学者", "id_number": id_number(7)},
        content_type=JSON,
    )
    assert added.status_code == 201
    appt_id = added.json()["id"]
    scores = f"/api/talent/bagui/appointments/{appt_id}/scores"
    none_yet = client.post(scores)
    assert none_yet.status_code == 409 and none_yet.json()["code"] == "bagui_review_required"
    submission = BaguiAppointment.objects.get(pk=appt_id).review_submission
    play_review(submission, experts, [8, 8, 7])  # 书面评审: 80, 80, 70
    half = client.post(scores)
    assert half.status_code == 409 and half.json()["details"] == {"written": True, "hearing": False}
    play_review(submission, experts, [9, 9, 9])  # 答辩: 90 each
    taken = client.post(scores).json()
    assert taken["written_score"] == "76.67" and taken["hearing_score"] == "90.00"
    decided = client.post(
        f"/api/talent/bagui/appointments/{appt_id}/decide",
        {"document": "桂人才〔2026〕1号"},
        content_type=JSON,
    )
    assert decided.status_code == 200 and decided.json()["state"] == "notice"
    # the unit records the scholar's own account for the benefits paid to the scholar
    payee = f"/api/talent/bagui/appointments/{appt_id}/payee"
    body = {"bank_name": "中国银行南宁分行", "bank_account": "6216611234567890"}
    client.force_login(bob)
    assert client.post(payee, body, content_type=JSON).status_code == 404
    client.force_login(alice)
    assert client.post(payee, body, content_type=JSON).status_code == 200
    assert BaguiAppointment.objects.get(pk=appt_id).person.bank_account == "6216611234567890"


def test_the_engine_keeps_the_posts_own_unit_away_from_its_review(alice, reviewer, experts):
    """An expert of the unit that set the post is a detected conflict: the engine refuses to pin them."""
    import pytest

    from kechuang.errors import DomainError
    from kechuang.review.services import do_register_expert
    from kechuang.talent.expert_review import play_review
    from kechuang.talent.services import bagui
    from kechuang.testing import make_user

    insider = make_user("acme_expert", org=alice.organisation, role="expert")
    do_register_expert(insider, acting_user=None, organisation=alice.organisation, disciplines=[])
    post = bagui.do_apply_post(
        acting_user=alice,
        title="甘蔗育种首席",
        discipline="作物遗传育种",
        field="natural",
        team="甘蔗育种团队 12 人，国家产业技术体系岗位",
        matching_fen=1,
    )
    with pytest.raises(DomainError) as refused:
        play_review(post.review_submission, [insider], [10])
    assert refused.value.code == "review_conflict_of_interest"


def test_the_persons_own_account_is_validated_and_shown_in_full_only_to_the_talent_office(
    client, recognise, alice, bob, reviewer, signers
):
    from kechuang.registry.models import DepartmentType

    app = recognise(1)
    url = f"/api/talent/applications/{app.pk}/payee"
    client.force_login(alice)
    bad = client.post(
        url, {"bank_name": "中国工商银行南宁分行", "bank_account": "6222-02ab"}, content_type=JSON
    )
    assert bad.status_code == 422 and bad.json()["details"]["field"] == "bank_account"
    ok = client.post(
        url,
        {"bank_name": "中国工商银行南宁分行", "bank_account": "6222 0212 3456 7890 123"},
        content_type=JSON,
    )
    assert ok.status_code == 200
    payee = ok.json()["payee"]
    # the employer recorded it but sees only the last four digits; the ID number is masked for everyone
    assert (
        payee["bank_account"] == "*" * 15 + "0123"
        and payee["id_masked"] == id_number(1)[:6] + "*" * 8 + id_number(1)[-4:]
    )
    client.force_login(bob)
    assert (
        client.post(url, {"bank_name": "x", "bank_account": "62220212345678"}, content_type=JSON).status_code
        == 404
    )
    client.force_login(reviewer)  # the 科技厅's province-wide reviewer: the talent office
    assert (
        client.get(f"/api/talent/applications/{app.pk}").json()["payee"]["bank_account"]
        == "6222021234567890123"
    )
    client.force_login(signers[DepartmentType.FINANCE])  # another department's province-wide official: masked
    assert client.get(f"/api/talent/applications/{app.pk}").json()["payee"]["bank_account"].endswith("*0123")
