"""Per-language tokenisation for keyword search. Everything runs offline with the dictionaries the packages ship.

zh-hans: jieba (search mode); th: pythainlp newmm; lo: laonlp; km: khmer-nltk; my: syllables + syllable bigrams;
Latin-script languages (en, vi, id, ms, fil): lowercase words, a few light suffix rules, stopwords dropped.
"""

import re
import threading
import unicodedata
from functools import lru_cache

LANGUAGES = ("zh-hans", "en", "vi", "th", "id", "ms", "fil", "km", "lo", "my")
LATIN = ("en", "vi", "id", "ms", "fil")

_lock = threading.Lock()
_SCRIPT_RANGES = {
    "zh-hans": [(0x4E00, 0x9FFF), (0x3400, 0x4DBF)],
    "th": [(0x0E00, 0x0E7F)],
    "lo": [(0x0E80, 0x0EFF)],
    "km": [(0x1780, 0x17FF), (0x19E0, 0x19FF)],
    "my": [(0x1000, 0x109F), (0xAA60, 0xAA7F)],
}
_VI_MARKS = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
STOPWORDS = {
    "en": {
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "for",
        "with",
        "to",
        "in",
        "on",
        "we",
        "our",
        "is",
        "are",
        "that",
        "this",
        "need",
        "needs",
        "looking",
        "seek",
        "seeking",
        "want",
        "by",
        "from",
        "as",
        "at",
        "be",
        "it",
        "its",
        "which",
    },
    "vi": {
        "và",
        "của",
        "cho",
        "các",
        "những",
        "có",
        "được",
        "là",
        "trong",
        "với",
        "để",
        "một",
        "chúng",
        "tôi",
        "cần",
        "này",
        "từ",
        "theo",
        "khi",
        "về",
        "ở",
        "đã",
        "sẽ",
        "không",
    },
    "id": {
        "yang",
        "dan",
        "untuk",
        "dengan",
        "di",
        "ke",
        "dari",
        "kami",
        "ini",
        "itu",
        "pada",
        "adalah",
        "atau",
        "dalam",
        "membutuhkan",
        "mencari",
        "akan",
        "tidak",
        "sebuah",
        "juga",
    },
    "ms": {
        "yang",
        "dan",
        "untuk",
        "dengan",
        "di",
        "ke",
        "dari",
        "daripada",
        "kami",
        "ini",
        "itu",
        "pada",
        "atau",
        "dalam",
        "memerlukan",
        "mencari",
        "akan",
        "tidak",
        "bagi",
        "juga",
    },
    "fil": {
        "ang",
        "ng",
        "sa",
        "mga",
        "para",
        "namin",
        "kailangan",
        "na",
        "at",
        "ay",
        "ko",
        "kami",
        "aming",
        "isang",
        "nang",
        "ito",
        "may",
        "upang",
        "hindi",
        "din",
        "rin",
    },
    "zh-hans": {
        "的",
        "了",
        "和",
        "与",
        "及",
        "在",
        "是",
        "我们",
        "需要",
        "一种",
        "用于",
        "进行",
        "以及",
        "对",
        "等",
        "中",
        "有",
        "为",
        "将",
        "可",
        "并",
        "或",
        "其",
        "该",
        "寻求",
        "希望",
        "，",
        "。",
        "、",
        "；",
        "：",
    },
}
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_MY_SYLLABLE = re.compile(r"(?:(?<!္)[က-ဪဿ၀-၉၌-၏ၐ-ၕ](?![်္])|[a-zA-Z0-9])")


def script_shares(text: str) -> dict[str, float]:
    """Share of letters per script-language ("latin" for Latin letters); Han characters weigh 3 letters."""
    counts: dict[str, float] = {}
    for ch in text:
        cp = ord(ch)
        for lang, ranges in _SCRIPT_RANGES.items():
            if any(lo <= cp <= hi for lo, hi in ranges):
                counts[lang] = counts.get(lang, 0) + (3 if lang == "zh-hans" else 1)
                break
        else:
            if ch.isalpha() and cp < 0x2000:
                counts["latin"] = counts.get("latin", 0) + 1
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items()} if total else {}


def script_language(text: str) -> str | None:
    """The language a non-Latin script implies (by majority of letters), or None for Latin/other text."""
    counts: dict[str, int] = {}
    latin = 0
    for ch in text:
        cp = ord(ch)
        for lang, ranges in _SCRIPT_RANGES.items():
            if any(lo <= cp <= hi for lo, hi in ranges):
                counts[lang] = counts.get(lang, 0) + 1
                break
        else:
            if ch.isalpha() and cp < 0x2000:
                latin += 1
    if not counts:
        return None
    lang, n = max(counts.items(), key=lambda kv: kv[1])
    # Chinese characters count for more than one Latin letter each.
    weight = 3 if lang == "zh-hans" else 1
    return lang if n * weight >= latin else None


