"""八桂学者: units apply for posts (discipline, team, matching funds) → post review → open recruitment → written
review and hearing → decision → public notice → five-year contract with a task sheet and the programme's benefit
schedules (stable funding yearly; the settling-in allowance for full-time scholars from outside Guangxi) → yearly,
mid-term and final evaluation that continue or stop the funding; service entitlements tracked as tickets."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.money import wan_text
from kechuang.permissions.talent import TalentCap, can_apply, can_manage
from kechuang.talent import catalogue
from kechuang.talent.errors import TalentError
from kechuang.talent.models import (
    BaguiAppointment,
    BaguiEvaluation,
    BaguiPost,
    BaguiReview,
    BenefitSchedule,
    Instalment,
    Programme,
    ServiceTicket,
)
from kechuang.talent.services.recognition import apply_highest_not_twice, create_schedule, person_for
from kechuang.workdays import add_working_days


def _require_manager(user) -> None:
    if user is not None and not can_manage(user):
        raise PermissionDenied(TalentCap.MANAGE)


REVIEWS = {
    # kind → (process name, rubric, stages): 岗位评审 is one online review; the applicants' 书面评审 is an online
    # review and the 答辩 a hearing whose experts score on the same rubric
    BaguiReview.Kind.POST: (
        gettext_lazy("%(year)s 年度八桂学者岗位评审"),
        "bagui_post_2024",
        [("online", gettext_lazy("岗位评审"))],
    ),
    BaguiReview.Kind.CANDIDATE: (
        gettext_lazy("%(year)s 年度八桂学者书面评审与答辩"),
        "bagui_candidate_2024",
        [("online", gettext_lazy("书面评审")), ("hearing", gettext_lazy("答辩"))],
    ),
}


def review_process(kind: str, year: int):
    """The year's review of `kind` on the review engine (created on first use, owned by the science department)."""
    from kechuang.registry.models import DepartmentType, Organisation
    from kechuang.review import services as review
    from kechuang.review.models import Rubric

    found = BaguiReview.objects.filter(year=year, kind=kind).select_related("process").first()
    if found is not None:
        return found.process
    name, rubric, stages = REVIEWS[kind]
    department = (
        Organisation.objects.filter(department_type=DepartmentType.SCIENCE, city__isnull=True)
        .order_by("id")
        .first()
        or Organisation.objects.filter(department_type=DepartmentType.SCIENCE).order_by("id").first()
    )
    process = review.do_create_process(
        acting_user=None,
        name=str(name) % {"year": year},
        department=department,
        rubric=Rubric.objects.get(code=rubric),
        stages=[{"kind": k, "name": str(n)} for k, n in stages],
        reviews_per_submission=3,
    )
    BaguiReview.objects.create(year=year, kind=kind, process=process)
    return process


def _submit_to_review(kind: str, year: int, *, subject_type, subject_id, title, text, applicant, people=()):
    """Put one subject on the year's review. Refused once the review's first stage is over: a late subject would
    sit in a closed stage that no expert can score."""
    from kechuang.review import services as review
    from kechuang.review.models import StageStatus

    process = review_process(kind, year)
    first = process.stages.order_by("order").first()
    if first.status == StageStatus.CLOSED:
        raise DomainError(
            TalentError.REVIEW_CLOSED,
            _("%(name)s的“%(stage)s”已结束，不再受理。") % {"name": process.name, "stage": first.name},
            status=409,
        )
    return review.do_add_submission(
        process,
        acting_user=None,
        subject_type=subject_type,
        subject_id=subject_id,
        title=title[:300],
        text=text,
        applicant=applicant,
        people=list(people),
    )


@transaction.atomic
def do_apply_post(
    *,
    acting_user,
    title: str,
    discipline: str,
    field: str,
    team: str,
    matching_fen: int,
    year: int | None = None,
) -> BaguiPost:
    if not can_apply(acting_user):
        raise PermissionDenied(TalentCap.APPLY)
    if field not in ("natural", "social"):
        raise DomainError(ErrorCode.INVALID, _("请选择自然科学类或社会科学类。"), {"field": "field"}, 422)
    if not title.strip() or not discipline.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写岗位名称和学科。"), {"field": "title"}, 422)
    if len(team.strip()) < 10:
        raise DomainError(
            ErrorCode.INVALID, _("请说明岗位所在团队（不少于 10 字）。"), {"field": "team"}, 422
        )
    if isinstance(matching_fen, bool) or not isinstance(matching_fen, int) or matching_fen <= 0:
        raise DomainError(ErrorCode.INVALID, _("设岗单位须承诺配套经费。"), {"field": "matching_fen"}, 422)
    post = BaguiPost.objects.create(
        unit=acting_user.organisation,
        title=title.strip()[:200],
        discipline=discipline.strip()[:100],
        field=field,
        team=team.strip(),
        matching_fen=matching_fen,
        year=year or timezone.localdate().year,
    )
    post.review_submission = _submit_to_review(
        BaguiReview.Kind.POST,
        post.year,
        subject_type="talent.bagui_post",
        subject_id=post.pk,
        title=f"{post.unit.name}：{post.title}",
        text=f"{post.discipline}\n{post.team}",
        applicant=post.unit,
    )
    post.save(update_fields=["review_submission"])
    record(
        "talent.bagui.post.apply",
        post,
        acting_user=acting_user,
        organisation_id=post.unit_id,
        changes={"matching_fen": matching_fen},
    )
    return post


