from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "kechuang.events"
    verbose_name = _("对接活动")

    def ready(self):
        from kechuang.permissions import events  # noqa: F401  (grants the events capabilities)
