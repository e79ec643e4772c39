"""The 公示: its period in working days, objections from the public and from users, their answers."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions import require, require_cap
from kechuang.permissions.policy import PolicyCap, can_manage_round
from kechuang.policy.models import Candidate, Objection, Round
from kechuang.policy.services.common import lock_round
from kechuang.policy.services.rounds import allocate
from kechuang.workdays import add_working_days, is_working_day

# ---- 公示 objections, 财政 concurrence, approval ------------------------------------------------------------------


def notice_period(start: dt.date, working_days: int) -> tuple[dt.date, dt.date]:
    """The 公示 from `start` for `working_days` working days on the official calendar (holidays and make-up
    working days); it starts on the next working day if `start` is a rest day. Both dates are inclusive."""
    if working_days < 1:
        raise DomainError(ErrorCode.INVALID, _("公示期至少1个工作日。"), {"field": "notice_days"}, status=422)
    try:
        end = add_working_days(start, working_days)
    except NotImplementedError:
        raise StateError(_("%(year)s 年的法定节假日安排尚未载入，无法计算公示期。") % {"year": start.year})
    first = start
    while not is_working_day(first):
        first += dt.timedelta(days=1)
    return first, end


def _objection_target(candidate: Candidate) -> Candidate:
    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("round").get(pk=candidate.pk)
    lock_round(candidate.round, Round.Status.NOTICE)
    if candidate.status != Candidate.Status.LISTED:
        raise StateError(_("只能对公示中的对象提出异议。"))
    today = timezone.localdate()
    if candidate.round.notice_ends and today > candidate.round.notice_ends:
        raise StateError(_("公示期已于 %(date)s 结束。") % {"date": candidate.round.notice_ends})
    return candidate


def _objection_text(text: str, name: str | None = None, contact: str | None = None) -> tuple[str, str, str]:
    text = (text or "").strip()
    if not text:
        raise DomainError(ErrorCode.INVALID, _("请填写异议内容。"), {"field": "text"}, status=422)
    if len(text) > 5000:
        raise DomainError(ErrorCode.INVALID, _("异议内容不能超过5000字。"), {"field": "text"}, status=422)
    if name is not None and not name.strip():
        raise DomainError(ErrorCode.INVALID, _("请署真实姓名或单位名称。"), {"field": "name"}, status=422)
    if contact is not None and not contact.strip():
        raise DomainError(
            ErrorCode.INVALID, _("请留下联系方式，以便答复。"), {"field": "contact"}, status=422
        )
    return text, (name or "").strip()[:100], (contact or "").strip()[:100]


@transaction.atomic
def do_raise_objection(candidate: Candidate, text: str, *, acting_user) -> Objection:
    """A signed-in user objects (the account is the signature)."""
    require_cap(acting_user, PolicyCap.OBJECT)
    candidate = _objection_target(candidate)
    text, _n, _c = _objection_text(text)
    objection = Objection.objects.create(
        candidate=candidate,
        text=text,
        raised_by=acting_user,
        channel=Objection.Channel.ACCOUNT,
        name=(acting_user.get_full_name() or acting_user.get_username())[:100],
    )
    record(
        "policy.objection.raise",
        candidate,
        acting_user=acting_user,
        changes={"objection": [None, objection.pk]},
        note=text[:200],
    )
    return objection


@transaction.atomic
def do_raise_public_objection(
    candidate: Candidate, text: str, *, name: str, contact: str, acting_user=None
) -> Objection:
    """Anyone objects on the public 公示 page, without an account: real name (or unit) and a contact are required
    (an objection is signed), so the department can answer."""
    candidate = _objection_target(candidate)
    text, name, contact = _objection_text(text, name, contact)
    objection = Objection.objects.create(
        candidate=candidate,
        text=text,
        channel=Objection.Channel.PUBLIC,
        name=name,
        contact=contact,
        raised_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    record(
        "policy.objection.raise",
        candidate,
        acting_user=None,
        changes={"objection": [None, objection.pk], "channel": [None, objection.channel]},
        note=f"{name}：{text[:180]}",
    )
    return objection


@transaction.atomic
def do_record_letter(
    candidate: Candidate, text: str, *, name: str, contact: str = "", acting_user
) -> Objection:
    """Staff of the owning department record a signed letter (书面异议) received during the 公示."""
    require(can_manage_round(acting_user, candidate.round), PolicyCap.ROUND_MANAGE)
    candidate = _objection_target(candidate)
    text, name, contact = _objection_text(text, name, None)
    objection = Objection.objects.create(
        candidate=candidate,
        text=text,
        channel=Objection.Channel.LETTER,
        name=name,
        contact=contact,
        recorded_by=acting_user,
    )
    record(
        "policy.objection.letter",
        candidate,
        acting_user=acting_user,
        changes={"objection": [None, objection.pk], "channel": [None, objection.channel]},
        note=f"{name}：{text[:180]}",
    )
    return objection


@transaction.atomic
def do_resolve_objection(objection: Objection, *, upheld: bool, resolution: str, acting_user) -> Objection:
    """An official of the owning department answers an objection (every objection is answered before approval).
    An upheld one takes the candidate off the list; its money is released by the programme's rule: carried (back
    to the fund's balance, for the next batch) or redistributed in this round (the changed list is publicised
    again for the full period)."""
    objection = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("candidate", "candidate__round", "candidate__round__fund__programme")
        .get(pk=objection.pk)
    )
    require(can_manage_round(acting_user, objection.candidate.round), PolicyCap.ROUND_MANAGE)
    if objection.status != Objection.Status.OPEN:
        raise StateError(_("该异议已处理。"))
    if not resolution.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写处理意见。"), {"field": "resolution"})
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    objection.resolved_by = acting_user
    objection.resolution = resolution.strip()[:255]
    objection.resolved_at = timezone.now()
    objection.save(update_fields=["status", "resolved_by", "resolution", "resolved_at"])
    candidate = objection.candidate
    changes = {"objection": [objection.pk, objection.status]}
    if upheld and candidate.status == Candidate.Status.LISTED:
        released = candidate.awarded_fen
        changes["status"] = [candidate.status, Candidate.Status.WITHDRAWN]
        changes["awarded_fen"] = [candidate.awarded_fen, 0]
        candidate.status = Candidate.Status.WITHDRAWN
        candidate.awarded_fen = 0
        candidate.reason = objection.resolution
        candidate.save(update_fields=["status", "awarded_fen", "reason"])
        changes.update(_release(candidate.round, released, acting_user))
    record(
        "policy.objection.resolve",
        candidate,
        acting_user=acting_user,
        changes=changes,
        note=objection.resolution,
    )
    return objection


def _release(round_: Round, released: int, acting_user) -> dict:
    """The money of an upheld objection, by the programme's rule."""
    from kechuang.policy.models import ObjectionRelease

    round_ = lock_round(round_, Round.Status.NOTICE)
    rule = round_.fund.programme.objection_release
    if rule == ObjectionRelease.REDISTRIBUTE:
        listed = list(
            Candidate.objects.select_for_update()
            .filter(round=round_, status__in=[Candidate.Status.LISTED, Candidate.Status.CARRIED])
            .order_by("id")
            .values_list("id", "computed_fen", "awarded_fen", "status")
        )
        awards, carried = allocate(
            [(cid, fen) for cid, fen, _a, _s in listed], round_.budget_fen, round_.allocation
        )
        changed = 0
        for cid, _fen, old, status in listed:
            new = awards.get(cid, 0)
            new_status = Candidate.Status.LISTED if cid in awards else Candidate.Status.CARRIED
            if new != old or new_status != status:
                changed += 1
                Candidate.objects.filter(pk=cid).update(awarded_fen=new, status=new_status)
                record(
                    "policy.candidate.award",
                    ("policy.candidate", str(cid), str(cid)),
                    acting_user=acting_user,
                    changes={"awarded_fen": [old, new], "status": [status, new_status]},
                    note=_("异议成立后重新分配"),
                )
        if changed:  # the changed list is publicised again for the whole period
            round_.notice_starts, round_.notice_ends = notice_period(timezone.localdate(), round_.notice_days)
            round_.save(update_fields=["notice_starts", "notice_ends"])
        return {"released_fen": [None, released], "release": [None, rule], "redistributed": [None, changed]}
    round_.released_fen += released
    round_.save(update_fields=["released_fen"])
    return {"released_fen": [None, released], "release": [None, rule]}
