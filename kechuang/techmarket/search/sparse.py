"""Inverted index over sparse latent-term vectors (dot-product scoring)."""

import numpy as np


class SparseIndex:
    def __init__(self):
        self.keys: list[int] = []
        self._slot: dict[int, int] = {}
        self._pending: dict[int, list[tuple[int, float]]] = {}
        self._postings: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._dead: set[int] = set()

    def __len__(self):
        return len(self._slot)

    def add(self, key: int, indices, weights) -> None:
        if key in self._slot:
            self.remove(key)
        slot = len(self.keys)
        self.keys.append(key)
        self._slot[key] = slot
        for i, w in zip(np.asarray(indices).tolist(), np.asarray(weights).tolist(), strict=True):
            if w > 0:
                self._pending.setdefault(i, []).append((slot, w))

    def remove(self, key: int) -> None:
        slot = self._slot.pop(key, None)
        if slot is not None:
            self._dead.add(slot)

    def _flush(self):
        for term, items in self._pending.items():
            slots = np.fromiter((s for s, _ in items), dtype=np.int64, count=len(items))
            ws = np.fromiter((w for _, w in items), dtype=np.float32, count=len(items))
            if term in self._postings:
                old_s, old_w = self._postings[term]
                slots, ws = np.concatenate([old_s, slots]), np.concatenate([old_w, ws])
            self._postings[term] = (slots, ws)
        self._pending = {}

    def search(self, indices, weights, k: int = 100) -> list[tuple[int, float]]:
        self._flush()
        if not self._slot:
            return []
        scores = np.zeros(len(self.keys), dtype=np.float32)
        for i, w in zip(np.asarray(indices).tolist(), np.asarray(weights).tolist(), strict=True):
            posting = self._postings.get(i)
            if posting is not None and w > 0:
                scores[posting[0]] += w * posting[1]
        if self._dead:
            scores[list(self._dead)] = 0
        hits = np.flatnonzero(scores > 0)
        if len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        hits = hits[np.argsort(-scores[hits], kind="stable")]
        return [(self.keys[s], float(scores[s])) for s in hits]


def save_sparse(index: SparseIndex, path) -> None:
    from kechuang.techmarket.search.bm25 import _pack_postings

    index._flush()
    packed, terms = _pack_postings(index._postings, np.float32)
    np.savez(
        path,
        keys=np.asarray(index.keys, dtype=np.int64),
        dead=np.asarray(sorted(index._dead), dtype=np.int64),
        terms=np.asarray(terms, dtype=np.int64),
        **packed,
    )


def load_sparse(path) -> SparseIndex:
    from kechuang.techmarket.search.bm25 import _unpack_postings

    index = SparseIndex()
    with np.load(path) as z:
        index.keys = z["keys"].tolist()
        index._dead = set(z["dead"].tolist())
        index._slot = {k: i for i, k in enumerate(index.keys) if i not in index._dead}
        index._postings = _unpack_postings(z["terms"].tolist(), z["offsets"], z["slots"], z["values"])
    return index
