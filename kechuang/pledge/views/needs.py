"""Financing needs: publish, see the matching products, apply, close; the banks' view of needs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.errors import DomainError
from kechuang.permissions.pledge import (
    BANK,
    ENTERPRISE,
    access_need_by_id,
    access_product_by_id,
    party_of,
    visible_matches,
    visible_needs,
)
from kechuang.pledge import forms, services
from kechuang.pledge.matching import misfits_for_need, needs_for_bank, products_for_need
from kechuang.pledge.models import FinancingNeed, LoanStatus, Patent
from kechuang.pledge.views.common import reader_language, render_page, require_party


@login_required
def need_new(request):
    require_party(request, ENTERPRISE)
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
    return render_page(
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
    matches = products_for_need(need, reader_language())
    matches = visible_matches(request.user, matches)
    misfits = misfits_for_need(need, reader_language()) if is_owner else []
    for product, _match in matches + misfits:
        product.display = product.text(reader_language())
    applied = dict(need.applications.values_list("product_id", "status")) if is_owner else {}
    # once a bank has approved credit the need is met: no more applications from it
    funded = need.applications.filter(status__in=[LoanStatus.APPROVED, *FUNDED]).first()
    open_need = need.status == FinancingNeed.Status.PUBLISHED and funded is None
    refusals = services.check_eligibility(need.enterprise_id, patents, need.term_months) if open_need else []
    return render_page(
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
    require_party(request, BANK)
    rows = needs_for_bank(request.user.organisation_id, visible_needs(request.user))
    lang = reader_language()
    for _need, product, _match in rows:
        product.display = product.text(lang)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render_page(request, "pledge/bank_needs.html", {"page": page})
