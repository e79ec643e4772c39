"""From review to funding: the integrity blacklist, priority rules and ranking, the department meeting's decision,
the public notice (公示, working days, objections from anyone) and the confirmation of funding."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions.projects import can_manage_call, can_manage_integrity
from kechuang.projects import rules
from kechuang.projects.errors import ProjectError
from kechuang.projects.models import (
    Application,
    ApplicationStatus,
    CallStatus,
    IntegrityRecord,
    IntegritySource,
    NoticeObjection,
    ProjectCall,
)

__all__ = [
    "active_integrity_records",
    "blacklist_hits",
    "do_add_integrity_record",
    "do_answer_objection",
    "do_confirm_funding",
    "do_decide",
    "do_end_integrity_record",
    "do_object",
    "do_rank",
    "notice_open",
    "priority_points",
    "rank_order",
]


# ---- integrity blacklist -----------------------------------------------------------------------------------------


def active_integrity_records(day: dt.date | None = None):
    day = day or timezone.localdate()
    return IntegrityRecord.objects.filter(starts_on__lte=day).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def blacklist_hits(application: Application, day: dt.date | None = None) -> list[dict]:
    """The active entries naming the applying unit, the principal investigator or a team member, with sources."""
    from kechuang.projects.services import person_key  # noqa: F401  (same key as the application's)

    keys = {application.pi_key, *(m["key"] for m in application.team)}
    rows = active_integrity_records(day).filter(
        Q(organisation_id=application.unit_id) | Q(person_key__in=[k for k in keys if k])
    )
    return [
        {
            "record": r.pk,
            "who": r.person_name or str(application.unit.name if r.organisation_id else ""),
            "source": r.source,
            "source_name": str(r.get_source_display()),
            "reference": r.reference,
            "reason": r.reason,
            "ends_on": r.ends_on.isoformat() if r.ends_on else None,
        }
        for r in rows.order_by("pk")
    ]


def check_not_blacklisted(application: Application) -> None:
    hits = blacklist_hits(application)
    if hits:
        first = hits[0]
        raise DomainError(
            ProjectError.BLACKLISTED,
            _("%(who)s在%(source)s中（%(reference)s），限制期内不得申报。")
            % {"who": first["who"], "source": first["source_name"], "reference": first["reference"]},
            {"records": hits},
            status=409,
        )


@transaction.atomic
def do_add_integrity_record(
    *,
    acting_user,
    source: str,
    reference: str,
    reason: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    organisation=None,
    person_name: str = "",
    person_id_digits: str = "",
    application: Application | None = None,
) -> IntegrityRecord:
    """An entry of the credit / dishonesty list, with its source and document. `acting_user=None` is the system
    (an import from 信用中国 or a clawback)."""
    from kechuang.projects.services import person_key

    if acting_user is not None and not can_manage_integrity(acting_user):
        raise PermissionDenied("projects.integrity:manage")
    if source not in IntegritySource.values:
        raise DomainError(ErrorCode.INVALID, _("来源无效。"), {"field": "source"}, status=422)
    if not reference.strip() or not reason.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写认定文书和失信事由。"), status=422)
    if organisation is None and not person_name.strip():
        raise DomainError(ErrorCode.INVALID, _("请指明失信单位或责任人。"), status=422)
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(ErrorCode.INVALID, _("限制期不能早于起始日期。"), {"field": "ends_on"}, status=422)
    entry = IntegrityRecord.objects.create(
        organisation=organisation,
        person_name=person_name.strip(),
        person_key=person_key(person_name, person_id_digits) if person_name.strip() else "",
        source=source,
        reference=reference.strip()[:200],
        reason=reason.strip()[:500],
        starts_on=starts_on,
        ends_on=ends_on,
        application=application,
        created_by=acting_user,
    )
    record(
        "projects.integrity.add",
        entry,
        acting_user=acting_user,
        organisation_id=entry.organisation_id,
        changes={
            "source": [None, source],
            "reference": [None, entry.reference],
            "ends_on": [None, str(ends_on)],
        },
    )
    return entry


@transaction.atomic
def do_end_integrity_record(
    entry: IntegrityRecord, *, acting_user, ends_on: dt.date, note: str
) -> IntegrityRecord:
    """End a restriction early (信用修复), with the reason; the entry stays as history."""
    if not can_manage_integrity(acting_user):
        raise PermissionDenied("projects.integrity:manage")
    if not note.strip():
        raise DomainError(ErrorCode.INVALID, _("请说明信用修复的依据。"), status=422)
    entry = IntegrityRecord.objects.select_for_update().get(pk=entry.pk)
    before = entry.ends_on
    entry.ends_on = max(ends_on, entry.starts_on)
    entry.save(update_fields=["ends_on"])
    record(
        "projects.integrity.end",
        entry,
        acting_user=acting_user,
        organisation_id=entry.organisation_id,
        changes={"ends_on": [str(before), str(entry.ends_on)]},
        note=note.strip()[:200],
    )
    return entry


# ---- priority rules and ranking ----------------------------------------------------------------------------------


def priority_points(unit_ids: list[int], year: int) -> dict[int, tuple[int, list[dict]]]:
    """{unit id: (points, reasons)} by the priority rules, evaluated at once over all units with the policy
    engine on the registry's authoritative figures of `year`. Points are capped at the rules' `cap_points`."""
    from kechuang.policy import inputs as inp
    from kechuang.registry.models import Organisation

    unique = sorted(set(unit_ids))
    if not unique:
        return {}
    compiled = rules.priority_policies()
    pop = inp.population(Organisation.objects.filter(pk__in=unique))
    keys = set().union(*(p.required_inputs() for p in compiled))
    data = inp.load_inputs(pop, year, keys)
    checked: dict = {}
    totals = np.zeros(pop.n, dtype=np.int64)
    earned = []
    for policy in compiled:
        result = policy.evaluate_batch(year, data, pop.n, checked)
        points = np.where(result.status == 1, result.amount, 0)
        totals += points
        earned.append((policy, points))
    cap = rules.priority_cap()
    out = {}
    for i, unit_id in enumerate(pop.ids.tolist()):
        reasons = [
            {
                "rule": p.code,
                "name": p.name.get("zh", p.code),
                "points": int(points[i]),
                "document": p.document,
            }
            for p, points in earned
            if points[i] > 0
        ]
        out[unit_id] = (int(min(totals[i], cap)), reasons)
    return out


def rank_order(rows: list[tuple[int, Decimal | None, int]]) -> list[int]:
    """Ids ranked by review score + priority points, then review score, then id (stable and explainable)."""

    def key(row):
        pk, score, points = row
        score = score if score is not None else Decimal(0)
        return (-(score + points), -score, pk)

    return [r[0] for r in sorted(rows, key=key)]


def _review_scores(call: ProjectCall) -> dict[int, Decimal]:
    """Per submission: the mean over the review stages of the normalised mean score (online review, hearing)."""
    from kechuang.review.services import stage_results

    if call.review_process_id is None:
        return {}
    sums: dict[int, list[float]] = {}
    for stage in call.review_process.stages.order_by("order"):
        for sub_id, entry in stage_results(stage).items():
            sums.setdefault(sub_id, []).append(entry["mean_normalised"])
    return {k: Decimal(str(round(sum(v) / len(v), 2))) for k, v in sums.items()}


@transaction.atomic
def do_rank(call: ProjectCall, *, acting_user) -> list[Application]:
    """Score and rank the call's reviewed applications: review score plus priority points (each with its reason),
    stored on the applications and audited. Returns them in rank order."""
    call = ProjectCall.objects.select_for_update(of=("self",)).select_related("line").get(pk=call.pk)
    if not can_manage_call(acting_user, call):
        raise PermissionDenied("projects.call:manage")
    if call.status not in (CallStatus.OPEN, CallStatus.CLOSED):
        raise StateError(_("立项决定后不能重新排序。"))
    from kechuang.review.models import SubmissionStatus

    apps = list(
        call.applications.select_for_update(of=("self",))
        .filter(status=ApplicationStatus.IN_REVIEW)
        .select_related("review_submission")
        .order_by("pk")
    )
    if not apps:
        raise StateError(_("没有评审中的申报书可以排序。"))
    if any(a.review_submission.status == SubmissionStatus.ACTIVE for a in apps):
        raise StateError(_("专家评审（网络评审和会议答辩）尚未结束。"))
    eliminated = [a for a in apps if a.review_submission.status == SubmissionStatus.ELIMINATED]
    for a in eliminated:
        a.rank = None
    apps = [a for a in apps if a.review_submission.status != SubmissionStatus.ELIMINATED]
    Application.objects.filter(pk__in=[a.pk for a in eliminated]).update(rank=None)
    scores = _review_scores(call)
    points = priority_points([a.unit_id for a in apps], call.year - 1)
    for a in apps:
        a.review_score = scores.get(a.review_submission_id)
        a.priority_points, a.priority_trace = points.get(a.unit_id, (0, []))
    order = rank_order([(a.pk, a.review_score, a.priority_points) for a in apps])
    position = {pk: i for i, pk in enumerate(order, start=1)}
    for a in apps:
        a.rank = position[a.pk]
    Application.objects.bulk_update(apps, ["review_score", "priority_points", "priority_trace", "rank"])
    record(
        "projects.call.rank",
        call,
        acting_user=acting_user,
        changes={"ranked": [None, len(apps)], "priority_year": [None, call.year - 1]},
    )
    return sorted(apps, key=lambda a: a.rank)


# ---- decision and public notice ------------------------------------------------------------------------------------


def _notice_period(days: int) -> tuple[dt.date, dt.date]:
    from kechuang.workdays import add_working_days

    start = timezone.localdate()  # published today; a rest day does not count (add_working_days)
    try:
        end = add_working_days(start, days)
    except NotImplementedError as exc:
        raise DomainError(
            ProjectError.NO_CALENDAR, _("公示期超出已知的法定节假日安排，暂不能计算工作日。"), status=409
        ) from exc
    return start, end


@transaction.atomic
def do_decide(
    call: ProjectCall,
    *,
    acting_user,
    decision_no: str,
    funded: dict[int, int] | None = None,
    notice_days: int | None = None,
) -> ProjectCall:
    """The department meeting's decision (厅务会议): the applications to fund and their amounts, then the public
    notice of `notice_days` working days from today. Without `funded`, the ranked applications are
    funded in rank order as asked within each topic's budget. Amounts never exceed what was asked."""
    call = ProjectCall.objects.select_for_update(of=("self",)).select_related("line").get(pk=call.pk)
    if not can_manage_call(acting_user, call):
        raise PermissionDenied("projects.call:manage")
    if call.status not in (CallStatus.OPEN, CallStatus.CLOSED):
        raise StateError(_("该批次已作出立项决定。"))
    if not decision_no.strip():
        raise DomainError(
            ErrorCode.INVALID, _("请填写厅务会议纪要文号。"), {"field": "decision_no"}, status=422
        )
    days = call.notice_days if notice_days is None else notice_days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 30:
        raise DomainError(
            ErrorCode.INVALID, _("公示期应为 1 至 30 个工作日。"), {"field": "notice_days"}, status=422
        )
    apps = list(
        call.applications.select_for_update(of=("self",))
        .filter(status=ApplicationStatus.IN_REVIEW)
        .select_related("topic")
    )
    if not apps:
        raise StateError(_("没有评审中的申报书。"))
    if all(a.rank is None for a in apps):
        raise StateError(_("请先完成排序。"))
    ranked = [a for a in apps if a.rank is not None]
    by_id = {a.pk: a for a in apps}
    if funded is None:
        funded = {}
        left = {}
        for a in sorted(ranked, key=lambda a: a.rank):
            room = left.setdefault(a.topic_id, a.topic.budget_fen)
            if a.fiscal_fen <= room:
                funded[a.pk] = a.fiscal_fen
                left[a.topic_id] = room - a.fiscal_fen
    for pk, fen in funded.items():
        if pk not in by_id or by_id[pk].rank is None:
            raise DomainError(
                ErrorCode.INVALID, _("立项名单中有不在评审中的申报书。"), {"application": pk}, status=422
            )
        if isinstance(fen, bool) or not isinstance(fen, int) or not 0 < fen <= by_id[pk].fiscal_fen:
            raise DomainError(
                ProjectError.FUNDING_OVER_ASKED,
                _("支持经费应大于零且不超过申请额。"),
                {"application": pk},
                status=422,
            )
    per_topic: dict[int, int] = {}
    for pk, fen in funded.items():
        per_topic[by_id[pk].topic_id] = per_topic.get(by_id[pk].topic_id, 0) + fen
    for a in apps:
        if per_topic.get(a.topic_id, 0) > a.topic.budget_fen:
            raise DomainError(
                ProjectError.BUDGET_TOPIC,
                _("“%(topic)s”的立项经费超过该方向的预算。") % {"topic": a.topic.title},
                status=422,
            )
    for a in apps:
        old = a.status
        if a.pk in funded:
            a.status, a.funded_fen = ApplicationStatus.PROPOSED, funded[a.pk]
        else:
            a.status, a.funded_fen = ApplicationStatus.NOT_FUNDED, None
        a.save(update_fields=["status", "funded_fen"])
        record(
            "projects.application.decide",
            a,
            acting_user=acting_user,
            changes={"status": [old, a.status], "funded_fen": [None, a.funded_fen]},
        )
    call.decision_no = decision_no.strip()[:100]
    call.decided_at = timezone.now()
    call.decided_by = acting_user
    call.notice_days = days
    call.notice_starts, call.notice_ends = _notice_period(days)
    old_status = call.status
    call.status = CallStatus.NOTICE
    call.save(
        update_fields=[
            "decision_no",
            "decided_at",
            "decided_by",
            "notice_days",
            "notice_starts",
            "notice_ends",
            "status",
        ]
    )
    record(
        "projects.call.decide",
        call,
        acting_user=acting_user,
        note=call.decision_no,
        changes={
            "status": [old_status, call.status],
            "funded": [None, len(funded)],
            "funded_fen": [None, sum(funded.values())],
            "notice": [None, [call.notice_starts.isoformat(), call.notice_ends.isoformat()]],
        },
    )
    return call


