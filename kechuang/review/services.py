"""Expert review services: every state change is a `do_*` function, atomic, audited, permission-checked.

The optimisation lives in `assignment.py` and the arithmetic in `scoring.py` (both pure); these functions turn
records into their inputs and their answers back into records.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from decimal import Decimal

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions.review import can_manage_process, expert_profile_of, sits_on_committee
from kechuang.review import assignment as solver
from kechuang.review import scoring
from kechuang.review.errors import ReviewError
from kechuang.review.models import (
    Assignment,
    AssignmentStatus,
    Conflict,
    ConflictReason,
    ConflictSource,
    Decision,
    ExpertProfile,
    Forbidden,
    Rebuttal,
    RelationKind,
    Review,
    ReviewProcess,
    Rubric,
    Stage,
    StageKind,
    StageStatus,
    Submission,
    SubmissionStatus,
    Vote,
    VoteChoice,
)

DISCIPLINE_BONUS = 0.15
ASSIGNING_STAGES = (StageKind.ONLINE, StageKind.HEARING)


def _require_manager(user, process) -> None:
    if user is not None and not can_manage_process(user, process):
        raise PermissionDenied("review.process:manage")


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name or "").replace(" ", "").casefold()


# --- processes and submissions ---------------------------------------------------------------------------------


@transaction.atomic
def do_create_process(
    *, acting_user, name, department, rubric: Rubric, stages: list[dict], **options
) -> ReviewProcess:
    """A process and its ordered stages ({"kind", "name", "deadline", "quorum", "two_thirds", "advance_count"})."""
    try:
        scoring.check_rubric(rubric.criteria)
    except scoring.RubricError as exc:
        raise DomainError(ReviewError.BAD_RUBRIC, _("评分标准不完整：%(code)s") % {"code": exc.code}) from exc
    process = ReviewProcess(name=name, department=department, rubric=rubric, **options)
    _require_manager(acting_user, process)
    if not stages:
        raise DomainError(ErrorCode.INVALID, _("评审流程至少需要一个阶段。"))
    process.save()
    for order, spec in enumerate(stages, start=1):
        Stage.objects.create(process=process, order=order, **spec)
    record(
        "review.process.create",
        process,
        acting_user=acting_user,
        changes={"stages": [s["name"] for s in stages]},
    )
    return process


@transaction.atomic
def do_add_submission(
    process,
    *,
    acting_user,
    subject_type,
    subject_id,
    title,
    text,
    applicant,
    organisations=(),
    people=(),
    disciplines=(),
    language="zh-hans",
) -> Submission:
    _require_manager(acting_user, process)
    first = process.stages.order_by("order").first()
    submission = Submission.objects.create(
        process=process,
        subject_type=subject_type,
        subject_id=subject_id,
        title=title,
        text=text,
        applicant=applicant,
        people=list(people),
        language=language,
        stage=first,
    )
    submission.organisations.set([applicant, *organisations])
    submission.disciplines.set(disciplines)
    record("review.submission.add", submission, acting_user=acting_user, organisation_id=applicant.pk)
    return submission


# --- experts and conflicts -------------------------------------------------------------------------------------


@transaction.atomic
def do_register_expert(
    user,
    *,
    acting_user,
    organisation,
    disciplines,
    profile_text="",
    title="",
    languages="zh-hans",
    parent_organisation=None,
    country="CN",
) -> ExpertProfile:
    if acting_user is not None and not (acting_user.is_official or acting_user.pk == user.pk):
        raise PermissionDenied("review.expert:register")
    profile, _created = ExpertProfile.objects.update_or_create(
        user=user,
        defaults={
            "organisation": organisation,
            "parent_organisation": parent_organisation,
            "title": title,
            "languages": languages,
            "profile_text": profile_text,
            "country": country,
            "vector": None,
        },
    )
    profile.disciplines.set(disciplines)
    record(
        "review.expert.register",
        profile,
        acting_user=acting_user,
        changes={"organisation": organisation.name},
    )
    return profile


def detect_conflicts(process: ReviewProcess, *, today: dt.date | None = None) -> int:
    """Store every detectable conflict of every expert with every submission of `process`; return how many are new.

    Runs before anyone is invited. Same organisation or its parent; the expert among the submission's people;
    co-authors and co-inventors named on the submission; collaboration with a submission organisation within
    `process.conflict_years` years.
    """
    today = today or timezone.localdate()
    since = today.year - process.conflict_years
    experts = list(ExpertProfile.objects.select_related("user").prefetch_related("relations"))
    submissions = list(process.submissions.prefetch_related("organisations"))
    existing = set(
        Conflict.objects.filter(submission__process=process).values_list(
            "expert_id", "submission_id", "reason"
        )
    )
    new = []
    for sub in submissions:
        org_ids = {o.pk for o in sub.organisations.all()}
        parent_ids = {o.parent_id for o in sub.organisations.all() if getattr(o, "parent_id", None)}
        people = {_name_key(p) for p in sub.people}
        for expert in experts:
            found = []
            if expert.organisation_id in org_ids:
                found.append((ConflictReason.SAME_ORGANISATION, ""))
            elif expert.parent_organisation_id and (
                expert.parent_organisation_id in org_ids or expert.parent_organisation_id in parent_ids
            ):
                found.append((ConflictReason.PARENT_ORGANISATION, ""))
            if _name_key(expert.user.display_name or "") in people and expert.user.display_name:
                found.append((ConflictReason.PARTICIPANT, expert.user.display_name))
            for rel in expert.relations.all():
                if rel.kind in (RelationKind.CO_AUTHOR, RelationKind.CO_INVENTOR, RelationKind.SUPERVISION):
                    if rel.person_name and _name_key(rel.person_name) in people:
                        reason = (
                            ConflictReason.CO_INVENTOR
                            if rel.kind == RelationKind.CO_INVENTOR
                            else ConflictReason.CO_AUTHOR
                        )
                        found.append((reason, rel.person_name))
                elif rel.organisation_id in org_ids and rel.year >= since:
                    found.append((ConflictReason.COLLABORATION, str(rel.year)))
            for reason, detail in found:
                if (expert.pk, sub.pk, reason) not in existing:
                    existing.add((expert.pk, sub.pk, reason))
                    new.append(
                        Conflict(
                            expert=expert,
                            submission=sub,
                            reason=reason,
                            detail=detail[:300],
                            source=ConflictSource.DETECTED,
                        )
                    )
    Conflict.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def do_declare_conflict(
    submission, *, acting_user, detail: str, expert: ExpertProfile | None = None
) -> Conflict:
    """An expert declares a conflict with a submission (or an official records one); any assignment is withdrawn."""
    profile = expert_profile_of(acting_user)
    if expert is None:
        if profile is None:
            raise PermissionDenied("review.conflict:declare")
        expert, source = profile, ConflictSource.DECLARED
    else:
        _require_manager(acting_user, submission.process)
        source = ConflictSource.OFFICIAL
    conflict, _created = Conflict.objects.get_or_create(
        expert=expert,
        submission=submission,
        reason=ConflictReason.DECLARED,
        defaults={"detail": detail[:300], "source": source},
    )
    withdrawn = Assignment.objects.filter(expert=expert, submission=submission).exclude(
        status=AssignmentStatus.SUBMITTED
    )
    count = withdrawn.count()
    withdrawn.delete()
    record(
        "review.conflict.declare",
        conflict.submission,
        acting_user=acting_user,
        changes={"expert": expert.pk, "withdrawn_assignments": count},
        note=detail[:200],
    )
    return conflict


# --- assignment --------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _embed(text: str) -> np.ndarray:
    from kechuang.techmarket.search.dense import embed_passages

    return embed_passages([text])[0]


def _vector(obj, text: str) -> np.ndarray:
    """The stored vector of a profile or submission, computed once from its text."""
    from kechuang.techmarket.search.dense import from_bytes, to_bytes

    if obj.vector:
        return from_bytes(obj.vector)
    vec = _embed(text)
    type(obj).objects.filter(pk=obj.pk).update(vector=to_bytes(vec))
    return vec


def affinity_matrix(experts: list[ExpertProfile], submissions: list[Submission]) -> np.ndarray:
    """Cosine similarity of profile and submission text (multilingual e5) plus a bonus for a shared discipline."""
    if not experts or not submissions:
        return np.zeros((len(experts), len(submissions)))
    ev = np.stack([_vector(e, e.profile_text or str(e)) for e in experts])
    sv = np.stack([_vector(s, f"{s.title}\n{s.text}") for s in submissions])
    affinity = (ev @ sv.T).astype(float)
    expert_disc = [[d.pk for d in e.disciplines.all()] for e in experts]
    sub_disc = [[d.pk for d in s.disciplines.all()] for s in submissions]
    column = {pk: k for k, pk in enumerate(sorted({pk for ds in expert_disc + sub_disc for pk in ds}))}
    if column:
        # incidence matrices (who has which discipline); a shared discipline is a non-zero product
        e_inc = np.zeros((len(experts), len(column)), dtype=np.float32)
        s_inc = np.zeros((len(submissions), len(column)), dtype=np.float32)
        for i, ds in enumerate(expert_disc):
            e_inc[i, [column[pk] for pk in ds]] = 1
        for j, ds in enumerate(sub_disc):
            s_inc[j, [column[pk] for pk in ds]] = 1
        affinity += DISCIPLINE_BONUS * ((e_inc @ s_inc.T) > 0)
    return np.round(affinity, 4)


def _reads(expert: ExpertProfile, submission: Submission) -> bool:
    langs = expert.language_list
    return submission.language in langs or "en" in langs and submission.language != "zh-hans"


def reads_matrix(experts: list[ExpertProfile], submissions: list[Submission]) -> np.ndarray:
    """`_reads` for every pair, one column block per submission language instead of a Python call per pair."""
    allowed = np.zeros((len(experts), len(submissions)), dtype=bool)
    sub_lang = np.array([s.language for s in submissions], dtype=object)
    langs = [e.language_list for e in experts]
    for language in set(sub_lang.tolist()):
        rows = np.array(
            [language in ls or ("en" in ls and language != "zh-hans") for ls in langs], dtype=bool
        )
        allowed[np.ix_(rows, sub_lang == language)] = True
    return allowed


@transaction.atomic
def do_assign(stage: Stage, *, acting_user) -> solver.Result:
    """Assign experts to every active submission of `stage`, keeping every assignment that still stands.

    Re-running after a decline, a pin or a forbid changes only the places that became free.
    """
    process = stage.process
    _require_manager(acting_user, process)
    if stage.kind not in ASSIGNING_STAGES:
        raise StateError(_("只有网络评审和会议答辩阶段需要分配专家。"))
    if stage.status == StageStatus.CLOSED:
        raise StateError(_("该阶段已结束。"))
    detect_conflicts(process)
    submissions = list(
        process.submissions.filter(status=SubmissionStatus.ACTIVE, stage=stage).prefetch_related(
            "disciplines"
        )
    )
    experts = list(
        ExpertProfile.objects.filter(is_available=True)
        .select_related("user")
        .prefetch_related("disciplines")
        .order_by("pk")
    )
    if not submissions or not experts:
        raise DomainError(ReviewError.ASSIGNMENT_IMPOSSIBLE, _("没有待分配的评审对象或可用专家。"))
    e_index = {e.pk: i for i, e in enumerate(experts)}
    s_index = {s.pk: j for j, s in enumerate(submissions)}
    allowed = reads_matrix(experts, submissions)
    for expert_id, sub_id in Conflict.objects.filter(submission__in=submissions).values_list(
        "expert_id", "submission_id"
    ):
        if expert_id in e_index:
            allowed[e_index[expert_id], s_index[sub_id]] = False
    for expert_id, sub_id in Forbidden.objects.filter(stage=stage).values_list("expert_id", "submission_id"):
        if expert_id in e_index and sub_id in s_index:
            allowed[e_index[expert_id], s_index[sub_id]] = False
    caps = np.full(len(experts), process.cap_per_expert, dtype=int)
    # An assignment that a newly found conflict or a forbid now rules out is withdrawn before re-solving.
    stale = [
        a.pk
        for a in stage.assignments.exclude(status=AssignmentStatus.SUBMITTED)
        if a.expert_id in e_index
        and a.submission_id in s_index
        and not allowed[e_index[a.expert_id], s_index[a.submission_id]]
    ]
    Assignment.objects.filter(pk__in=stale).delete()
    kept = list(
        stage.assignments.exclude(status=AssignmentStatus.DECLINED).values_list("expert_id", "submission_id")
    )
    declined = set(
        stage.assignments.filter(status=AssignmentStatus.DECLINED).values_list("expert_id", "submission_id")
    )
    for expert_id, sub_id in declined:
        if expert_id in e_index and sub_id in s_index:
            allowed[e_index[expert_id], s_index[sub_id]] = False
    pinned = [
        (e_index[e], s_index[s])
        for e, s in kept
        if e in e_index and s in s_index and allowed[e_index[e], s_index[s]]
    ]
    needs = np.full(len(submissions), process.reviews_per_submission, dtype=int)
    orgs = np.array([e.organisation_id for e in experts]) if process.one_reviewer_per_organisation else None
    inst = solver.Instance(affinity_matrix(experts, submissions), caps, needs, allowed, pinned, orgs)
    try:
        result = solver.solve(inst, fair=process.fair_assignment)
    except solver.AssignmentError as exc:
        raise DomainError(
            ReviewError.ASSIGNMENT_IMPOSSIBLE, _("无法完成分配：%(reason)s") % {"reason": exc}
        ) from exc
    existing = {(e_index[e], s_index[s]) for e, s in kept if e in e_index and s in s_index}
    created = [
        Assignment(
            stage=stage,
            submission=submissions[j],
            expert=experts[i],
            affinity=Decimal(str(round(float(inst.affinity[i, j]), 4))),
        )
        for i, j in result.pairs
        if (i, j) not in existing
    ]
    Assignment.objects.bulk_create(created)
    if stage.status == StageStatus.PENDING:
        stage.status = StageStatus.OPEN
        stage.save(update_fields=["status"])
    record(
        "review.assign",
        stage,
        acting_user=acting_user,
        changes={
            "new_assignments": len(created),
            "kept": len(existing),
            "total_affinity": round(result.total_affinity, 4),
            "short": {submissions[j].pk: n for j, n in result.short.items()},
            "method": result.method,
        },
    )
    return result


def _check_correction(stage, submission) -> None:
    """Pins and forbids are corrections to an assigning stage that is still running, on its own submissions."""
    if submission.process_id != stage.process_id:
        raise DomainError(ErrorCode.NOT_FOUND, _("该项目不在此评审中。"), status=404)
    if stage.kind not in ASSIGNING_STAGES or stage.status == StageStatus.CLOSED:
        raise StateError(_("只有进行中的网络评审和会议答辩阶段可以指定或排除专家。"))


@transaction.atomic
def do_pin(stage, submission, expert, *, acting_user) -> Assignment:
    _require_manager(acting_user, stage.process)
    _check_correction(stage, submission)
    if Conflict.objects.filter(expert=expert, submission=submission).exists():
        raise DomainError(
            ReviewError.CONFLICT_OF_INTEREST, _("该专家与此项目存在利益冲突，不能指定。"), status=409
        )
    Forbidden.objects.filter(stage=stage, submission=submission, expert=expert).delete()
    assignment, _created = Assignment.objects.update_or_create(
        stage=stage,
        submission=submission,
        expert=expert,
        defaults={"pinned": True, "status": AssignmentStatus.INVITED},
    )
    record("review.pin", assignment, acting_user=acting_user)
    return assignment


@transaction.atomic
def do_forbid(stage, submission, expert, *, acting_user) -> None:
    _require_manager(acting_user, stage.process)
    _check_correction(stage, submission)
    Forbidden.objects.get_or_create(stage=stage, submission=submission, expert=expert)
    removed, _detail = (
        Assignment.objects.filter(stage=stage, submission=submission, expert=expert)
        .exclude(status=AssignmentStatus.SUBMITTED)
        .delete()
    )
    record(
        "review.forbid",
        submission,
        acting_user=acting_user,
        changes={"expert": expert.pk, "removed": removed},
    )


def _own_assignment(assignment, user):
    profile = expert_profile_of(user)
    if profile is None or assignment.expert_id != profile.pk:
        raise PermissionDenied("review.assignment:review")
    return profile


@transaction.atomic
def do_decline(assignment: Assignment, *, acting_user, reason: str) -> Assignment:
    _own_assignment(assignment, acting_user)
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise StateError(_("评审意见已提交，不能谢绝。"))
    old = assignment.status
    assignment.status = AssignmentStatus.DECLINED
    assignment.decline_reason = reason[:200]
    assignment.save(update_fields=["status", "decline_reason"])
    record(
        "review.decline", assignment, acting_user=acting_user, changes={"status": [old, assignment.status]}
    )
    return assignment


# --- reviews -----------------------------------------------------------------------------------------------------

RUBRIC_MESSAGES = {
    "missing_score": ReviewError.BAD_SCORE,
    "out_of_range": ReviewError.BAD_SCORE,
    "comment_required": ReviewError.COMMENT_REQUIRED,
}


@transaction.atomic
def do_submit_review(
    assignment: Assignment,
    *,
    acting_user,
    scores: dict,
    comments: dict | None = None,
    overall_comment: str = "",
) -> Review:
    """The assigned expert's scores; refused when late, conflicted, declined, already submitted or incomplete."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("stage__process__rubric")
        .get(pk=assignment.pk)
    )
    profile = _own_assignment(assignment, acting_user)
    stage = assignment.stage
    if Conflict.objects.filter(expert=profile, submission_id=assignment.submission_id).exists():
        raise DomainError(
            ReviewError.CONFLICT_OF_INTEREST, _("您与该项目存在利益冲突，不能评审。"), status=409
        )
    if stage.status != StageStatus.OPEN:
        raise DomainError(ReviewError.STAGE_NOT_OPEN, _("该评审阶段未开放。"), status=409)
    if stage.deadline and timezone.now() > stage.deadline:
        raise DomainError(
            ReviewError.LATE,
            _("评审已于 %(deadline)s 截止。")
            % {"deadline": timezone.localtime(stage.deadline).strftime("%Y-%m-%d %H:%M")},
            status=409,
        )
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise DomainError(ReviewError.ALREADY_SUBMITTED, _("评审意见已提交。"), status=409)
    if assignment.status == AssignmentStatus.DECLINED:
        raise StateError(_("您已谢绝该评审。"))
    criteria = stage.process.rubric.criteria
    comments = comments or {}
    try:
        total = scoring.weighted_total(criteria, scores, comments)
    except scoring.RubricError as exc:
        label = next((c["label"] for c in criteria if c["code"] == exc.criterion), exc.criterion or "")
        message = (
            _("“%(label)s”需要填写意见。")
            if exc.code == "comment_required"
            else _("“%(label)s”的分数缺失或超出范围。")
        ) % {"label": label}
        raise DomainError(
            RUBRIC_MESSAGES.get(exc.code, ReviewError.BAD_SCORE),
            message,
            {"criterion": exc.criterion},
            status=422,
        ) from exc
    review = Review.objects.create(
        assignment=assignment, scores=scores, comments=comments, total=total, overall_comment=overall_comment
    )
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.save(update_fields=["status"])
    record("review.submit", assignment, acting_user=acting_user, changes={"total": str(total)})
    return review


