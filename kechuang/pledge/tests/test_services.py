import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.audit.models import AuditEntry
from kechuang.errors import DomainError, ErrorCode
from kechuang.money import split_by_ratios
from kechuang.pledge import services
from kechuang.pledge.errors import PledgeError
from kechuang.pledge.models import CooperationModel, LegalStatus, LoanStatus, Pledge, RiskParty
from kechuang.pledge.tests.conftest import add_patent, app_number, publish_product, run_to_disbursed


def refusal_codes(exc):
    return {r["code"] for r in exc.value.details["refusals"]}


def test_register_patent_derives_type_and_expiry(alice):
    patent = add_patent(alice, type_digit="2", years_ago=2)
    assert patent.patent_type == "utility"
    assert patent.expiry_date.year == patent.filing_date.year + 10
    assert AuditEntry.objects.filter(action="pledge.patent.register", target_id=str(patent.pk)).exists()


def test_register_patent_refuses_bad_number_duplicate_and_wrong_type(alice, bob):
    with pytest.raises(DomainError) as exc:
        services.do_register_patent(
            acting_user=alice, application_number="201710601862.4", title="x", filing_date=dt.date(2017, 5, 1)
        )
    assert exc.value.code == PledgeError.INVALID_PATENT_NUMBER
    services.do_register_patent(
        acting_user=alice,
        application_number="ZL201710601862.3",
        title="x",
        filing_date=dt.date(2017, 5, 1),
        grant_date=dt.date(2019, 1, 1),
    )
    with pytest.raises(DomainError) as exc:
        services.do_register_patent(
            acting_user=bob, application_number="201710601862.3", title="y", filing_date=dt.date(2017, 5, 1)
        )
    assert exc.value.code == PledgeError.DUPLICATE_PATENT
    with pytest.raises(DomainError) as exc:
        services.do_register_patent(
            acting_user=alice,
            application_number=app_number(2020, "1"),
            title="z",
            filing_date=dt.date(2020, 3, 1),
            patent_type="design",
        )
    assert exc.value.code == ErrorCode.INVALID and exc.value.details == {"field": "patent_type"}
    with pytest.raises(DomainError) as exc:
        services.do_register_patent(
            acting_user=alice,
            application_number=app_number(2020, "1"),
            title="z",
            filing_date=dt.date(2021, 3, 1),
        )
    assert exc.value.code == ErrorCode.INVALID and exc.value.details == {"field": "filing_date"}


def test_only_enterprises_register_patents(banker, outsider, reviewer):
    for user in (banker, outsider, reviewer):
        with pytest.raises(PermissionDenied):
            services.do_register_patent(
                acting_user=user, application_number=app_number(), title="x", filing_date=dt.date(2022, 1, 1)
            )


def test_eligibility_lists_every_refusal_ground_with_a_reason(alice, bob, acme):
    mine = add_patent(alice)
    lapsed = add_patent(alice, legal_status=LegalStatus.LAPSED)
    invalid = add_patent(alice, legal_status=LegalStatus.INVALIDATED)
    pending = add_patent(alice, legal_status=LegalStatus.PENDING, grant_date=None)
    unpaid = add_patent(alice, fee_paid_until=dt.date.today() - dt.timedelta(days=1))
    disputed = add_patent(alice, in_dispute=True)
    challenged = add_patent(alice, invalidation_pending=True)
    old_utility = add_patent(alice, type_digit="2", years_ago=9)  # about a year of term left
    shared = add_patent(
        alice,
        co_owners=[
            {"name": "广西大学", "consents_to_pledge": False},
            {"name": "桂林理工", "consents_to_pledge": True},
        ],
    )
    bobs = add_patent(bob)
    assert services.check_eligibility(acme.pk, [mine], 12) == []
    cases = {
        lapsed: PledgeError.LAPSED,
        invalid: PledgeError.INVALIDATED,
        pending: PledgeError.NOT_GRANTED,
        unpaid: PledgeError.FEE_UNPAID,
        disputed: PledgeError.DISPUTE,
        challenged: PledgeError.INVALIDATION_PENDING,
        old_utility: PledgeError.TERM_TOO_LONG,
        shared: PledgeError.NO_CO_OWNER_CONSENT,
        bobs: PledgeError.NOT_OWNER,
    }
    for patent, code in cases.items():
        refusals = services.check_eligibility(acme.pk, [patent], 24)
        assert code in {r.code for r in refusals}, (patent, refusals)
        assert all(patent.application_number in str(r.message) for r in refusals)
    shared_reasons = services.check_eligibility(acme.pk, [shared], 12)
    assert "广西大学" in str(shared_reasons[0].message) and "桂林理工" not in str(shared_reasons[0].message)
    term = [
        r
        for r in services.check_eligibility(acme.pk, [old_utility], 24)
        if r.code == PledgeError.TERM_TOO_LONG
    ][0]
    assert str(old_utility.expiry_date) in str(term.message)


