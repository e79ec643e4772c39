"""The one home of input bounds: money, years, counts, pages, text lengths, ids.

Every API schema and form field that takes a number or a free text uses these, so out-of-range input is refused
with 422 (API) or a form error (pages) before it reaches a service or the database — never a 500. Money is
integer fen up to money.MAX_FEN (10^15 fen = 10 万亿元, above any provincial budget); years are calendar years a record can have;
ids fit a 64-bit primary key.
"""

import datetime as dt
import unicodedata
from typing import Annotated

from django.core import validators
from ninja import Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, Field

from kechuang.money import MAX_FEN  # the one limit of money, re-exported for the schemas below

MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_MONTHS = 600  # 50 years: the longest loan or programme term anyone enters
MAX_DAYS = 3660
MAX_COUNT = 10**9
MAX_BP = 10_000  # basis points: 100%
MAX_ID = 2**63 - 1
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 500
MAX_CODE_LENGTH = 64  # codes, identifiers, enum values, language and zone names
MAX_NAME_LENGTH = 200  # names and titles (the models' CharField(max_length=200))
MAX_LINE_LENGTH = 255  # one-line notes, reasons, addresses (CharField(max_length=255))
MAX_SEARCH_LENGTH = 200
# a demand searched as written (the technology market's search takes a need of a few sentences)
MAX_PASSAGE_SEARCH_LENGTH = 1000
MAX_TEXT_LENGTH = 20_000  # descriptions, notes, messages
MAX_LIST_LENGTH = 1_000  # ids or codes in one request

MIN_DATE = dt.date(MIN_YEAR, 1, 1)
MAX_DATE = dt.date(MAX_YEAR, 12, 31)


def _within_years(value: dt.datetime) -> dt.datetime:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


# pydantic (django-ninja) field types
Fen = Annotated[int, Field(ge=0, le=MAX_FEN)]
SignedFen = Annotated[int, Field(ge=-MAX_FEN, le=MAX_FEN)]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Months = Annotated[int, Field(ge=1, le=MAX_MONTHS)]
Days = Annotated[int, Field(ge=0, le=MAX_DAYS)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
BasisPoints = Annotated[int, Field(ge=0, le=MAX_BP)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Date = Annotated[dt.date, Field(ge=MIN_DATE, le=MAX_DATE)]
DateTime = Annotated[dt.datetime, AfterValidator(_within_years)]
Code = Annotated[str, Field(max_length=MAX_CODE_LENGTH)]
Name = Annotated[str, Field(max_length=MAX_NAME_LENGTH)]
Line = Annotated[str, Field(max_length=MAX_LINE_LENGTH)]
Search = Annotated[str, Field(max_length=MAX_SEARCH_LENGTH)]
PassageSearch = Annotated[str, Field(max_length=MAX_PASSAGE_SEARCH_LENGTH)]
Text = Annotated[str, Field(max_length=MAX_TEXT_LENGTH)]
IdList = Annotated[list[Id], Field(max_length=MAX_LIST_LENGTH)]
CodeList = Annotated[list[Code], Field(max_length=MAX_LIST_LENGTH)]

# Django form validators
fen_validators = [validators.MinValueValidator(0), validators.MaxValueValidator(MAX_FEN)]
year_validators = [validators.MinValueValidator(MIN_YEAR), validators.MaxValueValidator(MAX_YEAR)]
months_validators = [validators.MinValueValidator(1), validators.MaxValueValidator(MAX_MONTHS)]
count_validators = [validators.MinValueValidator(0), validators.MaxValueValidator(MAX_COUNT)]


def check_year(year, field: str = "year") -> int:
    """For services that take a year from any caller (form, API, import): a DomainError, never a database error."""
    from django.utils.translation import gettext as _

    from kechuang.errors import DomainError, ErrorCode

    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(
            ErrorCode.INVALID,
            _("年份必须在 %(min)s 到 %(max)s 之间。") % {"min": MIN_YEAR, "max": MAX_YEAR},
            {"field": field},
            status=422,
        )
    return year


def bounded_page(value, default: int = 1) -> int:
    """A page number from a query string: anything unparseable or out of range is the first (or last) page."""
    try:
        page = int(value)
    except (TypeError, ValueError):
        return default
    return max(1, min(page, MAX_PAGE))


class BoundedPages(PageNumberPagination):
    """django-ninja's page-number pagination with a page number and size the database can take."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)


def parse_int(value, *, low: int, high: int, default=None):
    """An integer typed into a query string or a form field, for views that read one without a Form: NFKC first
    (full-width digits are digits), then plain ASCII digits with an optional sign only (no "²", no "1e3", no
    underscores); `default` when absent, unparseable or outside [low, high]. Never raises."""
    if value is None:
        return default
    text = unicodedata.normalize("NFKC", str(value)[:64]).strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or len(digits) > 19 or not (digits.isascii() and digits.isdigit()):
        return default
    number = int(text)
    return number if low <= number <= high else default