def stage_results(stage: Stage) -> dict:
    """Per submission: raw and normalised totals of each review, their means, outlier and disagreement flags."""
    reviews = list(
        Review.objects.filter(assignment__stage=stage).values_list(
            "pk", "assignment__expert_id", "assignment__submission_id", "total"
        )
    )
    scored = [scoring.ScoredReview(pk, expert, sub, float(total)) for pk, expert, sub, total in reviews]
    scored, disagree = scoring.normalise(scored)
    by_sub: dict[int, dict] = {}
    for r in scored:
        entry = by_sub.setdefault(r.submission_id, {"reviews": [], "disagree": r.submission_id in disagree})
        entry["reviews"].append(r)
    for entry in by_sub.values():
        raws = [r.total for r in entry["reviews"]]
        norms = [r.normalised for r in entry["reviews"]]
        entry["mean_raw"] = round(sum(raws) / len(raws), 2)
        entry["mean_normalised"] = round(sum(norms) / len(norms), 2)
    return by_sub


# --- committee votes and decisions --------------------------------------------------------------------------------


@transaction.atomic
def do_cast_vote(stage: Stage, submission: Submission, *, acting_user, choice: str, reason: str = "") -> Vote:
    if not sits_on_committee(acting_user, stage):  # who may vote before whether the vote is open
        raise DomainError(ReviewError.NOT_ON_COMMITTEE, _("您不是本次表决的委员。"), status=403)
    if stage.kind != StageKind.VOTE or stage.status != StageStatus.OPEN:
        raise DomainError(ReviewError.STAGE_NOT_OPEN, _("表决未开放。"), status=409)
    if choice not in VoteChoice.values:
        raise DomainError(ErrorCode.INVALID, _("表决选项无效。"), status=422)
    conflicted = Conflict.objects.filter(expert__user=acting_user, submission=submission).exists()
    if conflicted and choice != VoteChoice.RECUSED:
        raise DomainError(
            ReviewError.CONFLICT_OF_INTEREST, _("您与该项目存在利益冲突，应当回避。"), status=409
        )
    vote, created = Vote.objects.update_or_create(
        stage=stage,
        submission=submission,
        member=acting_user,
        defaults={"choice": choice, "reason": reason[:300]},
    )
    record("review.vote", submission, acting_user=acting_user, changes={"choice": choice, "first": created})
    return vote


