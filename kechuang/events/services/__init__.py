"""Every change to events goes through these functions: atomic, audited, permission-checked.

One module per topic (as Zulip's `actions`); the public functions are re-exported here, so callers write
`from kechuang.events import services` and `services.do_register(...)`.
"""

from kechuang.events.errors import EventError
from kechuang.events.services.common import (
    BADGE_SALT,
    EVENT_FIELDS,
    LANGUAGE_CODES,
    aware,
    check_event_fields,
    check_timezone,
)
from kechuang.events.services.meetings import (
    agenda,
    build_problem,
    do_apply_schedule,
    do_request_meeting,
    do_respond_meeting,
    do_schedule_meetings,
    do_withdraw_meeting_request,
    explain_unplaced,
)
from kechuang.events.services.outcomes import do_link_outcome, do_record_outcome
from kechuang.events.services.programme import (
    do_add_meeting_slots,
    do_add_session,
    do_create_event,
    do_set_translation,
    do_update_event,
)
from kechuang.events.services.registration import (
    badge_token,
    do_check_in,
    do_decide_registration,
    do_register,
    do_set_availability,
    do_withdraw_registration,
    read_badge,
)
from kechuang.events.services.roadshows import (
    do_apply_roadshow,
    do_open_roadshow_call,
    do_review_application,
    do_schedule_roadshow,
    do_select_application,
)

__all__ = [
    "BADGE_SALT",
    "EVENT_FIELDS",
    "LANGUAGE_CODES",
    "EventError",
    "agenda",
    "aware",
    "badge_token",
    "build_problem",
    "check_event_fields",
    "check_timezone",
    "do_add_meeting_slots",
    "do_add_session",
    "do_apply_roadshow",
    "do_apply_schedule",
    "do_check_in",
    "do_create_event",
    "do_decide_registration",
    "do_link_outcome",
    "do_open_roadshow_call",
    "do_record_outcome",
    "do_register",
    "do_request_meeting",
    "do_respond_meeting",
    "do_review_application",
    "do_schedule_meetings",
    "do_schedule_roadshow",
    "do_select_application",
    "do_set_availability",
    "do_set_translation",
    "do_update_event",
    "do_withdraw_meeting_request",
    "do_withdraw_registration",
    "explain_unplaced",
    "read_badge",
]
