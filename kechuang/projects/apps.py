from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "kechuang.projects"
    verbose_name = _("科技计划项目")

    def ready(self):
        from kechuang.permissions import projects  # noqa: F401  (grants the capabilities)
