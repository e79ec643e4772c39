"""Payouts whose amount another module has already decided by its own procedure (a programme project's task
contract milestone), paid through this app's workflow: the candidate enters the round recommended, and the rest is
the ordinary chain — 联合会审 signatures, 公示, 财政会签, approval, payment file, bank return, fund ledger, with the
same separation of duties. The amount is still computed by the engine (the `project_contract` rule) so that the
candidate carries a trace like every other."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions.core import require
from kechuang.permissions.policy import PolicyCap, can_manage_round
from kechuang.policy.models import Candidate, Round


@transaction.atomic
def do_add_decided_candidates(
    round_: Round, rows: list[dict], *, policy_code: str, input_name: str, acting_user
) -> list[Candidate]:
    """`rows`: [{"organisation", "amount_fen", "dedupe_key", "reason"}], at most one per organisation. The round
    (mode 依申请, still accepting) then closes and waits for its 联合会审. Returns the candidates."""
    from kechuang.policy.services import current_versions, evaluate_policy, lock_round

    require(can_manage_round(acting_user, round_), PolicyCap.ROUND_MANAGE)
    round_ = lock_round(round_, Round.Status.DRAFT)
    if round_.mode != Round.Mode.APPLY:
        raise StateError(_("只有依申请的批次可以接收已决定的拨付。"))
    if policy_code not in round_.policy_codes:
        raise DomainError(ErrorCode.INVALID, _("该批次不受理这项政策。"))
    orgs = [r["organisation"].pk for r in rows]
    if len(set(orgs)) != len(orgs):
        raise DomainError(ErrorCode.CONFLICT, _("同一批次每个单位只能有一笔。"), status=409)
    version = current_versions()[policy_code]
    out = []
    for row in rows:
        result = evaluate_policy(policy_code, {input_name: row["amount_fen"]}, year=round_.year)
        if not result.eligible or result.amount != row["amount_fen"]:
            raise DomainError(
                ErrorCode.INVALID, _("拨付金额与规则核算不一致。"), {"dedupe_key": row["dedupe_key"]}
            )
        candidate = Candidate.objects.create(
            round=round_,
            organisation=row["organisation"],
            policy_version=version,
            policy_code=policy_code,
            dedupe_key=row["dedupe_key"][:80],
            computed_fen=result.amount,
            status=Candidate.Status.RECOMMENDED,
            reason=row.get("reason", "")[:255],
            trace=result.trace,
            applied=False,
        )
        record(
            "policy.candidate.add",
            candidate,
            acting_user=acting_user,
            changes={
                "policy": [None, policy_code],
                "computed_fen": [None, result.amount],
                "status": [None, candidate.status],
            },
            note=row.get("reason", "")[:200],
        )
        out.append(candidate)
    round_.status = Round.Status.CITY_REVIEW
    round_.save(update_fields=["status"])
    record(
        "policy.round.close_applications",
        round_,
        acting_user=acting_user,
        changes={"status": [Round.Status.DRAFT, round_.status], "decided": [None, len(out)]},
    )
    return out
