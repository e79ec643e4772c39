"""The one spreadsheet module: uploads measured before parsing, safe workbooks, downloads that never render."""

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kechuang.errors import DomainError, ErrorCode
from kechuang.spreadsheets import read_rows, write_workbook, xlsx_response

ROOT = Path(__file__).resolve().parents[2]


def workbook_file(tmp_path, cells: dict, name="data.xlsx") -> Path:
    wb = Workbook()
    ws = wb.active
    for ref, value in cells.items():
        ws[ref] = value
    path = tmp_path / name
    wb.save(path)
    return path


def test_a_small_xlsx_whose_only_cell_is_at_xfd1048576_is_refused_with_a_message(tmp_path):
    path = workbook_file(tmp_path, {"XFD1048576": 1})
    assert path.stat().st_size < 10_000
    with pytest.raises(DomainError) as exc:
        read_rows(path, "bomb.xlsx")
    assert exc.value.code == ErrorCode.FILE_TOO_LARGE
    assert "XFD1048576" in str(exc.value.message)


def test_a_cell_reference_without_a_dimension_is_measured_too(tmp_path):
    """The furthest cell counts even when the sheet does not declare its used range."""
    source = workbook_file(tmp_path, {"A1": "x"}, "source.xlsx")
    target = tmp_path / "crafted.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1"/>', b"").replace(b'r="A1"', b'r="ZZ5"')
            zout.writestr(item, data)
    with pytest.raises(DomainError) as exc:
        read_rows(target, "crafted.xlsx")
    assert exc.value.code == ErrorCode.FILE_TOO_LARGE and "ZZ5" in str(exc.value.message)


def test_rows_columns_and_cells_have_limits_and_a_file_within_them_is_read(tmp_path, settings):
    settings.KECHUANG_SPREADSHEET_MAX_ROWS = 10
    settings.KECHUANG_SPREADSHEET_MAX_COLUMNS = 3
    settings.KECHUANG_SPREADSHEET_MAX_CELLS = 30
    fits = workbook_file(tmp_path, {"A1": "h", "C10": 1}, "fits.xlsx")
    rows, formulas = read_rows(fits, "fits.xlsx")
    assert len(rows) == 10 and rows[9][2] == 1 and formulas == []
    for cells, name in (({"A11": 1}, "rows"), ({"D1": 1}, "columns")):
        path = workbook_file(tmp_path, cells, f"{name}.xlsx")
        with pytest.raises(DomainError) as exc:
            read_rows(path, path.name)
        assert exc.value.code == ErrorCode.FILE_TOO_LARGE
    settings.KECHUANG_SPREADSHEET_MAX_CELLS = 29  # 10 rows × 3 columns no longer fit
    with pytest.raises(DomainError) as exc:
        read_rows(fits, "fits.xlsx")
    assert exc.value.code == ErrorCode.FILE_TOO_LARGE


def test_the_uncompressed_size_of_the_zip_parts_is_bounded(tmp_path, settings):
    path = workbook_file(tmp_path, {"A1": "x" * 30_000})
    settings.KECHUANG_SPREADSHEET_MAX_UNCOMPRESSED_BYTES = 20_000
    with pytest.raises(DomainError) as exc:
        read_rows(path, path.name)
    assert exc.value.code == ErrorCode.FILE_TOO_LARGE


def test_csv_files_have_the_same_limits(tmp_path, settings):
    settings.KECHUANG_SPREADSHEET_MAX_COLUMNS = 3
    path = tmp_path / "wide.csv"
    path.write_text("a,b,c\n1,2,3,4\n", encoding="utf-8")
    with pytest.raises(DomainError) as exc:
        read_rows(path, "wide.csv")
    assert exc.value.code == ErrorCode.FILE_TOO_LARGE and "D2" in str(exc.value.message)


def test_written_workbooks_quote_formulas_and_keep_several_sheets():
    content = write_workbook([("一", ["名称"], [["=1+1"], ["ok"]]), ("二", ["n"], [[3]])])
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["一", "二"]
    assert wb["一"]["A2"].value == "'=1+1" and wb["一"]["A3"].value == "ok" and wb["二"]["A2"].value == 3


def test_a_workbook_download_is_an_attachment_never_sniffed():
    response = xlsx_response(b"PK", "公示名单-3.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''%E5%85%AC" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_project_has_one_spreadsheet_module():
    others = []
    for path in (ROOT / "kechuang").rglob("*.py"):
        if "tests" in path.parts or path.name == "spreadsheets.py":
            continue
        text = path.read_text()
        if "openpyxl" in text or "python_calamine" in text or "def xlsx_response" in text:
            others.append(str(path.relative_to(ROOT)))
    assert others == []


@pytest.mark.django_db
def test_the_import_job_reports_the_oversized_sheet_and_finishes(tmp_path, login, reviewer):
    from django.urls import reverse

    from kechuang.jobs.queue import run_pending

    path = workbook_file(tmp_path, {"XFD1048576": 1})
    with path.open("rb") as handle:
        response = login(reviewer).post(reverse("registry:import"), {"kind": "indicators", "file": handle})
    assert response.status_code == 302
    [job] = run_pending()
    assert job.status == "succeeded" and job.result["code"] == "file_too_large" and not job.result["applied"]
