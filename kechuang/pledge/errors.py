"""Stable error codes of patent-pledge financing (the API returns them; the UI shows the translated message)."""

from enum import StrEnum


class PledgeError(StrEnum):
    INVALID_PATENT_NUMBER = "invalid_patent_number"
    DUPLICATE_PATENT = "duplicate_patent"
    INELIGIBLE = "pledge_ineligible"
    NOT_OWNER = "pledgor_not_owner"
    NOT_GRANTED = "patent_not_granted"
    LAPSED = "patent_lapsed"
    INVALIDATED = "patent_invalidated"
    EXPIRED = "patent_expired"
    FEE_UNPAID = "annual_fee_unpaid"
    DISPUTE = "ownership_dispute"
    TERM_TOO_LONG = "loan_longer_than_patent_term"
    NO_CO_OWNER_CONSENT = "co_owner_consent_missing"
    ALREADY_PLEDGED = "patent_already_pledged"
    INVALIDATION_PENDING = "invalidation_pending"
    PRODUCT_MISMATCH = "product_does_not_fit"
    DUPLICATE_APPLICATION = "duplicate_application"
    OVER_VALUATION = "loan_over_pledge_rate"
    REPAYMENT_EXCEEDS_BALANCE = "repayment_exceeds_balance"
    RATIOS_NOT_100 = "risk_ratios_not_100"
    NO_SCHEME = "no_risk_scheme"
    MISSING_PARTY = "missing_risk_party"
