"""Each user's to-do list (待办), computed from the records every time — nothing is stored, nothing goes stale.

A to-do is something the user (or their organisation) is expected to do next: applications to review,
objections to answer, interests to reply to, loans awaiting a decision, listings about to expire. Each item
names its subject and links to the page where it is done; `counts_by_area` feeds the navigation badges.
Every query is scoped with the same permission helpers the domain pages use, so the list never shows a thing
the user cannot open.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.permissions import has_cap

LIMIT = 8  # items shown per kind; the count says how many there are in all


@dataclass
class Todo:
    area: str  # policy | techmarket | pledge | events | registry
    title: str  # what is to be done, with its subject named
    url: str
    count: int = 1
    detail: str = ""


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


# ---- policy ------------------------------------------------------------------------------------------------


def _policy_todos(user) -> list[Todo]:
    """The review chain's next steps for this official: 区县初审 / 市级推荐 in their area, the 联合会审 signature of
    their department, objections, 财政会签, approval, payment and reconciliation of their department's rounds."""
    from kechuang.permissions.core import area_q
    from kechuang.permissions.policy import (
        PolicyCap,
        area_level,
        can_approve_round,
        can_concur_round,
        can_manage_round,
        can_pay_round,
        can_sign_joint_review,
    )
    from kechuang.policy.models import Candidate, Objection, Round

    todos: list[Todo] = []

    def waiting(status, title, scope):
        rows = (
            Candidate.objects.filter(scope, status=status, round__status=Round.Status.CITY_REVIEW)
            .values("round_id", "round__name")
            .annotate(n=Count("id"))
            .order_by("round_id")
        )
        for row in rows[:LIMIT]:
            todos.append(
                Todo(
                    "policy",
                    title % {"round": row["round__name"], "n": row["n"]},
                    reverse("policy:round_detail", args=[row["round_id"]]),
                    row["n"],
                )
            )

    if has_cap(user, PolicyCap.CITY_REVIEW) and user.city_id:
        waiting(
            Candidate.Status.PENDING, _("“%(round)s”：%(n)s 家企业待区县初审"), area_q(user, "organisation__")
        )
        if area_level(user) == "city":
            waiting(
                Candidate.Status.COUNTY_PASSED,
                _("“%(round)s”：%(n)s 家企业待市级推荐"),
                Q(organisation__city_id=user.city_id) & ~Q(county_reviewed_by=user),
            )
    open_rounds = (
        Round.objects.filter(
            status__in=[
                Round.Status.CITY_REVIEW,
                Round.Status.JOINT_REVIEW,
                Round.Status.NOTICE,
                Round.Status.APPROVED,
                Round.Status.PAYING,
            ]
        )
        .select_related("fund__programme")
        .order_by("created_at")[:200]
    )
    for r in open_rounds:
        if r.status == Round.Status.JOINT_REVIEW and can_sign_joint_review(user, r):
            signed = r.signoffs.filter(department_type=user.organisation.department_type).exists()
            if not signed:
                todos.append(
                    Todo(
                        "policy",
                        _("“%(round)s”待本部门联合会审签署") % {"round": r.name},
                        reverse("policy:round_detail", args=[r.pk]),
                    )
                )
        elif r.status == Round.Status.NOTICE and can_concur_round(user, r) and not r.finance_concurred_by_id:
            todos.append(
                Todo(
                    "policy",
                    _("“%(round)s”待财政会签") % {"round": r.name},
                    reverse("policy:round_detail", args=[r.pk]),
                )
            )
        elif r.status == Round.Status.NOTICE and can_approve_round(user, r) and r.finance_concurred_by_id:
            if r.notice_ends is None or r.notice_ends < timezone.localdate():
                todos.append(
                    Todo(
                        "policy",
                        _("“%(round)s”公示期满，待批准") % {"round": r.name},
                        reverse("policy:round_detail", args=[r.pk]),
                    )
                )
        elif r.status in (Round.Status.APPROVED, Round.Status.PAYING) and can_pay_round(user, r):
            todos.append(
                Todo(
                    "policy",
                    _("“%(round)s”待拨付或对账") % {"round": r.name},
                    reverse("policy:round_detail", args=[r.pk]),
                )
            )
        elif r.status == Round.Status.CITY_REVIEW and can_manage_round(user, r):
            left = r.candidates.filter(status__in=[Candidate.Status.PENDING, Candidate.Status.COUNTY_PASSED])
            if not left.exists() and r.candidates.exists():
                todos.append(
                    Todo(
                        "policy",
                        _("“%(round)s”各市已推荐完毕，待提交联合会审") % {"round": r.name},
                        reverse("policy:round_detail", args=[r.pk]),
                    )
                )
    if has_cap(user, PolicyCap.ROUND_MANAGE):
        objections = [
            o
            for o in Objection.objects.filter(status=Objection.Status.OPEN)
            .filter(area_q(user, "candidate__organisation__"))
            .select_related("candidate__organisation", "candidate__round")[:200]
            if can_manage_round(user, o.candidate.round)
        ]
        for o in objections[:LIMIT]:
            todos.append(
                Todo(
                    "policy",
                    _("答复公示异议：%(org)s（%(round)s）")
                    % {"org": o.candidate.organisation.name, "round": o.candidate.round.name},
                    reverse("policy:candidate_detail", args=[o.candidate_id]),
                    detail=o.text[:80],
                )
            )
        if len(objections) > LIMIT:
            todos.append(
                Todo(
                    "policy",
                    _("另有 %(n)s 条公示异议待答复") % {"n": len(objections) - LIMIT},
                    reverse("policy:round_list"),
                    len(objections) - LIMIT,
                )
            )
    if has_cap(user, PolicyCap.APPLY) and user.organisation_id:
        applied = Candidate.objects.filter(organisation_id=user.organisation_id).values("round_id")
        for r in (
            Round.objects.filter(mode=Round.Mode.APPLY, status=Round.Status.DRAFT)
            .exclude(pk__in=applied)
            .order_by("created_at")[:LIMIT]
        ):
            todos.append(
                Todo(
                    "policy",
                    _("可申报：“%(round)s”") % {"round": r.name},
                    reverse("policy:round_detail", args=[r.pk]),
                )
            )
    return todos


