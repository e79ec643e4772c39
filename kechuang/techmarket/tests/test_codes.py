import pytest

from kechuang.registry.codes import CodeError
from kechuang.techmarket.codes import check_ipc, check_patent_number, patent_check_digit


def test_patent_check_digit_known_numbers():
    assert patent_check_digit("201710601862") == "3"
    assert patent_check_digit("95115608") == "X"  # the pre-2004 eight-digit form


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("201710601862.3", "201710601862.3"),
        ("CN 201710601862.3", "201710601862.3"),
        ("ZL95115608.X", "95115608.X"),
        ("2017 1060 1862.3", "201710601862.3"),
        ("ZL 95115608.x", "95115608.X"),
    ],
)
def test_patent_numbers_normalised(raw, expected):
    assert check_patent_number(raw) == expected


@pytest.mark.parametrize(
    "raw", ["201710601862.4", "20171060186.3", "abc", "", "201750601862.3", "2017106018623X"]
)
def test_invalid_patent_numbers_are_refused(raw):
    with pytest.raises(CodeError):
        check_patent_number(raw)


def test_ipc_symbols():
    assert check_ipc("a01d 45/10") == "A01D 45/10"
    assert check_ipc("C12P") == "C12P"
    with pytest.raises(CodeError):
        check_ipc("Z99Q 1/00")
