import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.permissions import Cap, require_cap
from kechuang.permissions.audit import visible_audit_entries
from kechuang.spreadsheets import write_xlsx, xlsx_response


@login_required
def audit_list(request):
    require_cap(request.user, Cap.AUDIT_VIEW)
    filters = {k: request.GET.get(k, "").strip() for k in ("target_type", "target_id", "actor", "action")}
    entries = visible_audit_entries(request.user, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in filters.items() if v)
    return render(
        request,
        "audit/list.html",
        {"page": page, "filters": filters, "query_string": query, "target_types": target_type_choices()},
    )


def target_type_choices() -> list[tuple[str, str]]:
    """The kinds of record the platform audits, by name (the filter still sends the stable model label)."""
    from django.apps import apps

    from kechuang.audit.display import _clean_label

    rows = [
        (m._meta.label_lower, _clean_label(m._meta.verbose_name))
        for m in apps.get_models()
        if m.__module__.startswith("kechuang.")
    ]
    return sorted(rows, key=lambda r: r[1])


EXPORT_LIMIT = 100_000


@login_required
def audit_export(request):
    require_cap(request.user, Cap.AUDIT_VIEW)
    filters = {k: request.GET.get(k, "").strip() for k in ("target_type", "target_id", "actor", "action")}
    entries = visible_audit_entries(request.user, **filters)[:EXPORT_LIMIT]
    headers = [
        _("时间"),
        _("操作人"),
        _("操作"),
        _("对象类型"),
        _("对象编号"),
        _("对象"),
        _("变更（原值 → 新值）"),
        _("说明"),
    ]
    rows = (
        [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_label,
            e.action,
            e.target_type,
            e.target_id,
            e.target_label,
            json.dumps(e.changes, ensure_ascii=False),
            e.note,
        ]
        for e in entries.iterator(chunk_size=2000)
    )
    return xlsx_response(
        write_xlsx(headers, rows, _("审计日志")), f"audit-{timezone.localdate():%Y%m%d}.xlsx"
    )
