"""Import of organisations and yearly indicators from Excel or CSV.

Every row is validated first, with a message naming the row and column in the user's language. Then either
the whole file is applied in one transaction, or (if the user chose so) only the valid rows, with a report of
the rest. Re-importing the same file changes nothing: equal values are recognised and skipped.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.audit.models import AuditEntry
from kechuang.audit.services import SYSTEM_LABEL, jsonable
from kechuang.codes import CodeError, check_credit_code, normalise_name
from kechuang.db import db_datetime, db_json, insert_rows
from kechuang.errors import DomainError, ErrorCode
from kechuang.permissions import Cap, has_cap
from kechuang.permissions.registry import can_import_for_city, indicator_source_for
from kechuang.registry.errors import RegistryError
from kechuang.registry.models import (
    SOURCE_WEIGHT,
    EnterpriseSize,
    Indicator,
    IndicatorSource,
    IndicatorValue,
    Industry,
    Organisation,
    OrganisationKind,
    Region,
)
from kechuang.spreadsheets import DANGEROUS_TEXT, FORMULA_PREFIXES, column_letter, read_rows

MAX_ERRORS_REPORTED = 1000
FIRST_YEAR, LAST_YEAR = 1990, 2100


class RowError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Column:
    key: str
    header: object  # lazy translation; the Chinese header is also always accepted
    parse: Callable
    required: bool = True
    example: object = ""


@dataclass
class ImportReport:
    kind: str
    total_rows: int = 0
    valid_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    applied: bool = False
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0

    def add_error(self, row: int, column: str, message) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_REPORTED:
            self.errors.append({"row": row, "column": column, "message": str(message)})

    def as_dict(self) -> dict:
        return dict(self.__dict__)


# --- cell parsers: each returns a clean value or raises RowError with a user-facing message -------------


def text(value, max_length=200) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    if result.startswith(FORMULA_PREFIXES) and not _looks_numeric(result):
        raise RowError(gettext_lazy("单元格内容以 = + - @ 开头，疑似公式，已拒绝。"))
    if DANGEROUS_TEXT.search(result):
        raise RowError(gettext_lazy("单元格含有 HTML 标签或脚本，已拒绝。"))
    if len(result) > max_length:
        raise RowError(_("内容过长（%(n)d 字），上限 %(max)d 字。") % {"n": len(result), "max": max_length})
    return result


def _looks_numeric(value: str) -> bool:
    try:
        Decimal(value)
    except InvalidOperation:
        return False
    return True


def required_text(value) -> str:
    result = text(value)
    if not result:
        raise RowError(gettext_lazy("不能为空。"))
    return result


def name_text(value) -> str:
    """A name: NFKC-normalised; invisible and bidirectional control characters refused."""
    try:
        return normalise_name(text(value))
    except CodeError as exc:
        raise RowError(exc.message)


def required_name(value) -> str:
    result = name_text(value)
    if not result:
        raise RowError(gettext_lazy("不能为空。"))
    return result


def credit_code(value) -> str:
    try:
        return check_credit_code(text(value, 30))
    except CodeError as exc:
        raise RowError(exc.message)


def decimal_of(value) -> Decimal:
    if isinstance(value, bool):
        raise RowError(gettext_lazy("应为数字。"))
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise RowError(_("应为数字，实际为“%(value)s”。") % {"value": str(value)[:30]})
    if not number.is_finite():
        raise RowError(gettext_lazy("应为数字。"))
    return number


def money_fen(value) -> int | None:
    """Amounts are given in yuan with at most two decimals and stored as integer fen."""
    if value in (None, ""):
        return None
    number = decimal_of(value)
    if number < 0:
        raise RowError(gettext_lazy("金额不能为负数。"))
    fen = number * 100
    if fen != fen.to_integral_value():
        raise RowError(gettext_lazy("金额最多保留两位小数（精确到分）。"))
    if fen > 10**15:
        raise RowError(gettext_lazy("金额超出合理范围。"))
    return int(fen)


def count(value) -> int | None:
    if value in (None, ""):
        return None
    number = decimal_of(value)
    if number < 0:
        raise RowError(gettext_lazy("人数不能为负数。"))
    if number != number.to_integral_value():
        raise RowError(gettext_lazy("应为整数。"))
    return int(number)


def year(value) -> int:
    number = decimal_of(value) if value not in (None, "") else None
    if number is None or number != number.to_integral_value() or not FIRST_YEAR <= number <= LAST_YEAR:
        raise RowError(
            _("年度应为 %(first)d–%(last)d 之间的四位整数。") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return int(number)


def choice_parser(choices_cls):
    by_label = {str(label): value for value, label in choices_cls.choices}
    by_value = {value: value for value in choices_cls.values}

    def parse(value):
        key = text(value, 40)
        if key in by_value:
            return key
        with_zh = {_zh(label): v for v, label in choices_cls.choices}
        found = by_label.get(key) or with_zh.get(key)
        if not found:
            options = "、".join(f"{v}（{label}）" for v, label in choices_cls.choices)
            raise RowError(_("无效的取值“%(value)s”，可选：%(options)s") % {"value": key, "options": options})
        return found

    return parse


def _zh(label) -> str:
    from django.utils import translation

    with translation.override("zh-hans"):
        return str(label)


def optional_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(text(value, 20).replace("/", "-"))
    except ValueError:
        raise RowError(gettext_lazy("日期格式应为 YYYY-MM-DD。"))


class ReferenceCodes:
    """Region and industry codes, loaded once per import."""

    def __init__(self):
        self.regions = set(Region.objects.values_list("code", flat=True))
        self.industries = set(Industry.objects.values_list("code", flat=True))

    def region(self, value) -> str:
        code = text(value, 10)
        if code not in self.regions:
            raise RowError(_("未知的行政区划代码“%(code)s”（GB/T 2260）。") % {"code": code})
        return code

    def industry(self, value) -> str | None:
        code = text(value, 10)
        if not code:
            return None
        if code not in self.industries:
            raise RowError(_("未知的国民经济行业代码“%(code)s”（GB/T 4754-2017）。") % {"code": code})
        return code


def organisation_columns(refs: ReferenceCodes) -> list[Column]:
    return [
        Column("credit_code", gettext_lazy("统一社会信用代码"), credit_code, example="91450100MA5K11119W"),
        Column("name", gettext_lazy("名称"), required_name, example="广西示例科技有限公司"),
        Column(
            "name_en",
            gettext_lazy("英文名称"),
            name_text,
            required=False,
            example="Guangxi Example Technology Co., Ltd.",
        ),
        Column("kind", gettext_lazy("机构类型"), choice_parser(OrganisationKind), example="enterprise"),
        Column("region", gettext_lazy("行政区划代码"), refs.region, example="450103"),
        Column("industry", gettext_lazy("行业代码"), refs.industry, required=False, example="39"),
        Column(
            "size", gettext_lazy("企业规模"), choice_parser(EnterpriseSize), required=False, example="above"
        ),
        Column(
            "registered_capital_fen",
            gettext_lazy("注册资本（元）"),
            money_fen,
            required=False,
            example="5000000",
        ),
        Column(
            "established_on", gettext_lazy("成立日期"), optional_date, required=False, example="2015-03-18"
        ),
        Column("address", gettext_lazy("地址"), text, required=False, example="南宁市青秀区示例路1号"),
    ]


def indicator_columns() -> list[Column]:
    columns = [
        Column("credit_code", gettext_lazy("统一社会信用代码"), credit_code, example="91450100MA5K11119W"),
        Column("year", gettext_lazy("年度"), year, example="2024"),
    ]
    for indicator in Indicator.objects.all():
        parse = money_fen if indicator.unit == Indicator.Unit.FEN else count
        header = indicator.name + ("（元）" if indicator.unit == Indicator.Unit.FEN else "")
        columns.append(
            Column(
                indicator.code,
                header,
                parse,
                required=False,
                example="1000000.00" if parse is money_fen else "50",
            )
        )
    # The source is the importer's (a bureau's account delivers the bureau's figures); this column only describes
    # where the figures were taken from.
    columns.append(
        Column("reference", gettext_lazy("来源说明"), text, required=False, example="2024年107-1报表")
    )
    return columns


SHEET_NAMES = {"organisations": "机构", "indicators": "年度指标"}


def columns_for(kind: str) -> list[Column]:
    if kind == "organisations":
        return organisation_columns(ReferenceCodes())
    if kind == "indicators":
        return indicator_columns()
    raise DomainError(ErrorCode.INVALID, _("未知的导入类型。"))


def match_headers(header_row: list, columns: list[Column]) -> dict[str, int]:
    """Map column keys to positions; headers may be the Chinese names, the current language's, or keys."""
    positions = {}
    normalised = [str(h or "").strip() for h in header_row]
    for column in columns:
        names = {column.key, str(column.header), _zh(column.header)}
        for index, name in enumerate(normalised):
            if name in names:
                positions[column.key] = index
                break
    missing = [str(c.header) for c in columns if c.required and c.key not in positions]
    if missing:
        raise DomainError(
            RegistryError.IMPORT_REJECTED,
            _("表头不符：缺少列 %(columns)s。请使用下载的模板，并确认选择了正确的工作表。")
            % {"columns": "、".join(missing)},
        )
    return positions


