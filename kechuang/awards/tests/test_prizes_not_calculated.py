"""Prizes are decided by the award procedures, not calculated: the award and national-award rules are not in the
public calculator nor in an enterprise's calculator (page and API); they are still paid through rounds (see
test_payouts)."""

from django.test import Client

from kechuang.awards.services import DECIDED_POLICIES
from kechuang.policy import services as policy

PRIZE_NAMES = ("广西科学技术奖奖金", "国家科学技术奖奖金 1:1 配套奖励", "进入答辩阶段奖励")


def test_the_award_rules_are_the_ones_the_policy_app_knows_as_decided_elsewhere(db):
    assert set(DECIDED_POLICIES) <= set(policy.DECIDED_ELSEWHERE)
    assert set(DECIDED_POLICIES) <= set(policy.current_versions())


def test_the_public_calculator_does_not_offer_prizes(db):
    anonymous = Client()
    page = anonymous.get("/calculator/").content.decode()
    assert 'value="rd_incremental"' in page  # an ordinary payout is offered
    for code in DECIDED_POLICIES:
        assert f'value="{code}"' not in page
        assert anonymous.get(f"/calculator/?policy={code}").status_code == 404
    assert not any(name in page for name in PRIZE_NAMES)


def test_an_enterprise_calculator_does_not_list_prizes(client, alice, acme):
    client.force_login(alice)
    page = client.get("/policy/calculator/?year=2024").content.decode()
    assert "/policy/calculator/rd_incremental/" in page
    for code in DECIDED_POLICIES:
        assert f"/policy/calculator/{code}/" not in page
        assert client.get(f"/policy/calculator/{code}/?year=2024").status_code == 404
    api = client.get(f"/api/policy/calculator/{acme.pk}?year=2024")
    assert api.status_code == 200
    codes = {row["code"] for row in api.json()}
    assert "rd_incremental" in codes and not codes & set(DECIDED_POLICIES)
    one = client.get(f"/api/policy/calculator/{acme.pk}?year=2024&policy=st_award_prize")
    assert one.status_code == 404
