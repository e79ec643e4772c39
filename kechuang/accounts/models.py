import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A short, named set of roles; what each may do is decided in kechuang.permissions."""

    MEMBER = "member", _("机构用户")
    ORG_ADMIN = "org_admin", _("机构管理员")
    EXPERT = "expert", _("评审专家")
    REVIEWER = "reviewer", _("审核员")
    APPROVER = "approver", _("审批员")
    ADMIN = "admin", _("系统管理员")


OFFICIAL_ROLES = frozenset({Role.REVIEWER, Role.APPROVER, Role.ADMIN})


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=100, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    organisation = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    city = models.ForeignKey(
        "registry.Region",
        verbose_name=_("管辖城市"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("审核员、审批员只管辖该市；留空表示全区。"),
    )
    language = models.CharField(_("界面语言"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username

    @property
    def is_official(self) -> bool:
        return self.role in OFFICIAL_ROLES


def default_token_expiry():
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    return timezone.now() + timedelta(days=settings.KECHUANG_API_TOKEN_DAYS)


class ApiToken(models.Model):
    """A bearer token for systems (banks, other departments). Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("到期时间"), default=default_token_expiry)
    issued_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        return self.revoked_at is None and self.expires_at > timezone.now()

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return "kc_" + secrets.token_urlsafe(32)
