"""Stable error codes of the field work."""

from enum import StrEnum


class FieldError(StrEnum):
    OVER_CAPACITY = "activity_attendees_over_capacity"
    OUTSIDE_COUNTIES = "activity_outside_team_counties"
    EVIDENCE_MISSING = "activity_signin_evidence_missing"
    FUTURE_DATE = "activity_in_the_future"
    NOT_A_COUNTY = "team_region_not_a_county"
    NO_PLAN = "appraisal_without_plan"
