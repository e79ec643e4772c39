"""Writes of the KPI module: definition and template versions (audited), snapshots (by the jobs queue).

Freshness: a snapshot is never older than `settings.KECHUANG_KPI_MAX_AGE_SECONDS` when a page reads it —
`fresh_snapshot` returns the newest one if it is young enough, otherwise computes one in the request (and a worker
refreshes them ahead of time: every page view that finds the newest snapshot past half its age enqueues a
`kpi.refresh` job, once). The pages say when their figures were computed.
"""

import datetime as dt
import time

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode
from kechuang.kpi import definitions as defs
from kechuang.kpi import report_templates
from kechuang.kpi.compute import compute_kpi
from kechuang.kpi.models import KpiDefinition, ReportTemplate, Snapshot
from kechuang.permissions import require
from kechuang.permissions.kpi import KpiCap, can_edit_definitions, can_edit_templates

REFRESH_KIND = "kpi.refresh"


def max_age() -> dt.timedelta:
    return dt.timedelta(seconds=settings.KECHUANG_KPI_MAX_AGE_SECONDS)


# ---- definitions -------------------------------------------------------------------------------------------------


@transaction.atomic
def ensure_definitions() -> list[KpiDefinition]:
    """Load the shipped definitions: a shipped file whose content differs from the newest file-loaded version of
    its KPI adds a version (audited as the system). Versions edited on the platform are kept and stay current until
    the file itself changes."""
    added = []
    for text, content in defs.shipped():
        digest = defs.sha(content)
        latest_file = (
            KpiDefinition.objects.filter(code=content["code"], origin="file").order_by("-version").first()
        )
        if latest_file is not None and latest_file.content_sha == digest:
            continue
        added.append(_add_version(content, text, origin="file", note=_("随系统发布的定义"), acting_user=None))
    return added


def _add_version(content, text, *, origin, note, acting_user) -> KpiDefinition:
    last = KpiDefinition.objects.select_for_update().filter(code=content["code"]).order_by("-version").first()
    version = KpiDefinition.objects.create(
        code=content["code"],
        version=(last.version + 1) if last else 1,
        name=content["name"]["zh"],
        effective_from=dt.date.fromisoformat(content["effective_from"]),
        text=text,
        content=content,
        content_sha=defs.sha(content),
        note=note,
        origin=origin,
        created_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
    )
    changed = {
        k: [last.content.get(k) if last else None, content.get(k)]
        for k in content
        if last is None or last.content.get(k) != content.get(k)
    }
    record(
        "kpi.definition.version",
        ("kpi.kpidefinition", str(version.pk), str(version)),
        acting_user=acting_user,
        changes=changed,
        note=note,
    )
    return version


def current_definitions(on: dt.date | None = None) -> list[KpiDefinition]:
    """The version of each KPI in effect on `on` (today): the newest version whose effective date has come."""
    on = on or timezone.localdate()
    out = {}
    for d in KpiDefinition.objects.filter(is_active=True, effective_from__lte=on).order_by(
        "code", "-version"
    ):
        out.setdefault(d.code, d)
    order = defs.shipped_order()
    return sorted(
        out.values(), key=lambda d: (order.index(d.code) if d.code in order else len(order), d.code)
    )


@transaction.atomic
def do_save_definition(code: str, text: str, *, note: str, acting_user) -> KpiDefinition:
    """A new version of KPI `code` from its YAML text (validated); the change is audited with old and new values."""
    require(can_edit_definitions(acting_user), KpiCap.EDIT_DEFINITIONS)
    if not note.strip():
        raise DomainError(ErrorCode.INVALID, _("请说明修改原因。"), {"field": "note"})
    try:
        docs = defs.parse_text(text)
    except defs.DefinitionError as exc:
        raise DomainError(ErrorCode.INVALID, _("定义有误：%(error)s") % {"error": exc}, {"field": "text"})
    if len(docs) != 1 or docs[0]["code"] != code:
        raise DomainError(
            ErrorCode.INVALID, _("一次只能修改一个指标，且指标代码不能改变。"), {"field": "text"}
        )
    last = KpiDefinition.objects.filter(code=code).order_by("-version").first()
    if last is not None and last.content_sha == defs.sha(docs[0]):
        raise DomainError(ErrorCode.CONFLICT, _("定义没有变化。"), status=409)
    return _add_version(
        docs[0], text.strip() + "\n", origin="edit", note=note.strip()[:255], acting_user=acting_user
    )


# ---- report templates ------------------------------------------------------------------------------------------


@transaction.atomic
def ensure_templates() -> None:
    for code, text, content in report_templates.shipped():
        digest = defs.sha(content)
        latest_file = ReportTemplate.objects.filter(code=code, origin="file").order_by("-version").first()
        if latest_file is not None and latest_file.content_sha == digest:
            continue
        _add_template_version(
            code, text, content, origin="file", note=_("随系统发布的模板"), acting_user=None
        )


def _add_template_version(code, text, content, *, origin, note, acting_user) -> ReportTemplate:
    last = ReportTemplate.objects.select_for_update().filter(code=code).order_by("-version").first()
    template = ReportTemplate.objects.create(
        code=code,
        version=(last.version + 1) if last else 1,
        kind=content["kind"],
        name=content["name"],
        text=text,
        content=content,
        content_sha=defs.sha(content),
        note=note,
        origin=origin,
        created_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
    )
    record(
        "kpi.template.version",
        ("kpi.reporttemplate", str(template.pk), str(template)),
        acting_user=acting_user,
        changes={"text": [last.text if last else None, text]},
        note=note,
    )
    return template