def _tally(stage: Stage, choices, committee_size: int) -> dict:
    choices = list(choices)
    recused = sum(1 for c in choices if c == VoteChoice.RECUSED)
    members = committee_size - recused
    counts = {
        c: sum(1 for v in choices if v == c) for c in (VoteChoice.YES, VoteChoice.NO, VoteChoice.ABSTAIN)
    }
    passed, reason = scoring.vote_outcome(
        counts[VoteChoice.YES],
        counts[VoteChoice.NO],
        counts[VoteChoice.ABSTAIN],
        members=members,
        quorum=stage.quorum,
        two_thirds=stage.two_thirds,
    )
    return {"passed": passed, "reason": reason, "members": members, "recused": recused, **counts}


def tally(stage: Stage, submission: Submission) -> dict:
    votes = stage.votes.filter(submission=submission).values_list("choice", flat=True)
    return _tally(stage, votes, stage.committee.count())


def tally_all(stage: Stage, submission_ids) -> dict[int, dict]:
    """The tallies of a vote stage for many submissions in two queries (the process page lists them all)."""
    by_sub: dict[int, list[str]] = {pk: [] for pk in submission_ids}
    for sub_id, choice in stage.votes.filter(submission_id__in=by_sub).values_list("submission_id", "choice"):
        by_sub[sub_id].append(choice)
    size = stage.committee.count()
    return {sub_id: _tally(stage, choices, size) for sub_id, choices in by_sub.items()}


