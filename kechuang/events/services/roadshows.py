"""Roadshow calls, applications, the panel's scores and decisions, the roadshow schedule."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import diff, record, snapshot
from kechuang.errors import DomainError, ErrorCode
from kechuang.events.errors import EventError
from kechuang.events.models import PanelReview, RoadshowApplication, RoadshowCall
from kechuang.events.services.common import aware
from kechuang.events.states import APPLICATION
from kechuang.permissions import require
from kechuang.permissions.events import EventCap, can_apply_roadshow, can_manage_event, can_select_roadshow


@transaction.atomic
def do_open_roadshow_call(
    event, *, acting_user, title: str, closes_at, minutes_per_project: int = 10, description: str = ""
) -> RoadshowCall:
    require(can_manage_event(acting_user, event), EventCap.MANAGE)
    if not 3 <= minutes_per_project <= 120:
        raise DomainError(ErrorCode.INVALID, _("每个项目路演时长应为 3–120 分钟。"))
    call = RoadshowCall.objects.create(
        event=event,
        title=title,
        description=description,
        closes_at=aware(closes_at, event.tzinfo),
        minutes_per_project=minutes_per_project,
    )
    record(
        "events.roadshow.open",
        event,
        acting_user=acting_user,
        changes={"call": [None, title]},
        organisation_id=event.organiser_id,
    )
    return call


@transaction.atomic
def do_apply_roadshow(
    call, *, acting_user, title: str, summary: str = "", techmarket_listing_id=None, financing_need_id=None
) -> RoadshowApplication:
    require(can_apply_roadshow(acting_user, call), EventCap.ROADSHOW_APPLY)
    if call.status != RoadshowCall.Status.OPEN or call.closes_at <= timezone.now():
        raise DomainError(EventError.CLOSED, _("路演项目征集已截止。"), status=409)
    if not title.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写项目名称。"), {"field": "title"})
    for name, value in (
        ("techmarket_listing_id", techmarket_listing_id),
        ("financing_need_id", financing_need_id),
    ):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
            raise DomainError(ErrorCode.INVALID, _("关联编号必须是正整数。"), {"field": name})
    if RoadshowApplication.objects.filter(
        call=call, organisation_id=acting_user.organisation_id, title=title.strip()
    ).exists():
        raise DomainError(EventError.DUPLICATE, _("本单位已申报过同名项目。"), status=409)
    application = RoadshowApplication.objects.create(
        call=call,
        organisation_id=acting_user.organisation_id,
        applicant=acting_user,
        title=title.strip(),
        summary=summary,
        techmarket_listing_id=techmarket_listing_id,
        financing_need_id=financing_need_id,
    )
    record(
        "events.roadshow.apply",
        application,
        acting_user=acting_user,
        changes={"title": [None, application.title]},
    )
    return application


@transaction.atomic
def do_review_application(application, *, acting_user, score: int, note: str = "") -> RoadshowApplication:
    """A panel member scores a project (again, if they change their mind). Nobody scores their own organisation's
    project. The application's score becomes the mean of the panel's scores."""
    require(can_select_roadshow(acting_user, application.call.event), EventCap.ROADSHOW_PANEL)
    application = RoadshowApplication.objects.select_for_update().get(pk=application.pk)
    if acting_user.organisation_id and acting_user.organisation_id == application.organisation_id:
        raise DomainError(EventError.CONFLICT_OF_INTEREST, _("评审人不能为本单位的项目打分。"), status=409)
    APPLICATION.check(application, "review")
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise DomainError(ErrorCode.INVALID, _("评分应在 0–100 之间。"), {"field": "score"})
    review, _created = PanelReview.objects.update_or_create(
        application=application, reviewer=acting_user, defaults={"score": score, "note": note[:300]}
    )
    scores = list(application.reviews.values_list("score", flat=True))
    before = application.panel_score
    application.panel_score = round(sum(scores) / len(scores))  # 0–100 scores, not money: rounding is fine
    application.save(update_fields=["panel_score"])
    record(
        "events.roadshow.review",
        application,
        acting_user=acting_user,
        changes={"score": [None, score], "panel_score": [before, application.panel_score]},
    )
    return application


@transaction.atomic
def do_select_application(
    application, *, selected: bool, acting_user, score: int | None = None, note: str = ""
) -> RoadshowApplication:
    """The panel's decision (optionally with the deciding member's own score)."""
    require(can_select_roadshow(acting_user, application.call.event), EventCap.ROADSHOW_PANEL)
    if score is not None:
        do_review_application(application, acting_user=acting_user, score=score, note=note)
    application = RoadshowApplication.objects.select_for_update().get(pk=application.pk)
    action = "select" if selected else "reject"
    APPLICATION.check(application, action)
    if acting_user.organisation_id and acting_user.organisation_id == application.organisation_id:
        raise DomainError(EventError.CONFLICT_OF_INTEREST, _("评审人不能决定本单位的项目。"), status=409)
    before = snapshot(application, ("status", "panel_score"))
    APPLICATION.apply(application, action)
    if note:
        application.panel_note = note[:300]
    if not selected:
        application.session, application.starts_at, application.ends_at = None, None, None
    application.save()
    record(
        "events.roadshow.select",
        application,
        acting_user=acting_user,
        changes=diff(before, snapshot(application, ("status", "panel_score"))),
    )
    return application


@transaction.atomic
def do_schedule_roadshow(call, session, *, acting_user) -> list[RoadshowApplication]:
    """Selected projects, best score first, get consecutive slots in the session; all must fit."""
    require(can_manage_event(acting_user, call.event), EventCap.MANAGE)
    if session.event_id != call.event_id:
        raise DomainError(ErrorCode.INVALID, _("场次不属于该活动。"))
    selected = list(
        call.applications.select_for_update()
        .filter(status=RoadshowApplication.Status.SELECTED)
        .order_by("-panel_score", "created_at", "id")
    )
    length = dt.timedelta(minutes=call.minutes_per_project)
    fits = int((session.ends_at - session.starts_at) / length)
    if len(selected) > fits:
        raise DomainError(
            ErrorCode.INVALID,
            _("场次“%(session)s”只能安排 %(fits)d 个项目，已入选 %(n)d 个。")
            % {"session": session.title, "fits": fits, "n": len(selected)},
        )
    for i, application in enumerate(selected):
        application.session = session
        application.starts_at = session.starts_at + length * i
        application.ends_at = application.starts_at + length
        application.save(update_fields=["session", "starts_at", "ends_at"])
    record(
        "events.roadshow.schedule",
        call.event,
        acting_user=acting_user,
        changes={"roadshow": [None, {"session": session.pk, "projects": len(selected)}]},
        organisation_id=call.event.organiser_id,
    )
    return selected
