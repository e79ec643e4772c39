from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "kechuang.fieldwork"
    verbose_name = _("农业专家服务团与科技特派员")

    def ready(self):
        from kechuang.permissions import fieldwork  # noqa: F401  (grants the capabilities)
