"""Patent-pledge financing's to-dos for the workbench (`kechuang.web.workbench`): applications awaiting the
bank, registrations and disbursements, risk shares to pay, loans about to mature."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.formats import date as local_date
from kechuang.formats import money
from kechuang.permissions import has_cap


def pledge_todos(user, todo, limit: int = 8) -> list:
    from kechuang.permissions.pledge import BANK, DEPARTMENT, ENTERPRISE, GUARANTOR, INSURER, party_of
    from kechuang.pledge.models import LoanApplication, LoanStatus, RiskParty, RiskShare

    party = party_of(user)
    todos: list = []
    if party is None:
        return todos
    if party == BANK:
        waiting = (
            LoanApplication.objects.filter(
                bank_id=user.organisation_id, status__in=[LoanStatus.APPLIED, LoanStatus.VALUED]
            )
            .select_related("enterprise")
            .order_by("created_at")
        )
        for loan in waiting[:limit]:
            todos.append(
                todo(
                    "pledge",
                    _("贷款申请待审批：%(org)s") % {"org": loan.enterprise.name},
                    reverse("pledge:loan_detail", args=[loan.pk]),
                    detail=_("申请金额 %(amount)s") % {"amount": money(loan.amount_fen)},
                )
            )
        n = waiting.count()
        if n > limit:
            todos.append(
                todo(
                    "pledge",
                    _("另有 %(n)s 笔贷款申请待审批") % {"n": n - limit},
                    reverse("pledge:loan_list"),
                    n - limit,
                )
            )
        for loan in LoanApplication.objects.filter(
            bank_id=user.organisation_id, status__in=[LoanStatus.APPROVED, LoanStatus.REGISTERED]
        ).select_related("enterprise")[:limit]:
            todos.append(
                todo(
                    "pledge",
                    (
                        _("待办理质押登记：%(org)s")
                        if loan.status == LoanStatus.APPROVED
                        else _("待放款：%(org)s")
                    )
                    % {"org": loan.enterprise.name},
                    reverse("pledge:loan_detail", args=[loan.pk]),
                )
            )
    if party in (INSURER, GUARANTOR, DEPARTMENT):
        field = {INSURER: RiskParty.INSURER, GUARANTOR: RiskParty.GUARANTOR, DEPARTMENT: RiskParty.FUND}[
            party
        ]
        shares = RiskShare.objects.filter(party=field, paid_on__isnull=True).select_related(
            "application__enterprise"
        )
        if party == DEPARTMENT:
            if user.city_id or not has_cap(user, "pledge.fund:pay"):
                shares = shares.none()
        else:
            shares = shares.filter(organisation_id=user.organisation_id)
        for share in shares[:limit]:
            todos.append(
                todo(
                    "pledge",
                    _("确认风险分担支付：%(org)s") % {"org": share.application.enterprise.name},
                    reverse("pledge:loan_detail", args=[share.application_id]),
                    detail=money(share.amount_fen),
                )
            )
    if party == ENTERPRISE:
        for loan in LoanApplication.objects.filter(
            enterprise_id=user.organisation_id, status=LoanStatus.DISBURSED
        ).select_related("bank", "enterprise")[:limit]:
            if loan.maturity_date and loan.maturity_date <= timezone.localdate() + dt.timedelta(days=60):
                todos.append(
                    todo(
                        "pledge",
                        _("贷款即将到期：%(bank)s") % {"bank": loan.bank.name},
                        reverse("pledge:loan_detail", args=[loan.pk]),
                        detail=_("到期日 %(date)s") % {"date": local_date(loan.maturity_date)},
                    )
                )
    return todos
