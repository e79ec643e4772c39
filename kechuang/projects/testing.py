"""Builders for tests and benches: through the real services."""

import datetime as dt

from django.utils import timezone

from kechuang.projects.models import LineKind
from kechuang.projects.services import do_create_line, do_open_call

WAN = 1_000_000  # 1 万元 in fen


def open_call(admin_user, department, *, kind=LineKind.KEY_RD, days=30, **options):
    line = do_create_line(acting_user=admin_user, kind=kind, name="广西重点研发计划", department=department)
    today = timezone.localdate()
    return do_open_call(
        acting_user=admin_user,
        line=line,
        year=today.year,
        name=f"{today.year} 年度广西重点研发计划",
        deadline=today + dt.timedelta(days=days),
        topics=[{"code": "T01", "title": "甘蔗全程机械化关键技术", "budget_fen": 300 * WAN}],
        **options,
    )


def budget(total_fen=100 * WAN):
    equipment = total_fen * 30 // 100
    indirect = total_fen * 10 // 100
    return {"equipment": equipment, "indirect": indirect, "materials": total_fen - equipment - indirect}
