"""Authorisation rules of patent-pledge financing. The party a user acts for comes from its organisation's kind
(enterprise, bank, insurer, guarantor) or its office (the department: every official). The world: 甲's patent and
published need, the bank's product, and 甲's loan from the bank, insured by the insurer, disbursed, defaulted
and shared (the insurer's `share`). See docs/permissions.md."""

from kechuang.permissions.matrix import (
    ADMIN,
    APPROVER,
    BANK,
    ENT_A,
    ENTERPRISES,
    FINANCE_APPROVER,
    FINANCIAL,
    INSURER,
    NANNING_AREA,
    OFFICIALS,
    SIGNED_IN,
    allow,
)

PARTIES = ENTERPRISES | FINANCIAL | OFFICIALS  # who has a part in the pledge platform (pledge:use, view_all)
LOAN = frozenset({ENT_A, BANK, INSURER}) | NANNING_AREA  # the loan's parties and the department of 南宁
# the patent's owner, the department, and the bank and insurer of the loan it secures
PATENT = frozenset({ENT_A, BANK, INSURER}) | NANNING_AREA
NEED = frozenset({ENT_A}) | NANNING_AREA  # a bank sees published needs; this one is taken by the loan
# pledge.config:manage, province-wide approvers: the risk-sharing ratios and subsidy parameters decide what the
# risk-compensation fund (fiscal money) pays, so the 财政厅's approver sets them as the programme's does
CONFIGURERS = frozenset({APPROVER, ADMIN, FINANCE_APPROVER})
BANK_ACTIONS = (
    "value",
    "approve",
    "reject",
    "register",
    "disburse",
    "repay",
    "default",
    "share_risk",
    "dispose",
)


def _loan_actions(key_args):
    rules = [allow(ENT_A, args={**key_args, "action": "withdraw"})]
    rules += [allow(BANK, args={**key_args, "action": a}) for a in BANK_ACTIONS]
    return rules


ROUTES = {
    "pledge:home": allow(PARTIES),
    "pledge:patent_list": allow(ENTERPRISES),
    "pledge:patent_detail": allow(PATENT),
    "pledge:need_new": allow(ENTERPRISES),
    "pledge:need_detail": allow(NEED),
    "pledge:need_apply": allow(ENT_A, data={"product_id": "@product"}),
    "pledge:need_close": allow(ENT_A),
    "pledge:bank_needs": allow(BANK),
    "pledge:product_list": allow(PARTIES),
    "pledge:product_new": allow(BANK),
    "pledge:product_detail": allow(PARTIES),
    "pledge:product_edit": allow(BANK),
    "pledge:product_toggle": allow(BANK),
    "pledge:loan_list": allow(PARTIES),
    "pledge:loan_detail": allow(LOAN),
    "pledge:loan_link_event": allow(LOAN, data={"outcome_id": "@outcome"}),
    "pledge:loan_action": _loan_actions({}),
    "pledge:share_pay": allow(INSURER),
    "pledge:config": allow(CONFIGURERS),
    "pledge:subsidies": allow(ENTERPRISES, OFFICIALS),
    "pledge:subsidy_publish": allow(CONFIGURERS),
    "pledge:stats": allow(OFFICIALS),
    "pledge:stats_export": allow(OFFICIALS),
    "GET /api/pledge/patents/check-number": allow(SIGNED_IN, query={"number": "x"}, why="a check digit only"),
    "GET /api/pledge/patents": allow(ENTERPRISES),
    "POST /api/pledge/patents": allow(ENTERPRISES),
    "GET /api/pledge/patents/{patent_id}": allow(PATENT),
    "PATCH /api/pledge/patents/{patent_id}": allow(ENT_A),
    "GET /api/pledge/patents/{patent_id}/eligibility": allow(PATENT),
    "GET /api/pledge/needs": allow(PARTIES),
    "POST /api/pledge/needs": allow(ENTERPRISES),
    "GET /api/pledge/needs/{need_id}": allow(NEED),
    "GET /api/pledge/needs/{need_id}/matches": allow(NEED),
    "GET /api/pledge/bank/needs": allow(BANK),
    "GET /api/pledge/products": allow(PARTIES),
    "POST /api/pledge/products": allow(BANK),
    "PATCH /api/pledge/products/{product_id}": allow(BANK),
    "GET /api/pledge/loans": allow(PARTIES),
    "POST /api/pledge/loans": allow(ENT_A, body={"need_id": "@need", "product_id": "@product"}),
    "GET /api/pledge/loans/{loan_id}": allow(LOAN),
    "GET /api/pledge/loans/{loan_id}/shares": allow(LOAN),
    "POST /api/pledge/loans/{loan_id}/{action}": _loan_actions({}),
    "POST /api/pledge/shares/{share_id}/pay": allow(INSURER),
    "GET /api/pledge/subsidies": allow(ENTERPRISES),
    "GET /api/pledge/stats": allow(OFFICIALS),
    "GET /api/pledge/stats.xlsx": allow(OFFICIALS),
}


def objects(world):
    import datetime as dt

    from kechuang.pledge import services
    from kechuang.pledge.models import CooperationModel
    from kechuang.pledge.tests.conftest import add_patent, publish_product, run_to_disbursed

    u, o = world.users, world.orgs
    services.do_configure_risk_scheme(
        acting_user=u["approver"],
        cooperation_model=CooperationModel.BANK_INSURANCE,
        bank_bp=3000,
        insurer_bp=4000,
        fund_bp=3000,
        effective_from=dt.date(2020, 1, 1),
        document_number="桂知发〔2020〕1号",
    )
    patent = add_patent(u["ent_a"])
    product = publish_product(u["bank"])
    need = services.do_publish_need(
        acting_user=u["ent_a"],
        amount_fen=2_000_000_00,
        term_months=12,
        purpose="购买生产设备",
        patent_ids=[patent.pk],
        preferred_model=CooperationModel.BANK_INSURANCE,
    )
    loan = services.do_apply(need, product, acting_user=u["ent_a"])
    loan = run_to_disbursed(loan, u["bank"], o["insurer"])
    services.do_declare_default(loan, acting_user=u["bank"])
    shares = {s.party: s for s in services.do_share_risk(loan, acting_user=u["bank"])}
    # a second published need keeps the patent visible to banks (the first one is taken by the loan)
    return {
        "patent": patent.pk,
        "product": product.pk,
        "need": need.pk,
        "loan": loan.pk,
        "share": shares["insurer"].pk,
    }
