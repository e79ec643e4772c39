"""The one home for spreadsheets: read uploads within limits, write workbooks, answer them as downloads.

Uploads are measured before they are parsed: the file size, the uncompressed size of the .xlsx zip parts, and
each worksheet's rows, columns and cells (from the cell references in its XML, read as a stream), so a small file
that declares a cell at XFD1048576 is refused with a message instead of making the reader allocate the whole grid.
Exports quote text that a spreadsheet would run as a formula.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from kechuang.errors import DomainError, ErrorCode

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*?>\s*<(?:\w+:)?f[\s>/]')
# The `r` attribute of rows (`r="12"`) and cells (`r="C12"`), in any quoting and spacing XML allows: letters give
# the column, digits the row. Other attributes ending in "r" can only make the estimate larger, never smaller.
REF_COLUMN = re.compile(rb'r\s*=\s*["\']([A-Z]{1,4})[0-9]')
REF_ROW = re.compile(rb'r\s*=\s*["\'][A-Z]{0,4}([0-9]{1,8})')
DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\b[^>]*?\bref="(?:[A-Z]{1,4}[0-9]{1,8}:)?([A-Z]{1,4})([0-9]{1,8})"'
)
WORKSHEET_PART = re.compile(r"xl/worksheets/sheet(\d+)\.xml")
DANGEROUS_TEXT = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|javascript:", re.IGNORECASE)
FORMULA_PREFIXES = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    cells: int
    uncompressed_bytes: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            rows=settings.KECHUANG_SPREADSHEET_MAX_ROWS,
            columns=settings.KECHUANG_SPREADSHEET_MAX_COLUMNS,
            cells=settings.KECHUANG_SPREADSHEET_MAX_CELLS,
            uncompressed_bytes=settings.KECHUANG_SPREADSHEET_MAX_UNCOMPRESSED_BYTES,
        )


def check_upload_size(size: int) -> None:
    limit = settings.KECHUANG_MAX_UPLOAD_BYTES
    if size > limit:
        raise DomainError(
            ErrorCode.FILE_TOO_LARGE,
            _("文件过大（%(size).1f MB），上限为 %(limit).0f MB。请拆分后分批导入。")
            % {"size": size / 1048576, "limit": limit / 1048576},
        )


# ---- reading -----------------------------------------------------------------------------------------------


def read_rows(path: Path, filename: str, expected_sheet: str | None = None) -> tuple[list[list], list[str]]:
    """Rows of the first (or named) sheet as Python values; formula cells are reported, not evaluated."""
    check_upload_size(path.stat().st_size)
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        return read_csv(path), []
    if suffix not in (".xlsx", ".xlsm"):
        raise DomainError(
            ErrorCode.BAD_FILE,
            _("不支持的文件类型“%(suffix)s”，请上传 .xlsx 或 .csv 文件。") % {"suffix": suffix or "?"},
        )
    return read_xlsx(path, expected_sheet)


def read_csv(path: Path) -> list[list]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError(ErrorCode.BAD_FILE, _("无法识别 CSV 文件的编码，请使用 UTF-8 或 GB18030。"))
    if "\x00" in text:
        raise DomainError(ErrorCode.BAD_FILE, _("文件不是有效的 CSV 文本文件。"))
    limits = Limits.from_settings()
    rows, cells = [], 0
    for row in csv.reader(io.StringIO(text)):
        rows.append(row)
        cells += len(row)
        _check_extent(len(rows), len(row), cells, limits, f"{column_letter(len(row) - 1)}{len(rows)}")
    return rows


def read_xlsx(path: Path, expected_sheet: str | None) -> tuple[list[list], list[str]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "xl/workbook.xml" not in names:
                raise DomainError(ErrorCode.BAD_FILE, _("文件不是有效的 Excel 工作簿。"))
            measure_xlsx(archive)
            workbook = CalamineWorkbook.from_path(str(path))
            sheet_names = workbook.sheet_names
            if expected_sheet and expected_sheet in sheet_names:
                index = sheet_names.index(expected_sheet)
            else:
                index = 0
            sheet = workbook.get_sheet_by_index(index)
            rows = sheet.to_python(skip_empty_area=False)
            formula_cells = find_formula_cells(archive, index)
    except zipfile.BadZipFile:
        raise DomainError(ErrorCode.BAD_FILE, _("文件已损坏或不是 Excel 文件（.xlsx），无法读取。"))
    except CalamineError as exc:
        raise DomainError(
            ErrorCode.BAD_FILE, _("Excel 文件无法读取：%(reason)s") % {"reason": str(exc)[:200]}
        )
    except (OSError, ValueError, KeyError) as exc:
        raise DomainError(
            ErrorCode.BAD_FILE, _("Excel 文件无法读取：%(reason)s") % {"reason": str(exc)[:200]}
        )
    return rows, formula_cells


def measure_xlsx(archive: zipfile.ZipFile, limits: Limits | None = None) -> None:
    """Refuse a workbook past the limits before any reader allocates its grid: the uncompressed size of all its
    parts, then each worksheet's furthest row and column and its number of cells, streamed from its XML."""
    limits = limits or Limits.from_settings()
    uncompressed = sum(info.file_size for info in archive.infolist())
    if uncompressed > limits.uncompressed_bytes:
        raise DomainError(
            ErrorCode.FILE_TOO_LARGE,
            _("Excel 文件解压后有 %(size).0f MB，超过上限 %(limit).0f MB。请拆分后分批导入。")
            % {"size": uncompressed / 1048576, "limit": limits.uncompressed_bytes / 1048576},
        )
    for name in _worksheet_parts(archive):
        _measure_sheet(archive, name, limits)


