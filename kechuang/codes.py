"""The national code standards the platform validates, in one place, with one error class.

- **统一社会信用代码** (GB 32100-2015): 18 characters from `0-9A-HJ-NPQRTUWXY`; weights
  1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28; check = 31 − (Σ mod 31), 31 → 0. Positions
  3–8 are the administrative division (GB/T 2260), positions 9–17 the GB 11714 organisation code with its own
  check character (weights 3, 7, 9, 10, 5, 8, 4, 2; 11 − Σ mod 11, 10 → X, 11 → 0).
- **专利申请号** (CNIPA): since 1 October 2003, 12 digits — filing year (4), patent type (1: 1 invention,
  2 utility model, 3 design, 8 PCT invention entering the national phase, 9 PCT utility model), serial (7) —
  then "." and a check digit. Before that, 8 digits: year (2), type (1), serial (5). The check digit is the same
  for both: weights 2, 3, …, 9 repeating, Σ mod 11, 10 → "X" (e.g. 201710601862 → 3). A granted patent's number
  is "ZL" + the application number; "CN" prefixes are accepted too. The year must fit the form: 12 digits from
  2003 (and not after next year), 8 digits before 2004.
- **IPC** symbols: section (A–H), class (2 digits), subclass (letter), optionally main group / subgroup, written
  `A01D 45/10`.
- **Names** (NFKC, whitespace collapsed, invisible and direction-changing characters refused) and **bank account
  numbers** (8–32 digits).
- **居民身份证号码** (GB 11643-1999): 17 digits — address code (6), birth date YYYYMMDD (8), sequence (3) — and a
  check character: weights 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2; Σ mod 11 indexes "10X98765432".
  Shown masked: the address code and the last four characters only (`450102********123X`).

Every checker returns the normalised form or raises `CodeError` with a translatable `message` a user can act on
and a stable `reason` (one of `Reason`) that callers and tests can rely on.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Reason(StrEnum):
    LENGTH = "length"
    CHARACTERS = "characters"
    FORMAT = "format"
    CATEGORY = "category"
    REGION = "region"
    CHECK = "check"
    MISSING_CHECK = "missing_check"
    TYPE = "type"
    YEAR = "year"


class CodeError(ValueError):
    """A code that fails its standard; `message` is a translatable explanation, `reason` a stable `Reason`."""

    def __init__(self, message, reason: Reason = Reason.FORMAT):
        super().__init__(str(message))
        self.message = message
        self.reason = reason


_SPACES = re.compile(r"[\s\u3000]")

# -- 统一社会信用代码 -------------------------------------------------------------------------------------------

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
CREDIT_CODE_VALUE = {ch: i for i, ch in enumerate(CREDIT_CODE_ALPHABET)}
# Registration authority (position 1) and organisation category (position 2) per GB 32100-2015 table 1.
REGISTRATION_CATEGORIES = {
    "1": "123",
    "2": "19",
    "3": "123459",
    "4": "19",
    "5": "1239",
    "6": "129",
    "7": "129",
    "8": "19",
    "9": "123",
    "A": "19",
    "N": "12345",
    "Y": "1",
}


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_VALUE[ch] * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    total = sum(CREDIT_CODE_VALUE[ch] * w for ch, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def normalise_credit_code(raw: str) -> str:
    return _SPACES.sub("", raw or "").upper()


def check_credit_code(raw: str) -> str:
    """Return the normalised code, or raise CodeError explaining what is wrong."""
    code = normalise_credit_code(raw)
    if len(code) != 18:
        raise CodeError(_("统一社会信用代码应为18位，实际为%(n)d位。") % {"n": len(code)}, Reason.LENGTH)
    bad = sorted({ch for ch in code if ch not in CREDIT_CODE_VALUE})
    if bad:
        raise CodeError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）。")
            % {"chars": "".join(bad)},
            Reason.CHARACTERS,
        )
    if code[0] not in REGISTRATION_CATEGORIES or code[1] not in REGISTRATION_CATEGORIES[code[0]]:
        raise CodeError(
            _("统一社会信用代码的登记管理部门代码或机构类别代码无效：%(prefix)s。") % {"prefix": code[:2]},
            Reason.CATEGORY,
        )
    if not code[2:8].isdigit():
        raise CodeError(_("统一社会信用代码第3–8位应为行政区划代码。"), Reason.REGION)
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise CodeError(
            _("统一社会信用代码校验位错误：应为 %(expected)s，实际为 %(actual)s。")
            % {"expected": expected, "actual": code[17]},
            Reason.CHECK,
        )
    org_code = code[8:17]
    if org_code[8] != org_code_check_char(org_code[:8]):
        raise CodeError(_("统一社会信用代码内含的组织机构代码校验位错误。"), Reason.CHECK)
    return code


def region_code_of(credit_code: str) -> str:
    """The administrative division (GB/T 2260) in positions 3–8 of a valid code."""
    return credit_code[2:8]


def make_credit_code(region_code: str, org_body: str, registration: str = "91") -> str:
    """Build a valid code from a registration prefix, a 6-digit region and an 8-character organisation body."""
    org_code = org_body + org_code_check_char(org_body)
    first17 = registration + region_code + org_code
    return first17 + credit_code_check_char(first17)


# -- 专利申请号 ------------------------------------------------------------------------------------------------

INVENTION, UTILITY, DESIGN = "invention", "utility", "design"
TYPE_BY_DIGIT = {"1": INVENTION, "2": UTILITY, "3": DESIGN, "8": INVENTION, "9": UTILITY}
PATENT_TYPE_LABELS = {
    "1": _("发明"),
    "2": _("实用新型"),
    "3": _("外观设计"),
    "8": _("PCT发明"),
    "9": _("PCT实用新型"),
}
APPLICATION_NUMBER_RE = re.compile(r"^(?:ZL|CN)?(\d{8}|\d{12})(?:\.?([0-9X]))?$")
FIRST_12_DIGIT_YEAR = 2003  # the 12-digit form started on 1 October 2003


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


def patent_check_digit(digits: str) -> str:
    """Check digit of a CNIPA application number: weights 2–9 repeating, sum mod 11, 10 written X."""
    total = sum(int(d) * (2 + i % 8) for i, d in enumerate(digits))
    value = total % 11
    return "X" if value == 10 else str(value)


def parse_application_number(
    raw: str, *, require_check: bool = True, today: dt.date | None = None
) -> ApplicationNumber:
    """Normalise and validate an application or patent number; raise CodeError with a message a user can act on."""
    text = _SPACES.sub("", str(raw or "")).upper().replace("．", ".")
    match = APPLICATION_NUMBER_RE.match(text)
    if not match:
        raise CodeError(
            _(
                "申请号格式不正确：应为 12 位数字（2003 年起）或 8 位数字（2003 年前），加“.”和 1 位校验位，可带“ZL”前缀，例如 ZL201710601862.3。"
            ),
            Reason.FORMAT,
        )
    digits, given = match.group(1), match.group(2)
    if given is None:
        if require_check:
            raise CodeError(_("申请号缺少校验位（小数点后的一位）。"), Reason.MISSING_CHECK)
        given = patent_check_digit(digits)
    number = ApplicationNumber(digits, given)
    if number.type_digit not in TYPE_BY_DIGIT:
        raise CodeError(
            _(
                "申请号第 %(pos)d 位的专利类型代码“%(digit)s”无效（应为 1 发明、2 实用新型、3 外观设计、8/9 PCT）。"
            )
            % {"pos": 5 if len(digits) == 12 else 3, "digit": number.type_digit},
            Reason.TYPE,
        )
    this_year = (today or dt.date.today()).year
    if len(digits) == 12 and not (1985 <= number.year <= this_year + 1):
        raise CodeError(_("申请号中的年份 %(year)d 无效。") % {"year": number.year}, Reason.YEAR)
    if len(digits) == 12 and number.year < FIRST_12_DIGIT_YEAR:
        raise CodeError(_("2003 年以前的申请号为 8 位数字，请核对。"), Reason.YEAR)
    if len(digits) == 8 and number.year > FIRST_12_DIGIT_YEAR:
        raise CodeError(_("2003 年 10 月起的申请号为 12 位数字，请核对。"), Reason.YEAR)
    if patent_check_digit(digits) != given:
        raise CodeError(
            _("申请号 %(number)s 的校验位不符，请核对号码。") % {"number": f"{digits}.{given}"}, Reason.CHECK
        )
    return number


def check_patent_number(raw: str) -> str:
    """The normalised application number text, e.g. `201710601862.3`, or CodeError."""
    return parse_application_number(raw).text


# -- IPC ---------------------------------------------------------------------------------------------------------

IPC_RE = re.compile(r"^([A-H])(\d{2})([A-Z])(?: ?(\d{1,4})/(\d{2,6}))?$")


def check_ipc(raw: str) -> str:
    """Normalise an IPC symbol to `A01D 45/10` (or `A01D`), or raise CodeError."""
    value = re.sub(r"\s+", " ", (raw or "").strip().upper())
    match = IPC_RE.match(value)
    if not match:
        raise CodeError(
            _("IPC 分类号“%(ipc)s”格式不正确，应如 C22F 1/04（部、大类、小类，可带大组/小组）。")
            % {"ipc": value[:40]},
            Reason.FORMAT,
        )
    section, klass, sub, group, subgroup = match.groups()
    return f"{section}{klass}{sub}" + (f" {int(group)}/{subgroup}" if group else "")


# -- names and bank accounts -------------------------------------------------------------------------------------

# Invisible and direction-changing characters: they make two names that look the same compare different, or
# make a name display differently from what it is (Unicode TR36 / UTS 39). Refused, never silently removed.
INVISIBLE_CHARACTERS = re.compile(
    "[\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff"
    "\uffa0\U000e0000-\U000e007f]"
)


def normalise_name(value: str) -> str:
    """NFKC-normalised, trimmed, inner whitespace collapsed; invisible or bidirectional control characters and
    other control characters are refused with a message."""
    text = unicodedata.normalize("NFKC", str(value))
    bad = INVISIBLE_CHARACTERS.search(text) or next(
        (ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs") and ch not in "\t\n"), None
    )
    if bad:
        char = bad.group(0) if isinstance(bad, re.Match) else bad
        raise CodeError(
            _("名称含有不可见字符或文字方向控制字符（U+%(code)04X），请删除后重新输入。")
            % {"code": ord(char)},
            Reason.CHARACTERS,
        )
    return " ".join(text.split())


def check_bank_account(value: str) -> str:
    """A bank account number: 8–32 digits; spaces and hyphens between groups are dropped."""
    digits = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", str(value)))
    if digits and not re.fullmatch(r"\d{8,32}", digits):
        raise CodeError(_("银行账号应为 8–32 位数字。"), Reason.FORMAT)
    return digits


# -- 居民身份证号码 ------------------------------------------------------------------------------------------------

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"


def resident_id_check_char(first17: str) -> str:
    return RESIDENT_ID_CHECK[sum(int(c) * w for c, w in zip(first17, RESIDENT_ID_WEIGHTS, strict=True)) % 11]


def check_resident_id(raw: str) -> str:
    """A resident ID number: 18 characters (the last may be X), a real birth date, the GB 11643 check character."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(raw or ""))).upper()
    if len(text) != 18:
        raise CodeError(_("身份证号码应为 18 位。"), Reason.LENGTH)
    if not (text[:17].isdigit() and (text[17].isdigit() or text[17] == "X")):
        raise CodeError(_("身份证号码只能包含数字（末位可为 X）。"), Reason.CHARACTERS)
    try:
        born = dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise CodeError(_("身份证号码中的出生日期无效。"), Reason.FORMAT) from None
    if born.year < 1900 or born > dt.date.today():
        raise CodeError(_("身份证号码中的出生日期无效。"), Reason.FORMAT)
    if text[17] != resident_id_check_char(text[:17]):
        raise CodeError(_("身份证号码校验位不正确。"), Reason.CHECK)
    return text