def test_publishing_a_need_refuses_ineligible_patents(alice):
    lapsed = add_patent(alice, legal_status=LegalStatus.LAPSED)
    with pytest.raises(DomainError) as exc:
        services.do_publish_need(
            acting_user=alice,
            amount_fen=100_000_00,
            term_months=12,
            purpose="流动资金",
            patent_ids=[lapsed.pk],
        )
    assert exc.value.code == PledgeError.LAPSED and "未缴年费" in exc.value.message


def test_product_needs_chinese_and_english_names(banker, alice):
    with pytest.raises(DomainError) as exc:
        publish_product(banker, texts={"zh-hans": {"name": "知易贷"}})
    assert exc.value.code == ErrorCode.INVALID and exc.value.details == {"field": "name_en"}
    product = publish_product(banker)
    assert product.name("en") == "IP Pledge Loan" and product.name("zh-hans") == "知识产权质押贷"
    assert product.texts.count() == 2
    with pytest.raises(PermissionDenied):
        publish_product(alice)


def test_product_rejects_inverted_ranges(banker):
    with pytest.raises(DomainError) as exc:
        publish_product(banker, min_amount_fen=500, max_amount_fen=100)
    assert exc.value.code == ErrorCode.INVALID and exc.value.details == {"field": "max_amount_fen"}
    with pytest.raises(DomainError) as exc:
        publish_product(banker, regions=["999999"])
    assert exc.value.code == ErrorCode.UNKNOWN_REGION


def test_full_lifecycle_to_closure_releases_the_pledge(application, banker, picc, patent):
    app = run_to_disbursed(application, banker, picc, amount_fen=1_200_000_00)
    assert app.status == LoanStatus.DISBURSED and app.balance_fen == 1_200_000_00
    schedule = list(app.instalments.all())
    assert len(schedule) == 12 and sum(i.principal_fen for i in schedule) == 1_200_000_00
    assert schedule[0].interest_fen == 400_000  # 120万 × 4% / 12 = 4000 元
    assert Pledge.objects.filter(patent=patent, active=True).count() == 1
    services.do_record_repayment(app, acting_user=banker, principal_fen=200_000_00, interest_fen=400_000)
    app.refresh_from_db()
    assert app.balance_fen == 1_000_000_00
    with pytest.raises(DomainError) as exc:
        services.do_record_repayment(app, acting_user=banker, principal_fen=1_000_000_01)
    assert exc.value.code == PledgeError.REPAYMENT_EXCEEDS_BALANCE and "1,000,000.00" in exc.value.message
    services.do_record_repayment(app, acting_user=banker, principal_fen=1_000_000_00)
    app.refresh_from_db()
    assert app.status == LoanStatus.CLOSED and app.balance_fen == 0
    assert not Pledge.objects.filter(patent=patent, active=True).exists()
    actions = list(
        AuditEntry.objects.filter(target_type="pledge.loanapplication", target_id=str(app.pk)).values_list(
            "action", flat=True
        )
    )
    for step in ("apply", "value", "approve", "register", "disburse", "repay"):
        assert f"pledge.loan.{step}" in actions


def test_a_patent_cannot_be_pledged_twice(alice, banker, picc, patent, product):
    first = services.do_publish_need(
        acting_user=alice, amount_fen=1_000_000_00, term_months=12, purpose="设备", patent_ids=[patent.pk]
    )
    second = services.do_publish_need(
        acting_user=alice, amount_fen=1_000_000_00, term_months=12, purpose="研发", patent_ids=[patent.pk]
    )
    app1 = services.do_apply(first, product, acting_user=alice, cooperation_model=CooperationModel.BANK)
    app2 = services.do_apply(second, product, acting_user=alice, cooperation_model=CooperationModel.BANK)
    for app in (app1, app2):
        services.do_record_valuation(
            app, acting_user=banker, method="market", valuer="评估所", report="R1", valuation_fen=4_000_000_00
        )
        services.do_approve_credit(app, acting_user=banker, amount_fen=1_000_000_00, rate_bp=385)
    services.do_register_pledge(app1, acting_user=banker, registration_number="Y1")
    with pytest.raises(DomainError) as exc:
        services.do_register_pledge(app2, acting_user=banker, registration_number="Y2")
    assert exc.value.code == PledgeError.ALREADY_PLEDGED and "重复质押" in exc.value.message
    app2.refresh_from_db()
    assert app2.status == LoanStatus.APPROVED
    # and a new need with the pledged patent is refused at once
    with pytest.raises(DomainError) as exc:
        services.do_publish_need(
            acting_user=alice, amount_fen=1_000_000_00, term_months=6, purpose="x", patent_ids=[patent.pk]
        )
    assert exc.value.code == PledgeError.ALREADY_PLEDGED


