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
    NationalAward,
    NationalAwardKind,
    NationalStage,
    Nomination,
    NominationStatus,
    NominationUnit,
    NominatorQuota,
)
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions.awards import can_manage_call, can_manage_national, can_nominate
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
    objection = AwardObjection.objects.select_for_update().select_related("nomination").get(pk=objection.pk)
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


# --- rebuttal of the online review (答辩/澄清) ---------------------------------------------------------------------


def _online_stage(call: AwardCall):
    return call.review_process.stages.get(kind=StageKind.ONLINE)


@transaction.atomic
def do_open_rebuttal(call: AwardCall, *, acting_user, deadline: dt.datetime):
    """After the online review the nominators see its reviews without names and may answer once before the
    deadline; the industry hearing's experts and the committee read the answers."""
    _require_manager(acting_user, call)
    return review.do_open_rebuttal(_online_stage(call), acting_user=acting_user, deadline=deadline)


def can_rebut(user, nomination: Nomination) -> bool:
    return user.organisation_id == nomination.nominator_id and can_nominate(user, nomination.call)


@transaction.atomic
def do_submit_rebuttal(nomination: Nomination, *, acting_user, text: str):
    if not can_rebut(acting_user, nomination):
        raise PermissionDenied("awards.nominate")
    if nomination.review_submission is None:
        raise StateError(_("该项目未进入评审。"))
    return review.do_submit_rebuttal(
        _online_stage(nomination.call), nomination.review_submission, acting_user=acting_user, text=text
    )


# --- prizes paid through the policy payout workflow ------------------------------------------------------------

PRIZE_POLICY = {AwardKind.ST_AWARD: "st_award_prize", AwardKind.PATENT_AWARD: "patent_award_prize"}
DECIDED_POLICIES = (
    "st_award_prize",
    "patent_award_prize",
    "national_award_matching",
    "national_award_defence",
)
PRIZE_INDICATOR = {AwardKind.ST_AWARD: "st_award_prize_due", AwardKind.PATENT_AWARD: "patent_award_prize_due"}


def prize_payees(call: AwardCall) -> dict[int, dict]:
    """Who is paid what by the decision, per organisation, with the parts it is made of.

    S&T award: the prize to the first completing unit. Patent award: the holder's share to the holder (the lead
    unit), each inventor's share to the inventor's unit, which pays it on (代发)."""
    payees: dict[int, dict] = {}

    def add(org_id, nomination, part, fen):
        if fen <= 0:
            return
        entry = payees.setdefault(org_id, {"fen": 0, "parts": []})
        entry["fen"] += fen
        entry["parts"].append({"nomination": nomination, "part": part, "fen": fen})

    awarded = call.nominations.filter(status=NominationStatus.AWARDED).prefetch_related("contributors")
    for n in awarded.order_by("id"):
        if call.kind == AwardKind.PATENT_AWARD:
            shares = [(c, c.share_fen) for c in n.contributors.all()]
            add(n.lead_unit_id, n, _("专利权人份额"), n.prize_fen - sum(f for _c, f in shares))
            for c, fen in shares:
                add(c.unit_id, n, _("发明人 %(name)s 份额（代发）") % {"name": c.name}, fen)
        else:
            add(n.lead_unit_id, n, _("奖金（第一完成单位）"), n.prize_fen)
    return payees


def _check_round(call_or_year, round_, policy_codes, acting_user):
    from kechuang.permissions.policy import can_manage_round
    from kechuang.policy.models import Round

    round_ = Round.objects.select_for_update().select_related("fund__programme").get(pk=round_.pk)
    if not can_manage_round(acting_user, round_):
        raise PermissionDenied("policy.round:manage")
    if round_.status != Round.Status.DRAFT or round_.mode != Round.Mode.APPLY:
        raise StateError(_("请选择一个受理中的、依申请方式的奖补批次。"))
    missing = [c for c in policy_codes if c not in round_.policy_codes]
    if missing:
        raise DomainError(
            ErrorCode.INVALID,
            _("该批次不包含政策：%(codes)s。") % {"codes": "、".join(missing)},
            status=422,
        )
    if round_.year != call_or_year:
        raise DomainError(
            ErrorCode.INVALID,
            _("批次的数据年度（%(r)s）应为 %(y)s。") % {"r": round_.year, "y": call_or_year},
            status=422,
        )
    return round_


