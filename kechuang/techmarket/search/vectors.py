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
    """All vectors in one growable matrix; a removal only marks its row dead and an addition writes into spare
    capacity, so an approval costs work in proportion to its rows, not to the collection (the rows are
    compacted when a quarter of them are dead, and on save)."""

    def __init__(self, dim: int = DIM):
        self.dim = dim
        self._keys = np.zeros(0, dtype=np.int64)
        self._mat = np.zeros((0, dim), dtype=np.float32)
        self._alive = np.zeros(0, dtype=bool)
        self._n = 0
        self._row: dict[int, int] = {}

    def __len__(self):
        return len(self._row)

    @property
    def keys(self) -> np.ndarray:
        return self._keys[: self._n][self._alive[: self._n]]

    @property
    def matrix(self) -> np.ndarray:
        if len(self._row) == self._n:
            return self._mat[: self._n]
        return self._mat[: self._n][self._alive[: self._n]]

    def _flush(self):  # kept for callers of the former API: nothing is pending any more
        return None

    def _grow(self, extra: int) -> None:
        need = self._n + extra
        if need <= len(self._keys):
            return
        capacity = max(need, int(len(self._keys) * 1.5) + 1024)
        keys = np.zeros(capacity, dtype=np.int64)
        mat = np.zeros((capacity, self.dim), dtype=np.float32)
        alive = np.zeros(capacity, dtype=bool)
        keys[: self._n], mat[: self._n], alive[: self._n] = (
            self._keys[: self._n],
            self._mat[: self._n],
            self._alive[: self._n],
        )
        self._keys, self._mat, self._alive = keys, mat, alive

    def add(self, keys, vectors):
        keys = [int(k) for k in keys]
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        self.remove(keys)
        self._grow(len(keys))
        start, end = self._n, self._n + len(keys)
        self._keys[start:end] = keys
        self._mat[start:end] = vectors
        self._alive[start:end] = True
        for i, k in enumerate(keys):
            self._row[k] = start + i
        self._n = end

    def remove(self, keys):
        for k in keys:
            row = self._row.pop(int(k), None)
            if row is not None:
                self._alive[row] = False
        dead = self._n - len(self._row)
        if dead > 1000 and dead * 4 > self._n:
            self._compact()

    def _compact(self) -> None:
        alive = self._alive[: self._n]
        keys, mat = self._keys[: self._n][alive], self._mat[: self._n][alive]
        self._keys, self._mat, self._alive = keys.copy(), mat.copy(), np.ones(len(keys), dtype=bool)
        self._n = len(keys)
        self._row = {int(k): i for i, k in enumerate(keys.tolist())}

    def contains(self, key) -> bool:
        return int(key) in self._row

    def get(self, keys) -> dict[int, np.ndarray]:
        """The stored vectors of `keys` that exist."""
        return {int(k): self._mat[self._row[int(k)]] for k in keys if int(k) in self._row}

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        if not self._row:
            return []
        query = np.asarray(query, dtype=np.float32)
        if allowed is not None:
            rows = np.fromiter((self._row[int(a)] for a in allowed if int(a) in self._row), dtype=np.int64)
            if not len(rows):
                return []
            scores = self._mat[rows] @ query
        else:
            rows = None
            scores = self._mat[: self._n] @ query
            if len(self._row) != self._n:
                scores[~self._alive[: self._n]] = -np.inf
        k = min(k, len(self._row) if rows is None else len(rows))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        keys = self._keys if rows is None else self._keys[rows]
        return [(int(keys[i]), float(scores[i])) for i in top if np.isfinite(scores[i])]

    def save(self, directory: Path):
        np.save(directory / "keys.npy", self.keys)
        np.save(directory / "vectors.npy", self.matrix)

    @classmethod
    def load(cls, directory: Path, dim: int = DIM):
        store = cls(dim)
        keys = np.load(directory / "keys.npy", mmap_mode="r")
        matrix = np.load(directory / "vectors.npy", mmap_mode="r")
        n = len(keys)
        capacity = n + max(
            1024, n // 10
        )  # spare room now, so the first approval after a start copies nothing
        store._keys = np.zeros(capacity, dtype=np.int64)
        store._mat = np.zeros((capacity, dim), dtype=np.float32)
        store._alive = np.zeros(capacity, dtype=bool)
        store._keys[:n], store._mat[:n], store._alive[:n] = keys, matrix, True
        store._n = n
        store._row = {int(k): i for i, k in enumerate(store._keys[:n].tolist())}
        return store


