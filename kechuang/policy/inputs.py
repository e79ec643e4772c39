"""Engine inputs from the database: indicators, organisation facts, certifications and the payment ledger.

The batch loader builds NumPy arrays for many organisations; the calculator uses the same loader for one
organisation, so the calculator's preview and the payout compute from identical inputs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.utils.translation import gettext as _

from kechuang.policy.engine.policy import row_inputs  # noqa: F401  (re-exported for callers)
from kechuang.policy.engine.variables import ANY_SOURCE, VARIABLES, accepted_sources
from kechuang.registry.models import (
    Certification,
    CertificationKind,
    IndicatorSource,
    IndicatorValue,
    Organisation,
    OrganisationKind,
)

FINANCIAL_KINDS = (
    OrganisationKind.BANK,
    OrganisationKind.INSURER,
    OrganisationKind.GUARANTOR,
    OrganisationKind.FUND_MANAGER,
)
# The super-deduction's negative list (财税〔2015〕119号 第四条), by GB/T 4754 code: tobacco manufacturing (16),
# hospitality and catering (section H), wholesale and retail (F), real estate (K), leasing and business services (L)
# and entertainment — division 90 only, not all of section R (culture, sport, news and publishing are allowed).
# Whether an enterprise is on the list is decided by its main business (more than 50% of revenue, 2015年第97号
# 公告); the registered industry stands in for it only where that revenue split was not reported.
EXCLUDED_SECTIONS = {"F", "H", "K", "L"}
EXCLUDED_DIVISIONS = ("16", "90")


def full_years(start: dt.date, day: dt.date) -> int:
    """Complete years from `start` to `day` (a firm set up on 2023-07-01 is 0 full years old on 2024-06-30)."""
    years = day.year - start.year - ((day.month, day.day) < (start.month, start.day))
    return max(years, 0)


KIND_SCOPES = {
    "enterprise": (OrganisationKind.ENTERPRISE,),
    "financial_institution": FINANCIAL_KINDS,
    "fund_manager": (OrganisationKind.FUND_MANAGER,),
}
ORG_FIELDS = ("id", "kind", "size", "industry_id", "industry_section", "established_on", "city_id")


def kinds_for(policies) -> set[str]:
    kinds: set[str] = set()
    for policy in policies:
        if not policy.applies_to:
            return {k.value for k in OrganisationKind}
        for scope in policy.applies_to:
            kinds.update(KIND_SCOPES[scope])
    return kinds


@dataclass
class Population:
    """Organisations in a fixed order (by id) with their organisation-level facts as arrays."""

    ids: np.ndarray
    rows: list[tuple]

    @property
    def n(self) -> int:
        return len(self.ids)

    def index_of(self, org_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of `org_ids` in this population and a mask of those that belong to it."""
        pos = np.searchsorted(self.ids, org_ids)
        pos = np.clip(pos, 0, max(self.n - 1, 0))
        ok = (self.ids[pos] == org_ids) if self.n else np.zeros(len(org_ids), dtype=bool)
        return pos, ok


def population(queryset=None, kinds=None) -> Population:
    qs = Organisation.objects.filter(is_active=True) if queryset is None else queryset
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    rows = list(qs.order_by("id").values_list(*ORG_FIELDS))
    return Population(np.array([r[0] for r in rows], dtype=np.int64), rows)


