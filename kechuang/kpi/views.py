"""Pages of the KPI module: the leaders' dashboard, each KPI with its cities and months, the records behind every
figure, definitions and templates (versioned), and the reports. Views parse, authorise through
`kechuang.permissions.kpi`, call the services, render."""

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang import money
from kechuang.errors import DomainError
from kechuang.kpi import compute, describe, report_templates, reports, services
from kechuang.kpi.models import KpiDefinition, ReportTemplate
from kechuang.permissions.kpi import (
    KpiCap,
    can_edit_definitions,
    can_edit_templates,
    can_generate_reports,
    can_refresh,
    require_view,
    scope_city,
)
from kechuang.spreadsheets import xlsx_response

PAGE_SIZE = 50
STATE_CLASS = {"done": "ok", "on_track": "ok", "behind": "warn", "not_met": "bad", "not_computable": ""}


def state_labels():
    return {
        "done": _("已完成"),
        "on_track": _("进度正常"),
        "behind": _("进度落后"),
        "not_met": _("未完成"),
        "not_computable": _("无法计算"),
    }


def _year(request) -> int:
    today = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or today)
    except ValueError:
        return today
    return year if 2000 <= year <= today else today


def _city(request) -> str | None:
    """The user's city for a city official; otherwise the city asked for (province-wide officials may look)."""
    scoped = scope_city(request.user)
    if scoped:
        return scoped
    asked = request.GET.get("city") or ""
    return asked if asked.isdigit() and len(asked) == 6 else None


def _kpi(snapshot, code: str) -> dict:
    for k in snapshot.payload["kpis"]:
        if k["code"] == code:
            return k
    raise Http404


def _module_url(name: str) -> str:
    if not name:
        return ""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _module_rows(modules: list[dict], trend: list[dict]) -> list[dict]:
    """Modules for the page: figures formatted, a link to their records, and a trend chart's rows."""
    out = []
    for m in modules:
        figures = []
        for f in m["figures"]:
            value = f["value"]
            if value is None:
                text = "—"
            elif f["unit"] == "fen":
                text = money.wan_text(value)
            elif f["unit"] == "percent":
                text = f"{value}%"
            elif f["unit"] == "ratio":
                text = f"1 : {value}"
            else:
                text = f"{value:,}" if isinstance(value, int) else str(value)
            figures.append({**f, "text": text, "in_wan": f["unit"] == "fen"})
        counts = [f for f in m["figures"] if f["unit"] == "count"][:2]
        amounts = [f for f in m["figures"] if f["unit"] == "fen"][:1]
        rows, series = [], []
        for t in trend:
            row = {"year": str(t["year"])}
            for f in counts:
                row[f["key"]] = t["figures"].get(f"{m['module']}.{f['key']}")
            for f in amounts:
                v = t["figures"].get(f"{m['module']}.{f['key']}")
                row[f["key"]] = str(money.wan(v)) if v is not None else None
            rows.append(row)
        series = [{"name": f["label"], "key": f["key"], "axis": 0} for f in counts] + [
            {"name": f"{f['label']}（万元）", "key": f["key"], "axis": 1, "type": "line"} for f in amounts
        ]
        out.append(
            {
                **m,
                "figures": figures,
                "link": _module_url(m.get("url", "")),
                "trend_rows": rows if series else [],
                "trend_series": series,
                "chart_id": f"trend-{m['module']}",
            }
        )
    return out


