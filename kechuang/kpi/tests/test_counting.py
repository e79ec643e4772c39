"""Each KPI counted by its definition on a fixture whose answer is known (see conftest.known)."""

import datetime as dt

import pytest

from kechuang.kpi import compute, services
from kechuang.kpi.sources import all_sources

AS_OF = dt.date(2026, 1, 1)
NANNING, LIUZHOU = "450100", "450200"


def figures():
    services.ensure_definitions()
    names = services.city_names()
    return {d.code: compute.compute_kpi(d, AS_OF, names) for d in services.current_definitions(AS_OF)}


def city(k, code):
    return next(c["n"] for c in k["cities"] if c["city"] == code)


@pytest.mark.django_db
def test_new_hightech_counts_first_recognitions_only(known):
    k = figures()["new_hightech"]
    assert (k["counted"], k["value"], k["target"], k["basis"]) == (2, 2, 1000, "gross")
    assert (city(k, NANNING), city(k, LIUZHOU)) == (1, 1)
    assert {m["month"]: m["n"] for m in k["months"] if m["n"]} == {"2018-03": 1, "2019-06": 1}
    assert k["state"] == "not_met" and k["percent"] == "0.2"


@pytest.mark.django_db
def test_hightech_net_is_stock_at_end_minus_stock_at_baseline(known):
    k = figures()["hightech_net"]
    assert k["stocks"] == {"baseline": 2, "end": 3}
    assert k["counted"] == 1
    assert {m["month"]: m["n"] for m in k["months"] if m["n"]} == {"2018-03": 1, "2019-01": -1, "2019-06": 1}
    assert (city(k, NANNING), city(k, LIUZHOU)) == (0, 1)
    changes = compute.stock_changes(
        services.current_definitions(AS_OF)[4].content, AS_OF, city=None, month=None
    )
    assert sorted((c["label"], c["sign"]) for c in changes) == [
        ("南宁丁科技有限公司", -1),
        ("南宁甲科技有限公司", 1),
        ("柳州丙材料有限公司", 1),
    ]


@pytest.mark.django_db
def test_achievements_transferred_counts_transfer_licensing_development(known):
    k = figures()["achievements_transferred"]
    assert k["counted"] == 3
    assert (city(k, NANNING), city(k, LIUZHOU)) == (2, 1)


@pytest.mark.django_db
def test_major_technologies_counts_funded_or_finished_major_lines(known):
    k = figures()["major_technologies"]
    assert k["counted"] == 2
    assert {m["month"]: m["n"] for m in k["months"] if m["n"]} == {"2018-04": 1, "2019-05": 1}


@pytest.mark.django_db
def test_missing_source_is_not_computable_never_zero(known):
    if "talent.talents_and_scholars" in all_sources():
        pytest.skip("the talent app provides this source now")
    k = figures()["talents_teams"]
    assert k["state"] == "not_computable" and k["counted"] is None and k["value"] is None


@pytest.mark.django_db
def test_province_is_sum_of_cities_and_of_months(known):
    for k in figures().values():
        if k["counted"] is None:
            continue
        assert k["counted"] == sum(c["n"] for c in k["cities"]) == sum(m["n"] for m in k["months"])


@pytest.mark.django_db
def test_drill_down_lists_exactly_the_counted_records(known):
    services.ensure_definitions()
    for d in services.current_definitions(AS_OF):
        k = compute.compute_kpi(d, AS_OF, services.city_names())
        if k["counted"] is None:
            continue
        for c in k["cities"]:
            for month, n in c["months"].items():
                qs = compute.event_records(d.content, AS_OF, city=c["city"], month=month)
                if qs is None:
                    rows = compute.stock_changes(d.content, AS_OF, city=c["city"], month=month)
                    assert sum(r["sign"] for r in rows) == n
                else:
                    rows = compute.explain_event_rows(d.content, list(qs))
                    assert len(rows) == n and all(r["why"] for r in rows)


def test_expected_curve_is_linear_by_default():
    content = {
        "period": {"start": "2018-01-01", "end": "2020-12-31"},
        "baseline": {"value": 0},
        "target": 1000,
        "curve": [],
    }
    assert compute.expected_value(content, dt.date(2017, 12, 31)) == 0
    assert compute.expected_value(content, dt.date(2020, 12, 31)) == 1000
    assert 490 < compute.expected_value(content, dt.date(2019, 7, 2)) < 510


@pytest.mark.django_db
def test_behind_curve_warns(known, settings):
    k = figures()["new_hightech"]
    # 2 of 1000 half-way through: behind; reported as the month since which it has been behind
    mid = dt.date(2019, 7, 1)
    services.ensure_definitions()
    d = next(x for x in services.current_definitions(mid) if x.code == "new_hightech")
    k = compute.compute_kpi(d, mid, services.city_names())
    assert k["state"] == "behind" and k["behind_since"] is not None
