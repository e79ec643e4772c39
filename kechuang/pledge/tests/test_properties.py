from hypothesis import given
from hypothesis import strategies as st

from kechuang.pledge.money import BP, split_by_ratios
from kechuang.pledge.numbers import check_digit, parse_application_number

ORDER = ["bank", "insurer", "guarantor", "fund"]


@st.composite
def ratios(draw):
    cuts = sorted(draw(st.lists(st.integers(0, BP), min_size=3, max_size=3)))
    parts = [cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], BP - cuts[2]]
    return dict(zip(ORDER, parts, strict=True))


@given(st.integers(0, 10**13), ratios())
def test_split_is_exact_and_fair_to_the_fen(total, r):
    shares = split_by_ratios(total, r, ORDER)
    assert sum(shares.values()) == total
    for party in ORDER:
        exact = total * r[party] // BP
        assert (
            exact <= shares[party] <= exact + 1
        )  # never more than one fen of the remainder each (at most 3 fen in all)
        if r[party] == 0:
            assert shares[party] == 0


@given(st.integers(2003, 2026), st.sampled_from("12389"), st.integers(0, 9_999_999))
def test_every_valid_number_round_trips_and_any_other_check_digit_is_refused(year, kind, serial):
    digits = f"{year}{kind}{serial:07d}"
    good = check_digit(digits)
    assert parse_application_number(f"ZL{digits}.{good}").text == f"{digits}.{good}"
    for wrong in "0123456789X":
        if wrong != good:
            try:
                parse_application_number(f"{digits}.{wrong}")
            except ValueError:
                continue
            raise AssertionError(f"{digits}.{wrong} accepted")
