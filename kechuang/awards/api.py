"""JSON API of the awards: calls, nominations, the review steps the award adds (formal check, grades, rebuttal),
the public notice with objections and answers, approval, prizes paid through the payout workflow and the national
recommendations with their rewards. The same services and permission rules as the pages.

The shapes it takes and returns are in `api_schemas`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Status

from kechuang.awards import exports, schemes, services
from kechuang.awards.api_schemas import (
    AnonymousReviewOut,
    AnswerIn,
    ApproveIn,
    CallDetailOut,
    CallIn,
    CallOut,
    CandidateOut,
    FormalIn,
    GradeIn,
    NationalIn,
    NationalOut,
    NationalPayIn,
    NominationIn,
    NominationOut,
    NoticeOut,
    ObjectionIn,
    ObjectionOut,
    PayoutOut,
    RebuttalOut,
    RebuttalWindowIn,
    RecommendIn,
    ResultIn,
    RoundIn,
    TextIn,
    call_out,
    national_out,
    nomination_out,
    objection_out,
)
from kechuang.awards.models import (
    AwardCall,
    AwardObjection,
    CallStatus,
    NationalAward,
    NationalAwardKind,
    Nomination,
    NominationStatus,
)
from kechuang.bounds import Year
from kechuang.permissions.awards import (
    access_call_by_id,
    can_manage_call,
    can_manage_national,
    can_nominate,
    visible_nominations,
)
from kechuang.registry.models import Organisation

router = Router(tags=["awards"])


def _nomination(user, nomination_id: int, *, manage: bool = False) -> Nomination:
    nomination = Nomination.objects.filter(pk=nomination_id).select_related("call").first()
    if nomination is None:
        raise Http404
    call = nomination.call
    if can_manage_call(user, call):
        return nomination
    if not manage and can_nominate(user, call) and nomination.nominator_id == user.organisation_id:
        return nomination
    raise Http404


@router.get("/calls", response=list[CallOut])
def list_calls(request):
    user = request.auth
    return [call_out(c) for c in AwardCall.objects.all() if can_manage_call(user, c) or can_nominate(user, c)]


@router.post("/calls", response={201: CallOut})
def open_call(request, payload: CallIn):
    if payload.kind not in schemes.schemes():
        raise Http404
    department = request.auth.organisation
    if department is None:
        raise PermissionDenied("awards.call:manage")
    nominators = Organisation.objects.in_bulk([q.nominator_id for q in payload.quotas])
    if len(nominators) != len({q.nominator_id for q in payload.quotas}):
        raise Http404
    call = services.do_open_call(
        acting_user=request.auth,
        kind=payload.kind,
        year=payload.year,
        department=department,
        nomination_deadline=payload.nomination_deadline,
        quotas=[(nominators[q.nominator_id], q.quota) for q in payload.quotas],
    )
    return Status(201, call_out(call))


@router.get("/calls/{call_id}", response=CallDetailOut)
def call_detail(request, call_id: int):
    call = access_call_by_id(request.auth, call_id)
    nominations = visible_nominations(request.auth, call).prefetch_related("contributors")
    return {**call_out(call), "nominations": [nomination_out(n) for n in nominations]}


@router.post("/calls/{call_id}/nominations", response={201: NominationOut})
def nominate(request, call_id: int, payload: NominationIn):
    call = access_call_by_id(request.auth, call_id)
    wanted = {payload.lead_unit_id, *payload.unit_ids, *(c.unit_id for c in payload.contributors)} - {None}
    orgs = Organisation.objects.in_bulk(list(wanted))
    if len(orgs) != len(wanted):
        raise Http404
    lead = orgs[payload.lead_unit_id] if payload.lead_unit_id else request.auth.organisation
    patent = None
    if payload.patent_application_number:
        from kechuang.pledge.models import Patent

        patent = get_object_or_404(Patent, application_number=payload.patent_application_number.strip())
    nomination = services.do_nominate(
        call,
        acting_user=request.auth,
        category=payload.category,
        title=payload.title,
        summary=payload.summary,
        lead_unit=lead,
        contributors=[
            {"name": c.name, "id_digits": c.id_digits, **({"unit": orgs[c.unit_id]} if c.unit_id else {})}
            for c in payload.contributors
        ],
        units=[orgs[pk] for pk in payload.unit_ids],
        patent=patent,
    )
    return Status(201, nomination_out(nomination))


@router.post("/nominations/{nomination_id}/formal-check", response=NominationOut)
def formal_check(request, nomination_id: int, payload: FormalIn):
    nomination = _nomination(request.auth, nomination_id, manage=True)
    return nomination_out(
        services.do_formal_check(
            nomination, acting_user=request.auth, passed=payload.passed, note=payload.note
        )
    )


@router.post("/nominations/{nomination_id}/grade", response=NominationOut)
def propose_grade(request, nomination_id: int, payload: GradeIn):
    nomination = _nomination(request.auth, nomination_id, manage=True)
    return nomination_out(
        services.do_propose_grade(nomination, acting_user=request.auth, grade_code=payload.grade)
    )


@router.post("/calls/{call_id}/rebuttal", response=CallOut)
def open_rebuttal(request, call_id: int, payload: RebuttalWindowIn):
    call = access_call_by_id(request.auth, call_id, manage=True)
    deadline = (
        payload.deadline if timezone.is_aware(payload.deadline) else timezone.make_aware(payload.deadline)
    )
    services.do_open_rebuttal(call, acting_user=request.auth, deadline=deadline)
    return call_out(call)


@router.get("/nominations/{nomination_id}/reviews", response=list[AnonymousReviewOut])
def nomination_reviews(request, nomination_id: int):
    """The online review's reviews of one's own nomination, numbered and never named, while the rebuttal is open."""
    from kechuang.review.services import reviews_for_applicant

    nomination = _nomination(request.auth, nomination_id)
    stage = services._online_stage(nomination.call)
    if nomination.review_submission is None or stage.rebuttal_deadline is None:
        return []
    return [
        {**r, "total": str(r["total"])} for r in reviews_for_applicant(stage, nomination.review_submission)
    ]


@router.post("/nominations/{nomination_id}/rebuttal", response={201: RebuttalOut})
def submit_rebuttal(request, nomination_id: int, payload: TextIn):
    nomination = _nomination(request.auth, nomination_id)
    rebuttal = services.do_submit_rebuttal(nomination, acting_user=request.auth, text=payload.text)
    return Status(
        201, {"id": rebuttal.pk, "stage": rebuttal.stage.name, "submitted_at": rebuttal.submitted_at}
    )


@router.post("/calls/{call_id}/notice", response=CallOut)
def start_notice(request, call_id: int):
    call = access_call_by_id(request.auth, call_id, manage=True)
    return call_out(services.do_start_notice(call, acting_user=request.auth))


def _public_call(call_id: int) -> AwardCall:
    call = AwardCall.objects.filter(pk=call_id, status__in=(CallStatus.NOTICE, CallStatus.APPROVED)).first()
    if call is None:
        raise Http404
    return call


@router.get("/notices/{call_id}", response=NoticeOut, auth=None)
def public_notice(request, call_id: int):
    """The public notice, without login (as the public page)."""
    call = _public_call(call_id)
    listed = (
        call.nominations.filter(status__in=(NominationStatus.PROPOSED, NominationStatus.AWARDED))
        .select_related("lead_unit")
        .prefetch_related("contributors")
    )
    today = timezone.localdate()
    return {
        "call": call.name,
        "notice_start": call.notice_start,
        "notice_end": call.notice_end,
        "open": call.status == CallStatus.NOTICE and call.notice_start <= today <= call.notice_end,
        "rows": [
            {
                "id": n.pk,
                "category": n.category,
                "title": n.title,
                "lead_unit": n.lead_unit.name,
                "grade_name": exports.grade_name(n) or "",
                "contributors": [c.name for c in n.contributors.all()],
            }
            for n in listed
        ],
    }


@router.post("/notices/{call_id}/objections", response={201: ObjectionOut}, auth=None)
def object_to(request, call_id: int, payload: ObjectionIn):
    """Anyone may object during the notice, with name and contact (as on the public page)."""
    call = _public_call(call_id)
    nomination = get_object_or_404(call.nominations, pk=payload.nomination_id)
    user = request.user if request.user.is_authenticated else None
    objection = services.do_object(
        nomination, name=payload.name, contact=payload.contact, text=payload.text, acting_user=user
    )
    return Status(201, {**objection_out(objection), "response": "", "answer": ""})


@router.get("/calls/{call_id}/objections", response=list[ObjectionOut])
def call_objections(request, call_id: int):
    call = access_call_by_id(request.auth, call_id)
    rows = AwardObjection.objects.filter(nomination__in=visible_nominations(request.auth, call)).order_by(
        "id"
    )
    return [objection_out(o) for o in rows]


def _objection(user, objection_id: int) -> AwardObjection:
    objection = AwardObjection.objects.filter(pk=objection_id).select_related("nomination__call").first()
    if objection is None:
        raise Http404
    _nomination(user, objection.nomination_id)
    return objection


@router.post("/objections/{objection_id}/response", response=ObjectionOut)
def respond_objection(request, objection_id: int, payload: TextIn):
    objection = _objection(request.auth, objection_id)
    return objection_out(
        services.do_respond_objection(objection, acting_user=request.auth, text=payload.text)
    )


@router.post("/objections/{objection_id}/answer", response=ObjectionOut)
def answer_objection(request, objection_id: int, payload: AnswerIn):
    objection = _objection(request.auth, objection_id)
    return objection_out(
        services.do_answer_objection(
            objection, acting_user=request.auth, upheld=payload.upheld, answer=payload.answer
        )
    )


@router.post("/calls/{call_id}/approve", response=CallOut)
def approve(request, call_id: int, payload: ApproveIn):
    call = access_call_by_id(request.auth, call_id, manage=True)
    return call_out(services.do_approve(call, acting_user=request.auth, document=payload.document))


@router.get("/calls/{call_id}/payouts", response=list[PayoutOut])
def payouts(request, call_id: int):
    call = access_call_by_id(request.auth, call_id, manage=True)
    return [
        {
            "organisation_id": r["organisation"].pk,
            "organisation": r["organisation"].name,
            "fen": r["fen"],
            "parts": [
                {"nomination_id": p["nomination"].pk, "part": str(p["part"]), "fen": p["fen"]}
                for p in r["parts"]
            ],
            "candidate_id": r["candidate"].pk if r["candidate"] else None,
            "candidate_status": r["candidate"].status if r["candidate"] else None,
            "payment_status": r["payment"].status if r["payment"] else None,
        }
        for r in services.payout_rows(call)
    ]


def _round(round_id: int):
    from kechuang.policy.models import Round

    round_ = Round.objects.filter(pk=round_id).first()
    if round_ is None:
        raise Http404
    return round_


@router.post("/calls/{call_id}/pay-prizes", response=CallOut)
def pay_prizes(request, call_id: int, payload: RoundIn):
    call = access_call_by_id(request.auth, call_id, manage=True)
    services.do_pay_prizes(call, _round(payload.round_id), acting_user=request.auth)
    call.refresh_from_db()
    return call_out(call)


def _national_kinds(user) -> list[str]:
    kinds = [k for k in NationalAwardKind.values if can_manage_national(user, k)]
    if not kinds:
        raise PermissionDenied("awards.national:manage")
    return kinds


@router.get("/national", response=list[NationalOut])
def national_list(request, year: Year | None = None):
    rows = NationalAward.objects.filter(kind__in=_national_kinds(request.auth))
    if year is not None:
        rows = rows.filter(year=year)
    return [national_out(e) for e in rows[:1000]]


@router.post("/nominations/{nomination_id}/national", response={201: NationalOut})
def recommend_national(request, nomination_id: int, payload: RecommendIn):
    nomination = _nomination(request.auth, nomination_id, manage=True)
    entry = services.do_recommend_national(
        nomination,
        acting_user=request.auth,
        year=payload.year,
        channel=payload.channel,
        category=payload.category,
    )
    return Status(201, national_out(entry))


@router.post("/national", response={201: NationalOut})
def register_national(request, payload: NationalIn):
    _national_kinds(request.auth)
    lead = get_object_or_404(Organisation, pk=payload.lead_unit_id)
    entry = services.do_register_national(
        acting_user=request.auth,
        kind=payload.kind,
        year=payload.year,
        title=payload.title,
        lead_unit=lead,
        led_by_guangxi=payload.led_by_guangxi,
        channel=payload.channel,
        category=payload.category,
    )
    return Status(201, national_out(entry))


@router.post("/national/{entry_id}/result", response=NationalOut)
def national_result(request, entry_id: int, payload: ResultIn):
    entry = NationalAward.objects.filter(pk=entry_id, kind__in=_national_kinds(request.auth)).first()
    if entry is None:
        raise Http404
    return national_out(
        services.do_record_national_result(
            entry,
            acting_user=request.auth,
            stage=payload.stage,
            document=payload.document,
            grade=payload.grade,
            prize_fen=payload.prize_fen,
        )
    )


@router.post("/national/pay", response=list[CandidateOut])
def pay_national(request, payload: NationalPayIn):
    _national_kinds(request.auth)
    candidates = services.do_pay_national_rewards(
        payload.year, _round(payload.round_id), acting_user=request.auth
    )
    return [
        {
            "id": c.pk,
            "organisation_id": c.organisation_id,
            "policy_code": c.policy_code,
            "computed_fen": c.computed_fen,
            "status": c.status,
        }
        for c in candidates
    ]
