"""Identity fields change only through a change request approved by an official covering the organisation."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from kechuang.audit.models import AuditEntry
from kechuang.errors import DomainError, StateError
from kechuang.permissions.registry import access_change_request_by_id
from kechuang.registry.models import OrganisationChangeRequest
from kechuang.registry.services import (
    do_decide_organisation_change,
    do_request_organisation_change,
    do_update_organisation,
)

pytestmark = pytest.mark.django_db


def test_an_organisation_cannot_change_its_identity_directly(alice, acme):
    for fields in (
        {"kind": "bank"},
        {"name": "另一家公司"},
        {"region": "450502"},
        {"size": "below"},
        {"is_active": False},
        {"bank_account": "6222000011112222"},
    ):
        with pytest.raises(DomainError) as refused:
            do_update_organisation(acme, acting_user=alice, **fields)
        assert refused.value.code == "review_required" and refused.value.status == 403
    do_update_organisation(acme, acting_user=alice, address="新地址", contact_name="张三")
    acme.refresh_from_db()
    assert (acme.kind, acme.address) == ("enterprise", "新地址")


def test_change_request_approved_by_a_covering_official_with_old_and_new_audited(
    alice, acme, reviewer, liuzhou_reviewer
):
    request = do_request_organisation_change(
        acme,
        acting_user=alice,
        explanation="更换基本户",
        bank_name="中国工商银行南宁分行",
        bank_account="6222 0000 1111 2222",
    )
    assert request.changes == {
        "bank_name": ["", "中国工商银行南宁分行"],
        "bank_account": ["", "6222000011112222"],
    }
    with pytest.raises(DomainError):  # one pending request at a time
        do_request_organisation_change(acme, acting_user=alice, name="又一个名称")
    with pytest.raises(Http404):  # Liuzhou does not see a Nanning request
        access_change_request_by_id(liuzhou_reviewer, request.pk)
    with pytest.raises(PermissionDenied):
        do_decide_organisation_change(request, approve=True, acting_user=liuzhou_reviewer)
    with pytest.raises(PermissionDenied):
        do_decide_organisation_change(request, approve=True, acting_user=alice)
    do_decide_organisation_change(request, approve=True, acting_user=reviewer)
    acme.refresh_from_db()
    assert (acme.bank_name, acme.bank_account) == ("中国工商银行南宁分行", "6222000011112222")
    entry = AuditEntry.objects.get(action="registry.org.identity_change")
    assert entry.actor == reviewer and entry.changes["bank_account"] == ["", "6222000011112222"]
    with pytest.raises(StateError):
        do_decide_organisation_change(request, approve=False, note="x", acting_user=reviewer)


def test_refusal_needs_a_reason_and_changes_nothing(login, alice, acme, reviewer):
    request = do_request_organisation_change(acme, acting_user=alice, kind="bank")
    with pytest.raises(DomainError):
        do_decide_organisation_change(request, approve=False, note=" ", acting_user=reviewer)
    response = login(reviewer).post(
        reverse("registry:change_request_decide", args=[request.pk]),
        {"decision": "refuse", "note": "营业执照经营范围不含银行业务"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    acme.refresh_from_db()
    assert request.status == OrganisationChangeRequest.Status.REFUSED and acme.kind == "enterprise"
    assert request.decision_note == "营业执照经营范围不含银行业务"


def test_the_api_files_and_decides_change_requests(client, alice, acme, reviewer):
    client.force_login(alice)
    filed = client.post(
        f"/api/registry/organisations/{acme.pk}/change-requests",
        {"size": "below", "explanation": "营收下降"},
        content_type="application/json",
    )
    assert filed.status_code == 201 and filed.json()["changes"] == {"size": ["above", "below"]}
    assert client.get("/api/registry/change-requests").json()["items"][0]["id"] == filed.json()["id"]
    refused = client.post(
        f"/api/registry/change-requests/{filed.json()['id']}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert refused.status_code == 403
    client.force_login(reviewer)
    decided = client.post(
        f"/api/registry/change-requests/{filed.json()['id']}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    acme.refresh_from_db()
    assert acme.size == "below"


def test_names_are_nfkc_normalised_and_invisible_characters_refused(reviewer, acme):
    do_update_organisation(acme, acting_user=reviewer, name="南宁ＡＢＣ科技　有限公司")
    acme.refresh_from_db()
    assert acme.name == "南宁ABC科技 有限公司"
    for sneaky in ("南宁\u200b阿克米", "南宁\u202e米克阿", "南宁\ufeff阿克米", "南宁\u2066阿克米"):
        with pytest.raises(DomainError) as refused:
            do_update_organisation(acme, acting_user=reviewer, name=sneaky)
        assert refused.value.code == "invalid" and "U+" in str(refused.value.message)


def test_the_admin_site_is_no_back_door_for_identity_or_sources(login, admin_user, acme):
    admin_user.is_superuser = True  # the strongest account: even it cannot change identity or sources here
    admin_user.save(update_fields=["is_superuser"])
    client = login(admin_user)
    page = client.get(f"/admin/registry/organisation/{acme.pk}/change/")
    assert page.status_code == 200
    assert 'name="kind"' not in page.content.decode() and 'name="bank_account"' not in page.content.decode()
    assert client.get("/admin/registry/indicatorvalue/add/").status_code == 403


def test_pending_change_requests_are_on_the_covering_officials_workbench(
    alice, acme, reviewer, liuzhou_reviewer
):
    from kechuang.web.workbench import todos_for

    do_request_organisation_change(acme, acting_user=alice, name="南宁新名称有限公司")
    url = reverse("registry:change_requests")
    assert [t.count for t in todos_for(reviewer) if t.url == url] == [1]
    assert not [t for t in todos_for(liuzhou_reviewer) if t.url == url]