def parse_rows(rows, columns, report: ImportReport, formula_cells, progress=None) -> list[tuple[int, dict]]:
    """Validate every row; return (row_number, values) for the valid ones and record errors for the rest."""
    positions = match_headers(rows[0] if rows else [], columns)
    formula_rows: dict[int, list[str]] = {}
    for ref in formula_cells:
        row_number = int("".join(ch for ch in ref if ch.isdigit()))
        formula_rows.setdefault(row_number, []).append(ref)
    parsed, seen = [], {}
    key_columns = ("credit_code", "year") if any(c.key == "year" for c in columns) else ("credit_code",)
    for offset, row in enumerate(rows[1:], start=2):
        if progress and offset % 5000 == 0:
            progress(offset, len(rows))
        if not any(cell not in (None, "") for cell in row):
            continue
        report.total_rows += 1
        if offset in formula_rows:
            for ref in formula_rows[offset]:
                report.add_error(
                    offset,
                    ref.rstrip("0123456789"),
                    _("单元格 %(cell)s 含有公式，请粘贴为数值后再导入。") % {"cell": ref},
                )
            continue
        values, ok = {}, True
        for column in columns:
            index = positions.get(column.key)
            cell = row[index] if index is not None and index < len(row) else None
            try:
                if column.required and cell in (None, ""):
                    raise RowError(gettext_lazy("不能为空。"))
                values[column.key] = column.parse(cell)
            except RowError as exc:
                ok = False
                letter = column_letter(index) if index is not None else "?"
                report.add_error(offset, f"{letter}（{column.header}）", exc.message)
        if not ok:
            continue
        key = tuple(values[k] for k in key_columns)
        if key in seen:
            report.add_error(offset, str(columns[0].header), _("与第 %(row)d 行重复。") % {"row": seen[key]})
            continue
        seen[key] = offset
        parsed.append((offset, values))
    report.valid_rows = len(parsed)
    return parsed


