"""Record sources a KPI definition may count, and how apps plug in their own.

A *source* names a set of platform records and says, for each record, the date it counts on, the city it counts
for, and why it counts. A KPI definition (YAML) picks a source and fills its parameters; nothing else decides what
is counted. Two shapes:

* an **event** source (`EventSource`): each record counts once, on its date (a contract signed, a certificate
  first issued). Counted with one grouped query; the drill-down pages through the same query.
* a **stock** source (`StockSource`): records are validity intervals (a certificate valid from … to …); a net KPI
  counts the holders on a date minus the holders on the baseline date, and its drill-down lists who came in (+1)
  and who went out (−1).

Apps plug in by exposing `KPI_SOURCES` (a list of sources) in their `stats.py`; `all_sources()` collects them from
every installed `kechuang.*` app. A definition naming a source no installed app provides is shown as "not
computable: source not installed", never as zero.
"""

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "bool" | "int" | "choices" (a list drawn from `choices`)
    choices: tuple = ()
    default: object = None
    # how the definition pages name it and its choices (see `kpi.describe`, which also knows the shipped ones)
    label: object = ""
    choice_labels: Callable[[], dict] | None = None

    def check(self, value):
        """The value, validated; raises ValueError with a readable message."""
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise ValueError(f"{self.name}: true or false")
            return value
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{self.name}: a non-negative integer")
            return value
        if self.kind == "choices":
            if not isinstance(value, list) or not value:
                raise ValueError(f"{self.name}: a non-empty list")
            unknown = [v for v in value if v not in self.choices]
            if unknown:
                raise ValueError(f"{self.name}: unknown {unknown}; allowed {list(self.choices)}")
            return value
        raise ValueError(f"{self.name}: unknown parameter kind {self.kind}")


@dataclass(frozen=True)
class EventSource:
    name: str
    label: object
    model: str  # app_label.Model, for the record links and the annex
    queryset: Callable[[dict], QuerySet]  # params -> records (every record that counts, any date, any city)
    date_field: str
    city_field: str
    fields: tuple  # values() of each record, for the drill-down and its explanation
    explain: Callable[[dict, dict], str]  # (record values, params) -> why it counts
    link: Callable[[dict], str | None] = lambda row: None
    params: tuple = ()
    value_field: str = ""  # summed instead of counted when set (a money KPI)
    # a record that carries only a year (date_field then names that year): it counts on 1 January of it
    year_only: bool = False
    kind: str = field(default="event", init=False)

    def records(self, params: dict, start: dt.date, end: dt.date, city: str | None = None) -> QuerySet:
        if self.year_only:
            first = start.year if (start.month, start.day) == (1, 1) else start.year + 1
            qs = self.queryset(params).filter(
                **{f"{self.date_field}__gte": first, f"{self.date_field}__lte": end.year}
            )
        else:
            qs = self.queryset(params).filter(
                **{f"{self.date_field}__gte": start, f"{self.date_field}__lte": end}
            )
        if city:
            qs = qs.filter(**{self.city_field: city})
        return qs


@dataclass(frozen=True)
class StockSource:
    name: str
    label: object
    model: str
    # (params, start, end) -> rows (key, city, valid_from, valid_to, label, extra) of intervals overlapping [start, end]
    intervals: Callable[[dict, dt.date, dt.date], Iterable[tuple]]
    explain_in: Callable[[tuple], str]
    explain_out: Callable[[tuple], str]
    link: Callable[[tuple], str | None] = lambda row: None
    params: tuple = ()
    kind: str = field(default="stock", init=False)


def check_params(source, params: dict) -> dict:
    """The definition's parameters, validated against what the source accepts, defaults filled in."""
    known = {p.name: p for p in source.params}
    unknown = set(params) - set(known)
    if unknown:
        raise ValueError(f"unknown parameters {sorted(unknown)} for source {source.name}")
    out = {}
    for name, p in known.items():
        out[name] = p.check(params[name]) if name in params else p.default
    return out


# ---- the sources the platform's own apps provide ------------------------------------------------------------------


