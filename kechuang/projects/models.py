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
    NOTICE = "notice", _("立项公示中")
    DECIDED = "decided", _("已立项")


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
    fund = models.ForeignKey(
        "policy.Fund",
        verbose_name=_("拨款资金"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_calls",
        help_text=_("项目经费经奖补拨付流程（批次、会审、公示、会签、批准、拨付、对账）从该资金支出。"),
    )
    decision_no = models.CharField(_("厅务会议纪要文号"), max_length=100, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    eligible_kinds = models.JSONField(
        _("申报单位类型"), default=list, blank=True, help_text=_("可申报的单位类型；为空时不限。")
    )
    required_documents = models.JSONField(_("必备附件"), default=list, blank=True)
    notice_days = models.PositiveSmallIntegerField(_("公示工作日"), default=5)
    notice_starts = models.DateField(_("公示开始"), null=True, blank=True)
    notice_ends = models.DateField(_("公示结束"), null=True, blank=True)
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
    PROPOSED = "proposed", _("拟立项（公示中）")
    NOT_FUNDED = "not_funded", _("未立项")
    FUNDED = "funded", _("已立项")
    FINISHED = "finished", _("已结题")
    WITHDRAWN = "withdrawn", _("已撤回")


#: statuses that count against the concurrent-project limits (applied for or running)
ACTIVE_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ENDORSED,
    ApplicationStatus.FORMAL_PASSED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.PROPOSED,
    ApplicationStatus.FUNDED,
)


class ProjectType(models.TextChoices):
    RESEARCH = "research", _("研发项目")
    OVERSEAS_CENTRE = "overseas_centre", _("海外研发中心建设")


class Application(models.Model):
    call = models.ForeignKey(ProjectCall, on_delete=models.PROTECT, related_name="applications")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="applications")
    unit = models.ForeignKey(
        "registry.Organisation", verbose_name=_("申报单位"), on_delete=models.PROTECT, related_name="+"
    )
    recommender = models.ForeignKey(
        "registry.Organisation", verbose_name=_("推荐单位"), on_delete=models.PROTECT, related_name="+"
    )
    project_type = models.CharField(
        _("项目类型"), max_length=20, choices=ProjectType.choices, default=ProjectType.RESEARCH
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
    review_score = models.DecimalField(_("评审得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    priority_points = models.PositiveSmallIntegerField(_("优先支持加分"), default=0)
    priority_trace = models.JSONField(_("加分依据"), default=list, blank=True)
    rank = models.PositiveIntegerField(_("排序"), null=True, blank=True)
    funded_fen = models.BigIntegerField(_("立项支持经费（分）"), null=True, blank=True)
    decision_note = models.CharField(_("立项意见"), max_length=255, blank=True)
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


class DocumentKind(models.TextChoices):
    FEASIBILITY = "feasibility", _("可行性研究报告")
    BUDGET_NOTES = "budget_notes", _("预算说明书")
    SELF_FUNDING = "self_funding", _("自筹资金证明")
    COOPERATION = "cooperation", _("合作协议")
    OTHER = "other", _("其他材料")


class Attachment(models.Model):
    """A document of an application (one per kind); downloaded only through an authorising view."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("附件类型"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), upload_to="projects/attachments/%Y/")
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("申报附件")
        verbose_name_plural = _("申报附件")
        ordering = ["application", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="projects_attachment_once_per_kind")
        ]

    def __str__(self):
        return self.name


class NoticeObjection(models.Model):
    """An objection to a proposed project during the public notice (anyone may object, signed with a contact)."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(_("署名"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=100)
    text = models.TextField(_("异议内容"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.CharField(_("处理意见"), max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("立项公示异议")
        verbose_name_plural = _("立项公示异议")
        ordering = ["-created_at"]

    def __str__(self):
        return self.text[:30]


class IntegritySource(models.TextChoices):
    CREDIT_CHINA = "credit_china", _("信用中国（严重失信主体名单）")
    COURT = "court", _("失信被执行人名单（最高人民法院）")
    MOST = "most", _("科研诚信严重失信行为记录（科技部）")
    DEPARTMENT = "department", _("本厅科研诚信记录")


class IntegrityRecord(models.Model):
    """An entry of the credit / dishonesty list: a unit or a person barred from applying until `ends_on`.

    Every entry names its source (which list, which document) so that a refusal can say why."""

    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person_name = models.CharField(_("责任人"), max_length=100, blank=True)
    person_key = models.CharField(max_length=120, blank=True, db_index=True, editable=False)
    source = models.CharField(_("来源"), max_length=20, choices=IntegritySource.choices)
    reference = models.CharField(_("认定文书"), max_length=200)
    reason = models.CharField(_("失信事由"), max_length=500)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("限制期至"), null=True, blank=True)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="integrity_records"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("科研诚信失信记录")
        verbose_name_plural = _("科研诚信失信记录")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | ~models.Q(person_key=""),
                name="projects_integrity_names_someone",
            )
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.reference}"


class FundingMode(models.TextChoices):
    STAGED = "staged", _("分期拨付")
    POST = "post", _("后补助")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("待签订")
    RUNNING = "running", _("执行中")
    ACCEPTANCE = "acceptance", _("验收中")
    ACCEPTED = "accepted", _("已验收")
    FAILED = "failed", _("验收不通过")
    TERMINATED = "terminated", _("已终止")


class Contract(models.Model):
    """The task contract (任务书): targets, budget lines, co-funding, period and milestones."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="contract")
    number = models.CharField(_("合同编号"), max_length=40, unique=True)
    funding_mode = models.CharField(
        _("支持方式"), max_length=10, choices=FundingMode.choices, default=FundingMode.STAGED
    )
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("完成日期"))
    fiscal_fen = models.BigIntegerField(_("财政资金（分）"))
    self_fen = models.BigIntegerField(_("自筹资金（分）"), default=0)
    targets = models.JSONField(_("考核指标"), default=list)
    team = models.JSONField(_("项目组成员"), default=list)
    status = models.CharField(
        _("状态"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    unit_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    clawback_fen = models.BigIntegerField(_("追回资金（分）"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("项目任务书")
        verbose_name_plural = _("项目任务书")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="projects_contract_period"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def organisation_id(self):
        return self.application.unit_id


class ContractBudgetLine(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("预算科目"), max_length=20)
    amount_fen = models.BigIntegerField(_("金额（分）"))

    class Meta:
        verbose_name = _("任务书预算科目")
        verbose_name_plural = _("任务书预算科目")
        ordering = ["contract", "category"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "category"], name="projects_contract_budget_unique")
        ]

    def __str__(self):
        return f"{self.category} {self.amount_fen}"


class MilestoneGate(models.TextChoices):
    SIGNED = "signed", _("任务书签订后")
    MIDTERM = "midterm", _("中期检查通过后")
    ACCEPTED = "accepted", _("验收通过后")


class Milestone(models.Model):
    """One stage of the contract and the money tied to it; paid only through a payout round of the policy
    workflow (`candidate`), so the payment, its bank return and the fund ledger are the policy ones."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    seq = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("节点"), max_length=200)
    due_on = models.DateField(_("计划日期"))
    gate = models.CharField(_("拨付条件"), max_length=10, choices=MilestoneGate.choices)
    amount_fen = models.BigIntegerField(_("拨付金额（分）"))
    candidate = models.OneToOneField(
        "policy.Candidate", null=True, blank=True, on_delete=models.PROTECT, related_name="project_milestone"
    )

    class Meta:
        verbose_name = _("任务书节点")
        verbose_name_plural = _("任务书节点")
        ordering = ["contract", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "seq"], name="projects_milestone_unique"),
            models.CheckConstraint(condition=models.Q(amount_fen__gte=0), name="projects_milestone_amount"),
        ]

    def __str__(self):
        return f"{self.contract_id}#{self.seq} {self.title}"


class ReportKind(models.TextChoices):
    YEARLY = "yearly", _("年度报告")
    MIDTERM = "midterm", _("中期报告")


class ReportStatus(models.TextChoices):
    DUE = "due", _("待提交")
    SUBMITTED = "submitted", _("已提交")
    PASSED = "passed", _("检查通过")
    RETURNED = "returned", _("退回修改")


class ProgressReport(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("类型"), max_length=10, choices=ReportKind.choices)
    period = models.PositiveSmallIntegerField(_("年度"))
    due_on = models.DateField(_("报送截止日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DUE
    )
    text = models.TextField(_("进展情况"), blank=True)
    progress = models.JSONField(_("指标完成情况"), default=list, blank=True)
    spent_fen = models.BigIntegerField(_("累计支出（分）"), default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    check_note = models.CharField(_("检查意见"), max_length=500, blank=True)
    warnings = models.JSONField(_("预警"), default=list, blank=True)

    class Meta:
        verbose_name = _("项目进展报告")
        verbose_name_plural = _("项目进展报告")
        ordering = ["contract", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "kind", "period"], name="projects_report_unique")
        ]

    def __str__(self):
        return f"{self.contract_id} {self.kind} {self.period}"


class ChangeKind(models.TextChoices):
    TEAM = "team", _("项目组成员")
    BUDGET = "budget", _("预算科目调整")
    TIME = "time", _("延期")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")


class ChangeRequest(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("变更事项"), max_length=10, choices=ChangeKind.choices)
    payload = models.JSONField(_("变更内容"))
    before = models.JSONField(_("变更前"), default=dict)
    reason = models.CharField(_("变更理由"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("项目变更申请")
        verbose_name_plural = _("项目变更申请")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.contract_id} {self.kind}"


class AcceptanceConclusion(models.TextChoices):
    PASSED = "passed", _("通过验收")
    FAILED = "failed", _("不通过验收")


class Acceptance(models.Model):
    """验收: the unit's final report and audit report, expert review on the review engine, the conclusion."""

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="acceptance")
    final_report = models.TextField(_("总结报告"))
    audit_report_no = models.CharField(_("专项审计报告编号"), max_length=100)
    audit_firm = models.CharField(_("审计机构"), max_length=200)
    spent_fen = models.BigIntegerField(_("财政资金实际支出（分）"))
    outcomes = models.JSONField(_("指标完成情况"), default=list)
    review_process = models.OneToOneField(
        "review.ReviewProcess",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_acceptance",
    )
    review_submission = models.OneToOneField(
        "review.Submission",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_acceptance",
    )
    review_score = models.DecimalField(_("专家评分"), max_digits=7, decimal_places=2, null=True, blank=True)
    conclusion = models.CharField(_("结论"), max_length=10, choices=AcceptanceConclusion.choices, blank=True)
    conclusion_note = models.CharField(_("验收意见"), max_length=500, blank=True)
    misused_fen = models.BigIntegerField(_("违规使用资金（分）"), default=0)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # the day of the conclusion, for counting accepted projects by date (KPIs) without a datetime-to-date cast
    decided_on = models.DateField(_("验收日期"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("项目验收")
        verbose_name_plural = _("项目验收")

    def __str__(self):
        return f"{self.contract_id} {self.conclusion}"


class ResultStatus(models.TextChoices):
    OFFERED = "offered", _("待单位确认")
    LISTED = "listed", _("已提交技术市场")
    DECLINED = "declined", _("单位不发布")


class ResultOffer(models.Model):
    """A result of an accepted project, offered to its unit as a draft achievement listing of the technology
    market. Nothing is published without the unit: on confirmation the listing is created through the market's
    own service (and goes to the market's review); the unit may also decline."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="results")
    title = models.CharField(_("成果名称"), max_length=200)
    summary = models.TextField(_("成果简介"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ResultStatus.choices, default=ResultStatus.OFFERED
    )
    listing = models.OneToOneField(
        "techmarket.Listing", null=True, blank=True, on_delete=models.PROTECT, related_name="project_result"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True, db_index=True)  # the day it counts (KPIs)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("项目成果")
        verbose_name_plural = _("项目成果")
        ordering = ["contract", "id"]

    def __str__(self):
        return self.title


class OverseasCentre(models.Model):
    """海外研发中心: a platform record of a Guangxi unit's R&D centre abroad, with its outbound-investment filing."""

    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("中心名称"), max_length=200)
    host_country = models.CharField(_("所在国家（地区）"), max_length=2, help_text=_("ISO 3166-1 两位代码"))
    city = models.CharField(_("所在城市"), max_length=100, blank=True)
    partner = models.CharField(_("合作方"), max_length=200, blank=True)
    filing_no = models.CharField(_("境外投资备案（核准）文号"), max_length=100)
    established_on = models.DateField(_("设立日期"))
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="overseas_centres"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("海外研发中心")
        verbose_name_plural = _("海外研发中心")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="projects_overseas_unique")
        ]

    def __str__(self):
        return self.name


