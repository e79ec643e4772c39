"""Money, in one place: integer fen in, integer fen out; parse, round and format 元 and 万元 exactly.

Rules (every app uses these functions, none writes its own):

- **Storage and arithmetic** are integer fen (`BigIntegerField`, names end in `_fen`). 1 元 = 100 fen,
  1 万元 = 1,000,000 fen. Floats never touch money.
- **Parsing** (`parse_fen`, `MoneyField`): form input in 元 or 万元 — digits with an optional decimal point,
  thousands separators (`,` `，`), spaces and full-width digits allowed — becomes fen *exactly*. An amount finer
  than one fen (e.g. `1.005` 元, `0.0000001` 万元) is refused rather than silently rounded, as is anything
  negative (unless asked), non-finite, or above `MAX_FEN` (10^15 fen = 10 万亿元).
- **Rounding** of computed amounts (`round_fen`, `apply_bp`, `monthly_interest`) is half up to the fen
  (四舍五入) unless the rule being implemented states otherwise (rewards and shares round down, see
  `apply_bp` and `split_by_ratios`).
- **Formatting** (`yuan_text`, `wan_text`, the `yuan`/`wan` template filters): exact decimals, thousands
  separators, two places; when more places are needed (a 万元 figure below 100 元) the display rounds half up,
  and `wan_text(fen, places=None)` shows every digit. `yuan(fen)` / `wan(fen)` give exact `Decimal` values for
  spreadsheets and charts; `input_text(fen, unit)` gives the plain text a form field shows for an amount.
"""

import unicodedata
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction

from django import forms

FEN_PER_YUAN = 100
FEN_PER_WAN = 1_000_000
MAX_FEN = 10**15  # 10 万亿元: far above any budget, well inside int64
BP = 10000  # basis points in one whole
DASH = "—"


class Unit(StrEnum):
    YUAN = "yuan"
    WAN = "wan"


FEN_PER = {Unit.YUAN: FEN_PER_YUAN, Unit.WAN: FEN_PER_WAN}


class MoneyError(ValueError):
    """Input that is not an amount of money; `message` is translatable, `reason` stable."""

    def __init__(self, message, reason: str):
        super().__init__(str(message))
        self.message = message
        self.reason = reason


# -- parsing -----------------------------------------------------------------------------------------------------


def _messages():
    from django.utils.translation import gettext_lazy as _

    return {
        "format": _("金额格式不正确，请填写数字，例如 1234.56。"),
        "precision": _("金额最多精确到分。"),
        "negative": _("金额不能为负数。"),
        "range": _("金额超出范围。"),
    }


def _error(reason: str) -> MoneyError:
    return MoneyError(_messages()[reason], reason)


def parse_fen(
    raw, unit: Unit | str = Unit.YUAN, *, allow_negative: bool = False, max_fen: int = MAX_FEN
) -> int | None:
    """Form input in `unit` (元 or 万元) → integer fen, exactly; None for an empty input; MoneyError otherwise."""
    if raw is None:
        return None
    if isinstance(raw, float):
        raise _error("format")  # floats are never money: pass the text the user typed, or a Decimal
    if isinstance(raw, int | Decimal):
        amount = Decimal(raw)
    else:
        text = unicodedata.normalize("NFKC", str(raw))
        text = "".join(text.split()).replace(",", "").replace("，", "")
        if text == "":
            return None
        if len(text) > 40 or not all(ch.isdigit() or ch in ".+-" for ch in text):
            raise _error("format")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise _error("format") from None
    if not amount.is_finite():
        raise _error("format")
    if amount.adjusted() > 20:
        raise _error("range")
    scaled = amount * FEN_PER[Unit(unit)]
    if scaled != scaled.to_integral_value():
        raise _error("precision")
    fen = int(scaled)
    if fen < 0 and not allow_negative:
        raise _error("negative")
    if abs(fen) > max_fen:
        raise _error("range")
    return fen


# -- rounding ----------------------------------------------------------------------------------------------------


def round_fen(value: Decimal | Fraction | int, rounding: str = ROUND_HALF_UP) -> int:
    """An exact amount of fen (Decimal or Fraction) rounded to a whole fen, half up unless told otherwise."""
    if isinstance(value, Fraction):
        if rounding == ROUND_DOWN:
            return int(value)  # towards zero
        if rounding != ROUND_HALF_UP:
            raise ValueError(rounding)
        half = Fraction(1, 2) if value >= 0 else Fraction(-1, 2)
        return int(value + half)
    return int(Decimal(value).quantize(Decimal(1), rounding=rounding))


def apply_bp(amount_fen: int, bp: int, *, rounding=ROUND_DOWN) -> int:
    """amount × bp / 10000, rounded to the fen (down by default)."""
    return round_fen(Fraction(int(amount_fen) * int(bp), BP), rounding)