# --- applying -------------------------------------------------------------------------------------------


def refuse_out_of_scope(report: ImportReport, row_number: int, code: str) -> None:
    report.add_error(
        row_number,
        str(gettext_lazy("统一社会信用代码")),
        _("无权为机构 %(code)s 导入数据：该机构不在您的管辖范围内。") % {"code": code},
    )


def apply_organisations(parsed, report: ImportReport, acting_user, source: str) -> None:
    codes = [values["credit_code"] for _, values in parsed]
    existing = {
        o.credit_code: o
        for o in Organisation.objects.filter(credit_code__in=codes).select_related("region", "industry")
    }
    regions = {r.code: r for r in Region.objects.all()}
    industries = {i.code: i for i in Industry.objects.all()}
    fields = [c.key for c in organisation_columns(ReferenceCodes()) if c.key != "credit_code"]
    to_create, to_update, entries = [], [], []
    for row_number, values in parsed:
        values = dict(values)
        values["region"] = regions[values["region"]]
        values["industry"] = industries.get(values["industry"]) if values.get("industry") else None
        values["size"] = values.get("size") or EnterpriseSize.NOT_APPLICABLE
        org = existing.get(values["credit_code"])
        city = org.city_id if org is not None else values["region"].city_code
        if not can_import_for_city(acting_user, city):
            refuse_out_of_scope(report, row_number, values["credit_code"])
            continue
        if org is None:
            org = Organisation(**values)
            org.refresh_derived_fields()
            to_create.append(org)
            continue
        changes = {}
        for name in fields:
            new = values.get(name)
            if name in ("name_en", "address") and new is None:
                new = ""
            old = getattr(org, name)
            if old != new:
                changes[name] = [getattr(old, "pk", old), getattr(new, "pk", new)]
                setattr(org, name, new)
        if changes:
            org.refresh_derived_fields()
            to_update.append(org)
            entries.append((org, changes))
        else:
            report.unchanged += 1
    Organisation.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        Organisation.objects.bulk_update(
            to_update, [*fields, "city", "industry_section", "search_text", "updated_at"], batch_size=2000
        )
    created = Organisation.objects.filter(credit_code__in=[o.credit_code for o in to_create])
    entries += [(org, {"created": [None, source]}) for org in created]
    write_audit_entries("registry.org.import", entries, acting_user, source)
    report.created, report.updated = len(to_create), len(to_update)


