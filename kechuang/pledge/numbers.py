"""Chinese patent application numbers (专利申请号) and patent terms.

Since 1 October 2003 an application number is 12 digits: filing year (4), patent type (1: 1 invention,
2 utility model, 3 design, 8 PCT invention entering the national phase, 9 PCT utility model) and a serial (7),
followed by "." and a check digit. Before that it was 8 digits: year (2), type (1), serial (5), "." and a check
digit. The check digit is the same for both: weights 2, 3, …, 9 repeating over the digits, sum mod 11, 10 → "X".
A granted patent's number is "ZL" + the application number; "CN" publication-style prefixes are also accepted.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

INVENTION, UTILITY, DESIGN = "invention", "utility", "design"
TYPE_BY_DIGIT = {"1": INVENTION, "2": UTILITY, "3": DESIGN, "8": INVENTION, "9": UTILITY}
# Protection term from the filing date (专利法第四十二条). Designs filed from 2021-06-01 (fourth amendment) get 15 years.
TERM_YEARS = {INVENTION: 20, UTILITY: 10}
DESIGN_TERM_CHANGE = dt.date(2021, 6, 1)
NUMBER_RE = re.compile(r"^(?:ZL|CN)?(\d{8}|\d{12})(?:\.?([0-9X]))?$")


class PatentNumberError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class ApplicationNumber:
    digits: str
    check: str

    @property
    def text(self) -> str:
        return f"{self.digits}.{self.check}"

    @property
    def patent_number(self) -> str:
        return f"ZL{self.text}"

    @property
    def year(self) -> int:
        if len(self.digits) == 12:
            return int(self.digits[:4])
        yy = int(self.digits[:2])
        return 1900 + yy if yy >= 85 else 2000 + yy

    @property
    def type_digit(self) -> str:
        return self.digits[4] if len(self.digits) == 12 else self.digits[2]

    @property
    def patent_type(self) -> str:
        return TYPE_BY_DIGIT[self.type_digit]

    @property
    def is_pct(self) -> bool:
        return self.type_digit in "89"


def check_digit(digits: str) -> str:
    total = sum(int(d) * (2 + i % 8) for i, d in enumerate(digits))
    value = total % 11
    return "X" if value == 10 else str(value)


def parse_application_number(raw: str, *, require_check: bool = True) -> ApplicationNumber:
    """Normalise and validate; raise PatentNumberError with a message a user can act on."""
    text = re.sub(r"[\s\u3000]", "", str(raw or "")).upper().replace("．", ".")
    match = NUMBER_RE.match(text)
    if not match:
        raise PatentNumberError(
            _(
                "申请号格式不正确：应为 12 位数字（2003 年起）或 8 位数字（2003 年前），加“.”和 1 位校验位，可带“ZL”前缀，例如 ZL201710601862.3。"
            )
        )
    digits, given = match.group(1), match.group(2)
    if given is None:
        if require_check:
            raise PatentNumberError(_("申请号缺少校验位（小数点后的一位）。"))
        given = check_digit(digits)
    number = ApplicationNumber(digits, given)
    if number.type_digit not in TYPE_BY_DIGIT:
        raise PatentNumberError(
            _(
                "申请号第 %(pos)d 位的专利类型代码“%(digit)s”无效（应为 1 发明、2 实用新型、3 外观设计、8/9 PCT）。"
            )
            % {"pos": 5 if len(digits) == 12 else 3, "digit": number.type_digit}
        )
    if len(digits) == 12 and not (1985 <= number.year <= dt.date.today().year + 1):
        raise PatentNumberError(_("申请号中的年份 %(year)d 无效。") % {"year": number.year})
    if len(digits) == 12 and number.year < 2003:
        raise PatentNumberError(_("2003 年以前的申请号为 8 位数字，请核对。"))
    if len(digits) == 8 and number.year >= 2004:
        raise PatentNumberError(_("2003 年 10 月起的申请号为 12 位数字，请核对。"))
    if check_digit(digits) != given:
        raise PatentNumberError(
            _("申请号 %(number)s 的校验位不符，请核对号码。") % {"number": f"{digits}.{given}"}
        )
    return number


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February: the anniversary in a common year is 1 March
        return dt.date(day.year + years, 3, 1)


def term_years(patent_type: str, filing_date: dt.date) -> int:
    if patent_type == DESIGN:
        return 15 if filing_date >= DESIGN_TERM_CHANGE else 10
    return TERM_YEARS[patent_type]


def expiry_date(patent_type: str, filing_date: dt.date) -> dt.date:
    """Last day of protection: the term counts from the filing date, so it ends the day before the anniversary."""
    return add_years(filing_date, term_years(patent_type, filing_date)) - dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)
