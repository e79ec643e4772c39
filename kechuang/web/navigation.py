"""The main navigation: only the pages a user may open, each with the number of things waiting there.

Every entry names a predicate from `kechuang.permissions`; an entry whose page would answer 403 or 404 for the
user is not shown. The to-do counts come from `kechuang.web.workbench`, grouped by area.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kechuang.permissions import Cap, has_cap


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _registry(user) -> bool:
    return has_cap(user, Cap.ORG_VIEW_ALL) or (_signed_in(user) and user.organisation_id is not None)


def _policy(user) -> bool:
    from kechuang.permissions.policy import PolicyCap

    return has_cap(user, PolicyCap.VIEW) or (
        has_cap(user, PolicyCap.CALCULATE_OWN) and user.organisation_id is not None
    )


def _pledge(user) -> bool:
    from kechuang.permissions.pledge import party_of

    return party_of(user) is not None


def _review(user) -> bool:
    from kechuang.permissions.review import can_open_review

    return can_open_review(user)


def _awards(user) -> bool:
    from kechuang.permissions.awards import can_open_awards

    return can_open_awards(user)


def _kpi(user) -> bool:
    from kechuang.permissions.kpi import can_view

    return can_view(user)


def _talent(user) -> bool:
    from kechuang.permissions.talent import can_open_talent

    return can_open_talent(user)


def _projects(user) -> bool:
    from kechuang.permissions.projects import can_open_projects

    return can_open_projects(user)


def _platforms(user) -> bool:
    from kechuang.permissions.platforms import can_open_platforms

    return can_open_platforms(user)


def _fieldwork(user) -> bool:
    from kechuang.permissions.fieldwork import can_open_fieldwork

    return can_open_fieldwork(user)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable
    area: str = ""  # the to-do area whose count is shown next to the label


NAV_ITEMS = [
    NavItem(_("工作台"), "web:home", _signed_in),
    NavItem(_("机构登记"), "registry:organisation_list", _registry, "registry"),
    NavItem(_("政策计算与奖补"), "policy:home", _policy, "policy"),
    NavItem(_("技术交易市场"), "techmarket:home", _signed_in, "techmarket"),
    NavItem(_("对接活动"), "events:home", _signed_in, "events"),
    NavItem(_("质押融资"), "pledge:home", _pledge, "pledge"),
    NavItem(_("专家评审"), "review:home", _review, "review"),
    NavItem(_("科技奖励"), "awards:home", _awards),
    NavItem(_("科创指标"), "kpi:dashboard", _kpi, "kpi"),
    NavItem(_("科技计划项目"), "projects:home", _projects, "projects"),
    NavItem(_("人才认定"), "talent:home", _talent, "talent"),
    NavItem(_("平台与机构"), "platforms:home", _platforms, "platforms"),
    NavItem(_("专家服务团"), "fieldwork:home", _fieldwork, "fieldwork"),
    NavItem(_("数据导入"), "registry:import", lambda u: has_cap(u, Cap.REGISTRY_IMPORT)),
    NavItem(_("后台任务"), "jobs:list", lambda u: has_cap(u, Cap.JOBS_VIEW_ALL)),
    NavItem(_("审计日志"), "audit:list", lambda u: has_cap(u, Cap.AUDIT_VIEW)),
    NavItem(_("接口令牌"), "accounts:tokens", lambda u: has_cap(u, Cap.API_TOKENS)),
]


def nav_items(user, path: str, counts: dict[str, int] | None = None) -> list[dict]:
    counts = counts or {}
    items = []
    for item in NAV_ITEMS:
        if not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active, "count": counts.get(item.area, 0)})
    return items
