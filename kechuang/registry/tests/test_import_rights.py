"""Imports check every row against the importer's rights; imported figures carry the importer's source."""

import pytest
from openpyxl import Workbook

from kechuang.accounts.models import Role
from kechuang.registry.importing import run_import
from kechuang.registry.models import DepartmentType, IndicatorValue, Organisation
from kechuang.registry.tests.test_sources import bureau_official
from kechuang.testing import make_org, make_user, record_indicators, unique_credit_code

pytestmark = pytest.mark.django_db

ORG_HEADER = ["统一社会信用代码", "名称", "机构类型", "行政区划代码", "企业规模"]
IND_HEADER = [
    "统一社会信用代码",
    "年度",
    "研发经费支出（元）",
    "研发费用加计扣除额（税务确认）（元）",
    "数据来源",
]


def xlsx(tmp_path, header, rows, sheet):
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    path = tmp_path / f"{sheet}.xlsx"
    workbook.save(path)
    return path


@pytest.fixture
def nanning_reviewer(department):
    return make_user("nanning1", org=department, role=Role.REVIEWER, city="450100")


@pytest.fixture
def beihai(db):
    return make_org("北海海洋科技有限公司", region="450502")


def test_a_city_reviewer_cannot_rename_or_rewrite_another_citys_company_by_import(
    tmp_path, nanning_reviewer, beihai, acme
):
    """Reproduction: the 南宁 reviewer, who gets 404 on a 北海 company, renamed it and set its R&D spending to
    99,999,999,999 元 by bulk import."""
    renamed = run_import(
        xlsx(
            tmp_path,
            ORG_HEADER,
            [[beihai.credit_code, "被改名的公司", "enterprise", "450502", "above"]],
            "机构",
        ),
        "orgs.xlsx",
        "organisations",
        acting_user=nanning_reviewer,
    )
    assert not renamed.applied
    assert renamed.errors[0]["row"] == 2 and beihai.credit_code in renamed.errors[0]["message"]
    rows = [[beihai.credit_code, 2024, "99999999999", "", ""], [acme.credit_code, 2024, "1000000", "", ""]]
    report = run_import(
        xlsx(tmp_path, IND_HEADER, rows, "年度指标"), "ind.xlsx", "indicators", acting_user=nanning_reviewer
    )
    assert not report.applied and [e["row"] for e in report.errors] == [2]
    assert "不在您的管辖范围内" in report.errors[0]["message"]
    assert not IndicatorValue.objects.exists()
    beihai.refresh_from_db()
    assert beihai.name == "北海海洋科技有限公司"
    # valid rows only: the Nanning row goes in, the Beihai row is reported
    report = run_import(
        xlsx(tmp_path, IND_HEADER, rows, "年度指标"),
        "ind.xlsx",
        "indicators",
        acting_user=nanning_reviewer,
        valid_rows_only=True,
    )
    assert report.applied and [e["row"] for e in report.errors] == [2]
    assert list(IndicatorValue.objects.values_list("organisation_id", "value", "source")) == [
        (acme.pk, 100000000, "verified")
    ]


def test_a_new_organisation_outside_the_importers_city_is_refused(tmp_path, nanning_reviewer):
    report = run_import(
        xlsx(
            tmp_path,
            ORG_HEADER,
            [[unique_credit_code("450502"), "北海新公司", "enterprise", "450502", "above"]],
            "机构",
        ),
        "orgs.xlsx",
        "organisations",
        acting_user=nanning_reviewer,
        valid_rows_only=True,
    )
    assert report.error_count == 1 and "不在您的管辖范围内" in report.errors[0]["message"]
    assert not Organisation.objects.filter(name="北海新公司").exists()


def test_imported_figures_carry_the_importers_source_not_the_files(tmp_path, acme):
    tax = bureau_official("tax9", DepartmentType.TAX)
    path = xlsx(tmp_path, IND_HEADER, [[acme.credit_code, 2024, "", "3000000", "统计局"]], "年度指标")
    report = run_import(path, "tax.xlsx", "indicators", acting_user=tax)
    assert report.applied
    value = IndicatorValue.objects.get(organisation=acme, indicator_id="rd_super_deduction")
    assert (value.source, value.value) == ("tax", 300000000)


def test_an_import_never_overwrites_a_weightier_source(tmp_path, reviewer, acme):
    record_indicators(acme, 2024, rd_super_deduction=5)  # the tax authority's figure
    path = xlsx(tmp_path, IND_HEADER, [[acme.credit_code, 2024, "100", "999999", ""]], "年度指标")
    report = run_import(path, "x.xlsx", "indicators", acting_user=reviewer)
    assert not report.applied and report.errors[0]["row"] == 2 and "税务部门" in report.errors[0]["message"]
    assert IndicatorValue.objects.get(organisation=acme, indicator_id="rd_super_deduction").value == 5


def test_an_organisation_cannot_import_figures_at_all(tmp_path, alice, acme):
    from kechuang.errors import DomainError

    path = xlsx(tmp_path, IND_HEADER, [[acme.credit_code, 2024, "", "3000000", "税务局"]], "年度指标")
    with pytest.raises(DomainError) as refused:
        run_import(path, "mine.xlsx", "indicators", acting_user=alice)
    assert refused.value.status == 403 and not IndicatorValue.objects.exists()