def load_inputs(
    pop: Population,
    year: int,
    keys: set[tuple[str, int]],
    sources: dict | None = None,
    *,
    authoritative: bool = True,
    cache: dict | None = None,
) -> dict:
    """{(name, offset): (values int64[n], present bool[n])} for every key the policies need.

    With `authoritative` (rules that pay money), an indicator value counts only if its source is one the variable
    accepts (`engine.variables.ACCEPTED_SOURCES`); any other figure is treated as missing. Without it (estimates,
    self-checks, the calculator's "if confirmed" preview) every current figure counts.
    For a few organisations, `sources` (if given) receives {(name, offset): "<source> · <date>"} for the trace.
    `cache`: pass the same dict to several loads of the same organisations and year (the calculator loads the
    figures twice, as accepted for payouts and as reported): organisation facts and indicator rows are read once
    (load the larger set of keys first)."""
    n = pop.n
    data = {}
    org_keys = [k for k in keys if VARIABLES[k[0]].source in ("organisation", "certification")]
    if org_keys:
        names = {k[0] for k in org_keys}
        facts = cache.get("facts") if cache is not None else None
        if facts is None or not all((name, 0) in facts for name in names):
            facts = _organisation_facts(pop, year, names)
            if cache is not None:
                cache["facts"] = facts
        data.update({k: v for k, v in facts.items() if k[0] in names})
    wanted = [(name, offset) for name, offset in keys if VARIABLES[name].source == "indicator"]
    for key in wanted:
        data[key] = (np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool))

    def accepts(name):
        return accepted_sources(name) if authoritative else ANY_SOURCE

    labels = dict(IndicatorSource.choices)
    if n <= 1000 and wanted:
        # a few organisations (the calculator): one query for every indicator and year
        by_year = {(name, year + offset): (name, offset) for name, offset in wanted}
        names, years = {name for name, _ in wanted}, {y for _, y in by_year}
        held = cache.get("rows") if cache is not None else None
        if held is not None and names <= held[0] and years <= held[1]:
            rows = held[2]
        else:
            rows = list(
                IndicatorValue.objects.filter(
                    organisation_id__in=[int(i) for i in pop.ids],
                    is_current=True,
                    indicator_id__in=names,
                    year__in=years,
                ).values_list("organisation_id", "indicator_id", "year", "value", "source", "recorded_at")
            )
            if cache is not None:
                cache["rows"] = (names, years, rows)
        for org_id, indicator_id, y, value, source, recorded_at in rows:
            key = by_year.get((indicator_id, y))
            if key is None:
                continue
            accepted = source in accepts(indicator_id)
            if sources is not None and n == 1:
                label = f"{labels.get(source, source)} · {recorded_at:%Y-%m-%d}"
                sources[key] = label if accepted else _("%(label)s（未经确认，不计入）") % {"label": label}
            if not accepted:
                continue
            pos, ok = pop.index_of(np.array([org_id], dtype=np.int64))
            if ok[0]:
                data[key][0][pos[0]] = value
                data[key][1][pos[0]] = True
        return {k: v for k, v in data.items() if k in keys}
    table = IndicatorValue._meta.db_table
    for name, offset in wanted:
        values, present = data[(name, offset)]
        allowed = list(accepts(name))
        if not allowed:
            continue
        # plain SQL and fetchall: for 100,000 rows the ORM's per-row converters cost more than the query
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT organisation_id, value FROM {connection.ops.quote_name(table)} "
                "WHERE indicator_id = %s AND year = %s AND is_current = %s "
                f"AND source IN ({', '.join(['%s'] * len(allowed))})",
                [name, year + offset, True, *allowed],
            )
            pairs = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 2)
        if len(pairs):
            pos, ok = pop.index_of(pairs[:, 0])
            values[pos[ok]] = pairs[ok, 1]
            present[pos[ok]] = True
    return {k: v for k, v in data.items() if k in keys}


