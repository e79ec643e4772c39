"""The department's pages: risk-sharing configuration, subsidies, statistics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang import bounds
from kechuang.errors import DomainError
from kechuang.permissions.pledge import (
    DEPARTMENT,
    ENTERPRISE,
    can_configure,
    can_view_stats,
    visible_applications,
)
from kechuang.pledge import forms, services, stats, subsidies
from kechuang.pledge.models import RiskSharingScheme
from kechuang.pledge.views.common import render_page, require_party
from kechuang.registry.models import Organisation
from kechuang.spreadsheets import xlsx_response


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
    return render_page(
        request,
        "pledge/config.html",
        {
            "schemes": RiskSharingScheme.objects.all(),
            "subsidy_policies": subsidies.POLICY_CODES.values(),
            "scheme_form": scheme_form,
        },
    )


def _year(request) -> int:
    this_year = timezone.localdate().year
    raw = request.POST.get("year") or request.GET.get("year")
    year = bounds.parse_int(raw, low=bounds.MIN_YEAR, high=bounds.MAX_YEAR, default=this_year)
    return min(max(year, 2000), this_year + 1)


@login_required
def subsidy_view(request):
    party = require_party(request, ENTERPRISE, DEPARTMENT)
    year = _year(request)
    if party == ENTERPRISE:
        results = subsidies.compute_subsidies(request.user.organisation_id, year, flags=False)
        return render_page(
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
    return render_page(
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
    return render_page(request, "pledge/stats.html", {"report": report, "year": year})


@login_required
def stats_export(request):
    if not can_view_stats(request.user):
        raise PermissionDenied("pledge.stats:view")
    year = _year(request)
    content = stats.annual_report_xlsx(stats.annual_report(visible_applications(request.user), year))
    return xlsx_response(content, f"pledge-annual-{year}.xlsx")
