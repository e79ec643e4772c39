from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "kechuang.jobs"
    verbose_name = _("后台任务")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