def apply_indicators(parsed, report: ImportReport, acting_user, source: str, reference: str) -> None:
    """Every value carries the importer's `source`; a row for an organisation outside the importer's remit, or
    one that would overwrite a figure from a weightier source, is refused with its row number."""
    orgs = {
        code: (pk, city)
        for code, pk, city in Organisation.objects.filter(
            credit_code__in={v["credit_code"] for _, v in parsed}
        ).values_list("credit_code", "id", "city_id")
    }
    org_ids = {code: pk for code, (pk, _city) in orgs.items()}
    indicators = {i.code: i for i in Indicator.objects.all()}
    indicator_codes = list(indicators)
    weight = SOURCE_WEIGHT[source]
    current = {}
    id_list = list(org_ids.values())
    for start in range(0, len(id_list), 5000):
        chunk = id_list[start : start + 5000]
        for pk, org_id, code, yr, value, old_source in IndicatorValue.objects.filter(
            organisation_id__in=chunk, is_current=True
        ).values_list("id", "organisation_id", "indicator_id", "year", "value", "source"):
            current[(org_id, code, yr)] = (pk, value, old_source)
    recorder_id = acting_user.pk if acting_user is not None and acting_user.is_authenticated else None
    now = timezone.now()
    db_now = db_datetime(now)
    new_rows, superseded, changes_by_org = [], [], {}
    for row_number, values in parsed:
        org_id = org_ids.get(values["credit_code"])
        if org_id is None:
            report.add_error(
                row_number,
                str(gettext_lazy("统一社会信用代码")),
                _("机构 %(code)s 尚未登记，请先导入机构。") % {"code": values["credit_code"]},
            )
            continue
        if not can_import_for_city(acting_user, orgs[values["credit_code"]][1]):
            refuse_out_of_scope(report, row_number, values["credit_code"])
            continue
        row_changed, row_rows, row_superseded, row_changes, refused = False, [], [], {}, []
        for code in indicator_codes:
            value = values.get(code)
            if value is None:
                continue
            old = current.get((org_id, code, values["year"]))
            if old is not None and old[1] == value and weight <= SOURCE_WEIGHT[old[2]]:
                continue
            if old is not None and weight < SOURCE_WEIGHT[old[2]]:
                refused.append((code, old[2]))
                continue
            if old is not None:
                row_superseded.append(old[0])
            row_rows.append(
                (
                    org_id,
                    code,
                    values["year"],
                    value,
                    source,
                    (values.get("reference") or reference)[:200],
                    recorder_id,
                    True,
                    db_now,
                )
            )
            row_changes[f"{code}:{values['year']}"] = [old[1] if old else None, value]
            if old is None or old[2] != source:
                row_changes[f"{code}:{values['year']}:source"] = [old[2] if old else None, source]
            row_changed = True
        if refused:
            for code, old_source in refused:
                report.add_error(
                    row_number,
                    str(indicators[code].name),
                    _("%(year)s 年度该指标已由%(current)s提供，不能以%(mine)s的数据覆盖。")
                    % {
                        "year": values["year"],
                        "current": IndicatorSource(old_source).label,
                        "mine": IndicatorSource(source).label,
                    },
                )
            continue
        new_rows += row_rows
        superseded += row_superseded
        if row_changes:
            changes_by_org.setdefault(org_id, {}).update(row_changes)
        if row_changed:
            report.updated += 1
        else:
            report.unchanged += 1
    for start in range(0, len(superseded), 5000):
        IndicatorValue.objects.filter(pk__in=superseded[start : start + 5000]).update(
            is_current=False, superseded_at=now
        )
    insert_rows(
        IndicatorValue,
        [
            "organisation",
            "indicator",
            "year",
            "value",
            "source",
            "reference",
            "recorded_by",
            "is_current",
            "recorded_at",
        ],
        new_rows,
    )
    report.created = len(new_rows)
    labels = (
        dict(Organisation.objects.filter(pk__in=list(changes_by_org)).values_list("id", "name"))
        if len(changes_by_org) < 50000
        else {}
    )
    write_audit_entries(
        "registry.indicator.import",
        [
            (("registry.organisation", org_id, labels.get(org_id, "")), changes)
            for org_id, changes in changes_by_org.items()
        ],
        acting_user,
        f"{reference} · {IndicatorSource(source).label}"[:255],
    )


