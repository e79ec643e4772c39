"""The bridge between the database and the search core.

- Embeddings of each text row (title + text, and the title alone) are stored on the row with a hash of the text
  they were computed from, so only changed rows are re-embedded.
- The whole searcher (vectors, keyword postings, latent-term postings, row table) is saved under
  `DATA_DIR/techmarket/index/` as a base snapshot plus a journal: the `techmarket.index` job appends one entry
  per change (the listings it touched, their live rows with tokens and vectors) and bumps the manifest's
  generation; every process (worker and web) applies the entries it has not seen, so an approval costs work in
  proportion to what changed. Every COMPACT_EVERY entries, and on `--full`, a new snapshot replaces the journal.
  After upgrading from the old layout run `manage.py techmarket index --full` once.
"""

import gc
import hashlib
import json
import os
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kechuang.techmarket.models import Listing, ListingKind, ListingStatus, ListingText
from kechuang.techmarket.search import dense, glossary
from kechuang.techmarket.search.engine import PARTS, Hit, HybridSearcher
from kechuang.techmarket.search.tokenize import tokenize
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


def write_manifest(directory: Path, manifest: dict) -> None:
    tmp = directory / f"manifest.json.tmp{os.getpid()}"
    tmp.write_text(json.dumps(manifest))
    os.replace(tmp, directory / "manifest.json")


@dataclass
class MarketIndex:
    directory: Path
    generation: int
    searcher: HybridSearcher
    base: str = ""


def load_index(directory: Path | None = None) -> MarketIndex:
    """The base snapshot named in the manifest (vectors, keyword and latent-term postings, row table), then the
    journal entries written since. Without a snapshot (a new installation), an empty index."""
    directory = directory or index_dir()
    manifest = read_manifest(directory)
    base = manifest.get("base", "")
    if base and (directory / base).exists():
        searcher = HybridSearcher.load(directory / base)
        index = MarketIndex(directory, int(manifest.get("base_generation", 0)), searcher, base)
    else:
        index = MarketIndex(directory, 0, HybridSearcher(VectorStore()), "")
    catch_up(index, manifest)
    gc.freeze()  # the index's many small objects are long-lived: keep them out of every GC pass
    return index


def catch_up(index: MarketIndex, manifest: dict) -> bool:
    """Apply the journal entries between the index's generation and the manifest's; False when one is missing
    (the writer compacted past us): the caller reloads."""
    target = int(manifest.get("generation", 0))
    for generation in range(index.generation + 1, target + 1):
        path = index.directory / JOURNAL / f"{generation:09d}.npz"
        try:
            removed, rows = read_entry(path)
        except (OSError, ValueError, KeyError):
            return False
        index.searcher.apply(removed, rows)
        index.generation = generation
    return True


def get_index() -> MarketIndex:
    """The process's index, brought up to the writer's generation by applying only the journal entries it has
    not seen (work in proportion to what changed); reloaded in full only after a compaction or a full rebuild."""
    directory = index_dir()
    manifest = read_manifest(directory)
    generation = int(manifest.get("generation", 0))
    with _lock:
        current = _cache.get(str(directory))
        if current is not None and current.generation != generation:
            same_base = current.base == manifest.get("base", "") and current.generation < generation
            if not (same_base and catch_up(current, manifest)):
                current = None
        if current is None:
            current = load_index(directory)
            _cache[str(directory)] = current
        return current


def forget_cached_indexes() -> None:
    with _lock:
        _cache.clear()


# --- the journal: one file per generation with everything a reader needs to apply it --------------------------
JOURNAL = "journal"
COMPACT_EVERY = 500  # journal entries before the writer saves a new base snapshot