class OverseasReport(models.Model):
    centre = models.ForeignKey(OverseasCentre, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    staff = models.PositiveIntegerField(_("人员（人）"))
    new_products = models.PositiveIntegerField(_("新产品（个）"))
    sales_fen = models.BigIntegerField(_("销售收入（分）"))
    patents = models.PositiveIntegerField(_("专利（件）"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("海外研发中心年报")
        verbose_name_plural = _("海外研发中心年报")
        ordering = ["centre", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "year"], name="projects_overseas_report_unique"),
            models.CheckConstraint(condition=models.Q(sales_fen__gte=0), name="projects_overseas_sales"),
        ]

    def __str__(self):
        return f"{self.centre_id} {self.year}"


class DedupEntry(models.Model):
    """The stored 查重 index: one row per submitted application, written once when it is submitted (or its text
    changes) — its rare-shingle hashes, language and, once computed, its centred e5 vector."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="dedup_entry")
    text_sha = models.CharField(max_length=64)
    language = models.CharField(max_length=10)
    shingles = models.BinaryField()  # sorted unique uint64, little-endian
    anchors = models.BinaryField(null=True, blank=True)  # cross-language anchor features, same packing
    vector = models.BinaryField(null=True, blank=True)  # float32, centred and normalised
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("查重索引")
        verbose_name_plural = _("查重索引")

    def __str__(self):
        return f"{self.application_id} {self.language}"
