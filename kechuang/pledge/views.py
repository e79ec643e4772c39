"""Pages of the patent-pledge platform. Each view parses, authorises through kechuang.permissions.pledge, calls a
service, renders. Every party sees its own part: the home page and the loan page show only what the user may do."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.errors import DomainError
from kechuang.permissions.pledge import (
    BANK,
    DEPARTMENT,
    ENTERPRISE,
    access_application_by_id,
    access_need_by_id,
    access_patent_by_id,
    access_product_by_id,
    can_configure,
    can_manage_patent,
    can_manage_product,
    can_pay_share,
    can_view_stats,
    party_of,
    visible_applications,
    visible_matches,
    visible_needs,
)
from kechuang.pledge import forms, services, stats, subsidies
from kechuang.pledge.matching import misfits_for_need, needs_for_bank, products_for_need
from kechuang.pledge.models import (
    CooperationModel,
    FinancingNeed,
    LoanProduct,
    LoanProductText,
    LoanStatus,
    Patent,
    PatentType,
    Pledge,
    RiskShare,
    RiskSharingScheme,
)
from kechuang.registry.models import Organisation, OrganisationKind, Region
from kechuang.spreadsheets import xlsx_response


def _language() -> str:
    return (translation.get_language() or "zh-hans").lower()


def _render(request, template, context, status=200):
    context.setdefault("party", party_of(request.user))
    return render(request, template, context, status=status)


def _require_party(request, *parties) -> str:
    party = party_of(request.user)
    if party not in parties:
        raise PermissionDenied("pledge")
    return party


def _products(queryset):
    lang = _language()
    rows = list(
        queryset.select_related("bank").prefetch_related(
            Prefetch("texts", queryset=LoanProductText.objects.all())
        )
    )
    for p in rows:
        p.display = p.text(lang)
    return rows


@login_required
def home(request):
    party = party_of(request.user)
    if party is None:
        raise PermissionDenied("pledge")
    org_id = request.user.organisation_id
    loans = (
        visible_applications(request.user)
        .select_related("enterprise", "bank", "product")
        .prefetch_related("product__texts")
    )
    context = {"party": party, "loans": loans[:20], "loan_count": loans.count()}
    if party == ENTERPRISE:
        context["patents"] = Patent.objects.filter(owner_id=org_id)
        context["needs"] = FinancingNeed.objects.filter(enterprise_id=org_id).prefetch_related("patents")
    elif party == BANK:
        context["products"] = _products(LoanProduct.objects.filter(bank_id=org_id))
        context["matching"] = needs_for_bank(org_id, visible_needs(request.user))[:10]
    elif party == DEPARTMENT:
        report = stats.annual_report(visible_applications(request.user), timezone.localdate().year)
        context["report"] = report
    for loan in context["loans"]:
        loan.product_name = loan.product.name(_language())
    return _render(request, "pledge/home.html", context)


# ---------------------------------------------------------------- patents


@login_required
def patent_list(request):
    _require_party(request, ENTERPRISE)
    form = forms.PatentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patent = services.do_register_patent(acting_user=request.user, **form.service_fields())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("专利 %(number)s 已登记。") % {"number": patent.application_number})
            return redirect("pledge:patent_detail", patent_id=patent.pk)
    patents = Patent.objects.filter(owner_id=request.user.organisation_id).annotate(
        pledged=Exists(Pledge.objects.filter(patent=OuterRef("pk"), active=True))
    )
    today = timezone.localdate()
    for p in patents:
        p.fee = services.fee_status(p, today)
    return _render(request, "pledge/patent_list.html", {"patents": patents, "form": form})


@login_required
def patent_detail(request, patent_id: int):
    patent = access_patent_by_id(request.user, patent_id)
    can_edit = can_manage_patent(request.user, patent)
    form = (
        forms.PatentStatusForm(
            request.POST or None,
            initial={
                "legal_status": patent.legal_status,
                "grant_date": patent.grant_date,
                "fee_paid_until": patent.fee_paid_until,
                "in_dispute": patent.in_dispute,
                "invalidation_pending": patent.invalidation_pending,
            },
        )
        if can_edit
        else None
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("pledge.patent:edit")
        if form.is_valid():
            try:
                services.do_update_patent(patent, acting_user=request.user, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已保存。"))
                return redirect("pledge:patent_detail", patent_id=patent.pk)
    refusals = services.check_eligibility(patent.owner_id, [patent], 12)
    return _render(
        request,
        "pledge/patent_detail.html",
        {
            "patent": patent,
            "form": form,
            "can_edit": can_edit,
            "fee": services.fee_status(patent),
            "refusals": refusals,
            "co_owners": patent.co_owners.all(),
            "pledges": patent.pledges.select_related("application"),
        },
    )


# ---------------------------------------------------------------- needs


@login_required
def need_new(request):
    _require_party(request, ENTERPRISE)
    patents = Patent.objects.filter(owner_id=request.user.organisation_id)
    form = forms.NeedForm(request.POST or None, patents=patents)
    refusals = []
    if request.method == "POST" and form.is_valid():
        try:
            need = services.do_publish_need(acting_user=request.user, **form.service_fields())
        except DomainError as exc:
            form.add_error(None, _("不能发布：请先解决以下问题。"))
            refusals = (exc.details or {}).get("refusals") or [{"message": exc.message}]
        else:
            messages.success(request, _("融资需求已发布，下面是匹配的贷款产品。"))
            return redirect("pledge:need_detail", need_id=need.pk)
    return _render(
        request,
        "pledge/need_form.html",
        {"form": form, "refusals": refusals, "has_patents": patents.exists()},
    )


FUNDED = [
    LoanStatus.REGISTERED,
    LoanStatus.DISBURSED,
    LoanStatus.CLOSED,
    LoanStatus.DEFAULTED,
    LoanStatus.RISK_SHARED,
    LoanStatus.DISPOSED,
]


@login_required
def need_detail(request, need_id: int):
    need = access_need_by_id(request.user, need_id)
    party = party_of(request.user)
    is_owner = party == ENTERPRISE and need.enterprise_id == request.user.organisation_id
    patents = list(need.patents.all())
    matches = products_for_need(need, _language())
    matches = visible_matches(request.user, matches)
    misfits = misfits_for_need(need, _language()) if is_owner else []
    for product, _match in matches + misfits:
        product.display = product.text(_language())
    applied = dict(need.applications.values_list("product_id", "status")) if is_owner else {}
    # once a bank has approved credit the need is met: no more applications from it
    funded = need.applications.filter(status__in=[LoanStatus.APPROVED, *FUNDED]).first()
    open_need = need.status == FinancingNeed.Status.PUBLISHED and funded is None
    refusals = services.check_eligibility(need.enterprise_id, patents, need.term_months) if open_need else []
    return _render(
        request,
        "pledge/need_detail.html",
        {
            "need": need,
            "patents": patents,
            "matches": matches,
            "is_owner": is_owner,
            "applied": applied,
            "refusals": refusals,
            "party": party,
            "funded": funded,
            "open_need": open_need,
            "misfits": misfits,
        },
    )


@login_required
@require_POST
def need_apply(request, need_id: int):
    need = access_need_by_id(request.user, need_id)
    form = forms.ApplyForm(request.POST)
    if not form.is_valid():
        raise Http404
    product = access_product_by_id(request.user, form.cleaned_data["product_id"])
    try:
        app = services.do_apply(
            need, product, acting_user=request.user, cooperation_model=form.cleaned_data["cooperation_model"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("pledge:need_detail", need_id=need.pk)
    messages.success(request, _("已向 %(bank)s 提交申请。") % {"bank": product.bank.name})
    return redirect("pledge:loan_detail", loan_id=app.pk)


@login_required
@require_POST
def need_close(request, need_id: int):
    need = access_need_by_id(request.user, need_id)
    services.do_close_need(need, acting_user=request.user)
    messages.success(request, _("融资需求已关闭。"))
    return redirect("pledge:need_detail", need_id=need.pk)


@login_required
def bank_needs(request):
    """A bank's view of the published needs that fit its products, best fit first, with the reasons."""
    _require_party(request, BANK)
    rows = needs_for_bank(request.user.organisation_id, visible_needs(request.user))
    lang = _language()
    for _need, product, _match in rows:
        product.display = product.text(lang)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return _render(request, "pledge/bank_needs.html", {"page": page})


