"""广西科学技术奖 and 广西专利奖: calls, nominator quotas, nominations with ordered contributors and units, grades,
public notice with objections, decisions and prizes. Expert review runs on `kechuang.review`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AwardKind(models.TextChoices):
    ST_AWARD = "st_award", _("广西科学技术奖")
    PATENT_AWARD = "patent_award", _("广西专利奖")


class CallStatus(models.TextChoices):
    NOMINATING = "nominating", _("提名中")
    REVIEWING = "reviewing", _("评审中")
    NOTICE = "notice", _("公示中")
    APPROVED = "approved", _("已批准")
    CLOSED = "closed", _("已结束")


class AwardCall(models.Model):
    kind = models.CharField(_("奖项"), max_length=20, choices=AwardKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=200)
    department = models.ForeignKey(
        "registry.Organisation", verbose_name=_("主管部门"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=CallStatus.choices, default=CallStatus.NOMINATING
    )
    nomination_deadline = models.DateField(_("提名截止日期"))
    review_process = models.OneToOneField(
        "review.ReviewProcess", null=True, blank=True, on_delete=models.PROTECT, related_name="award_call"
    )
    notice_start = models.DateField(_("公示开始"), null=True, blank=True)
    notice_end = models.DateField(_("公示截止"), null=True, blank=True)
    decision_document = models.CharField(_("批准文件"), max_length=200, blank=True)
    payout_round = models.OneToOneField(
        "policy.Round",
        verbose_name=_("奖金拨付批次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_call",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("评奖")
        verbose_name_plural = _("评奖")
        ordering = ["-year", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="awards_call_unique")]

    def __str__(self):
        return self.name


class NominatorQuota(models.Model):
    call = models.ForeignKey(AwardCall, on_delete=models.CASCADE, related_name="quotas")
    nominator = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    quota = models.PositiveSmallIntegerField(_("提名名额"))

    class Meta:
        verbose_name = _("提名名额")
        verbose_name_plural = _("提名名额")
        constraints = [models.UniqueConstraint(fields=["call", "nominator"], name="awards_quota_unique")]

    def __str__(self):
        return f"{self.call} · {self.nominator} · {self.quota}"


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已提名")
    FORMAL_FAILED = "formal_failed", _("形式审查未通过")
    IN_REVIEW = "in_review", _("评审中")
    NOT_AWARDED = "not_awarded", _("未获奖")
    PROPOSED = "proposed", _("拟奖（公示中）")
    AWARDED = "awarded", _("获奖")
    WITHDRAWN = "withdrawn", _("已撤回")


class Nomination(models.Model):
    call = models.ForeignKey(AwardCall, on_delete=models.PROTECT, related_name="nominations")
    category = models.CharField(_("类别"), max_length=30)
    title = models.CharField(_("项目名称"), max_length=300)
    title_key = models.CharField(max_length=300, editable=False, db_index=True)
    summary = models.TextField(_("项目简介"))
    nominator = models.ForeignKey(
        "registry.Organisation", verbose_name=_("提名单位"), on_delete=models.PROTECT, related_name="+"
    )
    lead_unit = models.ForeignKey(
        "registry.Organisation", verbose_name=_("第一完成单位"), on_delete=models.PROTECT, related_name="+"
    )
    patent = models.ForeignKey(
        "pledge.Patent",
        verbose_name=_("专利"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        max_length=15, choices=NominationStatus.choices, default=NominationStatus.SUBMITTED
    )
    proposed_grade = models.CharField(_("拟授等级"), max_length=30, blank=True)
    prize_fen = models.BigIntegerField(_("奖金（分）"), default=0)
    review_submission = models.OneToOneField(
        "review.Submission", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    formal_note = models.CharField(_("形式审查意见"), max_length=300, blank=True)
    certificate_no = models.CharField(_("证书编号"), max_length=40, blank=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("提名项目")
        verbose_name_plural = _("提名项目")
        ordering = ["id"]

    def __str__(self):
        return self.title


class Contributor(models.Model):
    """A person named on a nomination, in order; `person_key` (normalised name + ID digits) spots one person
    named on two nominations in a year."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="contributors")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("姓名"), max_length=50)
    person_key = models.CharField(max_length=80, db_index=True)
    year = models.PositiveSmallIntegerField(db_index=True)
    unit = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")
    share_fen = models.BigIntegerField(_("奖金份额（分）"), default=0)

    class Meta:
        verbose_name = _("完成人")
        verbose_name_plural = _("完成人")
        ordering = ["nomination", "order"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "order"], name="awards_contributor_order")
        ]

    def __str__(self):
        return self.name


