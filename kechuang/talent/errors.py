"""Stable error codes of the talent programmes (the API returns them; the UI shows the translated message)."""

from enum import StrEnum


class TalentError(StrEnum):
    EVIDENCE_MISSING = "talent_evidence_missing"
    CONTRACT_TOO_SHORT = "talent_contract_too_short"
    NOT_NEWLY_RECRUITED = "talent_not_newly_recruited"
    CREDENTIAL_LEVEL = "talent_credential_not_in_level"
    ALREADY_RECOGNISED = "talent_already_recognised"
    OTHER_LEVEL = "talent_recognised_at_another_level"
    NOTICE_OPEN = "talent_notice_still_open"
    NOTICE_CLOSED = "talent_notice_closed"
    OBJECTIONS_OPEN = "talent_objections_open"
    BEYOND_SCHEDULE = "talent_benefit_beyond_schedule"
    NOT_COMPLIANT = "talent_not_compliant"
    ALREADY_IN_ROUND = "talent_benefit_already_in_round"
    PAYMENT_MISMATCH = "talent_payment_mismatch"
    PANEL_REQUIRED = "talent_panel_required"
    POST_TAKEN = "bagui_post_taken"
    REVIEW_REQUIRED = "bagui_review_required"
    REVIEW_CLOSED = "bagui_review_stage_closed"
    PAYEE_MISSING = "talent_payee_account_missing"
