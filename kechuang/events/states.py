"""The lifecycles of the events app as tables (kechuang.states): which action is allowed from which status, and
who may take it. The services refuse through these tables; pages show the buttons `available()` answers."""

from django.utils.translation import gettext_lazy as _l

from kechuang.events.models import Meeting, Registration, RoadshowApplication
from kechuang.permissions.events import can_act_as_participant, can_manage_event, can_select_roadshow
from kechuang.states import Machine

ORGANISER = "organiser"
PARTICIPANT = "participant"
PANEL = "panel"

R = Registration.Status
REGISTRATION = Machine(
    "events.registration",
    {
        R.PENDING: {
            "approve": (ORGANISER, R.APPROVED),
            "refuse": (ORGANISER, R.REFUSED),
            "withdraw": ((PARTICIPANT, ORGANISER), R.WITHDRAWN),
        },
        R.WAITLISTED: {
            "approve": (ORGANISER, R.APPROVED),
            "refuse": (ORGANISER, R.REFUSED),
            "withdraw": ((PARTICIPANT, ORGANISER), R.WITHDRAWN),
        },
        R.APPROVED: {
            "check_in": (ORGANISER, R.APPROVED),
            "withdraw": ((PARTICIPANT, ORGANISER), R.WITHDRAWN),
        },
        R.REFUSED: {"withdraw": ((PARTICIPANT, ORGANISER), R.WITHDRAWN)},
        R.WITHDRAWN: {},
    },
    labels={
        "approve": _l("批准报名"),
        "refuse": _l("拒绝报名"),
        "withdraw": _l("退出活动"),
        "check_in": _l("签到"),
    },
    parties={
        ORGANISER: lambda user, reg: can_manage_event(user, reg.event),
        PARTICIPANT: can_act_as_participant,
    },
    model=Registration,
)

M = Meeting.Status
MEETING = Machine(
    "events.meeting",
    {M.SCHEDULED: {"accept": (PARTICIPANT, M.SCHEDULED), "decline": (PARTICIPANT, M.DECLINED)}},
    labels={"accept": _l("接受洽谈"), "decline": _l("谢绝洽谈")},
    parties={
        PARTICIPANT: lambda user, m: (
            can_act_as_participant(user, m.low) or can_act_as_participant(user, m.high)
        )
    },
    model=Meeting,
)

A = RoadshowApplication.Status
_PANEL_STEPS = {"select": (PANEL, A.SELECTED), "reject": (PANEL, A.REJECTED)}
APPLICATION = Machine(
    "events.roadshow_application",
    {
        A.SUBMITTED: {"review": (PANEL, A.SUBMITTED), **_PANEL_STEPS},
        A.SELECTED: {"review": (PANEL, A.SELECTED), **_PANEL_STEPS},
        A.REJECTED: {"review": (PANEL, A.REJECTED), **_PANEL_STEPS},
        A.WITHDRAWN: {},
    },
    labels={"review": _l("评分"), "select": _l("入选"), "reject": _l("不入选")},
    parties={PANEL: lambda user, a: can_select_roadshow(user, a.call.event)},
    model=RoadshowApplication,
)
