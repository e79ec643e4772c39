"""Outcomes of an event (intentions and signings) and where a signing continues."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.bounds import MAX_FEN, MAX_ID, parse_int
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.events.models import DealType, Meeting, Outcome, RoadshowApplication
from kechuang.permissions import require
from kechuang.permissions.events import (
    EventCap,
    can_manage_event,
    can_record_outcome,
    may_name_outcome_parties,
)


@transaction.atomic
def do_record_outcome(
    event,
    *,
    acting_user,
    kind: str,
    deal_type: str,
    title: str,
    parties,
    amount_fen: int = 0,
    meeting: Meeting | None = None,
    application: RoadshowApplication | None = None,
    signed_on=None,
) -> Outcome:
    require(can_record_outcome(acting_user, event, meeting), "events.outcome:record")
    if not can_manage_event(acting_user, event) and kind != Outcome.Kind.INTENTION:
        raise PermissionDenied("events.outcome:record_signing")
    if kind not in Outcome.Kind.values or deal_type not in DealType.values:
        raise DomainError(ErrorCode.INVALID, _("未知的成果类别或合作方式。"))
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or not 0 <= amount_fen <= MAX_FEN:
        raise DomainError(
            ErrorCode.INVALID, _("金额必须是不小于零的整数（单位：分）。"), {"field": "amount_fen"}
        )
    if (
        meeting is not None
        and meeting.event_id != event.pk
        or application is not None
        and application.call.event_id != event.pk
    ):
        raise DomainError(ErrorCode.INVALID, _("洽谈或路演项目不属于该活动。"))
    parties = list(parties)
    if not parties:
        raise DomainError(ErrorCode.INVALID, _("请至少填写一个参与方。"), {"field": "parties"})
    if not may_name_outcome_parties(acting_user, event, meeting, [getattr(p, "pk", p) for p in parties]):
        raise DomainError(
            ErrorCode.INVALID,
            _("洽谈双方只能为本单位记录意向，参与方只能是本次洽谈的双方单位。"),
            {"field": "parties"},
            status=403,
        )
    if not title.strip():
        raise DomainError(ErrorCode.INVALID, _("请填写项目名称。"), {"field": "title"})
    if not can_manage_event(acting_user, event):
        Meeting.objects.select_for_update().get(pk=meeting.pk)  # two parties recording at once: one wins
        if Outcome.objects.filter(meeting=meeting, kind=Outcome.Kind.INTENTION).exists():
            raise StateError(_("本次洽谈的合作意向已经记录过。"))
    outcome = Outcome.objects.create(
        event=event,
        meeting=meeting,
        application=application,
        kind=kind,
        deal_type=deal_type,
        title=title.strip(),
        amount_fen=amount_fen,
        signed_on=signed_on,
        recorded_by=acting_user,
    )
    outcome.parties.set(parties)
    record(
        "events.outcome.record",
        outcome,
        acting_user=acting_user,
        changes={
            "kind": [None, kind],
            "amount_fen": [None, amount_fen],
            "parties": [None, [getattr(p, "pk", p) for p in parties]],
        },
        organisation_id=event.organiser_id,
    )
    return outcome


@transaction.atomic
def do_link_outcome(outcome: Outcome, follow_up_ref: str, *, acting_user) -> Outcome:
    """Where a signing continues: the technology market's contract or the financing module's loan ("app:kind:id").
    Those modules call this; the events app does not import their models."""
    require(can_manage_event(acting_user, outcome.event), EventCap.MANAGE)
    parts = follow_up_ref.split(":")
    number = parse_int(parts[2], low=1, high=MAX_ID) if len(parts) == 3 else None
    if number is None or parts[0] not in ("techmarket", "pledge", "policy"):
        raise DomainError(
            ErrorCode.INVALID, _("后续记录格式应为“模块:类型:编号”，如 techmarket:contract:12。")
        )
    follow_up_ref = f"{parts[0]}:{parts[1]}:{number}"  # full-width digits stored as digits
    before = outcome.follow_up_ref
    outcome.follow_up_ref = follow_up_ref
    outcome.save(update_fields=["follow_up_ref"])
    record(
        "events.outcome.link",
        outcome,
        acting_user=acting_user,
        changes={"follow_up_ref": [before, follow_up_ref]},
        organisation_id=outcome.event.organiser_id,
    )
    return outcome