def current_template(code: str) -> ReportTemplate | None:
    return ReportTemplate.objects.filter(code=code).order_by("-version").first()


@transaction.atomic
def do_save_template(code: str, text: str, *, note: str, acting_user) -> ReportTemplate:
    require(can_edit_templates(acting_user), KpiCap.EDIT_TEMPLATES)
    if not note.strip():
        raise DomainError(ErrorCode.INVALID, _("请说明修改原因。"), {"field": "note"})
    last = current_template(code)
    if last is None:
        raise DomainError(ErrorCode.NOT_FOUND, _("没有这个模板。"), status=404)
    try:
        content = report_templates.validate(yaml.safe_load(text), kind=last.kind)
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, report_templates.TemplateError) as exc:
        raise DomainError(ErrorCode.INVALID, _("模板有误：%(error)s") % {"error": exc}, {"field": "text"})
    if last.content_sha == defs.sha(content):
        raise DomainError(ErrorCode.CONFLICT, _("模板没有变化。"), status=409)
    return _add_template_version(
        code, text.strip() + "\n", content, origin="edit", note=note.strip()[:255], acting_user=acting_user
    )


# ---- snapshots ---------------------------------------------------------------------------------------------------


def city_names() -> dict[str, str]:
    from kechuang.registry.models import Region

    return dict(Region.objects.filter(level=Region.Level.CITY).values_list("code", "name"))


def compute_payload(
    year: int, *, as_of: dt.date | None = None, cities: bool = True, trend_years: int = 5, progress=None
) -> dict:
    """Everything the dashboard and the reports show for `year`: the KPIs (province, with every city and month),
    the modules' figures for the province (with a trend over `trend_years` years) and, when `cities`, for each
    city. A report alone needs neither the cities nor the trend."""
    from kechuang.kpi import headlines

    as_of = as_of or timezone.localdate()
    ensure_definitions()
    names = city_names()
    kpis = [compute_kpi(d, as_of, names) for d in current_definitions(as_of)]
    steps = 2 + (len(names) if cities else 0)
    if progress:
        progress(1, steps, _("指标已计算"))
    trend = headlines.trend(year=year, years=trend_years)
    modules = {"": trend[-1]["modules"]}
    if progress:
        progress(2, steps, _("全区各模块数据已计算"))
    if cities:
        for i, code in enumerate(sorted(names), start=3):
            modules[code] = headlines.collect(year=year, city=code)
            if progress:
                progress(i, steps, _("%(city)s数据已计算") % {"city": names[code]})
    return {
        "year": year,
        "as_of": as_of.isoformat(),
        "kpis": kpis,
        "modules": modules,
        "trend": [
            {
                "year": t["year"],
                "figures": {
                    f"{m['module']}.{f['key']}": f["value"] for m in t["modules"] for f in m["figures"]
                },
            }
            for t in trend
        ],
        "cities": names,
    }


def do_refresh_snapshot(year: int, *, job=None, progress=None) -> Snapshot:
    """Compute and store a snapshot (no user: the figures belong to nobody; the job records who asked)."""
    started = time.perf_counter()
    payload = compute_payload(year, progress=progress)
    snapshot = Snapshot.objects.create(
        year=year,
        payload=payload,
        computed_at=timezone.now(),
        duration_ms=int((time.perf_counter() - started) * 1000),
        definitions={k["code"]: k["version"] for k in payload["kpis"]},
        job=job,
    )
    # keep the last few per year: pages read the newest, history lives in the definitions and the audit log
    old = Snapshot.objects.filter(year=year).order_by("-computed_at", "-id").values_list("id", flat=True)[5:]
    Snapshot.objects.filter(id__in=list(old)).delete()
    return snapshot


def latest_snapshot(year: int) -> Snapshot | None:
    return Snapshot.objects.filter(year=year).order_by("-computed_at", "-id").first()


def request_refresh(year: int, *, acting_user=None):
    """Queue a refresh unless one for the year is already waiting or running."""
    from kechuang.jobs.models import Job
    from kechuang.jobs.queue import enqueue

    waiting = Job.objects.filter(
        kind=REFRESH_KIND, status__in=[Job.Status.QUEUED, Job.Status.RUNNING], params__year=year
    ).first()
    if waiting is not None:
        return waiting
    return enqueue(
        REFRESH_KIND,
        params={"year": year},
        label=_("科创指标快照 %(year)s") % {"year": year},
        acting_user=acting_user,
    )


def fresh_snapshot(year: int) -> Snapshot:
    """The newest snapshot for `year`, never older than the stated maximum age: computed now if none is young
    enough; a refresh is queued when the newest one is past half its age, so a worker usually gets there first."""
    snapshot = latest_snapshot(year)
    now = timezone.now()
    if snapshot is None or now - snapshot.computed_at > max_age():
        return do_refresh_snapshot(year)
    if now - snapshot.computed_at > max_age() / 2:
        request_refresh(year)
    return snapshot
