"""Telling the Latin-script languages apart (en, vi, id, ms, fil): a naive-Bayes model over words and character
trigrams, trained at first use on the project's own gettext catalogues (the same interface text in every
language — parallel text, so no language is favoured by having more of it).

Indonesian and Malay share most function words; their catalogues differ where the languages do (perusahaan /
syarikat, membutuhkan / memerlukan, biaya / kos, dari / daripada ...), which is what the words carry here.
"""

import math
import re
import threading
from collections import Counter
from pathlib import Path

LATIN = ("en", "vi", "id", "ms", "fil")
LOCALE_DIR = Path(__file__).resolve().parents[3] / "locale"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")
# Words that are everyday Indonesian but not Malay, or the reverse (general vocabulary, not the catalogues');
# each present adds LEXICON_WEIGHT nats to its language.
LEXICON = {
    "id": {
        "perusahaan",
        "pabrik",
        "membutuhkan",
        "butuh",
        "biaya",
        "mutu",
        "kualitas",
        "mitra",
        "penyedia",
        "energi",
        "lingkungan",
        "tiongkok",
        "ekspor",
        "bisa",
        "uang",
        "kantor",
        "karena",
        "saja",
        "mobil",
        "otomatis",
        "produksi",
        "daur",
        "ulang",
        "limbah",
        "pupuk",
        "baterai",
        "layanan",
        "informasi",
        "manajemen",
        "pemeliharaan",
        "pemerintah",
    },
    "ms": {
        "syarikat",
        "kilang",
        "memerlukan",
        "kos",
        "kualiti",
        "rakan",
        "kongsi",
        "berminat",
        "bekerjasama",
        "tenaga",
        "daripada",
        "pengeluaran",
        "piawaian",
        "sekitar",
        "eksport",
        "kerana",
        "boleh",
        "wang",
        "pejabat",
        "kerajaan",
        "automatik",
        "kitar",
        "semula",
        "sisa",
        "baja",
        "bateri",
        "jentera",
        "perkhidmatan",
        "maklumat",
        "pengurusan",
        "penyelenggaraan",
    },
}
LEXICON_WEIGHT = 4.0
NB_SCALE = 0.2  # a word's trigrams are far from independent: naive Bayes over-counts them
_lock = threading.Lock()
_model = None


def _features(text: str) -> list[str]:
    out = []
    for word in _WORD.findall(text.lower()):
        out.append("w:" + word)
        padded = f" {word} "
        out.extend("c:" + padded[i : i + 3] for i in range(len(padded) - 2))
    return out


def _catalogue_texts(lang: str) -> list[str]:
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return []
    with path.open("rb") as f:
        catalog = read_po(f)
    texts = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        texts.extend(_PLACEHOLDER.sub(" ", s) for s in strings if s)
    return texts


class Model:
    def __init__(self, counts: dict[str, Counter]):
        self.langs = [lang for lang in LATIN if counts.get(lang)]
        vocab = set().union(*(counts[lang] for lang in self.langs)) if self.langs else set()
        self.log_p, self.unseen = {}, {}
        for lang in self.langs:
            total = sum(counts[lang].values()) + len(vocab) + 1
            self.log_p[lang] = {f: math.log((n + 1) / total) for f, n in counts[lang].items()}
            self.unseen[lang] = math.log(1 / total)

    def scores(self, text: str) -> dict[str, float]:
        feats = [f for f in _features(text) if any(f in self.log_p[lang] for lang in self.langs)]
        words = set(_WORD.findall(text.lower()))
        return {
            lang: NB_SCALE * sum(self.log_p[lang].get(f, self.unseen[lang]) for f in feats)
            + LEXICON_WEIGHT * len(words & LEXICON.get(lang, set()))
            for lang in self.langs
        }


def model() -> Model:
    global _model
    with _lock:
        if _model is None:
            counts = {}
            for lang in LATIN:
                c = Counter()
                for text in _catalogue_texts(lang):
                    c.update(_features(text))
                counts[lang] = c
            _model = Model(counts)
        return _model


def guess(text: str, hint: str | None = None, margin: float = 2.0) -> str | None:
    """The most likely Latin-script language, or None without evidence. A hint wins unless another language is
    clearly (by `margin` nats) more likely."""
    scores = model().scores(text)
    if not scores or len(set(scores.values())) <= 1:
        return hint if hint in LATIN else None
    best = max(scores, key=scores.get)
    if hint in scores and scores[hint] >= scores[best] - margin:
        return hint
    return best
