"""Every change in patent-pledge financing goes through these functions: permission first, atomic, audited.

The loan lifecycle is a state machine (TRANSITIONS, run by kechuang.states); each step names the party that may
take it, and refusals say what is wrong in words the user can act on. One module per topic (as Zulip's
`actions`); the public functions are re-exported here."""

from kechuang.pledge.services.common import (
    ACTION_LABELS,
    LOAN,
    MAX_TERM_MONTHS,
    PRODUCT_LANGUAGES,
    TRANSITIONS,
    action_requires_valuation,
    available_actions,
    today,
)
from kechuang.pledge.services.event_signings import (
    do_link_event_signing,
    event_signings_for,
    linked_signing,
    loan_ref,
)
from kechuang.pledge.services.loans import (
    do_apply,
    do_approve_credit,
    do_record_valuation,
    do_register_pledge,
    do_reject,
    do_withdraw,
)
from kechuang.pledge.services.patents import (
    PATENT_FIELDS,
    Refusal,
    check_application_number,
    check_eligibility,
    do_register_patent,
    do_update_patent,
    fee_status,
)
from kechuang.pledge.services.products import (
    PRODUCT_FIELDS,
    do_close_need,
    do_publish_need,
    do_publish_product,
    do_set_product_active,
    do_update_product,
)
from kechuang.pledge.services.repayment import (
    do_declare_default,
    do_disburse,
    do_record_repayment,
    repayment_schedule,
)
from kechuang.pledge.services.risk import (
    REMAINDER_RULE,
    RISK_ORDER,
    check_scheme_ratios,
    do_configure_risk_scheme,
    do_dispose,
    do_pay_risk_share,
    do_share_risk,
    scheme_for,
)
from kechuang.pledge.services.subsidy_bases import BasesPublished, do_publish_subsidy_bases

__all__ = [
    "ACTION_LABELS",
    "BasesPublished",
    "LOAN",
    "MAX_TERM_MONTHS",
    "PATENT_FIELDS",
    "PRODUCT_FIELDS",
    "PRODUCT_LANGUAGES",
    "REMAINDER_RULE",
    "RISK_ORDER",
    "Refusal",
    "TRANSITIONS",
    "action_requires_valuation",
    "available_actions",
    "check_application_number",
    "check_eligibility",
    "check_scheme_ratios",
    "do_apply",
    "do_approve_credit",
    "do_close_need",
    "do_configure_risk_scheme",
    "do_declare_default",
    "do_disburse",
    "do_dispose",
    "do_link_event_signing",
    "do_pay_risk_share",
    "do_publish_need",
    "do_publish_product",
    "do_publish_subsidy_bases",
    "do_record_repayment",
    "do_record_valuation",
    "do_register_patent",
    "do_register_pledge",
    "do_reject",
    "do_set_product_active",
    "do_share_risk",
    "do_update_patent",
    "do_update_product",
    "do_withdraw",
    "event_signings_for",
    "fee_status",
    "linked_signing",
    "loan_ref",
    "repayment_schedule",
    "scheme_for",
    "today",
]
