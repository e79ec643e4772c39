"""Refusals never reveal another firm's patent."""

import pytest

from kechuang.accounts.services import do_issue_api_token
from kechuang.errors import DomainError
from kechuang.pledge import services
from kechuang.pledge.tests.conftest import add_patent


def test_a_need_with_another_firms_patent_is_refused_without_naming_that_patent(client, alice, bob):
    theirs = add_patent(bob, legal_status="lapsed")
    token = do_issue_api_token(alice, "t", acting_user=None)[1]

    def publish(patent_id):
        return client.post(
            "/api/pledge/needs",
            data={"amount_fen": 10**7, "term_months": 12, "purpose": "研发", "patent_ids": [patent_id]},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    response = publish(theirs.pk)
    assert response.status_code == 400
    text = response.content.decode("unicode_escape")
    assert theirs.application_number not in text and theirs.patent_number not in text
    assert "lapsed" not in text and "not_owner" not in text and "失效" not in text
    assert response.json() == publish(10**9).json()


def test_another_firms_patent_looks_exactly_like_a_missing_one(alice, bob):
    theirs = add_patent(bob)
    refusals = []
    for patent_id in (theirs.pk, 10**9):
        with pytest.raises(DomainError) as exc:
            services.do_publish_need(
                acting_user=alice, amount_fen=10**7, term_months=12, purpose="研发", patent_ids=[patent_id]
            )
        refusals.append((exc.value.code, str(exc.value.message), exc.value.details))
    assert refusals[0] == refusals[1]
