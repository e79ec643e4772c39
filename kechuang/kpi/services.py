"""Writes of the KPI module: definition and template versions (audited), snapshots (by the jobs queue).

Freshness: a request never computes a snapshot (30–60 s with a million enterprises). `page_snapshot` serves the
newest one whatever its age and, once it is past half of `settings.KECHUANG_KPI_MAX_AGE_SECONDS` (or when there is
none yet), queues one `kpi.refresh` job for the year on the platform's job queue — deduplicated: while one is
queued or running, every page follows that one. The pages say when their figures were computed, warn when they are
older than the stated interval, and show the refresh's progress; a year never computed shows "being computed"
with the progress instead of figures. `manage.py kpi_refresh` (cron) and the worker keep them young.
"""

import datetime as dt
import time
from typing import NamedTuple

import yaml
from django.conf import settings
from django.db import connection, transaction
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
    """{code: name} of the cities (reference data: read once a minute, not on every page)."""
    from django.core.cache import cache

    from kechuang.registry.models import Region

    return cache.get_or_set(
        "kpi:city_names",
        lambda: dict(Region.objects.filter(level=Region.Level.CITY).values_list("code", "name")),
        60,
    )


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
    current = current_definitions(as_of)
    steps = len(current) + 1 + (len(names) if cities else 0)
    kpis = []
    for i, d in enumerate(current, start=1):
        kpis.append(compute_kpi(d, as_of, names))
        if progress:
            progress(i, steps, _("已计算指标：%(name)s") % {"name": d.name})
    trend = headlines.trend(year=year, years=trend_years)
    modules = {"": trend[-1]["modules"]}
    if progress:
        progress(len(current) + 1, steps, _("全区各模块数据已计算"))
    if cities:
        for i, code in enumerate(sorted(names), start=len(current) + 2):
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


# a failed refresh is not queued again by page views before this long (the page shows the failure meanwhile)
RETRY_AFTER_FAILURE = dt.timedelta(minutes=5)
_LOCK_NAMESPACE = 17_0001  # pg_advisory_xact_lock(namespace, year): one refresh queued per year at a time


def _lock_year(year: int) -> None:
    """Serialise "is a refresh waiting? if not, queue one" per year. PostgreSQL: a transaction-scoped advisory
    lock. SQLite: nothing to do — its transactions begin IMMEDIATE (config/settings.py), so they already run one
    at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, year])


def refresh_job(year: int):
    """The newest refresh job of the year (queued, running or finished), or None."""
    from kechuang.jobs.models import Job

    return Job.objects.filter(kind=REFRESH_KIND, params__year=year).order_by("-created_at", "-id").first()


@transaction.atomic
def request_refresh(year: int, *, acting_user=None, force: bool = False):
    """Queue a refresh of the year's snapshot unless one is already queued or running (then return that one).
    A refresh that failed less than `RETRY_AFTER_FAILURE` ago is returned as it is, so page views do not queue a
    failing computation again and again; `force` (an official's "recompute now") queues it anyway."""
    from kechuang.jobs.models import Job
    from kechuang.jobs.queue import enqueue

    _lock_year(year)
    last = refresh_job(year)
    if last is not None and last.status in (Job.Status.QUEUED, Job.Status.RUNNING):
        return last
    if (
        not force
        and last is not None
        and last.status == Job.Status.FAILED
        and last.finished_at
        and timezone.now() - last.finished_at < RETRY_AFTER_FAILURE
    ):
        return last
    return enqueue(
        REFRESH_KIND,
        params={"year": year},
        label=_("科创指标快照 %(year)s") % {"year": year},
        acting_user=acting_user,
    )


class PageSnapshot(NamedTuple):
    """What a page shows: the newest snapshot (None before the first one), its age, whether it is older than the
    stated interval, and the refresh job under way (or the last one, when it failed), if any."""

    snapshot: Snapshot | None
    age: dt.timedelta | None
    stale: bool
    job: object | None


def page_snapshot(year: int) -> PageSnapshot:
    """The newest snapshot of `year` for a page, never computed in the request: past half its age (or when there is
    none) one refresh is queued on the job queue; the page shows the age and the refresh's progress."""
    from kechuang.jobs.models import Job

    snapshot = latest_snapshot(year)
    age = timezone.now() - snapshot.computed_at if snapshot is not None else None
    job = None
    if age is None or age > max_age() / 2:
        job = request_refresh(year)
    else:
        last = refresh_job(year)  # e.g. an official's "recompute now"
        if last is not None and last.status in (Job.Status.QUEUED, Job.Status.RUNNING):
            job = last
    if job is not None and job.status == Job.Status.SUCCEEDED:
        job = None
    return PageSnapshot(snapshot, age, age is None or age > max_age(), job)
