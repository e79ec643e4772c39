"""Out-of-range and null input is refused with a client error, never a 500; multi-write operations are atomic.

One test per input the API fuzz run of issue #9 found answering 500.
"""

import pytest

from kechuang.accounts.services import do_issue_api_token
from kechuang.bounds import MAX_FEN
from kechuang.policy.models import Fund, Programme


@pytest.fixture
def call(client):
    def do(user, method, path, body=None, **query):
        token = do_issue_api_token(user, "test", acting_user=None)[1]
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if body is not None:
            kwargs.update(data=body, content_type="application/json")
        elif query:
            kwargs["data"] = query
        return getattr(client, method)(path, **kwargs)

    return do


def test_a_budget_beyond_the_money_bound_is_refused_and_leaves_no_programme_without_its_fund(call, reviewer):
    for budget in (2**63, MAX_FEN + 1):
        response = call(
            reviewer,
            "post",
            "/api/policy/programmes",
            {"name": "研发奖补", "policy_codes": ["rd_incremental"], "fund_year": 2025, "budget_fen": budget},
        )
        assert response.status_code == 422, response.content
    assert not Programme.objects.exists() and not Fund.objects.exists()


def test_a_programme_whose_fund_is_refused_is_not_created_either(reviewer):
    from kechuang.errors import DomainError
    from kechuang.policy import services

    with pytest.raises(DomainError):
        services.do_create_programme_with_fund(
            "研发奖补", ["rd_incremental"], fund_name="", fund_year=0, budget_fen=100, acting_user=reviewer
        )
    assert not Programme.objects.exists()


def test_an_unknown_indicator_code_is_refused(call, alice):
    response = call(
        alice,
        "post",
        f"/api/registry/organisations/{alice.organisation_id}/indicators",
        {"indicator": "no_such_indicator", "year": 2024, "value": 1},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_year_zero_is_refused(call, alice):
    response = call(alice, "get", f"/api/policy/calculator/{alice.organisation_id}", year=0)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_a_term_of_a_hundred_thousand_months_is_refused(call, alice):
    from kechuang.pledge.tests.conftest import add_patent

    patent = add_patent(alice)
    response = call(alice, "get", f"/api/pledge/patents/{patent.pk}/eligibility", term_months=100000)
    assert response.status_code == 422


def test_a_page_number_beyond_any_page_is_refused(call, admin_user):
    response = call(admin_user, "get", "/api/registry/organisations", page="99999999999999999999")
    assert response.status_code == 422
    response = call(admin_user, "get", "/api/audit/entries", page="99999999999999999999")
    assert response.status_code == 422


def test_an_id_beyond_a_database_key_is_refused(call, admin_user):
    response = call(admin_user, "get", "/api/registry/organisations/99999999999999999999")
    assert response.status_code == 422


def test_null_for_a_field_that_cannot_be_empty_is_refused_and_changes_nothing(call, alice, acme):
    path = f"/api/registry/organisations/{acme.pk}"
    response = call(alice, "patch", path, {"size": None})
    assert response.status_code == 422
    acme.refresh_from_db()
    assert acme.size


def test_a_fifty_kilobyte_search_string_is_refused(call, alice, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    response = call(alice, "get", "/api/market/search", q="专利" * 25_000)
    assert response.status_code == 422


def test_a_body_with_a_lone_surrogate_is_refused(client, alice, acme):
    token = do_issue_api_token(alice, "test", acting_user=None)[1]
    response = client.patch(
        f"/api/registry/organisations/{acme.pk}",
        data='{"name": "\\ud800"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
