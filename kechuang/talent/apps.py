from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "kechuang.talent"
    verbose_name = _("高层次人才与八桂学者")

    def ready(self):
        from kechuang.permissions import talent  # noqa: F401  (grants the capabilities)
