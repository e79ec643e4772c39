"""Benefit schedules: pure code, no Django.

A benefit of `total` fen over `years` years is split into yearly instalments in whole 元 (payments go out in whole
元): each instalment is the total's whole 元 ÷ years, the 元 left over (fewer than `years`) go one each to the first
instalments, and any fen below one 元 go to the first instalment, so the instalments sum exactly to the total.
Invariants (property-tested in tests/test_properties.py):
- the instalments of a schedule sum to its total, none is negative;
- stopping a schedule cancels only instalments not yet paid, so what is paid never exceeds the total;
- a recovery is never more than what was paid of the kinds it covers, and never negative.
Recovery on leaving before the service commitment: paid × unserved whole months ÷ committed months, rounded down
to the fen (the benefit of the doubt goes to the person).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    index: int  # 1-based instalment number
    year: int  # calendar year in which it falls due
    amount_fen: int


YUAN = 100


def split_evenly(total_fen: int, parts: int, unit: int = YUAN) -> list[int]:
    if total_fen < 0 or parts < 1:
        raise ValueError("a schedule needs a total ≥ 0 and at least one instalment")
    units, rest = divmod(total_fen, unit)
    each, left = divmod(units, parts)
    amounts = [(each + (1 if i < left else 0)) * unit for i in range(parts)]
    amounts[0] += rest
    return amounts


def schedule(total_fen: int, years: int, first_year: int) -> list[Line]:
    return [
        Line(i + 1, first_year + i, amount)
        for i, amount in enumerate(split_evenly(total_fen, years))
        if amount
    ]


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end (end exclusive), never negative."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class Recovery:
    amount_fen: int
    served_months: int
    committed_months: int
    paid_fen: int

    @property
    def unserved_months(self) -> int:
        return max(self.committed_months - self.served_months, 0)


def recovery(paid_fen: int, started: dt.date, left: dt.date, service_years: int) -> Recovery:
    """What is paid back of `paid_fen` (the kinds the rules cover) when leaving on `left` before the commitment."""
    committed = service_years * 12
    served = min(months_between(started, left), committed)
    amount = paid_fen * (committed - served) // committed if committed and paid_fen > 0 else 0
    return Recovery(max(amount, 0), served, committed, max(paid_fen, 0))


def remaining_capacity(total_fen: int, amounts: list[int]) -> int:
    """How much more a schedule may still hold: the total less what its live instalments already hold."""
    return total_fen - sum(amounts)
