"""Loans signed at bank–enterprise events (银企对接会): the link to the event's outcome."""

from django.db import transaction
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.errors import DomainError, ErrorCode
from kechuang.permissions import require
from kechuang.pledge.models import LoanApplication


def loan_ref(app: LoanApplication) -> str:
    return f"pledge:loan:{app.pk}"


def event_signings_for(app: LoanApplication):
    """Signings of pledge loans at events between this loan's enterprise and bank that no loan claims yet."""
    from kechuang.events.models import DealType, Outcome

    return (
        Outcome.objects.filter(
            kind=Outcome.Kind.SIGNING,
            deal_type=DealType.PLEDGE_LOAN,
            follow_up_ref="",
            parties=app.enterprise_id,
        )
        .filter(parties=app.bank_id)
        .select_related("event")
        .order_by("-signed_on", "-id")
        .distinct()
    )


def linked_signing(app: LoanApplication):
    from kechuang.events.models import Outcome

    return Outcome.objects.filter(follow_up_ref=loan_ref(app)).select_related("event").first()


@transaction.atomic
def do_link_event_signing(app: LoanApplication, outcome, *, acting_user):
    """Record that this loan continues a signing at a bank–enterprise event; the event's organiser does this
    (the events module checks that), and only for a pledge-loan signing between the loan's enterprise and bank."""
    from kechuang.events.services import do_link_outcome
    from kechuang.permissions.pledge import visible_applications

    require(visible_applications(acting_user).filter(pk=app.pk).exists(), "pledge.application:link_event")
    if not event_signings_for(app).filter(pk=outcome.pk).exists():
        raise DomainError(
            ErrorCode.INVALID,
            _("只能关联本笔贷款的企业与银行在对接会上签约、且尚未关联贷款的知识产权质押贷款。"),
        )
    outcome = do_link_outcome(outcome, loan_ref(app), acting_user=acting_user)
    record(
        "pledge.loan.link_event",
        app,
        acting_user=acting_user,
        changes={"event_outcome": [None, outcome.pk]},
        note=f"{outcome.event_id}:{outcome.title[:80]}",
    )
    return outcome