def monthly_interest(balance_fen: int, rate_bp: int) -> int:
    """Interest of one month on a balance at an annual rate: balance × rate / 12, half up to the fen."""
    return round_fen(Fraction(int(balance_fen) * int(rate_bp), BP * 12), ROUND_HALF_UP)


def split_by_ratios(total_fen: int, ratios: dict[str, int], order: list[str]) -> dict[str, int]:
    """Split exactly: each share is total × ratio rounded down to the fen; the fen left over (fewer than the number of
    sharers) go one by one to the sharers with the largest ratio, ties in `order`. The shares always sum to the total."""
    if sum(ratios.values()) != BP:
        raise ValueError("ratios must sum to 10000 basis points")
    shares = {p: total_fen * ratios[p] // BP for p in order}
    left = total_fen - sum(shares.values())
    ranked = sorted((p for p in order if ratios[p] > 0), key=lambda p: (-ratios[p], order.index(p)))
    i = 0
    while left > 0:
        shares[ranked[i % len(ranked)]] += 1
        left -= 1
        i += 1
    return shares


# -- exact values and text ---------------------------------------------------------------------------------------


def yuan(fen: int) -> Decimal:
    """The exact amount in 元 (two decimal places) for spreadsheets and charts."""
    return Decimal(int(fen)).scaleb(-2)


def wan(fen: int) -> Decimal:
    """The exact amount in 万元 (six decimal places) for spreadsheets and charts."""
    return Decimal(int(fen)).scaleb(-6)


def _is_empty(fen) -> bool:
    """None or "" (an empty form value): shown as a dash, never as 0."""
    return fen is None or fen == ""


def _text(value: Decimal, places: int | None, grouping: bool) -> str:
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    else:
        value = value.normalize() if value != value.to_integral_value() else value.quantize(Decimal(1))
    return f"{value:,f}" if grouping else f"{value:f}"


def yuan_text(fen: int | None, *, places: int = 2, grouping: bool = True) -> str:
    """`123456` → "1,234.56" (`places=0` → "1,235", half up); None → "—"."""
    if fen is None or _is_empty(fen):
        return DASH
    return _text(yuan(int(fen)), places, grouping)


def wan_text(fen: int | None, *, places: int | None = 2, grouping: bool = True) -> str:
    """`123456789` → "123.46" (万元, half up at the shown places); `places=None` → "123.456789"; None → "—"."""
    if fen is None or _is_empty(fen):
        return DASH
    return _text(wan(int(fen)), places, grouping)


def input_text(fen: int | None, unit: Unit | str = Unit.YUAN) -> str:
    """What a form field shows for an amount: plain digits, no separators, only the decimals needed; exact."""
    if fen is None or _is_empty(fen):
        return ""
    value = Decimal(int(fen)).scaleb(-len(str(FEN_PER[Unit(unit)])) + 1)
    return _text(value, None, False)


def percent(bp: int) -> Decimal:
    """Basis points as an exact percentage (435 -> Decimal("4.35")), for formatting; never a float."""
    return Decimal(int(bp)).scaleb(-2)


def percent_text(bp: int, *, places: int = 2, sign: str = "%") -> str:
    """`435` → "4.35%"; fewer places round half up (`places=1` → "4.4%")."""
    return _text(percent(bp), places, False) + sign


# -- form field --------------------------------------------------------------------------------------------------


class MoneyField(forms.Field):
    """A text input in 元 or 万元 whose cleaned value is integer fen (or None when optional and empty).

    Initial values are fen too (`initial={"amount_wan": product.amount_fen}`): the field shows them as
    `input_text`. Bounds are in fen: `min_fen` (default 0) and `max_fen` (default `MAX_FEN`).
    """

    def __init__(self, *, unit: Unit | str = Unit.YUAN, min_fen: int = 0, max_fen: int = MAX_FEN, **kwargs):
        self.unit, self.min_fen, self.max_fen = Unit(unit), min_fen, max_fen
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "maxlength": "30"}

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return input_text(value, self.unit)
        return value

    def to_python(self, value):
        from django import forms
        from django.utils.translation import gettext as _

        text = "" if value in self.empty_values else str(value)
        try:
            fen = parse_fen(text, self.unit, allow_negative=self.min_fen < 0, max_fen=self.max_fen)
        except MoneyError as exc:
            raise forms.ValidationError(exc.message, code=exc.reason) from None
        if fen is not None and fen < self.min_fen:
            raise forms.ValidationError(
                _("金额不能少于 %(amount)s。") % {"amount": input_text(self.min_fen, self.unit)}, code="min"
            )
        return fen
