"""Pages and API endpoints: what each actor sees, and who may not use them."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.jobs.queue import run_pending
from kechuang.policy import services
from kechuang.policy.models import Candidate, Round
from kechuang.policy.tests.conftest import WAN, end_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_round(firms, make_round, reviewer, chain):
    round_ = make_round()
    services.do_screen_round(round_, acting_user=reviewer)
    run_pending()
    chain.all(round_)
    round_.refresh_from_db()
    return round_


def test_home_lists_policies_for_officials_and_sends_enterprises_to_the_calculator(login, reviewer, alice):
    page = login(reviewer).get(reverse("policy:home"))
    assert page.status_code == 200 and "企业研发经费投入增量奖补" in page.content.decode()
    assert login(alice).get(reverse("policy:home"))["Location"] == reverse("policy:calculator")


def test_home_names_the_policies_of_an_exclusivity_group_never_its_key(login, reviewer):
    html = login(reviewer).get(reverse("policy:home")).content.decode()
    row = html[html.index(">企业研发经费投入增量奖补</a>") :]
    row = row[: row.index("</tr>")]
    assert "瞪羚企业研发奖补" in row and "特别奖补" not in row  # the same 从高不重复 group; 特别奖补 combines
    assert "rd_reward_base" not in html and "<code" not in row


def test_anonymous_users_are_sent_to_login(client):
    for name in ("policy:home", "policy:calculator", "policy:round_list", "policy:statistics"):
        assert client.get(reverse(name)).status_code == 302


def test_policy_detail_shows_document_parameters_and_cases(login, reviewer, alice):
    page = login(reviewer).get(reverse("policy:policy_detail", args=["rd_incremental"]))
    body = page.content.decode()
    assert "桂政发〔2019〕69号" in body and "未核实" in body and "规上企业超过500万元封顶" in body
    assert 'data-flag="reference-unverified"' in body  # the article number was not checked: flagged
    assert login(alice).get(reverse("policy:policy_detail", args=["rd_incremental"])).status_code == 403


def test_parameter_form_is_for_admins_only(login, admin_user, reviewer):
    url = reverse("policy:schedule_parameter", args=["rd_special"])
    assert (
        login(reviewer)
        .post(url, {"param": "cap", "value": "400万", "effective_from": "2099-01-01", "document_no": "x"})
        .status_code
        == 403
    )
    response = login(admin_user).post(
        url,
        {"param": "cap", "value": "400万", "effective_from": "2099-01-01", "document_no": "桂科〔2099〕1号"},
    )
    assert response.status_code == 302
    assert (
        "2099-01-01"
        in login(admin_user).get(reverse("policy:policy_detail", args=["rd_special"])).content.decode()
    )


def test_calculator_shows_amount_reason_and_gap(login, firms, alice, bob):
    acme, globex = firms
    body = login(alice).get(reverse("policy:calculator") + "?year=2024").content.decode()
    assert acme.name in body and "50.00" in body  # high-tech reward 50万 (capped)
    assert "研发经费支出需再增加" in body  # rd_special: 500万 of 5000万 → needs 4500万 more
    assert "4,500.00 万元" in body
    # bob cannot look at acme
    assert login(bob).get(reverse("policy:calculator") + f"?org={acme.pk}").status_code == 404
    detail = (
        login(alice)
        .get(reverse("policy:calculator_detail", args=["rd_incremental"]) + "?year=2024")
        .content.decode()
    )
    assert "同比增量" in detail and "桂政发〔2019〕69号" in detail and "来源：税务部门" in detail
    assert 'data-flag="reference-unverified"' not in detail  # the verification flags are for officials


def test_city_official_sees_only_their_city_in_the_calculator(login, firms, liuzhou_reviewer):
    acme, globex = firms
    assert login(liuzhou_reviewer).get(reverse("policy:calculator") + f"?org={acme.pk}").status_code == 404
    assert (
        login(liuzhou_reviewer).get(reverse("policy:calculator") + f"?org={globex.pk}&year=2024").status_code
        == 200
    )


def test_round_pages_actions_and_exports(
    login, paid_round, reviewer, liuzhou_reviewer, alice, bob, outsider, approver, firms
):
    acme, globex = firms
    url = reverse("policy:round_detail", args=[paid_round.pk])
    body = login(reviewer).get(url).content.decode()
    assert acme.name in body and globex.name in body
    # the Liuzhou official sees only Liuzhou candidates; alice only her own
    body = login(liuzhou_reviewer).get(url).content.decode()
    assert globex.name in body and acme.name not in body
    body = login(alice).get(url).content.decode()
    assert acme.name in body and globex.name not in body
    # candidate of acme: bob (other firm) may not open it, alice sees the trace
    cand = Candidate.objects.get(round=paid_round, organisation=acme, status=Candidate.Status.PAID)
    assert login(bob).get(reverse("policy:candidate_detail", args=[cand.pk])).status_code == 404
    assert "计算过程" in login(alice).get(reverse("policy:candidate_detail", args=[cand.pk])).content.decode()
    # exports: officials only; the payment file only for payment managers
    notice = login(reviewer).get(reverse("policy:notice_xlsx", args=[paid_round.pk]))
    sheet = load_workbook(io.BytesIO(notice.content)).active
    assert sheet.max_row == 3 and sheet.cell(1, 3).value == "单位名称"
    assert login(alice).get(reverse("policy:notice_xlsx", args=[paid_round.pk])).status_code == 403
    assert login(reviewer).get(reverse("policy:payments_xlsx", args=[paid_round.pk])).status_code == 403
    payments = login(approver).get(reverse("policy:payments_xlsx", args=[paid_round.pk]))
    rows = list(load_workbook(io.BytesIO(payments.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and sum(r[6] for r in rows[1:]) == 170 * 10_000
    assert (
        rows[0][4] == "开户银行" and rows[0][5] == "收款账号"
    )  # the payee's bank and account, from the registry
    assert all(r[1].startswith(f"KC2024-{paid_round.pk:05d}-") for r in rows[1:])  # the references
    # workflow actions refuse the wrong role
    for user in (alice, outsider):
        response = login(user).post(reverse("policy:round_action", args=[paid_round.pk, "approve"]))
        assert response.status_code in (403, 404)


def test_round_action_post_moves_the_workflow(
    login, firms, make_round, reviewer, alice, local_reviewers, signers, liuzhou_reviewer
):
    round_ = make_round()
    response = login(alice).post(reverse("policy:round_action", args=[round_.pk, "screen"]))
    assert response.status_code == 403
    response = login(reviewer).post(reverse("policy:round_action", args=[round_.pk, "screen"]))
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    run_pending()
    round_.refresh_from_db()
    assert round_.status == Round.Status.CITY_REVIEW

    def act(user, action, data=None):
        return login(user).post(reverse("policy:round_action", args=[round_.pk, action]), data or {})

    for who in ("qingxiu", "chengzhong"):
        act(local_reviewers[who], "county_review_all")
    for who in ("nanning", "liuzhou"):
        act(local_reviewers[who], "city_review_all")
    act(reviewer, "start_joint_review")
    round_.refresh_from_db()
    assert round_.status == Round.Status.JOINT_REVIEW
    acme_cand, globex_cand = Candidate.objects.filter(round=round_, status="recommended").order_by(
        "organisation__city_id"
    )
    page = login(signers["tax"]).get(reverse("policy:round_detail", args=[round_.pk])).content.decode()
    assert "会审签署" in page
    act(signers["tax"], "joint_signoff", {"vetoes": f"{globex_cand.pk}：税务确认的研发费用有误"})
    for kind in ("science", "finance", "industry", "statistics"):
        act(signers[kind], "joint_signoff")
    assert act(liuzhou_reviewer, "joint_review").status_code == 403  # a city official cannot complete it
    act(reviewer, "joint_review")
    round_.refresh_from_db()
    assert round_.status == Round.Status.NOTICE
    globex_cand.refresh_from_db()
    assert globex_cand.status == Candidate.Status.JOINT_REJECTED and "税务局" in globex_cand.reason
    assert Candidate.objects.get(pk=acme_cand.pk).status == Candidate.Status.LISTED


def test_application_and_objection_through_pages(
    login, firms, make_round, reviewer, alice, bob, local_reviewers, chain
):
    acme, globex = firms
    round_ = make_round(mode="apply")
    response = login(alice).post(
        reverse("policy:round_apply", args=[round_.pk]), {"policy": "rd_incremental"}
    )
    assert response.status_code == 302
    cand = Candidate.objects.get(round=round_, organisation=acme)
    assert cand.applied and cand.computed_fen == 20 * WAN
    assert (
        login(reviewer)
        .post(reverse("policy:round_apply", args=[round_.pk]), {"policy": "rd_incremental"})
        .status_code
        == 403
    )
    services.do_close_applications(round_, acting_user=reviewer)
    login(local_reviewers["qingxiu"]).post(reverse("policy:candidate_action", args=[cand.pk, "county_pass"]))
    login(local_reviewers["nanning"]).post(reverse("policy:candidate_action", args=[cand.pk, "recommend"]))
    assert Candidate.objects.get(pk=cand.pk).status == Candidate.Status.RECOMMENDED
    services.do_start_joint_review(round_, acting_user=reviewer)
    chain.sign(round_)
    services.do_complete_joint_review(round_, acting_user=reviewer)
    # the notice is public: bob can see the listed candidate and object, without its trace
    page = login(bob).get(reverse("policy:candidate_detail", args=[cand.pk])).content.decode()
    assert "提出异议" in page and "同比增量" not in page
    login(bob).post(reverse("policy:candidate_action", args=[cand.pk, "object"]), {"text": "数据有误"})
    objection = cand.objections.get()
    assert (
        login(bob)
        .post(
            reverse("policy:candidate_action", args=[cand.pk, "uphold"]),
            {"objection": objection.pk, "resolution": "x"},
        )
        .status_code
        == 403
    )
    objection.refresh_from_db()
    assert objection.status == "open"  # bob may not resolve objections
    login(reviewer).post(
        reverse("policy:candidate_action", args=[cand.pk, "uphold"]),
        {"objection": objection.pk, "resolution": "属实"},
    )
    cand.refresh_from_db()
    assert cand.status == Candidate.Status.WITHDRAWN and cand.awarded_fen == 0


def test_statistics_page_and_api(login, paid_round, reviewer, alice, liuzhou_reviewer):
    body = login(reviewer).get(reverse("policy:statistics")).content.decode()
    assert "170.00" in body and 'data-chart="bar"' in body
    assert login(alice).get(reverse("policy:statistics")).status_code == 403
    stats = login(reviewer).get("/api/policy/statistics").json()
    assert stats["total"]["paid_fen"] == 170 * WAN and stats["total"]["enterprises"] == 2
    assert stats["total"]["rd_fen"] == 1000 * WAN and stats["total"]["leverage"] == "5.9"
    liuzhou = login(liuzhou_reviewer).get("/api/policy/statistics").json()
    assert liuzhou["total"]["paid_fen"] == 120 * WAN
    assert login(alice).get("/api/policy/statistics").status_code == 403


def test_api_calculator_rounds_and_actions(login, firms, make_round, reviewer, alice, bob, approver):
    acme, globex = firms
    data = login(alice).get(f"/api/policy/calculator/{acme.pk}?year=2024&policy=rd_incremental").json()
    assert data[0]["amount_fen"] == 20 * WAN and data[0]["status"] == "eligible" and data[0]["explanation"]
    assert login(bob).get(f"/api/policy/calculator/{acme.pk}?year=2024").status_code == 404
    assert login(reviewer).get("/api/policy/policies").status_code == 200
    assert login(alice).get("/api/policy/policies").status_code == 403
    round_ = make_round()
    assert login(reviewer).get("/api/policy/rounds").json()[0]["id"] == round_.pk
    assert login(alice).get("/api/policy/rounds").status_code == 403
    assert login(alice).post(f"/api/policy/rounds/{round_.pk}/screen").status_code == 403
    response = login(reviewer).post(f"/api/policy/rounds/{round_.pk}/screen")
    assert response.status_code == 200 and response.json()["job_id"]
    run_pending()
    listed = login(alice).get(f"/api/policy/rounds/{round_.pk}/candidates").json()
    assert listed and {c["organisation_id"] for c in listed} == {acme.pk}
    assert login(approver).post(f"/api/policy/rounds/{round_.pk}/approve").json()["code"] == "invalid_state"
    assert login(alice).post(f"/api/policy/rounds/{round_.pk}/payment-batch").status_code == 403
    upload = io.BytesIO(b"reference,account,amount,status\n")
    upload.name = "r.csv"
    assert (
        login(reviewer).post(f"/api/policy/rounds/{round_.pk}/reconcile", {"file": upload}).status_code == 403
    )


def test_screening_run_page_shows_results_and_not_computable_reasons(
    login, firms, reviewer, liuzhou_reviewer, alice
):
    from kechuang.testing import make_org, record_indicators

    broken = make_org("南宁零收入科技有限公司", region="450103")
    record_indicators(broken, 2023, revenue=0, rd_spending=0, rd_super_deduction=1 * WAN)
    record_indicators(broken, 2024, revenue=0, rd_spending=10 * WAN, rd_super_deduction=5 * WAN)
    assert login(alice).post(reverse("policy:start_screening"), {"year": "2024"}).status_code == 403
    response = login(reviewer).post(reverse("policy:start_screening"), {"year": "2024"})
    assert response.status_code == 302
    [job] = run_pending()
    run_id = job.result["run_id"]
    assert job.result["summary"]["rd_incremental"]["not_computable"] == 1
    url = reverse("policy:screening_run", args=[run_id])
    body = login(reviewer).get(url + "?policy=rd_incremental&status=2").content.decode()
    assert broken.name in body and "除数为零" in body and firms[0].name not in body
    body = login(liuzhou_reviewer).get(url + "?policy=rd_incremental").content.decode()
    assert firms[1].name in body and broken.name not in body
    assert login(alice).get(url).status_code == 403


def test_a_changed_policy_file_becomes_a_new_version_and_old_ones_stay_visible(
    login, reviewer, settings, tmp_path, monkeypatch
):
    import shutil

    from kechuang.audit.models import AuditEntry
    from kechuang.policy.engine import rules
    from kechuang.policy.models import PolicyVersion
    from kechuang.policy.services import versions

    rules_dir = tmp_path / "rules"
    shutil.copytree(rules.RULES_DIR, rules_dir)
    monkeypatch.setattr(rules, "RULES_DIR", rules_dir)
    monkeypatch.setattr(versions, "load_specs", lambda: rules.load_specs(rules_dir))
    services.current_versions()
    path = rules_dir / "rd_special.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "{value: 300万, verified: true}", "{value: 350万, verified: true}"
        ),
        encoding="utf-8",
    )
    current = services.current_versions()["rd_special"]
    assert (
        current.version == 2
        and AuditEntry.objects.filter(action="policy.version.load", target_id=str(current.pk)).exists()
    )
    body = login(reviewer).get(reverse("policy:policy_detail", args=["rd_special"])).content.decode()
    assert "350.00 万元" in body
    old = (
        login(reviewer)
        .get(reverse("policy:policy_detail", args=["rd_special"]) + "?version=1")
        .content.decode()
    )
    assert "300.00 万元" in old and "历史版本" in old
    assert PolicyVersion.objects.filter(code="rd_special").count() == 2


def test_api_workflow_create_apply_review_object(
    login, firms, reviewer, liuzhou_reviewer, local_reviewers, signers, finance_approver, alice, bob, approver
):
    acme, globex = firms
    body = {
        "name": "研发奖补",
        "policy_codes": ["rd_incremental", "rd_hightech_gazelle"],
        "fund_year": 2025,
        "budget_fen": 1000 * WAN,
    }
    assert (
        login(alice).post("/api/policy/programmes", body, content_type="application/json").status_code == 403
    )
    fund = login(reviewer).post("/api/policy/programmes", body, content_type="application/json").json()
    round_body = {
        "fund_id": fund["id"],
        "name": "依申请批次",
        "year": 2024,
        "budget_fen": 100 * WAN,
        "mode": "apply",
        "notice_days": 5,
    }
    assert (
        login(bob).post("/api/policy/rounds", round_body, content_type="application/json").status_code == 404
    )
    no_notice = {**round_body, "notice_days": 0}  # a 公示 is never 0 working days
    assert (
        login(reviewer).post("/api/policy/rounds", no_notice, content_type="application/json").status_code
        == 422
    )
    too_big = {**round_body, "budget_fen": 2000 * WAN}
    assert (
        login(reviewer).post("/api/policy/rounds", too_big, content_type="application/json").json()["code"]
        == "budget_exceeded"
    )
    round_id = (
        login(reviewer).post("/api/policy/rounds", round_body, content_type="application/json").json()["id"]
    )
    applied = (
        login(alice)
        .post(
            f"/api/policy/rounds/{round_id}/applications",
            {"policy_code": "rd_incremental"},
            content_type="application/json",
        )
        .json()
    )
    assert applied["computed_fen"] == 20 * WAN and applied["status"] == "pending"
    assert (
        login(reviewer)
        .post(
            f"/api/policy/rounds/{round_id}/applications",
            {"policy_code": "rd_incremental"},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    services.do_close_applications(Round.objects.get(pk=round_id), acting_user=reviewer)
    review = {"approve": True, "note": "同意"}
    assert (
        login(liuzhou_reviewer)
        .post(f"/api/policy/candidates/{applied['id']}/city-review", review, content_type="application/json")
        .status_code
        == 404
    )  # not their city
    assert (
        login(local_reviewers["qingxiu"])
        .post(
            f"/api/policy/candidates/{applied['id']}/county-review", review, content_type="application/json"
        )
        .json()["status"]
        == "county_passed"
    )
    assert (
        login(local_reviewers["nanning"])
        .post(f"/api/policy/candidates/{applied['id']}/city-review", review, content_type="application/json")
        .json()["status"]
        == "recommended"
    )
    assert login(reviewer).post(f"/api/policy/rounds/{round_id}/joint-review/start").json()["status"] == (
        "joint_review"
    )
    for user in signers.values():
        signed = login(user).post(
            f"/api/policy/rounds/{round_id}/joint-review", {}, content_type="application/json"
        )
        assert signed.status_code == 200, signed.content
    completed = login(reviewer).post(
        f"/api/policy/rounds/{round_id}/joint-review/complete", {}, content_type="application/json"
    )
    assert completed.json()["status"] == "notice"
    objection = (
        login(bob)
        .post(
            f"/api/policy/candidates/{applied['id']}/objections",
            {"text": "有误"},
            content_type="application/json",
        )
        .json()
    )
    assert objection["status"] == "open"
    resolve = {"upheld": False, "resolution": "经核实无误"}
    assert (
        login(bob)
        .post(f"/api/policy/objections/{objection['id']}/resolve", resolve, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        login(reviewer)
        .post(f"/api/policy/objections/{objection['id']}/resolve", resolve, content_type="application/json")
        .json()["status"]
        == "dismissed"
    )
    assert login(approver).post(f"/api/policy/rounds/{round_id}/approve").json()["code"] == "invalid_state"
    concur = login(finance_approver).post(
        f"/api/policy/rounds/{round_id}/concur", {}, content_type="application/json"
    )
    assert concur.status_code == 200
    assert login(approver).post(f"/api/policy/rounds/{round_id}/approve").json()["code"] == "invalid_state"
    end_notice(Round.objects.get(pk=round_id))  # the 公示's working days pass
    assert login(approver).post(f"/api/policy/rounds/{round_id}/approve").json()["status"] == "approved"