def mask_id_number(text: str) -> str:
    """An identity number as lists and payment files show it: a resident ID keeps its address code and last four
    characters; any other number (a passport) only its last four."""
    text = str(text or "")
    if len(text) == 18:
        return f"{text[:6]}{'*' * 8}{text[-4:]}"
    return f"{'*' * max(len(text) - 4, 4)}{text[-4:]}"


# -- ASEAN organisations' own registration numbers ----------------------------------------------------------------
# One entry per (country, type): what the number is called there, its form, and its check where one is published.
# Checks: Vietnam mã số doanh nghiệp (= MST; weights 31, 29, 23, 19, 17, 13, 7, 5, 3; check = 10 − Σ mod 11,
# 13-digit branch numbers add 001–999); Thailand เลขทะเบียนนิติบุคคล (13 digits starting with 0, check =
# (11 − Σ dᵢ·(13 − i) mod 11) mod 10, as the personal ID); Indonesia NPWP (15 digits, Luhn over the first 9; the
# 16-digit form since 2024 is checked for form only); Malaysia SSM (12 digits: year, entity type 01–06, serial;
# or the older "123456-X"); Singapore UEN (the four published forms). The others are checked for form only: no
# check digit is published (flag: verify with each registry before production).


@dataclass(frozen=True)
class RegistrationType:
    country: str
    code: str
    label: str | Promise  # the name used in that country, then what it is (translated lazily)
    pattern: str  # regular expression on the normalised number
    example: str


