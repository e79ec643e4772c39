"""查重 across Chinese and English by anchors: what a translation keeps verbatim.

A translator rewrites every word but keeps the figures: quantities of the targets ("样机 3 台" / "3 prototypes"),
variety and model numbers ("桂糖42号" / "Guitang No. 42"), codes ("GX-200", "5G"). Each sentence becomes one
feature — the sorted multiset of its anchors — so that a translation matches sentence by sentence in any order,
while two applications of one field (same crops, same places, same methods) share almost none. Small numbers
written out ("三台", "three prototypes") are read as digits; 1 is never an anchor ("一种" / "a method").

Features are hashed like shingles and scored the same way: boilerplate features (in more than 3 % of the corpus)
are dropped, every (new, past) pair is scored at once as a sparse product, and a pair in different languages is a
hit when the Jaccard of its features reaches `ANCHOR_MIN` with at least `ANCHOR_MIN_SHARED` features in common,
and is not far below the new text's best match (`RELATIVE_MIN`). The two thresholds were chosen on a tuning split
and measured on a held-out one (`bench/projects_cross.py`, docs/benchmarks.md).
Texts with fewer anchored sentences than that cannot be judged this way; the e5 path (`dedup.translation_hits`)
remains for them where vectors are stored.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

from kechuang.projects import dedup

ANCHOR_MIN = 0.40
ANCHOR_MIN_SHARED = 2
# a translation has one source (or several near-identical ones): a pair far below the new text's best match only
# shares a few common figures with it
RELATIVE_MIN = 0.6
_ABBREVIATIONS = re.compile(r"\b(no|nos|fig|approx|vs|etc|e\.g|i\.e|mr|dr|ltd|co)\.", re.IGNORECASE)
_SPLIT = re.compile(r"[。；！？!?;\n]+|\.(?:\s+|$)")
_ANCHOR = re.compile(r"[a-z]*\d+(?:\.\d+)?[a-z]*")
_CN_DIGIT = {"二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# a Chinese numeral counts only before a measure word, where a translation would write the number
_CN_NUMBER = re.compile(
    r"([二两三四五六七八九]?十[一二三四五六七八九]?|[二两三四五六七八九])(?=[台件项个名人套篇次号万千百亿株头只条座家所])"
)
_EN_UNITS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_EN_NUMBER = re.compile(
    r"\b(?:("
    + "|".join(_EN_TENS)
    + r")(?:[- ](one|"
    + "|".join(list(_EN_UNITS)[:8])
    + r"))?|("
    + "|".join(_EN_UNITS)
    + r"))\b"
)
_ONES = {"one": 1, **{k: v for k, v in _EN_UNITS.items() if v < 10}}


def _cn_value(numeral: str) -> int:
    if "十" not in numeral:
        return _CN_DIGIT[numeral]
    tens, _, ones = numeral.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def _en_value(match: re.Match) -> str:
    tens, ones, unit = match.groups()
    if unit:
        return str(_EN_UNITS[unit])
    return str(_EN_TENS[tens] + (_ONES[ones] if ones else 0))


def _digits(text: str) -> str:
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)  # 10,000 → 10000
    text = _CN_NUMBER.sub(lambda m: str(_cn_value(m.group(1))), text)
    return _EN_NUMBER.sub(_en_value, text)


def split(text: str) -> list[str]:
    """Sentences of the text as written ("No. 42" does not end one)."""
    protected = _ABBREVIATIONS.sub(lambda m: m.group(1) + "\u2024", text or "")
    return [p.replace("\u2024", ".").strip() for p in _SPLIT.split(protected) if p.strip()]


def anchors(sentence: str) -> tuple[str, ...]:
    """The sentence's anchors, sorted."""
    found = _ANCHOR.findall(_digits(dedup.normalise(sentence)))
    return tuple(sorted(a for a in found if a not in ("0", "1")))


def anchored_sentences(text: str) -> list[tuple[str, ...]]:
    """Each sentence's anchors (only sentences that have any)."""
    return [a for a in map(anchors, split(text)) if a]


def passages(a: str, b: str, *, limit: int = 3) -> list[tuple[str, str, float]]:
    """Sentence pairs of a text and its translation that carry the same figures (shown to the official)."""
    right: dict[tuple, str] = {}
    for sentence in split(b):
        right.setdefault(anchors(sentence), sentence)
    pairs = []
    for sentence in split(a):
        key = anchors(sentence)
        if key and key in right:
            pairs.append((sentence, right[key], float(len(key))))
    return sorted(pairs, key=lambda p: -p[2])[:limit]


def features(text: str) -> np.ndarray:
    """Sorted unique hashes of the sentences' anchor multisets."""
    found = {zlib.crc32(",".join(s).encode()) for s in anchored_sentences(text)}
    return np.array(sorted(found), dtype=np.uint64)


def build(ids: list, sets: list[np.ndarray], languages: list[str]) -> dedup.Corpus:
    """The anchor corpus (same structure and boilerplate rule as the shingle corpus)."""
    return dedup.build_from_sets(ids, sets, languages)


def hits(
    new_items, corpus: dedup.Corpus, *, threshold: float = ANCHOR_MIN, min_shared: int = ANCHOR_MIN_SHARED
) -> list[dedup.Hit]:
    """Pairs in different languages whose anchor features agree (a text never matches itself)."""
    new_items = list(new_items)
    out = []
    past_t = corpus.matrix.T.tocsc()
    past_lang = np.array(corpus.languages)
    for start in range(0, len(new_items), dedup.CHUNK):
        chunk = new_items[start : start + dedup.CHUNK]
        rows, sizes = dedup._incidence([features(t) for _, t in chunk], corpus.vocab, corpus.common)
        langs = np.array([dedup.language(t) for _, t in chunk])
        inter = (rows @ past_t).tocoo()
        union = sizes[inter.row] + corpus.sizes[inter.col] - inter.data
        score = inter.data / np.maximum(union, 1)
        keep = (score >= threshold) & (inter.data >= min_shared) & (langs[inter.row] != past_lang[inter.col])
        rows_k, cols_k, scores_k = inter.row[keep], inter.col[keep], score[keep]
        best = np.zeros(len(chunk))
        np.maximum.at(best, rows_k, scores_k)
        near = scores_k >= RELATIVE_MIN * best[rows_k]
        for r, c, value in zip(rows_k[near], cols_k[near], scores_k[near], strict=True):
            if corpus.ids[c] != chunk[r][0]:
                out.append(dedup.Hit(chunk[r][0], corpus.ids[c], "translation", round(float(value), 3)))
    return out
