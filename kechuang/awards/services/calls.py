"""Opening a yearly call: its review process (formal check → online review → hearing → committee vote) and its
nominator quotas."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.awards import schemes
from kechuang.awards.errors import AwardError
from kechuang.awards.models import AwardCall, AwardKind, NominatorQuota
from kechuang.awards.services.common import RUBRIC_BY_KIND
from kechuang.errors import DomainError, ErrorCode
from kechuang.permissions.awards import can_open_call
from kechuang.review import services as review
from kechuang.review.models import Rubric, StageKind


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
    if acting_user is not None and not can_open_call(acting_user, kind, department):
        raise PermissionDenied("awards.call:manage")
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
