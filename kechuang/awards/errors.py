"""Stable error codes of the awards (the API returns them; the UI shows the translated message)."""

from enum import StrEnum


class AwardError(StrEnum):
    QUOTA_EXCEEDED = "award_quota_exceeded"
    PERSON_TWICE = "award_person_in_two_nominations"
    ALREADY_AWARDED = "award_work_already_awarded"
    TOO_MANY_CONTRIBUTORS = "award_too_many_contributors"
    TOO_MANY_UNITS = "award_too_many_units"
    PATENT_INELIGIBLE = "award_patent_ineligible"
    GRADE_CAP = "award_grade_cap_reached"
    CLOSED = "award_nomination_closed"
    NOT_AN_AWARD_YEAR = "award_not_an_award_year"
    NOTICE_CLOSED = "award_notice_closed"
    NOTICE_OPEN = "award_notice_still_open"
    OBJECTIONS_OPEN = "award_objections_open"
    NOT_A_WINNER = "award_not_a_winner"
    RESPONSE_TWICE = "award_objection_response_twice"
    NATIONAL_QUOTA_EXCEEDED = "award_national_quota_exceeded"
