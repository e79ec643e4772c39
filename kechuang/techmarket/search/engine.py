"""Hybrid search: BM25 per language + dense e5 vectors, fused by reciprocal rank, grouped per listing.

Documents are text rows (one per listing and language) identified by an integer key; a listing is found when
any of its rows is. The engine is pure Python/numpy so the evaluation harness and the benchmark use exactly the
code the site uses.
"""

from dataclasses import dataclass, field

import numpy as np

from kechuang.techmarket.search import dense
from kechuang.techmarket.search.bm25 import BM25Index
from kechuang.techmarket.search.fusion import rrf
from kechuang.techmarket.search.sparse import SparseIndex
from kechuang.techmarket.search.tokenize import detect_language, tokenize
from kechuang.techmarket.search.vectors import VectorStore

MODES = ("keyword", "dense", "sparse", "hybrid")
SPARSE_WEIGHT = 0.5  # RRF weight of the latent-term ranking in hybrid mode
MAX_QUERY_CHARS = 1000


@dataclass
class Hit:
    listing_id: int
    score: float
    keyword_rank: int | None = None
    dense_rank: int | None = None
    similarity: float | None = None
    terms: list[str] = field(default_factory=list)
    language: str = ""


@dataclass
class Doc:
    listing_id: int
    language: str


PARTS = 4  # vector key = row key * PARTS + part: 0 = title + text, 1 = title alone


