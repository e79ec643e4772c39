"""What the talent programmes and the platforms take from the review engine (`kechuang.review`, used through its
public services only): the mean of the experts' rubric totals of a stage, and — for the demo data and the
authorisation matrix's world — the experts' review of one submission played through the same services."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def stage_means(stage, submission_ids) -> dict[int, Decimal]:
    """Submission id → the mean of its submitted reviews' totals in `stage` (0–100, two decimals), for those with
    at least one review."""
    from kechuang.review.services import stage_results

    wanted = set(submission_ids)
    out = {}
    for submission_id, entry in stage_results(stage).items():
        if submission_id in wanted and entry["reviews"]:
            totals = [Decimal(str(r.total)) for r in entry["reviews"]]
            mean = sum(totals, Decimal(0)) / len(totals)
            out[submission_id] = mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return out


def play_review(submission, experts, marks, *, passed: bool = True, close: bool = True) -> None:
    """Seed data through the engine: each registered expert user in `experts` is pinned to the submission's current
    stage (refused on a detected conflict), the engine assigns the stage (which opens it, keeping the pins), and each
    of `experts` submits its mark (one per expert, on every criterion of the rubric, within its range); then the
    stage's conclusion, and the stage closed when `close`."""
    from kechuang.review.models import Submission
    from kechuang.review.services import do_close_stage

    stage = (
        Submission.objects.select_related("stage").get(pk=submission.pk).stage
    )  # before the decision moves it
    play_reviews([(submission, marks)], experts, passed=passed)
    if close:
        do_close_stage(stage, acting_user=None)


def play_reviews(submissions_and_marks, experts, *, passed: bool = True) -> None:
    """`play_review` for several submissions of one stage: every pin first and one assignment for all, so the
    engine's assignment of the first does not fill the others' places before their pins."""
    from kechuang.review.models import Submission
    from kechuang.review.services import detect_conflicts, do_assign, do_decide, do_pin, do_submit_review

    rows = [
        (Submission.objects.select_related("process__rubric", "stage").get(pk=s.pk), m)
        for s, m in submissions_and_marks
    ]
    if not rows:
        return
    stage, process = rows[0][0].stage, rows[0][0].process
    detect_conflicts(process)
    pins = [
        [do_pin(stage, sub, user.expert_profile, acting_user=None) for user in experts] for sub, _ in rows
    ]
    do_assign(stage, acting_user=None)
    criteria = process.rubric.criteria
    for (sub, marks), pinned in zip(rows, pins, strict=True):
        for user, mark, assignment in zip(experts, marks, pinned, strict=True):
            scores = {c["code"]: max(int(c["min"]), min(int(c["max"]), mark)) for c in criteria}
            comments = {c["code"]: "意见详见评审表" for c in criteria if c.get("comment_required")}
            do_submit_review(assignment, acting_user=user, scores=scores, comments=comments)
        do_decide(stage, sub, acting_user=None, passed=passed, reason="专家组评议意见")


def seed_experts(prefix: str, organisation, names) -> list:
    """Demo experts of `organisation`, registered with the review engine (no password: they sign in once issued)."""
    from kechuang.accounts.models import Role
    from kechuang.accounts.services import do_create_user
    from kechuang.review.services import do_register_expert

    users = []
    for i, name in enumerate(names):
        user = do_create_user(
            f"{prefix}-{i}",
            None,
            organisation=organisation,
            role=Role.EXPERT,
            display_name=name,
            acting_user=None,
            check_password=False,
        )
        do_register_expert(user, acting_user=None, organisation=organisation, disciplines=[], title="教授")
        users.append(user)
    return users
