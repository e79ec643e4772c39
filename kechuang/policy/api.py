"""JSON API of the policy app; every endpoint calls the same services as the pages."""

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from kechuang.bounds import Code, Id, Line, Text, Year
from kechuang.permissions import access_organisation_by_id, is_official, require_cap
from kechuang.permissions.policy import (
    PolicyCap,
    access_candidate_by_id,
    access_fund_for_round,
    access_round_by_id,
    can_calculate_for,
    can_pay_round,
    visible_candidates,
)
from kechuang.policy import services
from kechuang.policy.explain import gap_text, label, trace_lines
from kechuang.policy.models import MAX_FEN, Candidate, Objection, PaymentBatch, Round
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
    # payout rules: where the same thing stands (open | in_round | paying | paid | closed), what a round awarded,
    # what was paid, why they differ, and what may still be offered (0 once paid or under way)
    state: str | None = None
    awarded_fen: int | None = None
    paid_fen: int = 0
    offer_fen: int = 0
    why: list[str] = []


class RoundOut(Schema):
    id: int
    name: str
    year: int
    budget_year: int | None
    mode: str
    allocation: str
    status: str
    budget_fen: int
    prorated: bool
    department_id: int | None
    area_id: str | None


class CandidateOut(Schema):
    id: int
    organisation_id: int
    policy_code: str
    computed_fen: int
    awarded_fen: int
    status: str
    reason: str
    data_flags: list[dict]


class VetoIn(Schema):
    candidate_id: int = Field(ge=1, le=2**62)
    reason: str = Field(min_length=1, max_length=255)


class JointSignoffIn(Schema):
    vetoes: list[VetoIn] = Field(default=[], max_length=10000)
    note: str = Field(default="", max_length=255)


class SignoffOut(Schema):
    id: int
    round_id: int
    department_type: str
    department_id: int
    signed_by_id: int
    note: str


class NoteIn(Schema):
    note: str = Field(default="", max_length=255)


class CancelIn(Schema):
    reason: str = Field(min_length=1, max_length=255)


class ProgrammeIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    policy_codes: list[str] = Field(min_length=1, max_length=50)
    fund_name: str = Field(default="", max_length=200)
    fund_year: int = Field(ge=2000, le=2100)
    budget_fen: int = Field(gt=0, le=MAX_FEN)
    notice_min_days: int = Field(default=5, ge=1, le=60)
    objection_release: Literal["carry", "redistribute"] = "carry"
    city_share_bp: int = Field(default=0, ge=0, le=10000)
    county_share_bp: int = Field(default=0, ge=0, le=10000)


class FundOut(Schema):
    id: int
    name: str
    year: int
    budget_fen: int


class RoundIn(Schema):
    fund_id: int = Field(ge=1, le=2**62)
    name: str = Field(min_length=1, max_length=200)
    year: int = Field(ge=2000, le=2100, description="data year (数据年度)")
    budget_year: int | None = Field(default=None, ge=2000, le=2100, description="budget year (预算年度)")
    budget_fen: int = Field(gt=0, le=MAX_FEN)
    mode: str = "screen"
    allocation: str = "batches"
    notice_days: int | None = Field(default=None, ge=1, le=60)
    policy_codes: list[str] = Field(default=[], max_length=50)
    carried_from_id: int | None = Field(default=None, ge=1, le=2**62)


class ApplyIn(Schema):
    policy_code: Code


class ReviewIn(Schema):
    approve: bool
    note: str = Field(default="", max_length=255)


class ObjectionIn(Schema):
    text: Text


class ResolveIn(Schema):
    upheld: bool
    resolution: Line


class ObjectionOut(Schema):
    id: int
    candidate_id: Id
    status: str
    resolution: str


class BatchOut(Schema):
    id: int
    reference: str
    status: str
    total_fen: int


class BankReturnOut(Schema):
    id: int
    batch_id: int
    file_name: str
    rows: int
    paid: int
    failed: int
    mismatches: list[dict]
    batch_status: str