@transaction.atomic
def do_review_post(post: BaguiPost, *, acting_user, approved: bool, note: str = "") -> BaguiPost:
    """The office's conclusion of the post review: an approval needs the experts' review on the engine to have
    passed the post; a refusal needs its reason."""
    from kechuang.review.models import SubmissionStatus

    _require_manager(acting_user)
    post = (
        BaguiPost.objects.select_for_update(of=("self",)).select_related("review_submission").get(pk=post.pk)
    )
    if post.state != BaguiPost.State.APPLIED:
        raise StateError(_("该岗位已评审。"))
    if approved and (
        post.review_submission is None or post.review_submission.status != SubmissionStatus.PASSED
    ):
        raise DomainError(TalentError.REVIEW_REQUIRED, _("岗位须经专家评审通过后才能公开招聘。"), status=409)
    if not approved and not note.strip():
        raise DomainError(ErrorCode.INVALID, _("岗位未通过时请写明理由。"), {"field": "note"}, 422)
    post.state = BaguiPost.State.OPEN if approved else BaguiPost.State.REFUSED
    post.review_note = note.strip()[:300]
    post.save(update_fields=["state", "review_note"])
    record(
        "talent.bagui.post.review",
        post,
        acting_user=acting_user,
        organisation_id=post.unit_id,
        changes={"state": post.state},
    )
    return post


@transaction.atomic
def do_add_applicant(
    post: BaguiPost,
    *,
    acting_user,
    name: str,
    id_number: str,
    full_time: bool = True,
    from_outside: bool = True,
) -> BaguiAppointment:
    """An applicant from the open recruitment of an approved post."""
    _require_manager(acting_user)
    post = BaguiPost.objects.select_for_update().get(pk=post.pk)
    if post.state != BaguiPost.State.OPEN:
        raise StateError(_("岗位未在公开招聘中。"))
    person = person_for(name, id_number, post.discipline)
    if BaguiAppointment.objects.filter(person=person, state__in=["notice", "contracted"]).exists():
        raise DomainError(
            TalentError.ALREADY_RECOGNISED, _("%(name)s 已是八桂学者。") % {"name": person.name}, status=409
        )
    appt = BaguiAppointment.objects.create(
        post=post, person=person, full_time=full_time, from_outside=from_outside
    )
    # the applicant's name and the post's unit go with the submission, so the engine keeps the unit's experts and
    # the applicant's co-authors away from it
    appt.review_submission = _submit_to_review(
        BaguiReview.Kind.CANDIDATE,
        post.year,
        subject_type="talent.bagui_appointment",
        subject_id=appt.pk,
        title=f"{person.name}（{post.title}）",
        text=f"{post.discipline}\n{post.team}",
        applicant=post.unit,
        people=[person.name],
    )
    appt.save(update_fields=["review_submission"])
    record("talent.bagui.applicant", appt, acting_user=acting_user, organisation_id=post.unit_id)
    return appt


@transaction.atomic
def do_take_review_scores(appt: BaguiAppointment, *, acting_user) -> BaguiAppointment:
    """书面评审 and 答辩 scores from the review engine: each the mean of the experts' rubric totals (0–100) in that
    stage. Refused while either stage has no submitted review for the applicant."""
    from kechuang.talent.expert_review import stage_means

    _require_manager(acting_user)
    appt = (
        BaguiAppointment.objects.select_for_update(of=("self",))
        .select_related("post", "review_submission")
        .get(pk=appt.pk)
    )
    if appt.state != BaguiAppointment.State.CANDIDATE:
        raise StateError(_("评审已结束。"))
    submission = appt.review_submission
    if submission is None:
        raise DomainError(TalentError.REVIEW_REQUIRED, _("该应聘者未进入专家评审。"), status=409)
    stages = {s.kind: s for s in submission.process.stages.all()}
    written = stage_means(stages["online"], [submission.pk]).get(submission.pk)
    hearing = stage_means(stages["hearing"], [submission.pk]).get(submission.pk)
    if written is None or hearing is None:
        raise DomainError(
            TalentError.REVIEW_REQUIRED,
            _("书面评审和答辩都须有专家提交评分后才能取得成绩。"),
            {"written": written is not None, "hearing": hearing is not None},
            status=409,
        )
    appt.written_score, appt.hearing_score = written, hearing
    appt.save(update_fields=["written_score", "hearing_score"])
    record(
        "talent.bagui.score",
        appt,
        acting_user=acting_user,
        organisation_id=appt.post.unit_id,
        changes={"written": str(written), "hearing": str(hearing), "source": "review"},
    )
    return appt


