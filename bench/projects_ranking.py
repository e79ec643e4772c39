"""Ranking of programme applications with the priority rules (issue 15): 5,000 applying enterprises of a synthetic
province in a temporary SQLite database (`generate_province`, seeding not measured). Measured: the priority points
of all 5,000 units by the policy engine on the registry's authoritative figures (statistics-bureau R&D spending
and revenue, certifications), read from the database, plus the ranking of the 5,000 applications (review score +
points) — best of 3 runs — and separately the stored update of 5,000 application rows.

    python -m bench.projects_ranking
"""

import os
import random
import tempfile
import time
from decimal import Decimal

N = int(os.environ.get("BENCH_PROJECTS_RANK", "5000"))
YEAR = 2025


def setup_django():
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["KECHUANG_DATA_DIR"] = tempfile.mkdtemp(prefix="kc-bench-projects-")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def run() -> dict:
    setup_django()
    from django.core.management import call_command

    from kechuang.projects.services.decision import priority_points, rank_order
    from kechuang.registry.demo import generate_province
    from kechuang.registry.models import Organisation

    call_command("migrate", verbosity=0)
    generate_province(enterprises=N, years=(YEAR,), with_accounts=False, chunk=5000)
    ids = list(Organisation.objects.filter(kind="enterprise").order_by("pk").values_list("pk", flat=True)[:N])
    rng = random.Random(15)
    scores = {pk: Decimal(rng.randint(6000, 9500)) / 100 for pk in ids}
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        points = priority_points(ids, YEAR)
        order = rank_order([(pk, scores[pk], points[pk][0]) for pk in ids])
        timings.append(time.perf_counter() - started)
    with_points = sum(1 for p, _r in points.values() if p > 0)
    by_rule: dict[str, int] = {}
    for _p, reasons in points.values():
        for r in reasons:
            by_rule[r["rule"]] = by_rule.get(r["rule"], 0) + 1
    return {
        "applications": len(ids),
        "rank_seconds_best": round(min(timings), 3),
        "rank_seconds_runs": [round(t, 3) for t in timings],
        "units_with_points": with_points,
        "points_by_rule": by_rule,
        "top_rank_points": points[order[0]][0],
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))
