"""Rules that pay money count only the sources they accept; a self-declared figure is at most a marked preview."""

import pytest
from django.urls import reverse

from kechuang.accounts.models import Role
from kechuang.errors import DomainError
from kechuang.jobs.queue import run_pending
from kechuang.policy import services
from kechuang.policy.engine.variables import ACCEPTED_SOURCES, INDICATORS
from kechuang.policy.models import Candidate
from kechuang.policy.tests.conftest import WAN
from kechuang.registry.models import OrganisationKind
from kechuang.registry.services import do_record_indicator
from kechuang.testing import make_org, make_user, record_indicators

pytestmark = pytest.mark.django_db


def calc(org, year, code):
    [calculation] = services.calculate_for_organisation(org, year, codes=[code])
    return calculation


def test_every_indicator_input_names_the_sources_it_accepts():
    for variable in INDICATORS:
        accepted = ACCEPTED_SOURCES[variable.name]
        assert accepted and "self" not in accepted, variable.name


def test_writing_its_own_tax_confirmed_figure_does_not_change_an_enterprises_reward(client, firms, alice):
    """Reproduction: the enterprise wrote its own "tax-confirmed" super-deduction base and its incremental reward
    went to the 500万 cap."""
    acme, _globex = firms
    before = calc(acme, 2024, "rd_incremental").result
    assert before.eligible and before.amount == 20 * WAN
    client.force_login(alice)
    response = client.post(
        f"/api/registry/organisations/{acme.pk}/indicators",
        {"indicator": "rd_super_deduction", "year": 2024, "value": 99_999 * WAN, "source": "税务确认"},
        content_type="application/json",
    )
    assert response.status_code == 403
    with pytest.raises(DomainError) as refused:
        do_record_indicator(acme, "rd_super_deduction", 2024, 99_999 * WAN, acting_user=alice)
    assert refused.value.code == "authoritative_value"
    after = calc(acme, 2024, "rd_incremental")
    assert (after.result.amount, after.if_confirmed) == (20 * WAN, None)

    # a year the tax authority has not confirmed yet: the enterprise's own figure is only a marked preview
    do_record_indicator(acme, "rd_super_deduction", 2025, 900 * WAN, acting_user=alice)
    record_indicators(acme, 2025, revenue=10_000 * WAN, rd_spending=500 * WAN)
    preview = calc(acme, 2025, "rd_incremental")
    assert not preview.result.eligible
    assert preview.if_confirmed is not None and preview.if_confirmed.amount == 100 * WAN
    page = client.get(reverse("policy:calculator") + "?year=2025").content.decode()
    assert "仅供参考：若机构自报的数据经主管部门确认，可得 100.00 万元" in page
    assert (
        "未经确认，不计入"
        in client.get(
            reverse("policy:calculator_detail", args=["rd_incremental"]) + "?year=2025"
        ).content.decode()
    )


def test_a_bank_entering_its_own_paid_in_capital_gets_no_establishment_subsidy(client):
    """Reproduction: the "bank" entered its own paid-in capital and the calculator gave it 6,000万."""
    bank = make_org("广西某某银行股份有限公司", kind=OrganisationKind.BANK, industry="J")
    banker = make_user("banker", org=bank, role=Role.ORG_ADMIN)
    record_indicators(bank, 2024, fi_establishment_type=1)  # the financial regulator's licence record
    client.force_login(banker)
    response = client.post(
        f"/api/registry/organisations/{bank.pk}/indicators",
        {"indicator": "paid_in_capital", "year": 2024, "value": 300_000 * WAN},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["sources"]["paid_in_capital"] == {"2024": "self"}
    result = calc(bank, 2024, "fi_establishment")
    assert not result.result.eligible and result.result.amount == 0
    assert result.if_confirmed.amount == 6000 * WAN  # shown as a preview only
    # confirmed by the financial regulator's own figure, it pays
    record_indicators(bank, 2024, paid_in_capital=300_000 * WAN + 1)
    assert calc(bank, 2024, "fi_establishment").result.amount == 6000 * WAN


def test_screening_uses_only_accepted_sources(firms, make_round, reviewer):
    acme, globex = firms
    initech = make_org("南宁自报科技有限公司", region="450103")
    owner = make_user("initech", org=initech, role=Role.ORG_ADMIN)
    for year, deduction in ((2023, 100 * WAN), (2024, 2_000 * WAN)):
        for code, value in (
            ("revenue", 10_000 * WAN),
            ("rd_spending", 600 * WAN),
            ("rd_super_deduction", deduction),
        ):
            do_record_indicator(initech, code, year, value, acting_user=owner)
    round_ = make_round()
    services.do_screen_round(round_, acting_user=reviewer)
    [job] = run_pending()
    assert job.status == "succeeded", job.error
    listed = set(Candidate.objects.filter(round=round_).values_list("organisation_id", flat=True))
    assert globex.pk in listed and initech.pk not in listed
