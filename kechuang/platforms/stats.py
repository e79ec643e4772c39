"""Statistics and exports of platforms and institutions (for the pages and the KPIs: "100 national platforms"):
platforms by kind, level and city; institutions by kind; evaluation grades and post-funding by year."""

from collections import Counter

from django.db.models import Count, Sum

from kechuang.money import yuan
from kechuang.platforms.models import (
    Evaluation,
    Institution,
    InstitutionApplication,
    InstitutionKind,
    Platform,
)
from kechuang.spreadsheets import write_workbook


def summary() -> dict:
    platforms = Platform.objects.filter(is_active=True)
    institutions = Counter(Institution.objects.filter(is_active=True).values_list("kind", flat=True))
    return {
        "platforms": platforms.count(),
        "national": platforms.filter(level="national").count(),
        "by_kind": list(platforms.values("kind").annotate(n=Count("id")).order_by("-n")),
        "institutions": dict(institutions),
        "institutions_named": [(InstitutionKind(k).label, n) for k, n in sorted(institutions.items())],
        "grades": list(
            Evaluation.objects.values("year", "grade")
            .annotate(n=Count("id"), funding=Sum("post_funding_fen"))
            .order_by("-year", "grade")
        ),
    }


def kpi_counts(year: int | None = None) -> dict:
    """For the KPI monitor: national platforms (approved by `year`), recognised institutions."""
    national = Platform.objects.filter(is_active=True, level="national")
    institutions = Institution.objects.filter(is_active=True).exclude(kind="institute")
    if year:
        national = national.filter(approved_year__lte=year)
        institutions = institutions.filter(recognised_on__year__lte=year)
    return {"national_platforms": national.count(), "recognised_institutions": institutions.count()}


def export_workbook(year: int | None = None) -> bytes:
    platforms = Platform.objects.select_related("host").order_by("kind", "name")
    institutions = Institution.objects.select_related("organisation").order_by("kind", "number")
    evaluations = Evaluation.objects.select_related("institution__organisation").order_by(
        "-year", "-total_centi"
    )
    if year:
        evaluations = evaluations.filter(year=year)
    applications = InstitutionApplication.objects.select_related("organisation").order_by("-id")
    return write_workbook(
        [
            (
                "创新平台",
                ["名称", "类型", "级别", "依托单位", "批准年份", "批准文件", "来源"],
                (
                    [
                        p.name,
                        p.get_kind_display(),
                        p.get_level_display(),
                        p.host_name,
                        p.approved_year,
                        p.approval_document,
                        p.source,
                    ]
                    for p in platforms
                ),
            ),
            (
                "认定机构",
                ["认定编号", "机构", "统一社会信用代码", "类型", "评估类别", "认定日期"],
                (
                    [
                        i.number,
                        i.organisation.name,
                        i.organisation.credit_code,
                        i.get_kind_display(),
                        i.get_category_display(),
                        i.recognised_on,
                    ]
                    for i in institutions
                ),
            ),
            (
                "认定申请",
                ["机构", "类型", "年度", "状态", "条件核对"],
                (
                    [
                        a.organisation.name,
                        a.get_kind_display(),
                        a.year,
                        a.get_status_display(),
                        "；".join(c["text"] for c in a.criteria),
                    ]
                    for a in applications
                ),
            ),
            (
                "分类评估",
                ["年度", "机构", "类别", "总分", "等级", "后补助（元）", "状态", "得分说明"],
                (
                    [
                        e.year,
                        e.institution.organisation.name,
                        e.category,
                        e.total_text,
                        e.grade,
                        yuan(e.post_funding_fen),
                        e.get_state_display(),
                        "；".join(line["text"] for line in e.explanation),
                    ]
                    for e in evaluations
                ),
            ),
        ]
    )


# ---- the KPI monitor's plug-ins (kechuang.kpi.sources / headlines) -------------------------------------------------


def _national(params):
    qs = Platform.objects.filter(level="national", is_active=True)
    if params.get("kinds"):
        qs = qs.filter(kind__in=params["kinds"])
    return qs.order_by("approved_on", "id")


