"""高层次人才认定 (A–E) and 八桂学者: people, applications, recognitions, benefit schedules paid through the policy
payout workflow, yearly compliance, leaving and recovery.

"Never twice" is a constraint, not only code: one live recognition per person (whatever the level), one
instalment per (schedule, number), one compliance report per (recognition, year)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Person(models.Model):
    """A person across the talent programmes; `id_key` is a hash of the normalised ID number (the number itself is
    not stored), so the same person is found again whatever programme or employer names them."""

    name = models.CharField(_("姓名"), max_length=50)
    id_key = models.CharField(max_length=64, unique=True)
    id_tail = models.CharField(_("证件号后四位"), max_length=4)
    # what payment lists and files show of the ID number (codes.mask_id_number), never the number itself
    id_masked = models.CharField(_("证件号码（脱敏）"), max_length=24, blank=True)
    discipline = models.CharField(_("学科领域"), max_length=100, blank=True)
    # the person's own account: living subsidy and settling-in allowance are paid to the person, not the employer;
    # only the talent office sees the full number (kechuang.permissions.talent.can_see_person_account)
    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True)
    bank_account = models.CharField(_("个人银行账号"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("人才")
        verbose_name_plural = _("人才")

    def __str__(self):
        return self.name


class Level(models.TextChoices):
    A = "A", _("A类")
    B = "B", _("B类")
    C = "C", _("C类")
    D = "D", _("D类")
    E = "E", _("E类")


class Basis(models.TextChoices):
    CATALOGUE = "catalogue", _("按目录认定")
    PANEL = "panel", _("专家评审认定（特殊人才）")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待初审")
    PRECHECK_FAILED = "precheck_failed", _("初审未通过")
    PRECHECKED = "prechecked", _("待认定")
    IN_PANEL = "in_panel", _("专家评审中")
    REJECTED = "rejected", _("不予认定")
    PROPOSED = "proposed", _("拟认定")
    NOTICE = "notice", _("公示中")
    WITHDRAWN = "withdrawn", _("异议成立，撤销")
    RECOGNISED = "recognised", _("已认定")
    LEFT = "left", _("已离桂/离职")


LIVE = (
    Status.SUBMITTED,
    Status.PRECHECKED,
    Status.IN_PANEL,
    Status.PROPOSED,
    Status.NOTICE,
    Status.RECOGNISED,
)


class TalentApplication(models.Model):
    """An employer's application for a newly recruited full-time person; once certified it is the recognition."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="applications")
    employer = models.ForeignKey(
        "registry.Organisation", verbose_name=_("用人单位"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("申报层次"), max_length=1, choices=Level.choices)
    basis = models.CharField(_("认定方式"), max_length=10, choices=Basis.choices, default=Basis.CATALOGUE)
    credential = models.CharField(_("认定依据（目录条目）"), max_length=40, blank=True)
    credential_note = models.CharField(_("依据说明"), max_length=300, blank=True)
    position = models.CharField(_("岗位"), max_length=100, blank=True)
    contract_start = models.DateField(_("聘用合同起"))
    contract_end = models.DateField(_("聘用合同止"))
    evidence = models.JSONField(_("证明材料"), default=dict)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    rules_version = models.CharField(_("规则版本"), max_length=20)
    precheck_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    precheck_note = models.CharField(_("初审意见"), max_length=300, blank=True)
    review_submission = models.OneToOneField(
        "review.Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.CharField(_("认定意见"), max_length=300, blank=True)
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("公示截止"), null=True, blank=True)
    certificate_no = models.CharField(_("证书编号"), max_length=40, blank=True)
    recognised_on = models.DateField(_("认定日期"), null=True, blank=True)
    left_on = models.DateField(_("离职（离桂）日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("高层次人才认定")
        verbose_name_plural = _("高层次人才认定")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status__in=LIVE), name="talent_one_live_recognition"
            ),
        ]
        indexes = [models.Index(fields=["status", "employer"])]

    def __str__(self):
        return f"{self.person} · {self.get_level_display()}"