def write_entry(directory: Path, generation: int, removed, rows: list[dict]) -> None:
    journal = directory / JOURNAL
    journal.mkdir(parents=True, exist_ok=True)
    n = len(rows)
    sparse = [row["sparse"] for row in rows]
    lengths = np.asarray([len(idx) for idx, _ in sparse], dtype=np.int64)
    tmp = journal / f"{generation:09d}.tmp{os.getpid()}.npz"
    np.savez(
        tmp,
        removed=np.asarray(sorted(removed), dtype=np.int64),
        keys=np.asarray([row["key"] for row in rows], dtype=np.int64),
        listings=np.asarray([row["listing_id"] for row in rows], dtype=np.int64),
        languages=np.asarray([row["language"] for row in rows] or [""]),
        kinds=np.asarray([row["kind"] for row in rows] or [""]),
        tokens=np.asarray(["\x1f".join(row["tokens"]) for row in rows] or [""]),
        concepts=np.asarray([" ".join(row.get("concepts", ())) for row in rows] or [""]),
        vectors=np.vstack([row["vector"] for row in rows]) if n else np.zeros((0, dense.DIM), np.float32),
        titles=np.vstack([row["title_vector"] for row in rows])
        if n
        else np.zeros((0, dense.DIM), np.float32),
        sparse_lengths=lengths,
        sparse_idx=np.concatenate([np.asarray(i, np.int32) for i, _ in sparse])
        if n
        else np.zeros(0, np.int32),
        sparse_val=np.concatenate([np.asarray(v, np.float32) for _, v in sparse])
        if n
        else np.zeros(0, np.float32),
    )
    os.replace(tmp, journal / f"{generation:09d}.npz")


def read_entry(path: Path):
    with np.load(path) as z:
        removed = z["removed"].tolist()
        n = len(z["keys"])
        offsets = np.concatenate([[0], np.cumsum(z["sparse_lengths"])])
        rows = [
            {
                "key": int(z["keys"][i]),
                "listing_id": int(z["listings"][i]),
                "language": str(z["languages"][i]),
                "kind": str(z["kinds"][i]),
                "tokens": str(z["tokens"][i]).split("\x1f") if str(z["tokens"][i]) else [],
                "concepts": str(z["concepts"][i]).split() if "concepts" in z.files else [],
                "vector": z["vectors"][i],
                "title_vector": z["titles"][i],
                "sparse": (
                    z["sparse_idx"][offsets[i] : offsets[i + 1]],
                    z["sparse_val"][offsets[i] : offsets[i + 1]],
                ),
            }
            for i in range(n)
        ]
    return removed, rows


# --- background work -----------------------------------------------------------------------------------
MAX_BATCH = 5000  # listings one index job may carry; beyond this a new job starts


def enqueue_index(listing_ids=None, *, acting_user=None, full: bool = False):
    """Queue an index update. Bulk approvals batch: while an index job is still queued (not yet claimed by a
    worker), later changes join it, so 100 approvals in a row become one job and one journal entry. The queued
    job's row is locked while its ids are merged, so a worker claiming it meanwhile waits and then sees them."""
    from django.db import transaction

    from kechuang.jobs.models import Job
    from kechuang.jobs.queue import enqueue

    ids = set(listing_ids or [])
    with transaction.atomic():
        queued = (
            Job.objects.select_for_update()
            .filter(kind="techmarket.index", status=Job.Status.QUEUED)
            .order_by("-id")
            .first()
        )
        if queued is not None:
            params = queued.params or {}
            merged = ids | set(params.get("listing_ids") or [])
            if len(merged) <= MAX_BATCH:
                queued.params = {"listing_ids": sorted(merged), "full": bool(params.get("full")) or full}
                if queued.params["full"]:
                    queued.label = "技术市场索引重建"
                queued.save(update_fields=["params", "label"])
                return queued
        return enqueue(
            "techmarket.index",
            params={"listing_ids": sorted(ids), "full": full},
            label="技术市场索引更新" if not full else "技术市场索引重建",
            acting_user=acting_user,
        )


