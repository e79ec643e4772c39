"""The interface is translated, not left in Chinese or English, in every language the platform offers."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
CORE_STRINGS = [
    "机构登记",
    "登录",
    "退出",
    "数据导入",
    "后台任务",
    "审计日志",
    "导出 Excel",
    "统一社会信用代码",
    "查询",
]


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES if code != "zh-hans"])
def test_core_interface_strings_are_translated(code):
    with translation.override(code):
        for text in CORE_STRINGS:
            translated = translation.gettext(text)
            assert translated != text, f"{code}: {text!r} is not translated"
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in translated), (
                f"{code}: {translated!r} still has Chinese"
            )


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES if code != "zh-hans"])
def test_every_language_has_a_compiled_catalogue(code):
    directory = LOCALE / translation.to_locale(code) / "LC_MESSAGES"
    assert (directory / "django.po").exists() and (directory / "django.mo").exists()
    assert (directory / "django.mo").stat().st_size > 10_000
