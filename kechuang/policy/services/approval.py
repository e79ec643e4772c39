"""财政 concurrence and the approval of a round."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import StateError
from kechuang.permissions import require
from kechuang.permissions.policy import PolicyCap, can_approve_round, can_concur_round
from kechuang.policy.models import Candidate, Objection, Round
from kechuang.policy.services.common import forbid, lock_round


def reviewers_of(round_: Round) -> set[int]:
    """Everyone who reviewed the round at any level (county, city, 联合会审, its completion)."""
    ids = set()
    for field in ("county_reviewed_by", "city_reviewed_by"):
        ids.update(
            Candidate.objects.filter(round=round_)
            .exclude(**{field: None})
            .values_list(field, flat=True)
            .distinct()
        )
    ids.update(round_.signoffs.values_list("signed_by", flat=True))
    if round_.joint_reviewed_by_id:
        ids.add(round_.joint_reviewed_by_id)
    return ids


@transaction.atomic
def do_concur_round(round_: Round, *, acting_user, note: str = "") -> Round:
    """财政 concurrence (会签) with the listed awards, by a finance-department approver, during or after the 公示
    and before approval; a reviewer of the round cannot concur. Idempotent."""
    require(can_concur_round(acting_user, round_), PolicyCap.CONCUR)
    round_ = lock_round(round_, Round.Status.NOTICE)
    if round_.finance_concurred_by_id:
        return round_
    if acting_user.pk in reviewers_of(round_):
        raise forbid(_("审核过本批次的人员不能会签本批次。"))
    round_.finance_concurred_by = acting_user
    round_.finance_concurred_at = timezone.now()
    round_.finance_note = note.strip()[:255]
    round_.save(update_fields=["finance_concurred_by", "finance_concurred_at", "finance_note"])
    listed = Candidate.objects.filter(round=round_, status=Candidate.Status.LISTED).aggregate(
        n=Count("id"), s=Sum("awarded_fen", default=0)
    )
    record(
        "policy.round.concur",
        round_,
        acting_user=acting_user,
        changes={
            "finance_concurred_by": [None, acting_user.pk],
            "listed": [None, listed["n"]],
            "listed_fen": [None, listed["s"]],
        },
        note=round_.finance_note,
    )
    return round_


@transaction.atomic
def do_approve_round(round_: Round, *, acting_user) -> Round:
    """Approve the listed candidates after the 公示 and the finance concurrence, by an approver of the owning
    department. Separation of duties: whoever reviewed or concurred cannot approve. Idempotent."""
    require(can_approve_round(acting_user, round_), PolicyCap.APPROVE)
    round_ = lock_round(round_)
    if round_.status in (Round.Status.APPROVED, Round.Status.PAYING, Round.Status.CLOSED):
        return round_
    if round_.status != Round.Status.NOTICE:
        raise StateError(
            _("批次当前状态为“%(status)s”，不能批准。") % {"status": round_.get_status_display()}
        )
    if acting_user.pk in reviewers_of(round_) or acting_user.pk == round_.finance_concurred_by_id:
        raise forbid(_("审核或会签过本批次的人员不能批准本批次（审批分离）。"))
    if round_.notice_ends and timezone.localdate() <= round_.notice_ends:
        raise StateError(
            _("公示期至 %(date)s 结束（含当日），结束后才能批准。") % {"date": round_.notice_ends}
        )
    open_objections = Objection.objects.filter(candidate__round=round_, status=Objection.Status.OPEN).count()
    if open_objections:
        raise StateError(_("还有 %(n)s 条异议未处理。") % {"n": open_objections})
    if not round_.finance_concurred_by_id:
        raise StateError(_("财政部门尚未会签，不能批准。"))
    approved = list(
        Candidate.objects.select_for_update()
        .filter(round=round_, status=Candidate.Status.LISTED, awarded_fen__gt=0)
        .order_by("id")
        .values_list("id", "organisation_id", "awarded_fen")
    )
    Candidate.objects.filter(pk__in=[cid for cid, _o, _a in approved]).update(
        status=Candidate.Status.APPROVED
    )
    for cid, org_id, amount in approved:
        record(
            "policy.candidate.approve",
            ("policy.candidate", str(cid), str(cid)),
            acting_user=acting_user,
            organisation_id=org_id,
            changes={
                "status": [Candidate.Status.LISTED, Candidate.Status.APPROVED],
                "awarded_fen": [amount, amount],
            },
        )
    round_.status = Round.Status.APPROVED
    round_.approved_by = acting_user
    round_.approved_at = timezone.now()
    round_.save(update_fields=["status", "approved_by", "approved_at"])
    record(
        "policy.round.approve",
        round_,
        acting_user=acting_user,
        changes={
            "status": [Round.Status.NOTICE, Round.Status.APPROVED],
            "approved": [None, len(approved)],
            "approved_fen": [None, sum(a for _c, _o, a in approved)],
        },
    )
    return round_
