"""Benchmark of 查重 for programme projects (issue 15): planted duplicates among synthetic applications.

Same-language path (shingles): N_NEW new applications against N_PAST past ones; of the new ones 5 % are exact
copies of a past application and 5 % reworded copies (synonyms, other sentence order, an added sentence), the rest
fresh. Translation path (e5): N_TRANS English translations of past Chinese applications plus as many fresh English
ones, against N_TRANS_PAST past Chinese applications. The translation path is measured at a small scale because
embedding runs at a few texts per second on this shared 2-core machine; its figures are per text.

Run: python -m bench.projects
"""

import os
import random
import time

N_PAST = int(os.environ.get("BENCH_PROJECTS_PAST", "50000"))
N_NEW = int(os.environ.get("BENCH_PROJECTS_NEW", "5000"))
N_TRANS = int(os.environ.get("BENCH_PROJECTS_TRANS", "40"))
N_TRANS_PAST = int(os.environ.get("BENCH_PROJECTS_TRANS_PAST", "400"))


def score(hits, truth: dict) -> dict:
    found = {(h.new, h.past) for h in hits}
    true_pairs = set(truth.items())
    tp = len(found & true_pairs)
    return {
        "precision": round(tp / len(found), 4) if found else 1.0,
        "recall": round(tp / len(true_pairs), 4) if true_pairs else 1.0,
        "hits": len(found),
        "planted": len(true_pairs),
    }


def shingle_part(rng) -> dict:
    from kechuang.projects import dedup, synthetic

    docs = [synthetic.make_doc(rng) for _ in range(N_PAST)]
    started = time.perf_counter()
    corpus = dedup.build((f"p{i}", synthetic.chinese(d)) for i, d in enumerate(docs))
    build_s = time.perf_counter() - started
    planted = N_NEW // 20
    new, truth = [], {}
    for k, source in enumerate(rng.sample(range(N_PAST), 2 * planted)):
        kind = "copy" if k < planted else "reworded"
        text = synthetic.chinese(docs[source]) if kind == "copy" else synthetic.reworded(docs[source], rng)
        new.append((f"{kind}{k}", text))
        truth[f"{kind}{k}"] = f"p{source}"
    new += [(f"fresh{k}", synthetic.chinese(synthetic.make_doc(rng))) for k in range(N_NEW - len(new))]
    started = time.perf_counter()
    hits = dedup.shingle_hits(new, corpus)
    query_s = time.perf_counter() - started
    by_kind = {
        kind: score(
            [h for h in hits if h.new.startswith(kind)],
            {k: v for k, v in truth.items() if k.startswith(kind)},
        )
        for kind in ("copy", "reworded")
    }
    return {
        "past": N_PAST,
        "new": N_NEW,
        "index_seconds": round(build_s, 2),
        "check_seconds": round(query_s, 2),
        "total_seconds": round(build_s + query_s, 2),
        **score(hits, truth),
        "copy_recall": by_kind["copy"]["recall"],
        "reworded_recall": by_kind["reworded"]["recall"],
    }


def stored_part(rng) -> dict:
    """The same check from the stored index (`DedupEntry`): each past application's shingle set was written once,
    at submission (`index_seconds` is what all 50,000 submissions paid together); the check unpacks the stored sets,
    builds the sparse corpus and scores the new applications — no past text is tokenised again."""
    from kechuang.projects import dedup, synthetic

    docs = [synthetic.make_doc(rng) for _ in range(N_PAST)]
    started = time.perf_counter()
    stored = [dedup.pack(dedup.shingles(synthetic.chinese(d))) for d in docs]
    languages = ["zh-hans"] * N_PAST
    index_s = time.perf_counter() - started
    planted = N_NEW // 20
    new, truth = [], {}
    for k, source in enumerate(rng.sample(range(N_PAST), 2 * planted)):
        kind = "copy" if k < planted else "reworded"
        text = synthetic.chinese(docs[source]) if kind == "copy" else synthetic.reworded(docs[source], rng)
        new.append((f"{kind}{k}", text))
        truth[f"{kind}{k}"] = f"p{source}"
    new += [(f"fresh{k}", synthetic.chinese(synthetic.make_doc(rng))) for k in range(N_NEW - len(new))]
    started = time.perf_counter()
    corpus = dedup.build_from_sets(
        [f"p{i}" for i in range(N_PAST)], [dedup.unpack(b) for b in stored], languages
    )
    load_s = time.perf_counter() - started
    hits = dedup.shingle_hits(new, corpus)
    check_s = time.perf_counter() - started
    return {
        "past": N_PAST,
        "new": N_NEW,
        "index_seconds_once": round(index_s, 2),
        "stored_bytes_per_application": round(sum(len(b) for b in stored) / N_PAST),
        "load_and_build_seconds": round(load_s, 2),
        "check_seconds_total": round(check_s, 2),
        **score(hits, truth),
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


def translation_part(rng) -> dict:
    from kechuang.projects import dedup, synthetic

    docs = [synthetic.make_doc(rng) for _ in range(N_TRANS_PAST)]
    corpus = dedup.build((f"p{i}", synthetic.chinese(d)) for i, d in enumerate(docs))
    started = time.perf_counter()
    corpus.vectors = dedup.embed(corpus.texts, corpus.languages)
    past_embed_s = time.perf_counter() - started
    sources = rng.sample(range(N_TRANS_PAST), N_TRANS)
    new = [(f"t{k}", synthetic.english(docs[s])) for k, s in enumerate(sources)]
    new += [(f"fresh{k}", synthetic.english(synthetic.make_doc(rng))) for k in range(N_TRANS)]
    truth = {f"t{k}": f"p{s}" for k, s in enumerate(sources)}
    started = time.perf_counter()
    vectors = dedup.embed([t for _, t in new], [dedup.language(t) for _, t in new])
    hits = dedup.translation_hits(new, vectors, corpus)
    new_s = time.perf_counter() - started
    return {
        "past": N_TRANS_PAST,
        "new": len(new),
        **score(hits, truth),
        "embed_texts_per_second": round((N_TRANS_PAST + len(new)) / (past_embed_s + new_s), 2),
        "check_seconds": round(new_s, 2),
    }


def run() -> dict:
    rng = random.Random(15)
    parts = os.environ.get("BENCH_PROJECTS_PARTS", "stored,translation").split(",")
    out = {}
    if "shingles" in parts:
        out["shingles"] = shingle_part(rng)
    if "stored" in parts:
        out["stored"] = stored_part(rng)
    if "translation" in parts:
        out["translation"] = translation_part(rng)
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))
