"""Agricultural expert service teams and 科技特派员: teams with their industry, counties served and members; yearly
plans; an activity log (trainings, attendees, handouts, demonstration bases) with sign-in evidence and county
confirmation; the yearly appraisal; totals per county and per year."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ServiceTeam(models.Model):
    name = models.CharField(_("服务团名称"), max_length=200, unique=True)
    industry = models.CharField(_("服务产业"), max_length=100)
    lead_organisation = models.ForeignKey(
        "registry.Organisation", verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="+"
    )
    counties = models.ManyToManyField("registry.Region", verbose_name=_("服务县（区）"), related_name="+")
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("农业专家服务团")
        verbose_name_plural = _("农业专家服务团")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TeamMember(models.Model):
    team = models.ForeignKey(ServiceTeam, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("职称"), max_length=50, blank=True)
    expertise = models.CharField(_("专长"), max_length=200, blank=True)
    commissioner = models.BooleanField(_("科技特派员"), default=False)

    class Meta:
        verbose_name = _("服务团成员")
        verbose_name_plural = _("服务团成员")
        constraints = [
            models.UniqueConstraint(fields=["team", "name", "organisation"], name="team_member_once")
        ]

    def __str__(self):
        return self.name


class YearPlan(models.Model):
    team = models.ForeignKey(ServiceTeam, on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    trainings = models.PositiveIntegerField(_("计划培训场次"))
    trainees = models.PositiveIntegerField(_("计划培训人次"))
    bases = models.PositiveIntegerField(_("计划示范基地"), default=0)
    note = models.TextField(_("工作计划"), blank=True)

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        constraints = [models.UniqueConstraint(fields=["team", "year"], name="team_plan_once_a_year")]

    def __str__(self):
        return f"{self.team} {self.year}"


class Activity(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", _("技术培训")
        FIELD = "field", _("田间指导")
        DEMONSTRATION = "demonstration", _("示范基地建设")
        CONSULTATION = "consultation", _("技术咨询")

    class State(models.TextChoices):
        RECORDED = "recorded", _("待县级确认")
        CONFIRMED = "confirmed", _("县级已确认")
        REJECTED = "rejected", _("县级不予确认")

    team = models.ForeignKey(ServiceTeam, on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("类型"), max_length=15, choices=Kind.choices)
    date = models.DateField(_("日期"))
    county = models.ForeignKey(
        "registry.Region", verbose_name=_("县（区）"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("主题"), max_length=200)
    venue = models.CharField(_("地点"), max_length=200)
    capacity = models.PositiveIntegerField(_("场地容量（人）"))
    attendees = models.PositiveIntegerField(_("参加人数"))
    handouts = models.PositiveIntegerField(_("发放资料（份）"), default=0)
    demonstration_base = models.CharField(_("示范基地"), max_length=200, blank=True)
    signin_evidence = models.CharField(_("签到表（编号或文件）"), max_length=200, blank=True)
    experts = models.ManyToManyField(
        TeamMember, verbose_name=_("参加专家"), related_name="activities", blank=True
    )
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.RECORDED)
    confirm_note = models.CharField(_("确认意见"), max_length=300, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("服务活动")
        verbose_name_plural = _("服务活动")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attendees__lte=models.F("capacity")), name="activity_within_capacity"
            ),
        ]
        indexes = [models.Index(fields=["state", "date"]), models.Index(fields=["county", "date"])]

    def __str__(self):
        return self.title


class Appraisal(models.Model):
    team = models.ForeignKey(ServiceTeam, on_delete=models.CASCADE, related_name="appraisals")
    year = models.PositiveSmallIntegerField(_("年度"))
    score = models.PositiveSmallIntegerField(_("得分"))
    grade = models.CharField(_("等级"), max_length=10)
    explanation = models.JSONField(_("说明"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        constraints = [models.UniqueConstraint(fields=["team", "year"], name="team_appraisal_once_a_year")]

    def __str__(self):
        return f"{self.team} {self.year} {self.grade}"
