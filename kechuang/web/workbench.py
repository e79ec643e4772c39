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


# ---- technology market ---------------------------------------------------------------------------------------


def _listing_title(listing, language: str) -> str:
    row = listing.text_for(language)
    return row.title if row else str(listing)


def _market_todos(user, language: str) -> list[Todo]:
    from kechuang.permissions.techmarket import MarketCap
    from kechuang.techmarket.models import Interest, InterestStage, Listing, ListingStatus

    todos: list[Todo] = []
    if has_cap(user, MarketCap.REVIEW):
        pending = Listing.objects.filter(status=ListingStatus.PENDING)
        if user.city_id:
            pending = pending.filter(city_id=user.city_id)
        n = pending.count()
        if n:
            todos.append(
                Todo(
                    "techmarket",
                    _("%(n)s 条技术交易信息待审核") % {"n": n},
                    reverse("techmarket:review_queue"),
                    n,
                )
            )
    if user.organisation_id:
        unanswered = (
            Interest.objects.filter(listing__owner_id=user.organisation_id, stage=InterestStage.INTEREST)
            .exclude(messages__from_owner=True)
            .select_related("listing")
            .prefetch_related("listing__texts")
            .order_by("created_at")
        )
        total = unanswered.count()
        for i in unanswered[:LIMIT]:
            todos.append(
                Todo(
                    "techmarket",
                    _("答复合作意向：%(title)s") % {"title": _listing_title(i.listing, language)},
                    reverse("techmarket:interest", args=[i.pk]),
                    detail=i.note[:80],
                )
            )
        if total > LIMIT:
            todos.append(
                Todo(
                    "techmarket",
                    _("另有 %(n)s 条合作意向待答复") % {"n": total - LIMIT},
                    reverse("techmarket:dashboard"),
                    total - LIMIT,
                )
            )
        soon = timezone.now() + dt.timedelta(days=30)
        expiring = (
            Listing.objects.filter(
                owner_id=user.organisation_id, status=ListingStatus.PUBLISHED, expires_at__lte=soon
            )
            .prefetch_related("texts")
            .order_by("expires_at")
        )
        for x in expiring[:LIMIT]:
            todos.append(
                Todo(
                    "techmarket",
                    _("即将到期，请确认并续期：%(title)s") % {"title": _listing_title(x, language)},
                    reverse("techmarket:detail", args=[x.pk]),
                    detail=_("到期日 %(date)s") % {"date": fmt_date(x.expires_at)},
                )
            )
        for x in (
            Listing.objects.filter(owner_id=user.organisation_id, status=ListingStatus.REJECTED)
            .prefetch_related("texts")
            .order_by("-updated_at")[:LIMIT]
        ):
            todos.append(
                Todo(
                    "techmarket",
                    _("被退回，请修改后重新提交：%(title)s") % {"title": _listing_title(x, language)},
                    reverse("techmarket:detail", args=[x.pk]),
                    detail=x.review_note[:80],
                )
            )
    return todos


# ---- patent-pledge financing ------------------------------------------------------------------------------------


def _pledge_todos(user) -> list[Todo]:
    from kechuang.permissions.pledge import BANK, DEPARTMENT, ENTERPRISE, GUARANTOR, INSURER, party_of
    from kechuang.pledge.models import LoanApplication, LoanStatus, RiskParty, RiskShare

    party = party_of(user)
    todos: list[Todo] = []
    if party is None:
        return todos
    if party == BANK:
        waiting = (
            LoanApplication.objects.filter(
                bank_id=user.organisation_id, status__in=[LoanStatus.APPLIED, LoanStatus.VALUED]
            )
            .select_related("enterprise")
            .order_by("created_at")
        )
        for loan in waiting[:LIMIT]:
            todos.append(
                Todo(
                    "pledge",
                    _("贷款申请待审批：%(org)s") % {"org": loan.enterprise.name},
                    reverse("pledge:loan_detail", args=[loan.pk]),
                    detail=_("申请金额 %(amount)s") % {"amount": fmt_money(loan.amount_fen)},
                )
            )
        n = waiting.count()
        if n > LIMIT:
            todos.append(
                Todo(
                    "pledge",
                    _("另有 %(n)s 笔贷款申请待审批") % {"n": n - LIMIT},
                    reverse("pledge:loan_list"),
                    n - LIMIT,
                )
            )
        for loan in LoanApplication.objects.filter(
            bank_id=user.organisation_id, status__in=[LoanStatus.APPROVED, LoanStatus.REGISTERED]
        ).select_related("enterprise")[:LIMIT]:
            todos.append(
                Todo(
                    "pledge",
                    (
                        _("待办理质押登记：%(org)s")
                        if loan.status == LoanStatus.APPROVED
                        else _("待放款：%(org)s")
                    )
                    % {"org": loan.enterprise.name},
                    reverse("pledge:loan_detail", args=[loan.pk]),
                )
            )
    if party in (INSURER, GUARANTOR, DEPARTMENT):
        field = {INSURER: RiskParty.INSURER, GUARANTOR: RiskParty.GUARANTOR, DEPARTMENT: RiskParty.FUND}[
            party
        ]
        shares = RiskShare.objects.filter(party=field, paid_on__isnull=True).select_related(
            "application__enterprise"
        )
        if party == DEPARTMENT:
            if user.city_id or not has_cap(user, "pledge.fund:pay"):
                shares = shares.none()
        else:
            shares = shares.filter(organisation_id=user.organisation_id)
        for share in shares[:LIMIT]:
            todos.append(
                Todo(
                    "pledge",
                    _("确认风险分担支付：%(org)s") % {"org": share.application.enterprise.name},
                    reverse("pledge:loan_detail", args=[share.application_id]),
                    detail=fmt_money(share.amount_fen),
                )
            )
    if party == ENTERPRISE:
        for loan in LoanApplication.objects.filter(
            enterprise_id=user.organisation_id, status=LoanStatus.DISBURSED
        ).select_related("bank", "enterprise")[:LIMIT]:
            if loan.maturity_date and loan.maturity_date <= timezone.localdate() + dt.timedelta(days=60):
                todos.append(
                    Todo(
                        "pledge",
                        _("贷款即将到期：%(bank)s") % {"bank": loan.bank.name},
                        reverse("pledge:loan_detail", args=[loan.pk]),
                        detail=_("到期日 %(date)s") % {"date": fmt_date(loan.maturity_date)},
                    )
                )
    return todos