# ---- public -----------------------------------------------------------------------------------------------------


def _review_todos(user) -> list[Todo]:
    from kechuang.permissions.review import expert_profile_of
    from kechuang.review.models import Assignment, AssignmentStatus, StageStatus

    profile = expert_profile_of(user)
    if profile is None:
        return []
    rows = (
        Assignment.objects.filter(
            expert=profile,
            status__in=(AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED),
            stage__status=StageStatus.OPEN,
        )
        .exclude(submission__conflicts__expert=profile)
        .select_related("stage__process", "submission")
        .order_by("stage__deadline", "id")
    )
    todos = []
    for a in rows[:LIMIT]:
        deadline = fmt_date(a.stage.deadline) if a.stage.deadline else ""
        todos.append(
            Todo(
                "review",
                _("评审“%(title)s”（%(process)s）")
                % {"title": a.submission.title, "process": a.stage.process.name},
                reverse("review:assignment", args=[a.pk]),
                detail=_("截止 %(date)s") % {"date": deadline} if deadline else "",
            )
        )
    return todos


# ---- KPIs ---------------------------------------------------------------------------------------------------------


def _kpi_todos(user) -> list[Todo]:
    """KPIs behind their expected curve in the newest snapshot (read only: the workbench never computes one)."""
    from kechuang.permissions.kpi import can_view

    if not can_view(user):
        return []
    from kechuang.kpi.models import Snapshot

    snapshot = Snapshot.objects.order_by("-computed_at", "-id").only("payload", "year").first()
    if snapshot is None:
        return []
    return [
        Todo(
            "kpi",
            _("指标进度落后：%(name)s（完成 %(p)s%%）") % {"name": k["name"]["zh"], "p": k["percent"]},
            reverse("kpi:detail", args=[k["code"]]) + f"?year={snapshot.year}",
        )
        for k in snapshot.payload.get("kpis", [])
        if k.get("state") == "behind"
    ][:LIMIT]


