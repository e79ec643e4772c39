"""Expert review as one engine: experts, processes with stages, submissions, conflicts, assignments, reviews, votes.

A domain (awards, programme projects, talent, institutions) creates a `ReviewProcess` and one `Submission` per
thing to review, pointing back to its own record by `subject_type`/`subject_id`. Everything about experts and
review lives here once.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Discipline(models.Model):
    """GB/T 13745 first-level disciplines (学科分类与代码), or a department's own codes."""

    code = models.CharField(_("学科代码"), max_length=10, unique=True)
    name = models.CharField(_("学科名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("学科")
        verbose_name_plural = _("学科")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class ExpertProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", verbose_name=_("工作单位"), on_delete=models.PROTECT, related_name="+"
    )
    parent_organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    disciplines = models.ManyToManyField(Discipline, verbose_name=_("学科"), related_name="experts")
    title = models.CharField(_("职称"), max_length=50, blank=True)
    languages = models.CharField(
        _("评审语言"), max_length=60, default="zh-hans", help_text=_("逗号分隔的语言代码")
    )
    profile_text = models.TextField(_("研究方向与简介"), blank=True)
    is_available = models.BooleanField(_("可接受邀请"), default=True)
    vector = models.BinaryField(null=True, editable=False)
    country = models.CharField(_("国家或地区"), max_length=2, default="CN")

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")

    def __str__(self):
        return str(self.user)

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class RelationKind(models.TextChoices):
    CO_AUTHOR = "co_author", _("合著")
    CO_INVENTOR = "co_inventor", _("共同发明")
    COLLABORATION = "collaboration", _("项目合作")
    SUPERVISION = "supervision", _("师生关系")


class ExpertRelation(models.Model):
    """A past tie of an expert to a person or an organisation, used to detect conflicts of interest."""

    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(_("关系类型"), max_length=20, choices=RelationKind.choices)
    person_name = models.CharField(_("相关人员"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("专家关联关系")
        verbose_name_plural = _("专家关联关系")

    def __str__(self):
        return f"{self.expert} · {self.get_kind_display()} · {self.person_name or self.organisation}"


class BlindMode(models.TextChoices):
    OPEN = "open", _("公开评审")
    SINGLE = "single", _("单盲（申报方不知评审专家）")
    DOUBLE = "double", _("双盲（双方互不知晓）")


class ReviewProcess(models.Model):
    name = models.CharField(_("评审名称"), max_length=200)
    department = models.ForeignKey(
        "registry.Organisation", verbose_name=_("主管部门"), on_delete=models.PROTECT, related_name="+"
    )
    blind_mode = models.CharField(
        _("匿名方式"), max_length=10, choices=BlindMode.choices, default=BlindMode.SINGLE
    )
    reviews_per_submission = models.PositiveSmallIntegerField(_("每项评审专家数"), default=3)
    cap_per_expert = models.PositiveSmallIntegerField(_("每位专家上限"), default=12)
    one_reviewer_per_organisation = models.BooleanField(_("同一单位专家不评同一项目"), default=True)
    conflict_years = models.PositiveSmallIntegerField(_("合作回避年限"), default=3)
    fair_assignment = models.BooleanField(_("公平优先（提高最差项目的匹配度）"), default=False)
    rubric = models.ForeignKey("Rubric", verbose_name=_("评分标准"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评审流程")
        verbose_name_plural = _("评审流程")
        ordering = ["-id"]

    def __str__(self):
        return self.name


class StageKind(models.TextChoices):
    FORMAL = "formal", _("形式审查")
    ONLINE = "online", _("网络评审")
    HEARING = "hearing", _("会议答辩")
    VOTE = "vote", _("委员会表决")


class StageStatus(models.TextChoices):
    PENDING = "pending", _("未开始")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class Stage(models.Model):
    process = models.ForeignKey(ReviewProcess, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField(_("顺序"))
    kind = models.CharField(_("阶段类型"), max_length=10, choices=StageKind.choices)
    name = models.CharField(_("阶段名称"), max_length=100)
    deadline = models.DateTimeField(_("截止时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=StageStatus.choices, default=StageStatus.PENDING
    )
    quorum = models.PositiveSmallIntegerField(_("法定人数"), default=0)
    two_thirds = models.BooleanField(_("须三分之二多数"), default=False)
    advance_count = models.PositiveIntegerField(_("晋级数量"), null=True, blank=True)
    committee = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="review_committees")
    rebuttal_deadline = models.DateTimeField(
        _("答辩（澄清）截止时间"),
        null=True,
        blank=True,
        help_text=_("设定后，申报方可在截止前看到本阶段的匿名评审意见并提交一次答辩（澄清）意见。"),
    )

    class Meta:
        verbose_name = _("评审阶段")
        verbose_name_plural = _("评审阶段")
        ordering = ["process", "order"]
        constraints = [models.UniqueConstraint(fields=["process", "order"], name="review_stage_order_unique")]

    def __str__(self):
        return f"{self.process} · {self.name}"


class Rubric(models.Model):
    """Criteria as data: [{"code", "label", "weight", "min", "max", "comment_required"}], weights summing to 100."""

    code = models.CharField(max_length=50, unique=True)
    name = models.CharField(_("评分标准"), max_length=100)
    criteria = models.JSONField()

    class Meta:
        verbose_name = _("评分标准")
        verbose_name_plural = _("评分标准")

    def __str__(self):
        return self.name


class SubmissionStatus(models.TextChoices):
    ACTIVE = "active", _("评审中")
    ELIMINATED = "eliminated", _("未通过")
    PASSED = "passed", _("通过")


class Submission(models.Model):
    process = models.ForeignKey(ReviewProcess, on_delete=models.CASCADE, related_name="submissions")
    subject_type = models.CharField(max_length=60)
    subject_id = models.PositiveBigIntegerField()
    title = models.CharField(_("名称"), max_length=300)
    text = models.TextField(_("摘要"), blank=True)
    language = models.CharField(max_length=10, default="zh-hans")
    applicant = models.ForeignKey(
        "registry.Organisation", verbose_name=_("申报单位"), on_delete=models.PROTECT, related_name="+"
    )
    organisations = models.ManyToManyField("registry.Organisation", blank=True, related_name="+")
    people = models.JSONField(_("完成人/发明人"), default=list)
    disciplines = models.ManyToManyField(Discipline, blank=True, related_name="+")
    status = models.CharField(
        max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.ACTIVE
    )
    vector = models.BinaryField(null=True, editable=False)
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("评审对象")
        verbose_name_plural = _("评审对象")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "subject_type", "subject_id"], name="review_subject_unique"
            )
        ]

    def __str__(self):
        return self.title


class ConflictSource(models.TextChoices):
    DETECTED = "detected", _("系统检测")
    DECLARED = "declared", _("专家申报")
    OFFICIAL = "official", _("工作人员认定")


class ConflictReason(models.TextChoices):
    SAME_ORGANISATION = "same_org", _("同一单位")
    PARENT_ORGANISATION = "parent_org", _("上级或下属单位")
    CO_AUTHOR = "co_author", _("合著者")
    CO_INVENTOR = "co_inventor", _("共同发明人")
    COLLABORATION = "collaboration", _("近年合作")
    PARTICIPANT = "participant", _("本人为完成人")
    DECLARED = "declared", _("专家声明")


class Conflict(models.Model):
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="conflicts")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="conflicts")
    reason = models.CharField(_("回避原因"), max_length=20, choices=ConflictReason.choices)
    detail = models.CharField(_("说明"), max_length=300, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=ConflictSource.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("利益冲突")
        verbose_name_plural = _("利益冲突")
        constraints = [
            models.UniqueConstraint(fields=["expert", "submission", "reason"], name="review_conflict_unique")
        ]

    def __str__(self):
        return f"{self.expert} ↔ {self.submission}: {self.get_reason_display()}"


class AssignmentStatus(models.TextChoices):
    INVITED = "invited", _("已邀请")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已谢绝")
    SUBMITTED = "submitted", _("已提交评审")


class Assignment(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="assignments")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(ExpertProfile, on_delete=models.PROTECT, related_name="assignments")
    affinity = models.DecimalField(_("匹配度"), max_digits=7, decimal_places=4, default=Decimal("0"))
    status = models.CharField(
        max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.INVITED
    )
    pinned = models.BooleanField(_("指定"), default=False)
    decline_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评审分配")
        verbose_name_plural = _("评审分配")
        ordering = ["submission_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "submission", "expert"], name="review_assignment_unique")
        ]

    def __str__(self):
        return f"{self.submission} · {self.expert}"


class Forbidden(models.Model):
    """An official's rule that this expert must not review this submission (kept across re-runs)."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stage", "submission", "expert"], name="review_forbidden_unique")
        ]

    def __str__(self):
        return f"{self.submission} ✗ {self.expert}"


class Review(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    scores = models.JSONField(_("各项得分"))
    comments = models.JSONField(_("各项意见"), default=dict)
    total = models.DecimalField(_("加权总分"), max_digits=7, decimal_places=2)
    overall_comment = models.TextField(_("总体意见"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评审意见")
        verbose_name_plural = _("评审意见")

    def __str__(self):
        return f"{self.assignment} · {self.total}"


class VoteChoice(models.TextChoices):
    YES = "yes", _("赞成")
    NO = "no", _("反对")
    ABSTAIN = "abstain", _("弃权")
    RECUSED = "recused", _("回避")


class Vote(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="votes")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("表决"), max_length=10, choices=VoteChoice.choices)
    reason = models.CharField(_("理由"), max_length=300, blank=True)
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        constraints = [
            models.UniqueConstraint(fields=["stage", "submission", "member"], name="review_vote_unique")
        ]

    def __str__(self):
        return f"{self.submission} · {self.get_choice_display()}"


class Decision(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="decisions")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="decisions")
    passed = models.BooleanField(_("通过"))
    reason = models.CharField(_("理由"), max_length=500)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("阶段结论")
        verbose_name_plural = _("阶段结论")
        constraints = [models.UniqueConstraint(fields=["stage", "submission"], name="review_decision_unique")]

    def __str__(self):
        return f"{self.stage} · {self.submission}"


class Rebuttal(models.Model):
    """The applicant's answer to one stage's reviews (答辩/澄清), read by the experts and committee of later stages.

    One per submission and stage; the applicant sees the reviews without the reviewers' identities."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="rebuttals")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="rebuttals")
    text = models.TextField(_("答辩（澄清）意见"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("答辩（澄清）意见")
        verbose_name_plural = _("答辩（澄清）意见")
        ordering = ["stage__order", "id"]
        constraints = [models.UniqueConstraint(fields=["stage", "submission"], name="review_rebuttal_once")]

    def __str__(self):
        return f"{self.stage} · {self.submission}"