@transaction.atomic
def do_decide(
    stage: Stage, submission: Submission, *, acting_user, passed: bool | None = None, reason: str = ""
) -> Decision:
    """Record the stage's conclusion for one submission. A vote stage decides by its tally, never by hand."""
    _require_manager(acting_user, stage.process)
    if stage.kind == StageKind.VOTE:
        result = tally(stage, submission)
        if result["reason"] == "no_quorum":
            raise DomainError(
                ReviewError.NO_QUORUM, _("表决人数未达法定人数，不能形成决议。"), result, status=409
            )
        passed = result["passed"]
        reason = reason or _("赞成 %(yes)s，反对 %(no)s，弃权 %(abstain)s，回避 %(recused)s。") % result
    elif passed is None or not reason.strip():
        raise DomainError(ErrorCode.INVALID, _("请给出结论和理由。"), status=422)
    decision, _created = Decision.objects.update_or_create(
        stage=stage,
        submission=submission,
        defaults={"passed": passed, "reason": reason[:500], "decided_by": acting_user},
    )
    record(
        "review.decide",
        submission,
        acting_user=acting_user,
        changes={"stage": stage.name, "passed": passed},
        note=reason[:200],
    )
    return decision


@transaction.atomic
def do_close_stage(stage: Stage, *, acting_user) -> dict:
    """Close a stage: decided submissions move on to the next stage or drop out; undecided ones block the close."""
    _require_manager(acting_user, stage.process)
    active = stage.process.submissions.filter(stage=stage, status=SubmissionStatus.ACTIVE)
    decisions = dict(stage.decisions.values_list("submission_id", "passed"))
    undecided = [s.title for s in active if s.pk not in decisions]
    if undecided:
        raise StateError(
            _("仍有 %(n)s 项未形成结论，例如：%(first)s") % {"n": len(undecided), "first": undecided[0]}
        )
    following = stage.process.stages.filter(order__gt=stage.order).order_by("order").first()
    moved = eliminated = 0
    for sub in active:
        if decisions[sub.pk]:
            sub.stage = following
            sub.status = SubmissionStatus.ACTIVE if following else SubmissionStatus.PASSED
            moved += 1
        else:
            sub.status = SubmissionStatus.ELIMINATED
            eliminated += 1
        sub.save(update_fields=["stage", "status"])
    stage.status = StageStatus.CLOSED
    stage.save(update_fields=["status"])
    if following and following.status == StageStatus.PENDING:
        following.status = StageStatus.OPEN
        following.save(update_fields=["status"])
    record(
        "review.stage.close",
        stage,
        acting_user=acting_user,
        changes={"passed": moved, "eliminated": eliminated},
    )
    return {"passed": moved, "eliminated": eliminated}


