"""Error codes of the events app (the API returns them; the UI shows the translated message)."""

from enum import StrEnum


class EventError(StrEnum):
    EVENT_FULL = "event_full"
    SESSION_OVERLAP = "session_overlap"
    DUPLICATE = "duplicate"
    SELF_MEETING = "self_meeting"
    NOT_PARTICIPANT = "not_participant"
    BAD_TIMEZONE = "bad_timezone"
    BAD_BADGE = "bad_badge"
    ALREADY_CHECKED_IN = "already_checked_in"
    CLOSED = "closed"
    CONFLICT_OF_INTEREST = "conflict_of_interest"
