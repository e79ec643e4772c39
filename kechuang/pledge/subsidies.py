"""Subsidies from the special fund for patent-pledge loans: interest, valuation, insurance and guarantee.

The rates, caps, document and effective dates live in one place: the policy files `pledge_*_subsidy.yaml` of
`kechuang.policy` (scheduled changes through the policy app's parameter changes). This module only finds the bases
in the loan records and hands them to the policy engine, so the pledge page, the API and a payout round compute
the same amount with the same trace. `compute_subsidies(enterprise_id, year)` → one `SubsidyResult` per kind;
`payout_candidates(year)` → every enterprise with a non-zero result.

Bases, per enterprise and calendar year — only loans actually disbursed count (a loan rejected or withdrawn, or
approved but never disbursed, gives no subsidy):
- interest: interest actually repaid in the year (Repayment.interest_fen, by paid_on), paid on time: once a loan
  has defaulted, its interest from the year of the default on is not subsidised;
- valuation: valuation fees of disbursed loans valued in the year (valued_on);
- insurance: premiums of disbursed loans approved in the year with an insurer (approved_on);
- guarantee: guarantee fees of disbursed loans approved in the year with a guarantor (approved_on).
"""

from dataclasses import dataclass, field

from django.db.models import F, Q, Sum
from django.utils.translation import gettext as _

from kechuang.money import yuan_text
from kechuang.pledge.models import LoanApplication, LoanStatus, Repayment, SubsidyKind

# A loan that was disbursed: it has a disbursement date and is in a state that follows one.
DISBURSED_STATES = (
    LoanStatus.DISBURSED,
    LoanStatus.CLOSED,
    LoanStatus.DEFAULTED,
    LoanStatus.RISK_SHARED,
    LoanStatus.DISPOSED,
)
POLICY_CODES = {
    SubsidyKind.INTEREST: "pledge_interest_subsidy",
    SubsidyKind.VALUATION: "pledge_valuation_subsidy",
    SubsidyKind.INSURANCE: "pledge_insurance_subsidy",
    SubsidyKind.GUARANTEE: "pledge_guarantee_subsidy",
}


@dataclass
class SubsidyResult:
    kind: str
    base_fen: int
    amount_fen: int
    capped: bool
    parameter_id: int | None
    rate_bp: int | None
    cap_fen: int | None
    document_number: str
    verified: bool
    trace: list[str] = field(default_factory=list)
    label: str = ""

    def as_dict(self) -> dict:
        return {
            k: getattr(self, k)
            for k in (
                "kind",
                "base_fen",
                "amount_fen",
                "capped",
                "parameter_id",
                "rate_bp",
                "cap_fen",
                "document_number",
                "verified",
                "trace",
                "label",
            )
        }


def disbursed_loans():
    return LoanApplication.objects.filter(disbursed_on__isnull=False, status__in=DISBURSED_STATES)


def subsidy_bases(enterprise_id: int, year: int) -> dict[str, list[tuple[int, int]]]:
    """{kind: [(loan id, base fen), …]} from the loan records of one enterprise in one year."""
    loans = disbursed_loans().filter(enterprise_id=enterprise_id)
    bases: dict[str, list[tuple[int, int]]] = {k: [] for k in SubsidyKind.values}
    interest = (
        Repayment.objects.filter(
            application__in=loans.values("pk"),
            paid_on__year=year,
        )
        .exclude(application__defaulted_on__year__lte=F("paid_on__year"))
        .values("application_id")
        .annotate(total=Sum("interest_fen"))
        .order_by("application_id")
    )
    bases[SubsidyKind.INTEREST] = [(r["application_id"], r["total"]) for r in interest if r["total"]]
    bases[SubsidyKind.VALUATION] = list(
        loans.filter(valued_on__year=year, valuation_fee_fen__gt=0)
        .order_by("pk")
        .values_list("pk", "valuation_fee_fen")
    )
    approved = loans.filter(approved_on__year=year).order_by("pk")
    bases[SubsidyKind.INSURANCE] = list(
        approved.filter(insurance_premium_fen__gt=0).values_list("pk", "insurance_premium_fen")
    )
    bases[SubsidyKind.GUARANTEE] = list(
        approved.filter(guarantee_fee_fen__gt=0).values_list("pk", "guarantee_fee_fen")
    )
    return bases


