"""The technology market: listings (achievements and demands) with one text row per language, patents,
matches, expressions of interest with messages, follow-up calls, and registered technology contracts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kechuang.registry.models import COUNTRY_CHOICES as REGISTRY_COUNTRIES
from kechuang.translations import TranslationRow, pick_translation

LANGUAGE_CHOICES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
    ("vi", "Tiếng Việt"),
    ("th", "ภาษาไทย"),
    ("id", "Bahasa Indonesia"),
    ("ms", "Bahasa Melayu"),
    ("fil", "Filipino"),
    ("km", "ភាសាខ្មែរ"),
    ("lo", "ພາສາລາວ"),
    ("my", "မြန်မာဘာသာ"),
]
# The registry's countries (China and the ASEAN members), and 其他 for a buyer or listing elsewhere.
COUNTRY_CHOICES = [*REGISTRY_COUNTRIES, ("OT", _("其他"))]


class ListingKind(models.TextChoices):
    ACHIEVEMENT = "achievement", _("科技成果")
    DEMAND = "demand", _("技术需求")


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已发布")
    REJECTED = "rejected", _("已退回")
    EXPIRED = "expired", _("已过期")
    WITHDRAWN = "withdrawn", _("已撤回")


class TransferMode(models.TextChoices):
    TRANSFER = "transfer", _("转让")
    LICENCE = "licence", _("许可")
    JOINT = "joint", _("合作开发")
    EQUITY = "equity", _("作价入股")


class PriceMode(models.TextChoices):
    LISTED = "listed", _("挂牌价")
    NEGOTIABLE = "negotiable", _("面议")
    AUCTION = "auction", _("拍卖")


class TextOrigin(models.TextChoices):
    ORIGINAL = "original", _("原文")
    MACHINE = "machine", _("机器翻译")
    VERIFIED = "verified", _("人工校核译文")


TRL_CHOICES = [
    (1, _("1 发现基本原理")),
    (2, _("2 形成技术概念")),
    (3, _("3 关键功能验证")),
    (4, _("4 实验室环境验证")),
    (5, _("5 相关环境验证")),
    (6, _("6 原型样机演示")),
    (7, _("7 实际环境演示")),
    (8, _("8 完成定型")),
    (9, _("9 成功应用")),
]


class Listing(models.Model):
    kind = models.CharField(_("类型"), max_length=12, choices=ListingKind.choices)
    owner = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("发布机构"),
        on_delete=models.PROTECT,
        related_name="market_listings",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=10, choices=ListingStatus.choices, default=ListingStatus.PENDING, db_index=True
    )
    original_language = models.CharField(_("原文语言"), max_length=8, choices=LANGUAGE_CHOICES)
    trl = models.PositiveSmallIntegerField(_("技术就绪度（GB/T 22900）"), choices=TRL_CHOICES)
    ipc_codes = models.CharField(_("IPC分类号"), max_length=200, blank=True)
    industry = models.ForeignKey(
        "registry.Industry",
        verbose_name=_("所属行业（GB/T 4754）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry_section = models.CharField(max_length=1, blank=True, editable=False)
    transfer_mode = models.CharField(_("合作方式"), max_length=10, choices=TransferMode.choices)
    price_mode = models.CharField(
        _("价格方式"), max_length=12, choices=PriceMode.choices, default=PriceMode.NEGOTIABLE
    )
    price_fen = models.BigIntegerField(_("价格（分）"), null=True, blank=True)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("所在地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    city = models.ForeignKey(
        "registry.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    country = models.CharField(_("国家"), max_length=2, choices=COUNTRY_CHOICES, default="CN")
    fingerprint = models.CharField(max_length=64, editable=False, db_index=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True, db_index=True)
    renewal_reminded_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    view_count = models.PositiveIntegerField(_("浏览量"), default=0)
    interest_count = models.PositiveIntegerField(_("意向数"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("技术交易信息")
        verbose_name_plural = _("技术交易信息")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "status", "industry_section"]),
            models.Index(fields=["owner", "kind", "fingerprint"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(trl__gte=1, trl__lte=9), name="listing_trl_range"),
            models.CheckConstraint(
                condition=Q(price_fen__isnull=True) | Q(price_fen__gte=0), name="listing_price_nonnegative"
            ),
        ]

    def __str__(self):
        text = self.original_text
        return text.title if text else f"{self.get_kind_display()} #{self.pk}"

    @property
    def original_text(self):
        for row in self.texts.all():
            if row.origin == TextOrigin.ORIGINAL:
                return row
        return None

    def text_for(self, language: str):
        """The row a reader of `language` sees: their language when the owner wrote it or a person verified
        it, else English when that exists (owner's or verified), else a machine translation into their language,
        else the original. The row's `origin` is always shown with it (original / machine / verified)."""
        rows = list(self.texts.all())
        original = next((r for r in rows if r.origin == TextOrigin.ORIGINAL), None)
        return pick_translation(rows, language, fallbacks=("en",), original=original)

    @property
    def ipc_list(self) -> list[str]:
        return [c for c in self.ipc_codes.split(",") if c]


class ListingText(TranslationRow):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("语言"), max_length=8, choices=LANGUAGE_CHOICES)
    # no flag: the origin says it (original / machine / verified), with who added it
    machine_translated = None  # type: ignore[assignment]
    origin = models.CharField(_("来源"), max_length=10, choices=TextOrigin.choices)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.TextField(_("简介"))
    problem = models.TextField(_("解决的问题"), blank=True)
    advantage = models.TextField(_("相对现有方案的优势"), blank=True)
    embedding = models.BinaryField(null=True, editable=False)
    title_embedding = models.BinaryField(null=True, editable=False)
    sparse_embedding = models.BinaryField(null=True, editable=False)
    embedded_hash = models.CharField(max_length=40, blank=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("添加人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("空：由机器翻译服务生成"),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("校核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("多语种文本")
        verbose_name_plural = _("多语种文本")
        constraints = [
            models.UniqueConstraint(fields=["listing", "language"], name="listing_text_one_per_language"),
            models.UniqueConstraint(
                fields=["listing"], condition=Q(origin="original"), name="listing_text_one_original"
            ),
        ]

    def __str__(self):
        return f"{self.language}: {self.title}"

    @property
    def trusted(self) -> bool:
        """The owner's own text (original, or a translation they added) or one a person verified."""
        return self.origin != TextOrigin.MACHINE or self.added_by_id is not None

    @property
    def search_text(self) -> str:
        sep = "。" if self.language == "zh-hans" else ". "
        return sep.join(p for p in (self.title, self.summary, self.problem, self.advantage) if p)


class Patent(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="patents")
    number = models.CharField(_("专利申请号"), max_length=20)

    class Meta:
        verbose_name = _("专利")
        verbose_name_plural = _("专利")
        constraints = [models.UniqueConstraint(fields=["listing", "number"], name="patent_once_per_listing")]

    def __str__(self):
        return self.number


class Match(models.Model):
    demand = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="achievement_matches")
    achievement = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="demand_matches")
    score = models.FloatField(_("匹配度"))
    rank = models.PositiveSmallIntegerField(default=0)  # the better of the two ranks below
    demand_rank = models.PositiveSmallIntegerField(
        null=True, blank=True
    )  # the achievement's place for the demand
    achievement_rank = models.PositiveSmallIntegerField(null=True, blank=True)  # the demand's place for it
    reasons = models.JSONField(default=dict)
    strong = models.BooleanField(default=False)
    notified_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("供需匹配")
        verbose_name_plural = _("供需匹配")
        ordering = ["-score"]
        constraints = [models.UniqueConstraint(fields=["demand", "achievement"], name="match_once")]

    def __str__(self):
        return f"{self.demand_id}↔{self.achievement_id} {self.score:.3f}"