def _national_explain(row, params) -> str:
    from django.utils.translation import gettext as _

    when = (
        _("%(date)s 获批") % {"date": row["approved_on"]}
        if row["approved_on_known"]
        else _("%(year)s 年获批（名单无具体日期，按该年 1 月 1 日计入）") % {"year": row["approved_year"]}
    )
    return _("国家级%(kind)s“%(name)s”，依托 %(host)s，%(when)s；来源：%(source)s") % {
        "kind": dict(Platform._meta.get_field("kind").choices).get(row["kind"], row["kind"]),
        "name": row["name"],
        "host": row["host_name"],
        "when": when,
        "source": row["source"] or "—",
    }


def _institution_records(params):
    return Institution.objects.filter(kind__in=params.get("kinds") or ["new_rd", "transfer"]).order_by(
        "recognised_on", "id"
    )


def _institution_explain(row, params) -> str:
    from django.utils.translation import gettext as _

    return _("%(org)s，认定编号 %(no)s，%(date)s 认定") % {
        "org": row["organisation__name"],
        "no": row["number"],
        "date": row["recognised_on"],
    }


def _kpi_sources():
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from kechuang.kpi.sources import EventSource, Param
    from kechuang.platforms.models import PlatformKind

    return [
        EventSource(
            name="platforms.national_recognitions",
            label=gettext_lazy("国家级创新平台（获批）"),
            model="platforms.Platform",
            queryset=_national,
            date_field="approved_on",
            city_field="host__city_id",
            fields=(
                "id",
                "host_id",
                "name",
                "kind",
                "host_name",
                "approved_on",
                "approved_on_known",
                "approved_year",
                "source",
            ),
            explain=_national_explain,
            link=lambda row: (
                reverse("registry:organisation_detail", args=[row["host_id"]]) if row["host_id"] else None
            ),
            params=(
                Param(
                    "kinds", "choices", choices=tuple(PlatformKind.values), default=list(PlatformKind.values)
                ),
            ),
        ),
        EventSource(
            name="platforms.institutions",
            label=gettext_lazy("认定的新型研发机构、技术转移示范机构"),
            model="platforms.Institution",
            queryset=_institution_records,
            date_field="recognised_on",
            city_field="organisation__city_id",
            fields=("id", "organisation_id", "organisation__name", "number", "kind", "recognised_on"),
            explain=_institution_explain,
            link=lambda row: reverse("platforms:institution", args=[row["id"]]),
            params=(
                Param("kinds", "choices", choices=("new_rd", "transfer"), default=["new_rd", "transfer"]),
            ),
        ),
    ]


def __getattr__(name):
    """`KPI_SOURCES` is built on first use, so this module imports without the KPI app."""
    if name == "KPI_SOURCES":
        return _kpi_sources()
    raise AttributeError(name)


def headline_figures(*, year: int, city: str | None) -> dict:
    from django.utils.translation import gettext as _

    national = Platform.objects.filter(level="national", is_active=True, approved_year=year)
    institutions = Institution.objects.filter(kind__in=("new_rd", "transfer"), recognised_on__year=year)
    funding = Evaluation.objects.filter(year=year, state=Evaluation.State.FINAL)
    if city:
        national = national.filter(host__city_id=city)
        institutions = institutions.filter(organisation__city_id=city)
        funding = funding.filter(institution__organisation__city_id=city)

    def fig(key, label, value, unit="count", definition=""):
        return {"key": key, "label": str(label), "value": value, "unit": unit, "definition": str(definition)}

    return {
        "module": "platforms",
        "label": _("创新平台与研发机构"),
        "url": "platforms:home",
        "figures": [
            fig(
                "national_platforms",
                _("新获批国家级平台"),
                national.count(),
                "count",
                _("部委名单中该年获批的国家级创新平台。"),
            ),
            fig(
                "institutions",
                _("认定新型研发机构、技术转移示范机构"),
                institutions.count(),
                "count",
                _("该年认定并编号的机构。"),
            ),
            fig(
                "post_funding_fen",
                _("评估后补助"),
                funding.aggregate(s=Sum("post_funding_fen"))["s"] or 0,
                "fen",
                _("该年度已确定等级的评估带来的后补助合计（经拨付工作流拨付）。"),
            ),
        ],
    }
