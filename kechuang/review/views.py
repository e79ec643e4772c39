"""Pages of expert review: an expert's own assignments and review form; the managing official's process page
(stages, assignment runs, raw and normalised scores with flags, decisions) and the committee ballot."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang import bounds
from kechuang.errors import DomainError
from kechuang.permissions.review import (
    access_assignment_by_id,
    access_process_by_id,
    access_stage_for_vote,
    can_manage_process,
    can_open_review,
    expert_profile_of,
    sees_identities,
    sits_on_committee,
)
from kechuang.review import services
from kechuang.review.models import (
    Assignment,
    AssignmentStatus,
    ExpertProfile,
    ReviewProcess,
    StageKind,
    VoteChoice,
)


@login_required
def home(request):
    if not can_open_review(request.user):
        raise PermissionDenied("review")
    profile = expert_profile_of(request.user)
    assignments = []
    if profile is not None:
        assignments = (
            Assignment.objects.filter(expert=profile)
            .exclude(submission__conflicts__expert=profile)
            .select_related("stage__process", "submission")
            .order_by("status", "-id")
        )
    processes = [
        p for p in ReviewProcess.objects.select_related("department") if can_manage_process(request.user, p)
    ]
    committees = request.user.review_committees.select_related("process")
    return render(
        request,
        "review/home.html",
        {"assignments": assignments, "processes": processes, "committees": committees},
    )


@login_required
def assignment_detail(request, pk):
    assignment = access_assignment_by_id(request.user, pk)
    process = assignment.stage.process
    own = assignment.expert.user_id == request.user.pk
    if request.method == "POST" and own:
        action = request.POST.get("action")
        try:
            if action == "decline":
                services.do_decline(
                    assignment, acting_user=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("已谢绝该评审邀请。"))
            elif action == "conflict":
                services.do_declare_conflict(
                    assignment.submission, acting_user=request.user, detail=request.POST.get("detail", "")
                )
                messages.success(request, _("已登记利益冲突，该评审已撤回。"))
                return redirect("review:home")
            else:
                criteria = process.rubric.criteria
                scores, comments = {}, {}
                for c in criteria:
                    raw = request.POST.get(f"score_{c['code']}", "").strip()
                    scores[c["code"]] = bounds.parse_int(raw, low=-1000, high=1000)
                    comments[c["code"]] = request.POST.get(f"comment_{c['code']}", "")
                services.do_submit_review(
                    assignment,
                    acting_user=request.user,
                    scores=scores,
                    comments=comments,
                    overall_comment=request.POST.get("overall_comment", ""),
                )
                messages.success(request, _("评审意见已提交。"))
            return redirect("review:assignment", pk=assignment.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "review/assignment.html",
        {
            "assignment": assignment,
            "process": process,
            "own": own,
            "show_applicant": sees_identities(request.user, process),
            "criteria": process.rubric.criteria,
            "review": getattr(assignment, "review", None),
            "rebuttals": services.rebuttals_before(assignment.stage, assignment.submission),
            "can_act": own and assignment.status in (AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED),
        },
    )


@login_required
def process_detail(request, pk):
    process = access_process_by_id(request.user, pk)
    stages = list(process.stages.all())
    selected = next((s for s in stages if str(s.pk) == request.GET.get("stage")), None) or next(
        (s for s in stages if s.kind in services.ASSIGNING_STAGES), stages[0]
    )
    results = services.stage_results(selected) if selected.kind in services.ASSIGNING_STAGES else {}
    submissions = list(
        process.submissions.select_related("applicant", "stage").annotate(conflict_count=Count("conflicts"))
    )
    assignments = {}
    for a in selected.assignments.select_related("expert__user"):
        assignments.setdefault(a.submission_id, []).append(a)
    tallies = (
        services.tally_all(selected, [s.pk for s in submissions]) if selected.kind == StageKind.VOTE else {}
    )
    decisions = {d.submission_id: d for d in selected.decisions.all()}
    rebutted = set(selected.rebuttals.values_list("submission_id", flat=True))
    rows = [
        {
            "submission": s,
            "assignments": assignments.get(s.pk, []),
            "result": results.get(s.pk),
            "conflicts": s.conflict_count,
            "tally": tallies.get(s.pk),
            "decision": decisions.get(s.pk),
            "rebutted": s.pk in rebutted,
        }
        for s in submissions
    ]
    experts = (
        ExpertProfile.objects.filter(is_available=True).select_related("user").order_by("pk")[:500]
        if selected.kind in services.ASSIGNING_STAGES
        else []
    )
    return render(
        request,
        "review/process.html",
        {"process": process, "stages": stages, "selected": selected, "rows": rows, "experts": experts},
    )


@login_required
@require_POST
def stage_action(request, pk, stage_id):
    process = access_process_by_id(request.user, pk)
    stage = process.stages.filter(pk=stage_id).first()
    if stage is None:
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "assign":
            result = services.do_assign(stage, acting_user=request.user)
            messages.success(
                request,
                _("已分配 %(n)s 份评审，总匹配度 %(total).2f；%(short)s 项因专家不足未满额。")
                % {"n": len(result.pairs), "total": result.total_affinity, "short": len(result.short)},
            )
        elif action == "decide":
            submission = process.submissions.get(pk=request.POST.get("submission"))
            passed = {"pass": True, "fail": False}.get(request.POST.get("outcome"))
            services.do_decide(
                stage,
                submission,
                acting_user=request.user,
                passed=passed,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("结论已记录。"))
        elif action in ("pin", "forbid"):
            # An official's correction before re-running: pin an expert to a submission, or rule the pair out.
            submission = process.submissions.get(
                pk=bounds.parse_int(request.POST.get("submission"), low=1, high=bounds.MAX_ID)
            )
            expert = ExpertProfile.objects.filter(
                pk=bounds.parse_int(request.POST.get("expert"), low=1, high=bounds.MAX_ID)
            ).first()
            if expert is None:
                raise Http404
            if action == "pin":
                services.do_pin(stage, submission, expert, acting_user=request.user)
                messages.success(request, _("已指定该专家评审此项目。"))
            else:
                services.do_forbid(stage, submission, expert, acting_user=request.user)
                messages.success(request, _("已排除该专家评审此项目；重新分配时补足。"))
        elif action == "close":
            outcome = services.do_close_stage(stage, acting_user=request.user)
            messages.success(
                request, _("阶段已结束：通过 %(passed)s 项，未通过 %(eliminated)s 项。") % outcome
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    except process.submissions.model.DoesNotExist as exc:
        raise Http404 from exc
    return redirect(f"{reverse('review:process', args=[process.pk])}?stage={stage.pk}")


@login_required
def vote(request, stage_id):
    stage = access_stage_for_vote(request.user, stage_id)
    if not sits_on_committee(request.user, stage):
        raise PermissionDenied("review.vote")
    submissions = list(stage.process.submissions.filter(stage=stage))
    if request.method == "POST":
        submission = next((s for s in submissions if str(s.pk) == request.POST.get("submission")), None)
        if submission is None:
            raise Http404
        try:
            services.do_cast_vote(
                stage,
                submission,
                acting_user=request.user,
                choice=request.POST.get("choice", ""),
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("表决已记录。"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("review:vote", stage_id=stage.pk)
    mine = dict(stage.votes.filter(member=request.user).values_list("submission_id", "choice"))
    rows = [{"submission": s, "mine": mine.get(s.pk)} for s in submissions]
    return render(request, "review/vote.html", {"stage": stage, "rows": rows, "choices": VoteChoice.choices})