REGISTRATION_TYPES: tuple[RegistrationType, ...] = (
    RegistrationType(
        "VN", "vn_msdn", _("Mã số doanh nghiệp（企业编码/税号）"), r"\d{10}(\d{3})?", "0100233488"
    ),
    RegistrationType("TH", "th_juristic", _("เลขทะเบียนนิติบุคคล（法人登记号）"), r"0\d{12}", "0994000617721"),
    RegistrationType("ID", "id_nib", _("NIB（营业登记号）"), r"\d{13}", "9120001234567"),
    RegistrationType("ID", "id_npwp", _("NPWP（税号）"), r"\d{15}|\d{16}", "013121660091000"),
    RegistrationType(
        "MY", "my_ssm", _("SSM No. Pendaftaran（公司登记号）"), r"\d{12}|\d{1,7}[A-Z]", "201901012345"
    ),
    RegistrationType(
        "PH", "ph_sec", _("SEC Registration No.（证券交易委员会登记号）"), r"[A-Z]{1,2}\d{9}", "CS201912345"
    ),
    RegistrationType("PH", "ph_dti", _("DTI Business Name No.（营业名称登记号）"), r"\d{7,8}", "3216549"),
    RegistrationType("KH", "kh_moc", _("លេខចុះបញ្ជីក្រុមហ៊ុន（商务部公司登记号）"), r"\d{8,10}", "00012345"),
    RegistrationType("KH", "kh_tin", _("VAT TIN（税号）"), r"[A-Z]\d{3}\d{9}", "K001901234567"),
    RegistrationType("LA", "la_erc", _("ເລກທະບຽນວິສາຫະກິດ（企业登记号）"), r"\d{6,12}", "0123456789"),
    RegistrationType(
        "MM", "mm_company", _("Company Registration No.（MyCO 公司登记号）"), r"\d{9}", "123456789"
    ),
    RegistrationType(
        "SG",
        "sg_uen",
        _("UEN（唯一实体编号）"),
        r"\d{8}[A-Z]|\d{9}[A-Z]|[FRST][0-9A-Z]{8}[A-Z]",
        "197401143C",
    ),
    RegistrationType(
        "BN", "bn_roc", _("ROC Registration No.（公司登记号）"), r"(RC|RFC|P|RBN)\d{5,8}", "RC00012345"
    ),
)
REGISTRATION_TYPE_BY_CODE = {t.code: t for t in REGISTRATION_TYPES}

