"""Payouts whose entitlement another module has already decided by its own procedure — a prize in the regional
government's award decision, a national award result, a programme project's task-contract milestone — paid through
the ordinary payout workflow.

Nobody applies for them and the county and city have nothing to review: each candidate enters the round
recommended, carrying the decision, and the rest is the ordinary chain — 联合会审 signatures, 公示, 财政会签,
approval, payment file, bank return, fund ledger — with the same separation of duties. The amount is still computed
by the policy engine, from the organisation's registry facts with the decided figure laid over them, so each
candidate carries a trace like every other, and an amount that differs from the decision is refused, never paid.
This is the one way other modules (awards, projects) put decided payouts on a round.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions import require
from kechuang.permissions.policy import PolicyCap, can_manage_round
from kechuang.policy import inputs as inp
from kechuang.policy.models import Candidate, Payment, Round
from kechuang.policy.services.common import dedupe_key, lock_round
from kechuang.policy.services.screening import already_taken
from kechuang.policy.services.versions import get_current_policy

# The policies whose entitlement another module decides, and the figure of the decision each rule reads.
DECIDED_ELSEWHERE = {
    "st_award_prize": "st_award_prize_due",  # awards: the regional S&T award decision
    "patent_award_prize": "patent_award_prize_due",  # awards: the patent award decision
    "national_award_matching": "national_award_prize_led",  # awards: national results it records
    "national_award_defence": "national_defence_projects",
    "project_contract": "project_milestone_due",  # projects: a due task-contract milestone
}


@dataclass(frozen=True)
class Decided:
    """One decided payout: `figure` is the value of the decision the rule reads (fen, or a count), `decision` the
    decision's document and what it covers (shown to the reviewers). `dedupe_key`: what may be paid only once;
    by default the policy's own (one per organisation, exclusivity group and data year). `expect_fen`: the amount
    the decision names, when it names one; the engine's amount must equal it."""

    organisation: object
    policy_code: str
    figure: int
    decision: str
    dedupe_key: str = ""
    expect_fen: int | None = None


def evaluate_decided(organisation, year: int, policy_code: str, figure: int, decision: str):
    """(version, policy, result): the policy for one organisation on its registry facts, with the decided figure
    laid over them (and named as its source in the trace). Nothing is written to the registry."""
    version, policy = get_current_policy(policy_code)
    name = DECIDED_ELSEWHERE[policy_code]
    keys = policy.required_inputs() - {(name, 0), ("paid_before", 0)}
    sources: dict = {}
    data = inp.load_inputs(
        inp.population(inp.Organisation.objects.filter(pk=organisation.pk)), year, keys, sources
    )
    inputs = inp.row_inputs(data, 0)
    inputs[(name, 0)] = int(figure)
    sources[(name, 0)] = decision[:120]
    inputs[("paid_before", 0)] = int(
        Payment.objects.filter(
            organisation=organisation, candidate__policy_code=policy_code, candidate__round__year__lt=year
        ).exists()
    )
    return version, policy, policy.evaluate_one(year, inputs, sources)


@transaction.atomic
def do_add_decided_candidates(round_: Round, decided: list[Decided], *, acting_user) -> list[Candidate]:
    """Put decided payouts on a round (依申请, still accepting), each recommended with its decision, then close the
    round's applications: it waits for its 联合会审. All or nothing: one refusal adds none. Returns the candidates.

    Refused: a policy not decided elsewhere (it needs the county and city review), a policy the round does not
    take, an organisation outside the round's area, the same organisation and policy twice, something already
    paid or on another round's list (409, with the reason), an amount the engine cannot compute or that differs
    from the decision's."""
    require(can_manage_round(acting_user, round_), PolicyCap.ROUND_MANAGE)
    round_ = lock_round(round_, Round.Status.DRAFT)
    if round_.mode != Round.Mode.APPLY:
        raise StateError(_("只有依申请的批次可以接收已决定的拨付。"))
    if not decided:
        raise DomainError(ErrorCode.INVALID, _("没有要拨付的对象。"), status=422)
    seen = set(
        Candidate.objects.filter(round=round_, policy_code__in={d.policy_code for d in decided}).values_list(
            "organisation_id", "policy_code"
        )
    )
    out = []
    for row in decided:
        org, code = row.organisation, row.policy_code
        if code not in DECIDED_ELSEWHERE:
            raise DomainError(ErrorCode.INVALID, _("这项政策须经区县初审、市级推荐。"), status=422)
        if code not in round_.policy_codes:
            raise DomainError(ErrorCode.INVALID, _("该批次不受理这项政策。"), {"policy_code": code})
        if round_.area_id and round_.area_id not in (org.city_id, org.region_id):
            raise DomainError(
                ErrorCode.INVALID, _("该批次只面向%(area)s的机构。") % {"area": round_.area.name}
            )
        if (org.pk, code) in seen:
            raise DomainError(ErrorCode.CONFLICT, _("同一批次每个单位每项政策只能有一笔。"), status=409)
        seen.add((org.pk, code))
        decision = (row.decision or "").strip()
        if not decision:
            raise DomainError(
                ErrorCode.INVALID, _("请写明决定的文号和内容。"), {"field": "decision"}, status=422
            )
        version, policy, result = evaluate_decided(org, round_.year, code, row.figure, decision)
        if policy.kind != "payout" or not result.eligible or result.amount <= 0:
            raise DomainError(
                ErrorCode.INVALID,
                _("%(org)s：按决定的数据不符合这项政策。") % {"org": org},
                {"policy_code": code, "organisation_id": org.pk},
            )
        if row.expect_fen is not None and result.amount != row.expect_fen:
            raise DomainError(
                ErrorCode.INVALID,
                _("%(org)s：拨付金额与规则核算不一致。") % {"org": org},
                {"policy_code": code, "organisation_id": org.pk},
            )
        key = (row.dedupe_key or dedupe_key(policy, round_.year))[:80]
        taken = already_taken([org.pk], [key], round_)
        if taken:
            raise DomainError(
                ErrorCode.CONFLICT,
                _("%(org)s：%(reason)s") % {"org": org, "reason": taken[(org.pk, key)]},
                {"policy_code": code, "organisation_id": org.pk, "reason": "already_taken"},
                status=409,
            )
        candidate = Candidate.objects.create(
            round=round_,
            organisation=org,
            policy_version=version,
            policy_code=code,
            dedupe_key=key,
            computed_fen=result.amount,
            status=Candidate.Status.RECOMMENDED,
            trace=result.trace,
            applied=False,
            county_note=decision[:255],
            city_note=decision[:255],
        )
        record(
            "policy.candidate.add",
            candidate,
            acting_user=acting_user,
            changes={
                "policy": [None, code],
                "computed_fen": [None, result.amount],
                "status": [None, candidate.status],
            },
            note=decision[:200],
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
