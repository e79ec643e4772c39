"""The pledge home page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.permissions.pledge import (
    BANK,
    DEPARTMENT,
    ENTERPRISE,
    party_of,
    visible_applications,
    visible_needs,
)
from kechuang.pledge import stats
from kechuang.pledge.matching import needs_for_bank
from kechuang.pledge.models import FinancingNeed, LoanProduct, Patent
from kechuang.pledge.views.common import product_rows, reader_language, render_page


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
        context["products"] = product_rows(LoanProduct.objects.filter(bank_id=org_id))
        context["matching"] = needs_for_bank(org_id, visible_needs(request.user))[:10]
    elif party == DEPARTMENT:
        report = stats.annual_report(visible_applications(request.user), timezone.localdate().year)
        context["report"] = report
    for loan in context["loans"]:
        loan.product_name = loan.product.name(reader_language())
    return render_page(request, "pledge/home.html", context)
