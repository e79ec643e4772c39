"""The calculator pages against their 20 ms target (issue 10): one enterprise, every policy, from the database.

A province of synthetic organisations (registry.demo) in a fresh SQLite database; one enterprise's user opens its
calculator page (every policy, with standings) and one policy's trace page through Django's test client — the
whole request: session, permission checks, the database reads, the engine, the template. Median of repeated
requests after a warm-up, wall and CPU (this machine is shared: wall time depends on the load, CPU time much
less), with the number of queries per page.

`BENCH_CALCULATOR_ORGS` sets the province size (default 20,000 enterprises).
"""

import os
import statistics
import sys
import tempfile
import time

YEAR = 2024
REPEATS = 40


def setup_django():
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["KECHUANG_DATA_DIR"] = tempfile.mkdtemp(prefix="kc-bench-calculator-")
    os.environ["KECHUANG_DEV_KEY"] = "1"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("DEBUG", None)
    import django

    django.setup()


def timed(fn, repeats=REPEATS) -> dict:
    fn()  # warm-up: policy versions compiled, templates loaded
    wall, cpu = [], []
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return {
        "wall_median_ms": round(statistics.median(wall), 1),
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "cpu_p90_ms": round(sorted(cpu)[int(len(cpu) * 0.9) - 1], 1),
    }


def run() -> dict:
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from kechuang.accounts.models import Role
    from kechuang.policy import services
    from kechuang.registry.demo import generate_province
    from kechuang.registry.models import Organisation
    from kechuang.testing import make_user

    call_command("migrate", verbosity=0)
    n = int(os.environ.get("BENCH_CALCULATOR_ORGS", "20000"))
    generate_province(enterprises=n, years=(2023, 2024), with_accounts=False, chunk=10000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    services.sync_policy_versions()
    org = Organisation.objects.filter(kind="enterprise").order_by("id").first()
    user = make_user("bench-calculator", org=org, role=Role.ORG_ADMIN)
    client = Client()
    client.force_login(user)
    page = reverse("policy:calculator") + f"?year={YEAR}"
    trace = reverse("policy:calculator_detail", args=["rd_incremental"]) + f"?year={YEAR}"

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    def queries(url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            get(url)
        return len(ctx.captured_queries)

    def compute():
        calcs = services.calculate_for_organisation(org, YEAR)
        services.standings_for(org, YEAR, calcs)

    load_before = os.getloadavg()[0]
    result = {
        "database": connection.vendor,
        "organisations": Organisation.objects.count(),
        "policies": len(services.current_versions()),
        "calculator_page": timed(lambda: get(page)) | {"queries": queries(page)},
        "trace_page_one_policy": timed(lambda: get(trace)) | {"queries": queries(trace)},
        "computation_only_all_policies_and_standings": timed(compute),
        "load_average_1min_before_after": f"{load_before:.1f} / {os.getloadavg()[0]:.1f}",
    }
    return result


if __name__ == "__main__":
    import json

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    print(json.dumps(run(), ensure_ascii=False, indent=2))