@router.get("/policies", response=list[PolicyOut], summary="Every encoded policy, current version")
def list_policies(request):
    require_cap(request.auth, PolicyCap.VIEW)
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
def calculate(request, org_id: Id, year: Year, policy: Code = ""):
    org = access_organisation_by_id(request.auth, org_id)
    if not can_calculate_for(request.auth, org):
        raise Http404
    # award prizes are decided by the award procedures, not calculated (as on the calculator page)
    if policy in services.DECIDED_ELSEWHERE:
        raise Http404
    calcs = services.calculate_for_organisation(
        org, year, codes=[policy] if policy else None, exclude=services.DECIDED_ELSEWHERE
    )
    standings = services.standings_for(org, year, calcs)
    official = is_official(request.auth)

    def standing(c):
        st = standings.get(c.version.code)
        if st is None:
            return {}
        return {
            "state": st.state,
            "awarded_fen": st.awarded_fen,
            "paid_fen": st.paid_fen,
            "offer_fen": st.offer_fen if c.result.eligible else 0,
            "why": [str(w) for w in st.why],
        }

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
            explanation=[line["text"] for line in trace_lines(c.result.trace, flags=official)],
            if_confirmed_fen=c.if_confirmed.amount if c.if_confirmed is not None else None,
            **standing(c),
        )
        for c in calcs
    ]


@router.get("/rounds", response=list[RoundOut])
def list_rounds(request):
    require_cap(request.auth, PolicyCap.VIEW)
    return list(Round.objects.all()[:200])


@router.get(
    "/rounds/{round_id}/candidates", response=list[CandidateOut], summary="Candidates the caller may see"
)
def round_candidates(request, round_id: Id, status: Code = ""):
    round_ = access_round_by_id(request.auth, round_id)
    qs = visible_candidates(request.auth, Candidate.objects.filter(round=round_)).order_by("id")
    if status:
        qs = qs.filter(status=status)
    return list(qs[:5000])


@router.post(
    "/programmes",
    response=FundOut,
    summary="Create a programme of the caller's department with its fund (budget in fen ≤ 10^15), atomically",
)
def create_programme(request, payload: ProgrammeIn):
    return services.do_create_programme_with_fund(
        payload.name,
        payload.policy_codes,
        fund_name=payload.fund_name,
        fund_year=payload.fund_year,
        budget_fen=payload.budget_fen,
        notice_min_days=payload.notice_min_days,
        objection_release=payload.objection_release,
        city_share_bp=payload.city_share_bp,
        county_share_bp=payload.county_share_bp,
        acting_user=request.auth,
    )


@router.post(
    "/rounds", response=RoundOut, summary="Create a round (batch) of a fund of the caller's department"
)
def create_round(request, payload: RoundIn):
    fund = access_fund_for_round(request.auth, payload.fund_id)
    carried_from = None
    if payload.carried_from_id is not None:
        carried_from = access_round_by_id(request.auth, payload.carried_from_id)
    return services.do_create_round(
        fund,
        payload.name,
        year=payload.year,
        budget_year=payload.budget_year,
        budget_fen=payload.budget_fen,
        mode=payload.mode,
        allocation=payload.allocation,
        notice_days=payload.notice_days,
        policy_codes=payload.policy_codes or None,
        carried_from=carried_from,
        acting_user=request.auth,
    )


@router.post("/rounds/{round_id}/cancel", response=RoundOut, summary="Cancel a round before approval")
def cancel_round(request, round_id: Id, payload: CancelIn):
    round_ = access_round_by_id(request.auth, round_id)
    return services.do_cancel_round(round_, reason=payload.reason, acting_user=request.auth)


@router.post(
    "/rounds/{round_id}/applications", response=CandidateOut, summary="The caller's organisation applies"
)
def apply(request, round_id: Id, payload: ApplyIn):
    round_ = access_round_by_id(request.auth, round_id)
    if request.auth.organisation is None:
        raise PermissionDenied(PolicyCap.APPLY)
    return services.do_add_candidate(
        round_, request.auth.organisation, payload.policy_code, applied=True, acting_user=request.auth
    )


@router.post("/candidates/{candidate_id}/county-review", response=CandidateOut, summary="区县初审")
def county_review(request, candidate_id: Id, payload: ReviewIn):
    candidate = access_candidate_by_id(request.auth, candidate_id)
    return services.do_county_review(
        candidate, approve=payload.approve, note=payload.note, acting_user=request.auth
    )


@router.post("/candidates/{candidate_id}/city-review", response=CandidateOut, summary="市级推荐")
def city_review(request, candidate_id: Id, payload: ReviewIn):
    candidate = access_candidate_by_id(request.auth, candidate_id)
    return services.do_city_review(
        candidate, approve=payload.approve, note=payload.note, acting_user=request.auth
    )


