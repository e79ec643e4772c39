"""Registration requests from organisations that want an account (Chinese ones by credit code, ASEAN ones by
country and their own registration number). An official reviews each one before anything becomes active."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kechuang.registry.models import COUNTRY_CHOICES, OrganisationKind

SELF_REGISTERING_KINDS = [(k.value, k.label) for k in OrganisationKind if k.value not in ("government",)]


class OrganisationRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    country = models.CharField(_("国家"), max_length=2, choices=COUNTRY_CHOICES, default="CN")
    name = models.CharField(_("机构名称"), max_length=200)
    name_en = models.CharField(_("英文名称"), max_length=200, blank=True)
    kind = models.CharField(_("机构类型"), max_length=20, choices=SELF_REGISTERING_KINDS)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    registration_type = models.CharField(_("本国登记号类型"), max_length=20, blank=True)
    registration_number = models.CharField(_("本国登记号"), max_length=40, blank=True)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("所在地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"))
    username = models.CharField(_("登录名"), max_length=150)
    password_hash = models.CharField(max_length=256, editable=False)
    language = models.CharField(_("界面语言"), max_length=10, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("机构注册申请")
        verbose_name_plural = _("机构注册申请")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return self.name

    @property
    def identifier(self) -> str:
        return (
            self.credit_code
            if self.country == "CN"
            else f"{self.get_country_display()} {self.registration_number}"
        )


class AnonymousPost(models.Model):
    """One form or API call sent without being signed in (a 公示 objection, a registration …), by client address:
    what `kechuang.web.throttle` counts to refuse a client that sends too many. Rows older than the window are
    deleted as new ones come."""

    address = models.CharField(max_length=45)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["address", "at"], name="web_anonpost_address_at")]

    def __str__(self):
        return f"{self.address} {self.at:%Y-%m-%d %H:%M:%S}"
