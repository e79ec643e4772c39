"""Validation of the national code standards the registry relies on.

GB 32100-2015 unified social credit code (统一社会信用代码) and the GB 11714 organisation code embedded in it.
"""

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

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


class CodeError(ValueError):
    """A code that fails its standard; `message` is a translatable explanation."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_VALUE[ch] * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    total = sum(CREDIT_CODE_VALUE[ch] * w for ch, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def normalise_credit_code(raw: str) -> str:
    return (raw or "").strip().upper().replace(" ", "")


def check_credit_code(raw: str) -> str:
    """Return the normalised code, or raise CodeError explaining what is wrong."""
    code = normalise_credit_code(raw)
    if len(code) != 18:
        raise CodeError(_("统一社会信用代码应为18位，实际为%(n)d位。") % {"n": len(code)})
    bad = sorted({ch for ch in code if ch not in CREDIT_CODE_VALUE})
    if bad:
        raise CodeError(
            _("统一社会信用代码含有不允许的字符：%(chars)s（不使用 I、O、Z、S、V）。")
            % {"chars": "".join(bad)}
        )
    if code[0] not in REGISTRATION_CATEGORIES or code[1] not in REGISTRATION_CATEGORIES[code[0]]:
        raise CodeError(
            _("统一社会信用代码的登记管理部门代码或机构类别代码无效：%(prefix)s。") % {"prefix": code[:2]}
        )
    if not code[2:8].isdigit():
        raise CodeError(_("统一社会信用代码第3–8位应为行政区划代码。"))
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise CodeError(
            _("统一社会信用代码校验位错误：应为 %(expected)s，实际为 %(actual)s。")
            % {"expected": expected, "actual": code[17]}
        )
    org_code = code[8:17]
    if not all(ch in "0123456789ABCDEFGHJKLMNPQRTUWXY" for ch in org_code[:8]):
        raise CodeError(_("统一社会信用代码内含的组织机构代码无效。"))
    if org_code[8] != org_code_check_char(org_code[:8]):
        raise CodeError(_("统一社会信用代码内含的组织机构代码校验位错误。"))
    return code


def region_code_of(credit_code: str) -> str:
    return credit_code[2:8]


def make_credit_code(region_code: str, org_body: str, registration: str = "91") -> str:
    """Build a valid code from a registration prefix, a 6-digit region and an 8-character organisation body."""
    org_code = org_body + org_code_check_char(org_body)
    first17 = registration + region_code + org_code
    return first17 + credit_code_check_char(first17)


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
            % {"code": ord(char)}
        )
    return " ".join(text.split())


def check_bank_account(value: str) -> str:
    """A bank account number: 8–32 digits; spaces and hyphens between groups are dropped."""
    digits = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", str(value)))
    if digits and not re.fullmatch(r"\d{8,32}", digits):
        raise CodeError(_("银行账号应为 8–32 位数字。"))
    return digits
