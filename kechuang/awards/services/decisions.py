"""From the committee's vote to the decision: grades within the caps, the public notice and its objections, the
government's approval with certificate numbers and prize shares."""

from __future__ import annotations

import datetime as dt

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
    Nomination,
    NominationStatus,
)
from kechuang.awards.services.common import _require_manager
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions.awards import can_nominate
from kechuang.review.models import SubmissionStatus
from kechuang.workdays import add_working_days


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
    inventors' part split equally, in whole 元 (the payout workflow pays whole 元), the 元 left over going to the
    first-named inventors. S&T award: the whole prize goes to the first completing unit and is not split here."""
    from kechuang.money import split_by_ratios

    contributors = list(nomination.contributors.all())
    if nomination.call.kind != AwardKind.PATENT_AWARD or not contributors:
        return
    inventors_bp = round(schemes.scheme(nomination.call.kind)["prize_split"]["inventors"] * 10000)
    prize_yuan = nomination.prize_fen // 100
    parts = split_by_ratios(
        prize_yuan, {"holder": 10000 - inventors_bp, "inventors": inventors_bp}, ["holder", "inventors"]
    )
    each, left = divmod(parts["inventors"], len(contributors))
    for i, c in enumerate(contributors):
        c.share_fen = (each + (1 if i < left else 0)) * 100
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


# --- objections: the nominee's answer (答辩) ----------------------------------------------------------------------


@transaction.atomic
def do_respond_objection(objection: AwardObjection, *, acting_user, text: str) -> AwardObjection:
    """The nominator answers an objection to its nomination (答辩) before the department concludes on it."""
    objection = (
        AwardObjection.objects.select_for_update(of=("self",))
        .select_related("nomination")
        .get(pk=objection.pk)
    )
    nomination = objection.nomination
    if acting_user.organisation_id not in (nomination.nominator_id, nomination.lead_unit_id) or not (
        can_nominate(acting_user, nomination.call)
    ):
        raise PermissionDenied("awards.nominate")
    if objection.status != AwardObjection.Status.OPEN:
        raise StateError(_("该异议已有结论。"))
    if objection.response:
        raise DomainError(AwardError.RESPONSE_TWICE, _("已就该异议提交过说明。"), status=409)
    text = (text or "").strip()
    if not 10 <= len(text) <= 5000:
        raise DomainError(ErrorCode.INVALID, _("说明应为 10 至 5000 字。"), status=422)
    objection.response, objection.responded_by, objection.responded_at = text, acting_user, timezone.now()
    objection.save(update_fields=["response", "responded_by", "responded_at"])
    record("awards.objection.respond", nomination, acting_user=acting_user, note=text[:200])
    return objection
