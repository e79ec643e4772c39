import json

from django import template
from django.utils.safestring import mark_safe

from kechuang import money

register = template.Library()


@register.filter
def yuan(fen):
    """Integer fen as yuan with two decimals and thousands separators."""
    return money.yuan_text(fen)


@register.filter
def wan(fen):
    """Integer fen as 万元 with two decimals."""
    return money.wan_text(fen)


@register.filter
def to_json(value):
    """JSON for a data-* attribute; autoescaping of the attribute is kept by escaping quotes here."""
    from django.utils.html import escape

    return mark_safe(escape(json.dumps(value, ensure_ascii=False)))


@register.filter
def localname(obj):
    """Reference data (regions, industries) in the reader's language where an English name exists."""
    from kechuang import formats

    return formats.localname(obj)


@register.filter
def ldate(value, fmt="medium"):
    """A date in the reader's language (CLDR month names and order)."""
    from kechuang import formats

    return formats.date(value, fmt)


@register.filter
def ldatetime(value, fmt="medium"):
    """A date and time in the reader's language, in the platform's time zone."""
    from kechuang import formats

    return formats.datetime(value, fmt)


@register.filter
def lnumber(value, digits=None):
    """A number with the reader's separators."""
    from kechuang import formats

    return formats.number(value, digits)


@register.filter
def lmoney(fen):
    """Integer fen as 元 with the reader's separators."""
    from kechuang import formats

    return formats.money(fen)


@register.filter
def lwan(fen):
    """Integer fen as 万元 with the reader's separators."""
    from kechuang import formats

    return formats.money_wan(fen)


@register.filter
def has_cap(user, cap):
    """`{% if user|has_cap:"policy.policy:view" %}`: show a link only to those who may open it."""
    from kechuang.permissions import has_cap as check

    return check(user, cap)


@register.filter
def allows(obj, action):
    """`{% if obj|allows:"approve" %}`: the object's lifecycle table (kechuang.states) allows the action now."""
    from kechuang.states import machine_for

    return machine_for(obj).allows(obj, action)
