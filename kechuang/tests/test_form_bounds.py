"""Every number a page's form takes is bounded like the API's (kechuang/bounds.py, money by kechuang/money.py),
and hostile input is refused with a form error, never an exception: 2^63, negative, NaN, infinity, huge strings,
full-width and superscript digits."""

import importlib
import pkgutil
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.core import validators

import kechuang
from kechuang.bounds import MAX_ID, parse_int
from kechuang.money import MAX_FEN, MoneyField

ROOT = Path(kechuang.__file__).parent
HOSTILE = [
    str(2**63),
    str(2**63 - 1),
    "-1",
    "-9223372036854775809",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "1e400",
    "1e18",
    "１２３４５６７８９０１２３４５６７８９０１２",  # full-width, beyond int64
    "１２",
    "²",
    "1_000",
    "0x10",
    " 12 ",
    "9" * 5000,
    "x" * 100_000,
    "",
]


def form_classes():
    out = []
    for info in pkgutil.iter_modules([str(ROOT)]):
        if not (ROOT / info.name / "forms.py").exists():
            continue
        module = importlib.import_module(f"kechuang.{info.name}.forms")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                out.append(value)
    return out


def numeric_fields():
    for form in form_classes():
        for name, field in form.base_fields.items():
            if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField | MoneyField):
                yield f"{form.__module__}.{form.__name__}.{name}", field


def _limits(field):
    low = high = None
    for v in field.validators:
        if isinstance(v, validators.MinValueValidator):
            low = v.limit_value
        if isinstance(v, validators.MaxValueValidator):
            high = v.limit_value
    return low, high


def test_there_are_numeric_fields_to_check():
    assert len(list(numeric_fields())) > 20


@pytest.mark.parametrize(
    ("name", "field"), list(numeric_fields()), ids=lambda x: x if isinstance(x, str) else ""
)
def test_every_numeric_form_field_is_bounded_and_refuses_hostile_input(name, field):
    assert not isinstance(field, forms.FloatField), (
        f"{name}: no floats for numbers people type (money is MoneyField, others IntegerField/DecimalField)"
    )
    if isinstance(field, MoneyField):
        assert field.max_fen <= MAX_FEN, f"{name}: money above kechuang.money.MAX_FEN"
        low, high = field.min_fen, field.max_fen
    else:
        low, high = _limits(field)
        assert low is not None and high is not None, (
            f"{name}: give it min_value and max_value from kechuang/bounds.py (ids: 1..MAX_ID, counts: MAX_COUNT, "
            "years: MIN_YEAR..MAX_YEAR; money: kechuang.money.MoneyField)"
        )
        assert high <= max(MAX_ID, MAX_FEN), f"{name}: above what the database stores"
    for raw in HOSTILE:
        try:
            value = field.clean(raw)
        except forms.ValidationError:
            continue
        if value is None:
            assert not field.required, f"{name}: required, yet {raw[:30]!r} gave None"
            continue
        assert isinstance(value, int | Decimal), f"{name}: {raw[:30]!r} gave {type(value).__name__}"
        assert not (isinstance(value, Decimal) and not value.is_finite()), (
            f"{name}: {raw[:30]!r} gave {value}"
        )
        assert low <= value <= high, f"{name}: {raw[:30]!r} gave {value}, outside {low}..{high}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        ("１２", 12),
        (" 12 ", 12),
        ("-3", None),
        ("²", 2),  # NFKC: a superscript two is a two (no crash, in range)
        ("1_000", None),
        ("0x10", None),
        ("NaN", None),
        (str(2**63), None),
        ("9" * 5000, None),
        ("x" * 100_000, None),
        ("", None),
        (None, None),
    ],
)
def test_parse_int_for_views_reading_raw_parameters(raw, expected):
    assert parse_int(raw, low=0, high=1000) == expected
