"""Platform records imported from the ministries' lists (CSV or .xlsx), row by row with each refusal's reason."""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.audit.services import record
from kechuang.codes import CodeError, check_credit_code
from kechuang.errors import DomainError, ErrorCode
from kechuang.platforms import rules
from kechuang.platforms.models import Platform, PlatformImport
from kechuang.platforms.services.common import _require_manager

HEADERS = {
    "平台名称": "name",
    "类型": "kind",
    "级别": "level",
    "依托单位": "host_name",
    "依托单位统一社会信用代码": "host_credit_code",
    "批准年份": "approved_year",
    "批准日期": "approved_on",
    "批准文件": "approval_document",
}


def _alias_map(section: dict) -> dict[str, str]:
    out = {}
    for code, spec in section.items():
        out[code] = code
        out[spec["name"]] = code
        for alias in spec.get("aliases", []):
            out[alias] = code
    return out


@transaction.atomic
def do_import_platforms(content: bytes, file_name: str, *, acting_user, source: str = "") -> PlatformImport:
    """Read a ministry's list: each row creates or updates one platform (same name, kind and level); a refused row
    is reported with its reason and changes nothing."""
    from kechuang.registry.models import Organisation
    from kechuang.spreadsheets import read_rows

    _require_manager(acting_user)
    suffix = Path(file_name).suffix.lower() or ".csv"
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(content)
        tmp.flush()
        rows, _formulas = read_rows(Path(tmp.name), file_name)
    if not rows:
        raise DomainError(ErrorCode.BAD_FILE, _("文件是空的。"), status=422)
    header = [str(h or "").strip() for h in rows[0]]
    missing = [h for h in ("平台名称", "类型", "级别", "依托单位", "批准年份") if h not in header]
    if missing:
        raise DomainError(
            ErrorCode.IMPORT_REJECTED,
            _("缺少列：%(cols)s") % {"cols": "、".join(missing)},
            {"missing": missing},
            422,
        )
    index = {HEADERS[h]: i for i, h in enumerate(header) if h in HEADERS}
    kinds = _alias_map(rules.platform_kinds()["kinds"])
    levels = _alias_map(rules.platform_kinds()["levels"])
    errors, created, updated = [], 0, 0
    for n, row in enumerate(rows[1:], start=2):
        value = {
            k: str(row[i]).strip() if i < len(row) and row[i] is not None else "" for k, i in index.items()
        }
        if not any(value.values()):
            continue
        kind, level = kinds.get(value.get("kind", "")), levels.get(value.get("level", ""))
        reason = None
        if not value.get("name"):
            reason = _("缺少平台名称")
        elif kind is None:
            reason = _("未知的平台类型“%(v)s”") % {"v": value.get("kind", "")}
        elif level is None:
            reason = _("未知的级别“%(v)s”") % {"v": value.get("level", "")}
        year = None
        if reason is None:
            try:
                year = int(float(value.get("approved_year", "")))
                if not 1950 <= year <= timezone.localdate().year:
                    raise ValueError
            except ValueError:
                reason = _("批准年份无效“%(v)s”") % {"v": value.get("approved_year", "")}
        approved_on, known = (dt.date(year, 1, 1) if year else None), False
        if reason is None and value.get("approved_on"):
            try:
                approved_on, known = dt.date.fromisoformat(value["approved_on"][:10]), True
                if approved_on.year != year:
                    reason = _("批准日期与批准年份不一致")
            except ValueError:
                reason = _("批准日期无效“%(v)s”（应为 YYYY-MM-DD）") % {"v": value["approved_on"]}
        host = None
        if reason is None and value.get("host_credit_code"):
            try:
                code = check_credit_code(value["host_credit_code"])
                host = Organisation.objects.filter(credit_code=code).first()
            except CodeError:
                reason = _("依托单位统一社会信用代码无效")
        if reason is not None:
            errors.append({"row": n, "reason": str(reason)})
            continue
        defaults = {
            "host": host,
            "host_name": (value.get("host_name") or (host.name if host else ""))[:200],
            "approved_year": year,
            "approved_on": approved_on,
            "approved_on_known": known,
            "approval_document": value.get("approval_document", "")[:200],
            "source": (source or file_name)[:200],
            "is_active": True,
        }
        _obj, was_created = Platform.objects.update_or_create(
            name=value["name"][:200], kind=kind, level=level, defaults=defaults
        )
        created += int(was_created)
        updated += int(not was_created)
    report = PlatformImport.objects.create(
        file_name=file_name[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        rows=len(rows) - 1,
        created=created,
        updated=updated,
        errors=errors[:500],
        imported_by=acting_user,
    )
    record(
        "platforms.import",
        report,
        acting_user=acting_user,
        changes={"created": created, "updated": updated, "errors": len(errors)},
    )
    return report
