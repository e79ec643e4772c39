"""The bridge between the database and the search core.

- Embeddings of each text row (title + text, and the title alone) are stored on the row with a hash of the text
  they were computed from, so only changed rows are re-embedded.
- The vector store (exact matrix + usearch HNSW graph) lives under `DATA_DIR/techmarket/index/` and is updated
  incrementally by the `techmarket.index` job; every process reloads it when the manifest's generation changes,
  and rebuilds its BM25 index from the live rows at the same moment.
"""

import gc
import hashlib
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kechuang.techmarket.models import Listing, ListingKind, ListingStatus, ListingText
from kechuang.techmarket.search import dense
from kechuang.techmarket.search.engine import PARTS, Hit, HybridSearcher
from kechuang.techmarket.search.vectors import VectorStore

EMBED_BATCH = 16
_lock = threading.Lock()
_cache: dict[str, "MarketIndex"] = {}


def index_dir() -> Path:
    return Path(settings.DATA_DIR) / "techmarket" / "index"


def live_listings():
    now = timezone.now()
    return Listing.objects.filter(status=ListingStatus.PUBLISHED).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def text_hash(row: ListingText) -> str:
    return hashlib.sha1(f"{dense.MODEL_NAME}|{row.title}|{row.search_text}".encode()).hexdigest()


def read_manifest(directory: Path) -> dict:
    try:
        return json.loads((directory / "manifest.json").read_text())
    except (OSError, ValueError):
        return {}


@dataclass
class MarketIndex:
    directory: Path
    generation: int
    searcher: HybridSearcher


def load_index(directory: Path | None = None) -> MarketIndex:
    directory = directory or index_dir()
    manifest = read_manifest(directory)
    if manifest:
        try:
            store, manifest = VectorStore.load(directory)
        except (OSError, ValueError):
            store, manifest = VectorStore(), {}
    else:
        store = VectorStore()
    searcher = HybridSearcher(store)
    rows = ListingText.objects.filter(listing__in=live_listings()).values_list(
        "pk", "listing_id", "language", "title", "summary", "problem", "advantage", "sparse_embedding"
    )
    for pk, listing_id, language, title, summary, problem, advantage, sparse in rows.iterator(
        chunk_size=2000
    ):
        text = " ".join(p for p in (title, summary, problem, advantage) if p)
        searcher.add_text(pk, listing_id, language, text)
        if sparse:
            searcher.add_sparse([pk], [dense.sparse_from_bytes(sparse)])
    gc.freeze()  # the index's millions of small objects are long-lived: keep them out of every GC pass
    return MarketIndex(directory, int(manifest.get("generation", 0)), searcher)


def get_index() -> MarketIndex:
    """The process's index, reloaded when the background job has published a newer generation."""
    directory = index_dir()
    generation = int(read_manifest(directory).get("generation", 0))
    with _lock:
        current = _cache.get(str(directory))
        if current is None or current.generation != generation:
            current = load_index(directory)
            _cache[str(directory)] = current
        return current


def forget_cached_indexes() -> None:
    with _lock:
        _cache.clear()


# --- background work -----------------------------------------------------------------------------------
def enqueue_index(listing_ids=None, *, acting_user=None, full: bool = False):
    from kechuang.jobs.queue import enqueue

    return enqueue(
        "techmarket.index",
        params={"listing_ids": sorted(set(listing_ids or [])), "full": full},
        label="技术市场索引更新" if not full else "技术市场索引重建",
        acting_user=acting_user,
    )


def embed_rows(rows: list[ListingText], progress=None) -> int:
    """Embed rows whose text changed since they were last embedded; store vectors on the rows."""
    todo = [
        row
        for row in rows
        if row.embedded_hash != text_hash(row) or row.embedding is None or row.sparse_embedding is None
    ]
    for start in range(0, len(todo), EMBED_BATCH):
        batch = todo[start : start + EMBED_BATCH]
        full = dense.embed_passages([row.search_text for row in batch])
        titles = dense.embed_passages([row.title for row in batch])
        sparse = dense.embed_sparse([row.search_text for row in batch])
        for row, vec, tvec, sp in zip(batch, full, titles, sparse, strict=True):
            row.embedding, row.title_embedding, row.embedded_hash = (
                dense.to_bytes(vec),
                dense.to_bytes(tvec),
                text_hash(row),
            )
            row.sparse_embedding = dense.sparse_to_bytes(sp)
            ListingText.objects.filter(pk=row.pk).update(
                embedding=row.embedding,
                title_embedding=row.title_embedding,
                sparse_embedding=row.sparse_embedding,
                embedded_hash=row.embedded_hash,
            )
        if progress:
            progress(min(start + EMBED_BATCH, len(todo)), len(todo))
    return len(todo)


