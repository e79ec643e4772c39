"""Field work's to-dos for the workbench: activities waiting for the county's confirmation."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kechuang.permissions.core import has_cap
from kechuang.permissions.fieldwork import FieldCap


def fieldwork_todos(user, todo, limit: int = 8) -> list:
    from kechuang.fieldwork.models import Activity

    if not has_cap(user, FieldCap.CONFIRM) or not user.city_id:
        return []
    n = Activity.objects.filter(
        Q(county_id=user.city_id) | Q(county__parent_id=user.city_id), state=Activity.State.RECORDED
    ).count()
    if not n:
        return []
    return [todo("fieldwork", _("%(n)s 项专家服务活动待县级确认") % {"n": n}, reverse("fieldwork:home"), n)]