def _org_link(row) -> str | None:
    org = row.get("organisation_id") or row.get("unit_id") or row.get("seller_id")
    return reverse("registry:organisation_detail", args=[org]) if org else None


def _hightech_records(params):
    from kechuang.registry.models import Certification, CertificationKind

    qs = Certification.objects.filter(kind=CertificationKind.HIGH_TECH)
    if params.get("first_only"):
        earlier = Certification.objects.filter(
            organisation_id=OuterRef("organisation_id"),
            kind=CertificationKind.HIGH_TECH,
            valid_from__lt=OuterRef("valid_from"),
        )
        qs = qs.filter(~Exists(earlier))
    return qs.order_by("valid_from", "id")


def _hightech_explain(row, params) -> str:
    text = _("高新技术企业证书 %(number)s，%(start)s 起有效") % {
        "number": row["number"] or "—",
        "start": row["valid_from"],
    }
    if params.get("first_only"):
        text += _("；此前该企业没有高新技术企业证书，属首次认定")
    return text


def _hightech_intervals(params, start, end):
    from kechuang.registry.models import Certification, CertificationKind

    return Certification.objects.filter(
        kind=CertificationKind.HIGH_TECH, valid_to__gte=start, valid_from__lte=end
    ).values_list(
        "organisation_id", "organisation__city_id", "valid_from", "valid_to", "organisation__name", "number"
    )


def _contract_records(params):
    from kechuang.techmarket.models import TechContract

    qs = TechContract.objects.filter(kind__in=params["kinds"])
    if params.get("min_amount_fen"):
        qs = qs.filter(amount_fen__gte=params["min_amount_fen"])
    return qs.order_by("signed_on", "id")


def _contract_explain(row, params) -> str:
    from kechuang.money import wan_text
    from kechuang.techmarket.models import ContractKind

    return _(
        "%(kind)s合同，登记编号 %(number)s，%(date)s 签订，金额 %(amount)s 万元；合同类型属于本指标计入的类型"
    ) % {
        "kind": dict(ContractKind.choices).get(row["kind"], row["kind"]),
        "number": row["registration_number"],
        "date": row["signed_on"],
        "amount": wan_text(row["amount_fen"]),
    }


def _project_records(params):
    from kechuang.projects.models import Application

    return Application.objects.filter(
        call__line__kind__in=params["lines"], status__in=params["statuses"]
    ).order_by("call__deadline", "id")


def _project_explain(row, params) -> str:
    from kechuang.projects.models import ApplicationStatus, LineKind

    return _("%(line)s项目（%(call)s），状态：%(status)s；按申报指南截止日 %(date)s 计入") % {
        "line": dict(LineKind.choices).get(row["call__line__kind"], row["call__line__kind"]),
        "call": row["call__name"],
        "status": dict(ApplicationStatus.choices).get(row["status"], row["status"]),
        "date": row["call__deadline"],
    }


def _projects_choices():
    from kechuang.projects.models import ApplicationStatus, LineKind

    return tuple(LineKind.values), tuple(ApplicationStatus.values)


def _contract_kinds():
    from kechuang.techmarket.models import ContractKind

    return tuple(ContractKind.values)


def _platform_records(params):
    from kechuang.platforms.models import Platform

    return Platform.objects.filter(level="national", is_active=True).order_by("approved_year", "id")


def _platform_explain(row, params) -> str:
    return _(
        "国家级创新平台，%(year)s 年批准（%(doc)s），依托单位 %(host)s；平台只记录批准年份，按该年1月计入"
    ) % {
        "year": row["approved_year"],
        "doc": row["approval_document"] or "—",
        "host": row["host_name"],
    }


def _talent_records(params):
    from kechuang.talent.models import TalentApplication

    return TalentApplication.objects.filter(
        status__in=["recognised", "left"], level__in=params["levels"], recognised_on__isnull=False
    ).order_by("recognised_on", "id")


def _talent_explain(row, params) -> str:
    text = _("%(level)s类高层次人才，%(date)s 认定，证书 %(number)s") % {
        "level": row["level"],
        "date": row["recognised_on"],
        "number": row["certificate_no"] or "—",
    }
    if row["status"] == "left":
        text += _("；已离职（离桂），引育数仍计入")
    return text