_SG_OTHER_ENTITY_TYPES = frozenset(
    [
        "CC",
        "CD",
        "CH",
        "CL",
        "CM",
        "CP",
        "CS",
        "CX",
        "DP",
        "FB",
        "FC",
        "FM",
        "FN",
        "GA",
        "GB",
        "GS",
        "HS",
        "LL",
        "LP",
        "MB",
        "MC",
        "MD",
        "MH",
        "MM",
        "MQ",
        "NB",
        "NR",
        "PA",
        "PB",
        "PF",
        "RF",
        "RP",
        "SM",
        "SS",
        "TC",
        "TU",
        "VH",
        "XL",
    ]
)


def registration_types_for(country: str) -> list[RegistrationType]:
    return [t for t in REGISTRATION_TYPES if t.country == country]


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _check_vn(n: str) -> bool:
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    check = 10 - sum(w * int(d) for w, d in zip(weights, n, strict=False)) % 11
    return n[2:9] != "0000000" and str(check) == n[9] and (len(n) == 10 or n[10:] != "000")


def _check_th(n: str) -> bool:
    return str((11 - sum(int(d) * (13 - i) for i, d in enumerate(n[:12])) % 11) % 10) == n[12]


def _check_my(n: str) -> bool:
    if len(n) != 12:
        return True  # the older "123456-X" form has no published check
    return 1900 <= int(n[:4]) <= dt.date.today().year and n[4:6] in {"01", "02", "03", "04", "05", "06"}