class HybridSearcher:
    """`centering` removes each language's mean vector (query side by the query's language, passage side by
    the row's language); vectors are stored already centred."""

    def __init__(
        self,
        vectors: VectorStore | None = None,
        *,
        rrf_k: int = 60,
        candidates: int = 50,
        centering: dense.Centering | None = None,
        min_coverage: float = 0.5,
    ):
        self.bm25 = BM25Index()
        self.sparse = SparseIndex()
        self.vectors = vectors if vectors is not None else VectorStore(use_ann=False)
        self.centering = centering if centering is not None else dense.Centering.bundled()
        self.docs: dict[int, Doc] = {}
        self.rows_of: dict[int, set[int]] = {}
        self.rrf_k = rrf_k
        self.min_coverage = min_coverage
        self.candidates = candidates

    def __len__(self):
        return len(self.rows_of)

    # --- indexing -----------------------------------------------------------------------------------------
    def add_text(
        self, key: int, listing_id: int, language: str, text: str, tokens: list[str] | None = None
    ) -> None:
        self.docs[key] = Doc(listing_id, language)
        self.rows_of.setdefault(listing_id, set()).add(key)
        self.bm25.add(key, tokens if tokens is not None else tokenize(text, language))

    def add_vectors(self, keys, vectors, titles=None, threads: int = 0, centred: bool = False):
        """Raw passage vectors of rows `keys` (title + text) and optionally of their titles alone."""
        keys = list(keys)
        groups: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            groups.setdefault(self.docs[key].language if key in self.docs else "", []).append(i)
        for part, vecs in ((0, vectors), (1, titles)):
            if vecs is None:
                continue
            vecs = np.asarray(vecs, dtype=np.float32).reshape(len(keys), -1)
            if not centred:
                vecs = vecs.copy()
                for lang, idx in groups.items():
                    vecs[idx] = self.centering.apply(vecs[idx], lang, "passage")
            self.vectors.add([k * PARTS + part for k in keys], vecs, threads=threads)

    def add_sparse(self, keys, items) -> None:
        """Latent-term vectors [(indices, weights)] of rows `keys` (title + text)."""
        for key, (idx, val) in zip(keys, items, strict=True):
            self.sparse.add(key, idx, val)

    def vector_keys(self, keys):
        return [k * PARTS + p for k in keys for p in range(2)]

    def remove_listing(self, listing_id: int) -> None:
        keys = self.rows_of.pop(listing_id, set())
        for key in keys:
            self.docs.pop(key, None)
            self.bm25.remove(key)
            self.sparse.remove(key)
        if keys:
            self.vectors.remove(self.vector_keys(keys))

    # --- querying -----------------------------------------------------------------------------------------
    def _group(self, row_hits, allowed) -> list[tuple[int, float, int]]:
        """Row hits (key, score) → listing hits (listing, best score, key of best row), best first."""
        seen: dict[int, tuple[float, int]] = {}
        for key, score in row_hits:
            doc = self.docs.get(key)
            if doc is None or (allowed is not None and doc.listing_id not in allowed):
                continue
            if doc.listing_id not in seen:
                seen[doc.listing_id] = (score, key)
        return [(lid, s, key) for lid, (s, key) in seen.items()]

    def keyword(self, tokens, allowed=None, k=None, min_coverage=0.0):
        """Keyword hits; in hybrid mode only those covering enough of the query count (a lone shared word
        between a Vietnamese query and an English row is not evidence)."""
        k = k or self.candidates
        depth = k * 2 if allowed is None else max(k * 4, 2000)
        hits = [(key, s) for key, s, cov in self.bm25.search(tokens, depth) if cov >= min_coverage]
        return self._group(hits, allowed)[:k]

    def dense(self, query_vector, allowed=None, k=None):
        k = k or self.candidates
        allowed_rows = None
        if allowed is not None:
            allowed_rows = np.fromiter(
                (r * PARTS + p for lid in allowed for r in self.rows_of.get(lid, ()) for p in range(2)),
                dtype=np.int64,
            )
        hits = self.vectors.search(query_vector, k * 3, allowed_rows)
        return self._group([(key // PARTS, s) for key, s in hits], allowed)[:k]

    def sparse_hits(self, query_sparse, allowed=None, k=None):
        k = k or self.candidates
        depth = k * 2 if allowed is None else max(k * 4, 2000)
        return self._group(self.sparse.search(query_sparse[0], query_sparse[1], depth), allowed)[:k]

    def search(
        self,
        query: str,
        *,
        language: str | None = None,
        k: int = 10,
        mode: str = "hybrid",
        query_vector: np.ndarray | None = None,
        query_sparse=None,
        allowed: set[int] | None = None,
        explain: bool = True,
    ) -> list[Hit]:
        if mode not in MODES:
            raise ValueError(mode)
        query = (query or "")[:MAX_QUERY_CHARS]
        if not query.strip():
            return []
        language = detect_language(query, hint=language)
        kw, dn, sp = [], [], []
        tokens = tokenize(query, language)
        if mode in ("keyword", "hybrid"):
            kw = self.keyword(tokens, allowed, min_coverage=self.min_coverage if mode == "hybrid" else 0.0)
        if mode in ("dense", "hybrid"):
            if query_vector is None:
                query_vector = dense.embed_query(query)
            query_vector = self.centering.apply(query_vector, language, "query")
            dn = self.dense(query_vector, allowed)
        if mode in ("sparse", "hybrid") and len(self.sparse):
            if query_sparse is None:
                query_sparse = dense.embed_sparse([query])[0]
            sp = self.sparse_hits(query_sparse, allowed)
        kw_rank = {lid: i for i, (lid, _, _) in enumerate(kw, 1)}
        dn_rank = {lid: i for i, (lid, _, _) in enumerate(dn, 1)}
        sim = {lid: s for lid, s, _ in dn}
        best_row = {lid: key for lid, _, key in sp}
        best_row.update({lid: key for lid, _, key in dn})
        best_row.update({lid: key for lid, _, key in kw})
        if mode == "keyword":
            fused = [(lid, s) for lid, s, _ in kw]
        elif mode == "dense":
            fused = [(lid, s) for lid, s, _ in dn]
        elif mode == "sparse":
            fused = [(lid, s) for lid, s, _ in sp]
        else:
            fused = rrf(
                [[lid for lid, _, _ in kw], [lid for lid, _, _ in dn], [lid for lid, _, _ in sp]],
                k=self.rrf_k,
                weights=[1.0, 1.0, SPARSE_WEIGHT],
            )
        hits = []
        for lid, score in fused[:k]:
            key = best_row.get(lid)
            hit = Hit(
                lid,
                float(score),
                kw_rank.get(lid),
                dn_rank.get(lid),
                sim.get(lid),
                language=self.docs[key].language if key in self.docs else "",
            )
            if explain and lid in kw_rank:
                hit.terms = self.bm25.matched_terms(key, tokens)[:8]
            hits.append(hit)
        return hits