# ---- programme projects ---------------------------------------------------------------------------------------


def _project_todos(user) -> list[Todo]:
    """Managers: formal checks, decisions to confirm, objections, contracts, reports, changes, acceptance, money
    due. Units: drafts, signatures, reports due. Recommending units: applications to endorse."""
    from kechuang.permissions.projects import ProjectCap, can_apply, is_province_manager
    from kechuang.projects.models import (
        Acceptance,
        Application,
        ApplicationStatus,
        CallStatus,
        ChangeRequest,
        ChangeStatus,
        Contract,
        ContractStatus,
        NoticeObjection,
        ProgressReport,
        ReportStatus,
    )

    todos: list[Todo] = []

    def add(title, url, n=1, detail=""):
        todos.append(Todo("projects", title, url, n, detail))

    today = timezone.localdate()
    if is_province_manager(user) and user.organisation_id:
        mine = Q(call__line__department_id=user.organisation_id)
        if user.role == "admin":
            mine = Q()
        for row in (
            Application.objects.filter(mine, status=ApplicationStatus.ENDORSED)
            .values("call_id", "call__name")
            .annotate(n=Count("id"))
            .order_by("call_id")[:LIMIT]
        ):
            add(
                _("“%(call)s”：%(n)s 份申报书待形式审查") % {"call": row["call__name"], "n": row["n"]},
                reverse("projects:call", args=[row["call_id"]]),
                row["n"],
            )
        for call in (
            Application.objects.filter(mine, call__status=CallStatus.NOTICE, call__notice_ends__lt=today)
            .values("call_id", "call__name")
            .distinct()[:LIMIT]
        ):
            add(
                _("“%(call)s”公示期满，待确认立项") % {"call": call["call__name"]},
                reverse("projects:call", args=[call["call_id"]]),
            )
        objections = NoticeObjection.objects.filter(status=NoticeObjection.Status.OPEN).filter(
            **(
                {}
                if user.role == "admin"
                else {"application__call__line__department_id": user.organisation_id}
            )
        )
        for o in objections.select_related("application")[:LIMIT]:
            add(
                _("答复立项公示异议：%(title)s") % {"title": o.application.title},
                reverse("projects:call", args=[o.application.call_id]),
                detail=o.text[:80],
            )
        scoped = (
            {} if user.role == "admin" else {"application__call__line__department_id": user.organisation_id}
        )
        for app in Application.objects.filter(mine, status=ApplicationStatus.FUNDED, contract__isnull=True)[
            :LIMIT
        ]:
            add(
                _("待签订任务书：%(title)s") % {"title": app.title},
                reverse("projects:application", args=[app.pk]),
            )
        contracts = Contract.objects.filter(**scoped)
        for c in contracts.filter(status=ContractStatus.DRAFT, unit_signed_at__isnull=False).select_related(
            "application"
        )[:LIMIT]:
            add(
                _("任务书待本厅签署：%(title)s") % {"title": c.application.title},
                reverse("projects:contract", args=[c.pk]),
            )
        scoped_c = {f"contract__{k}": v for k, v in scoped.items()}
        for r in ProgressReport.objects.filter(status=ReportStatus.SUBMITTED, **scoped_c).select_related(
            "contract__application"
        )[:LIMIT]:
            add(
                _("进展报告待检查：%(title)s") % {"title": r.contract.application.title},
                reverse("projects:contract", args=[r.contract_id]),
            )
        for ch in ChangeRequest.objects.filter(status=ChangeStatus.PENDING, **scoped_c).select_related(
            "contract__application"
        )[:LIMIT]:
            add(
                _("变更申请待审批：%(title)s") % {"title": ch.contract.application.title},
                reverse("projects:contract", args=[ch.contract_id]),
            )
        for a in Acceptance.objects.filter(
            contract__status=ContractStatus.ACCEPTANCE, **scoped_c
        ).select_related("contract__application")[:LIMIT]:
            add(
                _("项目验收待组织或待结论：%(title)s") % {"title": a.contract.application.title},
                reverse("projects:contract", args=[a.contract_id]),
            )
    if user.organisation_id and has_cap(user, ProjectCap.ENDORSE):
        waiting = Application.objects.filter(
            recommender_id=user.organisation_id, status=ApplicationStatus.SUBMITTED
        )
        n = waiting.count()
        if n:
            add(_("%(n)s 份申报书待推荐") % {"n": n}, reverse("projects:home"), n)
    if can_apply(user, user.organisation):
        for app in Application.objects.filter(
            unit_id=user.organisation_id, status=ApplicationStatus.DRAFT, call__deadline__gte=today
        )[:LIMIT]:
            add(
                _("申报书未提交：%(title)s") % {"title": app.title},
                reverse("projects:application", args=[app.pk]),
                detail=_("截止 %(date)s") % {"date": fmt_date(app.call.deadline)},
            )
        own = Contract.objects.filter(application__unit_id=user.organisation_id)
        for c in own.filter(status=ContractStatus.DRAFT, unit_signed_at__isnull=True).select_related(
            "application"
        )[:LIMIT]:
            add(
                _("任务书待签署：%(title)s") % {"title": c.application.title},
                reverse("projects:contract", args=[c.pk]),
            )
        soon = today + dt.timedelta(days=30)
        for r in (
            ProgressReport.objects.filter(
                contract__in=own.filter(status=ContractStatus.RUNNING),
                status__in=(ReportStatus.DUE, ReportStatus.RETURNED),
                due_on__lte=soon,
            )
            .select_related("contract__application")
            .order_by("due_on")[:LIMIT]
        ):
            late = r.due_on < today
            add(
                (_("进展报告已逾期：%(title)s") if late else _("进展报告待报送：%(title)s"))
                % {"title": r.contract.application.title},
                reverse("projects:contract", args=[r.contract_id]),
                detail=_("截止 %(date)s") % {"date": fmt_date(r.due_on)},
            )
    return todos


