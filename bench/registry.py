"""Registry figures: the organisation list with a search term and two filters over 100,000 organisations,
and a 100,000-row Excel import of yearly indicators. Run one database per process:

    python -m bench.registry                 # SQLite in a temporary directory
    python -m bench.registry --pg URL        # PostgreSQL (a scratch database is created and dropped)
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

N_ORGS = int(os.environ.get("BENCH_ORGS", "100000"))
N_IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))


def setup_django(pg_url: str | None):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["KECHUANG_DATA_DIR"] = tempfile.mkdtemp(prefix="kc-bench-")
    if pg_url:
        os.environ["DATABASE_URL"] = pg_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def recreate_pg_database(url: str):
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def measure_list_page(samples=40) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from kechuang.accounts.models import User

    setup_test_environment()  # so responses carry their template context

    client = Client()
    client.force_login(User.objects.get(username="reviewer"))
    url = "/registry/?q=%E7%A7%91%E6%8A%80&city=450100&size=above"  # q=科技, Nanning, above scale
    client.get(url)  # warm caches
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    counts = {}
    for per_page in (25, 100):
        with CaptureQueriesContext(connection) as ctx:
            client.get(url + f"&per_page={per_page}")
        counts[per_page] = len(ctx.captured_queries)
    total = response.context["page"].paginator.count
    return {
        "list_median_ms": round(statistics.median(timings), 1),
        "list_p95_ms": round(sorted(timings)[int(len(timings) * 0.95) - 1], 1),
        "list_matches": total,
        "queries_per_page_25": counts[25],
        "queries_per_page_100": counts[100],
    }


def measure_import(rows: int) -> dict:
    from pathlib import Path

    from openpyxl import Workbook

    from kechuang.accounts.models import User
    from kechuang.registry.importing import run_import
    from kechuang.registry.models import IndicatorValue, Organisation

    codes = list(Organisation.objects.filter(kind="enterprise").values_list("credit_code", flat=True)[:rows])
    path = Path(tempfile.mkdtemp()) / "indicators-2025.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("年度指标")
    sheet.append(
        [
            "统一社会信用代码",
            "年度",
            "营业收入（元）",
            "研发经费支出（元）",
            "研发费用加计扣除额（税务确认）（元）",
            "从业人员",
            "研发人员",
            "数据来源",
        ]
    )
    for i, code in enumerate(codes):
        sheet.append([code, 2025, 30_000_000 + i, f"{600_000 + i}.25", 500_000, 120, 18, "统计局"])
    workbook.save(path)
    user = User.objects.get(username="reviewer")
    before = IndicatorValue.objects.count()
    started = time.perf_counter()
    report = run_import(path, path.name, "indicators", acting_user=user)
    elapsed = time.perf_counter() - started
    assert report.applied and report.error_count == 0, report.errors[:3]
    started = time.perf_counter()
    again = run_import(path, path.name, "indicators", acting_user=user)
    elapsed_again = time.perf_counter() - started
    return {
        "import_rows": len(codes),
        "import_file_mb": round(path.stat().st_size / 1048576, 1),
        "import_seconds": round(elapsed, 1),
        "values_written": IndicatorValue.objects.count() - before,
        "reimport_seconds": round(elapsed_again, 1),
        "reimport_unchanged_rows": again.unchanged,
    }


def run_one(pg_url: str | None) -> dict:
    if pg_url:
        recreate_pg_database(pg_url)
    setup_django(pg_url)
    from django.core.management import call_command

    from kechuang.registry.demo import generate_province

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    generate_province(enterprises=N_ORGS, years=(), with_accounts=True, chunk=10000)
    from django.db import connection

    # Fresh statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) keeps them in production.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    result = {
        "database": connection.vendor,
        "organisations": N_ORGS,
        "seed_seconds": round(time.perf_counter() - started, 1),
    }
    result.update(measure_list_page())
    result.update(measure_import(N_IMPORT_ROWS))
    return result


def run() -> dict:
    """Both databases, each in its own process (settings are per process)."""
    import subprocess

    results = {}
    targets = [("sqlite", [])]
    pg = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kechuang_bench")
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0:
        targets.append(("postgresql", ["--pg", pg]))
    for name, args in targets:
        out = subprocess.run(
            [sys.executable, "-m", "bench.registry", "--json", *args],
            capture_output=True,
            text=True,
            check=True,
        )
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    outcome = run_one(args.pg)
    print(
        json.dumps(outcome, ensure_ascii=False)
        if args.json
        else json.dumps(outcome, ensure_ascii=False, indent=2)
    )