@transaction.atomic
def do_decide(
    appt: BaguiAppointment, *, acting_user, document: str, start: dt.date | None = None
) -> BaguiAppointment:
    """The talent leading group's decision: the chosen applicant goes on public notice; the post's other applicants
    are not selected."""
    _require_manager(acting_user)
    post = BaguiPost.objects.select_for_update().get(pk=appt.post_id)
    appt = BaguiAppointment.objects.select_for_update().get(pk=appt.pk)
    if appt.state != BaguiAppointment.State.CANDIDATE:
        raise StateError(_("该应聘者已有结论。"))
    if appt.written_score is None or appt.hearing_score is None:
        raise DomainError(ErrorCode.INVALID, _("须完成书面评审和答辩后才能决定。"), status=409)
    if post.appointments.filter(state__in=["notice", "contracted"]).exists():
        raise DomainError(TalentError.POST_TAKEN, _("该岗位已有人选。"), status=409)
    if not document.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写决定文件文号。"), {"field": "document"}, 422)
    start = start or timezone.localdate()
    appt.state, appt.decision_document = BaguiAppointment.State.NOTICE, document.strip()[:200]
    appt.notice_start = start
    appt.notice_end = add_working_days(start, int(catalogue.bagui()["notice_working_days"]))
    appt.save(update_fields=["state", "decision_document", "notice_start", "notice_end"])
    post.appointments.filter(state=BaguiAppointment.State.CANDIDATE).exclude(pk=appt.pk).update(
        state=BaguiAppointment.State.NOT_SELECTED
    )
    record(
        "talent.bagui.decide",
        appt,
        acting_user=acting_user,
        organisation_id=post.unit_id,
        note=document[:200],
    )
    return appt


@transaction.atomic
def do_contract(
    appt: BaguiAppointment, *, acting_user, start: dt.date, task_sheet: str, today: dt.date | None = None
) -> BaguiAppointment:
    """The five-year contract with its task sheet, after the notice; creates the scholar's benefit schedules."""
    _require_manager(acting_user)
    appt = (
        BaguiAppointment.objects.select_for_update(of=("self",))
        .select_related("post", "person")
        .get(pk=appt.pk)
    )
    today = today or timezone.localdate()
    if appt.state != BaguiAppointment.State.NOTICE:
        raise StateError(_("只有公示中的人选才能签约。"))
    if today <= appt.notice_end:
        raise DomainError(
            ErrorCode.INVALID_STATE, _("公示期至 %(end)s 结束。") % {"end": appt.notice_end}, status=409
        )
    if len(task_sheet.strip()) < 10:
        raise DomainError(
            ErrorCode.INVALID, _("请填写任务书（目标、指标、经费）。"), {"field": "task_sheet"}, 422
        )
    spec = catalogue.bagui()
    term = int(spec["term_years"])
    appt.state = BaguiAppointment.State.CONTRACTED
    appt.contract_start = start
    appt.contract_end = start.replace(year=start.year + term) - dt.timedelta(days=1)
    appt.task_sheet = task_sheet.strip()
    appt.save(update_fields=["state", "contract_start", "contract_end", "task_sheet"])
    post = appt.post
    post.state = BaguiPost.State.FILLED
    post.save(update_fields=["state"])
    benefits = spec["benefit_specs"]
    wanted = [("living", benefits["living"]), ("research", benefits[f"research_{post.field}"])]
    if appt.full_time and appt.from_outside:
        wanted.append(("settling", benefits["settling"]))
    for kind, b in wanted:
        create_schedule(
            person=appt.person,
            employer=post.unit,
            programme=Programme.BAGUI,
            appointment=appt,
            kind=kind,
            total_fen=b.total_fen,
            years=b.years,
            first_year=start.year,
            explanation=_(
                "八桂学者%(kind)s共 %(total)s 万元，分 %(years)s 年。依据：%(doc)s（可信度 %(c)s%(note)s）"
            )
            % {
                "kind": dict(BenefitSchedule._meta.get_field("kind").choices)[kind],
                "total": wan_text(b.total_fen),
                "years": b.years,
                "doc": spec["document"],
                "c": b.confidence,
                "note": f"；{b.note}" if b.note else "",
            },
        )
    apply_highest_not_twice(appt.person)
    record(
        "talent.bagui.contract",
        appt,
        acting_user=acting_user,
        organisation_id=post.unit_id,
        changes={"start": str(start), "end": str(appt.contract_end)},
    )
    return appt


