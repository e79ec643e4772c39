"""Helpers of the pledge pages: the reader's language, rendering, the party a user acts as, product rows."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import translation

from kechuang.permissions.pledge import party_of
from kechuang.pledge.models import LoanProductText


def reader_language() -> str:
    return (translation.get_language() or "zh-hans").lower()


def render_page(request, template, context, status=200):
    context.setdefault("party", party_of(request.user))
    return render(request, template, context, status=status)


def require_party(request, *parties) -> str:
    party = party_of(request.user)
    if party not in parties:
        raise PermissionDenied("pledge")
    return party


def product_rows(queryset):
    lang = reader_language()
    rows = list(
        queryset.select_related("bank").prefetch_related(
            Prefetch("texts", queryset=LoanProductText.objects.all())
        )
    )
    for p in rows:
        p.display = p.text(lang)
    return rows