@router.post(
    "/candidates/{candidate_id}/objections", response=ObjectionOut, summary="Object during the public notice"
)
def raise_objection(request, candidate_id: Id, payload: ObjectionIn):
    candidate = access_candidate_by_id(request.auth, candidate_id)
    return services.do_raise_objection(candidate, payload.text, acting_user=request.auth)


@router.post("/objections/{objection_id}/resolve", response=ObjectionOut)
def resolve_objection(request, objection_id: Id, payload: ResolveIn):
    objection = Objection.objects.filter(pk=objection_id).select_related("candidate").first()
    if objection is None:
        raise Http404
    access_candidate_by_id(request.auth, objection.candidate_id)
    return services.do_resolve_objection(
        objection, upheld=payload.upheld, resolution=payload.resolution, acting_user=request.auth
    )


@router.post("/rounds/{round_id}/screen", summary="Screen every organisation (免申即享); returns the job")
def screen_round(request, round_id: Id):
    run = services.do_screen_round(access_round_by_id(request.auth, round_id), acting_user=request.auth)
    return {"run_id": run.pk, "job_id": run.job_id, "status_url": f"/jobs/{run.job_id}/"}


@router.post(
    "/rounds/{round_id}/joint-review/start",
    response=RoundOut,
    summary="Hand the cities' recommendations to the 联合会审 (flags 107-1 vs tax R&D gaps)",
)
def start_joint_review(request, round_id: Id):
    return services.do_start_joint_review(
        access_round_by_id(request.auth, round_id), acting_user=request.auth
    )


@router.post(
    "/rounds/{round_id}/joint-review",
    response=SignoffOut,
    summary="The caller's department signs the 联合会审, vetoing candidates with reasons",
)
def joint_review(request, round_id: Id, payload: JointSignoffIn):
    return services.do_joint_signoff(
        access_round_by_id(request.auth, round_id),
        acting_user=request.auth,
        vetoes={v.candidate_id: v.reason for v in payload.vetoes},
        note=payload.note,
    )


@router.post(
    "/rounds/{round_id}/joint-review/complete",
    response=RoundOut,
    summary="After every department signed: allocate in whole 元 and start the 公示",
)
def complete_joint_review(request, round_id: Id, payload: NoteIn):
    return services.do_complete_joint_review(
        access_round_by_id(request.auth, round_id), acting_user=request.auth, note=payload.note
    )


@router.post("/rounds/{round_id}/concur", response=RoundOut, summary="财政 concurrence (idempotent)")
def concur_round(request, round_id: Id, payload: NoteIn):
    return services.do_concur_round(
        access_round_by_id(request.auth, round_id), acting_user=request.auth, note=payload.note
    )


@router.post(
    "/rounds/{round_id}/approve", response=RoundOut, summary="Approve after the public notice (idempotent)"
)
def approve_round(request, round_id: Id):
    return services.do_approve_round(access_round_by_id(request.auth, round_id), acting_user=request.auth)


@router.post(
    "/rounds/{round_id}/payment-batch", response=BatchOut, summary="Create the payment batch (idempotent)"
)
def payment_batch(request, round_id: Id):
    return services.do_create_payment_batch(
        access_round_by_id(request.auth, round_id), acting_user=request.auth
    )


@router.post(
    "/rounds/{round_id}/reconcile",
    response=BankReturnOut,
    summary="Read the bank's return file (CSV/.xlsx: reference, account, amount, status); report mismatches",
)
def reconcile(request, round_id: Id, file: File[UploadedFile]):
    round_ = access_round_by_id(request.auth, round_id)
    if not can_pay_round(request.auth, round_):
        raise PermissionDenied(PolicyCap.PAY)
    batch = PaymentBatch.objects.filter(round=round_).first()
    if batch is None:
        raise Http404
    report = services.do_reconcile_batch(
        batch, services.read_upload(file), file.name or "return.csv", acting_user=request.auth
    )
    report.batch_status = PaymentBatch.objects.get(pk=batch.pk).status
    return report


@router.get(
    "/statistics",
    summary="Money paid, enterprises, R&D leveraged and leverage ratio per round, city, industry",
)
def statistics(request):
    require_cap(request.auth, PolicyCap.VIEW)
    return payout_statistics(area=request.auth.city_id)
