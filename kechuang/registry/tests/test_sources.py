"""Every indicator value carries its source, decided by the writer's department and never chosen by the caller."""

import pytest

from kechuang.accounts.models import Role
from kechuang.accounts.services import do_issue_api_token
from kechuang.errors import DomainError
from kechuang.registry.models import DepartmentType, IndicatorValue, OrganisationKind
from kechuang.registry.services import do_record_indicator
from kechuang.testing import make_org, make_user

pytestmark = pytest.mark.django_db


def bureau_official(username, department_type, **kw):
    bureau = make_org(
        f"广西{username}局",
        kind=OrganisationKind.GOVERNMENT,
        region="450103",
        registration="11",
        industry=None,
    )
    bureau.department_type = department_type
    bureau.save(update_fields=["department_type"])
    return make_user(username, org=bureau, role=Role.REVIEWER, **kw)


@pytest.fixture
def tax_official(db):
    return bureau_official("tax1", DepartmentType.TAX)


def bearer(user):
    _token, key = do_issue_api_token(user, "system", acting_user=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post_indicator(client, org, headers, **payload):
    return client.post(
        f"/api/registry/organisations/{org.pk}/indicators",
        payload,
        content_type="application/json",
        **headers,
    )


def current(org, code, year):
    return IndicatorValue.objects.get(organisation=org, indicator_id=code, year=year, is_current=True)


def test_an_organisation_cannot_write_a_bureaus_source_through_the_api(client, alice, acme):
    headers = bearer(alice)
    refused = post_indicator(
        client, acme, headers, indicator="rd_super_deduction", year=2024, value=5_000_000_000_00, source="tax"
    )
    assert refused.status_code == 403 and refused.json()["code"] == "source_not_allowed"
    assert not IndicatorValue.objects.filter(organisation=acme).exists()

    accepted = post_indicator(client, acme, headers, indicator="rd_super_deduction", year=2024, value=100)
    assert accepted.status_code == 200
    assert accepted.json()["sources"] == {"rd_super_deduction": {"2024": "self"}}
    assert current(acme, "rd_super_deduction", 2024).source == "self"


def test_a_bureau_delivers_its_source_through_its_own_token(client, tax_official, acme):
    response = post_indicator(
        client,
        acme,
        bearer(tax_official),
        indicator="rd_super_deduction",
        year=2024,
        value=300_0000_00,
        reference="2024年度汇算清缴",
    )
    assert response.status_code == 200
    value = current(acme, "rd_super_deduction", 2024)
    assert (value.source, value.reference, value.recorded_by) == ("tax", "2024年度汇算清缴", tax_official)


def test_other_officials_verify_and_statistics_officials_deliver_statistics(reviewer, acme):
    statistician = bureau_official("stats1", DepartmentType.STATISTICS)
    do_record_indicator(acme, "rd_spending", 2024, 500, acting_user=statistician)
    do_record_indicator(acme, "revenue", 2024, 9000, acting_user=reviewer)
    assert current(acme, "rd_spending", 2024).source == "statistics"
    assert current(acme, "revenue", 2024).source == "verified"


def test_an_organisation_cannot_overwrite_a_bureaus_figure(client, alice, acme, tax_official):
    do_record_indicator(acme, "rd_super_deduction", 2023, 300, acting_user=tax_official)
    response = post_indicator(
        client, acme, bearer(alice), indicator="rd_super_deduction", year=2023, value=9**12
    )
    assert response.status_code == 409 and response.json()["code"] == "authoritative_value"
    assert (
        current(acme, "rd_super_deduction", 2023).value,
        current(acme, "rd_super_deduction", 2023).source,
    ) == (
        300,
        "tax",
    )
    # the same figure again is harmless, and a bureau replaces a self-declared figure
    assert not do_record_indicator(acme, "rd_super_deduction", 2023, 300, acting_user=alice).created
    do_record_indicator(acme, "employees", 2023, 10, acting_user=alice)
    statistician = bureau_official("stats2", DepartmentType.STATISTICS)
    do_record_indicator(acme, "employees", 2023, 12, acting_user=statistician)
    assert current(acme, "employees", 2023).source == "statistics"


def test_unknown_indicator_and_absurd_year_are_refused_not_500(client, alice, acme):
    headers = bearer(alice)
    assert post_indicator(client, acme, headers, indicator="nope", year=2024, value=1).status_code == 400
    assert post_indicator(client, acme, headers, indicator="revenue", year=0, value=1).status_code == 422
    with pytest.raises(DomainError):
        do_record_indicator(acme, "revenue", 2024, 10**16, acting_user=alice)


def test_the_form_records_the_writers_source_whatever_is_posted(login, alice, bob, acme, tax_official):
    from django.urls import reverse

    url = reverse("registry:record_indicator", args=[acme.pk])
    client = login(alice)
    page = client.get(reverse("registry:organisation_detail", args=[acme.pk])).content.decode()
    assert "本账号录入的数据来源为“机构自报”" in page
    form = {
        "indicator": "rd_super_deduction",
        "year": 2024,
        "value": "1234.56",
        "source": "tax",
        "reference": "自查",
    }
    assert client.post(url, form).status_code == 302
    value = current(acme, "rd_super_deduction", 2024)
    assert (value.value, value.source, value.reference) == (123456, "self", "自查")

    assert login(tax_official).post(url, {**form, "value": "2000"}).status_code == 302
    assert (
        current(acme, "rd_super_deduction", 2024).source,
        current(acme, "rd_super_deduction", 2024).value,
    ) == (
        "tax",
        200000,
    )
    response = login(alice).post(url, {**form, "value": "99999999"}, follow=True)
    assert "不能以机构自报的数据覆盖" in response.content.decode()
    assert current(acme, "rd_super_deduction", 2024).value == 200000
    assert login(bob).post(url, form).status_code == 404
