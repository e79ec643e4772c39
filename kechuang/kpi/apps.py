from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    name = "kechuang.kpi"
    verbose_name = _("科创指标与报告")

    def ready(self):
        from kechuang.kpi import tasks  # noqa: F401  (registers the refresh job)
        from kechuang.permissions import kpi  # noqa: F401  (grants the capabilities)