# --- rebuttal (答辩/澄清) ------------------------------------------------------------------------------------------

REBUTTAL_STAGES = (StageKind.ONLINE, StageKind.HEARING)


@transaction.atomic
def do_open_rebuttal(stage: Stage, *, acting_user, deadline: dt.datetime) -> Stage:
    """Let the applicants of a reviewed stage see its reviews (without the reviewers' identities) and answer once
    before `deadline`; the experts and committee of the following stages read the answers."""
    _require_manager(acting_user, stage.process)
    if stage.kind not in REBUTTAL_STAGES:
        raise StateError(_("只有网络评审和会议答辩阶段的评审意见可以答辩。"))
    if deadline <= timezone.now():
        raise DomainError(ErrorCode.INVALID, _("答辩截止时间须晚于现在。"), status=422)
    old = stage.rebuttal_deadline
    stage.rebuttal_deadline = deadline
    stage.save(update_fields=["rebuttal_deadline"])
    record(
        "review.rebuttal.open",
        stage,
        acting_user=acting_user,
        changes={"rebuttal_deadline": [old.isoformat() if old else None, deadline.isoformat()]},
    )
    return stage


def reviews_for_applicant(stage: Stage, submission: Submission) -> list[dict]:
    """The stage's submitted reviews of one submission as the applicant sees them: numbered, never named."""
    reviews = (
        Review.objects.filter(assignment__stage=stage, assignment__submission=submission)
        .order_by("assignment_id")
        .only("total", "scores", "comments", "overall_comment")
    )
    return [
        {
            "label": _("专家 %(n)s") % {"n": n},
            "total": r.total,
            "scores": r.scores,
            "comments": r.comments,
            "overall_comment": r.overall_comment,
        }
        for n, r in enumerate(reviews, start=1)
    ]


