from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "kechuang.review"
    verbose_name = _("专家评审")

    def ready(self):
        from kechuang.permissions import review  # noqa: F401  (grants the capabilities)