def _freshness(year: int, page: services.PageSnapshot) -> dict:
    """What every page with figures says about them: when computed, how old, whether older than the stated
    interval, and the refresh under way (shown with its progress)."""
    return {
        "year": year,
        "snapshot": page.snapshot,
        "stale": page.stale,
        "job": page.job,
        "max_age_minutes": int(services.max_age().total_seconds() // 60),
    }


def _computing(request, year: int, page: services.PageSnapshot, title: str):
    """A year with no snapshot yet: "being computed", with the refresh's progress; never computed here."""
    return render(request, "kpi/computing.html", {**_freshness(year, page), "title": title})


@login_required
def progress(request):
    """The progress of the year's refresh (polled by the pages); queues nothing. Once the refresh is done, a page
    that had no figures reloads itself, and a page showing older figures offers to."""
    require_view(request.user)
    year = _year(request)
    job = services.refresh_job(year)
    waiting = request.GET.get("wait") == "1"
    response = render(
        request,
        "kpi/_progress.html",
        {"job": job, "year": year, "waiting": waiting, "snapshot": services.latest_snapshot(year)},
    )
    if waiting and job is not None and job.status == job.Status.SUCCEEDED:
        response["HX-Refresh"] = "true"
    return response


@login_required
def dashboard(request):
    require_view(request.user)
    year, city = _year(request), _city(request)
    page = services.page_snapshot(year)
    if page.snapshot is None:
        return _computing(request, year, page, _("科创指标驾驶舱（%(year)s 年）") % {"year": year})
    snapshot = page.snapshot
    payload = snapshot.payload
    labels = state_labels()
    kpis = []
    for k in payload["kpis"]:
        view = compute.city_view(k, city) if city else k
        kpis.append({**view, "state_label": labels[k["state"]], "state_class": STATE_CLASS[k["state"]]})
    modules = payload["modules"].get(city or "", [])
    trend = payload["trend"] if not city else []
    return render(
        request,
        "kpi/dashboard.html",
        {
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 8, -1)),
            "city": city,
            "city_name": payload["cities"].get(city, "") if city else "",
            "cities": sorted(payload["cities"].items()),
            "city_locked": bool(scope_city(request.user)),
            **_freshness(year, page),
            "kpis": kpis,
            "behind": [k for k in kpis if k["state"] == "behind"],
            "completion_chart": [
                {"name": k["name"]["zh"], "percent": k["percent"], "expected": k.get("expected_percent")}
                for k in kpis
                if k.get("counted") is not None and not city
            ],
            "completion_series": [
                {"name": _("完成率（%）"), "key": "percent"},
                {"name": _("按进度应完成（%）"), "key": "expected"},
            ],
            "modules": _module_rows(modules, trend),
            "can_refresh": can_refresh(request.user),
            "can_report": can_generate_reports(request.user),
            "can_edit": can_edit_definitions(request.user),
        },
    )


@login_required
@require_POST
def refresh(request):
    if not can_refresh(request.user):
        raise PermissionDenied(KpiCap.REFRESH)
    year = _year(request)
    services.request_refresh(year, acting_user=request.user, force=True)
    return redirect(reverse("kpi:dashboard") + f"?year={year}")


@login_required
def kpi_detail(request, code):
    require_view(request.user)
    year, city = _year(request), _city(request)
    page = services.page_snapshot(year)
    if page.snapshot is None:
        services.ensure_definitions()
        definition = next((d for d in services.current_definitions() if d.code == code), None)
        if definition is None:
            raise Http404
        return _computing(request, year, page, definition.name)
    snapshot = page.snapshot
    k = _kpi(snapshot, code)
    view = compute.city_view(k, city) if city else k
    chart = (
        view["city_months"]
        if city
        else [
            {"month": m["month"], "cumulative": m["cumulative"], "expected": m["expected"], "n": m["n"]}
            for m in k["months"]
        ]
    )
    cities = [c for c in k.get("cities", []) if not city or c["city"] == city]
    history = KpiDefinition.objects.filter(code=code).order_by("-version")
    used = KpiDefinition.objects.filter(pk=k.get("definition_id")).first()
    return render(
        request,
        "kpi/detail.html",
        {
            "k": {**view, "state_label": state_labels()[k["state"]], "state_class": STATE_CLASS[k["state"]]},
            "year": year,
            "city": city,
            "city_name": snapshot.payload["cities"].get(city, "") if city else "",
            "chart": chart,
            "chart_series": [
                {"name": _("累计完成"), "key": "cumulative", "type": "line"},
                *([] if city else [{"name": _("应完成（进度曲线）"), "key": "expected", "type": "line"}]),
                {"name": _("当月计入"), "key": "n", "type": "bar"},
            ],
            "cities": cities,
            "months": [m for m in (view["city_months"] if city else k["months"]) if m["n"]],
            **_freshness(year, page),
            "history": history,
            "rows": describe.definition_rows(used.content if used else {}),
            "can_edit": can_edit_definitions(request.user),
        },
    )


