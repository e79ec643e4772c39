"""Programme projects (科技计划项目): programme lines, yearly calls with topics and limits, applications with their
team, targets and budget lines in fen, the integrity pledge, the recommending unit's endorsement and the formal
check with its reasons. Passed applications go to expert review on `kechuang.review`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LineKind(models.TextChoices):
    MAJOR = "major", _("重大专项")
    KEY_RD = "key_rd", _("重点研发计划")
    GUIDANCE = "guidance", _("技术创新引导专项")
    BASE_TALENT = "base_talent", _("基地和人才专项")
    FUND = "fund", _("自然科学基金")
    OWN = "own", _("自设专项")


class ProgrammeLine(models.Model):
    kind = models.CharField(_("计划类别"), max_length=20, choices=LineKind.choices)
    name = models.CharField(_("名称"), max_length=200)
    department = models.ForeignKey(
        "registry.Organisation", verbose_name=_("主管部门"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("计划类别")
        verbose_name_plural = _("计划类别")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class CallStatus(models.TextChoices):
    OPEN = "open", _("申报中")
    CLOSED = "closed", _("已截止")


class ProjectCall(models.Model):
    line = models.ForeignKey(ProgrammeLine, on_delete=models.PROTECT, related_name="calls")
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=CallStatus.choices, default=CallStatus.OPEN)
    deadline = models.DateField(_("申报截止日期"))
    co_funding_percent = models.PositiveSmallIntegerField(
        _("企业自筹比例（%）"), default=0, help_text=_("企业自筹资金不少于申请财政资金的百分比。")
    )
    max_per_pi = models.PositiveSmallIntegerField(_("项目负责人在研项目上限"), default=1)
    max_per_unit = models.PositiveSmallIntegerField(_("单位在研及申报项目上限"), default=5)
    review_process = models.OneToOneField(
        "review.ReviewProcess", null=True, blank=True, on_delete=models.PROTECT, related_name="project_call"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申报指南")
        verbose_name_plural = _("申报指南")
        ordering = ["-year", "name"]

    def __str__(self):
        return self.name

    @property
    def department_id(self):
        return self.line.department_id


class Topic(models.Model):
    call = models.ForeignKey(ProjectCall, on_delete=models.CASCADE, related_name="topics")
    code = models.CharField(_("编号"), max_length=30)
    title = models.CharField(_("指南方向"), max_length=300)
    budget_fen = models.BigIntegerField(_("拟支持经费（分）"))

    class Meta:
        verbose_name = _("指南方向")
        verbose_name_plural = _("指南方向")
        ordering = ["call", "code"]
        constraints = [models.UniqueConstraint(fields=["call", "code"], name="projects_topic_unique")]

    def __str__(self):
        return f"{self.code} {self.title}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("已提交")
    ENDORSED = "endorsed", _("已推荐")
    FORMAL_FAILED = "formal_failed", _("形式审查未通过")
    FORMAL_PASSED = "formal_passed", _("形式审查通过")
    IN_REVIEW = "in_review", _("专家评审中")
    FUNDED = "funded", _("已立项")
    FINISHED = "finished", _("已结题")
    WITHDRAWN = "withdrawn", _("已撤回")


#: statuses that count against the concurrent-project limits (applied for or running)
ACTIVE_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ENDORSED,
    ApplicationStatus.FORMAL_PASSED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.FUNDED,
)


class Application(models.Model):
    call = models.ForeignKey(ProjectCall, on_delete=models.PROTECT, related_name="applications")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="applications")
    unit = models.ForeignKey(
        "registry.Organisation", verbose_name=_("申报单位"), on_delete=models.PROTECT, related_name="+"
    )
    recommender = models.ForeignKey(
        "registry.Organisation", verbose_name=_("推荐单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("项目名称"), max_length=300)
    summary = models.TextField(_("项目摘要"))
    pi_name = models.CharField(_("项目负责人"), max_length=100)
    pi_key = models.CharField(max_length=120, editable=False, db_index=True)
    team = models.JSONField(_("项目组成员"), default=list)
    targets = models.JSONField(_("考核指标"), default=list)
    fiscal_fen = models.BigIntegerField(_("申请财政资金（分）"))
    self_fen = models.BigIntegerField(_("自筹资金（分）"), default=0)
    status = models.CharField(
        _("状态"), max_length=15, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    pledge_signed_at = models.DateTimeField(_("诚信承诺签署时间"), null=True, blank=True)
    pledge_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    endorsed_at = models.DateTimeField(_("推荐时间"), null=True, blank=True)
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    formal_reasons = models.JSONField(_("形式审查意见"), default=list, blank=True)
    review_submission = models.OneToOneField(
        "review.Submission",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_application",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("项目申报书")
        verbose_name_plural = _("项目申报书")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def organisation_id(self):
        return self.unit_id


class BudgetLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("预算科目"), max_length=20)
    amount_fen = models.BigIntegerField(_("金额（分）"))

    class Meta:
        verbose_name = _("预算科目")
        verbose_name_plural = _("预算科目")
        ordering = ["application", "category"]
        constraints = [
            models.UniqueConstraint(fields=["application", "category"], name="projects_budget_line_unique")
        ]

    def __str__(self):
        return f"{self.category} {self.amount_fen}"
