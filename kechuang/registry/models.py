from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kechuang.codes import REGISTRATION_TYPES


class Region(models.Model):
    """GB/T 2260 administrative division, shipped as reference data."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("地市级")
        COUNTY = "county", _("县级")
        COUNTRY = "country", _("国家（境外）")

    code = models.CharField(_("行政区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    name_en = models.CharField(_("英文名称"), max_length=80, blank=True)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def city_code(self) -> str:
        return self.code if self.level != self.Level.COUNTY else (self.parent_id or "")


class Industry(models.Model):
    """GB/T 4754-2017 national economic industry classification, shipped as reference data."""

    class Level(models.TextChoices):
        SECTION = "section", _("门类")
        DIVISION = "division", _("大类")
        GROUP = "group", _("中类")
        CLASS = "class", _("小类")

    code = models.CharField(_("行业代码"), max_length=5, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=160, blank=True)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    section = models.CharField(_("门类"), max_length=1, db_index=True)

    class Meta:
        verbose_name = _("国民经济行业")
        verbose_name_plural = _("国民经济行业")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


COUNTRY_CHOICES = [
    ("CN", _("中国")),
    ("VN", _("越南")),
    ("TH", _("泰国")),
    ("ID", _("印度尼西亚")),
    ("MY", _("马来西亚")),
    ("PH", _("菲律宾")),
    ("KH", _("柬埔寨")),
    ("LA", _("老挝")),
    ("MM", _("缅甸")),
    ("SG", _("新加坡")),
    ("BN", _("文莱")),
]


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    UNIVERSITY = "university", _("高等院校")
    INSTITUTE = "institute", _("科研院所")
    BANK = "bank", _("银行")
    INSURER = "insurer", _("保险机构")
    GUARANTOR = "guarantor", _("担保机构")
    FUND_MANAGER = "fund_manager", _("基金管理机构")
    GOVERNMENT = "government", _("政府部门")
    TECH_TRANSFER = "tech_transfer", _("技术转移机构")
    OTHER = "other", _("其他")


class DepartmentType(models.TextChoices):
    """What a government organisation is; programmes, funds and rounds are owned by departments."""

    SCIENCE = "science", _("科学技术厅（局）")
    FINANCE = "finance", _("财政厅（局）")
    INDUSTRY = "industry", _("工业和信息化厅（局）")
    TAX = "tax", _("税务局")
    STATISTICS = "statistics", _("统计局")
    MARKET_REGULATION = "market", _("市场监督管理局（知识产权局）")
    FINANCIAL_REGULATION = "financial", _("地方金融监督管理局")
    TALENT = "talent", _("人才工作领导小组办公室")
    HUMAN_RESOURCES = "hr", _("人力资源和社会保障厅（局）")
    OTHER = "other", _("其他部门")


class EnterpriseSize(models.TextChoices):
    ABOVE_SCALE = "above", _("规模以上")
    BELOW_SCALE = "below", _("规模以下")
    NOT_APPLICABLE = "na", _("不适用")


class Organisation(models.Model):
    """One record per organisation (一企一档): a Chinese one keyed by its unified social credit code, an ASEAN one
    by its country, registration number type and number (`kechuang.codes.REGISTRATION_TYPES`); its region is the
    country's row in `Region` (level "country")."""

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    country = models.CharField(_("国家"), max_length=2, choices=COUNTRY_CHOICES, default="CN")
    registration_type = models.CharField(
        _("本国登记号类型"),
        max_length=20,
        blank=True,
        choices=[(t.code, t.label) for t in REGISTRATION_TYPES],
    )
    registration_number = models.CharField(_("本国登记号"), max_length=20, blank=True)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    kind = models.CharField(_("机构类型"), max_length=20, choices=OrganisationKind.choices)
    department_type = models.CharField(
        _("部门类别"),
        max_length=20,
        choices=DepartmentType.choices,
        blank=True,
        help_text=_("仅政府部门填写：决定其拥有的计划、资金和可执行的审核。"),
    )
    region = models.ForeignKey(Region, verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="+")
    city = models.ForeignKey(
        Region, verbose_name=_("所在城市"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("所属行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry_section = models.CharField(_("行业门类"), max_length=1, blank=True, editable=False)
    size = models.CharField(
        _("企业规模"), max_length=5, choices=EnterpriseSize.choices, default=EnterpriseSize.NOT_APPLICABLE
    )
    registered_capital_fen = models.BigIntegerField(_("注册资本（分）"), null=True, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    website = models.URLField(_("网站"), blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True)
    bank_account = models.CharField(_("银行账号"), max_length=40, blank=True)
    search_text = models.CharField(max_length=500, editable=False, db_index=False)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["name", "id"]
        # The list page filters by city plus one more field, searches search_text and orders by name: these
        # covering indexes let both the count and the page be answered from the index alone.
        indexes = [
            models.Index(fields=["city", "kind", "name", "id", "search_text"], name="org_city_kind_cover"),
            models.Index(fields=["city", "size", "name", "id", "search_text"], name="org_city_size_cover"),
            models.Index(
                fields=["city", "industry_section", "name", "id", "search_text"], name="org_city_sector_cover"
            ),
            models.Index(fields=["kind", "industry_section", "name"]),
            models.Index(fields=["name"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="organisation_credit_code_unique"
            ),
            models.UniqueConstraint(
                fields=["country", "registration_type", "registration_number"],
                condition=~Q(registration_number=""),
                name="organisation_registration_unique",
            ),
            models.CheckConstraint(
                condition=(Q(country="CN", registration_number="") & ~Q(credit_code=""))
                | (~Q(country="CN") & Q(credit_code="") & ~Q(registration_number="")),
                name="organisation_one_identifier_kind",
            ),
        ]

    def __str__(self):
        return self.name

    def refresh_derived_fields(self):
        """City, industry section and search text derive from the fields a user edits."""
        self.city_id = self.region.city_code
        self.industry_section = self.industry.section if self.industry is not None else ""
        self.search_text = " ".join(
            filter(None, [self.name, self.name_en, self.credit_code, self.registration_number])
        ).lower()

    @property
    def identifier(self) -> str:
        """The credit code of a Chinese organisation, else its country and own registration number."""
        return self.credit_code or f"{self.get_country_display()} {self.registration_number}"


# Fields that say who an organisation is and where its money goes: they change only through a change request
# approved by an official whose city covers the organisation (`registry.services.do_request_organisation_change`).
IDENTITY_FIELDS = ("credit_code", "name", "kind", "region", "size", "is_active", "bank_name", "bank_account")


class OrganisationChangeRequest(models.Model):
    """An organisation's request to change identity fields; `changes` is {field: [old, new]} as stored values."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("已驳回")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="change_requests")
    changes = models.JSONField(_("变更内容"))
    explanation = models.TextField(_("变更说明"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("机构信息变更申请")
        verbose_name_plural = _("机构信息变更申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(status="pending"), name="org_change_one_pending"
            )
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self):
        return f"{self.organisation_id} {self.get_status_display()} {self.requested_at:%Y-%m-%d}"


class CertificationKind(models.TextChoices):
    HIGH_TECH = "hightech", _("高新技术企业")
    GAZELLE = "gazelle", _("瞪羚企业")
    TECH_SME = "tech_sme", _("科技型中小企业")


class Certification(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="certifications")
    kind = models.CharField(_("资质类型"), max_length=20, choices=CertificationKind.choices)
    number = models.CharField(_("证书编号"), max_length=60, blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期止"))
    source = models.CharField(_("来源"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("资质认定")
        verbose_name_plural = _("资质认定")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")), name="certification_period_valid"
            ),
            models.UniqueConstraint(
                fields=["organisation", "kind", "valid_from"], name="certification_unique_start"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.valid_from}–{self.valid_to}"


class Indicator(models.Model):
    """Definition of a yearly indicator; amounts are integer fen, counts are integers."""

    class Unit(models.TextChoices):
        FEN = "fen", _("金额（分）")
        COUNT = "count", _("数量")
        PERMILLE = "permille", _("千分比")

    code = models.CharField(_("指标代码"), max_length=40, primary_key=True)
    name = models.CharField(_("指标名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=100, blank=True)
    unit = models.CharField(_("单位"), max_length=10, choices=Unit.choices)
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name


class IndicatorSource(models.TextChoices):
    """Where a figure comes from. The platform decides it from the writer (`permissions.registry.indicator_source_for`);
    nobody chooses it. Policy inputs name the sources they accept (`policy.engine.variables.ACCEPTED_SOURCES`)."""

    TAX = "tax", _("税务部门")
    STATISTICS = "statistics", _("统计部门")
    MARKET_REGULATION = "market", _("市场监管部门")
    FINANCIAL_REGULATION = "financial", _("金融监管部门")
    VERIFIED = "verified", _("主管部门核实")
    PLATFORM = "platform", _("平台业务记录")
    SELF_DECLARED = "self", _("机构自报")


# The bureau whose own accounts deliver each authoritative source.
BUREAU_SOURCES = {
    DepartmentType.TAX: IndicatorSource.TAX,
    DepartmentType.STATISTICS: IndicatorSource.STATISTICS,
    DepartmentType.MARKET_REGULATION: IndicatorSource.MARKET_REGULATION,
    DepartmentType.FINANCIAL_REGULATION: IndicatorSource.FINANCIAL_REGULATION,
}
# How much a source weighs: a figure may replace the current one only from a source of equal or higher weight,
# so an organisation's own figure never replaces a bureau's or an official's.
SOURCE_WEIGHT = {
    IndicatorSource.TAX: 3,
    IndicatorSource.STATISTICS: 3,
    IndicatorSource.MARKET_REGULATION: 3,
    IndicatorSource.FINANCIAL_REGULATION: 3,
    IndicatorSource.VERIFIED: 2,
    IndicatorSource.PLATFORM: 2,
    IndicatorSource.SELF_DECLARED: 1,
}


class IndicatorValue(models.Model):
    """One yearly figure. A correction adds a new current row; the old row stays, marked superseded.

    `source` says who delivered it (decided by the writer's department, never by the caller); `reference` is the
    free-text detail (report, file, document number)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField(_("年度"))
    value = models.BigIntegerField(_("数值"))
    source = models.CharField(_("来源"), max_length=20, choices=IndicatorSource.choices)
    reference = models.CharField(_("来源说明"), max_length=200, blank=True)
    is_current = models.BooleanField(_("现行值"), default=True)
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    superseded_at = models.DateTimeField(_("被更正时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度指标")
        verbose_name_plural = _("年度指标")
        ordering = ["organisation", "indicator", "year", "-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "indicator", "year"],
                condition=Q(is_current=True),
                name="indicator_value_one_current",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "year", "is_current"])]

    def __str__(self):
        return f"{self.organisation_id} {self.indicator_id} {self.year}={self.value}"
