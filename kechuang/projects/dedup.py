"""查重: near-duplicate detection of applications against past and current ones, in Chinese and English.

Two signals:
- **shingles** for same-language copies and rewordings: a text becomes a stream of tokens (each CJK character,
  each Latin word), shingled into token bigrams; boilerplate shingles (in more than 3 % of the corpus: "本项目",
  "关键技术", the call guide's wording) are dropped, and the exact Jaccard of the remaining sets decides
  (≥ `JACCARD_MIN`). All pairs are scored at once as a sparse product (new × corpus) of shingle incidence
  matrices, in chunks; only pairs sharing a rare shingle cost anything.
- **multilingual e5 embeddings** for translations: only pairs in different languages are compared, on vectors
  centred per language (`techmarket.search.dense.Centering`); a pair counts when its cosine is high and clearly
  above the new text's next-best candidate (a margin), because unrelated texts of one field already sit close.

For each hit the similar passages (sentence pairs) are returned so that the official sees what was copied.
Embeddings are slow on this hardware; callers pass precomputed vectors of past applications when they have them.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

JACCARD_MIN = 0.16
COMMON_FRACTION = (
    0.03  # shingles in more than 3 % of the corpus (and at least COMMON_MIN_DOCS) are boilerplate
)
COMMON_MIN_DOCS = 50
COSINE_MIN = 0.40
MARGIN_MIN = 0.02
CHUNK = 500
_TOKEN = re.compile(r"[\u3400-\u9fff]|[a-z0-9]+")
_SENTENCE = re.compile(r"[^。；！？!?;\n]+(?:[。；！？!?;]|\.(?:\s|$)|$)")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "to",
        "in",
        "for",
        "on",
        "with",
        "by",
        "is",
        "are",
        "be",
        "as",
        "at",
        "from",
        "this",
        "that",
        "its",
        "into",
    ]
)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(normalise(text)) if t not in _STOP]


def language(text: str) -> str:
    toks = _TOKEN.findall(normalise(text))
    cjk = sum(1 for t in toks if "\u3400" <= t[0] <= "\u9fff")
    return "zh-hans" if cjk * 2 >= len(toks) else "en"


def shingles(text: str) -> np.ndarray:
    """The sorted unique 32-bit hashes of the text's token bigrams."""
    toks = tokens(text)
    grams = ["\x1f".join(toks[i : i + 2]) for i in range(max(len(toks) - 1, 1))] if toks else []
    return np.unique(np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint64, count=len(grams)))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if a.size == 0 or b.size == 0:
        return 0.0
    inter = np.intersect1d(a, b, assume_unique=True).size
    return inter / (a.size + b.size - inter)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text or "") if s.strip()]


@dataclass
class Corpus:
    """Indexed texts: rare-shingle incidence matrix, languages and (optionally) e5 vectors."""

    ids: list
    texts: list[str]
    languages: list[str]
    vocab: np.ndarray  # sorted rare shingle hashes
    common: np.ndarray  # sorted boilerplate shingle hashes
    matrix: sparse.csr_matrix  # docs × vocab, 0/1
    sizes: np.ndarray  # rare shingles per doc
    vectors: np.ndarray | None = None

    def rows(self, texts: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """Incidence rows of other texts over this corpus's vocabulary, and their rare-shingle counts."""
        return _incidence([shingles(t) for t in texts], self.vocab, self.common)


def _incidence(sets, vocab, common):
    indptr, indices, sizes = [0], [], []
    for sh in sets:
        rare = np.setdiff1d(sh, common, assume_unique=True)
        sizes.append(rare.size)
        pos = np.searchsorted(vocab, rare)
        found = pos < vocab.size
        found[found] = vocab[pos[found]] == rare[found]
        pos = pos[found]
        indices.append(pos)
        indptr.append(indptr[-1] + pos.size)
    data_indices = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64)
    matrix = sparse.csr_matrix(
        (np.ones(data_indices.size, dtype=np.int32), data_indices, np.array(indptr)),
        shape=(len(sets), vocab.size),
    )
    return matrix, np.array(sizes, dtype=np.int32)


def build(items) -> Corpus:
    items = list(items)
    sets = [shingles(text) for _, text in items]
    allsh = np.concatenate(sets) if sets else np.zeros(0, dtype=np.uint64)
    values, counts = np.unique(allsh, return_counts=True)
    limit = max(COMMON_MIN_DOCS, COMMON_FRACTION * len(items))
    common, vocab = values[counts > limit], values[counts <= limit]
    matrix, sizes = _incidence(sets, vocab, common)
    return Corpus(
        ids=[i for i, _ in items],
        texts=[t for _, t in items],
        languages=[language(t) for _, t in items],
        vocab=vocab,
        common=common,
        matrix=matrix,
        sizes=sizes,
    )


