import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kechuang import codes
from kechuang.codes import (
    CREDIT_CODE_ALPHABET,
    CodeError,
    Reason,
    check_credit_code,
    check_ipc,
    check_patent_number,
    credit_code_check_char,
    make_credit_code,
    parse_application_number,
    patent_check_digit,
)

# -- credit codes


def test_published_example_credit_code_is_valid():
    assert check_credit_code("91350100M000100Y43") == "91350100M000100Y43"


def test_lowercase_and_spaces_in_credit_codes_are_normalised():
    assert check_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y4", Reason.LENGTH),
        ("91350100M000100Y44", Reason.CHECK),
        ("91350100M0O0100Y43", Reason.CHARACTERS),  # letter O is not in the alphabet
        ("K1350100M000100Y43", Reason.CATEGORY),  # unknown registration authority
        ("913501X0M000100Y4X", Reason.REGION),
    ],
)
def test_invalid_credit_codes_are_refused_with_their_reason(code, reason):
    with pytest.raises(CodeError) as info:
        check_credit_code(code)
    assert info.value.reason == reason


def test_embedded_organisation_code_check_digit_is_verified():
    # The overall check character is right but the embedded GB 11714 check digit is wrong.
    first17 = "91450100" + "MA5K1111" + "0"
    with pytest.raises(CodeError) as info:
        check_credit_code(first17 + credit_code_check_char(first17))
    assert info.value.reason == Reason.CHECK


@given(st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=8, max_size=8))
def test_generated_credit_codes_validate_and_any_single_substitution_is_caught(org_body):
    code = make_credit_code("450103", org_body)
    assert check_credit_code(code) == code
    for position in (2, 9, 16):
        replacement = "1" if code[position] != "1" else "2"
        with pytest.raises(CodeError):
            check_credit_code(code[:position] + replacement + code[position + 1 :])


# -- patent application numbers


def test_check_digit_of_the_documented_examples():
    assert patent_check_digit("201710601862") == "3"
    assert patent_check_digit("95115608") == "X"  # the pre-2004 eight-digit form
    number = parse_application_number("201710601862.3")
    assert (number.year, number.patent_type, number.is_pct) == (2017, "invention", False)
    assert number.patent_number == "ZL201710601862.3"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ZL201710601862.3", "201710601862.3"),
        ("zl 2017 1 0601862.3", "201710601862.3"),
        ("CN 201710601862.3", "201710601862.3"),
        ("2017106018623", "201710601862.3"),
        ("2017\u30001060 1862．3", "201710601862.3"),
        ("ZL95115608.X", "95115608.X"),
        ("ZL 95115608.x", "95115608.X"),
    ],
)
def test_prefixes_spacing_and_case_are_normalised(raw, expected):
    assert check_patent_number(raw) == expected


def test_x_check_digit_round_trips():
    digits = next(f"2019200{n:05d}" for n in range(1000) if patent_check_digit(f"2019200{n:05d}") == "X")
    assert parse_application_number(f"{digits}.x").check == "X"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("201710601862.4", Reason.CHECK),
        ("201710601862", Reason.MISSING_CHECK),
        ("201750601862.3", Reason.TYPE),
        ("12345", Reason.FORMAT),
        ("", Reason.FORMAT),
        ("abc", Reason.FORMAT),
        ("20171060186.3", Reason.FORMAT),
        ("2017106018623X", Reason.FORMAT),
        ("ZL2017106018.3", Reason.FORMAT),
        ("200110601862." + patent_check_digit("200110601862"), Reason.YEAR),  # 12 digits before 2003
        ("204010601862." + patent_check_digit("204010601862"), Reason.YEAR),  # in the future
        ("05110123." + patent_check_digit("05110123"), Reason.YEAR),  # 8 digits after 2003
    ],
)
def test_invalid_patent_numbers_are_refused_with_their_reason(raw, reason):
    with pytest.raises(CodeError) as info:
        parse_application_number(raw)
    assert info.value.reason == reason


def test_the_check_digit_may_be_left_out_only_when_asked():
    assert parse_application_number("201710601862", require_check=False).text == "201710601862.3"


def test_the_year_rule_follows_the_given_day():
    raw = "202710601862." + patent_check_digit("202710601862")
    assert parse_application_number(raw, today=dt.date(2026, 1, 1)).year == 2027
    with pytest.raises(CodeError):
        parse_application_number(raw, today=dt.date(2025, 1, 1))


def test_pre_2003_eight_digit_form():
    digits = "98112345"
    number = parse_application_number(f"ZL{digits}.{patent_check_digit(digits)}")
    assert (number.year, number.patent_type) == (1998, "invention")


def test_pct_types_map_to_invention_and_utility():
    for digit, kind in (("8", "invention"), ("9", "utility")):
        digits = f"2018{digit}0001234"
        number = parse_application_number(f"{digits}.{patent_check_digit(digits)}")
        assert number.patent_type == kind and number.is_pct


@given(st.integers(2003, 2026), st.sampled_from("12389"), st.integers(0, 9_999_999))
def test_every_valid_number_round_trips_and_any_other_check_digit_is_refused(year, kind, serial):
    digits = f"{year}{kind}{serial:07d}"
    good = patent_check_digit(digits)
    assert check_patent_number(f"ZL{digits}.{good}") == f"{digits}.{good}"
    for wrong in "0123456789X":
        if wrong != good:
            with pytest.raises(CodeError):
                parse_application_number(f"{digits}.{wrong}")


# -- IPC


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a01d 45/10", "A01D 45/10"),
        ("C12P", "C12P"),
        (" c22f  1/04 ", "C22F 1/04"),
        ("A01D045/10", "A01D 45/10"),
    ],
)
def test_ipc_symbols_are_normalised(raw, expected):
    assert check_ipc(raw) == expected


@pytest.mark.parametrize("raw", ["Z99Q 1/00", "A1D", "A01D 45", "", "A01D 45/1"])
def test_malformed_ipc_symbols_are_refused(raw):
    with pytest.raises(CodeError):
        check_ipc(raw)


# -- 居民身份证号码 ------------------------------------------------------------------------------------------------


def test_resident_id_check_character_from_the_standards_example():
    # GB 11643-1999's example: 11010519491231002 → X
    assert codes.resident_id_check_char("11010519491231002") == "X"
    assert codes.check_resident_id(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1101051949123100", codes.Reason.LENGTH),
        ("11010519491231002Y", codes.Reason.CHARACTERS),
        ("110105194902300021", codes.Reason.FORMAT),  # 30 February
        ("110105194912310021", codes.Reason.CHECK),
    ],
)
def test_bad_resident_ids_are_refused_with_their_reason(raw, reason):
    with pytest.raises(codes.CodeError) as exc:
        codes.check_resident_id(raw)
    assert exc.value.reason == reason


@given(
    st.from_regex(r"4501[0-9]{2}19[5-9][0-9](0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}", fullmatch=True)
)
def test_every_single_digit_change_of_a_valid_id_is_caught(body):
    valid = body + codes.resident_id_check_char(body)
    assert codes.check_resident_id(valid) == valid
    for i in range(17):
        for d in "0123456789":
            if d != valid[i]:
                changed = valid[:i] + d + valid[i + 1 :]
                try:
                    codes.check_resident_id(changed)
                except codes.CodeError:
                    continue
                raise AssertionError(f"{changed} accepted")


def test_masked_ids_keep_only_the_address_code_and_the_last_four():
    assert codes.mask_id_number("11010519491231002X") == "110105********002X"
    assert codes.mask_id_number("E12345678") == "*****5678"
