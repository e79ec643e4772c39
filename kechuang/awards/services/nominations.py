"""Nominations within quota and the call's rules, the formal check, and the nominators' rebuttal of the online
review."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.awards import schemes
from kechuang.awards.errors import AwardError
from kechuang.awards.models import (
    AwardCall,
    AwardedWork,
    AwardKind,
    CallStatus,
    Contributor,
    Nomination,
    NominationStatus,
    NominationUnit,
    NominatorQuota,
)
from kechuang.awards.services.common import (
    MAX_CONTRIBUTORS,
    PATENT_GROUNDS,
    _require_manager,
    person_key,
    title_key,
)
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions.awards import can_nominate
from kechuang.review import services as review
from kechuang.review.models import StageKind


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
