"""The one rule for which language row a reader sees."""

from dataclasses import dataclass

from kechuang.translations import pick_translation


@dataclass(eq=False)
class Row:
    language: str
    trusted: bool = True


def test_the_reader_language_written_by_a_person_comes_first():
    zh, en, vi = Row("zh-hans"), Row("en"), Row("vi")
    assert pick_translation([zh, en, vi], "vi", fallbacks=("en",), original=zh) is vi


def test_a_person_written_fallback_language_beats_a_machine_translation():
    zh, en, th = Row("zh-hans"), Row("en"), Row("th", trusted=False)
    assert pick_translation([zh, en, th], "th", fallbacks=("en",), original=zh) is en
    assert pick_translation([zh, th], "th", fallbacks=("en",), original=zh) is th  # nothing better exists


def test_without_fallbacks_the_original_follows_the_reader_language():
    original, en = Row("zh-hans"), Row("en")
    assert pick_translation([en], "vi", original=original) is original
    assert pick_translation([en], "EN", original=original) is en  # language codes compared in lower case
    assert pick_translation([en], "zh-hans", original=original) is original


def test_nothing_at_all_is_none_and_no_original_means_the_first_row():
    assert pick_translation([], "en") is None
    first = Row("km", trusted=False)
    assert pick_translation([first, Row("lo", trusted=False)], "vi") is first
