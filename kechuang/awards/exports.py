"""Documents generated from the records: certificates (PDF) and the award decision's annex (Word and Excel)."""

import io
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from kechuang.awards import schemes
from kechuang.awards.models import NominationStatus
from kechuang.spreadsheets import write_xlsx

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]


def cjk_font() -> str:
    configured = getattr(settings, "KECHUANG_CJK_FONT", "")
    for candidate in [configured, *FONT_CANDIDATES]:
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError("no CJK font found: install fonts-wqy-microhei or set KECHUANG_CJK_FONT")


def grade_name(nomination) -> str:
    grade = schemes.grade(nomination.call.kind, nomination.category, nomination.proposed_grade)
    return grade.name if grade else ""


def awarded(call):
    return (
        call.nominations.filter(status=NominationStatus.AWARDED)
        .select_related("lead_unit", "call")
        .prefetch_related("contributors", "units__organisation")
        .order_by("category", "id")
    )


def certificate_pdf(nomination) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("cjk", fname=cjk_font())
    call = nomination.call
    people = [c.name for c in nomination.contributors.all()]
    units = [u.organisation.name for u in nomination.units.all()]
    pdf.add_page()
    pdf.set_draw_color(176, 32, 32)
    pdf.set_line_width(2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_font("cjk", size=34)
    pdf.set_y(30)
    pdf.cell(0, 16, _("荣誉证书"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=15)
    pdf.ln(8)
    lines = [
        _("为表彰在科学技术进步工作中作出突出贡献者，特颁发%(award)s，以资鼓励。") % {"award": call.name},
        _("项目名称：%(title)s") % {"title": nomination.title},
        _("奖励类别：%(cat)s　　奖励等级：%(grade)s")
        % {
            "cat": schemes.categories(call.kind).get(nomination.category, ""),
            "grade": grade_name(nomination),
        },
        _("完成单位：%(units)s") % {"units": "、".join(units)},
        _("完成人：%(people)s") % {"people": "、".join(people)},
        _("证书编号：%(no)s") % {"no": nomination.certificate_no},
    ]
    for line in lines:
        pdf.set_x(30)
        pdf.multi_cell(237, 10, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(170)
    pdf.cell(0, 10, call.decision_document, align="R")
    return bytes(pdf.output())


def annex_rows(call) -> list[list]:
    rows = []
    for n, nomination in enumerate(awarded(call), start=1):
        rows.append(
            [
                n,
                nomination.certificate_no,
                schemes.categories(call.kind).get(nomination.category, ""),
                grade_name(nomination),
                nomination.title,
                "、".join(u.organisation.name for u in nomination.units.all()),
                "、".join(c.name for c in nomination.contributors.all()),
                nomination.prize_fen,
            ]
        )
    return rows


ANNEX_HEADERS = ["序号", "证书编号", "类别", "等级", "项目名称", "完成单位", "完成人", "奖金（元）"]


def annex_docx(call) -> bytes:
    from docx import Document

    from kechuang.money import yuan_text

    document = Document()
    document.add_heading(_("%(name)s获奖项目名单") % {"name": call.name}, level=1)
    document.add_paragraph(_("附件：%(doc)s") % {"doc": call.decision_document})
    rows = annex_rows(call)
    table = document.add_table(rows=1, cols=len(ANNEX_HEADERS))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, ANNEX_HEADERS, strict=True):
        cell.text = _(header)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, [*row[:-1], yuan_text(row[-1])], strict=True):
            cell.text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def annex_xlsx(call) -> bytes:
    rows = ([*row[:-1], Decimal(row[-1]) / 100] for row in annex_rows(call))  # exact: fen to 元
    return write_xlsx([_(h) for h in ANNEX_HEADERS], rows, _("获奖名单"))