def _talent_people(params):
    """Each person once, on the first date they became a high-level talent in one of the counted ways: recognised
    in a counted category (A–E), or (when `bagui`) appointed 八桂学者 on a post of a counted field — a person who is
    both counts once, on the earlier date, for the city of that record's employer (or post's unit)."""
    from django.db.models import Case, DateField, F, OuterRef, Subquery, Value, When
    from django.db.models.functions import Coalesce, Least

    from kechuang.talent.models import BaguiAppointment, Person, TalentApplication

    recognised = TalentApplication.objects.filter(
        person=OuterRef("pk"),
        status__in=("recognised", "left"),
        level__in=params["levels"],
        recognised_on__isnull=False,
    ).order_by("recognised_on", "id")
    scholar = BaguiAppointment.objects.filter(
        person=OuterRef("pk"),
        state__in=("contracted", "completed", "stopped"),
        contract_start__isnull=False,
        post__field__in=params["bagui_fields"] or ["-"],
    ).order_by("contract_start", "id")
    no_date = Value(None, output_field=DateField())
    qs = Person.objects.annotate(
        kpi_recognised=Subquery(recognised.values("recognised_on")[:1]),
        kpi_scholar=Subquery(scholar.values("contract_start")[:1]) if params["bagui"] else no_date,
    ).annotate(
        # Least() of a date and NULL is NULL on some databases: coalesce each side with the other first
        kpi_date=Least(Coalesce("kpi_recognised", "kpi_scholar"), Coalesce("kpi_scholar", "kpi_recognised"))
    )
    qs = qs.annotate(
        kpi_city=Case(
            When(kpi_date=F("kpi_recognised"), then=Subquery(recognised.values("employer__city_id")[:1])),
            default=Subquery(scholar.values("post__unit__city_id")[:1]),
        )
    )
    return qs.filter(kpi_date__isnull=False).order_by("kpi_date", "id")


def _talent_people_explain(row, params) -> str:
    parts = []
    if row.get("kpi_recognised"):
        parts.append(_("%(date)s 认定为高层次人才") % {"date": row["kpi_recognised"]})
    if row.get("kpi_scholar"):
        parts.append(_("%(date)s 起受聘八桂学者") % {"date": row["kpi_scholar"]})
    text = "；".join(parts)
    if len(parts) == 2:
        text += _("；同一人只计1个，按较早的日期计入")
    return text


def app_sources() -> list:
    """Sources over apps that may not be installed (the talent and platforms modules)."""
    out = []
    if apps.is_installed("kechuang.platforms"):
        out.append(
            EventSource(
                name="platforms.national_recognitions",
                label=gettext_lazy("国家级创新平台"),
                model="platforms.Platform",
                queryset=_platform_records,
                date_field="approved_year",
                year_only=True,
                city_field="host__city_id",
                fields=("id", "name", "kind", "host_id", "host_name", "approved_year", "approval_document"),
                explain=_platform_explain,
                link=lambda row: (
                    reverse("registry:organisation_detail", args=[row["host_id"]])
                    if row.get("host_id")
                    else None
                ),
            )
        )
    if apps.is_installed("kechuang.talent"):
        out.append(
            EventSource(
                name="talent.recognitions",
                label=gettext_lazy("高层次人才认定"),
                model="talent.TalentApplication",
                queryset=_talent_records,
                date_field="recognised_on",
                city_field="employer__city_id",
                fields=(
                    "id",
                    "employer_id",
                    "employer__name",
                    "level",
                    "status",
                    "recognised_on",
                    "certificate_no",
                ),
                explain=_talent_explain,
                link=lambda row: reverse("registry:organisation_detail", args=[row["employer_id"]]),
                params=(
                    Param(
                        "levels",
                        "choices",
                        choices=("A", "B", "C", "D", "E"),
                        default=["A", "B", "C", "D", "E"],
                    ),
                ),
            )
        )
        out.append(
            EventSource(
                name="talent.talents_and_scholars",
                label=gettext_lazy("高层次人才认定与八桂学者（按人计）"),
                model="talent.Person",
                queryset=_talent_people,
                date_field="kpi_date",
                city_field="kpi_city",
                fields=("id", "name", "kpi_recognised", "kpi_scholar", "kpi_date"),
                explain=_talent_people_explain,
                params=(
                    Param(
                        "levels",
                        "choices",
                        choices=("A", "B", "C", "D", "E"),
                        default=["A", "B", "C", "D", "E"],
                        label=gettext_lazy("计入的人才类别"),
                    ),
                    Param("bagui", "bool", default=True, label=gettext_lazy("计入八桂学者")),
                    Param(
                        "bagui_fields",
                        "choices",
                        choices=("natural", "social"),
                        default=["natural"],
                        label=gettext_lazy("计入的八桂学者类别"),
                        choice_labels=lambda: {"natural": _("自然科学类"), "social": _("社会科学类")},
                    ),
                ),
            )
        )
    return out


