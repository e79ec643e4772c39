"""Documents written from a snapshot: the reply / city report as Word and PDF, the completion workbook, and the
records behind a figure as a workbook. Every document says when its figures were computed."""

import io

from django.utils.translation import gettext as _

from kechuang.spreadsheets import write_workbook

ANNEX_HEADERS = ("序号", "数据项", "数值", "统计口径")


def report_docx(doc: dict) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "FangSong"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(doc["title"])
    run.bold = True
    run.font.size = Pt(20)
    if doc["addressee"]:
        document.add_paragraph(doc["addressee"])
    if doc["opening"]:
        document.add_paragraph(doc["opening"]).paragraph_format.first_line_indent = Pt(28)
    for section in doc["sections"]:
        if section["heading"]:
            h = document.add_paragraph()
            h.add_run(section["heading"]).bold = True
        for text in section["paragraphs"]:
            document.add_paragraph(text).paragraph_format.first_line_indent = Pt(28)
    if doc["closing_heading"]:
        document.add_paragraph(doc["closing_heading"]).paragraph_format.first_line_indent = Pt(28)
    for text in doc["closing"]:
        document.add_paragraph(text).paragraph_format.first_line_indent = Pt(28)
    for text in (doc["signature"], doc["date"]):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_page_break()
    annex = document.add_paragraph()
    annex.add_run(_("附件：数据项及统计口径")).bold = True
    document.add_paragraph(
        _("本文数据由平台根据业务记录计算，计算时间：%(at)s。") % {"at": doc["computed_at"]}
    )
    table = document.add_table(rows=1, cols=len(ANNEX_HEADERS))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, ANNEX_HEADERS, strict=True):
        cell.text = _(header)
    for n, row in enumerate(doc["annex"], start=1):
        cells = table.add_row().cells
        for cell, value in zip(cells, [str(n), row["label"], row["text"], row["definition"]], strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def report_pdf(doc: dict) -> bytes:
    from fpdf import FPDF

    from kechuang.awards.exports import cjk_font

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("cjk", fname=cjk_font())
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    width = pdf.w - 50
    pdf.set_font("cjk", size=18)
    pdf.multi_cell(width, 10, doc["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("cjk", size=12)

    def para(text, *, indent=True, align="J"):
        pdf.multi_cell(
            width, 7.5, ("\u3000\u3000" if indent else "") + text, align=align, new_x="LMARGIN", new_y="NEXT"
        )

    if doc["addressee"]:
        para(doc["addressee"], indent=False)
    if doc["opening"]:
        para(doc["opening"])
    for section in doc["sections"]:
        if section["heading"]:
            pdf.set_font("cjk", size=13)
            para(section["heading"], indent=False)
            pdf.set_font("cjk", size=12)
        for text in section["paragraphs"]:
            para(text)
    if doc["closing_heading"]:
        para(doc["closing_heading"])
    for text in doc["closing"]:
        para(text)
    pdf.ln(6)
    para(doc["signature"], indent=False, align="R")
    para(doc["date"], indent=False, align="R")
    pdf.add_page()
    pdf.set_font("cjk", size=14)
    para(_("附件：数据项及统计口径"), indent=False)
    pdf.set_font("cjk", size=9)
    para(_("本文数据由平台根据业务记录计算，计算时间：%(at)s。") % {"at": doc["computed_at"]}, indent=False)
    from fpdf.fonts import FontFace

    with pdf.table(
        col_widths=(8, 40, 22, 90), text_align="LEFT", line_height=5, headings_style=FontFace(emphasis="")
    ) as table:
        header = table.row()
        for h in ANNEX_HEADERS:
            header.cell(_(h))
        for n, row in enumerate(doc["annex"], start=1):
            r = table.row()
            for value in (str(n), row["label"], row["text"], row["definition"]):
                r.cell(value)
    return bytes(pdf.output())


def completion_xlsx(payload: dict, *, city: str | None = None) -> bytes:
    """Sheets: the KPIs (definition, target, value, completion), per city, and per city and month."""
    kpis = payload["kpis"]
    summary = []
    for k in kpis:
        summary.append(
            [
                k["code"],
                k["version"],
                k["name"]["zh"],
                k["basis"],
                k["target"],
                k["baseline"]["value"],
                k["counted"] if k["counted"] is not None else "—",
                k["value"] if k["value"] is not None else "—",
                k["percent"],
                k.get("expected", "—"),
                k["state"],
                k["as_of"],
                k["definition"]["zh"],
            ]
        )
    by_city, by_month = [], []
    for k in kpis:
        for c in k.get("cities", []):
            if city and c["city"] != city:
                continue
            by_city.append([k["code"], c["city"], c["name"], c["n"], _("是") if c["reporting"] else _("否")])
            for m in k.get("months", []):
                by_month.append([k["code"], c["city"], c["name"], m["month"], c["months"].get(m["month"], 0)])
    sheets = [
        (
            _("指标"),
            [
                _("代码"),
                _("版本"),
                _("指标"),
                _("口径"),
                _("目标"),
                _("基数"),
                _("计入数"),
                _("完成值"),
                _("完成率（%）"),
                _("应完成值"),
                _("状态"),
                _("统计截止"),
                _("统计口径"),
            ],
            summary,
        ),
        (_("按城市"), [_("指标"), _("城市代码"), _("城市"), _("计入数"), _("报送城市")], by_city),
        (_("按城市和月份"), [_("指标"), _("城市代码"), _("城市"), _("月份"), _("计入数")], by_month),
    ]
    return write_workbook(sheets)


def records_xlsx(kpi_name: str, rows: list[dict], city_names: dict) -> bytes:
    data = [
        [
            str(r["date"] or ""),
            city_names.get(r["city"] or "", r["city"] or ""),
            r["label"],
            r["sign"],
            r["why"],
        ]
        for r in rows
    ]
    return write_workbook(
        [(kpi_name[:28] or "records", [_("日期"), _("城市"), _("记录"), _("计数"), _("计入原因")], data)]
    )
