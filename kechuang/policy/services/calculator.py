"""The calculator: one policy or every policy for one organisation, and what an enterprise is told
(computed, awarded, paid and why they differ)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kechuang.money import yuan_text
from kechuang.policy import inputs as inp
from kechuang.policy.engine import ELIGIBLE, NOT_COMPUTABLE, Policy
from kechuang.policy.explain import label, reason_text
from kechuang.policy.models import Candidate, Payment, PolicyVersion, Round
from kechuang.policy.services.common import dedupe_key
from kechuang.policy.services.versions import all_overrides, current_versions, get_current_policy, get_policy

# ---- evaluation entry points -----------------------------------------------------------------------------


def evaluate_policy(policy_code: str, inputs: dict, *, year: int):
    """Evaluate one policy for one set of inputs with the full trace (the entry point for other modules).

    `inputs`: {"rd_spending": 123, ("rd_spending", -1): 100, ...} — plain names mean the current period.
    """
    _version, policy = get_current_policy(policy_code)
    normalised = {
        (k if isinstance(k, tuple) else (k, 0)): (int(v) if v is not None else None)
        for k, v in inputs.items()
    }
    return policy.evaluate_one(year, normalised)


@dataclass
class Calculation:
    version: PolicyVersion
    policy: Policy
    result: object  # engine OneResult, from the figures the policy accepts
    # a payout rule's result had the organisation's own (unconfirmed) figures been confirmed, when that differs;
    # shown only as a preview, marked as such, never paid
    if_confirmed: object = None
    # a self-assessment's every condition: [{"key", "label", "result": True/False/None, "reason"}]
    checks: list | None = None

    @property
    def name(self):
        return label(self.policy.name)

    @property
    def assessment(self) -> dict | None:
        """A self-assessment's honest summary: how many conditions are met, not met, and cannot be told."""
        if self.checks is None:
            return None
        checks = [c for c in self.checks if c["key"] != "applies_to"]
        met = sum(1 for c in checks if c["result"] is True)
        failed = sum(1 for c in checks if c["result"] is False)
        unknown = sum(1 for c in checks if c["result"] is None)
        state = "not_met" if failed else ("incomplete" if unknown else "complete_met")
        return {"met": met, "failed": failed, "unknown": unknown, "total": len(checks), "state": state}

    @property
    def reason(self):
        summary = self.assessment
        if summary is not None and summary["state"] != "complete_met":
            text = _("%(met)s 项符合，%(failed)s 项不符合，%(unknown)s 项缺少数据无法判断") % summary
            if summary["unknown"]:
                text += _("（自评不完整）")
            return text
        if self.result.status == NOT_COMPUTABLE:
            return reason_text(self.result.reason)
        if self.result.failed >= 0:
            return _("未满足：%(condition)s") % {
                "condition": label(self.policy.conditions[self.result.failed].label)
            }
        return ""


def calculate_for_organisation(org, year: int, codes=None, *, exclude=()) -> list[Calculation]:
    """Every (or the given) policy for one organisation, less those in `exclude`: the same loader and engine as
    screening."""
    versions = current_versions()
    overrides = all_overrides()
    selected = [
        (v, get_policy(v, overrides.get(code, [])))
        for code, v in sorted(versions.items())
        if (not codes or code in codes) and code not in exclude
    ]
    pop = inp.population(inp.Organisation.objects.filter(pk=org.pk))
    keys = set().union(*(p.required_inputs() for _, p in selected)) if selected else set()
    keys -= {("paid_before", 0)}
    payout_keys = set().union(*(p.required_inputs() for _, p in selected if p.kind == "payout"))
    sources: dict = {}
    any_sources: dict = {}
    cache: dict = {}  # facts and indicator rows read once for both loads (the larger set of keys first)
    any_data = inp.load_inputs(pop, year, keys, any_sources, authoritative=False, cache=cache)
    data = inp.load_inputs(pop, year, payout_keys - {("paid_before", 0)}, sources, cache=cache)
    paid = set(
        Payment.objects.filter(organisation=org, candidate__round__year__lt=year).values_list(
            "candidate__policy_code", flat=True
        )
    )
    out = []
    for version, policy in selected:
        payout = policy.kind == "payout"
        inputs = inp.row_inputs(data if payout else any_data, 0)
        inputs[("paid_before", 0)] = int(policy.code in paid)
        result = policy.evaluate_one(year, inputs, sources if payout else any_sources)
        if_confirmed = None
        if payout:
            unconfirmed = inp.row_inputs(any_data, 0)
            unconfirmed[("paid_before", 0)] = inputs[("paid_before", 0)]
            if any(unconfirmed.get(k) != inputs.get(k) for k in policy.required_inputs()):
                preview = policy.evaluate_one(year, unconfirmed, any_sources)
                if preview.status == ELIGIBLE and (
                    result.status != ELIGIBLE or preview.amount != result.amount
                ):
                    if_confirmed = preview
        checks = policy.check_each(year, inputs) if policy.kind == "assessment" else None
        out.append(Calculation(version, policy, result, if_confirmed, checks))
    return out


# ---- what an enterprise is told: computed, awarded, paid and why they differ ------------------------------------

ACTIVE_CANDIDATE = (
    Candidate.Status.PENDING,
    Candidate.Status.COUNTY_PASSED,
    Candidate.Status.RECOMMENDED,
    Candidate.Status.LISTED,
    Candidate.Status.APPROVED,
)


