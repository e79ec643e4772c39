from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from kechuang.audit.selectors import visible_audit_entries
from kechuang.permissions import Cap, require_cap


@login_required
def audit_list(request):
    require_cap(request.user, Cap.AUDIT_VIEW)
    filters = {k: request.GET.get(k, "").strip() for k in ("target_type", "target_id", "actor", "action")}
    entries = visible_audit_entries(request.user, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(request, "audit/list.html", {"page": page, "filters": filters, "query_string": query})
