"""What the platforms services share: the manager check and the figure names an application declares."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from kechuang.permissions.platforms import PlatformCap, can_manage

POST_FUNDING_INDICATOR = "institution_post_funding_due"
FIGURE_FIELDS = {
    "revenue_fen": "fen",
    "rd_spending_fen": "fen",
    "staff": "count",
    "rd_staff": "count",
    "premises_m2": "count",
    "contract_turnover_fen": "fen",
    "brokers": "count",
}
FIGURE_NAMES = {
    "revenue_fen": _("上年度收入"),
    "rd_spending_fen": _("上年度研发经费支出"),
    "staff": _("职工总数"),
    "rd_staff": _("研发人员"),
    "premises_m2": _("研发场所面积"),
    "contract_turnover_fen": _("促成技术合同成交额"),
    "brokers": _("技术经纪人"),
    "established_on": _("成立日期（机构登记）"),
    "legal_entity_in_guangxi": _("在广西注册的法人"),
}


def _require_manager(user) -> None:
    if user is not None and not can_manage(user):
        raise PermissionDenied(PlatformCap.MANAGE)
