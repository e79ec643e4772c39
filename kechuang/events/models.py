"""Matchmaking events: events and their sessions, registrations and badges, one-to-one meetings,
roadshow calls, and the outcomes (intentions, signings) they produce."""

import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kechuang.translations import TranslationRow, pick_translation


def valid_timezone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return False
    return bool(name)


class EventKind(models.TextChoices):
    TECH_MATCH = "tech_match", _("技术对接会")
    BANK_ENTERPRISE = "bank_enterprise", _("银企对接会")
    ROADSHOW = "roadshow", _("路演")
    EXHIBITION = "exhibition", _("展览")


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CLOSED = "closed", _("已结束")
        CANCELLED = "cancelled", _("已取消")

    class WhenFull(models.TextChoices):
        WAITLIST = "waitlist", _("进入候补名单")
        REFUSE = "refuse", _("不再接受报名")

    kind = models.CharField(_("活动类型"), max_length=20, choices=EventKind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("标题（原文）"), max_length=200)
    description = models.TextField(_("简介（原文）"), blank=True)
    original_language = models.CharField(_("原文语言"), max_length=10, default="zh-hans")
    languages = models.JSONField(_("活动语言"), default=list, blank=True)
    timezone = models.CharField(_("活动时区"), max_length=64, default="Asia/Shanghai")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    online_url = models.URLField(_("线上链接"), blank=True)
    city = models.ForeignKey(
        "registry.Region",
        verbose_name=_("所在城市"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("广西境内活动的所在城市；境外活动留空。"),
    )
    organiser = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        related_name="organised_events",
    )
    partners = models.ManyToManyField(
        "registry.Organisation", verbose_name=_("合作单位"), blank=True, related_name="partner_events"
    )
    quota = models.PositiveIntegerField(_("名额"), null=True, blank=True, help_text=_("留空表示不限。"))
    when_full = models.CharField(
        _("名额满后"), max_length=10, choices=WhenFull.choices, default=WhenFull.WAITLIST
    )
    requires_approval = models.BooleanField(_("报名需审核"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("对接活动")
        verbose_name_plural = _("对接活动")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)

    def translation(self, language: str | None = None):
        """The title/description in `language`, else in English, else the original (kechuang.translations): an
        ASEAN reader whose language the organiser did not provide reads English rather than Chinese."""
        original = EventTranslation(
            event=self, language=self.original_language, title=self.title, description=self.description
        )
        return pick_translation(self.translations.all(), language, fallbacks=("en",), original=original)


class EventTranslation(TranslationRow):
    """One row per language, so titles can be searched in each."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("简介"), blank=True)

    class Meta:
        verbose_name = _("活动译文")
        constraints = [models.UniqueConstraint(fields=["event", "language"], name="event_translation_unique")]

    def __str__(self):
        return f"{self.language}: {self.title}"


class Session(models.Model):
    class Kind(models.TextChoices):
        TALK = "talk", _("主题报告")
        ROADSHOW = "roadshow", _("项目路演")
        MEETINGS = "meetings", _("一对一洽谈")
        SIGNING = "signing", _("签约仪式")
        OTHER = "other", _("其他")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.TALK)
    title = models.CharField(_("名称"), max_length=200)
    room = models.CharField(_("会场"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))

    class Meta:
        verbose_name = _("场次")
        ordering = ["starts_at", "room", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title


class MeetingSlot(models.Model):
    """A time slot for one-to-one meetings with the number of tables available in it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_slots")
    index = models.PositiveIntegerField()
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    tables = models.PositiveIntegerField(_("桌数"))

    class Meta:
        verbose_name = _("洽谈时段")
        ordering = ["event", "index"]
        constraints = [models.UniqueConstraint(fields=["event", "index"], name="meeting_slot_unique_index")]

    def __str__(self):
        return f"#{self.index + 1} {self.starts_at:%H:%M}"


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        WAITLISTED = "waitlisted", _("候补")
        REFUSED = "refused", _("未通过")
        WITHDRAWN = "withdrawn", _("已退出")

    ACTIVE = (Status.PENDING, Status.APPROVED, Status.WAITLISTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_registrations"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    timezone = models.CharField(_("所在时区"), max_length=64, default="Asia/Shanghai")
    note = models.CharField(_("备注"), max_length=300, blank=True)
    wants_meetings = models.BooleanField(_("参加一对一洽谈"), default=True)
    unavailable_slots = models.ManyToManyField(
        MeetingSlot, blank=True, related_name="+", verbose_name=_("不可参加的洽谈时段")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报名")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="registration_unique_user")]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self):
        name = str(self.user)
        return f"{name} · {self.organisation.name}" if self.organisation is not None else name

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("有效")
        WITHDRAWN = "withdrawn", _("已撤回")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    requester = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="requests_made")
    target = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="requests_received")
    message = models.CharField(_("留言"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("洽谈请求")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["requester", "target"], name="meeting_request_unique"),
            models.CheckConstraint(
                condition=~Q(requester=models.F("target")), name="meeting_request_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.requester} → {self.target}"


class Meeting(models.Model):
    """One pair of participants (low id, high id) and where they meet. Declined pairs stay declined."""

    class Status(models.TextChoices):
        UNPLACED = "unplaced", _("未排上")
        SCHEDULED = "scheduled", _("已排期")
        DECLINED = "declined", _("已谢绝")
        CANCELLED = "cancelled", _("已取消")

    class Response(models.TextChoices):
        PENDING = "pending", _("待确认")
        ACCEPTED = "accepted", _("已接受")
        DECLINED = "declined", _("已谢绝")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    low = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    mutual = models.BooleanField(_("双向请求"), default=False)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.UNPLACED)
    slot = models.ForeignKey(
        MeetingSlot, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings"
    )
    table = models.PositiveIntegerField(_("桌号"), null=True, blank=True)
    low_response = models.CharField(max_length=10, choices=Response.choices, default=Response.PENDING)
    high_response = models.CharField(max_length=10, choices=Response.choices, default=Response.PENDING)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("一对一洽谈")
        ordering = ["slot__index", "table", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "low", "high"], name="meeting_unique_pair"),
            models.UniqueConstraint(
                fields=["slot", "table"], condition=Q(status="scheduled"), name="meeting_unique_table"
            ),
            models.UniqueConstraint(
                fields=["low", "slot"], condition=Q(status="scheduled"), name="meeting_low_once_per_slot"
            ),
            models.UniqueConstraint(
                fields=["high", "slot"], condition=Q(status="scheduled"), name="meeting_high_once_per_slot"
            ),
            models.CheckConstraint(condition=Q(low__lt=models.F("high")), name="meeting_pair_ordered"),
        ]

    def __str__(self):
        return f"{self.low} ↔ {self.high}"

    def other(self, registration):
        return self.high if registration.pk == self.low_id else self.low

    def response_of(self, registration) -> str:
        return self.low_response if registration.pk == self.low_id else self.high_response

    @property
    def accepted(self) -> bool:
        return self.low_response == self.Response.ACCEPTED and self.high_response == self.Response.ACCEPTED


