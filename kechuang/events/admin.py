"""Read-only admin views for support staff: every change goes through the services (audited), not the admin."""

from django.contrib import admin

from kechuang.admin_readonly import ReadOnlyAdmin
from kechuang.events.models import (
    Event,
    Meeting,
    MeetingRequest,
    Outcome,
    Registration,
    RoadshowApplication,
    Session,
)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "status", "starts_at", "timezone", "city", "quota")
    list_filter = ("kind", "status")
    search_fields = ("title",)


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ("title", "event", "room", "starts_at", "ends_at")


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("user", "event", "organisation", "status", "timezone", "checked_in_at")
    list_filter = ("status",)


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ReadOnlyAdmin):
    list_display = ("requester", "target", "event", "status", "created_at")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("low", "high", "event", "mutual", "status", "slot", "table")
    list_filter = ("status", "mutual")


@admin.register(RoadshowApplication)
class RoadshowApplicationAdmin(ReadOnlyAdmin):
    list_display = ("title", "organisation", "call", "status", "panel_score", "starts_at")


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyAdmin):
    list_display = ("title", "event", "kind", "deal_type", "amount_fen", "follow_up_ref")
