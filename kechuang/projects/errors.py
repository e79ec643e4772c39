"""Stable error codes of the programme projects (the API returns them; the UI shows the translated message)."""

from enum import StrEnum


class ProjectError(StrEnum):
    CALL_CLOSED = "project_call_closed"
    PERSON_TWICE = "project_one_application_per_person"
    PI_LIMIT = "project_pi_concurrent_limit"
    UNIT_LIMIT = "project_unit_concurrent_limit"
    BUDGET_SUM = "project_budget_sum_mismatch"
    BUDGET_SHARE = "project_budget_share_exceeded"
    BUDGET_TOPIC = "project_budget_over_topic"
    BUDGET_CATEGORY = "project_budget_unknown_category"
    NO_PLEDGE = "project_integrity_pledge_missing"
    NOT_ENDORSED = "project_not_endorsed"
    CO_FUNDING = "project_co_funding_too_low"
    BLACKLISTED = "project_integrity_blacklisted"
    NO_CALENDAR = "project_no_holiday_calendar"
    FUNDING_OVER_ASKED = "project_funding_over_asked"
    NOTICE_CLOSED = "project_notice_closed"
    NOTICE_RUNNING = "project_notice_running"
    CONTRACT_STATE = "project_contract_state"
    MILESTONE_SUM = "project_milestone_sum_mismatch"
    NO_FUND = "project_no_fund"
    REPORT_CLOSED = "project_report_closed"
    CHANGE_AFTER_ACCEPTANCE = "project_change_after_acceptance"
    REPORTS_OUTSTANDING = "project_reports_outstanding"