@transaction.atomic
def do_submit_rebuttal(stage: Stage, submission: Submission, *, acting_user, text: str) -> Rebuttal:
    """The applicant's one answer to a stage's reviews, within the deadline. The caller (the domain: awards,
    projects) has checked that `acting_user` speaks for the applicant."""
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    if stage.rebuttal_deadline is None or timezone.now() > stage.rebuttal_deadline:
        raise DomainError(ReviewError.REBUTTAL_CLOSED, _("不在答辩（澄清）期内。"), status=409)
    if submission.process_id != stage.process_id or submission.status != SubmissionStatus.ACTIVE:
        raise DomainError(ErrorCode.NOT_FOUND, _("该项目不在评审中。"), status=404)
    if not Review.objects.filter(assignment__stage=stage, assignment__submission=submission).exists():
        raise StateError(_("该阶段没有针对本项目的评审意见。"))
    text = (text or "").strip()
    if not 10 <= len(text) <= 5000:
        raise DomainError(ErrorCode.INVALID, _("答辩（澄清）意见应为 10 至 5000 字。"), status=422)
    if Rebuttal.objects.filter(stage=stage, submission=submission).exists():
        raise DomainError(ReviewError.REBUTTAL_TWICE, _("本阶段的答辩（澄清）意见已提交。"), status=409)
    rebuttal = Rebuttal.objects.create(
        stage=stage, submission=submission, text=text, submitted_by=acting_user
    )
    record("review.rebuttal.submit", submission, acting_user=acting_user, changes={"stage": stage.name})
    return rebuttal


def rebuttals_before(stage: Stage, submission: Submission) -> list[Rebuttal]:
    """The answers to earlier stages' reviews, for the experts and committee of `stage`."""
    return list(
        Rebuttal.objects.filter(submission=submission, stage__order__lt=stage.order).select_related("stage")
    )
