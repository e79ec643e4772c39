"""Validation of the codes a listing carries: Chinese patent application numbers and IPC symbols."""

import re

from django.utils.translation import gettext_lazy as _

from kechuang.registry.codes import CodeError

PATENT_TYPES = {
    "1": _("发明"),
    "2": _("实用新型"),
    "3": _("外观设计"),
    "8": _("PCT发明"),
    "9": _("PCT实用新型"),
}
_PATENT = re.compile(r"^(?:CN|ZL)?(\d{8}|\d{12})\.?([0-9X])$")
_IPC = re.compile(r"^([A-H])(\d{2})([A-Z])(?:\s*(\d{1,4})/(\d{2,6}))?$")


def patent_check_digit(digits: str) -> str:
    """Check digit of a CNIPA application number: weights 2–9 repeating, sum mod 11, 10 written X."""
    weights = [2, 3, 4, 5, 6, 7, 8, 9]
    total = sum(int(d) * weights[i % 8] for i, d in enumerate(digits))
    check = total % 11
    return "X" if check == 10 else str(check)


def check_patent_number(raw: str) -> str:
    """Normalise to e.g. `202310123456.7`; raise CodeError with a clear message if malformed or the check
    digit is wrong."""
    value = re.sub(r"[\s\u3000]", "", (raw or "")).upper().replace("．", ".")
    match = _PATENT.match(value)
    if not match:
        raise CodeError(
            _("专利申请号“%(value)s”格式不正确，应为12位数字加校验位，如 202310123456.X。")
            % {"value": raw[:40]}
        )
    digits, check = match.groups()
    kind = digits[4] if len(digits) == 12 else digits[2]
    if kind not in PATENT_TYPES:
        raise CodeError(_("专利申请号“%(value)s”的专利类型位无效。") % {"value": raw[:40]})
    expected = patent_check_digit(digits)
    if check != expected:
        raise CodeError(_("专利申请号“%(value)s”校验位错误。") % {"value": raw[:40]})
    return f"{digits}.{check}"


def check_ipc(raw: str) -> str:
    value = re.sub(r"\s+", " ", (raw or "").strip().upper())
    match = _IPC.match(value)
    if not match:
        raise CodeError(_("IPC分类号“%(value)s”格式不正确，应如 A01D 45/10 或 A01D。") % {"value": raw[:40]})
    section, klass, sub, group, subgroup = match.groups()
    return f"{section}{klass}{sub}" + (f" {int(group)}/{subgroup}" if group else "")


def ipc_section_industries() -> dict[str, list[str]]:
    """IPC section → GB/T 4754 sections, from the registry's shipped concordance."""
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "registry" / "data" / "ipc_sections.csv"
    out: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = next((row[k] for k in row if "ipc" in k.lower()), "")
            vals = [v for k, v in row.items() if "industr" in k.lower() or "4754" in k]
            if key:
                out[key.strip()] = [
                    v.strip() for v in ";".join(vals).replace(",", ";").split(";") if v.strip()
                ]
    return out
