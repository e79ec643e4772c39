"""Attachments and eligibility: a call names the documents it requires and the kinds of unit it is for; missing
documents fail the formal check with their reason, an ineligible unit cannot apply; files are downloaded only by
those who may see the application."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kechuang.errors import DomainError
from kechuang.projects import services
from kechuang.projects.models import ApplicationStatus
from kechuang.projects.testing import WAN, budget, open_call

JSON = "application/json"


@pytest.fixture
def call(admin_user, department):
    return open_call(admin_user, department, required_documents=["feasibility", "budget_notes"])


def draft(call, user, recommender, **kw):
    return services.do_create_application(
        call,
        acting_user=user,
        topic=call.topics.get(),
        recommender=recommender,
        title="甘蔗智能收获装备研发",
        summary="研制丘陵甘蔗收获机。",
        pi_name=kw.pop("pi", "韦强"),
        targets=["样机 1 台"],
        budget=budget(),
        fiscal_fen=100 * WAN,
        **kw,
    )


def pdf(name="可研报告.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def test_missing_documents_fail_the_formal_check_with_the_kinds_named(
    call, alice, city_bureau, endorser, reviewer
):
    app = draft(call, alice, city_bureau)
    services.do_attach(app, acting_user=alice, kind="feasibility", upload=pdf())
    with pytest.raises(DomainError) as exc:
        services.do_attach(app, acting_user=alice, kind="budget_notes", upload=pdf("x.html"))
    assert exc.value.code == "invalid"
    services.do_sign_pledge(app, acting_user=alice)
    services.do_submit(app, acting_user=alice)
    services.do_endorse(app, acting_user=endorser)
    app = services.do_formal_check(app, acting_user=reviewer)
    assert app.status == ApplicationStatus.FORMAL_FAILED
    [reason] = [r for r in app.formal_reasons if r["code"] == "project_documents_missing"]
    assert reason["kinds"] == ["budget_notes"]


def test_a_replaced_document_keeps_one_per_kind_and_a_submitted_application_is_closed(
    call, alice, bob, city_bureau
):
    app = draft(call, alice, city_bureau)
    services.do_attach(app, acting_user=alice, kind="feasibility", upload=pdf("v1.pdf"))
    services.do_attach(app, acting_user=alice, kind="feasibility", upload=pdf("v2.pdf"))
    assert list(app.attachments.values_list("name", flat=True)) == ["v2.pdf"]
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.do_attach(app, acting_user=bob, kind="budget_notes", upload=pdf())
    services.do_sign_pledge(app, acting_user=alice)
    services.do_submit(app, acting_user=alice)
    with pytest.raises(DomainError):
        services.do_attach(app, acting_user=alice, kind="budget_notes", upload=pdf())


def test_a_call_for_universities_refuses_an_enterprise(admin_user, department, alice, city_bureau):
    call = open_call(admin_user, department, eligible_kinds=["university", "institute"])
    with pytest.raises(DomainError) as exc:
        draft(call, alice, city_bureau)
    assert exc.value.code == "project_not_eligible" and exc.value.details["kinds"] == [
        "university",
        "institute",
    ]
    with pytest.raises(DomainError) as exc:
        open_call(admin_user, department, eligible_kinds=["pirate"])
    assert exc.value.code == "invalid"


def test_download_only_for_those_who_see_the_application_and_upload_through_the_api(
    client, call, alice, bob, city_bureau, reviewer
):
    app = draft(call, alice, city_bureau)
    client.force_login(alice)
    sent = client.post(
        f"/api/projects/applications/{app.pk}/attachments", {"kind": "feasibility", "file": pdf()}
    )
    assert sent.status_code == 201, sent.content
    attachment_id = sent.json()["id"]
    listed = client.get(f"/api/projects/applications/{app.pk}/attachments").json()
    assert [a["kind"] for a in listed] == ["feasibility"]
    page = client.get(f"/projects/applications/{app.pk}/").content.decode()
    assert f"/projects/attachments/{attachment_id}/" in page
    got = client.get(f"/projects/attachments/{attachment_id}/")
    assert got.status_code == 200 and got["Content-Disposition"].startswith("attachment")
    client.force_login(reviewer)
    assert client.get(f"/projects/attachments/{attachment_id}/").status_code == 200
    client.force_login(bob)
    assert client.get(f"/projects/attachments/{attachment_id}/").status_code == 404
    assert client.get(f"/api/projects/applications/{app.pk}/attachments").status_code == 404
