"""An enterprise's patents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.errors import DomainError
from kechuang.permissions.pledge import ENTERPRISE, access_patent_by_id, can_manage_patent
from kechuang.pledge import forms, services
from kechuang.pledge.models import Patent, Pledge
from kechuang.pledge.views.common import render_page, require_party


@login_required
def patent_list(request):
    require_party(request, ENTERPRISE)
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
    return render_page(request, "pledge/patent_list.html", {"patents": patents, "form": form})


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
    return render_page(
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
