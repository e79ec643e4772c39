"""Exact money helpers: integer fen in, integer fen out, and the remainder rule for splitting."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

BP = 10000  # basis points in one whole


def wan_text(fen: int | None) -> str:
    if fen is None:
        return "—"
    return f"{Decimal(int(fen)) / 1_000_000:,.2f}"


def yuan_text(fen: int | None) -> str:
    if fen is None:
        return "—"
    return f"{Decimal(int(fen)) / 100:,.2f}"


def percent_text(bp: int) -> str:
    return f"{Decimal(int(bp)) / 100:.2f}%"


def apply_bp(amount_fen: int, bp: int, *, rounding=ROUND_DOWN) -> int:
    """amount × bp / 10000, rounded to the fen (down by default)."""
    return int((Decimal(int(amount_fen)) * int(bp) / BP).quantize(Decimal(1), rounding=rounding))


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


def monthly_interest(balance_fen: int, rate_bp: int) -> int:
    """Interest of one month on a balance at an annual rate: balance × rate / 12, half up to the fen."""
    return int(
        (Decimal(int(balance_fen)) * int(rate_bp) / BP / 12).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )
