"""The platforms API calls the same services with the same permission rules as the pages."""

from kechuang.platforms.models import Institution
from kechuang.platforms.tests.conftest import GOOD, pass_review

JSON = "application/json"


def test_an_institution_from_application_to_recognition_number(
    client, lab_admin, bob, nanning_official, reviewer
):
    client.force_login(lab_admin)
    weak = client.post(
        "/api/platforms/applications",
        {"kind": "new_rd", "figures": GOOD | {"rd_staff": 1}},
        content_type=JSON,
    )
    assert weak.status_code == 422 and weak.json()["code"] == "institution_criteria_not_met"
    created = client.post(
        "/api/platforms/applications", {"kind": "new_rd", "figures": GOOD}, content_type=JSON
    )
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    assert all(c["passed"] for c in created.json()["criteria"])
    # the applicant cannot recommend itself; another organisation does not see it
    recommend = f"/api/platforms/applications/{app_id}/recommend"
    assert client.post(recommend, {"passed": True}, content_type=JSON).status_code == 403
    client.force_login(bob)
    assert client.get(f"/api/platforms/applications/{app_id}").status_code == 404
    client.force_login(nanning_official)
    assert client.post(recommend, {"passed": True}, content_type=JSON).json()["status"] == "recommended"
    client.force_login(reviewer)
    checked = client.post(
        f"/api/platforms/applications/{app_id}/formal-check", {"passed": True}, content_type=JSON
    )
    assert checked.json()["status"] == "in_review" and checked.json()["review_submission_id"]
    early = client.post(f"/api/platforms/applications/{app_id}/decide", {"passed": True}, content_type=JSON)
    assert early.status_code == 409 and early.json()["code"] == "institution_review_required"
    from kechuang.platforms.models import InstitutionApplication

    pass_review(InstitutionApplication.objects.get(pk=app_id))
    decided = client.post(
        f"/api/platforms/applications/{app_id}/decide",
        {"passed": True, "site_visit_note": "场地设备属实"},
        content_type=JSON,
    )
    assert decided.json()["status"] == "approved"
    assert client.post("/api/platforms/notice").json() == {"count": 1}
    still_open = client.post(f"/api/platforms/applications/{app_id}/recognise")
    assert still_open.status_code == 409 and still_open.json()["code"] == "institution_notice_still_open"


def test_reports_and_the_evaluation_desk(client, recognised, lab_admin, bob, reviewer):
    institution = recognised()
    year = institution.recognised_on.year
    client.force_login(bob)
    assert client.get(f"/api/platforms/institutions/{institution.pk}").status_code == 404
    client.force_login(lab_admin)
    foreign = client.post(
        f"/api/platforms/institutions/{institution.pk}/reports",
        {"year": year, "figures": {"not_an_indicator": 1}},
        content_type=JSON,
    )
    assert foreign.status_code == 422 and foreign.json()["code"] == "evaluation_bad_figure"
    assert client.post("/api/platforms/evaluations/run", {"year": year}, content_type=JSON).status_code == 403
    client.force_login(reviewer)
    run = client.post("/api/platforms/evaluations/run", {"year": year}, content_type=JSON)
    assert (
        run.status_code == 200
        and run.json()["evaluated"] == Institution.objects.filter(is_active=True).count()
    )
    [evaluation] = client.get(f"/api/platforms/institutions/{institution.pk}").json()["evaluations"]
    assert evaluation["grade"] and evaluation["explanation"] and evaluation["state"] == "scored"
    assert (
        client.post("/api/platforms/evaluations/notice", {"year": year}, content_type=JSON).json()["count"]
        == 1
    )
