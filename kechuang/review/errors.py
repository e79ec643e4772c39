from enum import StrEnum


class ReviewError(StrEnum):
    CONFLICT_OF_INTEREST = "review_conflict_of_interest"
    LATE = "review_late"
    STAGE_NOT_OPEN = "review_stage_not_open"
    BAD_SCORE = "review_bad_score"
    COMMENT_REQUIRED = "review_comment_required"
    NO_QUORUM = "review_no_quorum"
    NOT_ON_COMMITTEE = "review_not_on_committee"
    ALREADY_SUBMITTED = "review_already_submitted"
    ASSIGNMENT_IMPOSSIBLE = "review_assignment_impossible"
    BAD_RUBRIC = "review_bad_rubric"
    REBUTTAL_CLOSED = "review_rebuttal_closed"
    REBUTTAL_TWICE = "review_rebuttal_already_submitted"
