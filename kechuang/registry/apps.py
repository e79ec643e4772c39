from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "kechuang.registry"
    verbose_name = _("机构登记（一企一档）")