class AnnVectors:
    """usearch HNSW graph (f16 storage: int8 loses too much on unit vectors whose components are ~0.05)."""

    def __init__(
        self,
        dim: int = DIM,
        *,
        dtype: str = "f16",
        connectivity: int = 12,
        expansion_add: int = 48,
        expansion_search: int = 96,
    ):
        from usearch.index import Index

        self.dim = dim
        self.index = Index(
            ndim=dim,
            metric="ip",
            dtype=dtype,
            connectivity=connectivity,
            expansion_add=expansion_add,
            expansion_search=expansion_search,
        )

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
            allowed_set = {int(a) for a in allowed}
            out = [item for item in out if item[0] in allowed_set]
        return out

    def save(self, directory: Path):
        self.index.save(str(directory / "ann.usearch"))

    def load_from(self, directory: Path):
        self.index.load(str(directory / "ann.usearch"))
        return self


class IvfVectors:
    """Inverted-file ANN (IVF-Flat): k-means centroids; each vector lives in its nearest centroid's list; a query
    scans the `nprobe` nearest lists. Builds a million vectors in about a minute on two cores (an HNSW graph of
    that size takes far longer here), adds and removes incrementally, and saves to one .npz file."""

    def __init__(self, dim: int = DIM, *, nlist: int | None = None, nprobe: int = 16):
        self.dim, self.nlist, self.nprobe = dim, nlist, nprobe
        self.centroids: np.ndarray | None = None
        self.list_keys: list[np.ndarray] = []
        self.list_vecs: list[np.ndarray] = []
        self.where: dict[int, int] = {}

    def __len__(self):
        return len(self.where)

    def train(self, sample: np.ndarray, iterations: int = 8, seed: int = 0) -> None:
        sample = np.asarray(sample, dtype=np.float32)
        nlist = max(1, min(self.nlist or 1024, len(sample) // 16 or 1))
        rng = np.random.default_rng(seed)
        centroids = sample[rng.choice(len(sample), nlist, replace=False)].copy()
        for _ in range(iterations):
            assign = np.argmax(sample @ centroids.T, axis=1)
            order = np.argsort(assign, kind="stable")
            present, starts = np.unique(assign[order], return_index=True)
            centroids[present] = np.add.reduceat(sample[order], starts, axis=0)
            centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-6)
        self.centroids = centroids
        self.nlist = nlist
        self.list_keys = [np.zeros(0, dtype=np.int64) for _ in range(nlist)]
        self.list_vecs = [np.zeros((0, self.dim), dtype=np.float32) for _ in range(nlist)]
        self.where = {}

    def _assign(self, vectors: np.ndarray, chunk: int = 65536) -> np.ndarray:
        out = np.empty(len(vectors), dtype=np.int64)
        for start in range(0, len(vectors), chunk):
            out[start : start + chunk] = np.argmax(vectors[start : start + chunk] @ self.centroids.T, axis=1)
        return out

    def add(self, keys, vectors, threads: int = 0):
        keys = np.asarray(list(keys), dtype=np.int64)
        vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        if self.centroids is None:
            self.train(vectors[:50_000])
        self.remove([k for k in keys.tolist() if k in self.where])
        assign = self._assign(vectors)
        order = np.argsort(assign, kind="stable")
        bounds = np.searchsorted(assign[order], np.arange(self.nlist + 1))
        for c in range(self.nlist):
            idx = order[bounds[c] : bounds[c + 1]]
            if len(idx):
                self.list_keys[c] = np.concatenate([self.list_keys[c], keys[idx]])
                self.list_vecs[c] = np.vstack([self.list_vecs[c], vectors[idx]])
                for k in keys[idx].tolist():
                    self.where[k] = c

    def remove(self, keys):
        by_list: dict[int, list[int]] = {}
        for k in keys:
            c = self.where.pop(int(k), None)
            if c is not None:
                by_list.setdefault(c, []).append(int(k))
        for c, gone in by_list.items():
            keep = ~np.isin(self.list_keys[c], gone)
            self.list_keys[c], self.list_vecs[c] = self.list_keys[c][keep], self.list_vecs[c][keep]

    def contains(self, key) -> bool:
        return int(key) in self.where

    def search(self, query: np.ndarray, k: int, allowed=None) -> list[tuple[int, float]]:
        if self.centroids is None or not self.where:
            return []
        query = np.asarray(query, dtype=np.float32)
        cs = self.centroids @ query
        probe = np.argpartition(-cs, min(self.nprobe, self.nlist) - 1)[: self.nprobe]
        keys, scores = [], []
        for c in probe:
            if len(self.list_keys[c]):
                keys.append(self.list_keys[c])
                scores.append(self.list_vecs[c] @ query)
        if not keys:
            return []
        keys, scores = np.concatenate(keys), np.concatenate(scores)
        if allowed is not None:
            allowed = np.asarray(allowed, dtype=np.int64)
            if len(allowed) > 4 * len(keys) and bool(np.all(allowed[1:] >= allowed[:-1])):
                # sorted filter (a kind's cached row array): binary search instead of sorting both sides
                at = np.minimum(np.searchsorted(allowed, keys), len(allowed) - 1)
                inside = allowed[at] == keys
            else:
                inside = np.isin(keys, allowed)
            scores = np.where(inside, scores, -np.inf)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(keys[i]), float(scores[i])) for i in top if np.isfinite(scores[i])]

    def save(self, directory: Path):
        sizes = np.array([len(x) for x in self.list_keys], dtype=np.int64)
        # the lists' keys and vectors as plain .npy files: a cold process maps them instead of reading 300 MB
        # through the zip reader (8.7 s at 100,000 listings); a list is copied only when an approval changes it
        np.save(
            directory / "ivf_keys.npy",
            np.concatenate(self.list_keys) if self.list_keys else np.zeros(0, np.int64),
        )
        np.save(
            directory / "ivf_vecs.npy",
            np.vstack(self.list_vecs) if self.list_vecs else np.zeros((0, self.dim), np.float32),
        )
        np.savez(directory / "ivf.npz", centroids=self.centroids, sizes=sizes, nprobe=np.array(self.nprobe))

    def load_from(self, directory: Path):
        with np.load(directory / "ivf.npz") as npz:
            self.centroids = npz["centroids"]
            self.nlist, self.nprobe = len(self.centroids), int(npz["nprobe"])
            offsets = np.concatenate([[0], np.cumsum(npz["sizes"])])
            if (directory / "ivf_vecs.npy").exists():
                keys = np.load(directory / "ivf_keys.npy")
                vecs = np.load(directory / "ivf_vecs.npy", mmap_mode="r")
            else:  # the former layout, everything inside the .npz
                keys, vecs = npz["keys"], npz["vecs"]
        self.list_keys = [keys[offsets[c] : offsets[c + 1]] for c in range(self.nlist)]
        self.list_vecs = [vecs[offsets[c] : offsets[c + 1]] for c in range(self.nlist)]
        self.where = dict(
            zip(keys.tolist(), np.repeat(np.arange(self.nlist), np.diff(offsets)).tolist(), strict=True)
        )
        return self


