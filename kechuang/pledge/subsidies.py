"""Subsidies from the special fund for patent-pledge loans: interest, valuation, insurance and guarantee.

Computed from the loan records with dated, versioned parameters (rate and yearly cap per enterprise, document number,
`verified` flag). The interface is `compute_subsidies(enterprise_id, year)` → one `SubsidyResult` per kind with an
explanation trace, and `payout_candidates(year)` → every enterprise with a non-zero result, ready to hand to a payout
workflow. No primary text for the pledge-subsidy ratios was found, so the shipped defaults are marked unverified.

Bases, per enterprise and calendar year:
- interest: interest actually repaid in the year (Repayment.interest_fen, by paid_on);
- valuation: valuation fees of loans valued in the year (valued_on);
- insurance: premiums of loans approved in the year with an insurer (approved_on);
- guarantee: guarantee fees of loans approved in the year with a guarantor (approved_on).
Amount = base × rate, rounded down to the fen, then capped per enterprise per year. The parameter used is the one in
force on 31 December of the year (the latest `effective_from` on or before it whose `effective_to` is not earlier).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from kechuang.money import apply_bp, percent_text, yuan_text
from kechuang.pledge.models import LoanApplication, Repayment, SubsidyKind, SubsidyParameter

# Defaults a new installation starts from; every one unverified (no primary document found).
DEFAULT_PARAMETERS = [
    {
        "kind": SubsidyKind.INTEREST,
        "rate_bp": 5000,
        "cap_fen": 500_000_00,
        "effective_from": dt.date(2019, 1, 1),
        "document_number": "（待核实）",
        "clause": "贴息：按实际支付利息的 50%",
    },
    {
        "kind": SubsidyKind.VALUATION,
        "rate_bp": 5000,
        "cap_fen": 100_000_00,
        "effective_from": dt.date(2019, 1, 1),
        "document_number": "（待核实）",
        "clause": "评估费补助：50%",
    },
    {
        "kind": SubsidyKind.INSURANCE,
        "rate_bp": 5000,
        "cap_fen": 200_000_00,
        "effective_from": dt.date(2019, 1, 1),
        "document_number": "（待核实）",
        "clause": "保费补助：50%",
    },
    {
        "kind": SubsidyKind.GUARANTEE,
        "rate_bp": 5000,
        "cap_fen": 200_000_00,
        "effective_from": dt.date(2019, 1, 1),
        "document_number": "（待核实）",
        "clause": "担保费补助：50%",
    },
]


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


def parameter_for(kind: str, on: dt.date) -> SubsidyParameter | None:
    return (
        SubsidyParameter.objects.filter(kind=kind, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from", "-id")
        .first()
    )


def subsidy_bases(enterprise_id: int, year: int) -> dict[str, list[tuple[int, int]]]:
    """{kind: [(loan id, base fen), …]} from the loan records of one enterprise in one year."""
    loans = LoanApplication.objects.filter(enterprise_id=enterprise_id)
    bases: dict[str, list[tuple[int, int]]] = {k: [] for k in SubsidyKind.values}
    interest = (
        Repayment.objects.filter(application__enterprise_id=enterprise_id, paid_on__year=year)
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


def compute_subsidies(enterprise_id: int, year: int) -> list[SubsidyResult]:
    """One result per subsidy kind, each with the trace of how it was reached."""
    on = dt.date(year, 12, 31)
    results = []
    labels = dict(SubsidyKind.choices)
    for kind, rows in subsidy_bases(enterprise_id, year).items():
        base = sum(amount for _loan, amount in rows)
        trace = [
            _("贷款 #%(loan)s：%(label)s基数 %(amount)s 元")
            % {"loan": loan, "label": labels[kind], "amount": yuan_text(amount)}
            for loan, amount in rows
        ]
        param = parameter_for(kind, on)
        if param is None:
            trace.append(
                _("%(year)d 年没有生效的%(label)s参数，不予计算。") % {"year": year, "label": labels[kind]}
            )
            results.append(
                SubsidyResult(kind, base, 0, False, None, None, None, "", False, trace, str(labels[kind]))
            )
            continue
        raw = apply_bp(base, param.rate_bp)
        amount = min(raw, param.cap_fen)
        trace.append(
            _("%(base)s 元 × %(rate)s = %(raw)s 元（向下取整到分）")
            % {"base": yuan_text(base), "rate": percent_text(param.rate_bp), "raw": yuan_text(raw)}
        )
        if raw > param.cap_fen:
            trace.append(_("超过每户每年上限 %(cap)s 元，按上限计。") % {"cap": yuan_text(param.cap_fen)})
        source = _("依据：%(doc)s %(clause)s，自 %(from)s 起生效%(flag)s") % {
            "doc": param.document_number or "—",
            "clause": param.clause,
            "from": param.effective_from,
            "flag": "" if param.verified else _("（参数未核实）"),
        }
        trace.append(source)
        results.append(
            SubsidyResult(
                kind,
                base,
                amount,
                raw > param.cap_fen,
                param.pk,
                param.rate_bp,
                param.cap_fen,
                param.document_number,
                param.verified,
                trace,
                str(labels[kind]),
            )
        )
    return results


def payout_candidates(year: int, enterprise_ids=None) -> list[dict]:
    """Every enterprise with a non-zero subsidy in `year`: {enterprise_id, total_fen, results}, largest first."""
    active = Q(repayments__paid_on__year=year) | Q(valued_on__year=year) | Q(approved_on__year=year)
    ids = LoanApplication.objects.filter(active)
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
