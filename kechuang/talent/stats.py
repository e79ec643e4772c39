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


# ---- the KPI monitor's plug-ins (kechuang.kpi.sources / headlines) -------------------------------------------------


def _recognitions(params):
    levels = params.get("levels") or ["A", "B", "C", "D", "E"]
    return TalentApplication.objects.filter(
        status__in=(Status.RECOGNISED, Status.LEFT), level__in=levels, recognised_on__isnull=False
    ).order_by("recognised_on", "id")


def _recognition_explain(row, params) -> str:
    from django.utils.translation import gettext as _

    return _("%(name)s，%(level)s类高层次人才，证书 %(no)s，%(date)s 认定；用人单位 %(employer)s") % {
        "name": row["person__name"],
        "level": row["level"],
        "no": row["certificate_no"] or "—",
        "date": row["recognised_on"],
        "employer": row["employer__name"],
    }


def _bagui_records(params):
    return BaguiAppointment.objects.filter(
        state__in=(
            BaguiAppointment.State.CONTRACTED,
            BaguiAppointment.State.COMPLETED,
            BaguiAppointment.State.STOPPED,
        ),
        contract_start__isnull=False,
    ).order_by("contract_start", "id")


def _bagui_explain(row, params) -> str:
    from django.utils.translation import gettext as _

    return _("%(name)s 受聘八桂学者岗位“%(post)s”，聘期自 %(date)s 起；设岗单位 %(unit)s") % {
        "name": row["person__name"],
        "post": row["post__title"],
        "date": row["contract_start"],
        "unit": row["post__unit__name"],
    }


def _kpi_sources():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from kechuang.kpi.sources import EventSource, Param

    return [
        EventSource(
            name="talent.recognitions",
            label=gettext_lazy("高层次人才认定（A—E 类）"),
            model="talent.TalentApplication",
            queryset=_recognitions,
            date_field="recognised_on",
            city_field="employer__city_id",
            fields=(
                "id",
                "employer_id",
                "employer__name",
                "person__name",
                "level",
                "certificate_no",
                "recognised_on",
            ),
            explain=_recognition_explain,
            link=lambda row: reverse("talent:application", args=[row["id"]]),
            params=(
                Param(
                    "levels", "choices", choices=("A", "B", "C", "D", "E"), default=["A", "B", "C", "D", "E"]
                ),
            ),
        ),
        EventSource(
            name="talent.bagui_scholars",
            label=gettext_lazy("八桂学者（签订聘用合同）"),
            model="talent.BaguiAppointment",
            queryset=_bagui_records,
            date_field="contract_start",
            city_field="post__unit__city_id",
            fields=(
                "id",
                "post_id",
                "post__title",
                "post__unit_id",
                "post__unit__name",
                "person__name",
                "contract_start",
            ),
            explain=_bagui_explain,
            link=lambda row: reverse("talent:bagui_post", args=[row["post_id"]]),
        ),
    ]


def __getattr__(name):
    """`KPI_SOURCES` is built on first use, so this module imports without the KPI app."""
    if name == "KPI_SOURCES":
        return _kpi_sources()
    raise AttributeError(name)


def headline_figures(*, year: int, city: str | None) -> dict:
    from django.utils.translation import gettext as _

    talents = TalentApplication.objects.filter(
        status__in=(Status.RECOGNISED, Status.LEFT), recognised_on__year=year
    )
    scholars = _bagui_records({}).filter(contract_start__year=year)
    paid = Instalment.objects.filter(state=Instalment.State.PAID, payment__paid_at__year=year)
    if city:
        talents = talents.filter(employer__city_id=city)
        scholars = scholars.filter(post__unit__city_id=city)
        paid = paid.filter(schedule__employer__city_id=city)

    def fig(key, label, value, unit="count", definition=""):
        return {"key": key, "label": str(label), "value": value, "unit": unit, "definition": str(definition)}

    return {
        "module": "talent",
        "label": _("人才与创新平台"),
        "url": "talent:home",
        "figures": [
            fig(
                "recognised",
                _("认定高层次人才"),
                talents.count(),
                "count",
                _("该年认定（发证）的 A—E 类高层次人才，每人计 1 个。"),
            ),
            fig("bagui", _("八桂学者"), scholars.count(), "count", _("该年签订聘用合同的八桂学者。")),
            fig(
                "benefits_paid_fen",
                _("拨付人才待遇"),
                paid.aggregate(s=Sum("amount_fen"))["s"] or 0,
                "fen",
                _("经拨付批次到账并核销的人才待遇分期合计。"),
            ),
        ],
    }
