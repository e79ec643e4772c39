"""Patent-pledge financing: patents, financing needs, bank loan products, loans and their lifecycle."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kechuang import codes
from kechuang.translations import TranslationRow, pick_translation


class PatentType(models.TextChoices):
    INVENTION = codes.INVENTION, _("发明专利")
    UTILITY = codes.UTILITY, _("实用新型专利")
    DESIGN = codes.DESIGN, _("外观设计专利")


class LegalStatus(models.TextChoices):
    PENDING = "pending", _("审查中（未授权）")
    GRANTED = "granted", _("有效（已授权）")
    LAPSED = "lapsed", _("因未缴年费终止")
    INVALIDATED = "invalidated", _("已被宣告无效")
    EXPIRED = "expired", _("期限届满")
    ABANDONED = "abandoned", _("已放弃")


class CooperationModel(models.TextChoices):
    BANK = "bank", _("银行+企业")
    BANK_INSURANCE = "bank_ins", _("银行+企业+保险")
    BANK_GUARANTEE = "bank_gua", _("银行+企业+担保")
    BANK_INSURANCE_GUARANTEE = "bank_ins_gua", _("银行+企业+保险+担保")

    @classmethod
    def needs_insurer(cls, value) -> bool:
        return value in (cls.BANK_INSURANCE, cls.BANK_INSURANCE_GUARANTEE)

    @classmethod
    def needs_guarantor(cls, value) -> bool:
        return value in (cls.BANK_GUARANTEE, cls.BANK_INSURANCE_GUARANTEE)


class Patent(models.Model):
    """A patent (or application) held by an enterprise on the platform."""

    owner = models.ForeignKey(
        "registry.Organisation", verbose_name=_("专利权人"), on_delete=models.PROTECT, related_name="patents"
    )
    application_number = models.CharField(_("申请号"), max_length=14, unique=True)
    patent_type = models.CharField(_("专利类型"), max_length=10, choices=PatentType.choices)
    title = models.CharField(_("名称"), max_length=200)
    filing_date = models.DateField(_("申请日"))
    grant_date = models.DateField(_("授权公告日"), null=True, blank=True)
    expiry_date = models.DateField(_("期限届满日"), editable=False)
    fee_paid_until = models.DateField(_("年费缴至"), null=True, blank=True)
    legal_status = models.CharField(
        _("法律状态"), max_length=12, choices=LegalStatus.choices, default=LegalStatus.GRANTED
    )
    ipc = models.CharField(_("IPC 主分类号"), max_length=30, blank=True)
    in_dispute = models.BooleanField(_("存在权属纠纷"), default=False)
    invalidation_pending = models.BooleanField(_("无效宣告请求审查中"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("专利")
        verbose_name_plural = _("专利")
        ordering = ["-filing_date", "id"]

    def __str__(self):
        return f"{self.title}（{self.application_number}）"

    @property
    def organisation_id(self):  # for the audit trail
        return self.owner_id

    @property
    def patent_number(self) -> str:
        return f"ZL{self.application_number}"


class PatentCoOwner(models.Model):
    """A co-owner besides `Patent.owner`; a pledge needs every co-owner's written consent."""

    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="co_owners")
    name = models.CharField(_("共有人名称"), max_length=200)
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consents_to_pledge = models.BooleanField(_("同意出质"), default=False)

    class Meta:
        verbose_name = _("专利共有人")
        verbose_name_plural = _("专利共有人")
        ordering = ["id"]

    def __str__(self):
        return self.name


class FinancingNeed(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", _("已发布")
        CLOSED = "closed", _("已关闭")

    enterprise = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="financing_needs",
    )
    amount_fen = models.BigIntegerField(_("融资金额（分）"))
    term_months = models.PositiveSmallIntegerField(_("期限（月）"))
    purpose = models.CharField(_("用途"), max_length=300)
    preferred_model = models.CharField(
        _("意向合作模式"), max_length=14, choices=CooperationModel.choices, blank=True
    )
    patents = models.ManyToManyField(Patent, verbose_name=_("拟质押专利"), related_name="needs")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("融资需求")
        verbose_name_plural = _("融资需求")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="pledge_need_amount_positive")
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.purpose[:30]}"

    @property
    def organisation_id(self):
        return self.enterprise_id


