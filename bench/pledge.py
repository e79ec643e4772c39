"""Benchmark of patent-pledge matching (issue 6): 10,000 financing needs × 200 loan products, in memory.

No database: profiles are what `kechuang.pledge.matching.need_profiles` / `product_profile` build from the database in
one query each; the figures measure the matching itself (the bulk path without sentences, and the explained ranking
that the need page shows), plus the application-number check digit and the exact risk split.

Run: python -m bench.pledge
"""

import json
import os
import random
import statistics
import tempfile
import time

N_NEEDS = int(os.environ.get("BENCH_PLEDGE_NEEDS", "10000"))
N_PRODUCTS = int(os.environ.get("BENCH_PLEDGE_PRODUCTS", "200"))
CITIES = [
    "450100",
    "450200",
    "450300",
    "450400",
    "450500",
    "450600",
    "450700",
    "450800",
    "450900",
    "451000",
    "451100",
    "451200",
    "451300",
    "451400",
]
SECTIONS = ["C", "I", "M", "A", "D", "E", "F"]
MODELS = ["bank", "bank_ins", "bank_gua", "bank_ins_gua"]
TYPES = ["invention", "utility", "design"]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("KECHUANG_DATA_DIR", tempfile.mkdtemp(prefix="kc-bench-pledge-"))
    import django

    django.setup()


def synthetic(seed: int = 6):
    from kechuang.pledge.matching import NeedProfile, ProductProfile

    rng = random.Random(seed)
    products = []
    for i in range(N_PRODUCTS):
        low = rng.choice([10, 50, 100, 200]) * 1_000_000
        products.append(
            ProductProfile(
                id=i + 1,
                bank_id=rng.randint(1, 30),
                min_amount_fen=low,
                max_amount_fen=low * rng.choice([10, 20, 50]),
                min_term_months=rng.choice([1, 6]),
                max_term_months=rng.choice([12, 24, 36, 60]),
                rate_bp=rng.randint(300, 600),
                patent_types=frozenset(rng.sample(TYPES, rng.randint(1, 3))),
                regions=frozenset(rng.sample(CITIES, rng.randint(1, 5)))
                if rng.random() < 0.5
                else frozenset(),
                industries=frozenset(rng.sample(SECTIONS, rng.randint(1, 3)))
                if rng.random() < 0.3
                else frozenset(),
                models=frozenset(rng.sample(MODELS, rng.randint(1, 4))),
            )
        )
    needs = [
        NeedProfile(
            id=j + 1,
            enterprise_id=j + 1,
            amount_fen=rng.choice([50, 100, 200, 300, 500, 1000, 2000]) * 1_000_000,
            term_months=rng.choice([6, 12, 12, 24, 36]),
            patent_types=frozenset(rng.sample(TYPES[:2], rng.randint(1, 2))),
            city_id=rng.choice(CITIES),
            industry_section=rng.choice(SECTIONS),
            preferred_model=rng.choice([""] + MODELS),
        )
        for j in range(N_NEEDS)
    ]
    return needs, products


def run() -> dict:
    setup_django()
    from kechuang.codes import parse_application_number
    from kechuang.codes import patent_check_digit as check_digit
    from kechuang.money import split_by_ratios
    from kechuang.pledge.matching import match_all, rank_products

    needs, products = synthetic()
    started = time.perf_counter()
    result = match_all(needs, products, top=10)
    bulk_seconds = time.perf_counter() - started
    matched = [len(v) for v in result.values()]

    # the need page: every fitting product ranked with its sentences, one need at a time
    timings = []
    for need in needs[:300]:
        t0 = time.perf_counter()
        rank_products(need, products)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()

    # a bank's view: which of 10,000 needs fit one bank's products
    bank_products = [p for p in products if p.bank_id == products[0].bank_id]
    t0 = time.perf_counter()
    fitting = sum(1 for n in needs if rank_products(n, bank_products, with_reasons=False))
    bank_seconds = time.perf_counter() - t0

    rng = random.Random(1)
    numbers = []
    for _ in range(100_000):
        digits = f"{rng.randint(2003, 2026)}{rng.choice('12389')}{rng.randint(0, 9_999_999):07d}"
        numbers.append(f"ZL{digits}.{check_digit(digits)}")
    t0 = time.perf_counter()
    for text in numbers:
        parse_application_number(text)
    parse_seconds = time.perf_counter() - t0

    ratios = {"bank": 2000, "insurer": 3000, "guarantor": 3000, "fund": 2000}
    order = ["bank", "insurer", "guarantor", "fund"]
    t0 = time.perf_counter()
    exact = all(
        sum(split_by_ratios(total, ratios, order).values()) == total
        for total in range(1_000_000_00, 1_000_000_00 + 100_000)
    )
    split_seconds = time.perf_counter() - t0

    return {
        "input": f"{N_NEEDS:,} needs x {N_PRODUCTS} products (synthetic, seed 6)",
        "bulk_match_seconds": round(bulk_seconds, 3),
        "pairs_per_second": int(N_NEEDS * N_PRODUCTS / bulk_seconds),
        "needs_with_a_match": sum(1 for m in matched if m),
        "mean_products_per_need_top10": round(statistics.mean(matched), 2),
        "need_page_ranking_ms_p50": round(timings[len(timings) // 2], 2),
        "need_page_ranking_ms_p95": round(timings[int(len(timings) * 0.95)], 2),
        "bank_view_seconds": round(bank_seconds, 3),
        "bank_view_products": len(bank_products),
        "bank_view_fitting_needs": fitting,
        "application_numbers_parsed_per_second": int(len(numbers) / parse_seconds),
        "risk_splits_100k_exact": exact,
        "risk_splits_per_second": int(100_000 / split_seconds),
    }


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=2))