class VectorStore:
    """Exact search up to `exact_limit` vectors (a scan reads every vector: memory-bound, ~0.4 ms per 1,000 here),
    an ANN index beyond; both kept in step and saved together. A filtered search over a small subset scans
    just that subset exactly.

    `ann="ivf"` (default) builds the inverted-file index the first time the collection outgrows exact search
    and then maintains it incrementally; `ann="hnsw"` keeps a usearch HNSW graph from the start."""

    def __init__(
        self,
        dim: int = DIM,
        *,
        exact_limit: int = 50_000,
        use_ann: bool = True,
        ann: str = "ivf",
        **ann_options,
    ):
        self.dim = dim
        self.exact_limit = exact_limit
        self.exact = ExactVectors(dim)
        self.ann_kind = ann if use_ann else None
        self.ann_options = ann_options
        self.ann = AnnVectors(dim, **ann_options) if self.ann_kind == "hnsw" else None
        self.lock = threading.RLock()

    def build_ann(self):
        with self.lock:
            self.exact._flush()
            n = len(self.exact.keys)
            options = {"nlist": min(4096, max(1, int(2 * n**0.5))), **self.ann_options}
            ivf = IvfVectors(self.dim, **options)
            if n:
                ivf.train(self.exact.matrix[:: max(1, n // 80_000)])
                ivf.add(self.exact.keys, self.exact.matrix)
            self.ann = ivf
            return ivf

    def __len__(self):
        return len(self.exact)

    def add(self, keys, vectors, threads: int = 0):
        keys = list(keys)
        with self.lock:
            self.exact.add(keys, vectors)
            if self.ann is not None:
                self.ann.add(keys, vectors, threads=threads)

    def get(self, keys) -> dict[int, np.ndarray]:
        with self.lock:
            return self.exact.get(keys)

    def remove(self, keys):
        keys = list(keys)
        with self.lock:
            self.exact.remove(keys)
            if self.ann is not None:
                self.ann.remove(keys)

    def search(self, query, k: int, allowed=None, *, force: str | None = None) -> list[tuple[int, float]]:
        with self.lock:
            small_subset = allowed is not None and len(allowed) <= self.exact_limit and force != "ann"
            use_ann = (
                self.ann_kind is not None
                and not small_subset
                and (force == "ann" or (force is None and len(self) > self.exact_limit))
            )
            if use_ann and self.ann is None:
                self.build_ann()
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
        (tmp / "manifest.json").write_text(
            json.dumps({"format": FORMAT_VERSION, "dim": self.dim, **(manifest or {})})
        )
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
        if store.ann_kind == "hnsw":
            if (directory / "ann.usearch").exists():
                store.ann.load_from(directory)
            elif len(store.exact):
                store.ann.add(store.exact.keys, store.exact.matrix)
        elif store.ann_kind == "ivf" and (directory / "ivf.npz").exists():
            store.ann = IvfVectors(store.dim).load_from(directory)
        return store, manifest
