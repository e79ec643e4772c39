"""Stable error codes of platforms and institutions."""

from enum import StrEnum


class PlatformError(StrEnum):
    EVIDENCE_MISSING = "institution_figures_missing"
    CRITERIA_NOT_MET = "institution_criteria_not_met"
    ALREADY = "institution_already_applied_or_recognised"
    REVIEW_REQUIRED = "institution_review_required"
    NOTICE_OPEN = "institution_notice_still_open"
    FINAL = "evaluation_already_final"
    BAD_FIGURE = "evaluation_bad_figure"
