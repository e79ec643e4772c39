"""Award services: every state change a `do_*` function, atomic, audited, permission-checked.

The cycle: open a call (with its review process and nominator quotas) → nominate → formal check → expert review
and committee vote on `kechuang.review` → propose grades within the caps → public notice in working days with
objections from anyone → approval by the regional government → certificates and prizes.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.awards import schemes
from kechuang.awards.errors import AwardError
from kechuang.awards.models import (
    AwardCall,
    AwardedWork,
    AwardKind,
    AwardObjection,
    CallStatus,
    Contributor,
    Nomination,
    NominationStatus,
    NominationUnit,
    NominatorQuota,
)
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions.awards import can_manage_call, can_nominate
from kechuang.review import services as review
from kechuang.review.models import Rubric, StageKind, SubmissionStatus
from kechuang.workdays import add_working_days

PATENT_GROUNDS = {
    "pledgor_not_owner",
    "patent_not_granted",
    "patent_lapsed",
    "patent_invalidated",
    "patent_expired",
    "annual_fee_unpaid",
    "ownership_dispute",
    "invalidation_pending",
}
RUBRIC_BY_KIND = {AwardKind.ST_AWARD: "st_award_2024", AwardKind.PATENT_AWARD: "patent_award_2024"}
MAX_CONTRIBUTORS = 50


def title_key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title or "")
    return "".join(ch for ch in text if ch.isalnum()).casefold()


def person_key(name: str, id_digits: str = "") -> str:
    return f"{title_key(name)}|{(id_digits or '')[-6:]}"


def _require_manager(user, call) -> None:
    if user is not None and not can_manage_call(user, call):
        raise PermissionDenied("awards.call:manage")


@transaction.atomic
def do_open_call(
    *, acting_user, kind: str, year: int, department, nomination_deadline: dt.date, quotas=()
) -> AwardCall:
    """A yearly call, its review process (formal check → online review → hearing → committee vote) and quotas."""
    scheme = schemes.scheme(kind)
    if not 2000 <= year <= 2100:
        raise DomainError(ErrorCode.INVALID, _("年度超出范围。"), status=422)
    first = scheme.get("first_year")
    if first and (year - first) % scheme["cycle_years"]:
        raise DomainError(
            AwardError.NOT_AN_AWARD_YEAR,
            _("%(name)s每 %(n)s 年评选一次，%(year)s 年不是评选年度。")
            % {"name": scheme["name"], "n": scheme["cycle_years"], "year": year},
        )
    call = AwardCall(
        kind=kind,
        year=year,
        department=department,
        nomination_deadline=nomination_deadline,
        name=_("%(year)s 年度%(name)s") % {"year": year, "name": scheme["name"]},
    )
    _require_manager(acting_user, call)
    if AwardCall.objects.filter(kind=kind, year=year).exists():
        raise DomainError(ErrorCode.CONFLICT, _("该年度的评奖已经开启。"), status=409)
    call.review_process = review.do_create_process(
        acting_user=acting_user,
        name=call.name,
        department=department,
        rubric=Rubric.objects.get(code=RUBRIC_BY_KIND[kind]),
        stages=[
            {"kind": StageKind.FORMAL, "name": _("形式审查")},
            {"kind": StageKind.ONLINE, "name": _("网络评审")},
            {"kind": StageKind.HEARING, "name": _("行业评审会")},
            {"kind": StageKind.VOTE, "name": _("奖励委员会表决"), "two_thirds": True},
        ],
        reviews_per_submission=3 if kind == AwardKind.ST_AWARD else 3,
    )
    call.save()
    for nominator, quota in quotas:
        NominatorQuota.objects.create(call=call, nominator=nominator, quota=quota)
    record("awards.call.open", call, acting_user=acting_user, changes={"quotas": len(quotas)})
    return call


def _check_limits(call, category, contributors, units) -> None:
    grades = schemes.grades(call.kind, category)
    most_people = max(g.max_people for g in grades)
    most_units = max(g.max_units for g in grades)
    if not contributors:
        raise DomainError(ErrorCode.INVALID, _("请填写完成人。"), status=422)
    if len(contributors) > min(most_people or 1, MAX_CONTRIBUTORS):
        raise DomainError(
            AwardError.TOO_MANY_CONTRIBUTORS,
            _("该类别最多 %(n)s 名完成人，提名了 %(m)s 名。") % {"n": most_people, "m": len(contributors)},
            status=422,
        )
    if most_units and len(units) > most_units:
        raise DomainError(
            AwardError.TOO_MANY_UNITS,
            _("该类别最多 %(n)s 个完成单位，提名了 %(m)s 个。") % {"n": most_units, "m": len(units)},
            status=422,
        )


def _check_people_once_a_year(call, contributors) -> None:
    if not schemes.scheme(call.kind).get("people_per_year"):
        return
    keys = [person_key(c["name"], c.get("id_digits", "")) for c in contributors]
    if len(set(keys)) != len(keys):
        raise DomainError(AwardError.PERSON_TWICE, _("同一完成人在本项目中重复出现。"), status=422)
    taken = (
        Contributor.objects.filter(person_key__in=keys, year=call.year, nomination__call__kind=call.kind)
        .exclude(nomination__status__in=(NominationStatus.WITHDRAWN, NominationStatus.FORMAL_FAILED))
        .select_related("nomination")
        .first()
    )
    if taken:
        raise DomainError(
            AwardError.PERSON_TWICE,
            _("%(name)s 已是本年度另一提名项目“%(title)s”的完成人：同一人同一年度只能参与一个项目。")
            % {"name": taken.name, "title": taken.nomination.title},
            status=409,
        )


def _check_not_awarded(title: str, patent) -> None:
    hit = AwardedWork.objects.filter(title_key=title_key(title)).first()
    if hit is None and patent is not None:
        hit = AwardedWork.objects.filter(patent_number=patent.application_number).first()
    if hit:
        raise DomainError(
            AwardError.ALREADY_AWARDED,
            _("该成果已获 %(year)s 年%(award)s，不能重复报奖。") % {"year": hit.year, "award": hit.award},
            status=409,
        )


def _check_patent(patent, holder) -> None:
    from kechuang.pledge.services import check_eligibility

    refusals = [r for r in check_eligibility(holder.pk, [patent], 0) if str(r.code) in PATENT_GROUNDS]
    if refusals:
        raise DomainError(
            AwardError.PATENT_INELIGIBLE,
            "；".join(str(r.message) for r in refusals),
            {"grounds": [str(r.code) for r in refusals]},
            status=422,
        )


@transaction.atomic
def do_nominate(
    call: AwardCall,
    *,
    acting_user,
    category: str,
    title: str,
    summary: str,
    lead_unit,
    contributors: list[dict],
    units: list = (),
    patent=None,
) -> Nomination:
    """A nomination by the acting user's organisation, within its quota and the call's rules."""
    call = AwardCall.objects.select_for_update().get(pk=call.pk)
    if not can_nominate(acting_user, call):
        raise PermissionDenied("awards.nominate")
    if call.status != CallStatus.NOMINATING or timezone.localdate() > call.nomination_deadline:
        raise DomainError(AwardError.CLOSED, _("提名已截止。"), status=409)
    if category not in schemes.categories(call.kind):
        raise DomainError(ErrorCode.INVALID, _("提名类别无效。"), status=422)
    nominator = acting_user.organisation
    quota = NominatorQuota.objects.filter(call=call, nominator=nominator).first()
    used = call.nominations.filter(nominator=nominator).exclude(status=NominationStatus.WITHDRAWN).count()
    if quota is None or used >= quota.quota:
        raise DomainError(
            AwardError.QUOTA_EXCEEDED,
            _("%(org)s 的提名名额为 %(n)s 项，已全部使用。")
            % {"org": nominator.name, "n": quota.quota if quota else 0},
            status=409,
        )
    title = (title or "").strip()
    if not title or len(title) > 300:
        raise DomainError(ErrorCode.INVALID, _("请填写项目名称（300 字以内）。"), status=422)
    units = [lead_unit, *[u for u in units if u.pk != lead_unit.pk]]
    _check_limits(call, category, contributors, units)
    _check_people_once_a_year(call, contributors)
    _check_not_awarded(title, patent)
    if call.kind == AwardKind.PATENT_AWARD:
        if patent is None:
            raise DomainError(AwardError.PATENT_INELIGIBLE, _("专利奖须指定一件专利。"), status=422)
        _check_patent(patent, lead_unit)
    nomination = Nomination.objects.create(
        call=call,
        category=category,
        title=title,
        title_key=title_key(title),
        summary=summary,
        nominator=nominator,
        lead_unit=lead_unit,
        patent=patent,
        nominated_by=acting_user,
    )
    unit_ids = {u.pk for u in units}
    for order, c in enumerate(contributors, start=1):
        unit = c.get("unit") or lead_unit
        if unit.pk not in unit_ids:
            raise DomainError(
                ErrorCode.INVALID, _("完成人 %(name)s 的单位不在完成单位之列。") % c, status=422
            )
        Contributor.objects.create(
            nomination=nomination,
            order=order,
            name=c["name"].strip()[:50],
            person_key=person_key(c["name"], c.get("id_digits", "")),
            year=call.year,
            unit=unit,
        )
    for order, unit in enumerate(units, start=1):
        NominationUnit.objects.create(nomination=nomination, order=order, organisation=unit)
    nomination.review_submission = review.do_add_submission(
        call.review_process,
        acting_user=None,
        subject_type="awards.nomination",
        subject_id=nomination.pk,
        title=title,
        text=summary,
        applicant=lead_unit,
        organisations=units[1:],
        people=[c["name"] for c in contributors],
    )
    nomination.save(update_fields=["review_submission"])
    record("awards.nominate", nomination, acting_user=acting_user, organisation_id=lead_unit.pk)
    return nomination


@transaction.atomic
def do_formal_check(nomination: Nomination, *, acting_user, passed: bool, note: str) -> Nomination:
    call = nomination.call
    _require_manager(acting_user, call)
    if nomination.status != NominationStatus.SUBMITTED:
        raise StateError(_("该项目已完成形式审查。"))
    stage = call.review_process.stages.get(kind=StageKind.FORMAL)
    review.do_decide(stage, nomination.review_submission, acting_user=acting_user, passed=passed, reason=note)
    old = nomination.status
    nomination.status = NominationStatus.IN_REVIEW if passed else NominationStatus.FORMAL_FAILED
    nomination.formal_note = note[:300]
    nomination.save(update_fields=["status", "formal_note"])
    record(
        "awards.formal_check",
        nomination,
        acting_user=acting_user,
        changes={"status": [old, nomination.status]},
    )
    return nomination


def grade_usage(call: AwardCall, *, exclude_id: int | None = None) -> dict[tuple[str, str], int]:
    rows = (
        call.nominations.filter(status__in=(NominationStatus.PROPOSED, NominationStatus.AWARDED))
        .exclude(pk=exclude_id)
        .values("category", "proposed_grade")
        .annotate(n=Count("id"))
    )
    usage: dict[tuple[str, str], int] = {}
    pooled = schemes.shared_caps(call.kind)
    for row in rows:
        category = "main" if pooled and row["category"] != "special_contribution" else row["category"]
        key = (category, row["proposed_grade"])
        usage[key] = usage.get(key, 0) + row["n"]
    return usage


@transaction.atomic
def do_propose_grade(nomination: Nomination, *, acting_user, grade_code: str) -> Nomination:
    """Propose a grade for a nomination that passed the committee vote, within the grade's yearly cap."""
    call = AwardCall.objects.select_for_update().get(pk=nomination.call_id)
    _require_manager(acting_user, call)
    submission = nomination.review_submission
    if submission is None or submission.status != SubmissionStatus.PASSED:
        raise StateError(_("只有通过奖励委员会表决的项目才能拟定等级。"))
    grade = schemes.grade(call.kind, nomination.category, grade_code)
    if grade is None:
        raise DomainError(ErrorCode.INVALID, _("等级无效。"), status=422)
    people = nomination.contributors.count()
    units = nomination.units.count()
    if (grade.max_people and people > grade.max_people) or (grade.max_units and units > grade.max_units):
        raise DomainError(
            AwardError.TOO_MANY_CONTRIBUTORS,
            _("%(grade)s 最多 %(p)s 名完成人、%(u)s 个完成单位。")
            % {"grade": grade.name, "p": grade.max_people, "u": grade.max_units},
            status=422,
        )
    pooled = schemes.shared_caps(call.kind) and nomination.category != "special_contribution"
    key = ("main" if pooled else nomination.category, grade.code)
    if grade_usage(call, exclude_id=nomination.pk).get(key, 0) >= grade.cap:
        raise DomainError(
            AwardError.GRADE_CAP,
            _("%(grade)s 名额（%(cap)s 项）已满。") % {"grade": grade.name, "cap": grade.cap},
            status=409,
        )
    old = (nomination.status, nomination.proposed_grade, nomination.prize_fen)
    nomination.status = NominationStatus.PROPOSED
    nomination.proposed_grade = grade.code
    nomination.prize_fen = grade.prize_fen
    nomination.save(update_fields=["status", "proposed_grade", "prize_fen"])
    record(
        "awards.propose_grade",
        nomination,
        acting_user=acting_user,
        changes={"grade": [old[1], grade.code], "prize_fen": [old[2], grade.prize_fen]},
    )
    return nomination


