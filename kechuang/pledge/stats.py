"""Statistics for the annual report: pledges, enterprises, amounts, growth, breakdowns, defaults and compensation.

A loan counts in the year of its pledge registration (质押登记日), the way registration statistics are published.
City officials see their city only (`loans` is already scoped by the caller through the permissions package).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from kechuang import money
from kechuang.pledge.models import CooperationModel, Pledge, RiskParty, RiskShare
from kechuang.spreadsheets import write_workbook


def growth_percent(current: int, previous: int) -> Decimal | None:
    """Growth on the previous year in percent, one decimal (259 vs 184 → 40.8); None when there is no base."""
    if not previous:
        return None
    return (Decimal(current - previous) * 100 / previous).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def year_totals(loans, year: int) -> dict:
    registered = loans.filter(registered_on__year=year)
    pledges = Pledge.objects.filter(application__in=registered)
    defaults = loans.filter(defaulted_on__year=year)
    compensation = RiskShare.objects.filter(application__in=loans, paid_on__year=year).exclude(
        party=RiskParty.BANK
    )
    return {
        "year": year,
        "loans": registered.count(),
        "patents": pledges.values("patent_id").distinct().count(),
        "enterprises": registered.values("enterprise_id").distinct().count(),
        "amount_fen": registered.aggregate(s=Sum("approved_amount_fen"))["s"] or 0,
        "defaults": defaults.count(),
        "default_fen": defaults.aggregate(s=Sum("default_balance_fen"))["s"] or 0,
        "compensation_fen": compensation.aggregate(s=Sum("amount_fen"))["s"] or 0,
        "recovered_fen": RiskShare.objects.filter(application__in=loans.filter(disposed_on__year=year))
        .exclude(party=RiskParty.BANK)
        .aggregate(s=Sum("recovered_fen"))["s"]
        or 0,
    }


def breakdown(loans, year: int, key: str, label_key: str | None = None) -> list[dict]:
    """Loans, patents, enterprises and amount per value of `key`. Patents are counted in a separate query so that the
    join to pledges never multiplies the amounts."""
    registered = loans.filter(registered_on__year=year)
    fields = [key] + ([label_key] if label_key else [])
    rows = (
        registered.values(*fields)
        .annotate(
            loans=Count("id"),
            enterprises=Count("enterprise", distinct=True),
            amount_fen=Sum("approved_amount_fen"),
        )
        .order_by("-amount_fen", key)
    )
    patents = dict(
        Pledge.objects.filter(application__in=registered)
        .values_list(f"application__{key}")
        .annotate(n=Count("patent", distinct=True))
        .values_list(f"application__{key}", "n")
    )
    out = []
    for row in rows:
        label = row.get(label_key) if label_key else row[key]
        out.append(
            {
                "key": row[key],
                "label": label or "—",
                "loans": row["loans"],
                "patents": patents.get(row[key], 0),
                "enterprises": row["enterprises"],
                "amount_fen": row["amount_fen"] or 0,
            }
        )
    return out


def annual_report(loans, year: int) -> dict:
    current, previous = year_totals(loans, year), year_totals(loans, year - 1)
    growth = {
        k: growth_percent(current[k], previous[k]) for k in ("patents", "enterprises", "amount_fen", "loans")
    }
    models = dict(CooperationModel.choices)
    by_model = breakdown(loans, year, "cooperation_model")
    for row in by_model:
        row["label"] = str(models.get(row["key"], row["key"]))
    from kechuang.registry.models import Industry

    sections = dict(Industry.objects.filter(level=Industry.Level.SECTION).values_list("code", "name"))
    by_industry = breakdown(loans, year, "enterprise__industry_section")
    for row in by_industry:
        row["label"] = f"{row['key']} {sections.get(row['key'], '')}".strip() if row["key"] else "—"
    years = sorted(
        {d.year for d in loans.exclude(registered_on=None).values_list("registered_on", flat=True)} | {year}
    )
    series = [year_totals(loans, y) for y in years[-8:]]
    return {
        "year": year,
        "current": current,
        "previous": previous,
        "growth": growth,
        "by_bank": breakdown(loans, year, "bank_id", "bank__name"),
        "by_model": by_model,
        "by_city": breakdown(loans, year, "enterprise__city_id", "enterprise__city__name"),
        "by_industry": by_industry,
        "series": [
            {
                "year": str(s["year"]),
                "patents": s["patents"],
                "amount_wan": money.wan(s["amount_fen"]),
            }
            for s in series
        ],
    }


def annual_report_xlsx(report: dict) -> bytes:
    """The annual-report workbook: a summary sheet and one sheet per breakdown; amounts in 万元 as exact decimals."""

    def wan(fen):
        return money.wan(fen or 0)

    cur, prev, growth = report["current"], report["previous"], report["growth"]
    summary = []
    for label, key, is_money in (
        (_("质押专利数"), "patents", False),
        (_("融资企业数"), "enterprises", False),
        (_("质押贷款笔数"), "loans", False),
        (_("质押融资金额（万元）"), "amount_fen", True),
    ):
        summary.append(
            [
                label,
                wan(cur[key]) if is_money else cur[key],
                wan(prev[key]) if is_money else prev[key],
                growth.get(key) if growth.get(key) is not None else "—",
            ]
        )
    summary.append([_("违约笔数"), cur["defaults"], prev["defaults"], ""])
    summary.append([_("违约余额（万元）"), wan(cur["default_fen"]), wan(prev["default_fen"]), ""])
    summary.append(
        [_("已支付风险补偿（万元）"), wan(cur["compensation_fen"]), wan(prev["compensation_fen"]), ""]
    )
    summary.append(
        [_("处置回收分回补偿方（万元）"), wan(cur["recovered_fen"]), wan(prev["recovered_fen"]), ""]
    )
    sheets = [
        (_("汇总"), [_("指标"), str(report["year"]), str(report["year"] - 1), _("同比增长（%）")], summary)
    ]
    for title, key in (
        (_("按银行"), "by_bank"),
        (_("按合作模式"), "by_model"),
        (_("按城市"), "by_city"),
        (_("按行业门类"), "by_industry"),
    ):
        rows = [
            [str(row["label"]), row["loans"], row["patents"], row["enterprises"], wan(row["amount_fen"])]
            for row in report[key]
        ]
        sheets.append(
            (title, [_("分类"), _("贷款笔数"), _("质押专利数"), _("企业数"), _("金额（万元）")], rows)
        )
    return write_workbook(sheets)