# Names under which the bases would reach the policy engine (kechuang.policy) once it knows these variables.
POLICY_VARIABLES = {
    SubsidyKind.INTEREST: "pledge_interest_paid",
    SubsidyKind.VALUATION: "pledge_valuation_fee",
    SubsidyKind.INSURANCE: "pledge_insurance_premium",
    SubsidyKind.GUARANTEE: "pledge_guarantee_fee",
}


def policy_inputs(enterprise_id: int, year: int) -> dict[str, int]:
    """The yearly bases as engine inputs ({variable: fen}), for `kechuang.policy.services.evaluate_policy`."""
    return {
        POLICY_VARIABLES[kind]: sum(a for _loan, a in rows)
        for kind, rows in subsidy_bases(enterprise_id, year).items()
    }


def compute_subsidies(enterprise_id: int, year: int, *, flags: bool = True) -> list[SubsidyResult]:
    """One result per subsidy kind, computed by the policy engine from the loan bases, each with its trace.
    `flags`: name unverified references and parameters in the trace (for officials, not for the enterprise)."""
    from kechuang.policy.explain import trace_lines
    from kechuang.policy.services import get_current_policy

    results = []
    labels = dict(SubsidyKind.choices)
    for kind, rows in subsidy_bases(enterprise_id, year).items():
        base = sum(amount for _loan, amount in rows)
        trace = [
            _("贷款 #%(loan)s：%(label)s基数 %(amount)s 元")
            % {"loan": loan, "label": labels[kind], "amount": yuan_text(amount)}
            for loan, amount in rows
        ]
        _version, policy = get_current_policy(POLICY_CODES[kind])
        one = policy.evaluate_one(year, {("is_enterprise", 0): 1, (POLICY_VARIABLES[kind], 0): base})
        params = policy.params_for(year) if policy.in_effect(year) else {}
        rate, cap = params.get("rate_bp"), params.get("cap")
        trace.extend(str(line["text"]) for line in trace_lines(one.trace, flags=flags))
        verified = bool(rate and cap and rate.verified and cap.verified)
        trace.append(
            _("依据：%(reference)s（政策文件 %(code)s）%(flag)s")
            % {
                "reference": policy.reference,
                "code": policy.code,
                "flag": ""
                if verified and policy.reference_verified or not flags
                else _("（依据或参数未核实）"),
            }
        )
        results.append(
            SubsidyResult(
                kind,
                base,
                one.amount if one.eligible else 0,
                one.capped,
                None,
                rate.value if rate else None,
                cap.value if cap else None,
                policy.document,
                verified,
                trace,
                str(labels[kind]),
            )
        )
    return results


def payout_candidates(year: int, enterprise_ids=None) -> list[dict]:
    """Every enterprise with a non-zero subsidy in `year`: {enterprise_id, total_fen, results}, largest first."""
    active = Q(repayments__paid_on__year=year) | Q(valued_on__year=year) | Q(approved_on__year=year)
    ids = disbursed_loans().filter(active)
    if enterprise_ids is not None:
        ids = ids.filter(enterprise_id__in=list(enterprise_ids))
    rows = []
    for enterprise_id in sorted(set(ids.values_list("enterprise_id", flat=True))):
        results = [r for r in compute_subsidies(enterprise_id, year) if r.amount_fen]
        if results:
            rows.append(
                {
                    "enterprise_id": enterprise_id,
                    "total_fen": sum(r.amount_fen for r in results),
                    "results": results,
                }
            )
    rows.sort(key=lambda r: (-r["total_fen"], r["enterprise_id"]))
    return rows
