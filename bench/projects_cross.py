"""Benchmark of cross-language 查重 (zh ↔ en) for programme projects: the anchor path (`dedup_anchors`).

The evaluation set is generated fresh (`synthetic.make_eval_doc`, not the set the e5 thresholds were tuned on):
past applications are 90 % Chinese and 10 % English; of the new ones 10 % are translations of a past one (Chinese →
English written freely: other sentence order half the time, a sentence left out 30 % of the time, small numbers in
words; English → Chinese reworded), 10 % are *siblings* — another project of the same field (same object, method,
problem and place, other figures) in the other language, which must not match — and the rest fresh, half in each
language. Target quantities are drawn as real targets are (mostly 2–10).

Two splits with different seeds: the **tuning** split (`BENCH_CROSS_TUNE_PAST` × `BENCH_CROSS_TUNE_NEW`) chooses the
threshold and the minimum of shared features from a grid; the **held-out** split, at the issue's scale (5,000 new
against 50,000 past), is scored once with the chosen values and timed: the past applications' features are written
once at submission (as the stored index does), the check builds the corpus from the stored sets and scores every
new application.

Run: python -m bench.projects_cross
"""

import os
import random
import time

N_PAST = int(os.environ.get("BENCH_CROSS_PAST", "50000"))
N_NEW = int(os.environ.get("BENCH_CROSS_NEW", "5000"))
TUNE_PAST = int(os.environ.get("BENCH_CROSS_TUNE_PAST", "5000"))
TUNE_NEW = int(os.environ.get("BENCH_CROSS_TUNE_NEW", "1000"))
GRID = [(t, s) for t in (0.2, 0.3, 0.4, 0.5) for s in (2, 3, 4)]


def dataset(rng, n_past, n_new):
    from kechuang.projects import synthetic

    docs, past = [], []
    for i in range(n_past):
        slots = synthetic.field_slots(rng)
        doc = synthetic.make_eval_doc(rng, slots)
        docs.append((doc, slots))
        english = rng.random() < 0.1
        text = synthetic.free_translation(doc, rng) if english else synthetic.chinese(doc)
        past.append((f"p{i}", text, "en" if english else "zh-hans"))
    planted = n_new // 10
    new, truth, kinds = [], {}, {}
    for k, source in enumerate(rng.sample(range(n_past), 2 * planted)):
        doc = docs[source][0]
        to_english = past[source][2] == "zh-hans"
        if k < planted:
            text = synthetic.free_translation(doc, rng) if to_english else synthetic.free_chinese(doc, rng)
            ident = f"t{k}"
            truth[ident] = f"p{source}"
            kinds[ident] = "zh→en" if to_english else "en→zh"
        else:
            sibling = synthetic.make_eval_doc(rng, docs[source][1])  # same field, other figures
            text = synthetic.free_translation(sibling, rng) if to_english else synthetic.chinese(sibling)
            ident = f"s{k}"
        new.append((ident, text))
    for k in range(n_new - len(new)):
        doc = synthetic.make_eval_doc(rng)
        text = synthetic.free_translation(doc, rng) if k % 2 else synthetic.chinese(doc)
        new.append((f"f{k}", text))
    return past, new, truth, kinds


def score(hits, truth, kinds=None) -> dict:
    found = {(h.new, h.past) for h in hits}
    true_pairs = set(truth.items())
    tp = len(found & true_pairs)
    out = {
        "precision": round(tp / len(found), 4) if found else 1.0,
        "recall": round(tp / len(true_pairs), 4) if true_pairs else 1.0,
        "hits": len(found),
        "planted": len(true_pairs),
        "sibling_hits": sum(1 for n, _p in found if n.startswith("s")),
    }
    if kinds:
        for direction in ("zh→en", "en→zh"):
            wanted = {k: v for k, v in truth.items() if kinds[k] == direction}
            got = {(n, p) for n, p in found if n in wanted}
            out[f"recall_{direction}"] = round(len(got & set(wanted.items())) / max(len(wanted), 1), 4)
    return out


def corpus_of(past):
    from kechuang.projects import dedup, dedup_anchors

    stored = [dedup.pack(dedup_anchors.features(text)) for _i, text, _l in past]
    return stored, lambda: dedup_anchors.build(
        [i for i, _t, _l in past], [dedup.unpack(b) for b in stored], [lang for _i, _t, lang in past]
    )


def tune() -> dict:
    from kechuang.projects import dedup_anchors

    rng = random.Random(1501)
    past, new, truth, _kinds = dataset(rng, TUNE_PAST, TUNE_NEW)
    _stored, build = corpus_of(past)
    corpus = build()
    results = []
    for threshold, shared in GRID:
        hits = dedup_anchors.hits(new, corpus, threshold=threshold, min_shared=shared)
        s = score(hits, truth)
        results.append({"threshold": threshold, "min_shared": shared, **s})
    # the most precise setting that keeps recall ≥ 0.90; ties by recall, then the stricter threshold and the
    # larger minimum of shared features (the safer of equal settings on a larger corpus)
    ok = [r for r in results if r["recall"] >= 0.9] or results
    best = max(ok, key=lambda r: (r["precision"], r["recall"], r["threshold"], r["min_shared"]))
    return {"past": TUNE_PAST, "new": TUNE_NEW, "grid": results, "chosen": best}


