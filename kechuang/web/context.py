from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kechuang.permissions import Cap, has_cap

# (label, url name, capability or None for every signed-in user). Domain pages decide their own contents.
NAV_ITEMS = [
    (_("首页"), "web:home", None),
    (_("机构登记"), "registry:organisation_list", None),
    (_("政策计算与奖补"), "policy:home", None),
    (_("技术交易市场"), "techmarket:home", None),
    (_("对接活动"), "events:home", None),
    (_("质押融资"), "pledge:home", None),
    (_("数据导入"), "registry:import", Cap.REGISTRY_IMPORT),
    (_("后台任务"), "jobs:list", None),
    (_("审计日志"), "audit:list", Cap.AUDIT_VIEW),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, cap in NAV_ITEMS:
        if cap and not has_cap(user, cap):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "label": label,
                "url": url,
                "active": request.path.startswith(url) and url != "/" or request.path == url,
            }
        )
    return {"nav_items": items, "can_admin_site": has_cap(user, Cap.ADMIN_SITE)}
