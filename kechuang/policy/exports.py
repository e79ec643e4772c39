"""Excel exports: the public-notice list (公示名单) and the payment file (拨付文件)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from kechuang.money import percent_text, yuan
from kechuang.permissions.core import area_q
from kechuang.policy.explain import label
from kechuang.policy.models import Candidate, Payment
from kechuang.spreadsheets import write_xlsx


def notice_export(round_, user=None) -> bytes:
    """The 公示 list; for an official with an area, only that area's organisations."""
    headers = [
        _("序号"),
        _("统一社会信用代码"),
        _("单位名称"),
        _("所在城市"),
        _("政策"),
        _("政策版本"),
        _("文号"),
        _("测算金额（元）"),
        _("拟奖补金额（元）"),
        _("状态"),
    ]
    listed = (
        Candidate.objects.filter(
            round=round_,
            status__in=[
                Candidate.Status.LISTED,
                Candidate.Status.APPROVED,
                Candidate.Status.PAID,
                Candidate.Status.WITHDRAWN,
            ],
        )
        .filter(area_q(user, "organisation__") if user is not None else Q())
        .select_related("organisation", "organisation__city", "policy_version")
        .order_by("organisation__city_id", "organisation__name", "id")
    )
    rows = (
        [
            i,
            c.organisation.credit_code,
            c.organisation.name,
            c.organisation.city.name,
            label({"zh": c.policy_version.name, "en": c.policy_version.name_en}),
            c.policy_version.version,
            c.policy_version.document_no,
            yuan(c.computed_fen),
            yuan(c.awarded_fen),
            c.get_status_display(),
        ]
        for i, c in enumerate(listed.iterator(chunk_size=2000), 1)
    )
    return write_xlsx(headers, rows, _("公示名单"))


def payment_export(batch, user=None) -> bytes:
    """The payment file for the bank: one row per payment with its reference (支付指令号), which the bank's
    return file must echo with the account, the amount and the status. A person paid directly (talent benefits)
    is a row of its own with the person's name and (last column) masked ID number; the person's full account is written only
    for the talent office (kechuang.permissions.talent.can_see_person_account), which sends those files —
    anyone else's copy shows its last four digits."""
    from kechuang.permissions.talent import shown_account

    headers = [
        _("拨付批次"),
        _("支付指令号"),
        _("统一社会信用代码"),
        _("收款单位"),
        _("开户银行"),
        _("收款账号"),
        _("金额（元）"),
        _("政策"),
        _("状态"),
        _("银行流水号"),
        _("收款人证件号码"),
    ]
    payments = batch.payments.select_related("organisation", "candidate").order_by("id")
    rows = (
        [
            batch.reference,
            p.reference,
            p.organisation.credit_code,
            p.payee_name or p.organisation.name,
            p.bank_name,
            shown_account(user, p.account) if p.payee_id_masked else p.account,
            yuan(p.amount_fen),
            p.candidate.policy_code,
            p.get_status_display(),
            p.bank_reference,
            p.payee_id_masked,
        ]
        for p in payments.iterator(chunk_size=2000)
    )
    return write_xlsx(headers, rows, _("拨付文件"))


def _transfer_tables(round_):
    """(per-city rows, per-county rows, totals) of a round's 下达, from the approved awards."""
    from kechuang.policy.models import Transfer
    from kechuang.policy.services import transfer_rows

    documents = dict(Transfer.objects.filter(round=round_).values_list("city_id", "document_no"))
    cities: dict = {}
    counties: dict = {}
    for row in transfer_rows(round_):
        city = row["city"]
        county = row["county"]
        for table, key, name in (
            (cities, city.pk, city.name),
            (counties, (city.pk, county.pk if county else ""), county.name if county else _("市本级")),
        ):
            t = table.setdefault(
                key,
                {
                    "city": city.name,
                    "name": name,
                    "n": 0,
                    "total": 0,
                    "region": 0,
                    "city_fen": 0,
                    "county": 0,
                },
            )
            t["n"] += 1
            t["total"] += row["awarded_fen"]
            t["region"] += row["region_fen"]
            t["city_fen"] += row["city_fen"]
            t["county"] += row["county_fen"]
        cities[city.pk]["document"] = documents.get(city.pk, "")
    return [cities[k] for k in sorted(cities)], [counties[k] for k in sorted(counties)]