def latent_terms_enabled() -> bool:
    """The latent-term pass costs more than the dense passes together; it runs only when fusion weighs it."""
    from kechuang.techmarket.search.engine import load_params

    return float(load_params().get("sparse", 0.0)) > 0


def embed_rows(rows: list[ListingText], progress=None) -> int:
    """Embed rows whose text changed since they were last embedded; store vectors on the rows."""
    with_sparse = latent_terms_enabled()
    todo = [
        row
        for row in rows
        if row.embedded_hash != text_hash(row)
        or row.embedding is None
        or (with_sparse and not row.sparse_embedding)
    ]
    for start in range(0, len(todo), EMBED_BATCH):
        batch = todo[start : start + EMBED_BATCH]
        full = dense.embed_passages([row.search_text for row in batch])
        titles = dense.embed_passages([row.title for row in batch])
        sparse = (
            dense.embed_sparse([row.search_text for row in batch])
            if with_sparse
            else [(np.zeros(0, np.int32), np.zeros(0, np.float32))] * len(batch)
        )
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


def entry_rows(rows: list[ListingText], kinds: dict[int, str], centering) -> list[dict]:
    out = []
    for row in rows:
        out.append(
            {
                "key": row.pk,
                "listing_id": row.listing_id,
                "language": row.language,
                "kind": kinds.get(row.listing_id, ""),
                "tokens": tokenize(row.search_text.replace("。", " "), row.language),
                "concepts": sorted(glossary.bundled().concepts_in(row.search_text, row.language)),
                "vector": centering.apply(dense.from_bytes(row.embedding), row.language, "passage"),
                "title_vector": centering.apply(
                    dense.from_bytes(row.title_embedding), row.language, "passage"
                ),
                "sparse": dense.sparse_from_bytes(row.sparse_embedding),
            }
        )
    return out


def sync_index(listing_ids=None, *, full: bool = False, progress=None) -> dict:
    """Bring the index in step with the database for `listing_ids` (or everything, `full`).

    Incremental: embed the changed rows, append one journal entry (removed listings + their live rows with
    tokens and vectors) and bump the generation; every process applies just that entry. Every COMPACT_EVERY
    entries, and on a full rebuild, the writer saves a new base snapshot."""
    started = time.perf_counter()
    directory = index_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with _write_lock(directory):
        manifest = read_manifest(directory)
        full = full or not manifest.get("base")
        target = Listing.objects.all() if full else Listing.objects.filter(pk__in=listing_ids or [])
        listing_pks = list(target.values_list("pk", flat=True))
        live_qs = live_listings() if full else live_listings().filter(pk__in=listing_pks)
        kinds = dict(live_qs.values_list("pk", "kind"))
        rows = list(ListingText.objects.filter(listing_id__in=list(kinds)).order_by("pk"))
        embedded = embed_rows(rows, progress=progress)
        centering = dense.Centering.bundled()
        generation = int(manifest.get("generation", 0)) + 1
        if full:
            searcher = HybridSearcher(VectorStore())
            searcher.apply([], entry_rows(rows, kinds, centering))
            searcher.fit_components(int(searcher.params.get("components", 0)))
            _save_base(directory, searcher, generation, manifest)
            forget_cached_indexes()
        else:
            write_entry(directory, generation, listing_pks, entry_rows(rows, kinds, centering))
            write_manifest(
                directory,
                {**manifest, "generation": generation, "updated_at": timezone.now().isoformat()},
            )
            if generation - int(manifest.get("base_generation", 0)) >= COMPACT_EVERY:
                index = get_index()
                _save_base(directory, index.searcher, generation, read_manifest(directory))
    return {
        "generation": generation,
        "listings": len(kinds),
        "rows_embedded": embedded,
        "seconds": round(time.perf_counter() - started, 2),
        "full": full,
    }


