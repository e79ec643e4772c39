"""Import of organisations and yearly indicators: every kind of bad input gets a clear message and loses nothing."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from kechuang.audit.models import AuditEntry
from kechuang.errors import DomainError
from kechuang.jobs.queue import run_pending
from kechuang.registry.importing import run_import
from kechuang.registry.models import IndicatorValue, Organisation
from kechuang.testing import unique_credit_code

pytestmark = pytest.mark.django_db

ORG_HEADER = [
    "统一社会信用代码",
    "名称",
    "英文名称",
    "机构类型",
    "行政区划代码",
    "行业代码",
    "企业规模",
    "注册资本（元）",
    "成立日期",
    "地址",
]
IND_HEADER = [
    "统一社会信用代码",
    "年度",
    "营业收入（元）",
    "研发经费支出（元）",
    "研发费用加计扣除额（税务确认）（元）",
    "从业人员",
    "研发人员",
    "数据来源",
]


def xlsx(tmp_path, header, rows, name="data.xlsx", sheet="年度指标"):
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def org_row(code, name="南宁示例科技有限公司", region="450103", industry="39", **over):
    row = dict(
        zip(
            ORG_HEADER,
            [code, name, "", "enterprise", region, industry, "above", "5000000", "2015-03-18", "青秀区"],
            strict=True,
        )
    )
    row.update(over)
    return list(row.values())


def import_file(path, kind, user, **kw):
    return run_import(path, path.name, kind, acting_user=user, **kw)


def test_valid_organisation_file_is_imported_and_audited(tmp_path, reviewer):
    codes = [unique_credit_code("450103"), unique_credit_code("450202")]
    path = xlsx(
        tmp_path,
        ORG_HEADER,
        [org_row(codes[0]), org_row(codes[1], "柳州示例机械有限公司", "450202", "34")],
        sheet="机构",
    )
    report = import_file(path, "organisations", reviewer)
    assert report.applied and report.created == 2 and report.error_count == 0
    liuzhou = Organisation.objects.get(credit_code=codes[1])
    assert (
        liuzhou.city_id == "450200"
        and liuzhou.industry_section == "C"
        and liuzhou.registered_capital_fen == 500000000
    )
    assert AuditEntry.objects.filter(action="registry.org.import", actor=reviewer).count() == 2


def test_reimporting_the_same_file_changes_nothing(tmp_path, reviewer, acme):
    path = xlsx(
        tmp_path, IND_HEADER, [[acme.credit_code, 2023, "1000000.00", "50000.55", "40000", 80, 12, "统计局"]]
    )
    first = import_file(path, "indicators", reviewer)
    assert first.applied and first.created == 5
    values_before = IndicatorValue.objects.count()
    audit_before = AuditEntry.objects.count()
    second = import_file(path, "indicators", reviewer)
    assert second.applied and second.created == 0 and second.unchanged == 1
    assert IndicatorValue.objects.count() == values_before and AuditEntry.objects.count() == audit_before
    assert (
        IndicatorValue.objects.get(organisation=acme, indicator_id="rd_spending", year=2023).value == 5000055
    )


def test_a_corrected_figure_keeps_the_old_one_in_history(tmp_path, reviewer, acme):
    import_file(
        xlsx(
            tmp_path, IND_HEADER, [[acme.credit_code, 2023, 1000000, 50000, "", "", "", "统计局"]], "a.xlsx"
        ),
        "indicators",
        reviewer,
    )
    report = import_file(
        xlsx(tmp_path, IND_HEADER, [[acme.credit_code, 2023, 1000000, 60000, "", "", "", "更正"]], "b.xlsx"),
        "indicators",
        reviewer,
    )
    assert report.created == 1 and report.updated == 1
    rows = IndicatorValue.objects.filter(organisation=acme, indicator_id="rd_spending", year=2023).order_by(
        "recorded_at"
    )
    assert [(r.value, r.is_current) for r in rows] == [(5000000, False), (6000000, True)]
    entry = AuditEntry.objects.filter(action="registry.indicator.import").latest("id")
    assert entry.changes == {"rd_spending:2023": [5000000, 6000000]}


@pytest.mark.parametrize(
    ("row_over", "column", "fragment"),
    [
        ({"统一社会信用代码": "91450100MA5K11119X"}, "A", "校验位错误"),
        ({"行政区划代码": "450199"}, "E", "未知的行政区划代码"),
        ({"行业代码": "XX"}, "F", "未知的国民经济行业代码"),
        ({"注册资本（元）": "-5"}, "H", "不能为负数"),
        ({"注册资本（元）": "很多"}, "H", "应为数字"),
        ({"注册资本（元）": "10.001"}, "H", "两位小数"),
        ({"名称": "<script>alert(1)</script>"}, "B", "HTML"),
        ({"名称": '=HYPERLINK("http://x")'}, "B", "公式"),
        ({"机构类型": "外星机构"}, "D", "无效的取值"),
        ({"名称": ""}, "B", "不能为空"),
    ],
)
def test_each_bad_cell_is_reported_with_row_and_column_and_nothing_is_written(
    tmp_path, reviewer, row_over, column, fragment
):
    good = unique_credit_code("450103")
    code = unique_credit_code("450103")
    path = xlsx(tmp_path, ORG_HEADER, [org_row(good), org_row(code, **row_over)], sheet="机构")
    before = Organisation.objects.count()
    report = import_file(path, "organisations", reviewer)
    assert not report.applied
    assert Organisation.objects.count() == before
    assert report.error_count == 1
    error = report.errors[0]
    assert error["row"] == 3 and error["column"].startswith(column) and fragment in error["message"]


def test_valid_rows_only_mode_imports_the_rest_and_reports_the_bad_rows(tmp_path, reviewer):
    good, bad = unique_credit_code("450103"), "91450100MA5K11119X"
    path = xlsx(tmp_path, ORG_HEADER, [org_row(good), org_row(bad)], sheet="机构")
    report = import_file(path, "organisations", reviewer, valid_rows_only=True)
    assert report.applied and report.created == 1 and report.error_count == 1
    assert Organisation.objects.filter(credit_code=good).exists()


def test_duplicate_rows_are_reported(tmp_path, reviewer, acme):
    path = xlsx(
        tmp_path,
        IND_HEADER,
        [[acme.credit_code, 2023, 1, 1, 1, 1, 1, ""], [acme.credit_code, 2023, 2, 2, 2, 2, 2, ""]],
    )
    report = import_file(path, "indicators", reviewer)
    assert not report.applied and "与第 2 行重复" in report.errors[0]["message"]
    assert not IndicatorValue.objects.filter(organisation=acme).exists()


def test_negative_and_non_numeric_indicator_values(tmp_path, reviewer, acme):
    path = xlsx(tmp_path, IND_HEADER, [[acme.credit_code, 2023, -1, "abc", 1, 1.5, 1, ""]])
    report = import_file(path, "indicators", reviewer)
    messages = " ".join(e["message"] for e in report.errors)
    assert (
        report.error_count == 3
        and "不能为负数" in messages
        and "应为数字" in messages
        and "应为整数" in messages
    )


def test_indicators_for_an_unregistered_organisation_roll_back_the_whole_file(tmp_path, reviewer, acme):
    unknown = unique_credit_code("450103")
    path = xlsx(
        tmp_path,
        IND_HEADER,
        [[acme.credit_code, 2023, 1, 1, 1, 1, 1, ""], [unknown, 2023, 1, 1, 1, 1, 1, ""]],
    )
    report = import_file(path, "indicators", reviewer)
    assert not report.applied and "尚未登记" in report.errors[0]["message"]
    assert not IndicatorValue.objects.filter(organisation=acme).exists()


def test_wrong_sheet_or_header_is_refused_clearly(tmp_path, reviewer):
    path = xlsx(tmp_path, ["姓名", "年龄"], [["张三", 30]], sheet="Sheet1")
    with pytest.raises(DomainError) as info:
        import_file(path, "indicators", reviewer)
    assert "表头不符" in str(info.value.message)


def test_formula_cells_are_refused(tmp_path, reviewer, acme):
    path = xlsx(tmp_path, IND_HEADER, [[acme.credit_code, 2023, "=1+1", 1, 1, 1, 1, ""]])
    report = import_file(path, "indicators", reviewer)
    assert (
        not report.applied and "C2" in report.errors[0]["message"] and "公式" in report.errors[0]["message"]
    )


def test_truncated_and_non_excel_files_are_refused(tmp_path, reviewer, acme):
    good = xlsx(tmp_path, IND_HEADER, [[acme.credit_code, 2023, 1, 1, 1, 1, 1, ""]])
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:500])
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"this is not a spreadsheet at all")
    other_zip = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("hello.txt", "hi")
    for path in (truncated, fake, other_zip):
        with pytest.raises(DomainError) as info:
            import_file(path, "indicators", reviewer)
        assert info.value.code.value == "bad_file", path
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(DomainError) as info:
        import_file(pdf, "indicators", reviewer)
    assert ".pdf" in str(info.value.message)


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path, reviewer, settings):
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(DomainError) as info:
        import_file(big, "indicators", reviewer)
    assert info.value.code.value == "file_too_large" and "50.0 MB" in str(info.value.message)


def test_csv_in_gb18030_is_read(tmp_path, reviewer, acme):
    path = tmp_path / "gbk.csv"
    text = ",".join(IND_HEADER) + "\n" + f"{acme.credit_code},2022,100,10,5,3,1,统计局\n"
    path.write_bytes(text.encode("gb18030"))
    report = import_file(path, "indicators", reviewer)
    assert report.applied and report.created == 5


def test_upload_through_the_page_runs_as_a_job_with_a_report(tmp_path, login, reviewer, acme):
    path = xlsx(tmp_path, IND_HEADER, [[acme.credit_code, 2024, 100, 10, 5, 3, 1, "统计局"]])
    client = login(reviewer)
    with path.open("rb") as handle:
        response = client.post(reverse("registry:import"), {"kind": "indicators", "file": handle})
    assert response.status_code == 302
    [job] = run_pending()
    assert job.status == "succeeded" and job.result["applied"] and job.result["created"] == 5
    page = client.get(response["Location"])
    assert "已导入" in page.content.decode() and 'aria-valuenow="100"' in page.content.decode()
    assert reverse("registry:organisation_list") in page.content.decode()  # the way back to the registry


def test_bad_upload_through_the_page_shows_the_errors_and_writes_nothing(tmp_path, login, reviewer, acme):
    path = xlsx(tmp_path, IND_HEADER, [[acme.credit_code, 1800, 100, 10, 5, 3, 1, ""]])
    client = login(reviewer)
    with path.open("rb") as handle:
        response = client.post(reverse("registry:import"), {"kind": "indicators", "file": handle})
    run_pending()
    page = client.get(response["Location"]).content.decode()
    assert "未导入" in page and "年度应为" in page
    assert not IndicatorValue.objects.filter(organisation=acme).exists()


def test_template_round_trips(tmp_path, login, reviewer):
    content = login(reviewer).get(reverse("registry:import_template", args=["organisations"])).content
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]][:2] == ["统一社会信用代码", "名称"]
    path = tmp_path / "template.xlsx"
    path.write_bytes(content)
    report = import_file(path, "organisations", reviewer)
    assert report.applied and report.created == 1


def test_export_neutralises_formula_like_text(login, reviewer, acme):
    from openpyxl import load_workbook

    from kechuang.registry.services import do_update_organisation

    do_update_organisation(acme, acting_user=reviewer, address="=cmd|' /C calc'!A0")
    content = login(reviewer).get(reverse("registry:organisation_export")).content
    rows = list(load_workbook(io.BytesIO(content)).active.values)
    assert rows[0][0] == "统一社会信用代码"
    exported = {r[0]: r for r in rows[1:]}
    assert exported[acme.credit_code][10].startswith("'=")
