"""Policies as versioned data, screening results, and the payout workflow with its ledger.

Money is integer fen. The "never pay twice" rules are unique constraints, not just code:
one payment per candidate, one payment per (organisation, what is paid for), one ledger entry per payment,
one payment batch per round.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_FEN = 10**15  # every money input is bounded: 10^15 fen = 10万亿元, far above any budget, far below int64
JOINT_REVIEW_DEPARTMENTS = [
    "science",
    "finance",
    "industry",
    "tax",
    "statistics",
]  # 联合会审 (DepartmentType)


def default_joint_departments():
    return list(JOINT_REVIEW_DEPARTMENTS)


class PolicyVersion(models.Model):
    """One version of a policy definition (the YAML file's content when it was loaded)."""

    code = models.CharField(_("政策代码"), max_length=60)
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("政策名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    kind = models.CharField(_("类型"), max_length=20)
    document_no = models.CharField(_("文号"), max_length=200)
    clause = models.CharField(_("条款"), max_length=200, blank=True)
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    exclusivity_group = models.CharField(_("不重复享受组"), max_length=60, blank=True)
    definition = models.JSONField(_("定义"))
    content_sha = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("载入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政策版本")
        verbose_name_plural = _("政策版本")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="policy_version_unique"),
            models.UniqueConstraint(fields=["code", "content_sha"], name="policy_version_content_unique"),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"


class ParameterChange(models.Model):
    """A parameter value scheduled in the platform (usually for a future date), overriding the file from then on."""

    policy_code = models.CharField(_("政策代码"), max_length=60, db_index=True)
    param = models.CharField(_("参数"), max_length=60)
    value = models.BigIntegerField(_("取值"))
    effective_from = models.DateField(_("生效日期"))
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    verified = models.BooleanField(_("已核实"), default=False)
    document_no = models.CharField(_("文号"), max_length=200)
    clause = models.CharField(_("条款"), max_length=200, blank=True)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("参数调整")
        verbose_name_plural = _("参数调整")
        ordering = ["policy_code", "param", "effective_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy_code", "param", "effective_from"], name="parameter_change_unique_start"
            ),
        ]

    def __str__(self):
        return f"{self.policy_code}.{self.param}={self.value} @ {self.effective_from}"


class ResultStatus(models.IntegerChoices):
    INELIGIBLE = 0, _("不符合")
    ELIGIBLE = 1, _("符合")
    NOT_COMPUTABLE = 2, _("无法计算")


