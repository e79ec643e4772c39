import datetime as dt

from kechuang.pledge.terms import add_months, expiry_date


def test_terms_count_from_filing_and_designs_changed_in_2021():
    assert expiry_date("invention", dt.date(2017, 6, 1)) == dt.date(2037, 5, 31)
    assert expiry_date("utility", dt.date(2017, 6, 1)) == dt.date(2027, 5, 31)
    assert expiry_date("design", dt.date(2021, 5, 31)) == dt.date(2031, 5, 30)
    assert expiry_date("design", dt.date(2021, 6, 1)) == dt.date(2036, 5, 31)
    assert expiry_date("invention", dt.date(2004, 2, 29)) == dt.date(2024, 2, 28)
    assert expiry_date("utility", dt.date(2004, 2, 29)) == dt.date(2014, 2, 28)


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 15), 14) == dt.date(2028, 1, 15)
