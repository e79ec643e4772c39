from decimal import Decimal
from fractions import Fraction

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from kechuang import money
from kechuang.money import (
    MAX_FEN,
    MoneyError,
    MoneyField,
    Unit,
    input_text,
    parse_fen,
    round_fen,
    wan,
    wan_text,
    yuan,
    yuan_text,
)

amounts = st.integers(0, MAX_FEN)


@given(amounts, st.sampled_from(list(Unit)))
def test_what_a_field_shows_parses_back_to_the_same_fen(fen, unit):
    assert parse_fen(input_text(fen, unit), unit) == fen


@given(amounts)
def test_formatted_yuan_parses_back_exactly(fen):
    assert parse_fen(yuan_text(fen)) == fen


@given(amounts)
def test_wan_with_every_digit_parses_back_exactly(fen):
    assert parse_fen(wan_text(fen, places=None), Unit.WAN) == fen


@given(amounts)
def test_exact_values_are_the_amount_divided_by_the_unit(fen):
    assert yuan(fen) == Fraction(fen, 100) and wan(fen) == Fraction(fen, 1_000_000)


@given(st.integers(-(10**12), 10**12))
def test_two_place_wan_text_is_the_amount_rounded_half_up_to_the_hundred_yuan(fen):
    shown = Decimal(wan_text(fen, grouping=False))
    assert abs(shown * 1_000_000 - fen) <= 5000
    assert shown == wan(fen).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


@pytest.mark.parametrize(
    ("raw", "unit", "fen"),
    [
        ("1,234.56", Unit.YUAN, 123456),
        (" 12 ", Unit.YUAN, 1200),
        ("１２．５", Unit.WAN, 12_500_000),  # full-width digits and point
        ("0.000001", Unit.WAN, 1),
        ("1，000", Unit.YUAN, 100000),
        ("", Unit.YUAN, None),
        (None, Unit.WAN, None),
        (Decimal("2.5"), Unit.WAN, 2_500_000),
        (3, Unit.YUAN, 300),
    ],
)
def test_inputs_become_exact_fen(raw, unit, fen):
    assert parse_fen(raw, unit) == fen


@pytest.mark.parametrize(
    ("raw", "unit", "reason"),
    [
        ("1.005", Unit.YUAN, "precision"),
        ("0.0000001", Unit.WAN, "precision"),
        ("-1", Unit.YUAN, "negative"),
        ("abc", Unit.YUAN, "format"),
        ("1e5", Unit.YUAN, "format"),
        ("NaN", Unit.YUAN, "format"),
        ("1.2.3", Unit.YUAN, "format"),
        (1.5, Unit.YUAN, "format"),  # a float is never money
        ("10000000000001", Unit.YUAN, "range"),  # 10^15 fen is the ceiling
        ("1000000001", Unit.WAN, "range"),
        ("9" * 30, Unit.YUAN, "range"),
    ],
)
def test_bad_inputs_are_refused_with_a_reason(raw, unit, reason):
    with pytest.raises(MoneyError) as info:
        parse_fen(raw, unit)
    assert info.value.reason == reason


def test_the_ceiling_itself_and_negative_amounts_when_allowed_are_accepted():
    assert parse_fen("10000000000000", Unit.YUAN) == MAX_FEN
    assert parse_fen("-1.5", Unit.YUAN, allow_negative=True) == -150


def test_formatting_groups_thousands_and_shows_a_dash_for_nothing():
    assert yuan_text(123456789) == "1,234,567.89"
    assert yuan_text(-5) == "-0.05"
    assert wan_text(123456789) == "123.46"
    assert wan_text(123445000) == "123.45"  # half up: 123.445 → 123.45
    assert wan_text(123456789, places=None) == "123.456789"
    assert wan_text(None) == yuan_text("") == "—"
    assert input_text(12_500_000, Unit.WAN) == "12.5" and input_text(100, Unit.YUAN) == "1"


@given(st.integers(-(10**15), 10**15), st.integers(1, 10**6))
def test_rounding_half_up_matches_the_definition(numerator, denominator):
    exact = Fraction(numerator, denominator)
    rounded = round_fen(exact)
    assert abs(exact - rounded) <= Fraction(1, 2)
    if abs(exact - rounded) == Fraction(1, 2):
        assert abs(rounded) > abs(exact)  # ties away from zero
    assert round_fen(exact, "ROUND_DOWN") == int(exact)


def test_basis_points_and_interest_round_as_stated():
    assert money.apply_bp(10_001, 5000) == 5000  # down
    assert money.apply_bp(10_001, 5000, rounding="ROUND_HALF_UP") == 5001
    assert money.monthly_interest(1_000_000, 435) == 3625  # 1万元 × 4.35% / 12 = 36.25 元


class AmountForm(forms.Form):
    amount_wan = MoneyField(unit=Unit.WAN, min_fen=1)
    fee_yuan = MoneyField(unit=Unit.YUAN, required=False)


def test_the_form_field_cleans_to_fen_and_shows_fen_initials_in_its_unit():
    form = AmountForm({"amount_wan": "12.5", "fee_yuan": ""})
    assert form.is_valid() and form.cleaned_data == {"amount_wan": 12_500_000, "fee_yuan": None}
    assert 'value="12.5"' in str(AmountForm(initial={"amount_wan": 12_500_000})["amount_wan"])


@pytest.mark.parametrize(
    ("raw", "code"), [("0", "min"), ("1.0000001", "precision"), ("x", "format"), ("", "required")]
)
def test_the_form_field_refuses_with_a_code(raw, code):
    form = AmountForm({"amount_wan": raw})
    assert not form.is_valid()
    assert form.errors.as_data()["amount_wan"][0].code == code


def test_basis_points_become_an_exact_percentage():
    from decimal import Decimal

    from kechuang.money import percent, percent_text

    assert percent(435) == Decimal("4.35") and percent(1) == Decimal("0.01")
    assert percent_text(29) == "0.29%"  # 29 / 100 as a float is 0.28999999999999998


def test_whole_yuan_and_one_place_percentages_round_half_up_exactly():
    from kechuang.money import percent_text, yuan_text

    assert yuan_text(150, places=0) == "2" and yuan_text(123_456_50, places=0) == "123,457"
    assert percent_text(1225, places=1) == "12.3%" and percent_text(1225, places=1, sign="") == "12.3"
    assert yuan_text(None, places=0) == "—"
