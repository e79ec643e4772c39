"""Putting organisations on a round's candidate list by application (screening adds its own; decided payouts
come through `decided`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions import has_cap, require
from kechuang.permissions.policy import PolicyCap, can_manage_round
from kechuang.policy.engine import NOT_COMPUTABLE
from kechuang.policy.engine.allocation import best_in_group
from kechuang.policy.models import Candidate, Round
from kechuang.policy.services.calculator import calculate_for_organisation
from kechuang.policy.services.common import dedupe_key, lock_round
from kechuang.policy.services.decided import DECIDED_ELSEWHERE
from kechuang.policy.services.screening import already_taken


@transaction.atomic
def do_add_candidate(
    round_: Round,
    organisation,
    policy_code: str,
    *,
    acting_user,
    attachment=None,
    applied: bool = False,
) -> Candidate:
    """Put one organisation on a round's list, computed by the engine: an application, or an official's addition
    to a round that accepts applications. What another module decided goes through `do_add_decided_candidates`."""
    if policy_code in DECIDED_ELSEWHERE:
        raise DomainError(ErrorCode.INVALID, _("这项奖励依据评审决定拨付，无需申请。"), status=422)
    if applied:
        if not (has_cap(acting_user, PolicyCap.APPLY) and acting_user.organisation_id == organisation.pk):
            raise PermissionDenied(PolicyCap.APPLY)
    else:
        require(can_manage_round(acting_user, round_), PolicyCap.ROUND_MANAGE)
    round_ = lock_round(round_, Round.Status.DRAFT)
    if round_.area_id and round_.area_id not in (organisation.city_id, organisation.region_id):
        raise DomainError(ErrorCode.INVALID, _("该批次只面向%(area)s的机构。") % {"area": round_.area.name})
    if policy_code not in round_.policy_codes:
        raise DomainError(ErrorCode.INVALID, _("该批次不受理这项政策。"))
    calc = calculate_for_organisation(organisation, round_.year, codes=[policy_code])[0]
    if calc.policy.kind != "payout":
        raise DomainError(ErrorCode.INVALID, _("这项政策不涉及资金拨付。"))
    if not calc.result.eligible or calc.result.amount <= 0:
        raise DomainError(
            ErrorCode.NOT_COMPUTABLE if calc.result.status == NOT_COMPUTABLE else ErrorCode.INVALID,
            _("不符合“%(policy)s”：%(reason)s")
            % {"policy": calc.name, "reason": calc.reason or _("金额为零")},
        )
    key = dedupe_key(calc.policy, round_.year)
    if Candidate.objects.filter(round=round_, organisation=organisation, policy_code=policy_code).exists():
        raise DomainError(ErrorCode.CONFLICT, _("已经提交过这项申请。"), status=409)
    status, reason = Candidate.Status.PENDING, ""
    taken = already_taken([organisation.pk], [key], round_)
    if taken and applied:
        # an application for what was already paid (or is on another round's list) is refused, with the reason,
        # rather than accepted and shown as 0.00 later
        raise DomainError(
            ErrorCode.CONFLICT,
            _("不能重复申请“%(policy)s”：%(reason)s")
            % {"policy": calc.name, "reason": taken[(organisation.pk, key)]},
            {"policy_code": policy_code, "reason": "already_taken"},
            status=409,
        )
    if taken:
        status, reason = Candidate.Status.DUPLICATE, taken[(organisation.pk, key)]
    else:
        rival = (
            Candidate.objects.select_for_update()
            .filter(round=round_, organisation=organisation, dedupe_key=key, status=Candidate.Status.PENDING)
            .first()
        )
        if rival is not None:
            choice = best_in_group({rival.policy_code: rival.computed_fen, policy_code: calc.result.amount})
            loser_reason = _("从优从高不重复：同类奖补只享受金额较高的一项")
            if choice.winner == policy_code:
                rival.status, rival.reason = Candidate.Status.SUPERSEDED, loser_reason
                rival.save(update_fields=["status", "reason"])
            else:
                status, reason = Candidate.Status.SUPERSEDED, loser_reason
    candidate = Candidate.objects.create(
        round=round_,
        organisation=organisation,
        policy_version=calc.version,
        policy_code=policy_code,
        dedupe_key=key,
        computed_fen=calc.result.amount,
        status=status,
        reason=reason,
        trace=calc.result.trace,
        applied=applied,
        attachment=attachment or "",
    )
    record(
        "policy.candidate.add",
        candidate,
        acting_user=acting_user,
        changes={
            "policy": [None, policy_code],
            "computed_fen": [None, calc.result.amount],
            "status": [None, status],
        },
    )
    return candidate


@transaction.atomic
def do_close_applications(round_: Round, *, acting_user) -> Round:
    require(can_manage_round(acting_user, round_), PolicyCap.ROUND_MANAGE)
    round_ = lock_round(round_, Round.Status.DRAFT)
    if round_.mode != Round.Mode.APPLY:
        raise StateError(_("免申即享批次请使用全量筛查。"))
    round_.status = Round.Status.CITY_REVIEW
    round_.save(update_fields=["status"])
    record(
        "policy.round.close_applications",
        round_,
        acting_user=acting_user,
        changes={"status": [Round.Status.DRAFT, round_.status]},
    )
    return round_
