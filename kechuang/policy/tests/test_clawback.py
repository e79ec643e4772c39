"""Clawback money back into the fund: a refund entry in the fund's ledger (once per receipt, audited, shown on the
fund's ledger page), and statistics that count what was paid net of what was recovered."""

import pytest
from django.urls import reverse

from kechuang.audit.models import AuditEntry
from kechuang.errors import DomainError, ErrorCode
from kechuang.jobs.queue import run_pending
from kechuang.kpi.headlines import policy_figures
from kechuang.policy import services
from kechuang.policy.models import LedgerEntry
from kechuang.policy.stats import net_paid_total, payout_statistics
from kechuang.policy.tests.conftest import WAN
from kechuang.testing import record_indicators

pytestmark = pytest.mark.django_db


@pytest.fixture
def overpaid(firms, make_round, reviewer, chain, payer):
    """A paid round; the tax authority then lowers globex's confirmed 2024 R&D expense (1600万 → 1300万), so
    globex was paid 120万 where 60万 was due: 60万 to recover."""
    _acme, globex = firms
    round_ = make_round()
    services.do_screen_round(round_, acting_user=reviewer)
    [job] = run_pending()
    assert job.status == "succeeded", job.error
    round_.refresh_from_db()
    chain.all(round_)
    record_indicators(globex, 2024, rd_super_deduction=1300 * WAN)
    [recovery] = services.do_check_clawbacks(round_, acting_user=payer)
    assert recovery.overpaid_fen == 60 * WAN
    return round_, recovery


def test_a_recovery_is_booked_back_into_the_fund_once_per_receipt_and_audited(overpaid, payer):
    round_, recovery = overpaid
    fund = round_.fund
    balance = services.fund_balance(fund)
    services.do_record_recovery(recovery, amount_fen=20 * WAN, receipt="缴款书 2025-001", acting_user=payer)
    [entry] = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.RECOVERY)
    assert (entry.fund_id, entry.amount_fen, entry.recovery_id, entry.receipt) == (
        fund.pk,
        20 * WAN,
        recovery.pk,
        "缴款书 2025-001",
    )
    assert services.fund_balance(fund) == balance + 20 * WAN
    audit = AuditEntry.objects.get(action="policy.recovery.record", target_id=str(recovery.pk))
    assert (
        audit.changes["ledger_entry"] == [None, entry.pk] and audit.changes["receipt"][1] == "缴款书 2025-001"
    )

    # the same receipt again (a resubmitted form, a retried request): nothing more is booked
    again = services.do_record_recovery(
        recovery, amount_fen=20 * WAN, receipt=" 缴款书 2025-001 ", acting_user=payer
    )
    assert again.recovered_fen == 20 * WAN
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.RECOVERY).count() == 1
    assert services.fund_balance(fund) == balance + 20 * WAN
    assert AuditEntry.objects.filter(action="policy.recovery.record").count() == 1

    # the same receipt for other money is refused; a recovery without a receipt too
    with pytest.raises(DomainError) as used:
        services.do_record_recovery(
            recovery, amount_fen=30 * WAN, receipt="缴款书 2025-001", acting_user=payer
        )
    assert used.value.code == ErrorCode.CONFLICT and used.value.details["reason"] == "receipt_used"
    with pytest.raises(DomainError) as blank:
        services.do_record_recovery(recovery, amount_fen=30 * WAN, receipt="  ", acting_user=payer)
    assert blank.value.code == ErrorCode.INVALID and blank.value.details == {"field": "receipt"}
    assert services.fund_balance(fund) == balance + 20 * WAN


def test_the_funds_ledger_page_shows_the_refund_to_its_officials_only(
    overpaid, payer, login, alice, liuzhou_reviewer, reviewer
):
    round_, recovery = overpaid
    fund = round_.fund
    response = login(payer).post(
        reverse("policy:recovery_record", args=[recovery.pk]),
        {"amount_yuan": "200000", "receipt": "回单 88", "note": "企业退回"},
    )
    assert response.status_code == 302
    url = reverse("policy:fund_ledger", args=[fund.pk])
    body = login(reviewer).get(url).content.decode()
    assert 'data-kind="recovery"' in body and "回单 88" in body
    assert f'data-recovered="{20 * WAN}"' in body
    assert f'data-balance="{services.fund_balance(fund)}"' in body
    detail = login(payer).get(reverse("policy:round_detail", args=[round_.pk])).content.decode()
    assert url in detail
    for outsider in (alice, liuzhou_reviewer):
        assert login(outsider).get(url).status_code == 404


def test_statistics_count_what_was_paid_net_of_what_was_recovered(overpaid, payer, login, reviewer):
    round_, recovery = overpaid
    before = payout_statistics()["total"]
    kpi_before = {f["key"]: f["value"] for f in policy_figures(year=2024, city=None)["figures"]}
    assert before["recovered_fen"] == 0 and kpi_before["paid_fen"] == before["paid_fen"]
    services.do_record_recovery(recovery, amount_fen=20 * WAN, receipt="缴款书 1", acting_user=payer)
    after = payout_statistics()
    total = after["total"]
    assert (total["gross_fen"], total["recovered_fen"], total["paid_fen"]) == (
        before["paid_fen"],
        20 * WAN,
        before["paid_fen"] - 20 * WAN,
    )
    [programme] = after["programmes"]
    assert programme["paid_fen"] == total["paid_fen"] and programme["recovered_fen"] == 20 * WAN
    liuzhou = next(r for r in after["cities"] if r["key"] == recovery.organisation.city_id)
    assert liuzhou["recovered_fen"] == 20 * WAN
    kpi = {f["key"]: f["value"] for f in policy_figures(year=2024, city=None)["figures"]}
    assert kpi["paid_fen"] == total["paid_fen"]
    assert net_paid_total() == {"paid_fen": total["paid_fen"], "firms": total["enterprises"]}
    body = login(reviewer).get(reverse("policy:statistics")).content.decode()
    assert "20.00" in body  # the recovered 20万 is stated beside the net figure


def test_an_enterprise_whose_whole_payment_was_recovered_is_no_longer_counted(overpaid, payer):
    round_, recovery = overpaid
    before = payout_statistics()["total"]
    recovery.overpaid_fen = recovery.paid_fen  # e.g. the figure was withdrawn altogether
    recovery.save(update_fields=["overpaid_fen"])
    services.do_record_recovery(recovery, amount_fen=recovery.paid_fen, receipt="缴款书 9", acting_user=payer)
    total = payout_statistics()["total"]
    assert total["paid_fen"] == before["paid_fen"] - recovery.paid_fen
    assert total["enterprises"] == before["enterprises"] - 1
    assert net_paid_total()["firms"] == before["enterprises"] - 1
