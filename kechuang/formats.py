"""Dates, times, numbers and money in the reader's language, from CLDR (Babel) rather than Django's catalogues.

Django formats dates with month names from its own translations and falls back to the default language
(Chinese) where a language has none — Burmese dates came out as "三月 1, 2016". CLDR has the month names,
digits and patterns of every language the platform offers, so these helpers ask Babel. Times are shown in the
platform's time zone without naming it.
"""

import datetime as dt
from decimal import Decimal

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kechuang.money import wan, yuan

# Django language code → CLDR locale
_LOCALES = {"zh-hans": "zh_Hans", "zh-hant": "zh_Hant", "en": "en", "fil": "fil"}


def locale_name(language: str | None = None) -> str:
    code = (language or translation.get_language() or "zh-hans").lower()
    return _LOCALES.get(code, translation.to_locale(code).split("_")[0])


def date(value, fmt: str = "medium") -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return babel_dates.format_date(value, format=fmt, locale=locale_name())


def datetime(value, fmt: str = "medium", tz=None) -> str:
    """Date and minutes in `tz`, else the platform's time zone (or the value's own, for naive values)."""
    if value in (None, ""):
        return "—"
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = value.astimezone(tz) if tz is not None else timezone.localtime(value)
    if not isinstance(value, dt.datetime):
        return date(value, fmt)
    locale = locale_name()
    day = babel_dates.format_date(value.date(), format=fmt, locale=locale)
    clock = babel_dates.format_time(value.time(), format="short", locale=locale)
    return f"{day} {clock}"


def number(value, digits: int | None = None) -> str:
    if value in (None, ""):
        return "—"
    if digits is None:
        return babel_numbers.format_decimal(value, locale=locale_name())
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return babel_numbers.format_decimal(Decimal(value), format=pattern, locale=locale_name())


def money(fen) -> str:
    """Integer fen as yuan, with the reader's separators and the word for yuan."""
    if fen in (None, ""):
        return "—"
    return _("%(amount)s 元") % {"amount": number(yuan(fen), 2)}


def money_wan(fen) -> str:
    """Integer fen as 万元 (ten thousand yuan), the unit officials read programme figures in."""
    if fen in (None, ""):
        return "—"
    return _("%(amount)s 万元") % {"amount": number(wan(fen), 2)}


def zone(tz) -> str:
    """A time zone as readers name it ("越南时间", "Vietnam Time"), never its database key."""
    try:
        return babel_dates.get_timezone_location(tz, locale=locale_name(), return_city=False)
    except (LookupError, ValueError):
        return str(tz)


def localname(obj) -> str:
    """Reference data (regions, industries, indicators) in the reader's language where an English name exists."""
    if obj is None or obj == "":
        return "—"
    name_en = getattr(obj, "name_en", "")
    if name_en and not (translation.get_language() or "zh").startswith("zh"):
        return name_en
    return getattr(obj, "name", str(obj))
