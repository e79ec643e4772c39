"""Pure allocation rules: 从优从高不重复 (best award per exclusivity group) and deterministic pro-rating."""

from __future__ import annotations

from dataclasses import dataclass


def prorate(requests: list[tuple[object, int]], budget_fen: int) -> dict[object, int]:
    """Share `budget_fen` among `requests` [(key, requested_fen)], exactly and deterministically.

    If the requests fit, everyone gets what they asked. Otherwise each gets floor(request × budget / total)
    and the fen left over (fewer than the number of requests) go one each to the largest fractional remainders;
    ties go to the larger request, then to the smaller key. Nobody gets more than requested, and the total
    equals the budget exactly.
    """
    if budget_fen < 0:
        raise ValueError("budget must not be negative")
    if any(amount < 0 for _, amount in requests):
        raise ValueError("requests must not be negative")
    total = sum(amount for _, amount in requests)
    if total <= budget_fen:
        return dict(requests)
    shares, order = {}, []
    for key, amount in requests:
        share, remainder = divmod(amount * budget_fen, total)
        shares[key] = share
        order.append((-remainder, -amount, key))
    left = budget_fen - sum(shares.values())
    for _, _, key in sorted(order)[:left]:
        shares[key] += 1
    return shares


@dataclass(frozen=True)
class Choice:
    winner: str
    amount_fen: int


def best_in_group(offers: dict[str, int], priority: list[str] | None = None) -> Choice:
    """Pick the best award among mutually exclusive offers {policy_code: amount}: the highest amount wins,
    ties go to the earlier code in `priority` (or the alphabetically first code)."""
    if not offers:
        raise ValueError("no offers")
    rank = {code: i for i, code in enumerate(priority or sorted(offers))}
    code = min(offers, key=lambda c: (-offers[c], rank.get(c, len(rank)), c))
    return Choice(code, offers[code])
