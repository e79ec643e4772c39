"""Builders for tests and benches: through the real services."""

import datetime as dt

from django.utils import timezone

from kechuang.projects.models import LineKind
from kechuang.projects.services import do_create_line, do_open_call

WAN = 1_000_000  # 1 万元 in fen


def open_call(admin_user, department, *, kind=LineKind.KEY_RD, days=30, **options):
    line = do_create_line(acting_user=admin_user, kind=kind, name="广西重点研发计划", department=department)
    today = timezone.localdate()
    return do_open_call(
        acting_user=admin_user,
        line=line,
        year=today.year,
        name=f"{today.year} 年度广西重点研发计划",
        deadline=today + dt.timedelta(days=days),
        topics=[{"code": "T01", "title": "甘蔗全程机械化关键技术", "budget_fen": 300 * WAN}],
        **options,
    )


def budget(total_fen=100 * WAN):
    equipment = total_fen * 30 // 100
    indirect = total_fen * 10 // 100
    return {"equipment": equipment, "indirect": indirect, "materials": total_fen - equipment - indirect}


def make_experts(n=3, prefix="exp"):
    """Experts of the review engine in a university (no relation to the applicants)."""
    from kechuang.accounts.models import Role
    from kechuang.registry.models import OrganisationKind
    from kechuang.review.services import do_register_expert
    from kechuang.testing import make_org, make_user

    org = make_org(f"{prefix}广西大学", kind=OrganisationKind.UNIVERSITY, registration="12", industry=None)
    users = []
    for i in range(n):
        user = make_user(f"{prefix}{i}", org=org, role=Role.EXPERT)
        do_register_expert(
            user, acting_user=None, organisation=org, disciplines=[], profile_text="农业机械 甘蔗"
        )
        users.append(user)
    return users


def review_through(process, manager, score_of=lambda submission: 8):
    """Run every stage of a review process: assign, each expert scores (`score_of(submission)` on every
    criterion), pass everyone, close. Returns the process."""
    from kechuang.review.models import Assignment, AssignmentStatus, SubmissionStatus
    from kechuang.review.services import do_assign, do_close_stage, do_decide, do_submit_review

    for stage in process.stages.order_by("order"):
        do_assign(stage, acting_user=manager)
        criteria = process.rubric.criteria
        for a in Assignment.objects.filter(
            stage=stage, status__in=(AssignmentStatus.INVITED, AssignmentStatus.ACCEPTED)
        ).select_related("expert__user", "submission"):
            score = score_of(a.submission)
            do_submit_review(
                a,
                acting_user=a.expert.user,
                scores={c["code"]: score for c in criteria},
                comments={c["code"]: "意见" for c in criteria},
            )
        for sub in process.submissions.filter(stage=stage, status=SubmissionStatus.ACTIVE):
            do_decide(stage, sub, acting_user=manager, passed=True, reason="同意")
        do_close_stage(stage, acting_user=manager)
    return process


def project_fund(manager, *, year, budget_fen=10_000 * WAN):
    """A programme and fund of the policy payout workflow that pays task-contract milestones; its 联合会审 is the
    S&T and finance departments."""
    from kechuang.policy.services import do_create_fund, do_create_programme

    programme = do_create_programme(
        "自治区科技计划项目经费",
        ["project_contract"],
        joint_departments=["science", "finance"],
        notice_min_days=1,  # the projects themselves were noticed when decided; each payment round still is
        acting_user=manager,
    )
    return do_create_fund(programme, f"{year}年科技计划项目资金", year, budget_fen, acting_user=manager)


def bank_file(batch, status="成功") -> bytes:
    lines = ["reference,account,amount,status,bank_reference"]
    for p in batch.payments.order_by("id"):
        lines.append(
            f"{p.reference},{p.account},{p.amount_fen // 100}.{p.amount_fen % 100:02d},{status},B{p.pk:08d}"
        )
    return ("\n".join(lines) + "\n").encode()