# ---------------------------------------------------------------- products


@login_required
def product_list(request):
    party = party_of(request.user)
    if party is None:
        raise PermissionDenied("pledge")
    products = _products(LoanProduct.objects.filter(is_active=True))
    return _render(request, "pledge/product_list.html", {"products": products, "can_publish": party == BANK})


@login_required
def product_new(request):
    _require_party(request, BANK)
    cities = Region.objects.filter(level=Region.Level.CITY)
    form = forms.ProductForm(request.POST or None, cities=cities)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.do_publish_product(acting_user=request.user, **form.service_fields())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("贷款产品已发布。"))
            return redirect("pledge:product_detail", product_id=product.pk)
    return _render(request, "pledge/product_form.html", {"form": form})


@login_required
def product_detail(request, product_id: int):
    if party_of(request.user) is None:
        raise PermissionDenied("pledge")
    product = access_product_by_id(request.user, product_id)
    can_manage = can_manage_product(request.user, product)
    product.display = product.text(_language())
    cities = dict(Region.objects.filter(code__in=product.regions).values_list("code", "name"))
    models, types = dict(CooperationModel.choices), dict(PatentType.choices)
    return _render(
        request,
        "pledge/product_detail.html",
        {
            "product": product,
            "can_manage": can_manage,
            "texts": product.texts.all(),
            "model_labels": [models.get(m, m) for m in product.models_supported],
            "type_labels": [types.get(t, t) for t in product.patent_types],
            "city_names": [cities.get(c, c) for c in product.regions],
        },
    )


