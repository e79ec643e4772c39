"""Loans: the list, one loan with the buttons its lifecycle allows, the actions, links to event signings, risk shares."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang import bounds
from kechuang.errors import DomainError
from kechuang.money import wan_text, yuan_text
from kechuang.permissions.pledge import (
    DEPARTMENT,
    access_application_by_id,
    can_act_on_loan,
    can_pay_share,
    party_of,
    visible_applications,
)
from kechuang.pledge import forms, services
from kechuang.pledge.models import LoanStatus, RiskShare
from kechuang.pledge.views.common import reader_language, render_page
from kechuang.registry.models import Organisation, OrganisationKind


@login_required
def loan_list(request):
    party = party_of(request.user)
    if party is None:
        raise PermissionDenied("pledge")
    loans = (
        visible_applications(request.user)
        .select_related("enterprise", "bank", "product")
        .prefetch_related("product__texts")
    )
    status = request.GET.get("status", "")
    if status:
        loans = loans.filter(status=status)
    page = Paginator(loans, 25).get_page(request.GET.get("page"))
    for loan in page.object_list:
        loan.product_name = loan.product.name(reader_language())
    return render_page(
        request,
        "pledge/loan_list.html",
        {"page": page, "party": party, "status": status, "statuses": LoanStatus.choices},
    )


ACTION_FORMS = {
    "value": forms.ValuationForm,
    "approve": forms.ApproveForm,
    "reject": forms.RejectForm,
    "register": forms.RegisterForm,
    "disburse": forms.DisburseForm,
    "repay": forms.RepayForm,
    "default": forms.DefaultForm,
    "dispose": forms.DisposeForm,
}


def _action_form(action, data=None, app=None):
    cls = ACTION_FORMS.get(action)
    if cls is None:
        return None
    if cls is forms.RepayForm and app is not None and data is None:
        due = app.instalments.filter(
            seq=app.repayments.count() + 1
        ).first()  # the next instalment, as a suggestion
        if due:
            return cls(
                prefix=action,
                initial={
                    "principal_yuan": min(due.principal_fen, app.balance_fen),
                    "interest_yuan": due.interest_fen,
                    "paid_on": due.due_date,
                },
            )
    if cls is forms.ApproveForm:
        orgs = Organisation.objects.filter(is_active=True).order_by("name")
        return cls(
            data,
            prefix=action,
            insurers=orgs.filter(kind=OrganisationKind.INSURER),
            guarantors=orgs.filter(kind=OrganisationKind.GUARANTOR),
        )
    return cls(data, prefix=action)


def _loan_context(request, app, forms_by_action=None):
    actions = services.available_actions(request.user, app)
    forms_by_action = forms_by_action or {}
    action_forms = [
        {
            "action": a,
            "label": services.ACTION_LABELS[a],
            "form": forms_by_action.get(a) or _action_form(a, app=app),
        }
        for a in actions
    ]
    shares = list(app.risk_shares.select_related("organisation"))
    for share in shares:
        share.can_pay = not share.paid_on and can_pay_share(request.user, share)
    return {
        "loan": app,
        "party": party_of(request.user),
        "product_name": app.product.name(reader_language()),
        "patents": app.patents.all(),
        "instalments": app.instalments.all(),
        "repayments": app.repayments.all(),
        "shares": shares,
        "action_forms": action_forms,
        "remainder_rule": services.REMAINDER_RULE,
        "signing": services.linked_signing(app),
        "signings": list(services.event_signings_for(app)) if party_of(request.user) == DEPARTMENT else [],
    }


@login_required
def loan_detail(request, loan_id: int):
    app = access_application_by_id(request.user, loan_id)
    return render_page(request, "pledge/loan_detail.html", _loan_context(request, app))


ACTION_SERVICES = {
    "value": lambda app, user, f: services.do_record_valuation(app, acting_user=user, **f.service_fields()),
    "approve": lambda app, user, f: services.do_approve_credit(app, acting_user=user, **f.service_fields()),
    "reject": lambda app, user, f: services.do_reject(app, acting_user=user, reason=f.cleaned_data["reason"]),
    "withdraw": lambda app, user, f: services.do_withdraw(app, acting_user=user),
    "register": lambda app, user, f: services.do_register_pledge(app, acting_user=user, **f.cleaned_data),
    "disburse": lambda app, user, f: services.do_disburse(app, acting_user=user, **f.cleaned_data),
    "repay": lambda app, user, f: services.do_record_repayment(app, acting_user=user, **f.service_fields()),
    "default": lambda app, user, f: services.do_declare_default(app, acting_user=user, **f.cleaned_data),
    "share_risk": lambda app, user, f: services.do_share_risk(app, acting_user=user),
    "dispose": lambda app, user, f: services.do_dispose(
        app,
        acting_user=user,
        method=f.cleaned_data["method"],
        proceeds_fen=f.cleaned_data["proceeds_yuan"],
        disposed_on=f.cleaned_data["disposed_on"],
    ),
}


@login_required
@require_POST
def loan_action(request, loan_id: int, action: str):
    app = access_application_by_id(request.user, loan_id)
    if action not in ACTION_SERVICES:
        raise Http404
    if not can_act_on_loan(request.user, app, action):
        raise PermissionDenied(f"pledge.application:{action}")
    form = _action_form(action, request.POST)
    if form is not None and not form.is_valid():
        context = _loan_context(request, app, {action: form})
        return render_page(request, "pledge/loan_detail.html", context, status=400)
    try:
        ACTION_SERVICES[action](app, request.user, form)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        app.refresh_from_db()
        messages.success(
            request,
            _("已完成：%(action)s。贷款 #%(id)s（%(org)s）现为“%(status)s”，金额 %(amount)s 万元。")
            % {
                "action": services.ACTION_LABELS[action],
                "id": app.pk,
                "org": app.enterprise.name,
                "status": app.get_status_display(),
                "amount": wan_text(app.approved_amount_fen or app.amount_fen),
            },
        )
    return redirect("pledge:loan_detail", loan_id=app.pk)


@login_required
@require_POST
def loan_link_event(request, loan_id: int):
    from kechuang.events.models import Outcome

    app = access_application_by_id(request.user, loan_id)
    outcome = get_object_or_404(
        Outcome, pk=bounds.parse_int(request.POST.get("outcome_id"), low=1, high=bounds.MAX_ID, default=0)
    )
    try:
        services.do_link_event_signing(app, outcome, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已关联对接会签约。"))
    return redirect("pledge:loan_detail", loan_id=app.pk)


@login_required
@require_POST
def share_pay(request, share_id: int):
    share = get_object_or_404(RiskShare.objects.select_related("application"), pk=share_id)
    access_application_by_id(request.user, share.application_id)
    try:
        services.do_pay_risk_share(share, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("已确认%(party)s支付风险分担 %(amount)s 元。")
            % {"party": share.get_party_display(), "amount": yuan_text(share.amount_fen)},
        )
    return redirect("pledge:loan_detail", loan_id=share.application_id)