def _check_sg(n: str) -> bool:
    year = dt.date.today().year
    if len(n) == 10 and n[0].isdigit():  # local company: year of issue, serial, check letter
        return int(n[:4]) <= year
    if len(n) == 10 and n[0] == "F":  # foreign company
        return n[1:4] == "000" and n[4:9].isdigit()
    if len(n) == 10:  # others: R/S/T = 18/19/20, year, entity type, serial, check letter
        issued = {"R": 1800, "S": 1900, "T": 2000}[n[0]] + int(n[1:3]) if n[1:3].isdigit() else None
        return issued is not None and issued <= year and n[3:5] in _SG_OTHER_ENTITY_TYPES and n[5:9].isdigit()
    return True


_CHECKS = {
    "vn_msdn": _check_vn,
    "th_juristic": _check_th,
    "id_npwp": lambda n: len(n) == 16 or _luhn_ok(n[:9]),
    "my_ssm": _check_my,
    "sg_uen": _check_sg,
}


def check_registration_number(country: str, type_code: str, raw: str) -> str:
    """The normalised number (upper case, without spaces, dots, dashes and slashes) or CodeError."""
    kind = REGISTRATION_TYPE_BY_CODE.get(type_code or "")
    if kind is None or kind.country != country:
        raise CodeError(_("请选择该国的登记号类型。"), Reason.TYPE)
    number = re.sub(r"[\s.\-/]", "", unicodedata.normalize("NFKC", raw or "")).upper()
    if not number:
        raise CodeError(_("请填写本国的机构登记号。"), Reason.LENGTH)
    if len(number) > 20 or not re.fullmatch(r"[0-9A-Z]+", number):
        raise CodeError(_("登记号只能包含字母和数字。"), Reason.CHARACTERS)
    if not re.fullmatch(kind.pattern, number):
        raise CodeError(
            _("登记号格式不符合%(type)s的格式（例如 %(example)s）。")
            % {"type": kind.label, "example": kind.example},
            Reason.FORMAT,
        )
    check = _CHECKS.get(kind.code)
    if check is not None and not check(number):
        raise CodeError(_("登记号校验未通过，请核对后重新输入。"), Reason.CHECK)
    return number
