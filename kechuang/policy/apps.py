from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "kechuang.policy"
    verbose_name = _("政策计算与奖补兑现")

    def ready(self):
        from kechuang.permissions import policy  # noqa: F401  (grants the policy capabilities)
