from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgeConfig(AppConfig):
    name = "kechuang.pledge"
    verbose_name = _("知识产权质押融资")

    def ready(self):
        from kechuang.permissions import pledge  # noqa: F401  (grants the capabilities)
