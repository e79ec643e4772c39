"""Evaluation harness: recall@1, recall@10 and MRR per query language for keyword-only, dense-only and hybrid.

Uses the same `HybridSearcher` as the site. Run: `python -m kechuang.techmarket.eval.harness`.
"""

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kechuang.techmarket.eval import dataset
from kechuang.techmarket.search import dense
from kechuang.techmarket.search.engine import MODES, HybridSearcher

TARGETS = {
    "zh-hans": 0.90,
    "en": 0.90,
    "vi": 0.90,
    "th": 0.90,
    "id": 0.90,
    "ms": 0.90,
    "fil": 0.90,
    "km": 0.75,
    "lo": 0.75,
    "my": 0.75,
}


@dataclass
class Report:
    per_language: dict = field(default_factory=dict)  # {lang: {mode: {r1, r10, mrr}}}
    average: dict = field(default_factory=dict)  # {mode: {r1, r10, mrr}}
    pool_size: int = 0
    rows: int = 0
    queries: int = 0
    seconds: float = 0.0

    def targets_met(self) -> dict:
        return {
            lang: self.per_language[lang]["hybrid"]["recall@10"] >= t
            for lang, t in TARGETS.items()
            if lang in self.per_language
        }

    def hybrid_beats_both(self) -> bool:
        h = self.average["hybrid"]
        return all(
            h["mrr"] > self.average[m]["mrr"] and h["recall@10"] >= self.average[m]["recall@10"]
            for m in ("keyword", "dense", "sparse")
        )

    def as_dict(self) -> dict:
        return {
            "pool_size": self.pool_size,
            "rows": self.rows,
            "queries": self.queries,
            "seconds": round(self.seconds, 1),
            "per_language": self.per_language,
            "average": self.average,
            "targets_met": self.targets_met(),
            "hybrid_beats_both_on_average": self.hybrid_beats_both(),
        }

    def table(self) -> str:
        lines = [
            "| language | keyword R@1 | R@10 | MRR | dense R@1 | R@10 | MRR | sparse R@1 | R@10 | MRR "
            "| hybrid R@1 | R@10 | MRR |",
            "|---" * 13 + "|",
        ]
        for lang, modes in [*self.per_language.items(), ("average", self.average)]:
            cells = [f"{modes[m][k]:.3f}" for m in MODES for k in ("recall@1", "recall@10", "mrr")]
            lines.append(f"| {lang} | " + " | ".join(cells) + " |")
        return "\n".join(lines)


class EmbeddingCache:
    """Vectors of the eval texts by hash, so repeated runs do not re-embed; off unless a path is given."""

    def __init__(self, path: str | None):
        self.path = Path(path) if path else None
        self.data: dict[str, np.ndarray] = {}
        if self.path and self.path.exists():
            with np.load(self.path) as npz:
                self.data = {k: npz[k] for k in npz.files}

    def embed(self, texts, is_query: bool) -> np.ndarray:
        keys = [hashlib.sha1(f"{is_query}:{dense.MODEL_NAME}:{t}".encode()).hexdigest() for t in texts]
        missing = [i for i, k in enumerate(keys) if k not in self.data]
        if missing:
            fn = dense.embed_query_batch if is_query else dense.embed_passages
            vecs = fn([texts[i] for i in missing])
            for i, v in zip(missing, vecs, strict=True):
                self.data[keys[i]] = v
            if self.path:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                np.savez(self.path, **self.data)
        return np.vstack([self.data[k] for k in keys]) if keys else np.zeros((0, dense.DIM), np.float32)

    def embed_sparse(self, texts) -> list:
        keys = [
            hashlib.sha1(f"sparse{dense.SPARSE_TOP_K}:{dense.MODEL_NAME}:{t}".encode()).hexdigest()
            for t in texts
        ]
        missing = [i for i, k in enumerate(keys) if k + "i" not in self.data]
        if missing:
            for i, (idx, val) in zip(missing, dense.embed_sparse([texts[i] for i in missing]), strict=True):
                self.data[keys[i] + "i"], self.data[keys[i] + "v"] = idx, val
            if self.path:
                np.savez(self.path, **self.data)
        return [(self.data[k + "i"], self.data[k + "v"]) for k in keys]


def build_searcher(pool, cache=None) -> tuple[HybridSearcher, dict[int, str]]:
    searcher = HybridSearcher()
    names, texts, titles, keys = {}, [], [], []
    key = 0
    for listing_id, item in enumerate(pool, 1):
        names[listing_id] = item["id"]
        for lang, (title, summary) in item["rows"].items():
            key += 1
            text = f"{title}。{summary}" if lang == "zh-hans" else f"{title}. {summary}"
            searcher.add_text(key, listing_id, lang, text)
            texts.append(text)
            titles.append(title)
            keys.append(key)
    cache = cache or EmbeddingCache(None)
    searcher.add_vectors(keys, cache.embed(texts, False), cache.embed(titles, False))
    searcher.add_sparse(keys, cache.embed_sparse(texts))
    return searcher, names


def evaluate(k: int = 10, cache_path: str | None = None) -> Report:
    started = time.perf_counter()
    cache = EmbeddingCache(cache_path if cache_path is not None else os.environ.get("TECHMARKET_EVAL_CACHE"))
    pool = dataset.achievements()
    searcher, names = build_searcher(pool, cache)
    qs = dataset.queries()
    qvecs = cache.embed([q["text"] for q in qs], True)
    qsparse = cache.embed_sparse([q["text"] for q in qs])
    ranks: dict[str, dict[str, list[int | None]]] = {}
    for q, vec, sparse in zip(qs, qvecs, qsparse, strict=True):
        for mode in MODES:
            hits = searcher.search(
                q["text"],
                language=q["language"],
                k=k,
                mode=mode,
                query_vector=vec,
                query_sparse=sparse,
                explain=False,
            )
            found = [names[h.listing_id] for h in hits]
            rank = found.index(q["answer"]) + 1 if q["answer"] in found else None
            ranks.setdefault(q["language"], {}).setdefault(mode, []).append(rank)
    report = Report(pool_size=len(pool), rows=sum(len(p["rows"]) for p in pool), queries=len(qs))
    for lang, by_mode in ranks.items():
        report.per_language[lang] = {mode: _metrics(r) for mode, r in by_mode.items()}
    for mode in MODES:
        report.average[mode] = {
            m: float(np.mean([report.per_language[lang][mode][m] for lang in report.per_language]))
            for m in ("recall@1", "recall@10", "mrr")
        }
    report.seconds = time.perf_counter() - started
    return report


def _metrics(ranks: list[int | None]) -> dict:
    n = len(ranks)
    return {
        "recall@1": sum(1 for r in ranks if r == 1) / n,
        "recall@10": sum(1 for r in ranks if r) / n,
        "mrr": round(sum(1 / r for r in ranks if r) / n, 4),
        "n": n,
    }


if __name__ == "__main__":
    rep = evaluate()
    print(rep.table())
    print(
        json.dumps(
            {k: v for k, v in rep.as_dict().items() if k not in ("per_language",)},
            ensure_ascii=False,
            indent=1,
        )
    )
