"""KPI figures (issue 17): the leaders' dashboard, the full annual report and the drill-down, on PostgreSQL with
1M enterprises, 100k market listings and 100k pledge loans (sizes from BENCH_KPI_* variables).

Data are written by COPY (`kechuang.db.insert_rows`) in chunks; ANALYZE afterwards, as autovacuum would.

    python -m bench.kpi                     # a scratch database BENCH_PG_URL (created and dropped)
    BENCH_KPI_KEEP=1 python -m bench.kpi    # keep it afterwards
    BENCH_KPI_REUSE=1 python -m bench.kpi   # measure again on a kept database (migrated, not regenerated)
    BENCH_KPI_ONLY=drill python -m bench.kpi   # the drill-down figures alone (with REUSE: a few minutes)

Figures:
* snapshot_seconds — the background refresh: every KPI per city and month, every module's figures for the
  province (five-year trend) and for each of the 14 cities;
* dashboard_* — server time of GET /kpi/ (reads the snapshot, renders), median and p95 of 30;
* report_* — the full annual reply: its figures computed afresh for the province (all KPIs, all modules; the
  trend charts are the dashboard's, not the report's), then filled in and written as Word and as PDF (the PDF
  embeds a subset of the CJK font: most of its time is fontTools reading the font);
* drill_* — GET /kpi/k/achievements_transferred/records/ (≥10k records counted) at the first, a middle and the
  last page, 50 rows a page.
"""

import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time

N_ORGS = int(os.environ.get("BENCH_KPI_ORGS", "1000000"))
N_LISTINGS = int(os.environ.get("BENCH_KPI_LISTINGS", "100000"))
N_LOANS = int(os.environ.get("BENCH_KPI_LOANS", "100000"))
N_CONTRACTS = int(os.environ.get("BENCH_KPI_CONTRACTS", "60000"))
N_CERTS = int(os.environ.get("BENCH_KPI_CERTS", "60000"))
CHUNK = 50_000
YEAR = 2019


def setup_django(pg_url: str):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["KECHUANG_DATA_DIR"] = tempfile.mkdtemp(prefix="kc-bench-kpi-")
    os.environ["DATABASE_URL"] = pg_url
    import django

    django.setup()


def recreate_pg_database(url: str):
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_pg_database(url: str):
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def copy_dicts(model, rows) -> int:
    """COPY plain dicts into `model`'s table; absent fields take their default (auto_now fields: now)."""
    from django.db import connection
    from django.utils import timezone

    from kechuang.db import insert_rows

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    names = [f.name for f in fields]

    def prepared(values: dict):
        out = []
        for f in fields:
            if f.attname in values:
                v = values[f.attname]
            elif f.name in values:
                v = values[f.name]
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                v = now
            else:
                v = f.get_default()
            out.append(f.get_db_prep_save(v, connection) if v is not None else None)
        return out

    total, batch = 0, []
    for values in rows:
        batch.append(prepared(values))
        if len(batch) >= CHUNK:
            total += insert_rows(model, names, batch)
            batch = []
    if batch:
        total += insert_rows(model, names, batch)
    return total


def rand_date(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def aware(day: dt.date):
    from django.utils import timezone

    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10))


