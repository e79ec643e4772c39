"""People paid directly: an entitlement decided by another module's procedure for people at an organisation (talent
benefits — the living subsidy and the settling-in allowance are the person's, not the employer's) goes on a round as
one candidate per person, carrying the person's name, masked ID number and own bank account to the payment line
and the bank's payment file.

The engine still computes the organisation's entitlement from its registry figure; the people's lines must add up
to exactly that amount (a difference is refused, never paid). A person's line is never paid twice: the same
organisation, thing and person already paid or on another round's active list is recorded as a duplicate. The
candidates start as recommended (the deciding module's procedure replaced the county and city reviews) and go on
through the 联合会审, notice, 财政会签, approval, payment batch and bank return like every payout."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.codes import CodeError, check_bank_account
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions import require
from kechuang.permissions.policy import PolicyCap, can_manage_round
from kechuang.policy.models import Candidate, Payment, Round

# policy code → the module that decides its people and their amounts
PERSON_PAYEE_POLICIES = {"talent_benefit": "talent"}
ENDED = (
    Candidate.Status.COUNTY_REJECTED,
    Candidate.Status.CITY_REJECTED,
    Candidate.Status.JOINT_REJECTED,
    Candidate.Status.WITHDRAWN,
    Candidate.Status.SUPERSEDED,
    Candidate.Status.DUPLICATE,
)


@dataclass(frozen=True)
class PersonLine:
    """One payee of an organisation's entitlement: a person (name, masked ID number, own account), or — with
    `person=False` — the organisation itself for its share (paid to its registry account as every payout)."""

    key: str  # the deciding module's name for the payee, e.g. "talent.person:12"
    name: str
    amount_fen: int
    id_masked: str = ""
    bank_name: str = ""
    account: str = ""
    note: str = ""
    person: bool = True


def person_dedupe_key(policy_code: str, year: int) -> str:
    return f"{policy_code}:{year}"


def _check_line(line: PersonLine) -> str:
    if not line.key or len(line.key) > 40 or not line.name.strip():
        raise DomainError(ErrorCode.INVALID, _("收款人信息不完整。"), {"payee": line.key}, 422)
    if isinstance(line.amount_fen, bool) or not isinstance(line.amount_fen, int) or line.amount_fen <= 0:
        raise DomainError(ErrorCode.INVALID, _("金额应为正数。"), {"payee": line.key}, 422)
    if not line.person:
        return ""
    try:
        account = check_bank_account(line.account)
    except CodeError as exc:
        raise DomainError(
            ErrorCode.INVALID, exc.message, {"payee": line.key, "reason": exc.reason}, 422
        ) from exc
    if not account or not line.bank_name.strip():
        raise DomainError(
            ErrorCode.INVALID,
            _("%(name)s 未登记本人开户银行和账号。") % {"name": line.name},
            {"payee": line.key, "reason": "account_missing"},
            422,
        )
    return account


@transaction.atomic
def do_add_person_candidates(
    round_: Round, organisation, policy_code: str, lines: list[PersonLine], *, decided: str, acting_user
) -> list[Candidate]:
    """Put the people `lines` name (all of `organisation`) on a draft round, one candidate each."""
    from kechuang.policy.services import calculate_for_organisation

    require(can_manage_round(acting_user, round_), PolicyCap.ROUND_MANAGE)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != Round.Status.DRAFT:
        raise StateError(
            _("批次当前状态为“%(status)s”，不能执行此操作。") % {"status": round_.get_status_display()}
        )
    if policy_code not in PERSON_PAYEE_POLICIES or policy_code not in round_.policy_codes:
        raise DomainError(ErrorCode.INVALID, _("该批次不受理这项政策。"), status=422)
    if not decided.strip():
        raise DomainError(ErrorCode.INVALID, _("请写明决定依据。"), {"field": "decided"}, 422)
    if not lines or len({line.key for line in lines}) != len(lines):
        raise DomainError(ErrorCode.INVALID, _("收款人名单为空或重复。"), status=422)
    accounts = {line.key: _check_line(line) for line in lines}
    calc = calculate_for_organisation(organisation, round_.year, codes=[policy_code])[0]
    total = sum(line.amount_fen for line in lines)
    if not calc.result.eligible or calc.result.amount != total:
        raise DomainError(
            ErrorCode.CONFLICT,
            _("%(org)s：测算金额 %(calc)s 分与收款人合计 %(total)s 分不一致。")
            % {
                "org": organisation.name,
                "calc": calc.result.amount if calc.result.eligible else 0,
                "total": total,
            },
            {"computed_fen": calc.result.amount, "lines_fen": total},
            status=409,
        )
    key = person_dedupe_key(policy_code, round_.year)
    paid = set(
        Payment.objects.filter(organisation=organisation, dedupe_key=key).values_list("payee_key", flat=True)
    )
    listed = set(
        Candidate.objects.filter(organisation=organisation, dedupe_key=key)
        .exclude(status__in=ENDED)
        .values_list("payee_key", flat=True)
    )
    candidates = []
    for line in lines:
        status, reason = Candidate.Status.RECOMMENDED, ""
        if line.key in paid or line.key in listed:
            status, reason = Candidate.Status.DUPLICATE, _("同一事项已拨付或已在其他批次名单中，不重复拨付")
        candidate = Candidate.objects.create(
            round=round_,
            organisation=organisation,
            policy_version=calc.version,
            policy_code=policy_code,
            dedupe_key=key,
            computed_fen=line.amount_fen,
            status=status,
            reason=reason,
            trace=[
                *calc.result.trace,
                {"payee": line.name, "amount_fen": line.amount_fen, "note": line.note},
            ],
            county_note=decided.strip()[:255],
            city_note=decided.strip()[:255],
            payee_key=line.key,
            payee_name=line.name.strip()[:200] if line.person else "",
            payee_id_masked=line.id_masked[:24] if line.person else "",
            payee_bank_name=line.bank_name.strip()[:100] if line.person else "",
            payee_account=accounts[line.key],
        )
        # the audit trail keeps the account's last four digits only: it is read more widely than the account
        record(
            "policy.candidate.add",
            candidate,
            acting_user=acting_user,
            changes={
                "policy": [None, policy_code],
                "payee": [None, line.key],
                "account_tail": [None, accounts[line.key][-4:] or None],
                "computed_fen": [None, line.amount_fen],
                "status": [None, status],
            },
        )
        candidates.append(candidate)
    return candidates
