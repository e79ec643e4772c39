from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TechmarketConfig(AppConfig):
    name = "kechuang.techmarket"
    verbose_name = _("中国—东盟技术交易市场")

    def ready(self):
        from kechuang.permissions import techmarket  # noqa: F401  (grants the market capabilities)