def _publish_and_add(
    round_, payees: dict[int, int], indicator: str, policy_code: str, *, year, reference, decided, acting_user
) -> list:
    """Write each payee's figure as a registry indicator (source: the platform's own records) and put the payee
    on the round with the decision, computed by the policy engine from that figure. The engine's amount must equal
    the decision's: a difference is refused, never paid."""
    from kechuang.policy import services as policy
    from kechuang.registry.models import IndicatorSource, Organisation
    from kechuang.registry.services import do_record_indicator

    candidates = []
    for org in Organisation.objects.filter(pk__in=list(payees)).order_by("pk"):
        do_record_indicator(
            org,
            indicator,
            year,
            payees[org.pk],
            acting_user=None,
            source=IndicatorSource.PLATFORM,
            reference=reference[:200],
        )
        candidate = policy.do_add_candidate(
            round_, org, policy_code, acting_user=acting_user, decided=decided
        )
        candidates.append(candidate)
    return candidates


@transaction.atomic
def do_pay_prizes(call: AwardCall, round_, *, acting_user):
    """Hand the approved prizes to the policy payout workflow: one candidate per payee on `round_` (a round of a
    programme with the prize policy, 依申请, accepting), computed by the engine from the decision, starting as
    recommended; the round then goes on through the 联合会审, notice, 财政会签, approval, payment batch and the bank's
    return file like every payout. Paying twice is impossible: the round is the call's only one, and the payment
    is unique per organisation and thing."""
    from kechuang.policy import services as policy
    from kechuang.policy.models import Candidate

    call = AwardCall.objects.select_for_update().get(pk=call.pk)
    _require_manager(acting_user, call)
    if call.status != CallStatus.APPROVED:
        raise StateError(_("获奖名单批准后才能拨付奖金。"))
    if call.payout_round_id:
        raise DomainError(
            ErrorCode.CONFLICT,
            _("奖金已交由批次“%(name)s”拨付。") % {"name": call.payout_round.name},
            status=409,
        )
    code = PRIZE_POLICY[call.kind]
    round_ = _check_round(call.year, round_, [code], acting_user)
    payees = prize_payees(call)
    if not payees:
        raise StateError(_("没有应付的奖金。"))
    reference = _("%(name)s（%(doc)s）获奖决定") % {"name": call.name, "doc": call.decision_document}
    candidates = _publish_and_add(
        round_,
        {org_id: p["fen"] for org_id, p in payees.items()},
        PRIZE_INDICATOR[call.kind],
        code,
        year=call.year,
        reference=reference,
        decided=reference,
        acting_user=acting_user,
    )
    for c in candidates:
        if c.status != Candidate.Status.RECOMMENDED or c.computed_fen != payees[c.organisation_id]["fen"]:
            raise DomainError(
                ErrorCode.CONFLICT,
                _("%(org)s：%(reason)s")
                % {"org": c.organisation, "reason": c.reason or _("测算金额与获奖决定不一致")},
                status=409,
            )
    policy.do_close_applications(round_, acting_user=acting_user)
    call.payout_round = round_
    call.save(update_fields=["payout_round"])
    record(
        "awards.prizes.pay",
        call,
        acting_user=acting_user,
        changes={
            "round": [None, round_.pk],
            "payees": [None, len(payees)],
            "prize_fen": [None, sum(p["fen"] for p in payees.values())],
        },
    )
    return round_


def payout_rows(call: AwardCall) -> list[dict]:
    """Each payee of the call with its parts and where its money is in the payout workflow."""
    from kechuang.policy.models import Candidate
    from kechuang.registry.models import Organisation

    payees = prize_payees(call)
    orgs = Organisation.objects.in_bulk(list(payees))
    candidates = {}
    if call.payout_round_id:
        candidates = {
            c.organisation_id: c
            for c in Candidate.objects.filter(
                round_id=call.payout_round_id, policy_code=PRIZE_POLICY[call.kind]
            ).select_related("payment")
        }
    rows = []
    for org_id, p in sorted(payees.items(), key=lambda kv: orgs[kv[0]].name):
        c = candidates.get(org_id)
        rows.append(
            {
                "organisation": orgs[org_id],
                "fen": p["fen"],
                "parts": p["parts"],
                "candidate": c,
                "payment": getattr(c, "payment", None) if c else None,
            }
        )
    return rows


# --- national awards: recommendation, results, 1:1 matching and the defence-stage reward -------------------------

