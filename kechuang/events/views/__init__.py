"""Event pages. Views parse, authorise (kechuang.permissions.events), call a service, render.

One module per audience (public, participants, organisers, roadshows, statistics); urls.py names them through
this package."""

from kechuang.events.views.organisers import (
    add_outcome,
    add_session,
    add_slots,
    check_in,
    decide,
    event_create,
    event_edit,
    manage,
    open_call,
    schedule,
    set_translation,
    withdraw_request,
)
from kechuang.events.views.participants import (
    agenda,
    agenda_ics,
    badge,
    ics_text,
    participants,
    register,
    request_meeting,
    respond,
    set_availability,
    withdraw,
)
from kechuang.events.views.public import event_detail, home
from kechuang.events.views.roadshows import roadshow, schedule_roadshow, select_application
from kechuang.events.views.statistics import report, report_export, stats, stats_export

__all__ = [
    "add_outcome",
    "add_session",
    "add_slots",
    "agenda",
    "agenda_ics",
    "badge",
    "check_in",
    "decide",
    "event_create",
    "event_detail",
    "event_edit",
    "home",
    "ics_text",
    "manage",
    "open_call",
    "participants",
    "register",
    "report",
    "report_export",
    "request_meeting",
    "respond",
    "roadshow",
    "schedule",
    "schedule_roadshow",
    "select_application",
    "set_availability",
    "set_translation",
    "stats",
    "stats_export",
    "withdraw",
    "withdraw_request",
]