@transaction.atomic
def do_start_notice(call: AwardCall, *, acting_user, start: dt.date | None = None) -> AwardCall:
    """Publish the proposed awards for the scheme's working days; not-passed nominations are closed."""
    call = AwardCall.objects.select_for_update().get(pk=call.pk)
    _require_manager(acting_user, call)
    if call.status not in (CallStatus.NOMINATING, CallStatus.REVIEWING):
        raise StateError(_("公示已开始或评奖已结束。"))
    if not call.nominations.filter(status=NominationStatus.PROPOSED).exists():
        raise StateError(_("还没有拟奖项目，不能公示。"))
    start = start or timezone.localdate()
    days = schemes.scheme(call.kind).get("notice_working_days", 5)
    try:
        end = add_working_days(start, days)
    except NotImplementedError as exc:
        raise DomainError(ErrorCode.INVALID, _("节假日安排尚未发布，无法计算公示期。"), status=409) from exc
    call.nominations.filter(status__in=(NominationStatus.IN_REVIEW, NominationStatus.SUBMITTED)).update(
        status=NominationStatus.NOT_AWARDED
    )
    call.status, call.notice_start, call.notice_end = CallStatus.NOTICE, start, end
    call.save(update_fields=["status", "notice_start", "notice_end"])
    record(
        "awards.notice.start",
        call,
        acting_user=acting_user,
        changes={"start": start, "end": end, "days": days},
    )
    return call