def _drill(request, code):
    """(definition, rows or queryset, kind, city, month) of the records behind one figure, read live."""
    require_view(request.user)
    city = _city(request)
    month = request.GET.get("month") or None
    if month is not None:
        try:
            compute.month_bounds(month)
        except (ValueError, TypeError):
            raise Http404
    definition = next((d for d in services.current_definitions() if d.code == code), None)
    if definition is None:
        services.ensure_definitions()
        definition = next((d for d in services.current_definitions() if d.code == code), None)
    if definition is None:
        raise Http404
    as_of = timezone.localdate()
    qs = compute.event_records(definition.content, as_of, city=city, month=month)
    if qs is not None:
        return definition, qs, "event", city, month
    return (
        definition,
        compute.stock_changes(definition.content, as_of, city=city, month=month),
        "stock",
        city,
        month,
    )


def _keyset(request, rows: compute.RecordPages):
    """The page asked for by key (after=, before=, last=1) or, with none, the first page; None when a
    numbered page (page=) is asked for."""
    if request.GET.get("page") and not (request.GET.get("after") or request.GET.get("before")):
        return None
    after, before = rows.parse_key(request.GET.get("after")), rows.parse_key(request.GET.get("before"))
    return rows.keyset_page(
        PAGE_SIZE, after=after, before=None if after else before, last=request.GET.get("last") == "1"
    )


@login_required
def records(request, code):
    definition, rows, kind, city, month = _drill(request, code)
    keyset = _keyset(request, rows) if kind == "event" else None
    if keyset is not None:
        page, shown, total = None, keyset["rows"], rows.count()
    else:
        paginator = Paginator(rows, PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        shown = page.object_list
        total = paginator.count if kind == "event" else sum(r["sign"] for r in rows)
    items = compute.explain_event_rows(definition.content, shown) if kind == "event" else shown
    names = services.city_names()
    for item in items:
        item["city_name"] = names.get(item["city"] or "", item["city"] or "")
    query = {k: v for k, v in (("city", city or ""), ("month", month or "")) if v}
    return render(
        request,
        "kpi/records.html",
        {
            "definition": definition,
            "content": definition.content,
            "page": page,
            "items": items,
            "kind": kind,
            "city": city,
            "city_name": names.get(city or "", ""),
            "month": month,
            "query": "&".join(f"{k}={quote(v)}" for k, v in query.items()),
            "total": total,
            "rows_count": len(rows) if kind == "stock" else total,
            "keyset": keyset,
        },
    )


@login_required
def records_export(request, code):
    definition, rows, kind, city, month = _drill(request, code)
    items = compute.explain_event_rows(definition.content, rows.head(200_000)) if kind == "event" else rows
    content = reports.records_xlsx(definition.name, items, services.city_names())
    return xlsx_response(content, f"kpi-{code}-records.xlsx")


@login_required
def completion_export(request):
    require_view(request.user)
    year, city = _year(request), _city(request)
    snapshot = services.page_snapshot(year).snapshot
    if snapshot is None:
        messages.info(request, _("该年度的数据正在计算，完成后即可导出。"))
        return redirect(reverse("kpi:dashboard") + f"?year={year}")
    return xlsx_response(reports.completion_xlsx(snapshot.payload, city=city), f"kpi-completion-{year}.xlsx")


# ---- definitions ------------------------------------------------------------------------------------------------


@login_required
def definitions(request):
    require_view(request.user)
    services.ensure_definitions()
    current = [{"d": d, "rows": describe.definition_rows(d.content)} for d in services.current_definitions()]
    versions = KpiDefinition.objects.select_related("created_by").order_by("code", "-version")
    return render(
        request,
        "kpi/definitions.html",
        {
            "current": current,
            "versions": versions,
            "can_edit": can_edit_definitions(request.user),
        },
    )


@login_required
def definition_edit(request, code):
    if not can_edit_definitions(request.user):
        raise PermissionDenied(KpiCap.EDIT_DEFINITIONS)
    latest = KpiDefinition.objects.filter(code=code).order_by("-version").first()
    if latest is None:
        raise Http404
    text, note, error = latest.text, "", ""
    if request.method == "POST":
        text, note = request.POST.get("text", ""), request.POST.get("note", "")
        try:
            version = services.do_save_definition(code, text, note=note, acting_user=request.user)
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("已保存为第 %(v)s 版。") % {"v": version.version})
            return redirect("kpi:definitions")
    return render(
        request,
        "kpi/definition_edit.html",
        {
            "latest": latest,
            "rows": describe.definition_rows(latest.content),
            "text": text,
            "note": note,
            "error": error,
        },
    )