class InterestStage(models.TextChoices):
    INTEREST = "interest", _("意向")
    MEETING = "meeting", _("洽谈")
    SIGNING = "signing", _("签约")
    CONTRACTED = "contracted", _("合同登记")
    CLOSED = "closed", _("已终止")


class Interest(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="market_interests",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    anonymous = models.BooleanField(_("通过技术经纪人或技术转移机构匿名联系"), default=False)
    note = models.TextField(_("意向说明"), max_length=4000)
    stage = models.CharField(
        _("进展阶段"), max_length=12, choices=InterestStage.choices, default=InterestStage.INTEREST
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("合作意向")
        verbose_name_plural = _("合作意向")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "created_by"], name="interest_once_per_user")
        ]

    def __str__(self):
        return f"{self.listing_id} ← {self.created_by_id}"


class Message(models.Model):
    interest = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_owner = models.BooleanField(default=False)
    body = models.TextField(_("内容"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:40]


class FollowUpOutcome(models.TextChoices):
    REACHED = "reached", _("已联系，需求仍有效")
    NO_ANSWER = "no_answer", _("未接通")
    PROGRESSING = "progressing", _("对接中")
    SOLVED = "solved", _("需求已解决")
    WITHDRAWN = "withdrawn", _("需求已取消")


class FollowUp(models.Model):
    """电话回访: who called the demand's owner, when, and what came of it."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="follow_ups")
    caller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    called_at = models.DateTimeField(_("回访时间"))
    outcome = models.CharField(_("结果"), max_length=12, choices=FollowUpOutcome.choices)
    note = models.TextField(_("记录"), blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("电话回访")
        verbose_name_plural = _("电话回访")
        ordering = ["-called_at"]

    def __str__(self):
        return f"{self.listing_id} {self.called_at:%Y-%m-%d} {self.outcome}"


class ContractKind(models.TextChoices):
    TRANSFER = "transfer", _("技术转让")
    LICENSING = "licensing", _("技术许可")
    DEVELOPMENT = "development", _("技术开发")
    CONSULTING = "consulting", _("技术咨询")
    SERVICE = "service", _("技术服务")


class TechContract(models.Model):
    """A registered technology contract (技术合同认定登记)."""

    registration_number = models.CharField(_("登记编号"), max_length=40, unique=True)
    kind = models.CharField(_("合同类型"), max_length=12, choices=ContractKind.choices)
    title = models.CharField(_("合同名称"), max_length=200)
    listing = models.ForeignKey(
        Listing, null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    interest = models.ForeignKey(
        Interest, null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    seller = models.ForeignKey(
        "registry.Organisation", verbose_name=_("卖方"), on_delete=models.PROTECT, related_name="+"
    )
    buyer = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("买方"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    buyer_name = models.CharField(_("买方名称"), max_length=200)
    buyer_country = models.CharField(_("买方国家"), max_length=2, choices=COUNTRY_CHOICES, default="CN")
    amount_fen = models.BigIntegerField(_("合同金额（分）"))
    tech_income_fen = models.BigIntegerField(_("技术交易额（分）"))
    signed_on = models.DateField(_("签订日期"))
    city = models.ForeignKey(
        "registry.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("技术合同")
        verbose_name_plural = _("技术合同")
        ordering = ["-signed_on", "-id"]
        # contracts by signing date, in either direction: the KPI drill-down pages through them by (date, id) and
        # counts them by kind from the index alone
        indexes = [models.Index(fields=["signed_on", "kind", "id"], name="techmarket_contract_signed")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(
                condition=Q(tech_income_fen__gte=0, tech_income_fen__lte=models.F("amount_fen")),
                name="contract_income_within_amount",
            ),
        ]

    def __str__(self):
        return f"{self.registration_number} {self.title}"


class Notification(models.Model):
    organisation = models.ForeignKey("registry.Organisation", on_delete=models.CASCADE, related_name="+")
    listing = models.ForeignKey(Listing, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    # What the text says, so that each reader sees it in their own language (techmarket.notify.notice_text);
    # `text` keeps it as first written, in the organisation's language, for the API and for older rows.
    params = models.JSONField(default=dict, blank=True)
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.text

    @property
    def message(self) -> str:
        """The notice in the reader's (the active) language."""
        from kechuang.techmarket.notify import notice_text

        return notice_text(self)