def test_loan_longer_than_remaining_patent_term_is_refused(alice, banker):
    old = add_patent(alice, type_digit="2", years_ago=9)
    product = publish_product(banker)
    with pytest.raises(DomainError) as exc:
        services.do_publish_need(
            acting_user=alice, amount_fen=1_000_000_00, term_months=30, purpose="x", patent_ids=[old.pk]
        )
    assert exc.value.code == PledgeError.TERM_TOO_LONG and "剩余期限" in exc.value.message
    assert product.pk


def test_approval_respects_pledge_rate_and_needs_the_models_insurer(application, banker, picc, sme_guarantee):
    with pytest.raises(DomainError) as exc:
        services.do_approve_credit(
            application, acting_user=banker, amount_fen=1_000_000_00, rate_bp=400, insurer_id=picc.pk
        )
    assert exc.value.code == ErrorCode.INVALID_STATE and exc.value.details == {"missing": "valuation"}
    services.do_record_valuation(
        application,
        acting_user=banker,
        method="cost",
        valuer="评估所",
        report="R",
        valuation_fen=2_000_000_00,
    )
    with pytest.raises(DomainError) as exc:
        services.do_approve_credit(
            application, acting_user=banker, amount_fen=1_500_000_00, rate_bp=400, insurer_id=picc.pk
        )
    assert exc.value.code == PledgeError.OVER_VALUATION
    with pytest.raises(DomainError) as exc:
        services.do_approve_credit(application, acting_user=banker, amount_fen=1_000_000_00, rate_bp=400)
    assert exc.value.code == PledgeError.MISSING_PARTY
    with pytest.raises(DomainError) as exc:
        services.do_approve_credit(
            application, acting_user=banker, amount_fen=1_000_000_00, rate_bp=400, insurer_id=sme_guarantee.pk
        )
    assert exc.value.code == PledgeError.MISSING_PARTY
    services.do_approve_credit(
        application, acting_user=banker, amount_fen=1_000_000_00, rate_bp=400, insurer_id=picc.pk
    )
    application.refresh_from_db()
    assert application.status == LoanStatus.APPROVED and application.insurer_id == picc.pk


def test_only_the_loans_bank_acts_on_it(application, other_banker, alice, reviewer):
    for user in (other_banker, alice, reviewer):
        with pytest.raises(PermissionDenied):
            services.do_record_valuation(
                application, acting_user=user, method="income", valuer="v", report="r", valuation_fen=1
            )
    with pytest.raises(PermissionDenied):
        services.do_withdraw(application, acting_user=other_banker)
    services.do_withdraw(application, acting_user=alice)
    application.refresh_from_db()
    assert application.status == LoanStatus.WITHDRAWN


def test_wrong_state_is_refused_clearly(application, banker):
    with pytest.raises(DomainError) as exc:
        services.do_disburse(application, acting_user=banker)
    assert exc.value.code == ErrorCode.INVALID_STATE
    assert exc.value.details == {"status": LoanStatus.APPLIED, "action": "disburse"}


def test_risk_ratios_must_sum_to_100(approver, reviewer):
    with pytest.raises(DomainError) as exc:
        services.do_configure_risk_scheme(
            acting_user=approver,
            cooperation_model=CooperationModel.BANK_INSURANCE_GUARANTEE,
            bank_bp=2000,
            insurer_bp=3000,
            guarantor_bp=3000,
            fund_bp=1000,
            effective_from=dt.date(2020, 1, 1),
        )
    assert exc.value.code == PledgeError.RATIOS_NOT_100 and "90.00%" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.do_configure_risk_scheme(
            acting_user=approver,
            cooperation_model=CooperationModel.BANK,
            bank_bp=5000,
            insurer_bp=1000,
            fund_bp=4000,
            effective_from=dt.date(2020, 1, 1),
        )
    assert exc.value.code == PledgeError.RATIOS_NOT_100 and exc.value.details == {"field": "insurer_bp"}
    with pytest.raises(PermissionDenied):
        services.do_configure_risk_scheme(
            acting_user=reviewer,
            cooperation_model=CooperationModel.BANK,
            bank_bp=5000,
            fund_bp=5000,
            effective_from=dt.date(2020, 1, 1),
        )


def test_split_is_exact_with_the_stated_remainder_rule():
    shares = split_by_ratios(
        100_001,
        {"bank": 3333, "insurer": 3333, "guarantor": 3334, "fund": 0},
        ["bank", "insurer", "guarantor", "fund"],
    )
    assert sum(shares.values()) == 100_001
    assert shares == {"bank": 33_330, "insurer": 33_330, "guarantor": 33_341, "fund": 0}
    shares = split_by_ratios(
        7,
        {"bank": 2500, "insurer": 2500, "guarantor": 2500, "fund": 2500},
        ["bank", "insurer", "guarantor", "fund"],
    )
    assert shares == {"bank": 2, "insurer": 2, "guarantor": 2, "fund": 1}


