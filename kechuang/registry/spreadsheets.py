"""Reading and writing spreadsheets safely: size limits, formula detection, CSV encodings, safe export."""

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from kechuang.errors import DomainError, ErrorCode

FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?>\s*<f[\s>/]')
DANGEROUS_TEXT = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|javascript:", re.IGNORECASE)
FORMULA_PREFIXES = ("=", "+", "-", "@")


def check_upload_size(size: int) -> None:
    limit = settings.KECHUANG_MAX_UPLOAD_BYTES
    if size > limit:
        raise DomainError(
            ErrorCode.FILE_TOO_LARGE,
            _("文件过大（%(size).1f MB），上限为 %(limit).0f MB。请拆分后分批导入。")
            % {"size": size / 1048576, "limit": limit / 1048576},
        )


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
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(path: Path, expected_sheet: str | None) -> tuple[list[list], list[str]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "xl/workbook.xml" not in names:
                raise DomainError(ErrorCode.BAD_FILE, _("文件不是有效的 Excel 工作簿。"))
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


def find_formula_cells(archive: zipfile.ZipFile, sheet_index: int) -> list[str]:
    sheet_files = sorted(
        (n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
        key=lambda n: int(re.search(r"(\d+)", n.rsplit("/", 1)[1]).group(1)),
    )
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


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is prefixed with a quote on export."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_xlsx(headers: list[str], rows: Iterable[list], sheet_title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
