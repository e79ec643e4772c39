"""The events' to-dos for the workbench (`kechuang.web.workbench`): registrations to decide, meetings to
confirm."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.permissions import has_cap


def event_todos(user, todo, limit: int = 8) -> list:
    from kechuang.events.models import Event, Meeting, Registration
    from kechuang.permissions.events import EventCap

    todos: list = []
    if has_cap(user, EventCap.MANAGE):
        pending = Registration.objects.filter(
            status=Registration.Status.PENDING, event__status=Event.Status.PUBLISHED
        )
        if user.city_id:
            pending = pending.filter(event__city_id=user.city_id)
        for row in (
            pending.values("event_id", "event__title").annotate(n=Count("id")).order_by("event_id")[:limit]
        ):
            todos.append(
                todo(
                    "events",
                    _("“%(event)s”：%(n)s 份报名待审核") % {"event": row["event__title"], "n": row["n"]},
                    reverse("events:manage", args=[row["event_id"]]),
                    row["n"],
                )
            )
    mine = Registration.objects.filter(
        user=user, status=Registration.Status.APPROVED, event__ends_at__gte=timezone.now()
    )
    waiting = (
        Meeting.objects.filter(status=Meeting.Status.SCHEDULED)
        .filter(
            Q(low__in=mine, low_response=Meeting.Response.PENDING)
            | Q(high__in=mine, high_response=Meeting.Response.PENDING)
        )
        .values("event_id", "event__title")
        .annotate(n=Count("id"))
    )
    for row in waiting[:limit]:
        todos.append(
            todo(
                "events",
                _("“%(event)s”：%(n)s 场洽谈待确认") % {"event": row["event__title"], "n": row["n"]},
                reverse("events:agenda", args=[row["event_id"]]),
                row["n"],
            )
        )
    return todos