@transaction.atomic
def do_evaluate(
    appt: BaguiAppointment, *, acting_user, kind: str, year: int, result: str, note: str = ""
) -> BaguiEvaluation:
    """Yearly, mid-term or final evaluation. A failed one stops the funding from the next year on; the final one
    ends the contract."""
    _require_manager(acting_user)
    appt = BaguiAppointment.objects.select_for_update().get(pk=appt.pk)
    if appt.state != BaguiAppointment.State.CONTRACTED:
        raise StateError(_("只有聘期中的学者才能考核。"))
    if kind not in BaguiEvaluation.Kind.values or result not in BaguiEvaluation.Result.values:
        raise DomainError(ErrorCode.INVALID, _("考核类型或结果无效。"), status=422)
    if not appt.contract_start.year <= year <= appt.contract_end.year:
        raise DomainError(ErrorCode.INVALID, _("考核年度不在聘期内。"), {"field": "year"}, 422)
    if BaguiEvaluation.objects.filter(appointment=appt, kind=kind, year=year).exists():
        raise DomainError(ErrorCode.CONFLICT, _("该年度的这项考核已登记。"), status=409)
    effect = _("继续资助")
    if result == BaguiEvaluation.Result.FAIL:
        effect = _("考核不合格，%(next)s 年起停止资助") % {"next": year + 1}
        schedules = BenefitSchedule.objects.filter(appointment=appt, state=BenefitSchedule.State.ACTIVE)
        Instalment.objects.filter(
            schedule__in=schedules, state=Instalment.State.SCHEDULED, year__gt=year
        ).update(state=Instalment.State.CANCELLED, note=effect[:300])
        schedules.update(state=BenefitSchedule.State.STOPPED, reason=effect[:300])
        appt.state = BaguiAppointment.State.STOPPED
    elif kind == BaguiEvaluation.Kind.FINAL:
        effect = _("期满考核通过，聘期结束")
        appt.state = BaguiAppointment.State.COMPLETED
    appt.save(update_fields=["state"])
    evaluation = BaguiEvaluation.objects.create(
        appointment=appt, kind=kind, year=year, result=result, note=note.strip()[:300], effect=effect[:300]
    )
    record(
        "talent.bagui.evaluate",
        appt,
        acting_user=acting_user,
        changes={"kind": kind, "year": year, "result": result},
    )
    return evaluation


@transaction.atomic
def do_open_ticket(appt: BaguiAppointment, *, acting_user, kind: str, detail: str) -> ServiceTicket:
    appt = BaguiAppointment.objects.select_related("post").get(pk=appt.pk)
    if not (
        can_manage(acting_user)
        or (can_apply(acting_user) and acting_user.organisation_id == appt.post.unit_id)
    ):
        raise PermissionDenied(TalentCap.APPLY)
    if kind not in ServiceTicket.Kind.values:
        raise DomainError(ErrorCode.INVALID, _("服务事项无效。"), {"field": "kind"}, 422)
    if appt.state != BaguiAppointment.State.CONTRACTED:
        raise StateError(_("只有聘期中的学者享受服务保障。"))
    if not detail.strip():
        raise DomainError(ErrorCode.INVALID, _("请说明诉求。"), {"field": "detail"}, 422)
    ticket = ServiceTicket.objects.create(
        person=appt.person, appointment=appt, kind=kind, detail=detail.strip()[:300]
    )
    record("talent.bagui.ticket.open", ticket, acting_user=acting_user, organisation_id=appt.post.unit_id)
    return ticket


@transaction.atomic
def do_close_ticket(ticket: ServiceTicket, *, acting_user, outcome: str) -> ServiceTicket:
    _require_manager(acting_user)
    if ticket.state != ServiceTicket.State.OPEN:
        raise StateError(_("该事项已办结。"))
    if not outcome.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写办理结果。"), {"field": "outcome"}, 422)
    ticket.state, ticket.outcome = ServiceTicket.State.DONE, outcome.strip()[:300]
    ticket.save(update_fields=["state", "outcome"])
    record("talent.bagui.ticket.close", ticket, acting_user=acting_user)
    return ticket
