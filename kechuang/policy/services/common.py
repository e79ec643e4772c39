"""Small helpers shared by the policy services: year and money checks, the round lock, refusals."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.policy.engine import Policy
from kechuang.policy.models import MAX_FEN, Round

MIN_YEAR, MAX_YEAR = 2000, 2100
CANCELLABLE = (
    Round.Status.DRAFT,
    Round.Status.SCREENING,
    Round.Status.CITY_REVIEW,
    Round.Status.JOINT_REVIEW,
    Round.Status.NOTICE,
)


def dedupe_key(policy: Policy, year: int) -> str:
    return f"{policy.group or policy.code}:{year}"


def positive_fen(value, field: str) -> int:
    """A positive amount in fen, at most 10^15 (refused with 422 otherwise, never an overflow)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise DomainError(
            ErrorCode.INVALID, _("预算必须是正的整数金额（分）。"), {"field": field}, status=422
        )
    if value > MAX_FEN:
        raise DomainError(
            ErrorCode.INVALID,
            _("金额不能超过 %(max)s 元。") % {"max": f"{MAX_FEN // 100:,}"},
            {"field": field},
            status=422,
        )
    return value


def checked_year(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_YEAR <= value <= MAX_YEAR:
        raise DomainError(
            ErrorCode.INVALID,
            _("年度应在 %(lo)s 至 %(hi)s 之间。") % {"lo": MIN_YEAR, "hi": MAX_YEAR},
            {"field": field},
            status=422,
        )
    return value


def lock_round(round_: Round, *expected) -> Round:
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if expected and locked.status not in expected:
        raise StateError(
            _("批次当前状态为“%(status)s”，不能执行此操作。") % {"status": locked.get_status_display()}
        )
    return locked


def forbid(message) -> DomainError:
    return DomainError(ErrorCode.FORBIDDEN, message, status=403)