class LoanProduct(models.Model):
    """A bank's patent-pledge loan product. Names and descriptions are one row per language (LoanProductText)."""

    bank = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("银行"),
        on_delete=models.PROTECT,
        related_name="loan_products",
    )
    min_amount_fen = models.BigIntegerField(_("最低金额（分）"))
    max_amount_fen = models.BigIntegerField(_("最高金额（分）"))
    min_term_months = models.PositiveSmallIntegerField(_("最短期限（月）"), default=1)
    max_term_months = models.PositiveSmallIntegerField(_("最长期限（月）"))
    rate_bp = models.PositiveIntegerField(_("年利率（基点）"), help_text=_("385 表示 3.85%"))
    patent_types = models.JSONField(_("接受的专利类型"), default=list)
    requires_valuation = models.BooleanField(_("需要评估报告"), default=True)
    max_ltv_bp = models.PositiveIntegerField(
        _("最高质押率（基点）"), default=5000, help_text=_("贷款金额不超过评估价值的比例，5000 表示 50%")
    )
    regions = models.JSONField(
        _("服务城市"), default=list, blank=True, help_text=_("城市行政区划代码；空表示全区")
    )
    industries = models.JSONField(
        _("支持行业门类"), default=list, blank=True, help_text=_("GB/T 4754 门类字母；空表示不限")
    )
    models_supported = models.JSONField(_("合作模式"), default=list)
    is_active = models.BooleanField(_("上架"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("贷款产品")
        verbose_name_plural = _("贷款产品")
        ordering = ["rate_bp", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_amount_fen__gte=models.F("min_amount_fen")) & Q(min_amount_fen__gt=0),
                name="pledge_product_amounts",
            ),
            models.CheckConstraint(
                condition=Q(max_term_months__gte=models.F("min_term_months")), name="pledge_product_terms"
            ),
        ]

    def __str__(self):
        return self.name()

    @property
    def organisation_id(self):
        return self.bank_id

    def text(self, language: str = "zh-hans"):
        """The platform's one rule (kechuang.translations): the reader's language, then English, then Chinese."""
        rows = list(getattr(self, "_texts_cache", None) or self.texts.all())
        original = next((r for r in rows if r.language == "zh-hans"), None)
        return pick_translation(rows, (language or "zh-hans").lower(), fallbacks=("en",), original=original)

    def name(self, language: str = "zh-hans") -> str:
        text = self.text(language)
        return text.name if text else f"#{self.pk}"


class LoanProductText(TranslationRow):
    product = models.ForeignKey(LoanProduct, on_delete=models.CASCADE, related_name="texts")
    name = models.CharField(_("产品名称"), max_length=120)
    description = models.TextField(_("产品说明"), blank=True)

    class Meta:
        verbose_name = _("贷款产品文本")
        verbose_name_plural = _("贷款产品文本")
        constraints = [
            models.UniqueConstraint(fields=["product", "language"], name="pledge_product_text_lang")
        ]

    def __str__(self):
        return f"{self.language}: {self.name}"


class LoanStatus(models.TextChoices):
    APPLIED = "applied", _("已申请")
    VALUED = "valued", _("已评估")
    APPROVED = "approved", _("授信已批准")
    REGISTERED = "registered", _("质押已登记")
    DISBURSED = "disbursed", _("已放款（还款中）")
    CLOSED = "closed", _("已结清")
    DEFAULTED = "defaulted", _("已违约")
    RISK_SHARED = "risk_shared", _("已分担风险")
    DISPOSED = "disposed", _("质押物已处置")
    REJECTED = "rejected", _("已拒绝")
    WITHDRAWN = "withdrawn", _("已撤回")


class ValuationMethod(models.TextChoices):
    INCOME = "income", _("收益法")
    MARKET = "market", _("市场法")
    COST = "cost", _("成本法")


class LoanApplication(models.Model):
    """One enterprise's application to one product, followed through the whole loan lifecycle."""

    need = models.ForeignKey(FinancingNeed, on_delete=models.PROTECT, related_name="applications")
    product = models.ForeignKey(LoanProduct, on_delete=models.PROTECT, related_name="applications")
    enterprise = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    bank = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    insurer = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    guarantor = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cooperation_model = models.CharField(_("合作模式"), max_length=14, choices=CooperationModel.choices)
    patents = models.ManyToManyField(Patent, related_name="applications")
    amount_fen = models.BigIntegerField(_("申请金额（分）"))
    term_months = models.PositiveSmallIntegerField(_("期限（月）"))
    status = models.CharField(
        _("状态"), max_length=12, choices=LoanStatus.choices, default=LoanStatus.APPLIED, db_index=True
    )
    # valuation
    valuation_method = models.CharField(
        _("评估方法"), max_length=8, choices=ValuationMethod.choices, blank=True
    )
    valuer = models.CharField(_("评估机构"), max_length=200, blank=True)
    valuation_report = models.CharField(_("评估报告编号"), max_length=100, blank=True)
    valuation_fen = models.BigIntegerField(_("评估价值（分）"), null=True, blank=True)
    valuation_fee_fen = models.BigIntegerField(_("评估费（分）"), default=0)
    valued_on = models.DateField(_("评估日期"), null=True, blank=True)
    # credit approval
    approved_amount_fen = models.BigIntegerField(_("授信金额（分）"), null=True, blank=True)
    rate_bp = models.PositiveIntegerField(_("执行年利率（基点）"), null=True, blank=True)
    insurance_premium_fen = models.BigIntegerField(_("保费（分）"), default=0)
    guarantee_fee_fen = models.BigIntegerField(_("担保费（分）"), default=0)
    approved_on = models.DateField(_("审批日期"), null=True, blank=True)
    # pledge registration
    registration_number = models.CharField(_("质押登记号"), max_length=60, blank=True)
    registered_on = models.DateField(_("质押登记日"), null=True, blank=True)
    # disbursement and repayment
    disbursed_on = models.DateField(_("放款日"), null=True, blank=True)
    maturity_date = models.DateField(_("到期日"), null=True, blank=True)
    balance_fen = models.BigIntegerField(_("贷款余额（分）"), default=0)
    closed_on = models.DateField(_("结清日"), null=True, blank=True)
    # default and disposal
    defaulted_on = models.DateField(_("违约日"), null=True, blank=True)
    default_balance_fen = models.BigIntegerField(_("违约时余额（分）"), null=True, blank=True)
    disposed_on = models.DateField(_("处置日"), null=True, blank=True)
    disposal_method = models.CharField(_("处置方式"), max_length=100, blank=True)
    disposal_proceeds_fen = models.BigIntegerField(_("处置回收（分）"), null=True, blank=True)
    decision_note = models.CharField(_("说明"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("质押贷款")
        verbose_name_plural = _("质押贷款")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["bank", "status"]), models.Index(fields=["enterprise", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(balance_fen__gte=0), name="pledge_loan_balance_nonnegative")
        ]

    def __str__(self):
        return f"#{self.pk} {self.enterprise_id}→{self.bank_id}"

    @property
    def organisation_id(self):
        return self.enterprise_id


class Pledge(models.Model):
    """A patent pledged for a loan. At most one active pledge per patent, enforced by the database too."""

    application = models.ForeignKey(LoanApplication, on_delete=models.PROTECT, related_name="pledges")
    patent = models.ForeignKey(Patent, on_delete=models.PROTECT, related_name="pledges")
    registration_number = models.CharField(_("质押登记号"), max_length=60)
    registered_on = models.DateField(_("登记日"))
    active = models.BooleanField(_("质押中"), default=True)
    released_on = models.DateField(_("解除日"), null=True, blank=True)

    class Meta:
        verbose_name = _("专利质押")
        verbose_name_plural = _("专利质押")
        constraints = [
            models.UniqueConstraint(
                fields=["patent"], condition=Q(active=True), name="pledge_one_active_per_patent"
            )
        ]

    def __str__(self):
        return f"{self.patent_id} → {self.application_id}"


class Instalment(models.Model):
    """One line of the repayment schedule: principal due on a date plus the interest of the period."""

    application = models.ForeignKey(LoanApplication, on_delete=models.CASCADE, related_name="instalments")
    seq = models.PositiveSmallIntegerField()
    due_date = models.DateField(_("应还日"))
    principal_fen = models.BigIntegerField(_("应还本金（分）"))
    interest_fen = models.BigIntegerField(_("应付利息（分）"))

    class Meta:
        ordering = ["application", "seq"]
        constraints = [models.UniqueConstraint(fields=["application", "seq"], name="pledge_instalment_seq")]

    def __str__(self):
        return f"{self.application_id}#{self.seq} {self.due_date}"


class Repayment(models.Model):
    application = models.ForeignKey(LoanApplication, on_delete=models.PROTECT, related_name="repayments")
    paid_on = models.DateField(_("还款日"))
    principal_fen = models.BigIntegerField(_("本金（分）"))
    interest_fen = models.BigIntegerField(_("利息（分）"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(principal_fen__gte=0) & Q(interest_fen__gte=0),
                name="pledge_repayment_nonnegative",
            )
        ]

    def __str__(self):
        return f"{self.application_id} {self.paid_on} {self.principal_fen}"


class RiskParty(models.TextChoices):
    BANK = "bank", _("银行")
    INSURER = "insurer", _("保险机构")
    GUARANTOR = "guarantor", _("担保机构")
    FUND = "fund", _("风险补偿资金池")


class RiskSharingScheme(models.Model):
    """Configured shares of a default loss per cooperation model, in basis points that must sum to 10000."""

    cooperation_model = models.CharField(_("合作模式"), max_length=14, choices=CooperationModel.choices)
    bank_bp = models.PositiveIntegerField(_("银行承担（基点）"))
    insurer_bp = models.PositiveIntegerField(_("保险承担（基点）"), default=0)
    guarantor_bp = models.PositiveIntegerField(_("担保承担（基点）"), default=0)
    fund_bp = models.PositiveIntegerField(_("补偿资金承担（基点）"), default=0)
    effective_from = models.DateField(_("生效日期"))
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    verified = models.BooleanField(_("已核实"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("风险分担比例")
        verbose_name_plural = _("风险分担比例")
        ordering = ["cooperation_model", "-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(bank_bp__lte=10000)
                & Q(insurer_bp__lte=10000)
                & Q(guarantor_bp__lte=10000)
                & Q(fund_bp__lte=10000),
                name="pledge_scheme_bp_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_cooperation_model_display()} {self.effective_from}"

    def ratios(self) -> dict[str, int]:
        return {
            RiskParty.BANK: self.bank_bp,
            RiskParty.INSURER: self.insurer_bp,
            RiskParty.GUARANTOR: self.guarantor_bp,
            RiskParty.FUND: self.fund_bp,
        }


class RiskShare(models.Model):
    application = models.ForeignKey(LoanApplication, on_delete=models.PROTECT, related_name="risk_shares")
    scheme = models.ForeignKey(RiskSharingScheme, on_delete=models.PROTECT, related_name="+")
    party = models.CharField(_("承担方"), max_length=10, choices=RiskParty.choices)
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ratio_bp = models.PositiveIntegerField(_("比例（基点）"))
    amount_fen = models.BigIntegerField(_("承担金额（分）"))
    paid_on = models.DateField(_("支付日"), null=True, blank=True)
    recovered_fen = models.BigIntegerField(_("处置回收分回（分）"), default=0)

    class Meta:
        verbose_name = _("风险分担")
        verbose_name_plural = _("风险分担")
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "party"], name="pledge_risk_share_party")
        ]

    def __str__(self):
        return f"{self.application_id} {self.party} {self.amount_fen}"


class SubsidyKind(models.TextChoices):
    INTEREST = "interest", _("贴息")
    VALUATION = "valuation", _("评估费补助")
    INSURANCE = "insurance", _("保费补助")
    GUARANTEE = "guarantee", _("担保费补助")
