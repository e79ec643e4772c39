"""The multilingual technical glossary (`glossary.tsv`): which of its concepts a text names, in its language.

The small e5 encoder does not know that Khmer ស្វាយ, Lao ໝາກມ່ວງ and Chinese 芒果 are the same fruit (issue 11:
"mango" in Khmer sits as close to 荔枝 as to 芒果). The glossary does: each concept lists its terms in zh-hans, en
and the nine ASEAN languages, so a query and a listing written in different languages can be seen to name the
same concepts. Matching is literal: word-bounded and case-folded for Latin-script languages (a term written with
capitals, like "AI" or "IoT", must match its case, so Vietnamese "ai" is not artificial intelligence), substring
for scripts written without spaces (zh, th, lo, km, my). At each position the longest term wins, so Thai
ข้าวโพด (maize) is not also ข้าว (rice).
"""

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

COLUMNS = ("zh-hans", "en", "vi", "th", "id", "ms", "fil", "km", "lo", "my")
LATIN = {"en", "vi", "id", "ms", "fil"}
# languages whose terms are also looked for in a text of a given language: English terms turn up everywhere
# (IoT, PCR, 5G), and Indonesian and Malay share most technical words but are easily told apart wrongly
ALSO = {"id": ("ms",), "ms": ("id",)}
# in text written without spaces a two-letter term is mostly part of other words (Thai ชา "tea" in ชาวนา
# "farmers", Khmer តែ "tea" is also "but"); Chinese characters are morphemes and stay
MIN_UNSPACED = 3


# signs that join the next consonant below the previous one (Khmer coeng, Burmese and Thai/Lao viramas): a word
# cannot start right after one
_JOINERS = {"\u17d2", "\u1039", "\u0e3a", "\u0eba"}


def _inside_cluster(text: str, start: int, end: int) -> bool:
    """A match in unspaced script that starts on a subscript consonant or ends before a combining mark cuts a
    syllable in two: Khmer ចេក "banana" inside បច្ចេកវិទ្យា "technology" is no banana."""
    if start > 0 and text[start - 1] in _JOINERS:
        return True
    return end < len(text) and (unicodedata.category(text[end]) in ("Mn", "Mc") or text[end] in _JOINERS)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text)


class Glossary:
    def __init__(self, entries: list[tuple[str, dict[str, list[str]]]]):
        self.concepts = [name for name, _ in entries]
        self._patterns: dict[str, list[tuple[re.Pattern, dict[str, str]]]] = {}
        self._first = {
            (name, lang): terms[lang][0] for name, terms in entries for lang in terms if terms[lang]
        }
        for lang in COLUMNS:
            folded: dict[str, str] = {}
            exact: dict[str, str] = {}
            for name, terms in entries:
                for term in terms.get(lang, []):
                    term = _norm(term.strip())
                    if not term or (lang not in LATIN and lang != "zh-hans" and len(term) < MIN_UNSPACED):
                        continue
                    if lang in LATIN and term != term.lower():
                        exact.setdefault(term, name)
                    else:
                        folded.setdefault(term.lower(), name)
            compiled = []
            for table, flags in ((folded, re.IGNORECASE), (exact, 0)):
                if not table:
                    continue
                alternation = "|".join(re.escape(t) for t in sorted(table, key=len, reverse=True))
                pattern = rf"(?<!\w)(?:{alternation})(?!\w)" if lang in LATIN else f"(?:{alternation})"
                lookup = table if flags == 0 else {t.lower(): n for t, n in table.items()}
                compiled.append((re.compile(pattern, flags), lookup))
            self._patterns[lang] = compiled

    def terms_of(self, concepts, languages=("zh-hans", "en")) -> list[str]:
        """The first term of each concept in each of `languages` (a query's concepts spelt as listings are)."""
        return [
            self._first[(c, lang)] for c in sorted(concepts) for lang in languages if (c, lang) in self._first
        ]

    def concepts_in(self, text: str, language: str) -> set[str]:
        """Concepts named in `text`, read as `language` (plus English, and id/ms both ways)."""
        text = _norm(text or "")
        found: set[str] = set()
        for lang in dict.fromkeys((language, *ALSO.get(language, ()), "en")):
            for pattern, lookup in self._patterns.get(lang, ()):
                for match in pattern.finditer(text):
                    if lang not in LATIN and lang != "zh-hans" and _inside_cluster(text, *match.span()):
                        continue
                    name = lookup.get(match.group(0)) or lookup.get(match.group(0).lower())
                    if name:
                        found.add(name)
        return found


def read(path: Path) -> list[tuple[str, dict[str, list[str]]]]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        name, columns = cells[0], cells[2:]
        entries.append(
            (
                name,
                {
                    lang: [t for t in cell.split("|") if t.strip()]
                    for lang, cell in zip(COLUMNS, columns, strict=False)
                },
            )
        )
    return entries


@lru_cache(maxsize=1)
def bundled() -> Glossary:
    return Glossary(read(Path(__file__).with_name("glossary.tsv")))