@dataclass
class Standing:
    """One policy for one organisation and data year: what the engine computes now, what a round awarded, what
    was paid, and every reason they differ. `offer` is what may still be shown as 可享 (0 once anything of the same
    thing is paid or under way)."""

    code: str
    computed_fen: int
    awarded_fen: int | None = None
    paid_fen: int = 0
    state: str = "open"  # open | in_round | paid | paying | closed
    round_name: str = ""
    why: list = None  # list[str]

    @property
    def offer_fen(self) -> int:
        return self.computed_fen if self.state == "open" else 0


def standings_for(org, year: int, calcs: list[Calculation]) -> dict[str, Standing]:
    """For each payout policy: the engine's amount against the organisation's candidates and payments for the
    same thing (the dedupe key: the exclusivity group or the policy, and the data year)."""
    payout = [c for c in calcs if c.policy.kind == "payout"]
    keys = {c.policy.code: dedupe_key(c.policy, year) for c in payout}
    names = {c.policy.code: c.name for c in calcs}  # a policy is named to the enterprise, never by its code
    candidates = list(
        Candidate.objects.filter(organisation=org, dedupe_key__in=set(keys.values()))
        .exclude(round__status=Round.Status.CANCELLED)
        .select_related("round")
        .order_by("-created_at", "-id")
    )
    payments = {
        p.candidate_id: p
        for p in Payment.objects.filter(organisation=org, dedupe_key__in=set(keys.values())).select_related(
            "candidate"
        )
    }
    out = {}
    for calc in payout:
        code, key = calc.policy.code, keys[calc.policy.code]
        computed = calc.result.amount if calc.result.eligible else 0
        st = Standing(code, computed, why=[])
        mine = [c for c in candidates if c.policy_code == code]
        same_thing = [c for c in candidates if c.dedupe_key == key]
        paid_other = [
            c for c in same_thing if c.pk in payments and payments[c.pk].status != Payment.Status.FAILED
        ]
        if paid_other and all(c.policy_code != code for c in paid_other):
            other = paid_other[0]
            st.state = "closed"
            st.why.append(
                _("从优从高不重复：同类奖补“%(policy)s”已拨付（%(round)s）")
                % {"policy": names.get(other.policy_code, other.round.name), "round": other.round.name}
            )
        cand = mine[0] if mine else None
        if cand is not None:
            st.round_name = cand.round.name
            st.awarded_fen = cand.awarded_fen
            payment = payments.get(cand.pk)
            if payment is not None and payment.status == Payment.Status.PAID:
                st.state, st.paid_fen = "paid", payment.amount_fen
            elif payment is not None and payment.status == Payment.Status.PENDING:
                st.state = "paying"
            elif cand.status in ACTIVE_CANDIDATE:
                st.state = "in_round"
            elif st.state == "open" and cand.status in (
                Candidate.Status.SUPERSEDED,
                Candidate.Status.DUPLICATE,
                Candidate.Status.CARRIED,
            ):
                st.state = "in_round" if cand.status == Candidate.Status.CARRIED else "closed"
            elif st.state == "open":
                st.state = "closed"
            st.why.extend(difference_reasons(cand, payment, computed))
        out[code] = st
    return out


def difference_reasons(cand: Candidate, payment, computed_now: int) -> list[str]:
    """Why the computed, awarded and paid amounts of one candidate differ, in the order the money moved."""
    why = []
    if computed_now != cand.computed_fen:
        why.append(
            _("按现有数据测算为 %(now)s 元，批次名单按当时数据测算为 %(then)s 元")
            % {"now": yuan_text(computed_now), "then": yuan_text(cand.computed_fen)}
        )
    status = cand.status
    if status == Candidate.Status.SUPERSEDED:
        why.append(_("从优从高不重复：%(reason)s") % {"reason": cand.reason or _("同类奖补只享受一项")})
    elif status == Candidate.Status.DUPLICATE:
        why.append(cand.reason or _("同一事项已享受，不重复"))
    elif status == Candidate.Status.CARRIED:
        why.append(_("本批预算不足，转入下一批（%(reason)s）") % {"reason": cand.reason})
    elif status == Candidate.Status.WITHDRAWN:
        why.append(_("公示期间异议成立，取消：%(reason)s") % {"reason": cand.reason})
    elif status in (
        Candidate.Status.COUNTY_REJECTED,
        Candidate.Status.CITY_REJECTED,
        Candidate.Status.JOINT_REJECTED,
    ):
        why.append(_("%(status)s：%(reason)s") % {"status": cand.get_status_display(), "reason": cand.reason})
    awarded = cand.awarded_fen
    if awarded and awarded != cand.computed_fen:
        whole = (cand.computed_fen // 100) * 100
        if awarded == whole:
            why.append(_("按整元核定（角、分舍去）"))
        elif cand.round.prorated:
            why.append(
                _("预算不足，按比例分配：测算 %(computed)s 元，核定 %(awarded)s 元")
                % {"computed": yuan_text(cand.computed_fen), "awarded": yuan_text(awarded)}
            )
    if payment is not None:
        for r in payment.recoveries.all():
            why.append(
                _("数据调减后重新核定为 %(due)s 元，多拨 %(over)s 元应退回（已退回 %(back)s 元）")
                % {
                    "due": yuan_text(r.recomputed_fen),
                    "over": yuan_text(r.overpaid_fen),
                    "back": yuan_text(r.recovered_fen),
                }
            )
        if payment.status == Payment.Status.FAILED:
            why.append(_("拨付失败：%(reason)s") % {"reason": payment.failure_reason})
        elif payment.status == Payment.Status.PENDING:
            why.append(_("已生成拨付指令 %(ref)s，等待银行到账") % {"ref": payment.reference})
    return why