def generate(rng) -> dict:
    from django.db import connection

    from kechuang.accounts.models import Role
    from kechuang.pledge.models import FinancingNeed, LoanApplication, LoanProduct, Patent, Pledge
    from kechuang.registry.models import Certification, Organisation, Region
    from kechuang.techmarket.models import Listing, TechContract
    from kechuang.testing import make_org, make_user

    counties = list(Region.objects.filter(level=Region.Level.COUNTY).values_list("code", "parent_id"))
    started = time.perf_counter()
    department = make_org("广西壮族自治区科学技术厅", kind="government", credit_code=None, industry=None)
    make_user("leader", org=department, role=Role.ADMIN)
    bank = make_org("桂林银行股份有限公司", kind="bank", industry=None)

    def orgs():
        for i in range(N_ORGS):
            region, city = counties[i % len(counties)]
            name = f"广西第{i}号科技有限公司"
            code = f"91{region}{i:010d}"
            yield {
                "credit_code": code,
                "name": name,
                "kind": "enterprise",
                "region_id": region,
                "city_id": city,
                "industry_section": "C",
                "size": "above" if i % 7 == 0 else "below",
                "search_text": f"{name} {code}".lower(),
                "is_active": True,
            }

    copy_dicts(Organisation, orgs())
    low = Organisation.objects.filter(kind="enterprise").order_by("id").values_list("id", flat=True).first()
    ids = range(low, low + N_ORGS)
    seconds = {"organisations": round(time.perf_counter() - started, 1)}

    started = time.perf_counter()
    chosen = rng.sample(ids, N_CERTS)
    copy_dicts(
        Certification,
        (
            {
                "organisation_id": org,
                "kind": "hightech",
                "number": f"GR{n:010d}",
                "valid_from": (s := rand_date(rng, dt.date(2015, 1, 1), dt.date(2025, 12, 31))),
                "valid_to": s + dt.timedelta(days=3 * 365 - 1),
            }
            for n, org in enumerate(chosen)
        ),
    )
    user_id = department.users.first().pk if department.users.exists() else None
    from kechuang.accounts.models import User

    user_id = User.objects.get(username="leader").pk
    copy_dicts(
        Listing,
        (
            {
                "kind": rng.choice(["achievement", "demand"]),
                "owner_id": rng.choice(ids),
                "created_by_id": user_id,
                "status": "published",
                "original_language": "zh-hans",
                "trl": 5,
                "transfer_mode": "transfer",
                "country": "CN",
                "fingerprint": f"{n:064d}",
                "published_at": aware(rand_date(rng, dt.date(2016, 1, 1), dt.date(2026, 6, 30))),
            }
            for n in range(N_LISTINGS)
        ),
    )
    city_of = dict(Organisation.objects.filter(id__in=ids[:1]).values_list("id", "city_id"))  # warm

    def contracts():
        for n in range(N_CONTRACTS):
            seller = rng.choice(ids)
            region, city = counties[(seller - low) % len(counties)]
            amount = rng.randrange(1, 500) * 100_000
            yield {
                "registration_number": f"C{n:012d}",
                "kind": rng.choice(["transfer", "licensing", "development", "consulting", "service"]),
                "title": f"技术合同{n}",
                "seller_id": seller,
                "buyer_name": "买方",
                "buyer_country": "CN",
                "amount_fen": amount,
                "tech_income_fen": amount,
                "signed_on": rand_date(rng, dt.date(2016, 1, 1), dt.date(2026, 6, 30)),
                "city_id": city,
                "registered_by_id": user_id,
            }

    copy_dicts(TechContract, contracts())
    seconds["market"] = round(time.perf_counter() - started, 1)

    started = time.perf_counter()
    product = LoanProduct.objects.create(
        bank=bank, min_amount_fen=10**6, max_amount_fen=10**10, max_term_months=36, rate_bp=385
    )
    need = FinancingNeed.objects.create(
        enterprise_id=low, amount_fen=10**8, term_months=12, purpose="bench", created_by_id=user_id
    )
    borrowers = [rng.choice(ids) for _ in range(N_LOANS)]
    copy_dicts(
        Patent,
        (
            {
                "owner_id": borrowers[n],
                "application_number": f"{2010 + n % 10}1{n:07d}.X",
                "patent_type": "invention",
                "title": f"专利{n}",
                "filing_date": dt.date(2010 + n % 10, 1, 1),
                "grant_date": dt.date(2012 + n % 10, 1, 1),
                "expiry_date": dt.date(2030 + n % 10, 1, 1),
                "legal_status": "valid",
            }
            for n in range(N_LOANS)
        ),
    )
    first_patent = Patent.objects.order_by("id").values_list("id", flat=True).first()
    registered = [rand_date(rng, dt.date(2016, 1, 1), dt.date(2026, 6, 30)) for _ in range(N_LOANS)]
    copy_dicts(
        LoanApplication,
        (
            {
                "need_id": need.pk,
                "product_id": product.pk,
                "enterprise_id": borrowers[n],
                "bank_id": bank.pk,
                "cooperation_model": "bank",
                "amount_fen": 5 * 10**7,
                "term_months": 12,
                "status": "disbursed",
                "approved_amount_fen": 5 * 10**7,
                "rate_bp": 385,
                "approved_on": registered[n],
                "registration_number": f"R{n:010d}",
                "registered_on": registered[n],
                "disbursed_on": registered[n],
                "balance_fen": 5 * 10**7,
            }
            for n in range(N_LOANS)
        ),
    )
    first_loan = LoanApplication.objects.order_by("id").values_list("id", flat=True).first()
    copy_dicts(
        Pledge,
        (
            {
                "application_id": first_loan + n,
                "patent_id": first_patent + n,
                "registration_number": f"R{n:010d}",
                "registered_on": registered[n],
                "active": True,
            }
            for n in range(N_LOANS)
        ),
    )
    seconds["pledge"] = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    del city_of
    return seconds


CPU_MS: list[
    float
] = []  # the server process's CPU time of each timed request (less sensitive to machine load)


def timed(client, url, samples) -> list[float]:
    out = []
    CPU_MS.clear()
    for _ in range(samples):
        started, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        out.append((time.perf_counter() - started) * 1000)
        CPU_MS.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out


def summary(prefix: str, timings: list[float]) -> dict:
    timings = sorted(timings)
    return {
        f"{prefix}_median_ms": round(statistics.median(timings), 1),
        f"{prefix}_p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
    }


