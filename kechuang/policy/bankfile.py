"""The bank's return file (回单) for a payment batch: CSV or .xlsx with a header row naming the columns
reference (支付指令号), account (收款账号), amount (金额, 元 with at most two decimals) and status (成功 / 失败);
optionally bank_reference (银行流水号) and reason (失败原因). Read through the registry's spreadsheet reader, so
the same size limits and formula checks apply."""

import tempfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from kechuang.errors import DomainError, ErrorCode
from kechuang.policy.models import MAX_FEN
from kechuang.spreadsheets import read_rows

COLUMNS = {
    "reference": ("reference", "支付指令号", "指令号", "明细号", "交易参考号", "业务编号"),
    "account": ("account", "收款账号", "收款人账号", "账号"),
    "amount": ("amount", "金额", "金额（元）", "金额(元)", "交易金额"),
    "status": ("status", "状态", "交易状态", "处理结果"),
    "bank_reference": ("bank_reference", "银行流水号", "流水号"),
    "reason": ("reason", "失败原因", "备注"),
}
REQUIRED = ("reference", "account", "amount", "status")
PAID = {"成功", "已到账", "到账", "支付成功", "success", "succeeded", "paid", "ok", "s"}
FAILED = {"失败", "退回", "退票", "支付失败", "failed", "failure", "fail", "returned", "rejected", "f"}
MAX_ROWS = 200_000


@dataclass
class ReturnRow:
    line: int
    reference: str
    account: str
    amount_fen: int | None
    paid: bool
    bank_reference: str
    reason: str
    error: str = ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def amount_fen(value) -> int:
    """元 (at most two decimals) → fen; ValueError when it is not such an amount."""
    text = _text(value).replace(",", "").replace("，", "")
    try:
        yuan = Decimal(text)
    except InvalidOperation:
        raise ValueError(text)
    fen = yuan * 100
    if not fen.is_finite() or fen != fen.to_integral_value() or fen < 0 or fen > MAX_FEN:
        raise ValueError(text)
    return int(fen)


def read_bank_return(content: bytes, file_name: str) -> list[ReturnRow]:
    suffix = Path(file_name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(content)
        tmp.flush()
        rows, _formulas = read_rows(Path(tmp.name), file_name)
    rows = [r for r in rows if any(_text(c) for c in r)]
    if not rows:
        raise DomainError(ErrorCode.BAD_FILE, _("回单文件为空。"))
    if len(rows) > MAX_ROWS + 1:
        raise DomainError(ErrorCode.BAD_FILE, _("回单行数超过 %(n)s 行。") % {"n": MAX_ROWS})
    header = [_text(c).lower() for c in rows[0]]
    index = {}
    for key, names in COLUMNS.items():
        for name in names:
            if name.lower() in header:
                index[key] = header.index(name.lower())
                break
    missing = [k for k in REQUIRED if k not in index]
    if missing:
        raise DomainError(
            ErrorCode.BAD_FILE,
            _(
                "回单缺少列：%(columns)s（需要 reference/支付指令号、account/收款账号、amount/金额、status/状态）"
            )
            % {"columns": ", ".join(missing)},
        )

    def cell(row, key):
        i = index.get(key)
        return _text(row[i]) if i is not None and i < len(row) else ""

    out = []
    for line, row in enumerate(rows[1:], start=2):
        status = cell(row, "status").lower()
        item = ReturnRow(
            line=line,
            reference=cell(row, "reference")[:40],
            account=cell(row, "account").replace(" ", "")[:40],
            amount_fen=None,
            paid=status in PAID,
            bank_reference=cell(row, "bank_reference"),
            reason=cell(row, "reason"),
        )
        if not item.reference:
            item.error = _("缺少支付指令号")
        elif status not in PAID | FAILED:
            item.error = _("无法识别的状态“%(s)s”") % {"s": cell(row, "status")[:20]}
        else:
            try:
                item.amount_fen = amount_fen(row[index["amount"]] if index["amount"] < len(row) else "")
            except ValueError:
                item.error = _("金额无效“%(a)s”") % {"a": cell(row, "amount")[:20]}
        out.append(item)
    return out