def held_out(threshold, shared) -> dict:
    from kechuang.projects import dedup_anchors

    rng = random.Random(1502)
    past, new, truth, kinds = dataset(rng, N_PAST, N_NEW)
    started = time.perf_counter()
    _stored, build = corpus_of(past)
    index_s = time.perf_counter() - started
    started = time.perf_counter()
    corpus = build()
    hits = dedup_anchors.hits(new, corpus, threshold=threshold, min_shared=shared)
    check_s = time.perf_counter() - started
    return {
        "past": N_PAST,
        "new": N_NEW,
        "threshold": threshold,
        "min_shared": shared,
        "index_seconds_once": round(index_s, 2),
        "check_seconds": round(check_s, 2),
        **score(hits, truth, kinds),
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


def combined() -> dict:
    """The whole check as a formal check runs it, on one held-out set (seed 1503): 5 % exact copies, 5 % rewordings,
    5 % translations (either way) and 5 % siblings among 5,000 new against 50,000 past; shingle and anchor paths from
    the stored sets, timed together."""
    from kechuang.projects import dedup, dedup_anchors, synthetic

    rng = random.Random(1503)
    fields = [synthetic.field_slots(rng) for _ in range(N_PAST)]
    sources = [synthetic.make_eval_doc(rng, f) for f in fields]
    past = []
    for i, doc in enumerate(sources):
        english = rng.random() < 0.1
        text = synthetic.free_translation(doc, rng) if english else synthetic.chinese(doc)
        past.append((f"p{i}", text, "en" if english else "zh-hans"))
    share = N_NEW // 20
    new, truth = [], {}
    for k, source in enumerate(rng.sample(range(N_PAST), 4 * share)):
        doc, zh = sources[source], past[source][2] == "zh-hans"
        kind = ("copy", "reworded", "translation", "sibling")[k // share]
        if kind == "copy":
            text = past[source][1]
        elif kind == "reworded":
            text = synthetic.reworded(doc, rng) if zh else synthetic.free_translation(doc, rng)
        elif kind == "translation":
            text = synthetic.free_translation(doc, rng) if zh else synthetic.free_chinese(doc, rng)
        else:
            sibling = synthetic.make_eval_doc(rng, fields[source])
            text = synthetic.free_translation(sibling, rng) if zh else synthetic.chinese(sibling)
        new.append((f"{kind}{k}", text))
        if kind != "sibling":
            truth[f"{kind}{k}"] = f"p{source}"
    new += [
        (f"fresh{k}", synthetic.free_translation(d, rng) if k % 2 else synthetic.chinese(d))
        for k, d in enumerate(synthetic.make_eval_doc(rng) for _ in range(N_NEW - len(new)))
    ]
    started = time.perf_counter()
    shingle_sets = [dedup.pack(dedup.shingles(t)) for _i, t, _l in past]
    anchor_sets = [dedup.pack(dedup_anchors.features(t)) for _i, t, _l in past]
    index_s = time.perf_counter() - started
    ids, langs = [i for i, _t, _l in past], [lang for _i, _t, lang in past]
    started, cpu = time.perf_counter(), time.process_time()
    corpus = dedup.build_from_sets(ids, [dedup.unpack(b) for b in shingle_sets], langs)
    anchors = dedup_anchors.build(ids, [dedup.unpack(b) for b in anchor_sets], langs)
    hits = dedup.shingle_hits(new, corpus) + dedup_anchors.hits(new, anchors)
    check_s, check_cpu = time.perf_counter() - started, time.process_time() - cpu
    out = {
        "past": N_PAST,
        "new": N_NEW,
        "index_seconds_once": round(index_s, 2),
        "check_seconds": round(check_s, 2),
        "check_cpu_seconds": round(check_cpu, 2),  # the wall time under load shares 2 cores with others
        **score(hits, truth),
        "sibling_hits": sum(1 for h in hits if h.new.startswith("sibling")),
        "load_average_1min": round(os.getloadavg()[0], 1),
    }
    for kind in ("copy", "reworded", "translation"):
        wanted = {k: v for k, v in truth.items() if k.startswith(kind)}
        found = {(h.new, h.past) for h in hits if h.new.startswith(kind)}
        out[f"recall_{kind}"] = round(len(found & set(wanted.items())) / max(len(wanted), 1), 4)
    return out


def run() -> dict:
    parts = os.environ.get("BENCH_CROSS_PARTS", "tuning,held_out,combined").split(",")
    out: dict = {}
    chosen = {"threshold": 0.4, "min_shared": 2}
    if "tuning" in parts:
        out["tuning"] = tune()
        chosen = out["tuning"]["chosen"]
    if "held_out" in parts:
        out["held_out"] = held_out(chosen["threshold"], chosen["min_shared"])
    if "combined" in parts:
        out["combined"] = combined()
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))