class NominationUnit(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="units")
    order = models.PositiveSmallIntegerField()
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["nomination", "order"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "organisation"], name="awards_unit_unique")
        ]

    def __str__(self):
        return f"{self.order}. {self.organisation}"


class AwardedWork(models.Model):
    """Work that already won an award (here or elsewhere), so it cannot win again."""

    title_key = models.CharField(max_length=300, db_index=True)
    patent_number = models.CharField(max_length=20, blank=True, db_index=True)
    award = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("已获奖成果")
        verbose_name_plural = _("已获奖成果")

    def __str__(self):
        return f"{self.award} {self.year}"


class AwardObjection(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(_("异议人姓名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    text = models.TextField(_("异议内容"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(_("被异议方的说明（答辩）"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")

    def __str__(self):
        return f"{self.nomination} · {self.name}"


class NationalAwardKind(models.TextChoices):
    NATIONAL_ST = "national_st", _("国家科学技术奖")
    CHINA_PATENT = "china_patent", _("中国专利奖")


class NationalStage(models.TextChoices):
    RECOMMENDED = "recommended", _("已推荐")
    DEFENCE = "defence", _("进入答辩")
    AWARDED = "awarded", _("获奖")
    NOT_AWARDED = "not_awarded", _("未获奖")


class NationalAward(models.Model):
    """A project put forward to a national award (国家科学技术奖, 中国专利奖) and the result the department records from
    the national announcement. The 1:1 matching and the defence-stage reward are paid from these records through
    the policy payout workflow (`national_award_matching`, `national_award_defence`)."""

    kind = models.CharField(_("国家奖项"), max_length=20, choices=NationalAwardKind.choices)
    # The national category (rules/national_quotas.yaml); the region's recommendations count against its quota.
    category = models.CharField(_("国家奖类别"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("国家奖年度"))
    nomination = models.ForeignKey(
        Nomination,
        verbose_name=_("广西获奖项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="national_entries",
    )
    title = models.CharField(_("项目名称"), max_length=300)
    lead_unit = models.ForeignKey(
        "registry.Organisation", verbose_name=_("第一完成单位"), on_delete=models.PROTECT, related_name="+"
    )
    led_by_guangxi = models.BooleanField(_("我区单位牵头（第一完成单位）"), default=True)
    channel = models.CharField(_("推荐渠道"), max_length=100, blank=True)
    stage = models.CharField(
        _("进展"), max_length=12, choices=NationalStage.choices, default=NationalStage.RECOMMENDED
    )
    reached_defence = models.BooleanField(_("进入过答辩阶段"), default=False)
    grade = models.CharField(_("获奖等级"), max_length=50, blank=True)
    prize_fen = models.BigIntegerField(_("国家奖金（分）"), default=0)
    result_document = models.CharField(_("国家公告或决定"), max_length=200, blank=True)
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("国家奖推荐")
        verbose_name_plural = _("国家奖推荐")
        ordering = ["-year", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "nomination"],
                condition=models.Q(nomination__isnull=False),
                name="awards_national_once_per_year",
            ),
            models.CheckConstraint(
                condition=models.Q(prize_fen__gte=0), name="awards_national_prize_positive"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} · {self.title}"

    @property
    def category_name(self) -> str:
        from kechuang.awards.schemes import national_categories

        return national_categories(self.kind).get(self.category, "")
