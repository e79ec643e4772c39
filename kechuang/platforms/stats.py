"""Statistics and exports of platforms and institutions (for the pages and the KPIs: "100 national platforms"):
platforms by kind, level and city; institutions by kind; evaluation grades and post-funding by year."""

from collections import Counter

from django.db.models import Count, Sum

from kechuang.money import yuan
from kechuang.platforms.models import Evaluation, Institution, InstitutionApplication, Platform
from kechuang.spreadsheets import write_workbook


def summary() -> dict:
    platforms = Platform.objects.filter(is_active=True)
    return {
        "platforms": platforms.count(),
        "national": platforms.filter(level="national").count(),
        "by_kind": list(platforms.values("kind").annotate(n=Count("id")).order_by("-n")),
        "institutions": dict(
            Counter(Institution.objects.filter(is_active=True).values_list("kind", flat=True))
        ),
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
