"""Platforms' to-dos for the workbench: recommendations in the city's area, checks and decisions for the department,
recognitions after the notice, and the institutions' own yearly reports."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.permissions.core import area_q, has_cap
from kechuang.permissions.platforms import PlatformCap, can_apply, can_manage


def platform_todos(user, todo, limit: int = 8) -> list:
    from kechuang.platforms.models import (
        ApplicationStatus,
        IndicatorReport,
        Institution,
        InstitutionApplication,
    )

    todos = []
    if has_cap(user, PlatformCap.RECOMMEND) and user.city_id:
        for app in InstitutionApplication.objects.filter(
            area_q(user, "organisation__"), status=ApplicationStatus.SUBMITTED
        ).select_related("organisation")[:limit]:
            todos.append(
                todo(
                    "platforms",
                    _("推荐“%(org)s”的机构认定申请") % {"org": app.organisation.name},
                    reverse("platforms:application", args=[app.pk]),
                )
            )
    if can_manage(user):
        today = timezone.localdate()
        waiting = InstitutionApplication.objects.filter(
            status__in=(ApplicationStatus.RECOMMENDED, ApplicationStatus.IN_REVIEW)
        )
        for app in waiting.select_related("organisation")[:limit]:
            todos.append(
                todo(
                    "platforms",
                    _("“%(org)s”的认定申请：%(state)s")
                    % {"org": app.organisation.name, "state": app.get_status_display()},
                    reverse("platforms:application", args=[app.pk]),
                )
            )
        for app in InstitutionApplication.objects.filter(
            status=ApplicationStatus.NOTICE, notice_end__lt=today
        ).select_related("organisation")[:limit]:
            todos.append(
                todo(
                    "platforms",
                    _("“%(org)s”公示期满，待认定") % {"org": app.organisation.name},
                    reverse("platforms:application", args=[app.pk]),
                )
            )
    if can_apply(user):
        last_year = timezone.localdate().year - 1
        for inst in (
            Institution.objects.filter(organisation_id=user.organisation_id, is_active=True)
            .exclude(pk__in=IndicatorReport.objects.filter(year=last_year).values("institution_id"))
            .filter(recognised_on__year__lte=last_year)[:limit]
        ):
            todos.append(
                todo(
                    "platforms",
                    _("报送 %(year)s 年度指标（%(n)s）") % {"year": last_year, "n": inst.number},
                    reverse("platforms:institution", args=[inst.pk]),
                )
            )
    return todos