NATIONAL_KIND_FOR = {
    AwardKind.ST_AWARD: NationalAwardKind.NATIONAL_ST,
    AwardKind.PATENT_AWARD: NationalAwardKind.CHINA_PATENT,
}


def _require_national_manager(user, kind: str = NationalAwardKind.NATIONAL_ST) -> None:
    if user is not None and not can_manage_national(user, kind):
        raise PermissionDenied("awards.national:manage")


@transaction.atomic
def do_recommend_national(
    nomination: Nomination, *, acting_user, year: int, channel: str = ""
) -> NationalAward:
    """Put a Guangxi winner forward to the national award (广西专利奖 → 中国专利奖, 广西科学技术奖 → 国家科学技术奖)."""
    nomination = Nomination.objects.select_for_update().select_related("call").get(pk=nomination.pk)
    _require_manager(acting_user, nomination.call)
    if nomination.status != NominationStatus.AWARDED:
        raise DomainError(AwardError.NOT_A_WINNER, _("只有获奖项目才能推荐参评国家奖。"), status=409)
    if not nomination.call.year <= year <= nomination.call.year + 3:
        raise DomainError(ErrorCode.INVALID, _("推荐年度应在获奖当年起三年内。"), status=422)
    kind = NATIONAL_KIND_FOR[nomination.call.kind]
    if NationalAward.objects.filter(nomination=nomination).exclude(stage=NationalStage.NOT_AWARDED).exists():
        raise DomainError(ErrorCode.CONFLICT, _("该项目已推荐参评国家奖。"), status=409)
    if NationalAward.objects.filter(kind=kind, year=year, nomination=nomination).exists():
        raise DomainError(ErrorCode.CONFLICT, _("该项目本年度已推荐。"), status=409)
    entry = NationalAward.objects.create(
        kind=kind,
        year=year,
        nomination=nomination,
        title=nomination.title,
        lead_unit=nomination.lead_unit,
        led_by_guangxi=True,
        channel=(channel or _("自治区推荐"))[:100],
        recommended_by=acting_user,
    )
    record("awards.national.recommend", entry, acting_user=acting_user, changes={"kind": kind, "year": year})
    return entry


@transaction.atomic
def do_register_national(
    *, acting_user, kind: str, year: int, title: str, lead_unit, led_by_guangxi: bool, channel: str
) -> NationalAward:
    """A national application nominated through another channel (academicians, societies, ministries) that a
    Guangxi unit leads or takes part in, so that its result counts for the matching and the defence reward."""
    if kind not in NationalAwardKind.values:
        raise DomainError(ErrorCode.INVALID, _("国家奖项无效。"), status=422)
    _require_national_manager(acting_user, kind)
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError(ErrorCode.INVALID, _("年度超出范围。"), status=422)
    if not title.strip() or not channel.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写项目名称和推荐渠道。"), status=422)
    entry = NationalAward.objects.create(
        kind=kind,
        year=year,
        title=title.strip()[:300],
        lead_unit=lead_unit,
        led_by_guangxi=led_by_guangxi,
        channel=channel.strip()[:100],
        recommended_by=acting_user,
    )
    record("awards.national.register", entry, acting_user=acting_user, changes={"kind": kind, "year": year})
    return entry


NATIONAL_NEXT = {
    NationalStage.RECOMMENDED: {NationalStage.DEFENCE, NationalStage.AWARDED, NationalStage.NOT_AWARDED},
    NationalStage.DEFENCE: {NationalStage.AWARDED, NationalStage.NOT_AWARDED},
    NationalStage.AWARDED: set(),
    NationalStage.NOT_AWARDED: set(),
}


