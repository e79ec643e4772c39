"""Parallel text for cross-language alignment: the project's own gettext catalogues.

Every interface string exists in all ten languages (msgid in Chinese, msgstr in the others), which makes
sentence pairs on this platform's own subjects (listings, reviews, subsidies, contracts) — more, and closer to
the domain, than the 15 hand-written sentences per language of `calibration.py`. Used to estimate the
per-language mean vectors (`Centering`) and, for each language, an orthogonal (Procrustes) map of its query
vectors onto the Chinese passage vectors of the same strings.
"""

import random
import re
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[3] / "locale"
CATALOGUE_LANGS = {
    "zh-hans": "zh_Hans",
    "en": "en",
    "vi": "vi",
    "th": "th",
    "id": "id",
    "ms": "ms",
    "fil": "fil",
    "km": "km",
    "lo": "lo",
    "my": "my",
}
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}|<[^>]+>")


def _read(lang: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / CATALOGUE_LANGS[lang] / "LC_MESSAGES" / "django.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    out = {}
    for message in catalog:
        if isinstance(message.id, str) and isinstance(message.string, str) and message.string:
            out[message.id] = _PLACEHOLDER.sub(" ", message.string).strip()
    return out


def parallel_sentences(n: int = 120, min_chars: int = 8, seed: int = 11) -> dict[str, list[str]]:
    """{language: [sentence]} aligned by position: n Chinese interface strings of at least `min_chars`
    characters that every catalogue translates, and their translations."""
    catalogues = {lang: _read(lang) for lang in CATALOGUE_LANGS if lang != "zh-hans"}
    ids = sorted(
        msgid
        for msgid in set.intersection(*(set(c) for c in catalogues.values()))
        if len(_PLACEHOLDER.sub("", msgid)) >= min_chars
    )
    chosen = random.Random(seed).sample(ids, min(n, len(ids)))
    out = {"zh-hans": [_PLACEHOLDER.sub(" ", m).strip() for m in chosen]}
    for lang, catalogue in catalogues.items():
        out[lang] = [catalogue[m] for m in chosen]
    return out
