import datetime as dt

import pytest

from kechuang.pledge import numbers
from kechuang.pledge.numbers import PatentNumberError, check_digit, expiry_date, parse_application_number


def test_check_digit_of_the_documented_example():
    assert check_digit("201710601862") == "3"
    number = parse_application_number("201710601862.3")
    assert (number.year, number.patent_type, number.is_pct) == (2017, "invention", False)
    assert number.patent_number == "ZL201710601862.3"


@pytest.mark.parametrize(
    "raw",
    [
        "ZL201710601862.3",
        "zl 2017 1 0601862.3",
        "CN201710601862.3",
        "2017106018623",
        "ZL２０１７"[:2] + "201710601862.3",
    ],
)
def test_prefixes_and_spacing_are_accepted(raw):
    assert parse_application_number(raw).text == "201710601862.3"


def test_x_check_digit():
    # find a 12-digit number whose check digit is X and make sure it round-trips
    digits = next(f"2019200{n:05d}" for n in range(1000) if check_digit(f"2019200{n:05d}") == "X")
    assert parse_application_number(f"{digits}.x").check == "X"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("201710601862.4", "校验位不符"),
        ("201710601862", "缺少校验位"),
        ("201750601862.3", "专利类型代码"),
        ("12345", "格式不正确"),
        ("ZL2017106018.3", "格式不正确"),
        ("200110601862." + check_digit("200110601862"), "8 位"),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(raw, fragment):
    with pytest.raises(PatentNumberError) as exc:
        parse_application_number(raw)
    assert fragment in str(exc.value)


def test_pre_2003_eight_digit_form():
    digits = "98112345"
    number = parse_application_number(f"ZL{digits}.{check_digit(digits)}")
    assert (number.year, number.patent_type) == (1998, "invention")
    with pytest.raises(PatentNumberError):
        parse_application_number(f"{digits}.{(int(check_digit(digits).replace('X', '10')) + 1) % 10}")


def test_pct_types_map_to_invention_and_utility():
    for digit, kind in (("8", "invention"), ("9", "utility")):
        digits = f"2018{digit}0001234"
        number = parse_application_number(f"{digits}.{check_digit(digits)}")
        assert number.patent_type == kind and number.is_pct


def test_terms_count_from_filing_and_designs_changed_in_2021():
    assert expiry_date("invention", dt.date(2017, 6, 1)) == dt.date(2037, 5, 31)
    assert expiry_date("utility", dt.date(2017, 6, 1)) == dt.date(2027, 5, 31)
    assert expiry_date("design", dt.date(2021, 5, 31)) == dt.date(2031, 5, 30)
    assert expiry_date("design", dt.date(2021, 6, 1)) == dt.date(2036, 5, 31)
    assert expiry_date("invention", dt.date(2004, 2, 29)) == dt.date(2024, 2, 28)
    assert expiry_date("utility", dt.date(2004, 2, 29)) == dt.date(2014, 2, 28)


def test_add_months_clamps_to_month_end():
    assert numbers.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert numbers.add_months(dt.date(2026, 11, 15), 14) == dt.date(2028, 1, 15)