@transaction.atomic
def do_record_national_result(
    entry: NationalAward, *, acting_user, stage: str, document: str, grade: str = "", prize_fen: int = 0
) -> NationalAward:
    """The national result as announced: reached the defence stage, awarded (grade and national prize money) or
    not awarded. A decided result is final."""
    entry = NationalAward.objects.select_for_update().get(pk=entry.pk)
    _require_national_manager(acting_user, entry.kind)
    if stage not in NATIONAL_NEXT.get(entry.stage, set()):
        raise StateError(_("不能从“%(old)s”变为该进展。") % {"old": entry.get_stage_display()})
    if stage == NationalStage.DEFENCE and entry.kind != NationalAwardKind.NATIONAL_ST:
        raise DomainError(ErrorCode.INVALID, _("只有国家科学技术奖设答辩阶段奖励。"), status=422)
    if not document.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写国家公告或决定的文号。"), status=422)
    if isinstance(prize_fen, bool) or not isinstance(prize_fen, int) or not 0 <= prize_fen <= 10**12:
        raise DomainError(
            ErrorCode.INVALID, _("国家奖金应为 0 至 100 亿元之间的整数金额（分）。"), status=422
        )
    if stage == NationalStage.AWARDED and not grade.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写获奖等级。"), status=422)
    if stage != NationalStage.AWARDED and prize_fen:
        raise DomainError(ErrorCode.INVALID, _("未获奖的项目没有国家奖金。"), status=422)
    old = (entry.stage, entry.prize_fen)
    entry.stage, entry.grade, entry.prize_fen = stage, grade.strip()[:50], prize_fen
    entry.reached_defence = entry.reached_defence or stage == NationalStage.DEFENCE
    entry.result_document = document.strip()[:200]
    entry.save(update_fields=["stage", "grade", "prize_fen", "result_document", "reached_defence"])
    record(
        "awards.national.result",
        entry,
        acting_user=acting_user,
        changes={"stage": [old[0], stage], "prize_fen": [old[1], prize_fen]},
        note=entry.result_document,
    )
    return entry


def national_bases(year: int) -> dict[str, dict[int, dict]]:
    """Per policy, per lead unit: the figure the rule reads and the projects it is made of.

    Matching: the national prize money of national S&T awards won in `year` by projects a Guangxi unit led.
    Defence reward: the projects a Guangxi enterprise led that reached the defence stage and did not win (a winner
    gets the matching, not both: 从优从高不重复 per project — an inferred rule, see docs/review.md)."""
    from kechuang.registry.models import OrganisationKind

    out: dict[str, dict[int, dict]] = {"national_award_matching": {}, "national_award_defence": {}}
    entries = NationalAward.objects.filter(
        year=year, kind=NationalAwardKind.NATIONAL_ST, led_by_guangxi=True
    ).select_related("lead_unit")
    for e in entries.order_by("id"):
        if e.stage == NationalStage.AWARDED and e.prize_fen > 0:
            slot = out["national_award_matching"].setdefault(e.lead_unit_id, {"value": 0, "entries": []})
            slot["value"] += e.prize_fen
            slot["entries"].append(e)
        elif e.stage == NationalStage.NOT_AWARDED and e.reached_defence:
            if e.lead_unit.kind != OrganisationKind.ENTERPRISE:
                continue
            slot = out["national_award_defence"].setdefault(e.lead_unit_id, {"value": 0, "entries": []})
            slot["value"] += 1
            slot["entries"].append(e)
    return out


NATIONAL_INDICATOR = {
    "national_award_matching": "national_award_prize_led",
    "national_award_defence": "national_defence_projects",
}


@transaction.atomic
def do_pay_national_rewards(year: int, round_, *, acting_user) -> list:
    """The 1:1 matching and the defence-stage reward of the national S&T award results of `year`, through the
    policy payout workflow: each lead unit's figure written from the recorded results, the amount computed by the
    policy engine (`national_award_matching`, `national_award_defence`, with their documents and flags)."""
    from kechuang.policy import services as policy

    _require_national_manager(acting_user)
    bases = {code: b for code, b in national_bases(year).items() if b}
    if not bases:
        raise StateError(_("%(year)s 年没有可奖励的国家奖结果。") % {"year": year})
    round_ = _check_round(year, round_, list(bases), acting_user)
    candidates = []
    for code, per_org in bases.items():
        docs = "、".join(sorted({e.result_document for b in per_org.values() for e in b["entries"]}))
        reference = _("%(year)s 年度国家科学技术奖结果（%(docs)s）") % {"year": year, "docs": docs}
        candidates += _publish_and_add(
            round_,
            {org_id: b["value"] for org_id, b in per_org.items()},
            NATIONAL_INDICATOR[code],
            code,
            year=year,
            reference=reference,
            decided=reference,
            acting_user=acting_user,
        )
    policy.do_close_applications(round_, acting_user=acting_user)
    record(
        "awards.national.pay",
        round_,
        acting_user=acting_user,
        changes={"year": year, "candidates": [None, len(candidates)]},
    )
    return candidates
