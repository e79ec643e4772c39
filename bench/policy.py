"""Policy engine figures (issue 3):

1. screening 1,000,000 synthetic enterprises against every encoded policy, vectorised (NumPy), versus the same
   rules one enterprise at a time in Python (timed on a sample, extrapolated);
2. one enterprise's calculation with the full trace (engine only, and from the database for all policies);
3. screening 100,000 enterprises end to end, from the database to stored results (temporary SQLite database
   seeded with `generate_province`);
4. the engine against the same three R&D reward rules written by hand in NumPy (`handwritten_rd_rewards`) over
   the same 1,000,000 enterprises: both timed alternately, best of several runs each, results compared row by
   row (status, amount, failed condition, capped).

    python -m bench.policy              # everything (BENCH_POLICY_ORGS=20000 for a quicker end-to-end run)
"""

import json
import os
import statistics
import sys
import tempfile
import time

import numpy as np

N_SYNTHETIC = int(os.environ.get("BENCH_POLICY_SYNTHETIC", "1000000"))
N_SAMPLE = int(os.environ.get("BENCH_POLICY_SAMPLE", "2000"))
N_ORGS = int(os.environ.get("BENCH_POLICY_ORGS", "100000"))
YEAR = 2024


def synthetic_inputs(policies, n: int, seed: int = 3) -> dict:
    """Plausible random inputs for every (variable, period) any policy needs, with ~3% missing values."""
    from kechuang.policy.engine.variables import VARIABLES

    rng = np.random.default_rng(seed)
    keys = set().union(*(p.required_inputs() for p in policies))
    revenue = (np.exp(rng.normal(17.2, 1.4, n)) * 100).astype(np.int64)
    data = {}
    for name, offset in sorted(keys):
        unit = VARIABLES[name].unit
        if unit == "flag":
            values = (rng.random(n) < 0.3).astype(np.int64)
        elif name == "revenue":
            values = (revenue * (1 - 0.08 * -offset)).astype(np.int64)
        elif name in ("rd_spending", "rd_super_deduction", "hightech_revenue", "rd_self_funded"):
            share = {
                "rd_spending": 0.025,
                "rd_super_deduction": 0.022,
                "hightech_revenue": 0.6,
                "rd_self_funded": 0.02,
            }[name]
            values = (
                revenue * np.clip(rng.normal(share, share / 2, n), 0, None) * (1 - 0.05 * -offset)
            ).astype(np.int64)
        elif name == "fi_establishment_type":
            values = rng.integers(0, 5, n)
        elif name == "gazelle_year":
            values = rng.integers(0, 6, n)
        elif name in (
            "major_incident",
            "tech_field_supported",
            "ic_or_machine_tool",
            "western_encouraged",
            "independent_legal_person",
            "amac_filed",
        ):
            values = (rng.random(n) < 0.5).astype(np.int64)
        elif name == "guidance_fund_involved":
            values = (rng.random(n) < 0.2).astype(np.int64)
        elif unit == "count":
            values = rng.integers(0, 500, n)
        elif unit == "year":
            values = np.full(n, YEAR, dtype=np.int64)
        else:
            values = (np.exp(rng.normal(16, 2, n)) * 100).astype(np.int64)
        present = rng.random(n) > 0.03
        data[(name, offset)] = (values.astype(np.int64), present)
    return data


RD_REWARDS = ("rd_incremental", "rd_special", "rd_hightech_gazelle")
LIMIT = 2**62


def _var(data, name, offset=0):
    values, present = data[(name, offset)]
    bad = ~present | (values < 0) | (values >= LIMIT)
    return values, bad


def _mul_fits(values, factor: int) -> bool:
    """True when values × factor cannot reach 2^62 for any row (exact: Python integers)."""
    return max(int(values.max(initial=0)), -int(values.min(initial=0))) * abs(factor) < LIMIT


