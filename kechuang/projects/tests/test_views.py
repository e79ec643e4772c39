from kechuang.projects.models import ApplicationStatus
from kechuang.projects.services import do_endorse
from kechuang.projects.tests.test_services import apply, call, city_bureau, endorser, submitted  # noqa: F401


def test_applicant_sees_own_application_others_get_404(call, alice, bob, city_bureau, login, client):  # noqa: F811
    app = apply(call, alice, city_bureau)
    login(alice)
    page = client.get(f"/projects/applications/{app.pk}/")
    assert page.status_code == 200 and app.title in page.content.decode()
    assert app.title in client.get("/projects/").content.decode()
    login(bob)
    assert client.get(f"/projects/applications/{app.pk}/").status_code == 404
    assert client.post(f"/projects/applications/{app.pk}/formal-check/").status_code == 404


def test_manager_runs_formal_check_from_page(call, alice, city_bureau, endorser, admin_user, login, client):  # noqa: F811
    app = submitted(call, alice, city_bureau)
    do_endorse(app, acting_user=endorser)
    login(admin_user)
    response = client.post(f"/projects/applications/{app.pk}/formal-check/")
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.FORMAL_PASSED
    login(alice)
    assert client.post(f"/projects/applications/{app.pk}/formal-check/").status_code == 403


def test_api_submit_refusals_carry_codes(call, alice, bob, city_bureau, login, client):  # noqa: F811
    app = apply(call, alice, city_bureau)
    login(alice)
    response = client.post(f"/api/projects/applications/{app.pk}/submit")
    assert response.status_code == 422 and response.json()["code"] == "project_integrity_pledge_missing"
    listing = client.get("/api/projects/applications").json()
    assert [a["id"] for a in listing] == [app.pk]
    assert sum(listing[0]["budget"].values()) == listing[0]["fiscal_fen"]
    login(bob)
    assert client.get(f"/api/projects/applications/{app.pk}").status_code == 404
    assert client.get("/api/projects/applications").json() == []