def _save_base(directory: Path, searcher: HybridSearcher, generation: int, manifest: dict) -> None:
    """Write a new base snapshot, point the manifest at it, then drop the journal and snapshots it replaces
    (a reader still on an older base reloads)."""
    name = f"base-{generation:09d}"
    tmp = directory / f"{name}.tmp{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    searcher.save(tmp)
    os.replace(tmp, directory / name)
    write_manifest(
        directory,
        {
            "format": 2,
            "generation": generation,
            "base": name,
            "base_generation": generation,
            "model": dense.MODEL_NAME,
            "updated_at": timezone.now().isoformat(),
        },
    )
    for child in directory.iterdir():
        if child.is_dir() and child.name.startswith("base-") and child.name != name:
            shutil.rmtree(child, ignore_errors=True)
    journal = directory / JOURNAL
    if journal.exists():
        for entry in journal.iterdir():
            if entry.name[:9].isdigit() and int(entry.name[:9]) <= generation:
                entry.unlink(missing_ok=True)


@contextmanager
def _write_lock(directory: Path):
    """One writer at a time (the jobs worker; a second worker or a manual rebuild waits)."""
    import fcntl

    with open(directory / ".lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


@lru_cache(maxsize=1)
def _blas():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def blas_single_thread():
    """One BLAS thread per search: the web server runs searches side by side, and two threads per search
    on a busy core cost far more in contention than they gain (issue 11: p50 0.6 ms → 8–12 ms)."""
    return _blas().limit(limits=1)


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
    allowed = None
    active = {name: value for name, value in (filters or {}).items() if value not in (None, "")}
    if active or exclude:
        qs = live_listings().filter(**active)
        if kind:
            qs = qs.filter(kind=kind)
        allowed = set(qs.values_list("pk", flat=True)) - (exclude or set())
        if not allowed:
            return []
    with blas_single_thread():
        hits = index.searcher.search(
            query, language=language, k=k, mode=mode, allowed=allowed, kind=kind or None
        )
    live = set(live_listings().filter(pk__in=[h.listing_id for h in hits]).values_list("pk", flat=True))
    return [h for h in hits if h.listing_id in live]


STRONG_SIMILARITY = 0.45  # fallback when the language pair has no calibrated threshold


def strong_threshold(params: dict, demand_language: str, achievement_language: str) -> float:
    """The similarity above which a match is worth a notification, calibrated per language pair on the
    evaluation's tuning part (`match_thresholds` in search/params.json)."""
    table = params.get("match_thresholds", {})
    return float(
        table.get(f"{demand_language}>{achievement_language}", table.get("default", STRONG_SIMILARITY))
    )


def pair_scores(searcher: HybridSearcher, listing_id: int, allowed: set[int], k: int) -> dict[int, tuple]:
    """{other listing: (similarity, my row language, its row language)}: the best cosine between any of the
    listing's text rows and any of the other's (both passage vectors, centred per language) — the same number
    whichever side asks, so a demand's and an achievement's refresh agree on the pair."""
    mine = {
        key: searcher.docs[key].language
        for key in searcher.rows_of.get(listing_id, ())
        if key in searcher.docs
    }
    vectors = searcher.vectors.get([key * PARTS for key in mine])
    best: dict[int, tuple] = {}
    for vkey, vector in vectors.items():
        hits, _ = searcher.dense_parts(vector, allowed, k=k)
        for other, score, key in hits:
            if other not in best or score > best[other][0]:
                best[other] = (score, mine[vkey // PARTS], searcher.docs[key].language)
    return best


def compute_matches(listing: Listing, k: int = 10) -> list[dict]:
    """Best counterpart listings (achievements for a demand, demands for an achievement) with reasons."""
    index = get_index()
    searcher = index.searcher
    other = ListingKind.ACHIEVEMENT if listing.kind == ListingKind.DEMAND else ListingKind.DEMAND
    candidates = searcher.by_kind.get(other, set()) - {listing.pk}
    if not candidates or listing.pk not in searcher.rows_of:
        return []
    scores = pair_scores(searcher, listing.pk, candidates, k)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1][0], kv[0]))[:k]
    others = {
        o.pk: o for o in live_listings().filter(pk__in=[lid for lid, _ in ranked]).select_related("industry")
    }
    mine_ipc = {c.split(" ")[0] for c in listing.ipc_list}
    out = []
    rank = 0
    for lid, (sim, my_lang, their_lang) in ranked:
        o = others.get(lid)
        if o is None:
            continue
        rank += 1
        reasons = {"similarity": round(sim, 3), "language": their_lang}
        if listing.industry_id and o.industry_id:
            if listing.industry_id[:2] == o.industry_id[:2]:
                reasons["industry"] = o.industry_id[:2]
            elif listing.industry_section == o.industry_section:
                reasons["industry_section"] = o.industry_section
        shared_ipc = sorted(mine_ipc & {c.split(" ")[0] for c in o.ipc_list})
        if shared_ipc:
            reasons["ipc"] = shared_ipc
        pair = (my_lang, their_lang) if listing.kind == ListingKind.DEMAND else (their_lang, my_lang)
        threshold = strong_threshold(searcher.params, *pair)
        reasons["threshold"] = round(threshold, 3)
        strong = rank <= 3 and (sim >= threshold or bool(shared_ipc) or "industry" in reasons)
        out.append({"other": o, "score": round(sim, 4), "rank": rank, "reasons": reasons, "strong": strong})
    return out