def handwritten_rd_rewards(data: dict, params: dict) -> dict:
    """The three R&D reward rules written directly in NumPy, as a programmer would without the engine.

    Same semantics as the YAML rules (missing/negative inputs not computable, conditions in order, half-up
    rounding, caps); returns per policy (status, amount, failed condition, capped). The input ranges are checked
    once per array, so int64 cannot overflow here (the engine checks each product instead)."""

    INELIGIBLE, ELIGIBLE, NOT_COMPUTABLE = 0, 1, 2
    out = {}

    def finish(conds, value_bad, value, cap):
        """conds: list of (bad, true) masks in order; value/value_bad the formula's result before the cap."""
        n = value.shape[0]
        status = np.full(n, ELIGIBLE, dtype=np.int8)
        failed = np.full(n, -1, dtype=np.int16)
        open_ = np.ones(n, dtype=bool)
        for i, (bad, true) in enumerate(conds):
            hit_bad = open_ & bad
            hit_false = open_ & ~bad & ~true
            status[hit_bad] = NOT_COMPUTABLE
            status[hit_false] = INELIGIBLE
            failed[hit_false] = i
            open_ &= ~(hit_bad | hit_false)
        status[open_ & value_bad] = NOT_COMPUTABLE
        ok = open_ & ~value_bad
        capped = ok & (value > cap)
        amount = np.where(ok, np.minimum(value, cap), 0)
        return status, amount, failed, capped

    sd, sd_bad = _var(data, "rd_super_deduction")
    sd1, sd1_bad = _var(data, "rd_super_deduction", -1)
    spend, spend_bad = _var(data, "rd_spending")
    spend1, spend1_bad = _var(data, "rd_spending", -1)
    revenue, revenue_bad = _var(data, "revenue")
    above, above_bad = _var(data, "above_scale")
    above = above != 0
    enterprise, enterprise_bad = _var(data, "is_enterprise")
    applies = (
        enterprise_bad,
        enterprise != 0,
    )  # `applies_to: [enterprise]`, the first condition of all three
    for array in (sd, sd1, spend, spend1):
        assert _mul_fits(array, 10000)  # every product below is by at most 10000

    # rd_incremental
    p = params["rd_incremental"]
    increment = sd - sd1
    no_revenue = revenue_bad | (revenue == 0)
    intensity = np.where(above & ~no_revenue, spend * 10000 // np.where(no_revenue, 1, revenue), 0)
    intensity_bad = above_bad | (above & (spend_bad | no_revenue))
    rate = np.where(
        ~above,
        p["rate_below_scale_bp"],
        np.where(
            intensity >= p["band_high_bp"],
            p["rate_high_bp"],
            np.where(intensity >= p["band_mid_bp"], p["rate_mid_bp"], p["rate_low_bp"]),
        ),
    )
    reward = (increment * rate + 5000) // 10000  # increment > 0 where it counts: half up is floor(x + ½)
    cap = np.where(above, p["cap_above_scale"], p["cap_below_scale"])
    out["rd_incremental"] = finish(
        [applies, (np.zeros_like(sd1_bad), ~sd1_bad), (sd_bad, sd > sd1)],
        intensity_bad | sd_bad | sd1_bad,
        reward,
        cap,
    )

    # rd_special
    p = params["rd_special"]
    reward = (sd * p["rate_bp"] + 5000) // 10000
    out["rd_special"] = finish(
        [
            applies,
            (spend_bad, spend >= p["min_rd_spending"]),
            (np.zeros_like(spend1_bad), ~spend1_bad),
            (spend_bad, spend * 10000 >= spend1 * (10000 - p["max_decline_bp"])),
        ],
        sd_bad,
        reward,
        p["cap"],
    )

    # rd_hightech_gazelle: gazelle enterprises recognised by the department, within three years of recognition,
    # 20% of self-funded R&D (at most the tax-accepted expense), capped
    p = params["rd_hightech_gazelle"]
    gazelle, gazelle_bad = _var(data, "is_gazelle")
    gyear, gyear_bad = _var(data, "gazelle_year")
    own, own_bad = _var(data, "rd_self_funded")
    assert _mul_fits(own, 10000)
    base = np.minimum(own, sd)
    reward = (base * p["rate_bp"] + 5000) // 10000
    out["rd_hightech_gazelle"] = finish(
        [
            applies,
            (gazelle_bad, gazelle != 0),
            (gyear_bad, (gyear >= 1) & (gyear <= p["years"])),
            (sd_bad, sd > 0),
            (own_bad, own > 0),
        ],
        sd_bad | own_bad,
        reward,
        p["cap"],
    )
    return out


def measure_against_handwritten(repeats: int = 5) -> dict:
    from kechuang.policy.engine.rules import load_policies

    policies = load_policies()
    three = [policies[code] for code in RD_REWARDS]
    data = synthetic_inputs(list(policies.values()), N_SYNTHETIC)
    params = {p.code: {k: v.value for k, v in p.params_for(YEAR).items()} for p in three}

    def engine():
        checked: dict = {}
        return {p.code: p.evaluate_batch(YEAR, data, N_SYNTHETIC, checked) for p in three}

    def hand():
        return handwritten_rd_rewards(data, params)

    engine_times, hand_times = [], []
    for _ in range(repeats):
        for fn, times in ((engine, engine_times), (hand, hand_times)):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
    by_engine, by_hand = engine(), hand()
    mismatches = 0
    for code in RD_REWARDS:
        batch = by_engine[code]
        status, amount, failed, capped = by_hand[code]
        mismatches += int(
            np.count_nonzero(
                (batch.status != status)
                | (batch.amount != amount)
                | (batch.failed != failed)
                | (batch.capped != capped)
            )
        )
    return {
        "rules": list(RD_REWARDS),
        "enterprises": N_SYNTHETIC,
        "engine_seconds_best": round(min(engine_times), 3),
        "handwritten_numpy_seconds_best": round(min(hand_times), 3),
        "engine_over_handwritten": round(min(engine_times) / min(hand_times), 2),
        "engine_seconds_median": round(statistics.median(engine_times), 3),
        "handwritten_numpy_seconds_median": round(statistics.median(hand_times), 3),
        "rows_differing": mismatches,
        "eligible": {code: int((by_engine[code].status == 1).sum()) for code in RD_REWARDS},
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


def measure_engine() -> dict:
    from kechuang.policy.engine.policy import row_inputs
    from kechuang.policy.engine.rules import load_policies

    policies = list(load_policies().values())
    data = synthetic_inputs(policies, N_SYNTHETIC)
    policies[0].evaluate_batch(YEAR, {k: (v[:1000], p[:1000]) for k, (v, p) in data.items()}, 1000)  # warm up
    started, cpu = time.perf_counter(), time.process_time()
    eligible = 0
    checked: dict = {}  # each input checked once for all policies, as run_screening does
    for policy in policies:
        batch = policy.evaluate_batch(YEAR, data, N_SYNTHETIC, checked)
        eligible += int((batch.status == 1).sum())
    vector_seconds = time.perf_counter() - started
    vector_cpu = time.process_time() - cpu

    sample = {k: (v[:N_SAMPLE], p[:N_SAMPLE]) for k, (v, p) in data.items()}
    rows = [row_inputs(sample, i) for i in range(N_SAMPLE)]
    started, cpu = time.perf_counter(), time.process_time()
    for row in rows:
        for policy in policies:
            policy.evaluate_one(YEAR, row)
    single_seconds_sample = time.perf_counter() - started
    single_cpu_sample = time.process_time() - cpu
    single_extrapolated = single_seconds_sample * N_SYNTHETIC / N_SAMPLE
    single_cpu_extrapolated = single_cpu_sample * N_SYNTHETIC / N_SAMPLE

    # the same sample through the vectorised path must give the same answers
    mismatches = 0
    eligible_count = np.zeros(N_SAMPLE, dtype=np.int64)
    for policy in policies:
        batch = policy.evaluate_batch(YEAR, sample, N_SAMPLE)
        eligible_count += batch.status == 1
        for i in range(0, N_SAMPLE, 7):
            one = policy.evaluate_one(YEAR, rows[i])
            mismatches += (int(batch.status[i]), int(batch.amount[i])) != (one.status, one.amount)

    timings = []
    row = rows[int(np.argmax(eligible_count))]  # the enterprise with the longest traces (most policies met)
    for _ in range(200):
        started = time.perf_counter()
        for policy in policies:
            policy.evaluate_one(YEAR, row)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "policies": len(policies),
        "synthetic_enterprises": N_SYNTHETIC,
        "vectorised_seconds": round(vector_seconds, 2),
        "vectorised_cpu_seconds": round(vector_cpu, 2),
        "eligible_results": eligible,
        "one_at_a_time_sample": N_SAMPLE,
        "one_at_a_time_seconds_extrapolated": round(single_extrapolated, 1),
        "one_at_a_time_cpu_seconds_extrapolated": round(single_cpu_extrapolated, 1),
        "speedup_wall": round(single_extrapolated / vector_seconds, 1),
        "speedup_cpu": round(single_cpu_extrapolated / vector_cpu, 1),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "sample_mismatches": mismatches,
        "one_enterprise_all_policies_trace_median_ms": round(statistics.median(timings), 3),
        "one_enterprise_policies_eligible": int(eligible_count.max()),
    }


def setup_django():
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["KECHUANG_DATA_DIR"] = tempfile.mkdtemp(prefix="kc-bench-policy-")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def measure_end_to_end() -> dict:
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from kechuang.policy import services
    from kechuang.policy.models import ScreeningResult, ScreeningRun
    from kechuang.registry.demo import generate_province
    from kechuang.registry.models import Organisation

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    # two years are enough for every rule (older periods are optional in the rules); seeding is not measured
    generate_province(enterprises=N_ORGS, years=(2023, 2024), with_accounts=False, chunk=10000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seed_seconds = time.perf_counter() - started

    services.sync_policy_versions()
    codes = sorted(services.current_versions())
    run = ScreeningRun.objects.create(year=YEAR, policy_codes=codes)
    ticks = []
    started, cpu = time.perf_counter(), time.process_time()
    services.run_screening(run, progress=lambda done, total, message="": ticks.append(done))
    screening_seconds = time.perf_counter() - started
    screening_cpu = time.process_time() - cpu
    run.refresh_from_db()

    org = Organisation.objects.filter(kind="enterprise").order_by("id").first()
    services.calculate_for_organisation(org, YEAR)
    timings, cpu_timings = [], []
    for _ in range(30):
        t, c = time.perf_counter(), time.process_time()
        calcs = services.calculate_for_organisation(org, YEAR)
        services.standings_for(org, YEAR, calcs)  # the calculator page also says where each policy stands
        timings.append((time.perf_counter() - t) * 1000)
        cpu_timings.append((time.process_time() - c) * 1000)
    one_policy, one_policy_cpu = [], []
    for _ in range(30):
        t, c = time.perf_counter(), time.process_time()
        services.calculate_for_organisation(org, YEAR, codes=["rd_incremental"])
        one_policy.append((time.perf_counter() - t) * 1000)
        one_policy_cpu.append((time.process_time() - c) * 1000)
    return {
        "database": connection.vendor,
        "organisations": run.organisations,
        "seed_seconds": round(seed_seconds, 1),
        "end_to_end_screening_seconds": round(screening_seconds, 1),
        "end_to_end_screening_cpu_seconds": round(screening_cpu, 1),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "stored_results": ScreeningResult.objects.filter(run=run).count(),
        "progress_updates": len(ticks),
        "eligible_by_policy": {code: s["eligible"] for code, s in run.summary.items()},
        "calculator_all_policies_from_db_median_ms": round(statistics.median(timings), 1),
        "calculator_all_policies_from_db_cpu_median_ms": round(statistics.median(cpu_timings), 1),
        "calculator_one_policy_from_db_median_ms": round(statistics.median(one_policy), 1),
        "calculator_one_policy_from_db_cpu_median_ms": round(statistics.median(one_policy_cpu), 1),
        "calculator_load_average_1min": round(os.getloadavg()[0], 1),
    }


def run() -> dict:
    result = {"engine": measure_engine(), "against_handwritten_numpy": measure_against_handwritten()}
    if os.environ.get("BENCH_POLICY_ENGINE_ONLY"):
        return result
    result["end_to_end"] = measure_end_to_end()
    return result


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    print(json.dumps(run(), ensure_ascii=False, indent=2))