@login_required
def product_edit(request, product_id: int):
    product = access_product_by_id(request.user, product_id, manage=True)
    cities = Region.objects.filter(level=Region.Level.CITY)
    form = forms.ProductForm(
        request.POST or None, cities=cities, initial=forms.ProductForm.initial_for(product)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_product(product, acting_user=request.user, **form.service_fields())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("pledge:product_detail", product_id=product.pk)
    return _render(request, "pledge/product_form.html", {"form": form, "product": product})


@login_required
@require_POST
def product_toggle(request, product_id: int):
    product = access_product_by_id(request.user, product_id, manage=True)
    services.do_set_product_active(product, not product.is_active, acting_user=request.user)
    return redirect("pledge:product_detail", product_id=product.pk)


# ---------------------------------------------------------------- loans


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
        loan.product_name = loan.product.name(_language())
    return _render(
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
        "product_name": app.product.name(_language()),
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
    return _render(request, "pledge/loan_detail.html", _loan_context(request, app))


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
    form = _action_form(action, request.POST)
    if form is not None and not form.is_valid():
        context = _loan_context(request, app, {action: form})
        return _render(request, "pledge/loan_detail.html", context, status=400)
    try:
        ACTION_SERVICES[action](app, request.user, form)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已完成：%(action)s。") % {"action": services.ACTION_LABELS[action]})
    return redirect("pledge:loan_detail", loan_id=app.pk)


@login_required
@require_POST
def loan_link_event(request, loan_id: int):
    from kechuang.events.models import Outcome

    app = access_application_by_id(request.user, loan_id)
    outcome = get_object_or_404(Outcome, pk=request.POST.get("outcome_id") or 0)
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
        messages.success(request, _("已确认支付。"))
    return redirect("pledge:loan_detail", loan_id=share.application_id)


# ---------------------------------------------------------------- department: configuration, subsidies, statistics


@login_required
def config(request):
    if not can_configure(request.user):
        raise PermissionDenied("pledge.config:manage")
    scheme_form = forms.SchemeForm(
        request.POST if request.POST.get("which") == "scheme" else None, prefix="scheme"
    )
    if request.method == "POST":
        form, service = scheme_form, services.do_configure_risk_scheme
        if form.is_valid():
            try:
                service(acting_user=request.user, **form.service_fields())
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已保存新版本。"))
                return redirect("pledge:config")
    return _render(
        request,
        "pledge/config.html",
        {
            "schemes": RiskSharingScheme.objects.all(),
            "subsidy_policies": subsidies.POLICY_CODES.values(),
            "scheme_form": scheme_form,
        },
    )


def _year(request) -> int:
    try:
        year = int(request.POST.get("year") or request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), timezone.localdate().year + 1)


@login_required
def subsidy_view(request):
    party = _require_party(request, ENTERPRISE, DEPARTMENT)
    year = _year(request)
    if party == ENTERPRISE:
        results = subsidies.compute_subsidies(request.user.organisation_id, year, flags=False)
        return _render(
            request,
            "pledge/subsidies.html",
            {"year": year, "results": results, "party": party, "total": sum(r.amount_fen for r in results)},
        )
    scoped = visible_applications(request.user).values_list("enterprise_id", flat=True)
    rows = subsidies.payout_candidates(year, enterprise_ids=set(scoped))
    names = dict(
        Organisation.objects.filter(pk__in=[r["enterprise_id"] for r in rows]).values_list("pk", "name")
    )
    for row in rows:
        row["name"] = names.get(row["enterprise_id"], "")
    return _render(
        request,
        "pledge/subsidies.html",
        {
            "year": year,
            "rows": rows,
            "party": party,
            "can_publish": can_configure(request.user),
            "total": sum(r["total_fen"] for r in rows),
        },
    )


@login_required
@require_POST
def subsidy_publish(request):
    """Queue the job that writes a year's subsidy bases as registry indicators for the policy engine."""
    from kechuang.jobs.queue import enqueue

    if not can_configure(request.user):
        raise PermissionDenied("pledge.config:manage")
    year = _year(request)
    job = enqueue(
        "pledge.subsidy_bases",
        params={"year": year, "user_id": request.user.pk},
        label=_("%(year)d 年质押融资补助基数") % {"year": year},
        acting_user=request.user,
    )
    return redirect("jobs:detail", job_id=job.pk)


@login_required
def stats_view(request):
    if not can_view_stats(request.user):
        raise PermissionDenied("pledge.stats:view")
    year = _year(request)
    report = stats.annual_report(visible_applications(request.user), year)
    return _render(request, "pledge/stats.html", {"report": report, "year": year})


@login_required
def stats_export(request):
    if not can_view_stats(request.user):
        raise PermissionDenied("pledge.stats:view")
    year = _year(request)
    content = stats.annual_report_xlsx(stats.annual_report(visible_applications(request.user), year))
    return xlsx_response(content, f"pledge-annual-{year}.xlsx")