def embed(texts: list[str], languages: list[str]) -> np.ndarray:
    """Centred, normalised e5 passage vectors."""
    from kechuang.techmarket.search.dense import Centering, embed_passages

    vectors = embed_passages(texts)
    centering = Centering.bundled()
    out = np.empty_like(vectors)
    for lang in set(languages):
        rows = [i for i, code in enumerate(languages) if code == lang]
        out[rows] = centering.apply(vectors[rows], lang, "passage")
    return out


@dataclass
class Hit:
    new: object
    past: object
    kind: str  # "shingles" or "translation"
    score: float
    passages: list[tuple[str, str]] = field(default_factory=list)


def shingle_hits(new_items, corpus: Corpus, *, threshold: float = JACCARD_MIN) -> list[Hit]:
    """Every (new, corpus) pair whose Jaccard on rare shingles reaches the threshold (a text never matches itself)."""
    new_items = list(new_items)
    hits = []
    past_t = corpus.matrix.T.tocsc()
    for start in range(0, len(new_items), CHUNK):
        chunk = new_items[start : start + CHUNK]
        rows, sizes = corpus.rows([t for _, t in chunk])
        inter = (rows @ past_t).tocoo()
        union = sizes[inter.row] + corpus.sizes[inter.col] - inter.data
        score = inter.data / np.maximum(union, 1)
        keep = score >= threshold
        for r, c, value in zip(inter.row[keep], inter.col[keep], score[keep], strict=True):
            if corpus.ids[c] != chunk[r][0]:
                hits.append(Hit(chunk[r][0], corpus.ids[c], "shingles", round(float(value), 3)))
    return hits


def translation_hits(new_items, new_vectors: np.ndarray, corpus: Corpus) -> list[Hit]:
    """Pairs in different languages whose centred cosine is high and clearly ahead of the runner-up."""
    if corpus.vectors is None or not len(new_items):
        return []
    past_lang = np.array(corpus.languages)
    hits = []
    scores = new_vectors @ corpus.vectors.T
    for row, (ident, text) in enumerate(new_items):
        other = past_lang != language(text)
        if not other.any():
            continue
        s = np.where(other, scores[row], -1.0)
        top2 = np.argsort(-s)[:2]
        best = float(s[top2[0]])
        runner = float(s[top2[1]]) if len(top2) > 1 else -1.0
        if best >= COSINE_MIN and best - runner >= MARGIN_MIN:
            hits.append(Hit(ident, corpus.ids[top2[0]], "translation", round(best, 3)))
    return hits


def similar_passages(
    a: str, b: str, *, limit: int = 3, threshold: float = 0.3
) -> list[tuple[str, str, float]]:
    """The sentence pairs of two same-language texts with the highest shingle overlap."""
    sa, sb = sentences(a), sentences(b)
    ha, hb = [shingles(s) for s in sa], [shingles(s) for s in sb]
    pairs = []
    for i, x in enumerate(ha):
        best = max(((jaccard(x, y), j) for j, y in enumerate(hb)), default=(0.0, -1))
        if best[0] >= threshold:
            pairs.append((sa[i], sb[best[1]], round(best[0], 3)))
    return sorted(pairs, key=lambda p: -p[2])[:limit]


def similar_passages_across(a: str, b: str, *, limit: int = 3) -> list[tuple[str, str, float]]:
    """Sentence pairs of a text and its translation, matched on e5 vectors (only for hits: it embeds)."""
    sa, sb = sentences(a)[:20], sentences(b)[:20]
    if not sa or not sb:
        return []
    va = embed(sa, [language(s) for s in sa])
    vb = embed(sb, [language(s) for s in sb])
    scores = va @ vb.T
    pairs = [(sa[i], sb[int(scores[i].argmax())], round(float(scores[i].max()), 3)) for i in range(len(sa))]
    return sorted(pairs, key=lambda p: -p[2])[:limit]


def build_from_sets(ids: list, sets: list[np.ndarray], languages: list[str]) -> Corpus:
    """A corpus from stored shingle sets (the persisted index): no text is tokenised again."""
    allsh = np.concatenate(sets) if sets else np.zeros(0, dtype=np.uint64)
    values, counts = np.unique(allsh, return_counts=True)
    limit = max(COMMON_MIN_DOCS, COMMON_FRACTION * len(sets))
    common, vocab = values[counts > limit], values[counts <= limit]
    matrix, sizes = _incidence(sets, vocab, common)
    return Corpus(
        ids=list(ids),
        texts=[],
        languages=list(languages),
        vocab=vocab,
        common=common,
        matrix=matrix,
        sizes=sizes,
    )


def pack(values: np.ndarray) -> bytes:
    return np.ascontiguousarray(values, dtype="<u8").tobytes()


def unpack(data) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<u8").astype(np.uint64)