CITY_HEADERS = (
    "设区市",
    "下达文号",
    "奖补对象数",
    "奖补合计（元）",
    "自治区下达（元）",
    "市级配套（元）",
    "县级配套（元）",
)
COUNTY_HEADERS = (
    "设区市",
    "县（市、区）",
    "奖补对象数",
    "奖补合计（元）",
    "自治区下达（元）",
    "市级配套（元）",
    "县级配套（元）",
)


def _city_line(t):
    return [
        t["city"],
        t.get("document", ""),
        t["n"],
        yuan(t["total"]),
        yuan(t["region"]),
        yuan(t["city_fen"]),
        yuan(t["county"]),
    ]


def _county_line(t):
    return [
        t["city"],
        t["name"],
        t["n"],
        yuan(t["total"]),
        yuan(t["region"]),
        yuan(t["city_fen"]),
        yuan(t["county"]),
    ]


def transfer_xlsx(round_) -> bytes:
    """The 下达 tables: one sheet per city total, one per county, one with every award (who is paid what)."""
    from kechuang.policy.services import transfer_rows
    from kechuang.spreadsheets import write_workbook

    cities, counties = _transfer_tables(round_)
    awards = (
        [
            r["city"].name,
            r["county"].name if r["county"] else _("市本级"),
            r["organisation"].credit_code,
            r["organisation"].name,
            r["candidate"].policy_code,
            yuan(r["awarded_fen"]),
            yuan(r["region_fen"]),
            yuan(r["city_fen"]),
            yuan(r["county_fen"]),
        ]
        for r in transfer_rows(round_)
    )
    return write_workbook(
        [
            (_("分市下达表"), [_(h) for h in CITY_HEADERS], [_city_line(t) for t in cities]),
            (_("分县汇总表"), [_(h) for h in COUNTY_HEADERS], [_county_line(t) for t in counties]),
            (
                _("奖补明细"),
                [
                    _("设区市"),
                    _("县（市、区）"),
                    _("统一社会信用代码"),
                    _("单位名称"),
                    _("政策"),
                    _("奖补金额（元）"),
                    _("自治区下达（元）"),
                    _("市级配套（元）"),
                    _("县级配套（元）"),
                ],
                awards,
            ),
        ]
    )


def transfer_docx(round_) -> bytes:
    """The 下达 annex as a Word document: the per-city and the per-county table."""
    import io

    from docx import Document

    cities, counties = _transfer_tables(round_)
    programme = round_.fund.programme
    doc = Document()
    doc.add_heading(_("%(round)s 资金下达表") % {"round": round_.name}, level=1)
    doc.add_paragraph(
        _("项目：%(programme)s；数据年度 %(year)s；市级配套 %(city)s，县级配套 %(county)s。")
        % {
            "programme": programme.name,
            "year": round_.year,
            "city": percent_text(programme.city_share_bp),
            "county": percent_text(programme.county_share_bp),
        }
    )
    for title, headers, lines in (
        (_("分市下达表"), CITY_HEADERS, [_city_line(t) for t in cities]),
        (_("分县汇总表"), COUNTY_HEADERS, [_county_line(t) for t in counties]),
    ):
        doc.add_heading(title, level=2)
        table = doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = str(_(text))
        for line in lines:
            cells = table.add_row().cells
            for cell, value in zip(cells, line, strict=True):
                cell.text = str(value)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


__all__ = ["notice_export", "payment_export", "transfer_xlsx", "transfer_docx", "Payment"]
