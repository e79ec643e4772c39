"""Who may do what in expert review.

Officials of the process's owning department (administrators everywhere) manage a process. An expert sees only
their own assignments, and never a submission they are in conflict with. Committee members vote only in the
stages they sit on. Answers are 404 for anything a user may not see, so nothing leaks.
"""

from django.http import Http404

from kechuang.accounts.models import Role
from kechuang.permissions.core import ALL_OFFICIALS, grant, has_cap, is_official


class ReviewCap:
    MANAGE = "review.process:manage"
    REVIEW = "review.assignment:review"


grant([ReviewCap.MANAGE], ALL_OFFICIALS)
grant([ReviewCap.REVIEW], (Role.EXPERT,))


def can_manage_process(user, process) -> bool:
    if not has_cap(user, ReviewCap.MANAGE):
        return False
    if user.role == Role.ADMIN:
        return True
    return user.city_id is None and user.organisation_id == process.department_id


def expert_profile_of(user):
    if not has_cap(user, ReviewCap.REVIEW):
        return None
    return getattr(user, "expert_profile", None)


def can_open_review(user) -> bool:
    """Experts, the officials who may run reviews, and committee members have a review page.

    Asked on every page (the navigation): the answer is kept on the user object, which lives as long as the
    request, so the committee query runs at most once per request."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    cached = getattr(user, "_kc_can_open_review", None)
    if cached is None:
        cached = (
            has_cap(user, ReviewCap.MANAGE)
            or expert_profile_of(user) is not None
            or user.review_committees.exists()
        )
        user._kc_can_open_review = cached
    return cached


def sits_on_committee(user, stage) -> bool:
    """Only the committee members of a voting stage vote in it (its managers open and close it)."""
    return (
        bool(user and user.is_authenticated and user.is_active)
        and stage.committee.filter(pk=user.pk).exists()
    )


def access_process_by_id(user, process_id):
    from kechuang.review.models import ReviewProcess

    process = ReviewProcess.objects.filter(pk=process_id).select_related("rubric", "department").first()
    if process is None or not can_manage_process(user, process):
        raise Http404
    return process


def access_assignment_by_id(user, assignment_id):
    """The expert's own assignment (never one in conflict), or any assignment of a process the user manages."""
    from kechuang.review.models import Assignment

    assignment = (
        Assignment.objects.filter(pk=assignment_id)
        .select_related("stage__process__rubric", "submission__applicant", "expert__user")
        .first()
    )
    if assignment is None:
        raise Http404
    if can_manage_process(user, assignment.stage.process):
        return assignment
    profile = expert_profile_of(user)
    if profile is None or assignment.expert_id != profile.pk:
        raise Http404
    if assignment.submission.conflicts.filter(expert=profile).exists():
        raise Http404
    return assignment


def access_stage_for_vote(user, stage_id):
    from kechuang.review.models import Stage

    stage = Stage.objects.filter(pk=stage_id).select_related("process").first()
    if stage is None:
        raise Http404
    if can_manage_process(user, stage.process) or stage.committee.filter(pk=user.pk).exists():
        return stage
    raise Http404


def sees_identities(user, process) -> bool:
    """Whether `user` may see who applied (double-blind hides it from experts)."""
    from kechuang.review.models import BlindMode

    return is_official(user) or process.blind_mode != BlindMode.DOUBLE


def sees_reviewer_identities(user, process) -> bool:
    """Reviewer names are for the managing officials only, unless the process is open."""
    from kechuang.review.models import BlindMode

    return can_manage_process(user, process) or process.blind_mode == BlindMode.OPEN
