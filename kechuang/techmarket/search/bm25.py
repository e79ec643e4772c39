"""A small BM25 over an in-memory inverted index (numpy postings), rebuilt or extended incrementally."""

from collections import Counter

import numpy as np


class BM25Index:
    """Documents are integer keys; postings are per-term numpy arrays built lazily after additions."""

    def __init__(self, k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.keys: list[int] = []
        self.lengths: list[int] = []
        self._slot: dict[int, int] = {}
        self._deleted: set[int] = set()
        self._pending: dict[str, list[tuple[int, int]]] = {}
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._len_arr = np.zeros(0, dtype=np.float32)
        self._alive = np.zeros(0, dtype=bool)
        self._dead_seen: set[int] = set()
        self._n_alive = 0
        self._norm = np.zeros(0, dtype=np.float32)

    def __len__(self) -> int:
        return len(self.keys) - len(self._deleted)

    def add(self, key: int, tokens: list[str]) -> None:
        if key in self._slot:
            self.remove(key)
        slot = len(self.keys)
        self.keys.append(key)
        self.lengths.append(len(tokens))
        self._slot[key] = slot
        for term, tf in Counter(tokens).items():
            self._pending.setdefault(term, []).append((slot, tf))

    def remove(self, key: int) -> None:
        slot = self._slot.pop(key, None)
        if slot is not None:
            self._deleted.add(slot)

    def _flush(self) -> None:
        if self._pending:
            for term, items in self._pending.items():
                slots = np.fromiter((s for s, _ in items), dtype=np.int64, count=len(items))
                tfs = np.fromiter((t for _, t in items), dtype=np.float32, count=len(items))
                if term in self._postings:
                    old_s, old_t = self._postings[term]
                    slots, tfs = np.concatenate([old_s, slots]), np.concatenate([old_t, tfs])
                self._postings[term] = (slots, tfs)
            self._pending = {}
        if (
            len(self._len_arr) != len(self.lengths)
            or len(self._alive) != len(self.keys)
            or self._deleted != self._dead_seen
        ):
            self._len_arr = np.asarray(self.lengths, dtype=np.float32)
            self._alive = np.ones(len(self.keys), dtype=bool)
            if self._deleted:
                self._alive[list(self._deleted)] = False
            self._dead_seen = set(self._deleted)
            self._n_alive = int(self._alive.sum())
            avgdl = float(self._len_arr[self._alive].mean()) if self._n_alive else 1.0
            self._norm = self.k1 * (1 - self.b + self.b * self._len_arr / (avgdl or 1.0))

    def search(self, tokens: list[str], k: int = 100) -> list[tuple[int, float, float]]:
        """Top-k (key, score, coverage) for the query tokens; coverage is the idf-weighted share of the query's
        distinct terms that the document contains (a term the index has never seen counts at full idf)."""
        self._flush()
        n = self._n_alive
        if not tokens or n == 0:
            return []
        scores = np.zeros(len(self.keys), dtype=np.float32)
        norm = self._norm
        used = []
        covered = np.zeros(len(self.keys), dtype=np.float32)
        total_idf = 0.0
        for term in dict.fromkeys(tokens):
            posting = self._postings.get(term)
            if posting is None:
                total_idf += float(np.log(1 + (n + 0.5) / 0.5))
                continue
            slots, tfs = posting
            df = len(slots)
            idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
            total_idf += float(idf)
            scores[slots] += idf * tfs * (self.k1 + 1) / (tfs + norm[slots])
            covered[slots] += idf
            used.append(term)
        if not used:
            return []
        if self._dead_seen:
            scores[~self._alive] = 0
        hits = np.flatnonzero(scores > 0)
        if len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        hits = hits[np.argsort(-scores[hits], kind="stable")]
        return [(self.keys[s], float(scores[s]), float(covered[s] / total_idf)) for s in hits]

    def matched_terms(self, key: int, tokens: list[str]) -> list[str]:
        """The query terms that occur in document `key` (for "why it matched")."""
        self._flush()
        slot = self._slot.get(key)
        if slot is None:
            return []
        found = []
        for term in dict.fromkeys(tokens):
            posting = self._postings.get(term)
            if posting is not None:
                i = np.searchsorted(posting[0], slot)  # postings are in slot order
                if i < len(posting[0]) and posting[0][i] == slot:
                    found.append(term)
        return found


def _pack_postings(postings: dict, dtype) -> dict:
    """{term: (slots, values)} → flat arrays (terms in order, offsets, slots, values) for np.savez."""
    terms = list(postings)
    lengths = np.fromiter((len(postings[t][0]) for t in terms), dtype=np.int64, count=len(terms))
    offsets = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    slots = np.concatenate([postings[t][0] for t in terms]) if terms else np.zeros(0, np.int64)
    values = np.concatenate([postings[t][1] for t in terms]) if terms else np.zeros(0, dtype)
    return {"offsets": offsets, "slots": slots.astype(np.int64), "values": values.astype(dtype)}, terms


def _unpack_postings(terms, offsets, slots, values) -> dict:
    return {
        t: (slots[offsets[i] : offsets[i + 1]], values[offsets[i] : offsets[i + 1]])
        for i, t in enumerate(terms)
    }


def save_bm25(index: BM25Index, path) -> None:
    """Everything the index needs to answer, so a cold process does not re-tokenise a single row."""
    index._flush()
    packed, terms = _pack_postings(index._postings, np.float32)
    np.savez(
        path,
        keys=np.asarray(index.keys, dtype=np.int64),
        lengths=np.asarray(index.lengths, dtype=np.int32),
        deleted=np.asarray(sorted(index._deleted), dtype=np.int64),
        terms=np.asarray("\x1f".join(terms)),
        params=np.asarray([index.k1, index.b], dtype=np.float64),
        **packed,
    )


def load_bm25(path) -> BM25Index:
    with np.load(path) as z:
        k1, b = z["params"].tolist()
        index = BM25Index(k1, b)
        index.keys = z["keys"].tolist()
        index.lengths = z["lengths"].tolist()
        index._deleted = set(z["deleted"].tolist())
        index._slot = {k: i for i, k in enumerate(index.keys) if i not in index._deleted}
        text = str(z["terms"])
        terms = text.split("\x1f") if text else []
        index._postings = _unpack_postings(terms, z["offsets"], z["slots"], z["values"])
    return index