def detect_language(text: str, hint: str | None = None) -> str:
    """Best guess among LANGUAGES: the script first, then Vietnamese diacritics, then a word and character
    model of en/vi/id/ms/fil trained on the project's catalogues (`langid.py`); the hint breaks near-ties."""
    lang = script_language(text)
    if lang:
        return lang
    lowered = text.lower()
    if sum(1 for ch in lowered if ch in _VI_MARKS) >= 2:
        return "vi"
    from kechuang.techmarket.search import langid

    guessed = langid.guess(text, hint=hint if hint in LATIN and hint != "vi" else None)
    if guessed:
        return guessed
    return hint if hint in LATIN else "en"


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def _thai():
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


@lru_cache(maxsize=1)
def _lao():
    from laonlp.tokenize import word_tokenize

    return word_tokenize


@lru_cache(maxsize=1)
def _khmer():
    import logging

    logging.getLogger("khmer-nltk").setLevel(logging.WARNING)
    from khmernltk import word_tokenize

    return word_tokenize


def _latin_stem(word: str, lang: str) -> str:
    if lang == "en" and len(word) > 4:
        for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)] + repl
    if lang in ("id", "ms") and len(word) > 6:
        for suffix in ("kan", "nya", "an"):
            if word.endswith(suffix):
                return word[: -len(suffix)]
    return word


def _clean(tokens, lang):
    stop = STOPWORDS.get(lang, set())
    out = []
    for tok in tokens:
        tok = tok.strip().lower()
        if not tok or tok in stop or not any(ch.isalnum() for ch in tok):
            continue
        out.append(tok)
    return out


def _burmese(text: str) -> list[str]:
    """Burmese has no spaces between words: index syllables and syllable bigrams."""
    syllables = []
    for chunk in re.split(r"[\s\u104a\u104b,.;:!?()]+", text):
        if not chunk:
            continue
        bounds = [m.start() for m in _MY_SYLLABLE.finditer(chunk)]
        if not bounds or bounds[0] != 0:
            bounds = [0, *bounds]
        parts = [chunk[a:b] for a, b in zip(bounds, [*bounds[1:], len(chunk)], strict=False)]
        syllables.append([p for p in parts if p.strip()])
    tokens = []
    for sylls in syllables:
        tokens.extend(sylls)
        tokens.extend(a + b for a, b in zip(sylls, sylls[1:], strict=False))
    return tokens


def _segments(text: str):
    """Split mixed text into runs of (language-of-script or None, run)."""
    run, run_lang = [], None
    for ch in text:
        lang = script_language(ch) if ch.isalpha() or unicodedata.category(ch).startswith("M") else run_lang
        if ch.isspace() or not (ch.isalnum() or unicodedata.category(ch).startswith("M")):
            lang = run_lang
        if lang != run_lang and run:
            yield run_lang, "".join(run)
            run = []
        run_lang = lang
        run.append(ch)
    if run:
        yield run_lang, "".join(run)


def tokenize(text: str, lang: str | None = None) -> list[str]:
    """Tokens for BM25. Mixed-language text is split by script and each run tokenised with its own rules."""
    text = unicodedata.normalize("NFC", text or "")
    if not text.strip():
        return []
    lang = lang if lang in LANGUAGES else detect_language(text)
    latin_lang = lang if lang in LATIN else "en"
    tokens: list[str] = []
    for run_lang, run in _segments(text):
        if run_lang is None:
            words = [_latin_stem(w, latin_lang) for w in _clean(_WORD.findall(run.lower()), latin_lang)]
            tokens.extend(words)
            if latin_lang == "vi":  # Vietnamese writes one syllable per space: add syllable bigrams for words
                tokens.extend(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False))
        elif run_lang == "zh-hans":
            with _lock:
                words = list(_jieba().cut_for_search(run))
            tokens.extend(_clean(words, "zh-hans"))
        elif run_lang == "th":
            tokens.extend(_clean(_thai()(run, engine="newmm", keep_whitespace=False), "th"))
        elif run_lang == "lo":
            tokens.extend(_clean(_lao()(run), "lo"))
        elif run_lang == "km":
            tokens.extend(_clean(_khmer()(run), "km"))
        elif run_lang == "my":
            tokens.extend(_clean(_burmese(run), "my"))
    return tokens