def _measure_sheet(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    """One streamed pass of C-speed scans: the furthest column and row named by any `r` attribute (or declared by
    `<dimension>`), and the number of cells and rows."""
    max_row = max_col = cells = rows_seen = 0
    tail = b""
    first = True
    with archive.open(name) as stream:
        while True:
            chunk = stream.read(1 << 22)
            data = tail + chunk
            cut = len(data) if not chunk else data.rfind(b">") + 1
            part, tail = data[:cut], data[cut:]
            if first and (declared := DIMENSION.search(part)):
                max_col = column_index(declared.group(1).decode()) + 1
                max_row = int(declared.group(2))
            first = False
            columns = set(REF_COLUMN.findall(part))
            if columns:
                furthest = max(columns, key=lambda letters: (len(letters), letters))
                max_col = max(max_col, column_index(furthest.decode()) + 1)
            row_numbers = set(REF_ROW.findall(part))
            if row_numbers:
                max_row = max(max_row, max(map(int, row_numbers)))
            rows_seen += part.count(b"<row") + part.count(b":row ")
            max_row = max(max_row, rows_seen)
            cells += part.count(b"<c ") + part.count(b"<c>") + part.count(b":c ")
            _check_extent(max_row, max_col, cells, limits, f"{column_letter(max(max_col, 1) - 1)}{max_row}")
            if not chunk:
                return


def _check_extent(rows: int, columns: int, cells: int, limits: Limits, furthest: str) -> None:
    """The reader allocates the whole rectangle up to the furthest cell, so that rectangle is what is bounded."""
    if rows > limits.rows:
        raise DomainError(
            ErrorCode.FILE_TOO_LARGE,
            _(
                "工作表用到第 %(n)s 行（最远的单元格是 %(cell)s），超过上限 %(limit)s 行。请删除多余的行，或拆分后分批导入。"
            )
            % {"n": rows, "cell": furthest, "limit": limits.rows},
        )
    if columns > limits.columns:
        raise DomainError(
            ErrorCode.FILE_TOO_LARGE,
            _("工作表用到第 %(n)s 列（最远的单元格是 %(cell)s），超过上限 %(limit)s 列。请删除多余的列。")
            % {"n": columns, "cell": furthest, "limit": limits.columns},
        )
    if max(cells, rows * columns) > limits.cells:
        raise DomainError(
            ErrorCode.FILE_TOO_LARGE,
            _(
                "工作表有 %(n)s 个单元格（%(rows)s 行 × %(columns)s 列），超过上限 %(limit)s 个。请拆分后分批导入。"
            )
            % {"n": max(cells, rows * columns), "rows": rows, "columns": columns, "limit": limits.cells},
        )


def _worksheet_parts(archive: zipfile.ZipFile) -> list[str]:
    return sorted(
        (n for n in archive.namelist() if WORKSHEET_PART.fullmatch(n)),
        key=lambda n: int(WORKSHEET_PART.fullmatch(n).group(1)),
    )


def find_formula_cells(archive: zipfile.ZipFile, sheet_index: int) -> list[str]:
    sheet_files = _worksheet_parts(archive)
    if sheet_index >= len(sheet_files):
        return []
    found = []
    with archive.open(sheet_files[sheet_index]) as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            found.extend(m.group(1).decode() for m in FORMULA_CELL.finditer(data))
            tail = data[-200:]
    return sorted(set(found))


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """0 for A, 16383 for XFD."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


# ---- writing -----------------------------------------------------------------------------------------------


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is prefixed with a quote on export."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_workbook(sheets: Iterable[tuple[str, list, Iterable[list]]]) -> bytes:
    """A workbook of (title, headers, rows) sheets, streamed (write-only), every cell made safe."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append([safe_cell(str(h)) for h in headers])
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_xlsx(headers: list[str], rows: Iterable[list], sheet_title: str) -> bytes:
    return write_workbook([(sheet_title, headers, rows)])


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """A workbook as a download, never shown inline."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
