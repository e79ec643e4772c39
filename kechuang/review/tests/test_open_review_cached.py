"""The navigation asks `can_open_review` on every page: the committee query runs at most once per request."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.permissions.review import can_open_review


def committee_queries(ctx) -> int:
    return sum("review_stage_committee" in q["sql"] for q in ctx.captured_queries)


def test_committee_membership_is_asked_once_per_user_object(alice):
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(5):
            assert can_open_review(alice) is False
    assert committee_queries(ctx) == 1


def test_a_page_asks_the_committee_once(client, alice):
    client.force_login(alice)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    assert committee_queries(ctx) <= 1
