from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "kechuang.platforms"
    verbose_name = _("创新平台与研发机构")

    def ready(self):
        from kechuang.permissions import platforms  # noqa: F401  (grants the capabilities)