COUNTERPART_REFRESH = 3  # a new listing's best counterparts also re-rank their side


def refresh_matches(listing_ids) -> dict:
    """Refresh the matches of `listing_ids`, then of their best counterparts (so both sides rank the new pairs:
    a new demand appears among its best achievement's demands too)."""
    from kechuang.techmarket.services_matching import do_store_matches

    stored = notified = 0
    ids = set(listing_ids)
    counterparts: set[int] = set()
    for round_ids in (ids, None):
        if round_ids is None:
            round_ids = counterparts - ids
        for listing in live_listings().filter(pk__in=list(round_ids)).prefetch_related("texts"):
            results = compute_matches(listing)
            counterparts.update(r["other"].pk for r in results[:COUNTERPART_REFRESH])
            with transaction.atomic():
                s, n = do_store_matches(listing, results, acting_user=None)
            stored += s
            notified += n
    return {"matches": stored, "notified": notified}


# --- near duplicates (shown to the owner and the reviewer before publication) --------------------------------
NEAR_DUPLICATE = 0.5  # share of word pairs in common (Jaccard) above which two texts are near-duplicates


def _shingles(text: str, language: str) -> set:
    tokens = tokenize(text, language)
    return set(tokens) | set(zip(tokens, tokens[1:], strict=False))


def near_duplicates(listing: Listing, *, limit: int = 5) -> list[tuple[Listing, float]]:
    """Published listings of the same kind whose text in the same language mostly repeats this one's: the
    keyword index proposes candidates, word and word-pair overlap decides. Exact copies by the same owner are
    refused at submission; these are the near ones (reworded titles, a changed figure)."""
    original = listing.original_text
    if original is None:
        return []
    index = get_index()
    tokens = tokenize(original.search_text, original.language)
    allowed = index.searcher.by_kind.get(listing.kind, set()) - {listing.pk}
    if not tokens or not allowed:
        return []
    hits = index.searcher.keyword(tokens, allowed, k=20)
    mine = _shingles(original.search_text, original.language)
    out = []
    others = live_listings().filter(pk__in=[lid for lid, _, _ in hits]).prefetch_related("texts")
    for other in others:
        row = next((r for r in other.texts.all() if r.language == original.language), None)
        if row is None:
            continue
        theirs = _shingles(row.search_text, row.language)
        similarity = len(mine & theirs) / max(1, len(mine | theirs))
        if similarity >= NEAR_DUPLICATE:
            out.append((other, round(similarity, 2)))
    return sorted(out, key=lambda pair: -pair[1])[:limit]