def sync_index(listing_ids=None, *, full: bool = False, progress=None) -> dict:
    """Bring the on-disk vector store in step with the database for `listing_ids` (or everything)."""
    started = time.perf_counter()
    directory = index_dir()
    previous = read_manifest(directory)
    if full or not previous:
        store, manifest, full = VectorStore(), {"generation": previous.get("generation", 0)}, True
    else:
        store, manifest = VectorStore.load(directory)
    if full:
        target = Listing.objects.all()
    else:
        target = Listing.objects.filter(pk__in=listing_ids or [])
    listing_pks = list(target.values_list("pk", flat=True))
    live = (
        set(live_listings().filter(pk__in=listing_pks).values_list("pk", flat=True))
        if not full
        else set(live_listings().values_list("pk", flat=True))
    )
    rows = list(ListingText.objects.filter(listing_id__in=live))
    embedded = embed_rows(rows, progress=progress)
    if not full:
        old_rows = ListingText.objects.filter(listing_id__in=listing_pks).values_list("pk", flat=True)
        store.remove([pk * PARTS + p for pk in old_rows for p in range(2)])
        # rows deleted from the database leave keys behind only until the next full rebuild; searches ignore them
    centering = dense.Centering.bundled()
    by_lang: dict[str, list[ListingText]] = {}
    for row in rows:
        by_lang.setdefault(row.language, []).append(row)
    for language, group in by_lang.items():
        full_vecs = np.vstack([dense.from_bytes(r.embedding) for r in group])
        title_vecs = np.vstack([dense.from_bytes(r.title_embedding) for r in group])
        store.add([r.pk * PARTS for r in group], centering.apply(full_vecs, language, "passage"))
        store.add([r.pk * PARTS + 1 for r in group], centering.apply(title_vecs, language, "passage"))
    generation = int(manifest.get("generation", 0)) + 1
    store.save(
        directory,
        {
            "generation": generation,
            "vectors": len(store),
            "model": dense.MODEL_NAME,
            "updated_at": timezone.now().isoformat(),
        },
    )
    return {
        "generation": generation,
        "listings": len(live),
        "rows_embedded": embedded,
        "vectors": len(store),
        "seconds": round(time.perf_counter() - started, 2),
        "full": full,
    }


# --- searching -----------------------------------------------------------------------------------------
def search_listings(
    query: str,
    *,
    language: str | None = None,
    kind: str | None = None,
    filters: dict | None = None,
    k: int = 20,
    mode: str = "hybrid",
    exclude: set[int] | None = None,
) -> list[Hit]:
    """Hybrid search over live listings, with optional attribute filters."""
    index = get_index()
    qs = live_listings()
    if kind:
        qs = qs.filter(kind=kind)
    for name, value in (filters or {}).items():
        if value not in (None, ""):
            qs = qs.filter(**{name: value})
    allowed = None
    if kind or filters or exclude:
        allowed = set(qs.values_list("pk", flat=True)) - (exclude or set())
        if not allowed:
            return []
    hits = index.searcher.search(query, language=language, k=k, mode=mode, allowed=allowed)
    live = set(live_listings().filter(pk__in=[h.listing_id for h in hits]).values_list("pk", flat=True))
    return [h for h in hits if h.listing_id in live]


STRONG_SIMILARITY = 0.45


def compute_matches(listing: Listing, k: int = 10) -> list[dict]:
    """Best counterpart listings (achievements for a demand, demands for an achievement) with reasons."""
    original = listing.original_text
    if original is None:
        return []
    other = ListingKind.ACHIEVEMENT if listing.kind == ListingKind.DEMAND else ListingKind.DEMAND
    hits = search_listings(
        original.search_text, language=original.language, kind=other, k=k, exclude={listing.pk}
    )
    if not hits:
        return []
    others = {
        o.pk: o
        for o in Listing.objects.filter(pk__in=[h.listing_id for h in hits]).select_related("industry")
    }
    mine_ipc = {c.split(" ")[0] for c in listing.ipc_list}
    out = []
    for rank, hit in enumerate(hits, 1):
        o = others.get(hit.listing_id)
        if o is None:
            continue
        reasons = {
            "similarity": round(hit.similarity, 3) if hit.similarity is not None else None,
            "terms": hit.terms,
            "language": hit.language,
        }
        if listing.industry_id and o.industry_id:
            if listing.industry_id[:2] == o.industry_id[:2]:
                reasons["industry"] = o.industry_id[:2]
            elif listing.industry_section == o.industry_section:
                reasons["industry_section"] = o.industry_section
        shared_ipc = sorted(mine_ipc & {c.split(" ")[0] for c in o.ipc_list})
        if shared_ipc:
            reasons["ipc"] = shared_ipc
        sim = hit.similarity or 0.0
        strong = rank <= 3 and (sim >= STRONG_SIMILARITY or bool(shared_ipc) or "industry" in reasons)
        out.append({"other": o, "score": round(sim, 4), "rank": rank, "reasons": reasons, "strong": strong})
    return out


def refresh_matches(listing_ids) -> dict:
    from kechuang.techmarket.services_matching import do_store_matches

    stored = notified = 0
    for listing in live_listings().filter(pk__in=list(listing_ids)).prefetch_related("texts"):
        results = compute_matches(listing)
        with transaction.atomic():
            s, n = do_store_matches(listing, results, acting_user=None)
        stored += s
        notified += n
    return {"matches": stored, "notified": notified}