def write_audit_entries(action: str, entries, acting_user, source: str) -> None:
    """Bulk audit rows for an import: one per organisation changed, old and new values included."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("import audit must be written inside the import transaction")
    actor = acting_user if acting_user is not None and acting_user.is_authenticated else None
    label = acting_user.get_username() if actor else SYSTEM_LABEL
    at = db_datetime(timezone.now())
    rows = []
    for target, changes in entries:
        if isinstance(target, Organisation):
            target_type, target_id, target_label, org_id = (
                "registry.organisation",
                str(target.pk),
                target.name,
                target.pk,
            )
        else:
            target_type, org_id, target_label = target
            target_id = str(org_id)
        rows.append(
            (
                at,
                actor.pk if actor else None,
                label,
                action,
                target_type,
                target_id,
                target_label[:255],
                org_id,
                db_json(jsonable(changes)),
                source,
            )
        )
    insert_rows(
        AuditEntry,
        [
            "at",
            "actor",
            "actor_label",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "organisation_id",
            "changes",
            "note",
        ],
        rows,
    )


def run_import(
    path: Path,
    filename: str,
    kind: str,
    *,
    valid_rows_only: bool = False,
    acting_user,
    source: str | None = None,
    progress=None,
) -> ImportReport:
    """Validate the whole file, then apply it atomically (all rows, or only the valid ones if so chosen).

    Each row is checked against the importer's rights (city scope); indicator values carry the importer's source.
    Only a system import (`acting_user=None`) names its source."""
    if acting_user is not None:
        if not has_cap(acting_user, Cap.REGISTRY_IMPORT):
            raise DomainError(ErrorCode.FORBIDDEN, _("您没有导入数据的权限。"), status=403)
        source = indicator_source_for(acting_user)
    elif source not in IndicatorSource.values:
        raise ValueError(f"a system import must name a known source, not {source!r}")
    report = ImportReport(kind=kind)
    rows, formula_cells = read_rows(path, filename, SHEET_NAMES.get(kind))
    columns = columns_for(kind)
    parsed = parse_rows(rows, columns, report, formula_cells, progress)
    if report.error_count and not valid_rows_only:
        return report
    if progress:
        progress(len(rows), len(rows), _("正在写入数据库…"))
    note = _("导入：%(filename)s") % {"filename": filename}
    with transaction.atomic():
        errors_before = report.error_count
        if kind == "organisations":
            apply_organisations(parsed, report, acting_user, note)
        else:
            apply_indicators(parsed, report, acting_user, source, note)
        if report.error_count > errors_before and not valid_rows_only:
            transaction.set_rollback(True)
            report.created = report.updated = report.unchanged = 0
            return report
        report.applied = True
    return report


def template_workbook(kind: str) -> bytes:
    from kechuang.spreadsheets import write_xlsx

    columns = columns_for(kind)
    return write_xlsx(
        [str(c.header) for c in columns], [[str(c.example) for c in columns]], SHEET_NAMES[kind]
    )