def builtin_sources() -> list:
    line_kinds, statuses = _projects_choices()
    return app_sources() + [
        EventSource(
            name="registry.hightech_recognitions",
            label=gettext_lazy("高新技术企业认定（证书）"),
            model="registry.Certification",
            queryset=_hightech_records,
            date_field="valid_from",
            city_field="organisation__city_id",
            fields=("id", "organisation_id", "organisation__name", "number", "valid_from", "valid_to"),
            explain=_hightech_explain,
            link=_org_link,
            params=(Param("first_only", "bool", default=True),),
        ),
        StockSource(
            name="registry.hightech_valid",
            label=gettext_lazy("有效高新技术企业证书（存量）"),
            model="registry.Certification",
            intervals=_hightech_intervals,
            explain_in=lambda r: (
                _("期初无有效证书，期末持有有效证书（%(number)s，%(start)s 至 %(end)s）")
                % {"number": r[5] or "—", "start": r[2], "end": r[3]}
            ),
            explain_out=lambda r: (
                _("期初持有有效证书（%(number)s，至 %(end)s），期末无有效证书")
                % {"number": r[5] or "—", "end": r[3]}
            ),
            link=lambda r: reverse("registry:organisation_detail", args=[r[0]]),
        ),
        EventSource(
            name="techmarket.contracts",
            label=gettext_lazy("登记的技术合同"),
            model="techmarket.TechContract",
            queryset=_contract_records,
            date_field="signed_on",
            city_field="city_id",
            fields=(
                "id",
                "seller_id",
                "seller__name",
                "registration_number",
                "kind",
                "title",
                "signed_on",
                "amount_fen",
            ),
            explain=_contract_explain,
            link=_org_link,
            params=(
                Param("kinds", "choices", choices=_contract_kinds(), default=list(_contract_kinds())),
                Param("min_amount_fen", "int", default=0),
            ),
        ),
        EventSource(
            name="projects.major_projects",
            label=gettext_lazy("自治区科技计划项目"),
            model="projects.Application",
            queryset=_project_records,
            date_field="call__deadline",
            city_field="unit__city_id",
            fields=(
                "id",
                "unit_id",
                "unit__name",
                "title",
                "status",
                "call__name",
                "call__deadline",
                "call__line__kind",
            ),
            explain=_project_explain,
            link=lambda row: reverse("projects:application", args=[row["id"]]),
            params=(
                Param("lines", "choices", choices=line_kinds, default=["major"]),
                Param("statuses", "choices", choices=statuses, default=["funded", "finished"]),
            ),
        ),
    ]


def plugin_modules() -> list:
    """The `stats` modules of installed kechuang apps (other than this one), where apps plug in."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("kechuang.") or config.name == "kechuang.kpi":
            continue
        try:
            found.append(importlib.import_module(f"{config.name}.stats"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.stats":
                raise
    return found


@cache
def all_sources() -> dict:
    sources = {s.name: s for s in builtin_sources()}
    for module in plugin_modules():
        for source in getattr(module, "KPI_SOURCES", ()):
            sources[source.name] = source
    return sources


def get_source(name: str):
    return all_sources().get(name)