def test_default_shares_risk_and_each_party_confirms_only_its_share(
    application, banker, picc, approver, insurer_user, other_banker, alice
):
    services.do_configure_risk_scheme(
        acting_user=approver,
        cooperation_model=CooperationModel.BANK_INSURANCE,
        bank_bp=3000,
        insurer_bp=4000,
        fund_bp=3000,
        effective_from=dt.date(2020, 1, 1),
        document_number="桂知发〔2020〕1号",
    )
    app = run_to_disbursed(application, banker, picc, amount_fen=1_000_000_00)
    services.do_record_repayment(app, acting_user=banker, principal_fen=1_000_01)
    services.do_declare_default(app, acting_user=banker)
    shares = {s.party: s for s in services.do_share_risk(app, acting_user=banker)}
    total = 1_000_000_00 - 1_000_01
    assert sum(s.amount_fen for s in shares.values()) == total
    # 998,999.99 元: floors 399,599.99 / 299,699.99 / 299,699.99 leave 2 fen → insurer (40%), then bank (30%, first on the tie)
    assert {p: s.amount_fen for p, s in shares.items()} == {
        RiskParty.INSURER: 39_960_000,
        RiskParty.BANK: 29_970_000,
        RiskParty.FUND: 29_969_999,
    }
    assert shares[RiskParty.INSURER].organisation_id == picc.pk
    with pytest.raises(PermissionDenied):
        services.do_pay_risk_share(shares[RiskParty.INSURER], acting_user=banker)
    with pytest.raises(PermissionDenied):
        services.do_pay_risk_share(shares[RiskParty.FUND], acting_user=insurer_user)
    with pytest.raises(PermissionDenied):
        services.do_pay_risk_share(shares[RiskParty.BANK], acting_user=other_banker)
    services.do_pay_risk_share(shares[RiskParty.INSURER], acting_user=insurer_user)
    services.do_pay_risk_share(shares[RiskParty.FUND], acting_user=approver)
    with pytest.raises(DomainError) as exc:
        services.do_pay_risk_share(shares[RiskParty.FUND], acting_user=approver)
    assert exc.value.code == ErrorCode.INVALID_STATE and "paid_on" in exc.value.details
    services.do_dispose(app, acting_user=banker, method="拍卖", proceeds_fen=300_000_01)
    app.refresh_from_db()
    assert app.status == LoanStatus.DISPOSED and not app.pledges.filter(active=True).exists()
    recovered = dict(app.risk_shares.values_list("party", "recovered_fen"))
    # 300,000.01 元 back by 30/40/30: floors 9,000,000 / 12,000,000 / 9,000,000 fen, the 1 fen left to the insurer
    assert recovered == {RiskParty.BANK: 9_000_000, RiskParty.INSURER: 12_000_001, RiskParty.FUND: 9_000_000}


def test_default_without_a_scheme_is_refused(application, banker, picc):
    app = run_to_disbursed(application, banker, picc)
    services.do_declare_default(app, acting_user=banker)
    with pytest.raises(DomainError) as exc:
        services.do_share_risk(app, acting_user=banker)
    assert exc.value.code == PledgeError.NO_SCHEME


def test_city_officials_cannot_change_provincial_ratios(department):
    from kechuang.accounts.models import Role
    from kechuang.testing import make_user

    city_approver = make_user("liuzhou_approver", org=department, role=Role.APPROVER, city="450200")
    with pytest.raises(PermissionDenied):
        services.do_configure_risk_scheme(
            acting_user=city_approver,
            cooperation_model=CooperationModel.BANK,
            bank_bp=5000,
            fund_bp=5000,
            effective_from=dt.date(2020, 1, 1),
        )


def test_ipc_is_checked_and_normalised(alice):
    patent = add_patent(alice, ipc="c22f  1/04")
    assert patent.ipc == "C22F 1/04"
    with pytest.raises(DomainError, match="IPC"):
        add_patent(alice, ipc="22F/1")


def test_registration_withdraws_the_needs_other_applications(alice, need, banker, other_banker, picc):
    product = publish_product(banker)
    rival = publish_product(other_banker)
    mine = services.do_apply(need, product, acting_user=alice)
    theirs = services.do_apply(need, rival, acting_user=alice)
    run_to_disbursed(mine, banker, picc)
    theirs.refresh_from_db()
    assert theirs.status == LoanStatus.WITHDRAWN and "其他银行" in theirs.decision_note
    assert "工商" not in theirs.decision_note  # the other bank is not told who