def measure() -> dict:
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from kechuang.accounts.models import User
    from kechuang.kpi import reports, services
    from kechuang.kpi.models import Snapshot
    from kechuang.kpi.views import build_report

    setup_test_environment()
    result = {}
    services.ensure_definitions()
    services.ensure_templates()
    client = Client()
    client.force_login(User.objects.get(username="leader"))
    if os.environ.get("BENCH_KPI_ONLY") == "drill":
        return measure_drill(client)
    started = time.perf_counter()
    snapshot = services.do_refresh_snapshot(YEAR)
    result["snapshot_seconds"] = round(time.perf_counter() - started, 1)
    k = next(k for k in snapshot.payload["kpis"] if k["code"] == "achievements_transferred")
    result["drill_records_counted"] = k["counted"]

    client.get(f"/kpi/?year={YEAR}")
    result.update(summary("dashboard", timed(client, f"/kpi/?year={YEAR}", 30)))
    result.update(summary("dashboard_city", timed(client, f"/kpi/?year={YEAR}&city=450200", 10)))

    # the full annual reply: figures computed afresh for the province, filled in, Word and PDF
    started = time.perf_counter()
    payload = services.compute_payload(YEAR, cities=False, trend_years=1)
    computed = time.perf_counter() - started
    fresh = Snapshot(year=YEAR, payload=payload, computed_at=timezone.now())
    template = services.current_template("annual_reply")
    doc = build_report(template, fresh, params={}, city=None)
    docx, pdf = reports.report_docx(doc), reports.report_pdf(doc)
    result["report_figures_seconds"] = round(computed, 1)
    result["report_total_seconds"] = round(time.perf_counter() - started, 1)
    result["report_docx_kb"] = len(docx) // 1024
    result["report_pdf_kb"] = len(pdf) // 1024
    started = time.perf_counter()
    client.get(f"/kpi/reports/annual_reply.docx?year={YEAR}")
    result["report_from_snapshot_ms"] = round((time.perf_counter() - started) * 1000, 1)

    result.update(measure_drill(client))
    return result


def measure_drill(client) -> dict:
    """The records behind achievements_transferred (2018–2020, ≥10k): the first, a middle and the last page, and
    the next page reached by its link (keyset: after the last record shown)."""
    import re

    from kechuang.kpi import compute, services

    definition = next(d for d in services.current_definitions() if d.code == "achievements_transferred")
    counted = compute.event_records(definition.content, dt.date.today(), city=None, month=None).count()
    pages = max(1, -(-counted // 50))
    url = "/kpi/k/achievements_transferred/records/"
    result = {"drill_records_counted": counted, "drill_pages": pages}
    client.get(url)
    for name, page in (("first", 1), ("middle", pages // 2 or 1), ("last", pages)):
        result.update(summary(f"drill_{name}_page", timed(client, f"{url}?page={page}", 20)))
        result[f"drill_{name}_page_cpu_median_ms"] = round(statistics.median(CPU_MS), 1)
    # the "next page" link as a reader follows it, from the middle page
    middle = client.get(f"{url}?page={pages // 2 or 1}").content.decode()
    found = re.search(r'rel="next" href="([^"]+)"', middle)
    if found:
        next_url = url + found.group(1).replace("&amp;", "&")
        result.update(summary("drill_next_link", timed(client, next_url, 20)))
        result["drill_next_link_cpu_median_ms"] = round(statistics.median(CPU_MS), 1)
    result["load_average_drill"] = os.getloadavg()[0]
    return result


def run_one(pg_url: str) -> dict:
    reuse = bool(os.environ.get("BENCH_KPI_REUSE"))
    if not reuse:
        recreate_pg_database(pg_url)
    setup_django(pg_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rng = random.Random(17)
    started = time.perf_counter()
    seconds = {"reused": True} if reuse else generate(rng)
    result = {
        "enterprises": N_ORGS,
        "listings": N_LISTINGS,
        "loans": N_LOANS,
        "contracts": N_CONTRACTS,
        "hightech_certificates": N_CERTS,
        "generate_seconds": round(time.perf_counter() - started, 1),
        "generate_detail": seconds,
        "load_average": os.getloadavg()[0],
    }
    result.update(measure())
    result["load_average_after"] = os.getloadavg()[0]
    from django.db import connections

    connections.close_all()
    if not (os.environ.get("BENCH_KPI_KEEP") or reuse):
        drop_pg_database(pg_url)
    return result


def run() -> dict:
    import subprocess

    pg = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kc_kpi_bench")
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode != 0:
        return {"skipped": "PostgreSQL is not running"}
    out = subprocess.run(
        [sys.executable, "-m", "bench.kpi", "--json", "--pg", pg], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/kc_kpi_bench")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    outcome = run_one(args.pg)
    print(
        json.dumps(outcome, ensure_ascii=False)
        if args.json
        else json.dumps(outcome, ensure_ascii=False, indent=2)
    )
