"""Pages of the patent-pledge platform. Each view parses, authorises through kechuang.permissions.pledge, calls a
service, renders. Every party sees its own part: the home page and the loan page show only what the user may do.

One module per topic; urls.py names them through this package."""

from kechuang.pledge.views.department import config, stats_export, stats_view, subsidy_publish, subsidy_view
from kechuang.pledge.views.home import home
from kechuang.pledge.views.loans import loan_action, loan_detail, loan_link_event, loan_list, share_pay
from kechuang.pledge.views.needs import bank_needs, need_apply, need_close, need_detail, need_new
from kechuang.pledge.views.patents import patent_detail, patent_list
from kechuang.pledge.views.products import (
    product_detail,
    product_edit,
    product_list,
    product_new,
    product_toggle,
)

__all__ = [
    "bank_needs",
    "config",
    "home",
    "loan_action",
    "loan_detail",
    "loan_link_event",
    "loan_list",
    "need_apply",
    "need_close",
    "need_detail",
    "need_new",
    "patent_detail",
    "patent_list",
    "product_detail",
    "product_edit",
    "product_list",
    "product_new",
    "product_toggle",
    "share_pay",
    "stats_export",
    "stats_view",
    "subsidy_publish",
    "subsidy_view",
]
