"""JSON API of the policy app; every endpoint calls the same services as the pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema

from kechuang.permissions import access_organisation_by_id, has_cap
from kechuang.permissions.policy import (
    PolicyCap,
    access_candidate_by_id,
    access_round_by_id,
    can_calculate_for,
    visible_candidates,
)
from kechuang.policy import services
from kechuang.policy.explain import gap_text, label, trace_lines
from kechuang.policy.models import Candidate, Fund, Objection, PaymentBatch
from kechuang.policy.stats import payout_statistics

router = Router(tags=["policy"])


class PolicyOut(Schema):
    code: str
    version: int
    name: str
    kind: str
    document_no: str
    clause: str
    exclusivity_group: str
    unverified_params: list[str]


class CalculationOut(Schema):
    code: str
    version: int
    name: str
    status: str
    amount_fen: int
    capped: bool
    reason: str
    gaps: list[str]
    trace: list[dict]
    explanation: list[str]
    # a payout computed from the organisation's own, unconfirmed figures: a preview, never paid
    if_confirmed_fen: int | None = None


class RoundOut(Schema):
    id: int
    name: str
    year: int
    mode: str
    status: str
    budget_fen: int
    prorated: bool


class CandidateOut(Schema):
    id: int
    organisation_id: int
    policy_code: str
    computed_fen: int
    awarded_fen: int
    status: str
    reason: str


class JointReviewIn(Schema):
    rejected_ids: list[int] = []
    note: str = ""


class ProgrammeIn(Schema):
    name: str
    policy_codes: list[str]
    fund_name: str = ""
    fund_year: int
    budget_fen: int


class FundOut(Schema):
    id: int
    name: str
    year: int
    budget_fen: int


class RoundIn(Schema):
    fund_id: int
    name: str
    year: int
    budget_fen: int
    mode: str = "screen"
    notice_days: int = 7
    policy_codes: list[str] = []


class ApplyIn(Schema):
    policy_code: str


class ReviewIn(Schema):
    approve: bool
    note: str = ""


class ObjectionIn(Schema):
    text: str


class ResolveIn(Schema):
    upheld: bool
    resolution: str


class ObjectionOut(Schema):
    id: int
    candidate_id: int
    status: str
    resolution: str


class BatchOut(Schema):
    id: int
    reference: str
    status: str
    total_fen: int


def _require(user, cap):
    if not has_cap(user, cap):
        raise PermissionDenied(cap)


@router.get("/policies", response=list[PolicyOut], summary="Every encoded policy, current version")
def list_policies(request):
    _require(request.auth, PolicyCap.VIEW)
    out = []
    for code, version in sorted(services.current_versions().items()):
        policy = services.get_policy(version)
        out.append(
            PolicyOut(
                code=code,
                version=version.version,
                name=version.name,
                kind=version.kind,
                document_no=version.document_no,
                clause=version.clause,
                exclusivity_group=version.exclusivity_group,
                unverified_params=policy.unverified_params,
            )
        )
    return out


@router.get(
    "/calculator/{org_id}",
    response=list[CalculationOut],
    summary="Every policy for one organisation, with the trace",
)
def calculate(request, org_id: int, year: int, policy: str = ""):
    org = access_organisation_by_id(request.auth, org_id)
    if not can_calculate_for(request.auth, org):
        raise Http404
    calcs = services.calculate_for_organisation(org, year, codes=[policy] if policy else None)
    return [
        CalculationOut(
            code=c.version.code,
            version=c.version.version,
            name=label(c.policy.name),
            status=c.result.status_name,
            amount_fen=c.result.amount,
            capped=c.result.capped,
            reason=c.reason,
            gaps=[gap_text(g) for g in c.result.gaps],
            trace=c.result.trace,
            explanation=[line["text"] for line in trace_lines(c.result.trace)],
            if_confirmed_fen=c.if_confirmed.amount if c.if_confirmed is not None else None,
        )
        for c in calcs
    ]


@router.get("/rounds", response=list[RoundOut])
def list_rounds(request):
    _require(request.auth, PolicyCap.VIEW)
    from kechuang.policy.models import Round

    return list(Round.objects.all()[:200])


@router.get(
    "/rounds/{round_id}/candidates", response=list[CandidateOut], summary="Candidates the caller may see"
)
def round_candidates(request, round_id: int, status: str = ""):
    round_ = access_round_by_id(request.auth, round_id)
    qs = visible_candidates(request.auth, Candidate.objects.filter(round=round_)).order_by("id")
    if status:
        qs = qs.filter(status=status)
    return list(qs[:5000])


@router.post("/programmes", response=FundOut, summary="Create a programme with its fund (budget in fen)")
def create_programme(request, payload: ProgrammeIn):
    programme = services.do_create_programme(payload.name, payload.policy_codes, acting_user=request.auth)
    return services.do_create_fund(
        programme,
        payload.fund_name or payload.name,
        payload.fund_year,
        payload.budget_fen,
        acting_user=request.auth,
    )


@router.post("/rounds", response=RoundOut, summary="Create a round (batch) of a fund")
def create_round(request, payload: RoundIn):
    _require(request.auth, PolicyCap.ROUND_MANAGE)
    fund = Fund.objects.filter(pk=payload.fund_id).select_related("programme").first()
    if fund is None:
        raise Http404
    return services.do_create_round(
        fund,
        payload.name,
        year=payload.year,
        budget_fen=payload.budget_fen,
        mode=payload.mode,
        notice_days=payload.notice_days,
        policy_codes=payload.policy_codes or None,
        acting_user=request.auth,
    )


@router.post(
    "/rounds/{round_id}/applications", response=CandidateOut, summary="The caller's organisation applies"
)
def apply(request, round_id: int, payload: ApplyIn):
    round_ = access_round_by_id(request.auth, round_id)
    if request.auth.organisation is None:
        raise PermissionDenied(PolicyCap.APPLY)
    return services.do_add_candidate(
        round_, request.auth.organisation, payload.policy_code, applied=True, acting_user=request.auth
    )


@router.post("/candidates/{candidate_id}/city-review", response=CandidateOut)
def city_review(request, candidate_id: int, payload: ReviewIn):
    candidate = access_candidate_by_id(request.auth, candidate_id)
    return services.do_city_review(
        candidate, approve=payload.approve, note=payload.note, acting_user=request.auth
    )


@router.post(
    "/candidates/{candidate_id}/objections", response=ObjectionOut, summary="Object during the public notice"
)
def raise_objection(request, candidate_id: int, payload: ObjectionIn):
    candidate = access_candidate_by_id(request.auth, candidate_id)
    return services.do_raise_objection(candidate, payload.text, acting_user=request.auth)


@router.post("/objections/{objection_id}/resolve", response=ObjectionOut)
def resolve_objection(request, objection_id: int, payload: ResolveIn):
    objection = Objection.objects.filter(pk=objection_id).select_related("candidate").first()
    if objection is None:
        raise Http404
    access_candidate_by_id(request.auth, objection.candidate_id)
    return services.do_resolve_objection(
        objection, upheld=payload.upheld, resolution=payload.resolution, acting_user=request.auth
    )


@router.post("/rounds/{round_id}/screen", summary="Screen every organisation (免申即享); returns the job")
def screen_round(request, round_id: int):
    run = services.do_screen_round(access_round_by_id(request.auth, round_id), acting_user=request.auth)
    return {"run_id": run.pk, "job_id": run.job_id, "status_url": f"/jobs/{run.job_id}/"}


@router.post("/rounds/{round_id}/joint-review", response=RoundOut)
def joint_review(request, round_id: int, payload: JointReviewIn):
    return services.do_complete_joint_review(
        access_round_by_id(request.auth, round_id),
        acting_user=request.auth,
        rejected_ids=payload.rejected_ids,
        note=payload.note,
    )


@router.post(
    "/rounds/{round_id}/approve", response=RoundOut, summary="Approve after the public notice (idempotent)"
)
def approve_round(request, round_id: int):
    return services.do_approve_round(access_round_by_id(request.auth, round_id), acting_user=request.auth)


@router.post(
    "/rounds/{round_id}/payment-batch", response=BatchOut, summary="Create the payment batch (idempotent)"
)
def payment_batch(request, round_id: int):
    return services.do_create_payment_batch(
        access_round_by_id(request.auth, round_id), acting_user=request.auth
    )


@router.post(
    "/rounds/{round_id}/reconcile", response=BatchOut, summary="Record the bank result; ledger entries once"
)
def reconcile(request, round_id: int, failed: str = ""):
    round_ = access_round_by_id(request.auth, round_id)
    _require(request.auth, PolicyCap.PAY)
    batch = PaymentBatch.objects.filter(round=round_).first()
    if batch is None:
        raise Http404
    failures = {int(x): "bank" for x in failed.split(",") if x.strip().isdigit()}
    return services.do_reconcile_batch(batch, acting_user=request.auth, failed=failures)


@router.get(
    "/statistics",
    summary="Money paid, enterprises, R&D leveraged and leverage ratio per round, city, industry",
)
def statistics(request):
    _require(request.auth, PolicyCap.VIEW)
    return payout_statistics(city_id=request.auth.city_id)
