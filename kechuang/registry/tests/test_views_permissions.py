"""Every registry view and endpoint: who may use it, and who may not."""

import pytest
from django.urls import reverse

from kechuang.accounts.models import ApiToken
from kechuang.accounts.services import do_issue_api_token

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_login(client, acme):
    for url in [
        reverse("registry:organisation_list"),
        reverse("registry:organisation_detail", args=[acme.pk]),
        reverse("registry:import"),
        reverse("audit:list"),
        reverse("jobs:list"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_enterprise_user_sees_only_its_own_organisation_in_the_list(login, alice, acme, globex):
    response = login(alice).get(reverse("registry:organisation_list"))
    names = [o.name for o in response.context["page"].object_list]
    assert names == [acme.name]


def test_member_of_another_organisation_gets_not_found_for_detail_and_edit(login, bob, acme):
    client = login(bob)
    assert client.get(reverse("registry:organisation_detail", args=[acme.pk])).status_code == 404
    assert client.get(reverse("registry:organisation_edit", args=[acme.pk])).status_code == 404
    response = client.post(reverse("registry:organisation_edit", args=[acme.pk]), {"name": "hijacked"})
    assert response.status_code == 404
    acme.refresh_from_db()
    assert acme.name != "hijacked"


def test_user_without_organisation_sees_nothing(login, outsider, acme):
    client = login(outsider)
    assert client.get(reverse("registry:organisation_list")).context["page"].paginator.count == 0
    assert client.get(reverse("registry:organisation_detail", args=[acme.pk])).status_code == 404


def test_city_official_sees_its_city_only(login, liuzhou_reviewer, acme, globex):
    client = login(liuzhou_reviewer)
    listed = {o.pk for o in client.get(reverse("registry:organisation_list")).context["page"].object_list}
    assert globex.pk in listed and acme.pk not in listed
    assert client.get(reverse("registry:organisation_detail", args=[acme.pk])).status_code == 404
    assert client.get(reverse("registry:organisation_detail", args=[globex.pk])).status_code == 200


def test_province_official_sees_every_city(login, reviewer, acme, globex):
    listed = {
        o.pk for o in login(reviewer).get(reverse("registry:organisation_list")).context["page"].object_list
    }
    assert {acme.pk, globex.pk} <= listed


@pytest.mark.parametrize("url_name", ["registry:import", "registry:organisation_export", "audit:list"])
def test_enterprise_users_may_not_import_export_or_browse_audit(login, alice, url_name):
    assert login(alice).get(reverse(url_name)).status_code == 403


def test_approver_may_view_but_not_edit_organisations(login, approver, acme):
    client = login(approver)
    assert client.get(reverse("registry:organisation_detail", args=[acme.pk])).status_code == 200
    assert client.get(reverse("registry:organisation_edit", args=[acme.pk])).status_code == 403


def test_enterprise_admin_edits_own_organisation_and_the_change_is_audited(login, alice, acme, reviewer):
    """Harmless fields save at once; the legal name goes to review and changes only when an official approves."""
    from kechuang.audit.models import AuditEntry
    from kechuang.registry.models import OrganisationChangeRequest

    client = login(alice)
    response = client.post(
        reverse("registry:organisation_edit", args=[acme.pk]),
        {
            "name": "南宁阿克米智能科技有限公司",
            "name_en": "",
            "kind": "enterprise",
            "size": "above",
            "region": "450103",
            "industry": "39",
            "established_on": "",
            "address": "青秀区",
            "contact_name": "",
            "contact_phone": "",
            "website": "",
            "is_active": "on",
            "registered_capital_yuan": "1000000.50",
            "explanation": "工商变更登记",
        },
    )
    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.name == "南宁阿克米科技有限公司" and acme.registered_capital_fen == 100000050
    assert acme.address == "青秀区"
    entry = AuditEntry.objects.filter(action="registry.org.update", target_id=str(acme.pk)).get()
    assert entry.actor == alice and "name" not in entry.changes
    change = OrganisationChangeRequest.objects.get(organisation=acme)
    assert change.status == "pending" and change.explanation == "工商变更登记"
    assert change.changes == {"name": ["南宁阿克米科技有限公司", "南宁阿克米智能科技有限公司"]}

    officials = login(reviewer)
    assert acme.name in officials.get(reverse("registry:change_requests")).content.decode()
    response = officials.post(
        reverse("registry:change_request_decide", args=[change.pk]), {"decision": "approve", "note": ""}
    )
    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.name == "南宁阿克米智能科技有限公司"
    entry = AuditEntry.objects.filter(action="registry.org.identity_change", target_id=str(acme.pk)).get()
    assert entry.actor == reviewer
    assert entry.changes == {"name": ["南宁阿克米科技有限公司", "南宁阿克米智能科技有限公司"]}


def test_edit_rejects_unknown_region_with_a_clear_message(login, alice, acme):
    response = login(alice).post(
        reverse("registry:organisation_edit", args=[acme.pk]),
        {
            "name": acme.name,
            "kind": "enterprise",
            "size": "above",
            "region": "999999",
            "industry": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "未知的行政区划代码" in response.content.decode()


def test_job_pages_are_private_to_their_creator(login, alice, bob, reviewer):
    from kechuang.jobs.models import Job

    job = Job.objects.create(kind="registry.import", created_by=alice)
    assert login(bob).get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert login(alice).get(reverse("jobs:detail", args=[job.pk])).status_code == 200
    assert login(reviewer).get(reverse("jobs:detail", args=[job.pk])).status_code == 200


# --- API --------------------------------------------------------------------------------------------------


def bearer(user, name="bank system"):
    _token, key = do_issue_api_token(user, name, acting_user=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_api_requires_authentication_with_a_stable_error_code(client):
    response = client.get("/api/registry/organisations")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_api_token_scopes_like_the_user(client, alice, acme, globex):
    headers = bearer(alice)
    body = client.get("/api/registry/organisations", **headers).json()
    assert [item["id"] for item in body["items"]] == [acme.pk]
    response = client.get(f"/api/registry/organisations/{globex.pk}", **headers)
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_revoked_or_wrong_token_is_refused(client, alice):
    from kechuang.accounts.services import do_revoke_api_token

    token, key = do_issue_api_token(alice, "x", acting_user=alice)
    do_revoke_api_token(token, acting_user=alice)
    assert client.get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert client.get("/api/accounts/me", HTTP_AUTHORIZATION="Bearer kc_nonsense").status_code == 401
    assert ApiToken.objects.get(pk=token.pk).key_hash != key  # only the hash is stored


def test_api_filters_and_paginates(client, reviewer, acme, globex):
    headers = bearer(reviewer)
    body = client.get("/api/registry/organisations", {"city": "450200"}, **headers).json()
    assert [item["id"] for item in body["items"]] == [globex.pk] and body["count"] == 1


def test_api_patch_by_other_organisation_is_refused_and_changes_nothing(client, bob, acme):
    response = client.patch(
        f"/api/registry/organisations/{acme.pk}",
        data={"name": "x"},
        content_type="application/json",
        **bearer(bob),
    )
    assert response.status_code == 404
    acme.refresh_from_db()
    assert acme.name == "南宁阿克米科技有限公司"


def test_api_patch_validates_region(client, alice, acme):
    response = client.patch(
        f"/api/registry/organisations/{acme.pk}",
        data={"region": "123456"},
        content_type="application/json",
        **bearer(alice),
    )
    assert response.status_code == 400 and response.json()["code"] == "unknown_region"


def test_session_api_writes_need_the_csrf_token(alice, acme):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.patch(
        f"/api/registry/organisations/{acme.pk}", data={"name": "x"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    acme.refresh_from_db()
    assert acme.name != "x"


def test_enterprise_cannot_import_through_the_api(client, alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/api/registry/imports",
        {"kind": "indicators", "file": SimpleUploadedFile("a.csv", b"x")},
        **bearer(alice),
    )
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_reviewer_registers_a_new_organisation_with_a_valid_code(login, reviewer):
    from kechuang.registry.models import Organisation
    from kechuang.testing import unique_credit_code

    code = unique_credit_code("450305")
    response = login(reviewer).post(
        reverse("registry:organisation_create"),
        {
            "credit_code": code,
            "name": "桂林新登记科技有限公司",
            "kind": "enterprise",
            "size": "below",
            "region": "450305",
            "industry": "65",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(credit_code=code)
    assert org.city_id == "450300"


def test_registering_with_a_bad_or_duplicate_code_is_refused(login, reviewer, acme):
    client = login(reviewer)
    base = {"name": "x公司", "kind": "enterprise", "size": "below", "region": "450305", "is_active": "on"}
    bad = client.post(reverse("registry:organisation_create"), {**base, "credit_code": "91450100MA5K11119X"})
    assert "校验位错误" in bad.content.decode()
    dup = client.post(reverse("registry:organisation_create"), {**base, "credit_code": acme.credit_code})
    assert "已登记" in dup.content.decode()


@pytest.mark.parametrize("user_fixture", ["alice", "approver", "outsider"])
def test_only_registrars_may_register_organisations(request, login, user_fixture):
    user = request.getfixturevalue(user_fixture)
    assert login(user).get(reverse("registry:organisation_create")).status_code == 403


def test_api_import_runs_as_a_job_whose_progress_the_api_reports(client, reviewer, acme):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kechuang.jobs.queue import run_pending

    headers = bearer(reviewer)
    csv = f"统一社会信用代码,年度,研发经费支出（元）\n{acme.credit_code},2024,123.45\n".encode()
    response = client.post(
        "/api/registry/imports", {"kind": "indicators", "file": SimpleUploadedFile("rd.csv", csv)}, **headers
    )
    assert response.status_code == 202
    status_url = response.json()["status_url"]
    assert client.get(status_url, **headers).json()["status"] == "queued"
    run_pending()
    job = client.get(status_url, **headers).json()
    assert job["status"] == "succeeded" and job["percent"] == 100 and job["result"]["created"] == 1
    series = client.get(f"/api/registry/organisations/{acme.pk}/indicators", **headers).json()["series"]
    assert series["rd_spending"] == {"2024": 12345}
