import datetime as dt
import zoneinfo

import pytest

from kechuang.events import services
from kechuang.events.models import Event, EventKind, Registration
from kechuang.testing import make_org, make_user

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def event(admin_user, department):
    """A published technology matchmaking event in Nanning, open registration, 16 meeting slots of 2 tables."""
    ev = services.do_create_event(
        acting_user=admin_user,
        kind=EventKind.TECH_MATCH,
        title="中国—东盟技术对接会",
        description="现场对接与签约",
        timezone="Asia/Shanghai",
        starts_at=dt.datetime(2026, 9, 15, 8, 0),
        ends_at=dt.datetime(2026, 9, 15, 18, 0),
        venue="南宁国际会展中心",
        organiser=department,
        city="450100",
        languages=["zh-hans", "en"],
        requires_approval=False,
        status=Event.Status.PUBLISHED,
    )
    services.do_add_meeting_slots(
        ev, acting_user=admin_user, starts_at=dt.datetime(2026, 9, 15, 14, 0), minutes=20, count=4, tables=2
    )
    return ev


@pytest.fixture
def registered(event, alice, bob):
    """Alice (Nanning) and Bob (Jakarta time zone) approved for the event."""
    return (
        services.do_register(event, acting_user=alice),
        services.do_register(event, acting_user=bob, timezone_name="Asia/Jakarta"),
    )


@pytest.fixture
def participant_factory(event):
    counter = iter(range(1, 1000))

    def make(tz="Asia/Shanghai"):
        n = next(counter)
        user = make_user(f"p{n}", org=make_org(f"参会企业{n}有限公司"))
        reg = services.do_register(event, acting_user=user, timezone_name=tz)
        assert reg.status == Registration.Status.APPROVED
        return user, reg

    return make
