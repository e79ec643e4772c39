"""Completion of each KPI from the records its definition names: per month and per city, against its expected
curve, with the records behind every figure.

Invariants (tested): the province figure is the sum of the city figures and of the month figures; the drill-down of
a figure lists exactly the records counted in it (for a net KPI: who came in minus who went out); the same
definition on the same records gives the same figures whether read from a snapshot or computed live.
"""

import calendar
import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from kechuang.kpi.sources import get_source


def months(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """(label "YYYY-MM", first day, last day) of every month from start's to end's, clipped to [start, end]."""
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        first = dt.date(y, m, 1)
        last = dt.date(y, m, calendar.monthrange(y, m)[1])
        out.append((f"{y:04d}-{m:02d}", max(first, start), min(last, end)))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def month_bounds(label: str) -> tuple[dt.date, dt.date]:
    y, m = (int(part) for part in label.split("-"))
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def percent(value: int, target: int) -> str:
    if not target:
        return "—"
    return str((Decimal(value) * 100 / Decimal(target)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def expected_share(content: dict, on: dt.date) -> Decimal:
    """The share of the target the curve expects by `on`: linear between the curve's points, starting from 0 on the
    day before the period starts (a straight line to 1 at the period's end when no curve is given)."""
    start = dt.date.fromisoformat(content["period"]["start"]) - dt.timedelta(days=1)
    end = dt.date.fromisoformat(content["period"]["end"])
    points = [(start, Decimal(0))] + [
        (dt.date.fromisoformat(d), Decimal(s)) for d, s in content.get("curve") or []
    ]
    if not content.get("curve"):
        points.append((end, Decimal(1)))
    if on <= points[0][0]:
        return Decimal(0)
    for (d0, s0), (d1, s1) in zip(points, points[1:], strict=False):
        if on <= d1:
            span = (d1 - d0).days or 1
            return s0 + (s1 - s0) * Decimal((on - d0).days) / span
    return points[-1][1]


def expected_value(content: dict, on: dt.date) -> int:
    base, target = content["baseline"]["value"], content["target"]
    return int(
        (base + (target - base) * expected_share(content, on)).to_integral_value(rounding=ROUND_HALF_UP)
    )


def window(content: dict, as_of: dt.date) -> tuple[dt.date, dt.date]:
    start = dt.date.fromisoformat(content["period"]["start"])
    end = min(dt.date.fromisoformat(content["period"]["end"]), as_of)
    return start, end


def _event_counts(source, content, start, end) -> dict[tuple[str, str], int]:
    """{(city, "YYYY-MM"): n} of the records counted in [start, end]."""
    qs = source.records(content["counts"]["params"], start, end)
    measure = Sum(source.value_field) if content["unit"] == "fen" else Count("pk")
    if source.year_only:
        rows = qs.order_by().values(source.city_field, source.date_field).annotate(n=measure)
        out_years: dict[tuple[str, str], int] = defaultdict(int)
        for row in rows:
            out_years[(row[source.city_field] or "", f"{row[source.date_field]:04d}-01")] += row["n"] or 0
        return out_years
    rows = (
        qs.order_by()
        .annotate(kpi_month=TruncMonth(source.date_field))
        .values(source.city_field, "kpi_month")
        .annotate(n=measure)
        .values_list(source.city_field, "kpi_month", "n")
    )
    out: dict[tuple[str, str], int] = defaultdict(int)
    for city, month, n in rows:
        out[(city or "", month.strftime("%Y-%m"))] += n or 0
    return out


def _holders(intervals, on: dt.date) -> dict:
    """{key: row} of the holders on `on`."""
    return {row[0]: row for row in intervals if row[2] <= on <= row[3]}


def _stock_counts(source, content, start, end) -> tuple[dict[tuple[str, str], int], int, int]:
    """Net change per (city, month) of the holders at each month's end, and the stocks at baseline and at `end`."""
    base_day = dt.date.fromisoformat(content["baseline"]["as_of"])
    intervals = list(source.intervals(content["counts"]["params"], base_day, end))
    previous = _holders(intervals, base_day)
    base_stock = len(previous)
    out: dict[tuple[str, str], int] = defaultdict(int)
    for label, _first, last in months(start, end):
        current = _holders(intervals, last)
        for key in current.keys() - previous.keys():
            out[(current[key][1] or "", label)] += 1
        for key in previous.keys() - current.keys():
            out[(previous[key][1] or "", label)] -= 1
        previous = current
    return out, base_stock, len(previous)


def compute_kpi(definition, as_of: dt.date, city_names: dict[str, str]) -> dict:
    """The figures of one KPI definition (a `KpiDefinition`) on `as_of`."""
    content = definition.content
    start, end = window(content, as_of)
    source = get_source(content["counts"]["source"])
    result = {
        "code": definition.code,
        "version": definition.version,
        "definition_id": definition.pk,
        "name": content["name"],
        "unit": content["unit"],
        "basis": content["basis"],
        "target": content["target"],
        "baseline": content["baseline"],
        "period": content["period"],
        "definition": content["definition"],
        "document": content["document"],
        "clause": content["clause"],
        "verified": content["verified"],
        "comparison": content.get("comparison", False),
        "programme": content["programme"],
        "lead_department": content["lead_department"],
        "source": content["counts"]["source"],
        "params": content["counts"]["params"],
        "as_of": end.isoformat(),
    }
    if source is None:
        result.update(
            state="not_computable",
            reason=_("数据来源“%(source)s”尚未接入平台（提供它的模块未安装），无法计算，不作为零计。")
            % {"source": content["counts"]["source"]},
            counted=None,
            value=None,
            percent="—",
            months=[],
            cities=[],
        )
        return result
    result["source_label"] = str(source.label)
    if start > end:
        cells: dict[tuple[str, str], int] = {}
        stocks = None
    elif source.kind == "stock":
        cells, base_stock, end_stock = _stock_counts(source, content, start, end)
        stocks = {"baseline": base_stock, "end": end_stock}
    else:
        cells, stocks = _event_counts(source, content, start, end), None
    labels = [label for label, _f, _l in months(start, end)] if start <= end else []
    by_month: dict[str, int] = defaultdict(int)
    by_city: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (city, month), n in cells.items():
        by_month[month] += n
        by_city[city][month] += n
    base = content["baseline"]["value"]
    counted = sum(by_month.values())
    if stocks is not None:
        assert counted == stocks["end"] - stocks["baseline"], "net change per month must add up"
    value = base + counted
    expected = expected_value(content, end)
    warn_below = Decimal(content.get("warn_below") or "0.9")
    series, running, first_behind = [], base, None
    for label in labels:
        running += by_month.get(label, 0)
        month_end = min(month_bounds(label)[1], end)
        exp = expected_value(content, month_end)
        behind = running < exp * warn_below
        # the first month of the run of months, up to now, in which the figure has been behind its curve
        first_behind = (first_behind or label) if behind else None
        series.append({"month": label, "n": by_month.get(label, 0), "cumulative": running, "expected": exp})
    period_over = end >= dt.date.fromisoformat(content["period"]["end"])
    if value >= content["target"]:
        state = "done"
    elif period_over:
        state = "not_met"
    elif value < expected * warn_below:
        state = "behind"
    else:
        state = "on_track"
    reporting = content["reporting_cities"]
    cities = []
    for code in sorted(set(by_city) | (set(city_names) if reporting == "all" else set(reporting))):
        months_n = by_city.get(code, {})
        cities.append(
            {
                "city": code,
                "name": city_names.get(code, code or _("未注明城市")),
                "n": sum(months_n.values()),
                "reporting": reporting == "all" or code in reporting,
                "months": dict(months_n),
            }
        )
    result.update(
        state=state,
        counted=counted,
        value=value,
        percent=percent(value, content["target"]),
        expected=expected,
        expected_percent=percent(expected, content["target"]),
        behind_since=first_behind if state == "behind" else None,
        months=series,
        cities=cities,
        stocks=stocks,
    )
    return result


def city_view(kpi: dict, city: str) -> dict:
    """A KPI's figures for one city, from the province figures (no target: cities report, the province is
    measured)."""
    row = next((c for c in kpi.get("cities", []) if c["city"] == city), None)
    out = dict(kpi)
    months_n = row["months"] if row else {}
    running, series = 0, []
    for m in kpi.get("months", []):
        running += months_n.get(m["month"], 0)
        series.append({"month": m["month"], "n": months_n.get(m["month"], 0), "cumulative": running})
    out.update(
        city=city,
        counted=row["n"] if row else (0 if kpi.get("counted") is not None else None),
        city_months=series,
    )
    return out


# ---- drill-down ------------------------------------------------------------------------------------------------


def drill_window(content: dict, as_of: dt.date, month: str | None) -> tuple[dt.date, dt.date]:
    start, end = window(content, as_of)
    if month:
        first, last = month_bounds(month)
        start, end = max(start, first), min(end, last)
    return start, end


class RecordPages:
    """The records behind a figure: counted on the filtered records alone (no joins for the shown names, which
    would make the count scan the joined tables), and each page read with its fields. Pages are reached by keyset
    (`keyset_page`: the records after, or before, the last one shown, in the source's (date, id) order, read from
    the index with no OFFSET); numbered pages (a Paginator slicing it) stay for links already handed out."""

    def __init__(self, queryset, fields, date_field: str = "", year_only: bool = False):
        self.queryset, self.fields = queryset, fields
        self.date_field, self.year_only = date_field, year_only

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            return self[item : item + 1][0]
        # the page's ids first, from the filtered records alone (an OFFSET over a join would join every record
        # before it), then the page's fields for those ids only
        ids = list(self.queryset.values_list("pk", flat=True)[item])
        rows = {
            row["pk"]: row
            for row in self.queryset.model.objects.filter(pk__in=ids).values("pk", *self.fields)
        }
        out = []
        for pk in ids:
            row = rows[pk]
            row.pop("pk")
            out.append(row)
        return out

    def __iter__(self):
        return iter(self.queryset.values(*self.fields))

    def head(self, limit: int) -> list[dict]:
        """The first `limit` records in one query (for an export)."""
        return list(self.queryset.values(*self.fields)[:limit])

    # ---- keyset pages ----

    def key_of(self, row: dict) -> str:
        value = row[self.date_field] if self.date_field in row else _lookup(row, self.date_field)
        return f"{value.isoformat() if hasattr(value, 'isoformat') else value}~{row['id']}"

    def parse_key(self, text: str | None):
        """(date or year, id) of a key from the query string, or None if it is not one."""
        from kechuang.bounds import parse_int

        if not text or "~" not in text:
            return None
        day, _sep, pk = str(text)[:40].partition("~")
        number = parse_int(pk, low=1, high=2**63 - 1)
        if number is None:
            return None
        if self.year_only:
            year = parse_int(day, low=1900, high=2200)
            return (year, number) if year is not None else None
        try:
            return dt.date.fromisoformat(day), number
        except ValueError:
            return None

    def keyset_page(self, size: int, *, after=None, before=None, last: bool = False) -> dict:
        """One page of at most `size` records: the first (no key), those after `after` or before `before` (keys from
        `parse_key`), or the last page. {"rows", "next", "previous"}: the keys of the neighbouring pages, or None."""
        from django.db.models import Q

        date, qs = self.date_field, self.queryset
        descending = before is not None or last
        if after is not None:
            qs = qs.filter(Q(**{f"{date}__gt": after[0]}) | Q(**{date: after[0], "pk__gt": after[1]}))
        if before is not None:
            qs = qs.filter(Q(**{f"{date}__lt": before[0]}) | Q(**{date: before[0], "pk__lt": before[1]}))
        qs = qs.order_by(f"-{date}", "-pk") if descending else qs.order_by(date, "pk")
        keyed = (*self.fields, date) if date not in self.fields else self.fields
        # one query: the index gives the page in order, and only its rows are joined for the shown names
        rows = list(qs.values(*keyed)[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if descending:
            rows.reverse()
        first_key = self.key_of(rows[0]) if rows else None
        last_key = self.key_of(rows[-1]) if rows else None
        if descending:
            return {"rows": rows, "previous": first_key if more else None, "next": None if last else last_key}
        return {
            "rows": rows,
            "previous": first_key if after is not None else None,
            "next": last_key if more else None,
        }


def event_records(content: dict, as_of: dt.date, *, city: str | None, month: str | None):
    """The records counted (in the city, in the month), as `RecordPages`; None for a missing source."""
    source = get_source(content["counts"]["source"])
    if source is None or source.kind != "event":
        return None
    start, end = drill_window(content, as_of, month)
    return RecordPages(
        source.records(content["counts"]["params"], start, end, city or None),
        (*source.fields, source.city_field),
        date_field=source.date_field,
        year_only=source.year_only,
    )


def explain_event_rows(content: dict, rows) -> list[dict]:
    source = get_source(content["counts"]["source"])
    params = content["counts"]["params"]
    out = []
    for row in rows:
        out.append(
            {
                "values": row,
                "date": _lookup(row, source.date_field),
                "city": row.get(source.city_field),
                "label": _label(row),
                "why": source.explain(row, params),
                "link": source.link(row),
                "sign": 1,
                "amount": row.get(source.value_field) if source.value_field else None,
            }
        )
    return out


def stock_changes(content: dict, as_of: dt.date, *, city: str | None, month: str | None) -> list[dict]:
    """Who came in (+1) and went out (−1) over the month (or the whole period), for a net KPI."""
    source = get_source(content["counts"]["source"])
    if source is None or source.kind != "stock":
        return []
    start, end = drill_window(content, as_of, month)
    before = start - dt.timedelta(days=1)
    if not month:
        before = dt.date.fromisoformat(content["baseline"]["as_of"])
    intervals = list(source.intervals(content["counts"]["params"], before, end))
    was, now = _holders(intervals, before), _holders(intervals, end)
    out = []
    for key in sorted(now.keys() - was.keys()):
        row = now[key]
        if not city or row[1] == city:
            out.append(
                {
                    "label": row[4],
                    "city": row[1],
                    "date": row[2],
                    "sign": 1,
                    "why": source.explain_in(row),
                    "link": source.link(row),
                }
            )
    for key in sorted(was.keys() - now.keys()):
        row = was[key]
        if not city or row[1] == city:
            out.append(
                {
                    "label": row[4],
                    "city": row[1],
                    "date": row[3],
                    "sign": -1,
                    "why": source.explain_out(row),
                    "link": source.link(row),
                }
            )
    return out


def _lookup(row: dict, field: str):
    value = row.get(field)
    return dt.date(value, 1, 1) if isinstance(value, int) else value


def _label(row: dict) -> str:
    for key in ("organisation__name", "seller__name", "unit__name", "name", "title"):
        if row.get(key):
            extra = row.get("title") if key != "title" and row.get("title") else ""
            return f"{row[key]}" + (f" · {extra}" if extra else "")
    return str(row.get("id", ""))
