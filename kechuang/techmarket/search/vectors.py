"""Vector stores for the dense side: an exact store (numpy) and an ANN store (usearch HNSW), both on disk.

`VectorStore` keeps every vector in an exact matrix (cheap up to a few hundred thousand rows) and, when asked,
an HNSW graph for larger collections. Additions and removals are incremental; `save`/`load` make the index
survive restarts. Vectors are L2-normalised, so inner product is cosine similarity.
"""

import json
import os
import threading
from pathlib import Path

import numpy as np

from kechuang.techmarket.search.dense import DIM

FORMAT_VERSION = 1


class ExactVectors:
    def __init__(self, dim: int = DIM):
        self.dim = dim
        self.keys = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, dim), dtype=np.float32)
        self._pending_keys: list[int] = []
        self._pending_vecs: list[np.ndarray] = []

    def _flush(self):
        if self._pending_keys:
            self.keys = np.concatenate([self.keys, np.asarray(self._pending_keys, dtype=np.int64)])
            self.matrix = np.vstack([self.matrix, np.vstack(self._pending_vecs).astype(np.float32)])
            self._pending_keys, self._pending_vecs = [], []

    def __len__(self):
        return len(self.keys) + len(self._pending_keys)

    def add(self, keys, vectors):
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        self.remove(keys)
        self._pending_keys.extend(int(k) for k in keys)
        self._pending_vecs.append(vectors)

    def remove(self, keys):
        self._flush()
        keys = np.asarray(list(keys), dtype=np.int64)
        if len(keys) and len(self.keys):
            keep = ~np.isin(self.keys, keys)
            if not keep.all():
                self.keys, self.matrix = self.keys[keep], self.matrix[keep]

    def contains(self, key) -> bool:
        self._flush()
        return bool(np.any(self.keys == key))

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        self._flush()
        if not len(self.keys):
            return []
        scores = self.matrix @ np.asarray(query, dtype=np.float32)
        if allowed is not None:
            scores = np.where(np.isin(self.keys, allowed), scores, -np.inf)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.keys[i]), float(scores[i])) for i in top if np.isfinite(scores[i])]

    def save(self, directory: Path):
        self._flush()
        np.save(directory / "keys.npy", self.keys)
        np.save(directory / "vectors.npy", self.matrix)

    @classmethod
    def load(cls, directory: Path, dim: int = DIM):
        store = cls(dim)
        store.keys = np.load(directory / "keys.npy")
        store.matrix = np.load(directory / "vectors.npy")
        return store


class AnnVectors:
    """usearch HNSW graph; int8 storage keeps one million 384-d vectors under 600 MB."""

    def __init__(self, dim: int = DIM, *, dtype: str = "i8", connectivity: int = 12, expansion_add: int = 48,
                 expansion_search: int = 96):
        from usearch.index import Index

        self.dim = dim
        self.index = Index(ndim=dim, metric="ip", dtype=dtype, connectivity=connectivity,
                           expansion_add=expansion_add, expansion_search=expansion_search)

    def __len__(self):
        return len(self.index)

    def add(self, keys, vectors, threads: int = 0):
        keys = np.asarray(list(keys), dtype=np.uint64)
        self.remove(keys)
        if len(keys):
            self.index.add(keys, np.asarray(vectors, dtype=np.float32).reshape(-1, self.dim), threads=threads)

    def remove(self, keys):
        keys = [int(k) for k in keys]
        present = [k for k in keys if self.index.contains(k)]
        if present:
            self.index.remove(present)

    def contains(self, key) -> bool:
        return bool(self.index.contains(int(key)))

    def search(self, query: np.ndarray, k: int, allowed=None) -> list[tuple[int, float]]:
        if not len(self.index):
            return []
        found = self.index.search(np.asarray(query, dtype=np.float32), k)
        # usearch reports distance = 1 - ip for the "ip" metric
        out = [(int(key), float(1 - dist)) for key, dist in zip(found.keys, found.distances, strict=False)]
        if allowed is not None:
            allowed_set = set(int(a) for a in allowed)
            out = [item for item in out if item[0] in allowed_set]
        return out

    def save(self, directory: Path):
        self.index.save(str(directory / "ann.usearch"))

    def load_from(self, directory: Path):
        self.index.load(str(directory / "ann.usearch"))
        return self


class VectorStore:
    """Exact search up to `exact_limit` vectors, the HNSW graph beyond; both kept in step."""

    def __init__(self, dim: int = DIM, *, exact_limit: int = 200_000, use_ann: bool = True, **ann_options):
        self.dim = dim
        self.exact_limit = exact_limit
        self.exact = ExactVectors(dim)
        self.ann = AnnVectors(dim, **ann_options) if use_ann else None
        self.lock = threading.RLock()

    def __len__(self):
        return len(self.exact)

    def add(self, keys, vectors, threads: int = 0):
        keys = list(keys)
        with self.lock:
            self.exact.add(keys, vectors)
            if self.ann is not None:
                self.ann.add(keys, vectors, threads=threads)

    def remove(self, keys):
        keys = list(keys)
        with self.lock:
            self.exact.remove(keys)
            if self.ann is not None:
                self.ann.remove(keys)

    def search(self, query, k: int, allowed=None, *, force: str | None = None) -> list[tuple[int, float]]:
        with self.lock:
            use_ann = self.ann is not None and (force == "ann" or (force is None and len(self) > self.exact_limit))
            if use_ann:
                return self.ann.search(query, k if allowed is None else k * 4, allowed)[:k]
            return self.exact.search(query, k, allowed)

    def save(self, directory: Path, manifest: dict | None = None):
        """Write to a fresh sibling directory, then swap it in, so a crash never leaves half an index."""
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = directory.with_name(directory.name + f".tmp{os.getpid()}")
        tmp.mkdir(parents=True, exist_ok=True)
        with self.lock:
            self.exact.save(tmp)
            if self.ann is not None:
                self.ann.save(tmp)
        (tmp / "manifest.json").write_text(json.dumps({"format": FORMAT_VERSION, "dim": self.dim, **(manifest or {})}))
        old = directory.with_name(directory.name + f".old{os.getpid()}")
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        if old.exists():
            for child in old.iterdir():
                child.unlink()
            old.rmdir()

    @classmethod
    def load(cls, directory: Path, **options):
        directory = Path(directory)
        manifest = json.loads((directory / "manifest.json").read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise ValueError("index format changed")
        store = cls(manifest.get("dim", DIM), **options)
        store.exact = ExactVectors.load(directory, store.dim)
        if store.ann is not None and (directory / "ann.usearch").exists():
            store.ann.load_from(directory)
        elif store.ann is not None and len(store.exact):
            store.ann.add(store.exact.keys, store.exact.matrix)
        return store, manifest
