from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kechuang.accounts"
    verbose_name = _("账户与角色")

    def ready(self):
        from kechuang.accounts import signals  # noqa: F401
