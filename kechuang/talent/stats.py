"""Statistics and exports of the talent programmes, for the pages and for the KPIs (三百二千: "100 high-level
talents/teams"): recognitions by level, year and city; benefits scheduled, paid, stopped and to recover."""

from collections import Counter

from django.db.models import Count, Q, Sum

from kechuang.money import yuan
from kechuang.spreadsheets import write_workbook
from kechuang.talent.models import (
    BaguiAppointment,
    BenefitSchedule,
    ComplianceReport,
    Instalment,
    RecoveryOrder,
    Status,
    TalentApplication,
)


def summary(applications) -> dict:
    """Counts by status and level, and the money of the recognised people's schedules."""
    by_status = dict(Counter(applications.values_list("status", flat=True)))
    recognised = applications.filter(status__in=(Status.RECOGNISED, Status.LEFT))
    by_level = dict(recognised.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    money = Instalment.objects.filter(schedule__application__in=recognised).aggregate(
        scheduled=Sum("amount_fen", filter=~Q(state=Instalment.State.CANCELLED)),
        paid=Sum("amount_fen", filter=Q(state=Instalment.State.PAID)),
    )
    return {
        "by_status": by_status,
        "by_level": by_level,
        "recognised": sum(by_level.values()),
        "scheduled_fen": money["scheduled"] or 0,
        "paid_fen": money["paid"] or 0,
    }


def kpi_counts(year: int | None = None) -> dict:
    """For the KPI monitor: talents recognised (optionally in a year) and 八桂学者 under contract."""
    talents = TalentApplication.objects.filter(status__in=(Status.RECOGNISED, Status.LEFT))
    scholars = BaguiAppointment.objects.filter(
        state__in=(BaguiAppointment.State.CONTRACTED, BaguiAppointment.State.COMPLETED)
    )
    if year:
        talents = talents.filter(recognised_on__year=year)
        scholars = scholars.filter(contract_start__year=year)
    return {"talents_recognised": talents.count(), "bagui_scholars": scholars.count()}


def benefits_desk(year: int) -> dict:
    """The benefits of a year: instalments by state, per employer; the yearly check's outcomes; recoveries open."""
    from kechuang.talent.services.benefits import due_instalments

    due = due_instalments(year)
    rows = (
        Instalment.objects.filter(Q(published_year=year) | Q(pk__in=due.values("pk")))
        .values("schedule__employer_id", "schedule__employer__name", "state")
        .annotate(total=Sum("amount_fen"), n=Count("id"))
        .order_by("schedule__employer__name")
    )
    employers: dict[int, dict] = {}
    for r in rows:
        e = employers.setdefault(
            r["schedule__employer_id"],
            {"name": r["schedule__employer__name"], "due_fen": 0, "published_fen": 0, "paid_fen": 0, "n": 0},
        )
        key = {"scheduled": "due_fen", "published": "published_fen", "paid": "paid_fen"}.get(r["state"])
        if key:
            e[key] += r["total"]
            e["n"] += r["n"]
    checks = dict(
        ComplianceReport.objects.filter(year=year - 1)
        .values_list("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    checks_this = dict(
        ComplianceReport.objects.filter(year=year)
        .values_list("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    return {
        "employers": list(employers.values()),
        "checks_last_year": checks,
        "checks_this_year": checks_this,
        "recoveries": RecoveryOrder.objects.filter(state=RecoveryOrder.State.OPEN).select_related("employer"),
        "totals": {
            k: sum(e[k] for e in employers.values()) for k in ("due_fen", "published_fen", "paid_fen")
        },
    }


def export_workbook(applications) -> bytes:
    apps = applications.select_related("person", "employer", "employer__city").order_by("id")
    schedules = BenefitSchedule.objects.filter(application__in=apps).select_related("person", "employer")
    paid = dict(
        Instalment.objects.filter(schedule__in=schedules, state=Instalment.State.PAID)
        .values_list("schedule_id")
        .annotate(s=Sum("amount_fen"))
        .values_list("schedule_id", "s")
    )
    return write_workbook(
        [
            (
                "认定名单",
                [
                    "编号",
                    "姓名",
                    "用人单位",
                    "统一社会信用代码",
                    "所在市",
                    "层次",
                    "认定方式",
                    "状态",
                    "证书编号",
                    "认定日期",
                ],
                (
                    [
                        a.pk,
                        a.person.name,
                        a.employer.name,
                        a.employer.credit_code,
                        a.employer.city.name if a.employer.city_id else "",
                        a.get_level_display(),
                        a.get_basis_display(),
                        a.get_status_display(),
                        a.certificate_no,
                        a.recognised_on,
                    ]
                    for a in apps
                ),
            ),
            (
                "待遇计划",
                [
                    "认定编号",
                    "姓名",
                    "用人单位",
                    "待遇",
                    "总额（元）",
                    "已拨付（元）",
                    "状态",
                    "说明",
                    "计算依据",
                ],
                (
                    [
                        s.application_id,
                        s.person.name,
                        s.employer.name,
                        s.get_kind_display(),
                        yuan(s.total_fen),
                        yuan(paid.get(s.pk, 0)),
                        s.get_state_display(),
                        s.reason,
                        s.explanation,
                    ]
                    for s in schedules
                ),
            ),
        ]
    )