def notice_open(call: ProjectCall, day: dt.date | None = None) -> bool:
    day = day or timezone.localdate()
    return call.status == CallStatus.NOTICE and call.notice_starts <= day <= call.notice_ends


@transaction.atomic
def do_object(
    application: Application, *, name: str, contact: str, text: str, acting_user=None
) -> NoticeObjection:
    """An objection to a proposed project during its notice: anyone, signed with a name and a contact."""
    application = Application.objects.select_related("call").get(pk=application.pk)
    if application.status != ApplicationStatus.PROPOSED or not notice_open(application.call):
        raise DomainError(ProjectError.NOTICE_CLOSED, _("不在公示期内。"), status=409)
    if not name.strip() or not contact.strip() or not text.strip():
        raise DomainError(ErrorCode.INVALID, _("请署名、留下联系方式并写明异议内容。"), status=422)
    objection = NoticeObjection.objects.create(
        application=application,
        name=name.strip()[:100],
        contact=contact.strip()[:100],
        text=text.strip()[:5000],
    )
    user = acting_user if acting_user is not None and acting_user.is_authenticated else None
    record("projects.notice.object", objection, acting_user=user, organisation_id=application.unit_id)
    return objection


@transaction.atomic
def do_answer_objection(
    objection: NoticeObjection, *, acting_user, upheld: bool, answer: str
) -> NoticeObjection:
    objection = (
        NoticeObjection.objects.select_for_update(of=("self",))
        .select_related("application__call__line")
        .get(pk=objection.pk)
    )
    if not can_manage_call(acting_user, objection.application.call):
        raise PermissionDenied("projects.call:manage")
    if objection.status != NoticeObjection.Status.OPEN:
        raise StateError(_("该异议已处理。"))
    if not answer.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写处理意见。"), status=422)
    objection.status = NoticeObjection.Status.UPHELD if upheld else NoticeObjection.Status.DISMISSED
    objection.answer = answer.strip()[:500]
    objection.answered_by = acting_user
    objection.save(update_fields=["status", "answer", "answered_by"])
    record(
        "projects.notice.answer",
        objection,
        acting_user=acting_user,
        organisation_id=objection.application.unit_id,
        changes={"status": [NoticeObjection.Status.OPEN, objection.status]},
        note=objection.answer[:200],
    )
    return objection