# ---- reports ------------------------------------------------------------------------------------------------------


@login_required
def report_list(request):
    if not can_generate_reports(request.user):
        raise PermissionDenied(KpiCap.REPORT)
    services.ensure_templates()
    templates = []
    for code in ReportTemplate.objects.values_list("code", flat=True).distinct().order_by("code"):
        t = services.current_template(code)
        if t is not None and (t.kind == "city" or not scope_city(request.user)):
            templates.append(t)
    return render(
        request,
        "kpi/reports.html",
        {
            "templates": templates,
            "year": _year(request),
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 8, -1)),
            "cities": sorted(services.city_names().items()),
            "city_locked": scope_city(request.user),
            "can_edit": can_edit_templates(request.user),
        },
    )


def build_report(template: ReportTemplate, snapshot, *, params: dict, city: str | None) -> dict:
    return report_templates.render(
        template.content,
        snapshot.payload,
        params=params,
        city=city,
        today=report_templates._date_text(timezone.localdate().isoformat()),
        computed_at=timezone.localtime(snapshot.computed_at).strftime("%Y-%m-%d %H:%M"),
    )


@login_required
def report_download(request, code, fmt):
    if not can_generate_reports(request.user):
        raise PermissionDenied(KpiCap.REPORT)
    if fmt not in ("docx", "pdf"):
        raise Http404
    services.ensure_templates()
    template = services.current_template(code)
    if template is None:
        raise Http404
    city = _city(request)
    if template.kind == "annual" and scope_city(request.user):
        raise PermissionDenied(KpiCap.REPORT)  # the province's reply is the province's
    if template.kind == "city" and not city:
        messages.error(request, _("城市报告请先选择城市。"))
        return redirect("kpi:reports")
    snapshot = services.page_snapshot(_year(request)).snapshot
    if snapshot is None:
        messages.info(request, _("该年度的数据正在计算，完成后即可生成报告。"))
        return redirect(reverse("kpi:dashboard") + f"?year={_year(request)}")
    params = {name: request.GET.get(name, "")[:200] for name in template.content["params"]}
    doc = build_report(template, snapshot, params=params, city=city if template.kind == "city" else None)
    if fmt == "docx":
        content = reports.report_docx(doc)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        content = reports.report_pdf(doc)
        ctype = "application/pdf"
    response = HttpResponse(content, content_type=ctype)
    name = f"{code}-{snapshot.year}{'-' + city if city and template.kind == 'city' else ''}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def template_edit(request, code):
    if not can_edit_templates(request.user):
        raise PermissionDenied(KpiCap.EDIT_TEMPLATES)
    latest = services.current_template(code)
    if latest is None:
        raise Http404
    text, note, error = latest.text, "", ""
    if request.method == "POST":
        text, note = request.POST.get("text", ""), request.POST.get("note", "")
        try:
            version = services.do_save_template(code, text, note=note, acting_user=request.user)
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("已保存为第 %(v)s 版。") % {"v": version.version})
            return redirect("kpi:reports")
    history = ReportTemplate.objects.filter(code=code).select_related("created_by").order_by("-version")
    labels = describe.placeholder_labels(latest.content.get("params"))
    return render(
        request,
        "kpi/template_edit.html",
        {
            "latest": latest,
            "rows": describe.template_rows(latest.content, labels),
            "placeholders": sorted(labels.items()),
            "text": text,
            "note": note,
            "error": error,
            "history": history,
            "today": dt.date.today(),
        },
    )
