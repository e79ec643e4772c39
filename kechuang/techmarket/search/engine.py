"""Hybrid search: BM25 per language + dense e5 vectors, fused by reciprocal rank, grouped per listing.

Documents are text rows (one per listing and language) identified by an integer key; a listing is found when
any of its rows is. The engine is pure Python/numpy so the evaluation harness and the benchmark use exactly the
code the site uses.
"""

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kechuang.techmarket.search import dense
from kechuang.techmarket.search import glossary as glossary_module
from kechuang.techmarket.search.bm25 import BM25Index, load_bm25, save_bm25
from kechuang.techmarket.search.fusion import rrf
from kechuang.techmarket.search.sparse import SparseIndex, load_sparse, save_sparse
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
    confidence: float | None = None


@dataclass
class Doc:
    listing_id: int
    language: str
    kind: str = ""


def load_params() -> dict:
    """Fusion weights and the confidence temperature, learned on the evaluation's tuning part
    (`python -m kechuang.techmarket.eval.market_harness tune`) and shipped as `params.json`."""
    path = Path(__file__).with_name("params.json")
    try:
        return {**DEFAULT_PARAMS, **json.loads(path.read_text())}
    except (OSError, ValueError):
        return dict(DEFAULT_PARAMS)


HUB_K = 10
GLOSSARY_RARE = 1000  # a concept named by more listings than this only scores listings found otherwise
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
        params: dict | None = None,
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
        self.params = params if params is not None else load_params()
        self.by_kind: dict[str, set[int]] = {}
        # hubness: a passage close to very many queries (whatever they ask) is penalised by its mean similarity
        # to its nearest reference queries (CSLS, Conneau et al. 2018); reference = catalogue strings' queries
        reference = self.centering.means.get("hub_reference")
        self.hub_reference = None if reference is None else np.asarray(reference, dtype=np.float32)
        self.hub: dict[int, float] = {}
        # "all but the top": the corpus mean and its strongest directions (language and style more than topic)
        # are removed from every vector (Mu & Viswanath 2018); fitted on the indexed passages, no labels
        self.corpus_mean: np.ndarray | None = None
        self.components: np.ndarray | None = None
        # the glossary's concepts each row names, and which listings name each concept (any of their rows)
        self.glossary = glossary_module.bundled()
        self.row_concepts: dict[int, tuple[str, ...]] = {}
        self.concept_listings: dict[str, dict[int, int]] = {}  # concept -> listing -> rows naming it
        self._version = 0  # bumped on every change; keys the cached per-kind row arrays
        self._allowed_cache: dict[str, tuple[int, np.ndarray]] = {}

    def __len__(self):
        return len(self.rows_of)

    def allowed_rows(self, allowed) -> np.ndarray | None:
        """The sorted vector keys of the listings in `allowed`. A kind's array (the common filter) is kept until
        the index changes, so a search does not walk 100,000 listings in Python to build it."""
        if allowed is None:
            return None
        kind = next((k for k, members in self.by_kind.items() if members is allowed), None)
        cached = self._allowed_cache.get(kind) if kind is not None else None
        if cached is not None and cached[0] == self._version:
            return cached[1]
        rows = np.fromiter(
            (r * PARTS + p for lid in allowed for r in self.rows_of.get(lid, ()) for p in range(2)),
            dtype=np.int64,
        )
        rows.sort()
        if kind is not None:
            self._allowed_cache[kind] = (self._version, rows)
        return rows

    # --- indexing -----------------------------------------------------------------------------------------
    def add_text(
        self,
        key: int,
        listing_id: int,
        language: str,
        text: str,
        tokens: list[str] | None = None,
        kind: str = "",
        concepts=None,
    ) -> None:
        self._version += 1
        self.docs[key] = Doc(listing_id, language, kind)
        self.rows_of.setdefault(listing_id, set()).add(key)
        if kind:
            self.by_kind.setdefault(kind, set()).add(listing_id)
        self.bm25.add(key, tokens if tokens is not None else tokenize(text, language))
        named = tuple(sorted(concepts if concepts is not None else self.glossary.concepts_in(text, language)))
        if named:
            self.row_concepts[key] = named
            for concept in named:
                rows = self.concept_listings.setdefault(concept, {})
                rows[listing_id] = rows.get(listing_id, 0) + 1

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
            vkeys = [k * PARTS + part for k in keys]
            self.vectors.add(vkeys, self.project(vecs), threads=threads)
            if self.hub_reference is not None:
                sims = vecs @ self.hub_reference.T
                top = np.partition(sims, -HUB_K, axis=1)[:, -HUB_K:] if sims.shape[1] > HUB_K else sims
                self.hub.update(zip(vkeys, top.mean(axis=1).tolist(), strict=True))

    def add_sparse(self, keys, items) -> None:
        """Latent-term vectors [(indices, weights)] of rows `keys` (title + text)."""
        for key, (idx, val) in zip(keys, items, strict=True):
            self.sparse.add(key, idx, val)

    def vector_keys(self, keys):
        return [k * PARTS + p for k in keys for p in range(2)]

    def remove_listing(self, listing_id: int) -> None:
        keys = self.rows_of.pop(listing_id, set())
        self._version += 1
        for members in self.by_kind.values():
            members.discard(listing_id)
        for key in keys:
            self.docs.pop(key, None)
            for concept in self.row_concepts.pop(key, ()):
                rows = self.concept_listings.get(concept, {})
                rows[listing_id] = rows.get(listing_id, 1) - 1
                if rows.get(listing_id) == 0:
                    del rows[listing_id]
                if not rows:
                    self.concept_listings.pop(concept, None)
            self.hub.pop(key * PARTS, None)
            self.hub.pop(key * PARTS + 1, None)
            self.bm25.remove(key)
            self.sparse.remove(key)
        if keys:
            self.vectors.remove(self.vector_keys(keys))

    # --- persistence: the whole searcher, so a cold process loads it without re-tokenising or re-embedding ---
    def save(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self.vectors.save(directory / "vectors")
        save_bm25(self.bm25, directory / "bm25.npz")
        save_sparse(self.sparse, directory / "sparse.npz")
        keys = list(self.docs)
        np.savez(
            directory / "docs.npz",
            keys=np.asarray(keys, dtype=np.int64),
            listings=np.asarray([self.docs[k].listing_id for k in keys], dtype=np.int64),
            languages=np.asarray([self.docs[k].language for k in keys] or [""]),
            kinds=np.asarray([self.docs[k].kind for k in keys] or [""]),
            concepts=np.asarray([" ".join(self.row_concepts.get(k, ())) for k in keys] or [""]),
            corpus_mean=self.corpus_mean if self.corpus_mean is not None else np.zeros(0, np.float32),
            components=self.components if self.components is not None else np.zeros((0, 0), np.float32),
            hub_keys=np.asarray(list(self.hub), dtype=np.int64),
            hub_values=np.asarray(list(self.hub.values()), dtype=np.float32),
        )

    @classmethod
    def load(cls, directory: Path, **options) -> "HybridSearcher":
        directory = Path(directory)
        store, _ = VectorStore.load(directory / "vectors")
        searcher = cls(store, **options)
        searcher.bm25 = load_bm25(directory / "bm25.npz")
        searcher.sparse = load_sparse(directory / "sparse.npz")
        with np.load(directory / "docs.npz") as z:
            keys, listings = z["keys"].tolist(), z["listings"].tolist()
            languages, kinds = z["languages"].tolist(), z["kinds"].tolist()
            concepts = z["concepts"].tolist() if "concepts" in z.files else [""] * len(keys)
            searcher.hub = dict(zip(z["hub_keys"].tolist(), z["hub_values"].tolist(), strict=True))
            if "components" in z.files and z["components"].size:
                searcher.corpus_mean, searcher.components = z["corpus_mean"], z["components"]
        for key, lid, language, kind, named in zip(keys, listings, languages, kinds, concepts, strict=False):
            searcher.docs[key] = Doc(lid, language, kind)
            searcher.rows_of.setdefault(lid, set()).add(key)
            if kind:
                searcher.by_kind.setdefault(kind, set()).add(lid)
            if named:
                searcher.row_concepts[key] = tuple(named.split())
                for concept in searcher.row_concepts[key]:
                    rows = searcher.concept_listings.setdefault(concept, {})
                    rows[lid] = rows.get(lid, 0) + 1
        return searcher

    def apply(self, removed_listings, rows: list[dict]) -> None:
        """One journal entry: drop these listings, then add these rows (tokens, centred vectors, latent terms
        already computed by the writer) — work in proportion to the change."""
        for lid in removed_listings:
            self.remove_listing(int(lid))
        if not rows:
            return
        for row in rows:
            self.add_text(
                row["key"],
                row["listing_id"],
                row["language"],
                "",
                row["tokens"],
                kind=row["kind"],
                concepts=row.get("concepts", ()),
            )
        keys = [row["key"] for row in rows]
        self.add_vectors(
            keys,
            np.vstack([row["vector"] for row in rows]),
            np.vstack([row["title_vector"] for row in rows]),
            centred=True,
        )
        self.add_sparse(keys, [row["sparse"] for row in rows])

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

    def keyword(self, tokens, allowed=None, k=None, min_coverage=0.0, coverage: dict | None = None):
        """Keyword hits; in hybrid mode only those covering enough of the query count (a lone shared word
        between a Vietnamese query and an English row is not evidence)."""
        k = k or self.candidates
        depth = k * 2 if allowed is None else max(k * 4, 2000)
        found = self.bm25.search(tokens, depth)
        if coverage is not None:
            coverage.update((key, cov) for key, _, cov in found)
        hits = [(key, s) for key, s, cov in found if cov >= min_coverage]
        return self._group(hits, allowed)[:k]

    def dense(self, query_vector, allowed=None, k=None):
        k = k or self.candidates
        allowed_rows = self.allowed_rows(allowed)
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
        kind: str | None = None,
        explain: bool = True,
        fusion: str | None = None,
        weights: dict | None = None,
    ) -> list[Hit]:
        """`language` is a hint for the query's language (detected when absent); `kind` keeps listings of that
        kind only (a demand looks for achievements and the reverse). Hybrid mode fuses the lists by a learned
        linear combination of their normalised scores (`fusion="linear"`, weights in `params`) or by RRF."""
        if mode not in MODES:
            raise ValueError(mode)
        query = (query or "")[:MAX_QUERY_CHARS]
        if not query.strip():
            return []
        if kind is not None:
            of_kind = self.by_kind.get(kind, set())
            allowed = of_kind if allowed is None else allowed & of_kind
        language = detect_language(query, hint=language)
        kw, dn, sp = [], [], []
        coverage: dict[int, float] = {}
        tokens = tokenize(query, language)
        fusion = fusion or self.params.get("fusion", "linear")
        w_keyword = float((weights or self.params).get("keyword", 0.0))
        wants_keyword = mode == "keyword" or (mode == "hybrid" and (fusion == "rrf" or w_keyword > 0))
        if (
            wants_keyword
        ):  # no keyword pass when fusion gives it no weight ("why" terms are found per hit below)
            min_coverage = self.min_coverage if mode == "hybrid" and fusion == "rrf" else 0.0
            kw = self.keyword(tokens, allowed, min_coverage=min_coverage, coverage=coverage)
        dn_title: dict[int, float] = {}
        if mode in ("dense", "hybrid"):
            if query_vector is None:
                query_vector = dense.embed_query(self.expanded(query, language))
            query_vector = self.align(query_vector, language)
            if mode == "dense" or fusion == "rrf":
                dn = self.dense(query_vector, allowed)
            else:
                dn, dn_title = self.dense_parts(query_vector, allowed)
        w_sparse = (weights or self.params).get("sparse", 0.0)
        wants_sparse = mode == "sparse" or (mode == "hybrid" and (fusion == "rrf" or w_sparse > 0))
        if wants_sparse and len(self.sparse):  # no latent-term pass when fusion gives it no weight
            if query_sparse is None:
                query_sparse = dense.embed_sparse([query])[0]
            sp = self.sparse_hits(query_sparse, allowed)
        kw_rank = {lid: i for i, (lid, _, _) in enumerate(kw, 1)}
        dn_rank = {lid: i for i, (lid, _, _) in enumerate(dn, 1)}
        sim = {lid: s for lid, s, _ in dn}
        best_row = {lid: key for lid, _, key in sp}
        best_row.update({lid: key for lid, _, key in dn})
        best_row.update({lid: key for lid, _, key in kw})
        gloss: dict[int, float] = {}
        if mode == "hybrid" and fusion != "rrf" and float((weights or self.params).get("glossary", 0.0)) > 0:
            gloss = self.glossary_scores(query, language, allowed, [*(lid for lid, _, _ in dn), *dn_title])
        if mode == "keyword":
            fused = [(lid, s) for lid, s, _ in kw]
        elif mode == "dense":
            fused = [(lid, s) for lid, s, _ in dn]
        elif mode == "sparse":
            fused = [(lid, s) for lid, s, _ in sp]
        elif fusion == "rrf":
            fused = rrf(
                [[lid for lid, _, _ in kw], [lid for lid, _, _ in dn], [lid for lid, _, _ in sp]],
                k=self.rrf_k,
                weights=[1.0, 1.0, SPARSE_WEIGHT],
            )
        else:
            fused = linear_fusion(
                kw, dn, dn_title, sp, coverage, weights or self.params, gloss, self.candidates
            )
        confidence = calibrated(fused[:k], self.params.get("temperature", 0.0)) if mode == "hybrid" else None
        hits = []
        for i, (lid, score) in enumerate(fused[:k]):
            key = best_row.get(lid)
            hit = Hit(
                lid,
                float(score),
                kw_rank.get(lid),
                dn_rank.get(lid),
                sim.get(lid),
                language=self.docs[key].language if key in self.docs else "",
                confidence=confidence[i] if confidence is not None else None,
            )
            if explain and key is not None:
                hit.terms = self.bm25.matched_terms(key, tokens)[:8]
            hits.append(hit)
        return hits

    def expanded(self, query: str, language: str) -> str:
        """The text the query vector is made of: the query, then (when `expand` is on) the Chinese and English
        terms of the glossary concepts it names — the listings' own words, which the small encoder places far
        better than the same word in Khmer or Lao."""
        if not self.params.get("expand"):
            return query
        terms = self.glossary.terms_of(self.glossary.concepts_in(query, language))
        return f"{query}\n{' '.join(terms)}" if terms else query

    def glossary_scores(self, query: str, language: str, allowed=None, candidates=()) -> dict[int, float]:
        """Per listing, the share of the query's glossary concepts it names (each concept weighted by its idf
        over the indexed listings): 1.0 when a listing names every concept the query names, in any language.

        Scored: the `candidates` (the dense lists' listings) and every listing naming one of the query's rarer
        concepts (named by at most GLOSSARY_RARE listings) — a common concept like "processing" only adds to
        listings found otherwise, so the work stays bounded at 100k listings."""
        n = max(len(self.rows_of), 1)
        weights = {
            c: math.log(1 + n / len(self.concept_listings[c]))
            for c in self.glossary.concepts_in(query, language)
            if self.concept_listings.get(c)
        }
        if not weights:
            return {}
        total = sum(weights.values())
        pool = set(candidates)
        for concept in weights:
            if len(self.concept_listings[concept]) <= GLOSSARY_RARE:
                pool.update(self.concept_listings[concept])
        scores: dict[int, float] = {}
        for lid in pool:
            if allowed is not None and lid not in allowed:
                continue
            named = {c for key in self.rows_of.get(lid, ()) for c in self.row_concepts.get(key, ())}
            score = sum(w for c, w in weights.items() if c in named)
            if score:
                scores[lid] = score / total
        return scores

    def align(self, query_vector, language: str):
        centred = self.centering.apply(query_vector, language, "query")
        mapped = self.centering.align(centred, language, float(self.params.get("map_weight", 0.0)))
        return self.project(mapped)

    def project(self, vectors: np.ndarray) -> np.ndarray:
        if self.components is None:
            return vectors
        x = np.asarray(vectors, dtype=np.float32) - self.corpus_mean
        x = x - (x @ self.components.T) @ self.components
        return (x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-6)).astype(np.float32)

    def fit_components(self, d: int) -> None:
        """Fit the corpus mean and top-d directions on the stored vectors and re-project them all."""
        keys, matrix = self.vectors.exact.keys.copy(), self.vectors.exact.matrix.copy()
        if d <= 0 or len(keys) < 2 * d + 2:
            return
        mean = matrix.mean(axis=0)
        _, _, vt = np.linalg.svd(matrix - mean, full_matrices=False)
        self.corpus_mean, self.components = mean.astype(np.float32), vt[:d].astype(np.float32)
        projected = self.project(matrix)
        self.vectors.remove(keys)
        self.vectors.add(keys, projected)

    def dense_parts(self, query_vector, allowed=None, k=None):
        """Dense hits on the full text (title + summary) with, separately, each listing's best title score."""
        k = k or self.candidates
        allowed_rows = self.allowed_rows(allowed)
        hits = self.vectors.search(query_vector, k * 4, allowed_rows)
        beta = float(self.params.get("hub", 0.0))
        if beta and self.hub:
            hits = sorted(((key, s - beta * self.hub.get(key, 0.0)) for key, s in hits), key=lambda h: -h[1])
        full = [(key // PARTS, s) for key, s in hits if key % PARTS == 0]
        title: dict[int, float] = {}
        for key, s in hits:
            doc = self.docs.get(key // PARTS)
            if key % PARTS == 1 and doc is not None and doc.listing_id not in title:
                title[doc.listing_id] = s
        return self._group(full, allowed)[:k], title


DEFAULT_PARAMS = {
    "fusion": "linear",
    "full": 1.0,
    "title": 0.0,
    "sparse": 0.0,
    "keyword": 0.0,
    "glossary": 0.0,
    "temperature": 0.0,
}


def _normalise(hits) -> dict[int, float]:
    if not hits:
        return {}
    top = max(s for _, s, _ in hits) or 1.0
    return {lid: s / top for lid, s, _ in hits}


def linear_fusion(
    kw, dn, dn_title, sp, kw_coverage, w, gloss=None, depth: int = 50
) -> list[tuple[int, float]]:
    """score = w_full·cos(full) + w_title·cos(title) + w_sparse·(latent score / best) + w_keyword·coverage
    + w_glossary·(share of the query's glossary concepts the listing names).

    Dense similarity leads; the keyword and glossary terms are bounded bonuses (each at most its weight). A list
    that did not return a listing contributes its lowest returned value (for the dense parts) or 0. The
    `depth` listings naming most of the query's concepts are candidates too, even when the dense list missed
    them."""
    gloss = gloss or {}
    full = {lid: s for lid, s, _ in dn}
    floor = min(full.values()) if full else 0.0
    tfloor = min(dn_title.values()) if dn_title else floor
    sparse = _normalise(sp)
    cover = {lid: kw_coverage.get(key, 0.0) for lid, _, key in kw}
    scores = {}
    named = sorted(gloss, key=lambda lid: -gloss[lid])[:depth] if w.get("glossary", 0.0) else []
    for lid in {*full, *dn_title, *sparse, *cover, *named}:
        scores[lid] = (
            w.get("full", 1.0) * full.get(lid, floor)
            + w.get("title", 0.0) * dn_title.get(lid, tfloor)
            + w.get("sparse", 0.0) * sparse.get(lid, 0.0)
            + w.get("keyword", 0.0) * cover.get(lid, 0.0)
            + w.get("glossary", 0.0) * gloss.get(lid, 0.0)
        )
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def calibrated(fused, temperature: float) -> list[float] | None:
    """Softmax of the fused scores at a temperature fitted on the tuning queries: the probability that each hit
    is the one the query is after (calibrated on the evaluation's tuning part)."""
    if not fused or temperature <= 0:
        return None
    s = np.asarray([score for _, score in fused], dtype=np.float64) / temperature
    p = np.exp(s - s.max())
    return (p / p.sum()).round(4).tolist()