@transaction.atomic
def do_confirm_funding(call: ProjectCall, *, acting_user) -> ProjectCall:
    """After the notice has ended with every objection answered: the proposed projects are funded (an upheld
    objection withdraws the project)."""
    call = ProjectCall.objects.select_for_update(of=("self",)).select_related("line").get(pk=call.pk)
    if not can_manage_call(acting_user, call):
        raise PermissionDenied("projects.call:manage")
    if call.status != CallStatus.NOTICE:
        raise StateError(_("该批次不在公示阶段。"))
    if timezone.localdate() <= call.notice_ends:
        raise DomainError(
            ProjectError.NOTICE_RUNNING,
            _("公示期至 %(date)s 结束，结束后才能确认立项。") % {"date": call.notice_ends},
            status=409,
        )
    proposed = call.applications.select_for_update().filter(status=ApplicationStatus.PROPOSED)
    if NoticeObjection.objects.filter(application__in=proposed, status=NoticeObjection.Status.OPEN).exists():
        raise StateError(_("还有公示异议未处理。"))
    funded = withdrawn = 0
    for a in proposed:
        upheld = a.objections.filter(status=NoticeObjection.Status.UPHELD).exists()
        new = ApplicationStatus.NOT_FUNDED if upheld else ApplicationStatus.FUNDED
        a.status = new
        a.decision_note = _("公示异议成立，不予立项。") if upheld else ""
        a.save(update_fields=["status", "decision_note"])
        record(
            "projects.application.fund",
            a,
            acting_user=acting_user,
            changes={
                "status": [ApplicationStatus.PROPOSED, new],
                "funded_fen": [a.funded_fen, a.funded_fen if not upheld else None],
            },
        )
        funded += not upheld
        withdrawn += upheld
    call.status = CallStatus.DECIDED
    call.save(update_fields=["status"])
    record(
        "projects.call.confirm",
        call,
        acting_user=acting_user,
        changes={
            "status": [CallStatus.NOTICE, CallStatus.DECIDED],
            "funded": [None, funded],
            "withdrawn": [None, withdrawn],
        },
    )
    return call