def fmt_money(fen: int) -> str:
    from kechuang.formats import money

    return money(fen)


def fmt_date(value) -> str:
    from kechuang.formats import date

    return date(value)


def todos_for(user, language: str = "zh-hans") -> list[Todo]:
    from kechuang.events.todos import event_todos
    from kechuang.pledge.todos import pledge_todos
    from kechuang.registry.todos import registry_todos
    from kechuang.techmarket.todos import market_todos

    if not _active(user):
        return []
    return (
        registry_todos(user, Todo, LIMIT)
        + _policy_todos(user)
        + market_todos(user, Todo, LIMIT, language)
        + pledge_todos(user, Todo, LIMIT)
        + event_todos(user, Todo, LIMIT)
        + _review_todos(user)
        + _kpi_todos(user)
        + _project_todos(user)
        + _domain_todos(user)
    )


def _domain_todos(user) -> list[Todo]:
    """To-dos of the apps that keep their own (`<app>.todos`): talent, platforms, field work."""
    from kechuang.fieldwork.todos import fieldwork_todos
    from kechuang.platforms.todos import platform_todos
    from kechuang.talent.todos import talent_todos

    return (
        talent_todos(user, Todo, LIMIT)
        + platform_todos(user, Todo, LIMIT)
        + fieldwork_todos(user, Todo, LIMIT)
    )


def counts_by_area(todos: list[Todo]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for t in todos:
        counts[t.area] = counts.get(t.area, 0) + t.count
    return counts
