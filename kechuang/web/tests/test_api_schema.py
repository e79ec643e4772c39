"""The whole OpenAPI schema under schemathesis, in-process (WSGI), with an official's, an enterprise's and a bank's
token: no server error and no status code the schema does not document, on valid and invalid input alike.

Each operation gets a bounded number of generated requests (derandomised, so a run is repeatable); path ids are
drawn both at random and from a small world of real objects, so the generated bodies and queries reach the
services and not only the 404 of a missing object.
"""

import datetime as dt
import logging

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from config.api import ERROR_STATUSES, api
from kechuang.accounts.models import Role
from kechuang.accounts.services import do_issue_api_token
from kechuang.events import services as events
from kechuang.events.models import Event, EventKind
from kechuang.pledge.tests.conftest import add_patent, publish_product
from kechuang.policy import services as policy
from kechuang.registry.models import OrganisationKind
from kechuang.techmarket.tests.conftest import ACHIEVEMENT, publish
from kechuang.testing import make_org, make_user

EXAMPLES_PER_OPERATION = 8
CHECKS = [not_a_server_error, status_code_conformance]


@pytest.fixture
def world(settings, tmp_path, department, admin_user, reviewer, alice, bob):
    """One object of each kind the API addresses by id, owned by the three callers."""
    settings.DATA_DIR = tmp_path / "data"
    bank = make_org("工商银行广西分行", kind=OrganisationKind.BANK, industry="J")
    banker = make_user("banker", org=bank, role=Role.MEMBER)
    programme_fund = policy.do_create_programme_with_fund(
        "研发奖补", ["rd_incremental"], fund_name="", fund_year=2025, budget_fen=10**9, acting_user=reviewer
    )
    round_ = policy.do_create_round(
        programme_fund, "第一批", year=2024, budget_fen=10**8, mode="apply", acting_user=reviewer
    )
    patent = add_patent(alice)
    product = publish_product(banker)
    from kechuang.pledge import services as pledge

    need = pledge.do_publish_need(
        acting_user=alice, amount_fen=10**7, term_months=12, purpose="研发", patent_ids=[patent.pk]
    )
    event = events.do_create_event(
        acting_user=admin_user,
        kind=EventKind.TECH_MATCH,
        title="技术对接会",
        description="",
        timezone="Asia/Shanghai",
        starts_at=dt.datetime(2026, 9, 15, 8, 0),
        ends_at=dt.datetime(2026, 9, 15, 18, 0),
        venue="南宁",
        organiser=department,
        city="450100",
        languages=["zh-hans"],
        requires_approval=False,
        status=Event.Status.PUBLISHED,
    )
    registration = events.do_register(event, acting_user=alice)
    events.do_register(event, acting_user=bob)
    listing = publish(alice, reviewer, **{**ACHIEVEMENT, "patents": []})
    ids = {
        "org_id": alice.organisation_id,
        "round_id": round_.pk,
        "patent_id": patent.pk,
        "need_id": need.pk,
        "product_id": product.pk,
        "event_id": event.pk,
        "listing_id": listing.pk,
    }
    users = {"official": admin_user, "enterprise": alice, "bank": banker}
    return users, ids, registration


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, keeping the test's database connection open between requests (as the test
    client does): its transaction holds the world and is rolled back at the end."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def strategy(operation, ids):
    """Valid and invalid requests, with random path ids and (where the path names them) the world's real ids."""
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    names = {p.name for p in operation.path_parameters}
    if names and names <= set(ids):
        strategies.append(
            operation.as_strategy(GenerationMode.POSITIVE, path_parameters={n: ids[n] for n in names})
        )
    return st.one_of(strategies)


@pytest.mark.parametrize("role", ["official", "enterprise", "bank"])
def test_every_operation_answers_only_documented_statuses_and_never_a_server_error(role, world, wsgi_app):
    users, ids, _ = world
    token = do_issue_api_token(users[role], "schemathesis", acting_user=None)[1]
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
    schema.app = wsgi_app
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # the 4xx answers are the point
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=strategy(operation, ids))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{operation.label}: {str(exc)[:2000]}")
    assert operations > 50
    assert not failures, "\n\n".join(failures)


def test_every_operation_documents_the_error_statuses_with_the_shared_error_body():
    schema = api.get_openapi_schema(path_prefix="/api")
    assert "Error" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ERROR_STATUSES:
                if status == 401 and "security" not in operation:
                    continue
                response = operation["responses"].get(status)
                assert response is not None, (method, path, status)
                assert response["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"
                }