class ScreeningRun(models.Model):
    """Screening every organisation (免申即享) for a period against a set of policies; runs as a background job."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("运行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    year = models.PositiveSmallIntegerField(_("年度"))
    policy_codes = models.JSONField(_("政策"), default=list)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    round = models.ForeignKey(
        "policy.Round", null=True, blank=True, on_delete=models.CASCADE, related_name="screening_runs"
    )
    organisations = models.PositiveIntegerField(_("机构数"), default=0)
    summary = models.JSONField(_("汇总"), default=dict, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("筛查批次")
        verbose_name_plural = _("筛查批次")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"#{self.pk} {self.year}"


class ScreeningResult(models.Model):
    # the unique (run, policy_code, organisation) index serves lookups by run; fewer indexes keep the
    # 100,000-organisation screening's inserts fast
    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="results", db_index=False)
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE, related_name="+")
    policy_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    policy_code = models.CharField(max_length=60)
    status = models.PositiveSmallIntegerField(_("结果"), choices=ResultStatus.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"), default=0)
    capped = models.BooleanField(_("已封顶"), default=False)
    failed_condition = models.CharField(_("未满足的条件"), max_length=60, blank=True)
    not_computable = models.CharField(_("无法计算的原因"), max_length=255, blank=True)
    trace = models.JSONField(_("计算过程"), null=True, blank=True)

    class Meta:
        verbose_name = _("筛查结果")
        verbose_name_plural = _("筛查结果")
        # (run, policy, organisation): results are written policy by policy in organisation order, so this
        # index grows at its end, and it serves the per-policy lists
        constraints = [
            models.UniqueConstraint(
                fields=["run", "policy_code", "organisation"], name="screening_result_unique_by_policy"
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id}:{self.policy_code}={self.amount_fen}"

    @property
    def eligible(self) -> bool:
        return self.status == ResultStatus.ELIGIBLE


DEFAULT_NOTICE_DAYS = 5  # working days, by common practice (10 for high-tech recognition)


class ObjectionRelease(models.TextChoices):
    CARRY = "carry", _("转入下一批（退回资金余额）")
    REDISTRIBUTE = "redistribute", _("在本批次重新分配（重新公示）")


class Programme(models.Model):
    """A programme is owned by a department (a government organisation) and covers the whole region or, when
    `area` is set, one city or county; its funds and rounds inherit both."""

    name = models.CharField(_("项目名称"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    policy_codes = models.JSONField(_("适用政策"), default=list)
    department = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("主管部门"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    area = models.ForeignKey(
        "registry.Region",
        verbose_name=_("实施范围"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空表示全区。"),
    )
    joint_departments = models.JSONField(_("联合会审部门"), default=default_joint_departments)
    # 公示: at least this many working days for every round of the programme (never 0)
    notice_min_days = models.PositiveSmallIntegerField(_("公示最少工作日"), default=DEFAULT_NOTICE_DAYS)
    objection_release = models.CharField(
        _("异议成立后的资金"),
        max_length=12,
        choices=ObjectionRelease.choices,
        default=ObjectionRelease.CARRY,
    )
    # 下达: the shares of each award that city and county finance co-fund (the region passes down the rest)
    city_share_bp = models.PositiveIntegerField(_("市级配套比例（万分比）"), default=0)
    county_share_bp = models.PositiveIntegerField(_("县级配套比例（万分比）"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("奖补项目")
        verbose_name_plural = _("奖补项目")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(notice_min_days__gte=1), name="programme_notice_at_least_one_day"
            ),
            models.CheckConstraint(
                condition=Q(city_share_bp__lte=10000 - models.F("county_share_bp")),
                name="programme_local_shares_within_whole",
            ),
        ]

    def __str__(self):
        return self.name


class Fund(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="funds")
    department = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("主管部门"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("资金名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("预算年度"))
    budget_fen = models.BigIntegerField(_("预算（分）"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("专项资金")
        verbose_name_plural = _("专项资金")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(budget_fen__gte=0), name="fund_budget_not_negative"),
            models.CheckConstraint(condition=Q(budget_fen__lte=MAX_FEN), name="fund_budget_bounded"),
        ]

    def __str__(self):
        return self.name


class Round(models.Model):
    """One batch (批次) of a fund: candidates → city review → joint review → 公示 → approval → payment."""

    class Mode(models.TextChoices):
        SCREEN = "screen", _("免申即享（全量筛查）")
        APPLY = "apply", _("依申请")

    class Status(models.TextChoices):
        DRAFT = "draft", _("受理申请")
        SCREENING = "screening", _("筛查中")
        CITY_REVIEW = "city_review", _("区县初审、市级推荐")
        JOINT_REVIEW = "joint_review", _("联合会审")
        NOTICE = "notice", _("公示中")
        APPROVED = "approved", _("已批准")
        PAYING = "paying", _("拨付中")
        CLOSED = "closed", _("已对账")
        CANCELLED = "cancelled", _("已撤销")

    class Allocation(models.TextChoices):
        BATCHES = "batches", _("分批安排（预算不足的转入下一批）")
        PRORATE = "prorate", _("按比例分配")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="rounds")
    department = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("主管部门"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    area = models.ForeignKey(
        "registry.Region",
        verbose_name=_("实施范围"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("批次名称"), max_length=200)
    year = models.PositiveSmallIntegerField(_("数据年度"))
    budget_year = models.PositiveSmallIntegerField(_("预算年度"), null=True)
    allocation = models.CharField(
        _("预算不足时"), max_length=10, choices=Allocation.choices, default=Allocation.BATCHES
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("承接批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_into",
    )
    policy_codes = models.JSONField(_("适用政策"), default=list)
    mode = models.CharField(_("方式"), max_length=10, choices=Mode.choices, default=Mode.SCREEN)
    status = models.CharField(_("状态"), max_length=15, choices=Status.choices, default=Status.DRAFT)
    budget_fen = models.BigIntegerField(_("本批预算（分）"))
    notice_days = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=DEFAULT_NOTICE_DAYS)
    notice_starts = models.DateField(_("公示开始"), null=True, blank=True)
    notice_ends = models.DateField(_("公示结束"), null=True, blank=True)
    joint_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    finance_concurred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finance_concurred_at = models.DateTimeField(null=True, blank=True)
    finance_note = models.CharField(_("财政意见"), max_length=255, blank=True)
    cancel_reason = models.CharField(_("撤销原因"), max_length=255, blank=True)
    prorated = models.BooleanField(_("已按比例分配"), default=False)
    # money released by upheld objections and returned to the fund (the programme's rule "carry")
    released_fen = models.BigIntegerField(_("退回资金（分）"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("奖补批次")
        verbose_name_plural = _("奖补批次")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget_fen__gte=0), name="round_budget_not_negative"),
            models.CheckConstraint(condition=Q(budget_fen__lte=MAX_FEN), name="round_budget_bounded"),
        ]

    def __str__(self):
        return self.name


class Candidate(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待区县初审")
        SUPERSEDED = "superseded", _("从优从高不重复")
        DUPLICATE = "duplicate", _("已享受，不重复")
        COUNTY_REJECTED = "county_rejected", _("区县初审未通过")
        COUNTY_PASSED = "county_passed", _("待市级推荐")
        CITY_REJECTED = "city_rejected", _("市级未推荐")
        RECOMMENDED = "recommended", _("市级推荐")
        JOINT_REJECTED = "joint_rejected", _("联合会审否决")
        CARRIED = "carried", _("预算不足，转入下一批")
        LISTED = "listed", _("公示中")
        WITHDRAWN = "withdrawn", _("异议成立，取消")
        APPROVED = "approved", _("已批准")
        PAID = "paid", _("已拨付")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="candidates")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    policy_code = models.CharField(_("政策"), max_length=60)
    dedupe_key = models.CharField(max_length=80)
    computed_fen = models.BigIntegerField(_("测算金额（分）"))
    awarded_fen = models.BigIntegerField(_("拟奖补金额（分）"), default=0)
    status = models.CharField(_("状态"), max_length=15, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("说明"), max_length=255, blank=True)
    trace = models.JSONField(_("计算过程"), default=list)
    applied = models.BooleanField(_("企业申请"), default=False)
    attachment = models.FileField(_("附件"), upload_to="policy/applications/%Y/", blank=True)
    county_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    county_note = models.CharField(_("区县初审意见"), max_length=255, blank=True)
    city_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    city_note = models.CharField(_("市级意见"), max_length=255, blank=True)
    data_flags = models.JSONField(_("数据核对提示"), default=list, blank=True)
    # A person paid directly (talent benefits: living subsidy, settling-in allowance), on the employer's behalf of
    # the entitlement: `payee_key` names the person in the deciding module ("" for the organisation itself), the
    # payment line carries the name, the masked ID number and the person's own account.
    payee_key = models.CharField(max_length=40, blank=True, default="")
    payee_name = models.CharField(_("收款人"), max_length=200, blank=True)
    payee_id_masked = models.CharField(_("收款人证件号码（脱敏）"), max_length=24, blank=True)
    payee_bank_name = models.CharField(_("收款人开户银行"), max_length=100, blank=True)
    payee_account = models.CharField(_("收款人账号"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("奖补对象")
        verbose_name_plural = _("奖补对象")
        ordering = ["round", "organisation__name", "policy_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation", "policy_code", "payee_key"], name="candidate_unique_in_round"
            ),
            models.CheckConstraint(
                condition=Q(awarded_fen__gte=0) & Q(awarded_fen__lte=models.F("computed_fen")),
                name="candidate_award_within_computed",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self):
        return f"{self.organisation_id}:{self.policy_code}"


class Objection(models.Model):
    """An objection during the 公示: from anyone on the public page (name and contact required), from a signed-in
    user, or a signed letter that staff recorded. Every objection gets an answer before the round is approved."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    class Channel(models.TextChoices):
        PUBLIC = "public", _("公示页面（实名）")
        ACCOUNT = "account", _("平台账号")
        LETTER = "letter", _("书面来信（工作人员登记）")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="objections")
    text = models.TextField(_("异议内容"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    channel = models.CharField(_("提出方式"), max_length=10, choices=Channel.choices, default=Channel.ACCOUNT)
    name = models.CharField(_("异议人姓名或单位"), max_length=100, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.CharField(_("处理意见"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.candidate_id}: {self.text[:30]}"


class JointSignoff(models.Model):
    """One department's signature in the 联合会审 of a round (its vetoes are `Veto` rows)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="signoffs")
    department_type = models.CharField(_("部门类别"), max_length=20)
    department = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("会审意见"), max_length=255, blank=True)
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联合会审意见")
        verbose_name_plural = _("联合会审意见")
        ordering = ["round", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "department_type"], name="joint_signoff_once_per_department"
            )
        ]

    def __str__(self):
        return f"{self.round_id}:{self.department_type}"


class Veto(models.Model):
    signoff = models.ForeignKey(JointSignoff, on_delete=models.CASCADE, related_name="vetoes")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="vetoes")
    reason = models.CharField(_("否决理由"), max_length=255)

    class Meta:
        verbose_name = _("会审否决")
        verbose_name_plural = _("会审否决")
        constraints = [models.UniqueConstraint(fields=["signoff", "candidate"], name="veto_once")]

    def __str__(self):
        return f"{self.candidate_id}: {self.reason[:30]}"


class PaymentBatch(models.Model):
    class Status(models.TextChoices):
        CREATED = "created", _("待对账")
        RECONCILED = "reconciled", _("已对账")

    round = models.OneToOneField(Round, on_delete=models.PROTECT, related_name="payment_batch")
    reference = models.CharField(_("批次号"), max_length=40, unique=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.CREATED)
    total_fen = models.BigIntegerField(_("合计（分）"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reconciled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reconciled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("拨付批次")
        verbose_name_plural = _("拨付批次")

    def __str__(self):
        return self.reference


class Payment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待拨付")
        PAID = "paid", _("已到账")
        FAILED = "failed", _("拨付失败")

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="payments")
    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="payment")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    dedupe_key = models.CharField(max_length=80)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    reference = models.CharField(_("支付指令号"), max_length=40, unique=True)
    payee_name = models.CharField(_("收款人"), max_length=200, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True)
    account = models.CharField(_("收款账号"), max_length=40, blank=True)
    payee_key = models.CharField(max_length=40, blank=True, default="")  # a person paid directly (Candidate)
    payee_id_masked = models.CharField(_("收款人证件号码（脱敏）"), max_length=24, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    bank_reference = models.CharField(_("银行流水号"), max_length=60, blank=True)
    failure_reason = models.CharField(_("失败原因"), max_length=255, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("拨付明细")
        verbose_name_plural = _("拨付明细")
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "dedupe_key", "payee_key"], name="payment_once_per_thing"
            ),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="payment_positive"),
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.amount_fen}"


class BankReturn(models.Model):
    """A bank's return file read for a payment batch, with what was matched and every mismatch found.

    The same file (by SHA-256) is read once per batch: reading it again returns this report and changes nothing."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="bank_returns")
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    paid = models.PositiveIntegerField(_("到账"), default=0)
    failed = models.PositiveIntegerField(_("失败"), default=0)
    mismatches = models.JSONField(_("不一致"), default=list)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("银行回单")
        verbose_name_plural = _("银行回单")
        ordering = ["batch", "read_at", "id"]
        constraints = [models.UniqueConstraint(fields=["batch", "sha256"], name="bank_return_once_per_file")]

    def __str__(self):
        return self.file_name


class LedgerEntry(models.Model):
    """The fund ledger: the budget in, each payment out, money recovered after a clawback back in.
    Balance = sum(amount_fen). A recovery is booked once per receipt (the 缴款书 or bank receipt number): the same
    receipt recorded again is the same money, never a second entry."""

    class Kind(models.TextChoices):
        BUDGET = "budget", _("预算下达")
        PAYMENT = "payment", _("拨付")
        RECOVERY = "recovery", _("多拨追回")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    payment = models.OneToOneField(
        Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entry"
    )
    recovery = models.ForeignKey(
        "Recovery", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    receipt = models.CharField(_("凭证号"), max_length=100, blank=True)
    note = models.CharField(_("摘要"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("资金台账")
        verbose_name_plural = _("资金台账")
        ordering = ["fund", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "receipt"],
                condition=Q(kind="recovery") & ~Q(receipt=""),
                name="ledger_recovery_receipt_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount_fen}"


class Transfer(models.Model):
    """资金下达: the region's share of a round's approved awards passed down to one city's finance bureau with a
    document number; the city and county co-funding shares are those the programme defines at the time."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="transfers")
    city = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    document_no = models.CharField(_("下达文号"), max_length=100)
    awards = models.PositiveIntegerField(_("奖补对象数"), default=0)
    total_fen = models.BigIntegerField(_("奖补合计（分）"), default=0)
    region_fen = models.BigIntegerField(_("自治区下达（分）"), default=0)
    city_fen = models.BigIntegerField(_("市级配套（分）"), default=0)
    county_fen = models.BigIntegerField(_("县级配套（分）"), default=0)
    city_share_bp = models.PositiveIntegerField(default=0)
    county_share_bp = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("资金下达")
        verbose_name_plural = _("资金下达")
        ordering = ["round", "city_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "city"], name="transfer_once_per_city"),
            models.CheckConstraint(
                condition=Q(total_fen=models.F("region_fen") + models.F("city_fen") + models.F("county_fen")),
                name="transfer_shares_add_up",
            ),
        ]

    def __str__(self):
        return self.document_no


class Recovery(models.Model):
    """Clawback: the tax authority lowered a figure after payment; the award recomputed on the new figures is lower
    than what was paid, and the difference is to be recovered (and, once it is, recorded)."""

    class Status(models.TextChoices):
        DUE = "due", _("待追回")
        RECOVERED = "recovered", _("已追回")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="recoveries")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="recoveries")
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    paid_fen = models.BigIntegerField(_("已拨付（分）"))
    recomputed_fen = models.BigIntegerField(_("重新核定（分）"))
    overpaid_fen = models.BigIntegerField(_("多拨付（分）"))
    recovered_fen = models.BigIntegerField(_("已追回（分）"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DUE)
    reason = models.CharField(_("原因"), max_length=255)
    trace = models.JSONField(_("重新计算过程"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    recovered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recovered_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("追回说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("多拨追回")
        verbose_name_plural = _("多拨追回")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(overpaid_fen__gt=0), name="recovery_positive"),
            models.CheckConstraint(
                condition=Q(recovered_fen__gte=0) & Q(recovered_fen__lte=models.F("overpaid_fen")),
                name="recovery_within_overpaid",
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id} {self.overpaid_fen}"
