"""JSON API of expert review: an expert's assignments and reviews, committee votes, and the managing official's
assignment runs and results. The same services and permission rules as the pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Router, Schema, Status

from kechuang.bounds import Id
from kechuang.permissions.review import (
    access_assignment_by_id,
    access_process_by_id,
    access_stage_for_vote,
    expert_profile_of,
    sees_identities,
)
from kechuang.review import services
from kechuang.review.models import Assignment, ExpertProfile

router = Router(tags=["review"])


class AssignmentOut(Schema):
    id: int
    process: str
    stage: str
    status: str
    title: str
    summary: str
    applicant: str | None
    deadline: str | None


def _assignment_out(assignment, user) -> dict:
    process = assignment.stage.process
    visible = sees_identities(user, process)
    return {
        "id": assignment.pk,
        "process": process.name,
        "stage": assignment.stage.name,
        "status": assignment.status,
        "title": assignment.submission.title,
        "summary": assignment.submission.text,
        "applicant": assignment.submission.applicant.name if visible else None,
        "deadline": assignment.stage.deadline.isoformat() if assignment.stage.deadline else None,
    }


@router.get("/assignments", response=list[AssignmentOut])
def my_assignments(request):
    profile = expert_profile_of(request.auth)
    if profile is None:
        raise PermissionDenied("review.assignment:review")
    rows = (
        Assignment.objects.filter(expert=profile)
        .exclude(submission__conflicts__expert=profile)
        .select_related("stage__process", "submission__applicant")
        .order_by("-id")[:500]
    )
    return [_assignment_out(a, request.auth) for a in rows]


@router.get("/assignments/{assignment_id}", response=AssignmentOut)
def assignment_detail(request, assignment_id: Id):
    return _assignment_out(access_assignment_by_id(request.auth, assignment_id), request.auth)


class ReviewIn(Schema):
    scores: dict[str, int]
    comments: dict[str, str] = {}
    overall_comment: str = Field("", max_length=5000)


class ReviewOut(Schema):
    assignment_id: int
    total: str


@router.post("/assignments/{assignment_id}/review", response={201: ReviewOut})
def submit_review(request, assignment_id: Id, payload: ReviewIn):
    assignment = access_assignment_by_id(request.auth, assignment_id)
    review = services.do_submit_review(
        assignment,
        acting_user=request.auth,
        scores=payload.scores,
        comments=payload.comments,
        overall_comment=payload.overall_comment,
    )
    return Status(201, {"assignment_id": assignment.pk, "total": str(review.total)})


class ReasonIn(Schema):
    reason: str = Field("", max_length=300)


@router.post("/assignments/{assignment_id}/decline", response=AssignmentOut)
def decline(request, assignment_id: Id, payload: ReasonIn):
    assignment = access_assignment_by_id(request.auth, assignment_id)
    services.do_decline(assignment, acting_user=request.auth, reason=payload.reason)
    return _assignment_out(assignment, request.auth)


@router.post("/assignments/{assignment_id}/conflict", response={204: None})
def declare_conflict(request, assignment_id: Id, payload: ReasonIn):
    assignment = access_assignment_by_id(request.auth, assignment_id)
    if assignment.expert.user_id != request.auth.pk:
        raise PermissionDenied("review.conflict:declare")
    services.do_declare_conflict(assignment.submission, acting_user=request.auth, detail=payload.reason)
    return Status(204, None)


class AssignRunOut(Schema):
    assignments: int
    total_affinity: float
    short: dict[int, int]
    method: str


@router.post("/processes/{process_id}/stages/{stage_id}/assign", response=AssignRunOut)
def run_assignment(request, process_id: Id, stage_id: Id):
    process = access_process_by_id(request.auth, process_id)
    stage = process.stages.filter(pk=stage_id).first()
    if stage is None:
        raise Http404
    result = services.do_assign(stage, acting_user=request.auth)
    return {
        "assignments": len(result.pairs),
        "total_affinity": round(result.total_affinity, 4),
        "short": result.short,
        "method": result.method,
    }


class PairIn(Schema):
    submission_id: Id
    expert_id: Id


def _stage_pair(user, process_id: int, stage_id: int, payload: PairIn):
    process = access_process_by_id(user, process_id)
    stage = process.stages.filter(pk=stage_id).first()
    submission = process.submissions.filter(pk=payload.submission_id).first()
    expert = ExpertProfile.objects.filter(pk=payload.expert_id).first()
    if stage is None or submission is None or expert is None:
        raise Http404
    return stage, submission, expert


@router.post("/processes/{process_id}/stages/{stage_id}/pin", response={204: None})
def pin(request, process_id: Id, stage_id: Id, payload: PairIn):
    """Pin an expert to a submission: kept by every re-run (refused when they are in conflict)."""
    stage, submission, expert = _stage_pair(request.auth, process_id, stage_id, payload)
    services.do_pin(stage, submission, expert, acting_user=request.auth)
    return Status(204, None)


@router.post("/processes/{process_id}/stages/{stage_id}/forbid", response={204: None})
def forbid(request, process_id: Id, stage_id: Id, payload: PairIn):
    """Rule an expert out for a submission: an open assignment is withdrawn, the next run fills the place."""
    stage, submission, expert = _stage_pair(request.auth, process_id, stage_id, payload)
    services.do_forbid(stage, submission, expert, acting_user=request.auth)
    return Status(204, None)


class ReviewScoreOut(Schema):
    reviewer: str
    total: float
    normalised: float
    outlier: bool


class SubmissionResultOut(Schema):
    submission_id: int
    title: str
    mean_raw: float
    mean_normalised: float
    disagree: bool
    reviews: list[ReviewScoreOut]


@router.get("/processes/{process_id}/stages/{stage_id}/results", response=list[SubmissionResultOut])
def stage_results(request, process_id: Id, stage_id: Id):
    process = access_process_by_id(request.auth, process_id)
    stage = process.stages.filter(pk=stage_id).first()
    if stage is None:
        raise Http404
    titles = dict(process.submissions.values_list("pk", "title"))
    names = {a.expert_id: str(a.expert.user) for a in stage.assignments.select_related("expert__user")}
    return [
        {
            "submission_id": sub_id,
            "title": titles.get(sub_id, ""),
            "mean_raw": entry["mean_raw"],
            "mean_normalised": entry["mean_normalised"],
            "disagree": entry["disagree"],
            "reviews": [
                {
                    "reviewer": names.get(r.reviewer_id, ""),
                    "total": r.total,
                    "normalised": r.normalised,
                    "outlier": r.outlier,
                }
                for r in entry["reviews"]
            ],
        }
        for sub_id, entry in services.stage_results(stage).items()
    ]


class VoteIn(Schema):
    submission_id: Id
    choice: str = Field(..., max_length=10)
    reason: str = Field("", max_length=300)


@router.post("/stages/{stage_id}/votes", response={201: None})
def cast_vote(request, stage_id: Id, payload: VoteIn):
    stage = access_stage_for_vote(request.auth, stage_id)
    submission = stage.process.submissions.filter(pk=payload.submission_id, stage=stage).first()
    if submission is None:
        raise Http404
    services.do_cast_vote(
        stage, submission, acting_user=request.auth, choice=payload.choice, reason=payload.reason
    )
    return Status(201, None)
