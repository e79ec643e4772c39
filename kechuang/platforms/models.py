"""Innovation platforms (records imported from the ministries' lists), recognition of new-type R&D institutions and
technology-transfer demonstration institutions, their yearly indicator reports, and the classified evaluation of
research institutes and recognised institutions whose grade drives post-funding through the payout workflow."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PlatformKind(models.TextChoices):
    KEY_LAB = "key_lab", _("重点实验室")
    ENGINEERING_CENTRE = "engineering_centre", _("工程技术研究中心")
    ENTERPRISE_TECH_CENTRE = "enterprise_tech_centre", _("企业技术中心")
    INCUBATOR = "incubator", _("科技企业孵化器")
    INTL_JOINT_LAB = "intl_joint_lab", _("国际联合实验室")
    CLINICAL_CENTRE = "clinical_centre", _("临床医学研究中心")
    OVERSEAS_RD_CENTRE = "overseas_rd_centre", _("海外研发中心")
    STAR_CREATION = "star_creation", _("星创天地")


class PlatformLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    REGIONAL = "regional", _("自治区级")


class Platform(models.Model):
    name = models.CharField(_("平台名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=30, choices=PlatformKind.choices)
    level = models.CharField(_("级别"), max_length=10, choices=PlatformLevel.choices)
    host = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("依托单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    host_name = models.CharField(_("依托单位名称"), max_length=200)
    approved_year = models.PositiveSmallIntegerField(_("批准年份"))
    # the list's approval date; where a list gives only the year, 1 January of it, marked as not known
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    approved_on_known = models.BooleanField(_("批准日期来自名单"), default=False)
    approval_document = models.CharField(_("批准文件"), max_length=200, blank=True)
    source = models.CharField(_("来源名单"), max_length=200, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("创新平台")
        verbose_name_plural = _("创新平台")
        ordering = ["-approved_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind", "level"], name="platform_unique_in_list"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        import datetime as dt

        if self.approved_on is None and self.approved_year:  # a list with the year only: 1 January, said so
            self.approved_on, self.approved_on_known = dt.date(self.approved_year, 1, 1), False
        super().save(*args, **kwargs)


class PlatformImport(models.Model):
    file_name = models.CharField(_("文件名"), max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("平台名单导入")
        verbose_name_plural = _("平台名单导入")
        ordering = ["-imported_at"]

    def __str__(self):
        return self.file_name


class InstitutionKind(models.TextChoices):
    NEW_RD = "new_rd", _("新型研发机构")
    TRANSFER = "transfer", _("技术转移示范机构")
    INSTITUTE = "institute", _("科研院所")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待市级推荐")
    NOT_RECOMMENDED = "not_recommended", _("市级未推荐")
    RECOMMENDED = "recommended", _("待形式审查")
    FORMAL_FAILED = "formal_failed", _("形式审查未通过")
    IN_REVIEW = "in_review", _("专家评审与现场考察")
    REJECTED = "rejected", _("不予认定")
    APPROVED = "approved", _("厅务会审议通过")
    NOTICE = "notice", _("公示中")
    RECOGNISED = "recognised", _("已认定")


class InstitutionApplication(models.Model):
    kind = models.CharField(_("认定类型"), max_length=10, choices=InstitutionKind.choices)
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    figures = models.JSONField(_("申报数据"))
    criteria = models.JSONField(_("认定条件核对"), default=list)
    rules_version = models.CharField(max_length=20)
    status = models.CharField(
        _("状态"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    city_note = models.CharField(_("市级推荐意见"), max_length=300, blank=True)
    formal_note = models.CharField(_("形式审查意见"), max_length=300, blank=True)
    review_submission = models.OneToOneField(
        "review.Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    site_visit_note = models.CharField(_("现场考察意见"), max_length=300, blank=True)
    decision_note = models.CharField(_("审议意见"), max_length=300, blank=True)
    notice_start = models.DateField(null=True, blank=True)
    notice_end = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("机构认定申请")
        verbose_name_plural = _("机构认定申请")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=~Q(status__in=["not_recommended", "formal_failed", "rejected"]),
                name="institution_application_once",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.get_kind_display()}"


class Institution(models.Model):
    class Category(models.TextChoices):
        BASIC_RESEARCH = "basic_research", _("基础研究类")
        INNOVATION_TRANSFER = "innovation_transfer", _("技术创新与成果转化类")
        PUBLIC_INTEREST = "public_interest", _("社会公益类")
        NEW_RD = "new_rd", _("新型研发机构")
        TRANSFER = "transfer", _("技术转移示范机构")

    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=10, choices=InstitutionKind.choices)
    category = models.CharField(_("评估类别"), max_length=20, choices=Category.choices)
    number = models.CharField(_("认定编号"), max_length=40, unique=True)
    recognised_on = models.DateField(_("认定日期"))
    application = models.OneToOneField(
        InstitutionApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="institution"
    )
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["kind", "number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="institution_once_per_kind")
        ]

    def __str__(self):
        return f"{self.organisation} · {self.number}"


class IndicatorReport(models.Model):
    """The institution's yearly indicator report (self-assessment figures, by indicator code)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("年度"))
    figures = models.JSONField(_("指标"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("年度指标报告")
        verbose_name_plural = _("年度指标报告")
        constraints = [models.UniqueConstraint(fields=["institution", "year"], name="indicator_report_once")]

    def __str__(self):
        return f"{self.institution_id}:{self.year}"


class Evaluation(models.Model):
    class State(models.TextChoices):
        SCORED = "scored", _("已评分")
        NOTICE = "notice", _("公示中")
        FINAL = "final", _("已确定")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField(_("年度"))
    category = models.CharField(_("评估类别"), max_length=20)
    rules_version = models.CharField(max_length=20)
    figures = models.JSONField(_("评估数据"))
    expert_score = models.PositiveSmallIntegerField(_("专家评议得分"), null=True, blank=True)
    total_centi = models.PositiveIntegerField(_("总分（百分之一分）"))
    grade = models.CharField(_("等级"), max_length=2)
    explanation = models.JSONField(_("得分说明"))
    post_funding_fen = models.BigIntegerField(_("后补助（分）"), default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCORED)
    notice_start = models.DateField(null=True, blank=True)
    notice_end = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("分类评估")
        verbose_name_plural = _("分类评估")
        ordering = ["-year", "-total_centi"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year"], name="evaluation_once_a_year"),
            models.CheckConstraint(condition=Q(total_centi__lte=10000), name="evaluation_total_at_most_100"),
        ]

    def __str__(self):
        return f"{self.institution_id}:{self.year}:{self.grade}"

    @property
    def total_text(self) -> str:
        return f"{self.total_centi // 100}.{self.total_centi % 100:02d}"


class ExpertReview(models.Model):
    """The year's expert review of the classified evaluation on `kechuang.review`: one submission per institution,
    experts assigned with their conflicts, scored by the rubric; the mean of an institution's rubric totals is its
    expert score."""

    year = models.PositiveSmallIntegerField(unique=True)
    process = models.OneToOneField("review.ReviewProcess", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("分类评估专家评议")
        verbose_name_plural = _("分类评估专家评议")

    def __str__(self):
        return str(self.year)