@transaction.atomic
def do_object(
    nomination: Nomination, *, name: str, contact: str, text: str, acting_user=None
) -> AwardObjection:
    """Anyone may object during the notice period, with their name and contact (signed objections only)."""
    call = nomination.call
    today = timezone.localdate()
    if call.status != CallStatus.NOTICE or not (call.notice_start <= today <= call.notice_end):
        raise DomainError(AwardError.NOTICE_CLOSED, _("不在公示期内。"), status=409)
    if nomination.status != NominationStatus.PROPOSED:
        raise DomainError(ErrorCode.NOT_FOUND, _("该项目不在公示名单中。"), status=404)
    name, contact, text = name.strip(), contact.strip(), text.strip()
    if not name or not contact or len(text) < 10:
        raise DomainError(
            ErrorCode.INVALID, _("请填写真实姓名、联系方式和不少于 10 字的异议内容。"), status=422
        )
    objection = AwardObjection.objects.create(
        nomination=nomination, name=name[:50], contact=contact[:100], text=text[:5000]
    )
    record("awards.objection", nomination, acting_user=acting_user, note=name[:50])
    return objection


@transaction.atomic
def do_answer_objection(
    objection: AwardObjection, *, acting_user, upheld: bool, answer: str
) -> AwardObjection:
    _require_manager(acting_user, objection.nomination.call)
    if objection.status != AwardObjection.Status.OPEN:
        raise StateError(_("该异议已答复。"))
    if not answer.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写答复。"), status=422)
    objection.status = AwardObjection.Status.UPHELD if upheld else AwardObjection.Status.DISMISSED
    objection.answer = answer
    objection.save(update_fields=["status", "answer"])
    nomination = objection.nomination
    if upheld:
        nomination.status = NominationStatus.NOT_AWARDED
        nomination.prize_fen = 0
        nomination.save(update_fields=["status", "prize_fen"])
    record(
        "awards.objection.answer",
        nomination,
        acting_user=acting_user,
        changes={"upheld": upheld},
        note=answer[:200],
    )
    return objection


