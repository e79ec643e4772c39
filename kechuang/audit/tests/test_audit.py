import pytest
from django.db import transaction
from django.urls import reverse

from kechuang.audit.models import AuditEntry
from kechuang.audit.services import record
from kechuang.errors import DomainError
from kechuang.registry.models import IndicatorValue
from kechuang.registry.services import do_record_indicator, do_update_organisation

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_is_refused(acme, reviewer):
    with pytest.raises(RuntimeError):
        record("x", acme, acting_user=reviewer)


def test_a_failed_change_leaves_neither_change_nor_audit(acme, reviewer):
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError):
        do_update_organisation(acme, acting_user=reviewer, name="新名称", region="000000")
    acme.refresh_from_db()
    assert acme.name == "南宁阿克米科技有限公司" and AuditEntry.objects.count() == before


def test_audit_is_rolled_back_with_its_change(acme, reviewer):
    before = AuditEntry.objects.count()

    def change_then_fail():
        with transaction.atomic():
            do_update_organisation(acme, acting_user=reviewer, name="新名称")
            raise RuntimeError("later failure in the same request")

    with pytest.raises(RuntimeError):
        change_then_fail()
    acme.refresh_from_db()
    assert acme.name != "新名称" and AuditEntry.objects.count() == before


def test_indicator_correction_records_old_and_new_values(acme, reviewer):
    do_record_indicator(acme, "rd_spending", 2023, 100, reference="统计局", acting_user=reviewer)
    unchanged = do_record_indicator(acme, "rd_spending", 2023, 100, reference="统计局", acting_user=reviewer)
    do_record_indicator(acme, "rd_spending", 2023, 150, reference="更正", acting_user=reviewer)
    assert not unchanged.created
    entries = list(
        AuditEntry.objects.filter(action="registry.indicator.record")
        .order_by("id")
        .values_list("changes", flat=True)
    )
    assert entries == [
        {"rd_spending:2023": [None, 100], "source": [None, "verified"]},
        {"rd_spending:2023": [100, 150]},
    ]
    assert IndicatorValue.objects.filter(organisation=acme, year=2023).count() == 2


def test_enterprise_may_not_record_another_organisations_indicator(acme, bob):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        do_record_indicator(acme, "rd_spending", 2023, 100, acting_user=bob)


def test_officials_browse_per_record_and_per_user(login, reviewer, acme, globex):
    do_update_organisation(acme, acting_user=reviewer, address="一号")
    do_update_organisation(globex, acting_user=reviewer, address="二号")
    client = login(reviewer)
    per_record = client.get(
        reverse("audit:list"), {"target_type": "registry.organisation", "target_id": acme.pk}
    )
    entries = per_record.context["page"].object_list
    assert [e.action for e in entries] == ["registry.org.update", "registry.org.create"]
    assert {e.target_label for e in entries} == {acme.name}
    per_user = client.get(reverse("audit:list"), {"actor": "reviewer1", "action": "registry.org.update"})
    assert per_user.context["page"].paginator.count == 2


def test_city_official_sees_only_its_citys_audit(login, reviewer, liuzhou_reviewer, acme, globex):
    do_update_organisation(acme, acting_user=reviewer, address="一号")
    do_update_organisation(globex, acting_user=reviewer, address="二号")
    entries = (
        login(liuzhou_reviewer)
        .get(reverse("audit:list"), {"action": "registry.org.update"})
        .context["page"]
        .object_list
    )
    assert [e.target_label for e in entries] == [globex.name]


def test_audit_api_is_for_officials_only(client, alice, reviewer, acme):
    from kechuang.accounts.services import do_issue_api_token

    _t, key = do_issue_api_token(alice, "x", acting_user=alice)
    assert client.get("/api/audit/entries", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 403
    _t, key = do_issue_api_token(reviewer, "x", acting_user=None)
    body = client.get("/api/audit/entries", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert body["count"] >= 1


def test_audit_export_is_for_officials_and_follows_the_filters(login, reviewer, alice, acme, globex):
    import io

    from openpyxl import load_workbook

    do_update_organisation(acme, acting_user=reviewer, address="一号")
    do_update_organisation(globex, acting_user=reviewer, address="二号")
    assert login(alice).get(reverse("audit:export")).status_code == 403
    content = (
        login(reviewer)
        .get(reverse("audit:export"), {"target_type": "registry.organisation", "target_id": acme.pk})
        .content
    )
    rows = list(load_workbook(io.BytesIO(content)).active.values)
    assert {r[5] for r in rows[1:]} == {acme.name} and len(rows) == 3


def test_a_recorded_code_shows_as_the_name_it_stands_for_and_nested_values_without_filler_labels(
    acme, reviewer
):
    from kechuang.audit.display import describe
    from kechuang.registry.models import Indicator

    indicator = Indicator.objects.get(code="rd_spending")
    with transaction.atomic():
        entry = record(
            "registry.indicator.update",
            indicator,
            acting_user=reviewer,
            changes={"code": [None, "rd_spending"], "content": [None, {"window": 3, "unit": "fen"}]},
        )
    shown = {label: new for label, _old, new in describe(entry)["changes"]}
    assert "rd_spending" not in "".join(shown.values())
    assert indicator.name in shown.values()
    assert "其他信息" not in next(v for v in shown.values() if "3" in v)
