"""Sanity checks for the shipped reference-data CSVs (stdlib + pytest only, no DB)."""

import csv
import re
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _read(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def regions():
    return _read("regions.csv")


@pytest.fixture(scope="module")
def industries():
    return _read("industries.csv")


@pytest.fixture(scope="module")
def ipc():
    return _read("ipc_sections.csv")


def test_region_header():
    with open(DATA_DIR / "regions.csv", encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == ["code", "name", "level", "parent_code", "name_en"]


def test_region_codes_six_digits_and_unique(regions):
    codes = [r["code"] for r in regions]
    assert all(re.fullmatch(r"\d{6}", c) for c in codes)
    assert len(codes) == len(set(codes))
    assert all(r["name"] and r["name_en"] for r in regions)


def test_province_row(regions):
    provinces = [r for r in regions if r["level"] == "province"]
    assert len(provinces) == 1
    assert provinces[0]["code"] == "450000"
    assert provinces[0]["parent_code"] == ""


def test_fourteen_cities(regions):
    cities = [r for r in regions if r["level"] == "city"]
    assert len(cities) == 14
    assert all(c["parent_code"] == "450000" for c in cities)
    assert all(c["code"].endswith("00") and c["code"].startswith("45") for c in cities)


def test_counties(regions):
    city_codes = {r["code"] for r in regions if r["level"] == "city"}
    counties = [r for r in regions if r["level"] == "county"]
    assert len(counties) >= 100
    for c in counties:
        assert c["parent_code"] in city_codes, c
        assert c["code"][:4] == c["parent_code"][:4], c
    # every city has at least one county-level division
    assert {c["parent_code"] for c in counties} == city_codes
    assert {r["level"] for r in regions} == {"province", "city", "county"}


def test_industry_header():
    with open(DATA_DIR / "industries.csv", encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == ["code", "name", "level", "parent_code", "name_en"]


def test_industries(industries):
    codes = [r["code"] for r in industries]
    assert len(codes) == len(set(codes))
    sections = [r for r in industries if r["level"] == "section"]
    divisions = [r for r in industries if r["level"] == "division"]
    groups = [r for r in industries if r["level"] == "group"]
    assert len(sections) == 20
    assert [s["code"] for s in sections] == list("ABCDEFGHIJKLMNOPQRST")
    assert all(s["parent_code"] == "" for s in sections)
    assert len(divisions) == 97
    assert sorted(d["code"] for d in divisions) == [f"{i:02d}" for i in range(1, 98)]
    section_codes = {s["code"] for s in sections}
    assert all(d["parent_code"] in section_codes for d in divisions)
    division_codes = {d["code"] for d in divisions}
    for g in groups:
        assert re.fullmatch(r"\d{3}", g["code"]), g
        assert g["parent_code"] in division_codes, g
        assert g["code"].startswith(g["parent_code"]), g
    assert {g["parent_code"] for g in groups} >= {
        "26",
        "27",
        "34",
        "35",
        "36",
        "38",
        "39",
        "40",
        "65",
        "73",
        "75",
    }
    assert {r["level"] for r in industries} == {"section", "division", "group"}
    assert all(r["name"] and r["name_en"] for r in industries)


def test_ipc_concordance(ipc, industries):
    division_codes = {r["code"] for r in industries if r["level"] == "division"}
    codes = [r["code"] for r in ipc]
    assert len(codes) == len(set(codes))
    assert set("ABCDEFGH") <= set(codes)
    for row in ipc:
        assert re.fullmatch(r"[A-H](\d{2})?", row["code"]), row
        assert row["name"] and row["name_en"], row
        divs = row["industry_divisions"].split()
        assert divs, row
        for d in divs:
            assert d in division_codes, (row["code"], d)
