from hypothesis import given
from hypothesis import strategies as st

from kechuang.money import BP, split_by_ratios

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
