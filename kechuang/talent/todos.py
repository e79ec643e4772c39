"""The talent programmes' to-dos for the workbench (`kechuang.web.workbench`), scoped with the same permission
helpers as the pages: pre-checks in the official's area, recognitions, certificates after the notice, objections,
and for employers the yearly report of each recognised person."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.permissions.core import area_q, has_cap
from kechuang.permissions.talent import TalentCap, can_apply, can_manage


def talent_todos(user, todo, limit: int = 8) -> list:
    from kechuang.talent.models import ComplianceReport, Status, TalentApplication, TalentObjection

    todos = []
    home = reverse("talent:home")
    if has_cap(user, TalentCap.PRECHECK):
        n = TalentApplication.objects.filter(area_q(user, "employer__"), status=Status.SUBMITTED).count()
        if n:
            todos.append(
                todo(
                    "talent", _("%(n)s 份高层次人才认定申请待初审") % {"n": n}, f"{home}?status=submitted", n
                )
            )
    if can_manage(user):
        n = TalentApplication.objects.filter(status__in=(Status.PRECHECKED, Status.IN_PANEL)).count()
        if n:
            todos.append(todo("talent", _("%(n)s 名人才待认定") % {"n": n}, f"{home}?status=prechecked", n))
        today = timezone.localdate()
        for app in TalentApplication.objects.filter(
            status=Status.NOTICE, notice_end__lt=today
        ).select_related("person")[:limit]:
            todos.append(
                todo(
                    "talent",
                    _("%(name)s 公示期满，待发证") % {"name": app.person.name},
                    reverse("talent:application", args=[app.pk]),
                )
            )
        n = TalentObjection.objects.filter(state=TalentObjection.State.OPEN).count()
        if n:
            todos.append(
                todo("talent", _("%(n)s 条人才认定异议待答复") % {"n": n}, f"{home}?status=notice", n)
            )
    if can_apply(user):
        last_year = timezone.localdate().year - 1
        reported = ComplianceReport.objects.filter(year=last_year).values("application_id")
        missing = TalentApplication.objects.filter(
            Q(employer_id=user.organisation_id),
            status=Status.RECOGNISED,
            recognised_on__year__lte=last_year,
        ).exclude(pk__in=reported)
        for app in missing.select_related("person")[:limit]:
            todos.append(
                todo(
                    "talent",
                    _("报送 %(name)s 的 %(year)s 年度履职情况")
                    % {"name": app.person.name, "year": last_year},
                    reverse("talent:application", args=[app.pk]),
                )
            )
    return todos