def _organisation_facts(pop: Population, year: int, names: set[str]) -> dict:
    n = pop.n
    year_end, year_start = dt.date(year, 12, 31), dt.date(year, 1, 1)
    yes = np.ones(n, dtype=bool)
    kind = np.array([r[1] for r in pop.rows], dtype=object) if n else np.array([], dtype=object)
    out = {}

    def flag(mask, present=None):
        return (np.asarray(mask, dtype=np.int64), yes if present is None else present)

    if "is_enterprise" in names:
        out[("is_enterprise", 0)] = flag(kind == "enterprise")
    if "is_financial_institution" in names:
        out[("is_financial_institution", 0)] = flag(np.isin(kind, [str(k) for k in FINANCIAL_KINDS]))
    if "is_fund_manager" in names:
        out[("is_fund_manager", 0)] = flag(kind == "fund_manager")
    if "above_scale" in names:
        out[("above_scale", 0)] = flag([r[2] == "above" for r in pop.rows])
    if names & {"is_manufacturing", "excluded_industry"}:
        known = np.array([bool(r[4]) for r in pop.rows], dtype=bool)
        out[("is_manufacturing", 0)] = flag([r[4] == "C" for r in pop.rows], known)
        out[("excluded_industry", 0)] = flag(
            [r[4] in EXCLUDED_SECTIONS or str(r[3] or "").startswith(EXCLUDED_DIVISIONS) for r in pop.rows],
            known,
        )
    if names & {"org_age_years", "org_age_days"}:
        known = np.array([r[5] is not None for r in pop.rows], dtype=bool)
        out[("org_age_years", 0)] = (
            np.array([full_years(r[5], year_end) if r[5] else 0 for r in pop.rows], dtype=np.int64),
            known,
        )
        out[("org_age_days", 0)] = (
            np.array([max((year_end - r[5]).days, 0) if r[5] else 0 for r in pop.rows], dtype=np.int64),
            known,
        )
    cert_names = names & {
        "is_hightech",
        "is_gazelle",
        "gazelle_year",
        "is_tech_sme",
        "hightech_new",
        "hightech_renewed",
    }
    if cert_names:
        flags = {name: np.zeros(n, dtype=np.int64) for name in cert_names}
        certs = Certification.objects.filter(valid_from__lte=year_end, valid_to__gte=year_start)
        if n <= 1000:
            certs = certs.filter(organisation_id__in=[int(i) for i in pop.ids])
        rows = list(certs.values_list("organisation_id", "kind", "valid_from", "valid_to"))
        earlier_hightech = set()
        if cert_names & {"hightech_new", "hightech_renewed"}:
            earlier = Certification.objects.filter(
                kind=CertificationKind.HIGH_TECH, valid_from__lt=year_start
            )
            if n <= 1000:
                earlier = earlier.filter(organisation_id__in=[int(i) for i in pop.ids])
            earlier_hightech = set(earlier.values_list("organisation_id", flat=True))
        if rows:
            org_ids = np.array([r[0] for r in rows], dtype=np.int64)
            pos, ok = pop.index_of(org_ids)
            for (org_id, ckind, start, end), p, good in zip(rows, pos, ok, strict=True):
                if not good:
                    continue
                at_end = start <= year_end <= end
                if ckind == CertificationKind.HIGH_TECH:
                    if "is_hightech" in flags and at_end:
                        flags["is_hightech"][p] = 1
                    if start >= year_start:
                        key = "hightech_renewed" if org_id in earlier_hightech else "hightech_new"
                        if key in flags:
                            flags[key][p] = 1
                elif ckind == CertificationKind.GAZELLE and at_end:
                    if "is_gazelle" in flags:
                        flags["is_gazelle"][p] = 1
                    if "gazelle_year" in flags:
                        flags["gazelle_year"][p] = max(int(flags["gazelle_year"][p]), year - start.year + 1)
                elif ckind == CertificationKind.TECH_SME and "is_tech_sme" in flags:
                    flags["is_tech_sme"][p] = 1
        for name, values in flags.items():
            out[(name, 0)] = (values, yes)
    return out


def paid_before(pop: Population, policy_code: str, year: int) -> tuple[np.ndarray, np.ndarray]:
    """1 where the organisation has a payment under this policy for an earlier period (one-off rewards)."""
    from kechuang.policy.models import Payment

    values = np.zeros(pop.n, dtype=np.int64)
    ids = Payment.objects.filter(candidate__policy_code=policy_code, candidate__round__year__lt=year)
    if pop.n <= 1000:
        ids = ids.filter(organisation_id__in=[int(i) for i in pop.ids])
    org_ids = np.array(list(ids.values_list("organisation_id", flat=True)), dtype=np.int64)
    if len(org_ids):
        pos, ok = pop.index_of(org_ids)
        values[pos[ok]] = 1
    return values, np.ones(pop.n, dtype=bool)