def _split_prize(nomination: Nomination) -> None:
    """Patent award: the holder's and the inventors' shares by the scheme's ratio (the house remainder rule), the
    inventors' part split equally with the fen left over going to the first-named inventors. S&T award: the whole
    prize goes to the project and is not split here."""
    from kechuang.money import split_by_ratios

    contributors = list(nomination.contributors.all())
    if nomination.call.kind != AwardKind.PATENT_AWARD or not contributors:
        return
    inventors_bp = round(schemes.scheme(nomination.call.kind)["prize_split"]["inventors"] * 10000)
    parts = split_by_ratios(
        nomination.prize_fen,
        {"holder": 10000 - inventors_bp, "inventors": inventors_bp},
        ["holder", "inventors"],
    )
    each, left = divmod(parts["inventors"], len(contributors))
    for i, c in enumerate(contributors):
        c.share_fen = each + (1 if i < left else 0)
        c.save(update_fields=["share_fen"])


@transaction.atomic
def do_approve(call: AwardCall, *, acting_user, document: str) -> AwardCall:
    """The regional government's approval after the notice: awards, certificate numbers, prize shares."""
    call = AwardCall.objects.select_for_update().get(pk=call.pk)
    _require_manager(acting_user, call)
    if call.status != CallStatus.NOTICE:
        raise StateError(_("只有公示结束后才能批准。"))
    if timezone.localdate() <= call.notice_end:
        raise DomainError(
            AwardError.NOTICE_OPEN,
            _("公示期至 %(end)s 结束，结束后才能批准。") % {"end": call.notice_end},
            status=409,
        )
    if AwardObjection.objects.filter(nomination__call=call, status=AwardObjection.Status.OPEN).exists():
        raise DomainError(AwardError.OBJECTIONS_OPEN, _("仍有未答复的异议。"), status=409)
    if not document.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写批准文件文号。"), status=422)
    prefix = "GXKJ" if call.kind == AwardKind.ST_AWARD else "GXZL"
    awarded = list(call.nominations.filter(status=NominationStatus.PROPOSED).order_by("category", "id"))
    for n, nomination in enumerate(awarded, start=1):
        nomination.status = NominationStatus.AWARDED
        nomination.certificate_no = f"{prefix}-{call.year}-{n:04d}"
        nomination.save(update_fields=["status", "certificate_no"])
        _split_prize(nomination)
        AwardedWork.objects.create(
            title_key=nomination.title_key,
            patent_number=nomination.patent.application_number if nomination.patent else "",
            award=call.name,
            year=call.year,
        )
    call.status, call.decision_document = CallStatus.APPROVED, document.strip()[:200]
    call.save(update_fields=["status", "decision_document"])
    record(
        "awards.approve",
        call,
        acting_user=acting_user,
        changes={"awarded": len(awarded), "prize_fen": sum(n.prize_fen for n in awarded)},
        note=document[:200],
    )
    return call
