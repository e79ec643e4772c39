from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "kechuang.awards"
    verbose_name = _("科学技术奖与专利奖")

    def ready(self):
        from kechuang.permissions import awards  # noqa: F401  (grants the capabilities)