class TalentObjection(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("待处理")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    application = models.ForeignKey(TalentApplication, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(_("异议人姓名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    text = models.TextField(_("异议内容"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("认定异议")
        verbose_name_plural = _("认定异议")

    def __str__(self):
        return f"{self.application_id} · {self.name}"


class BenefitKind(models.TextChoices):
    LIVING = "living", _("生活补贴")
    SETTLING = "settling", _("安家费（住房补贴）")
    RESEARCH = "research", _("科研经费")


class Programme(models.TextChoices):
    TALENT = "talent", _("高层次人才")
    BAGUI = "bagui", _("八桂学者")


class BenefitSchedule(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", _("执行中")
        STOPPED = "stopped", _("已停止")
        SUPERSEDED = "superseded", _("从高不重复，不享受")
        DONE = "done", _("已发放完毕")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="schedules")
    employer = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    programme = models.CharField(_("人才项目"), max_length=10, choices=Programme.choices)
    application = models.ForeignKey(
        TalentApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="schedules"
    )
    appointment = models.ForeignKey(
        "talent.BaguiAppointment", null=True, blank=True, on_delete=models.PROTECT, related_name="schedules"
    )
    kind = models.CharField(_("待遇"), max_length=12, choices=BenefitKind.choices)
    total_fen = models.BigIntegerField(_("总额（分）"))
    years = models.PositiveSmallIntegerField(_("分期年数"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.ACTIVE)
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    explanation = models.TextField(_("计算依据"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("待遇计划")
        verbose_name_plural = _("待遇计划")
        ordering = ["person", "programme", "kind"]
        constraints = [
            models.CheckConstraint(condition=Q(total_fen__gte=0), name="talent_schedule_total_not_negative"),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()}"


class Instalment(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("待发放")
        PUBLISHED = "published", _("已报拨付")
        PAID = "paid", _("已拨付")
        CANCELLED = "cancelled", _("已停发")

    schedule = models.ForeignKey(BenefitSchedule, on_delete=models.CASCADE, related_name="instalments")
    index = models.PositiveSmallIntegerField(_("期次"))
    year = models.PositiveSmallIntegerField(_("应发年度"))
    amount_fen = models.BigIntegerField(_("金额（分）"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.SCHEDULED)
    published_year = models.PositiveSmallIntegerField(_("报拨付年度"), null=True, blank=True)
    payment = models.ForeignKey(
        "policy.Payment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("待遇分期")
        verbose_name_plural = _("待遇分期")
        ordering = ["schedule", "index"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "index"], name="talent_instalment_once"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="talent_instalment_positive"),
        ]
        indexes = [models.Index(fields=["state", "year"])]

    def __str__(self):
        return f"{self.schedule_id}#{self.index}"


class ComplianceReport(models.Model):
    """The employer's yearly report (still employed full time, social insurance and tax months in Guangxi) and the
    check's outcome with its reason."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("待核查")
        PASSED = "passed", _("合规，继续发放")
        FAILED = "failed", _("不合规，停止发放")

    application = models.ForeignKey(TalentApplication, on_delete=models.CASCADE, related_name="compliance")
    year = models.PositiveSmallIntegerField(_("年度"))
    employed = models.BooleanField(_("仍全职在岗"))
    social_insurance_months = models.PositiveSmallIntegerField(_("在桂社保月数"))
    tax_months = models.PositiveSmallIntegerField(_("在桂个税月数"))
    outcome = models.CharField(_("核查结果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    reason = models.CharField(_("说明"), max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("年度履职核查")
        verbose_name_plural = _("年度履职核查")
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="talent_compliance_once_a_year")
        ]

    def __str__(self):
        return f"{self.application_id}:{self.year}"


class RecoveryOrder(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("待退回")
        SETTLED = "settled", _("已退回")

    application = models.ForeignKey(
        TalentApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="recoveries"
    )
    appointment = models.ForeignKey(
        "talent.BaguiAppointment", null=True, blank=True, on_delete=models.PROTECT, related_name="recoveries"
    )
    employer = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField(_("应退金额（分）"))
    explanation = models.TextField(_("计算过程"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("待遇追回")
        verbose_name_plural = _("待遇追回")
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gte=0), name="talent_recovery_not_negative"),
        ]

    def __str__(self):
        return f"{self.employer_id}:{self.amount_fen}"


# ---- 八桂学者 -------------------------------------------------------------------------------------------------------


class BaguiPost(models.Model):
    class State(models.TextChoices):
        APPLIED = "applied", _("待岗位评审")
        REFUSED = "refused", _("岗位未通过")
        OPEN = "open", _("公开招聘中")
        FILLED = "filled", _("已聘任")

    unit = models.ForeignKey(
        "registry.Organisation", verbose_name=_("设岗单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("岗位名称"), max_length=200)
    discipline = models.CharField(_("学科"), max_length=100)
    field = models.CharField(_("类别"), max_length=10, default="natural")  # natural | social
    team = models.TextField(_("团队情况"))
    matching_fen = models.BigIntegerField(_("单位配套经费（分）"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.APPLIED)
    review_note = models.CharField(_("评审意见"), max_length=300, blank=True)
    # 岗位评审 on kechuang.review (experts assigned with their conflicts, scored by the rubric)
    review_submission = models.OneToOneField(
        "review.Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("八桂学者岗位")
        verbose_name_plural = _("八桂学者岗位")
        constraints = [
            models.CheckConstraint(condition=Q(matching_fen__gte=0), name="bagui_matching_not_negative"),
        ]

    def __str__(self):
        return self.title


class BaguiAppointment(models.Model):
    """A scholar on a post: written review and hearing, decision, notice, five-year contract with a task sheet."""

    class State(models.TextChoices):
        CANDIDATE = "candidate", _("应聘评审中")
        NOTICE = "notice", _("公示中")
        CONTRACTED = "contracted", _("聘期中")
        STOPPED = "stopped", _("终止资助")
        COMPLETED = "completed", _("聘期结束")
        NOT_SELECTED = "not_selected", _("未入选")

    post = models.ForeignKey(BaguiPost, on_delete=models.PROTECT, related_name="appointments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bagui")
    full_time = models.BooleanField(_("全职"), default=True)
    from_outside = models.BooleanField(_("从区外引进"), default=True)
    written_score = models.DecimalField(
        _("书面评审分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    hearing_score = models.DecimalField(_("答辩分"), max_digits=5, decimal_places=2, null=True, blank=True)
    # 书面评审 and 答辩 on kechuang.review; the two scores above are the means of its experts' rubric totals
    review_submission = models.OneToOneField(
        "review.Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.CANDIDATE)
    notice_start = models.DateField(null=True, blank=True)
    notice_end = models.DateField(null=True, blank=True)
    contract_start = models.DateField(_("聘期起"), null=True, blank=True)
    contract_end = models.DateField(_("聘期止"), null=True, blank=True)
    task_sheet = models.TextField(_("任务书"), blank=True)
    decision_document = models.CharField(_("决定文件"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("八桂学者聘任")
        verbose_name_plural = _("八桂学者聘任")
        constraints = [
            models.UniqueConstraint(
                fields=["post"],
                condition=Q(state__in=["notice", "contracted"]),
                name="bagui_one_scholar_per_post",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.post}"


class BaguiEvaluation(models.Model):
    class Kind(models.TextChoices):
        YEARLY = "yearly", _("年度考核")
        MIDTERM = "midterm", _("中期评估")
        FINAL = "final", _("期满考核")

    class Result(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        PASS = "pass", _("合格")
        FAIL = "fail", _("不合格")

    appointment = models.ForeignKey(BaguiAppointment, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    result = models.CharField(max_length=10, choices=Result.choices)
    note = models.CharField(_("意见"), max_length=300, blank=True)
    effect = models.CharField(_("对资助的影响"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("八桂学者考核")
        verbose_name_plural = _("八桂学者考核")
        constraints = [
            models.UniqueConstraint(fields=["appointment", "kind", "year"], name="bagui_evaluation_once")
        ]

    def __str__(self):
        return f"{self.appointment_id}:{self.kind}:{self.year}"


class ServiceTicket(models.Model):
    class Kind(models.TextChoices):
        SPOUSE = "spouse_employment", _("配偶就业")
        SCHOOLING = "schooling", _("子女入学")
        MEDICAL = "medical_priority", _("医疗优先")

    class State(models.TextChoices):
        OPEN = "open", _("办理中")
        DONE = "done", _("已办结")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="tickets")
    appointment = models.ForeignKey(
        BaguiAppointment, null=True, blank=True, on_delete=models.CASCADE, related_name="tickets"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.CharField(_("诉求"), max_length=300)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    outcome = models.CharField(_("办理结果"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("服务保障事项")
        verbose_name_plural = _("服务保障事项")

    def __str__(self):
        return self.get_kind_display()


class Panel(models.Model):
    """The year's expert panel for exceptional cases (recognition by panel), run on `kechuang.review`."""

    year = models.PositiveSmallIntegerField(unique=True)
    process = models.OneToOneField("review.ReviewProcess", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("认定专家评审")
        verbose_name_plural = _("认定专家评审")

    def __str__(self):
        return str(self.year)


class BaguiReview(models.Model):
    """The year's 八桂学者 review on `kechuang.review`: one for the posts (岗位评审), one for the applicants (书面评审
    then 答辩)."""

    class Kind(models.TextChoices):
        POST = "post", _("岗位评审")
        CANDIDATE = "candidate", _("书面评审与答辩")

    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    process = models.OneToOneField("review.ReviewProcess", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("八桂学者评审")
        verbose_name_plural = _("八桂学者评审")
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="bagui_review_once_a_year")]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()}"