class RoadshowCall(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("征集中")
        CLOSED = "closed", _("已截止")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="roadshow_calls")
    title = models.CharField(_("征集名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    closes_at = models.DateTimeField(_("截止时间"))
    minutes_per_project = models.PositiveIntegerField(_("每个项目时长（分钟）"), default=10)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        verbose_name = _("路演项目征集")
        ordering = ["closes_at", "id"]

    def __str__(self):
        return self.title


class RoadshowApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已申报")
        SELECTED = "selected", _("入选")
        REJECTED = "rejected", _("未入选")
        WITHDRAWN = "withdrawn", _("已撤回")

    call = models.ForeignKey(RoadshowCall, on_delete=models.CASCADE, related_name="applications")
    organisation = models.ForeignKey(
        "registry.Organisation", on_delete=models.PROTECT, related_name="roadshow_applications"
    )
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("项目名称"), max_length=200)
    summary = models.TextField(_("项目简介"), blank=True)
    # references to other modules' records, kept as ids so this app does not depend on them
    techmarket_listing_id = models.BigIntegerField(_("技术成果编号"), null=True, blank=True)
    financing_need_id = models.BigIntegerField(_("融资需求编号"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    panel_score = models.PositiveSmallIntegerField(_("评审得分"), null=True, blank=True)
    panel_note = models.CharField(_("评审意见"), max_length=300, blank=True)
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="roadshow_slots"
    )
    starts_at = models.DateTimeField(_("路演开始"), null=True, blank=True)
    ends_at = models.DateTimeField(_("路演结束"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("路演申报")
        ordering = ["starts_at", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation", "title"], name="roadshow_application_unique"
            )
        ]

    def __str__(self):
        return self.title


class PanelReview(models.Model):
    """One panel member's score of a roadshow application; the application's score is the panel's mean."""

    application = models.ForeignKey(RoadshowApplication, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("评分"))
    note = models.CharField(_("意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评审打分")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="panel_review_once"),
            models.CheckConstraint(condition=Q(score__lte=100), name="panel_review_score_max"),
        ]

    def __str__(self):
        return f"{self.application} · {self.score}"


class DealType(models.TextChoices):
    TECH_TRANSFER = "tech_transfer", _("技术转让")
    LICENCE = "licence", _("技术许可")
    JOINT_RD = "joint_rd", _("合作研发")
    SERVICE = "service", _("技术服务")
    LOAN = "loan", _("贷款")
    PLEDGE_LOAN = "pledge_loan", _("知识产权质押贷款")
    INVESTMENT = "investment", _("投资")
    OTHER = "other", _("其他")


class Outcome(models.Model):
    """An intention or a signing coming out of a meeting or a roadshow project."""

    class Kind(models.TextChoices):
        INTENTION = "intention", _("合作意向")
        SIGNING = "signing", _("现场签约")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="outcomes")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes"
    )
    application = models.ForeignKey(
        RoadshowApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    deal_type = models.CharField(_("合作方式"), max_length=20, choices=DealType.choices)
    parties = models.ManyToManyField(
        "registry.Organisation", verbose_name=_("参与方"), related_name="event_outcomes"
    )
    amount_fen = models.BigIntegerField(_("金额（分）"), default=0)
    title = models.CharField(_("项目"), max_length=200)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    # where it continues: a techmarket contract, a pledge loan… as "app:kind:id", set by those modules
    follow_up_ref = models.CharField(_("后续记录"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("对接成果")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="outcome_amount_not_negative")
        ]

    def __str__(self):
        return self.title
