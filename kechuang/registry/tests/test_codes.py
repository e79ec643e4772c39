import pytest
from hypothesis import given
from hypothesis import strategies as st

from kechuang.registry.codes import (
    CREDIT_CODE_ALPHABET,
    CodeError,
    check_credit_code,
    credit_code_check_char,
    make_credit_code,
)


def test_published_example_code_is_valid():
    assert check_credit_code("91350100M000100Y43") == "91350100M000100Y43"


def test_lowercase_and_spaces_are_normalised():
    assert check_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91350100M000100Y4", "18"),  # too short
        ("91350100M000100Y44", "校验位"),  # wrong check character
        ("91350100M0O0100Y43", "不允许"),  # letter O is not in the alphabet
        ("K1350100M000100Y43", "登记管理部门"),  # unknown registration authority
        ("913501X0M000100Y4X", "行政区划"),
    ],
)
def test_invalid_codes_are_explained(code, fragment):
    with pytest.raises(CodeError) as info:
        check_credit_code(code)
    assert fragment in str(info.value)


def test_embedded_organisation_code_check_digit_is_verified():
    # A code whose overall check character is right but whose embedded GB 11714 check digit is wrong.
    first17 = "91450100" + "MA5K1111" + "0"
    code = first17 + credit_code_check_char(first17)
    with pytest.raises(CodeError) as info:
        check_credit_code(code)
    assert "组织机构代码" in str(info.value)


body = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=8, max_size=8)


@given(body)
def test_generated_codes_validate_and_any_single_substitution_is_caught(org_body):
    code = make_credit_code("450103", org_body)
    assert check_credit_code(code) == code
    for position in (2, 9, 16):
        replacement = "1" if code[position] != "1" else "2"
        mutated = code[:position] + replacement + code[position + 1 :]
        with pytest.raises(CodeError):
            check_credit_code(mutated)