# ---- events ------------------------------------------------------------------------------------------------------


def _event_todos(user) -> list[Todo]:
    from kechuang.events.models import Event, Meeting, Registration
    from kechuang.permissions.events import EventCap

    todos: list[Todo] = []
    if has_cap(user, EventCap.MANAGE):
        pending = Registration.objects.filter(
            status=Registration.Status.PENDING, event__status=Event.Status.PUBLISHED
        )
        if user.city_id:
            pending = pending.filter(event__city_id=user.city_id)
        for row in (
            pending.values("event_id", "event__title").annotate(n=Count("id")).order_by("event_id")[:LIMIT]
        ):
            todos.append(
                Todo(
                    "events",
                    _("“%(event)s”：%(n)s 份报名待审核") % {"event": row["event__title"], "n": row["n"]},
                    reverse("events:manage", args=[row["event_id"]]),
                    row["n"],
                )
            )
    mine = Registration.objects.filter(
        user=user, status=Registration.Status.APPROVED, event__ends_at__gte=timezone.now()
    )
    waiting = (
        Meeting.objects.filter(status=Meeting.Status.SCHEDULED)
        .filter(
            Q(low__in=mine, low_response=Meeting.Response.PENDING)
            | Q(high__in=mine, high_response=Meeting.Response.PENDING)
        )
        .values("event_id", "event__title")
        .annotate(n=Count("id"))
    )
    for row in waiting[:LIMIT]:
        todos.append(
            Todo(
                "events",
                _("“%(event)s”：%(n)s 场洽谈待确认") % {"event": row["event__title"], "n": row["n"]},
                reverse("events:agenda", args=[row["event_id"]]),
                row["n"],
            )
        )
    return todos


# ---- registry ------------------------------------------------------------------------------------------------------


def _registry_todos(user) -> list[Todo]:
    from kechuang.permissions import Cap

    todos: list[Todo] = []
    if has_cap(user, Cap.ORG_CREATE):
        from kechuang.permissions.registry import visible_registration_requests
        from kechuang.web.models import OrganisationRequest

        pending = visible_registration_requests(user).filter(status=OrganisationRequest.Status.PENDING)
        n = pending.count()
        if n:
            todos.append(
                Todo(
                    "registry",
                    _("%(n)s 个机构注册申请待审核") % {"n": n},
                    reverse("web:registration_list"),
                    n,
                )
            )
    if has_cap(user, Cap.ORG_EDIT_ANY):
        from kechuang.permissions.registry import visible_change_requests
        from kechuang.registry.models import OrganisationChangeRequest

        changes = visible_change_requests(user).filter(status=OrganisationChangeRequest.Status.PENDING)
        n = changes.count()
        if n:
            todos.append(
                Todo(
                    "registry",
                    _("%(n)s 个机构信息变更申请待审核") % {"n": n},
                    reverse("registry:change_requests"),
                    n,
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
    if not _active(user):
        return []
    return (
        _registry_todos(user)
        + _policy_todos(user)
        + _market_todos(user, language)
        + _pledge_todos(user)
        + _event_todos(user)
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
