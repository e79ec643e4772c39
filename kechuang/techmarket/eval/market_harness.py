"""Evaluation on the market set (`market.py`): r@1, r@10 and MRR per language, tuning and held-out separately.

Uses the same `HybridSearcher` as the site. Queries are searched as the API does by default: the query's
language is detected (no hint), and a demand looks for achievements.

    python -m kechuang.techmarket.eval.market_harness            # report with the shipped parameters
    python -m kechuang.techmarket.eval.market_harness tune       # learn fusion weights + temperature on the
                                                                 # tuning part only, write search/params.json
    python -m kechuang.techmarket.eval.market_harness compare    # every variant, as in docs/techmarket.md

`TECHMARKET_EVAL_CACHE=/path.npz` keeps the embeddings between runs.
"""

import itertools
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

from kechuang.techmarket.eval import market
from kechuang.techmarket.eval.harness import EmbeddingCache
from kechuang.techmarket.search import engine
from kechuang.techmarket.search.engine import HybridSearcher, linear_fusion
from kechuang.techmarket.search.tokenize import detect_language, tokenize

SPLITS = ("tuning", "held-out")


SPARSE = os.environ.get("TECHMARKET_EVAL_SPARSE", "1") != "0"  # 0: leave the latent terms out (faster)


def build(cache: EmbeddingCache, searcher: HybridSearcher | None = None):
    searcher = searcher if searcher is not None else HybridSearcher()
    names, texts, titles, keys = {}, [], [], []
    key = 0
    for listing_id, item in enumerate(market.pool(), 1):
        names[listing_id] = item["id"]
        for lang, (title, summary) in item["rows"].items():
            key += 1
            text = f"{title}。{summary}" if lang == "zh-hans" else f"{title}. {summary}"
            searcher.add_text(key, listing_id, lang, text, kind=item["kind"])
            texts.append(text)
            titles.append(title)
            keys.append(key)
    searcher.add_vectors(keys, cache.embed(texts, False), cache.embed(titles, False))
    if SPARSE:
        searcher.add_sparse(keys, cache.embed_sparse(texts))
    return searcher, names


def _metrics(ranks) -> dict:
    n = len(ranks) or 1
    return {
        "r@1": round(sum(1 for r in ranks if r == 1) / n, 3),
        "r@10": round(sum(1 for r in ranks if r and r <= 10) / n, 3),
        "mrr": round(sum(1 / r for r in ranks if r) / n, 3),
        "n": len(ranks),
    }


class Run:
    """Embeds once; `rank(variant)` ranks every query under a variant of the pipeline."""

    def __init__(self, cache_path: str | None = None, centering=None):
        self.cache = EmbeddingCache(cache_path or os.environ.get("TECHMARKET_EVAL_CACHE"))
        self.searcher, self.names = build(
            self.cache, HybridSearcher(centering=centering) if centering else None
        )
        self.searcher.fit_components(int(self.searcher.params.get("components", 0)))
        self.ids = {v: k for k, v in self.names.items()}
        self._pool = {p["id"]: p for p in market.pool()}
        self.queries = market.queries()
        texts = [q["text"] for q in self.queries]
        self.qvecs = self.cache.embed(texts, True)
        empty = (np.zeros(0, np.int32), np.zeros(0, np.float32))
        self.qsparse = self.cache.embed_sparse(texts) if SPARSE else [empty] * len(texts)
        self.detected = [detect_language(q["text"]) for q in self.queries]

    def search(self, i: int, *, k=10, mode="hybrid", kind="achievement", hint=None, **options):
        q = self.queries[i]
        return self.searcher.search(
            q["text"],
            language=hint,
            k=k,
            mode=mode,
            query_vector=self.qvecs[i],
            query_sparse=self.qsparse[i],
            kind=kind,
            explain=False,
            **options,
        )

    def answer_rank(self, i: int, hits) -> int | None:
        found = [self.names[h.listing_id] for h in hits]
        return found.index(self.queries[i]["answer"]) + 1 if self.queries[i]["answer"] in found else None

    def report(self, ranks: list[int | None]) -> dict:
        out = {}
        for split in SPLITS:
            held = split == "held-out"
            per = {}
            for lang in market.QUERY_LANGUAGES:
                r = [
                    ranks[i]
                    for i, q in enumerate(self.queries)
                    if q["language"] == lang and q["held_out"] == held
                ]
                per[lang] = _metrics(r)
            per["all"] = _metrics([ranks[i] for i, q in enumerate(self.queries) if q["held_out"] == held])
            out[split] = per
        return out

    def variant(self, **options) -> dict:
        return self.report([self.answer_rank(i, self.search(i, **options)) for i in range(len(self.queries))])

    # --- tuning --------------------------------------------------------------------------------------------
    def lists(self, i: int, kind="achievement"):
        """The candidate lists of query i (keyword with coverage, dense full + title, latent terms)."""
        s = self.searcher
        q = self.queries[i]
        language = self.detected[i]
        allowed = s.by_kind.get(kind) if kind else None
        coverage: dict[int, float] = {}
        kw = s.keyword(tokenize(q["text"], language), allowed, coverage=coverage)
        dn, title = s.dense_parts(s.align(self.qvecs[i], language), allowed)
        sp = s.sparse_hits(self.qsparse[i], allowed)
        return kw, dn, title, sp, coverage

    def tune(self, grid=None) -> dict:
        tuning = [i for i, q in enumerate(self.queries) if not q["held_out"]]
        lists = {i: self.lists(i) for i in tuning}
        grid = grid or {
            "title": [0.0, 0.25, 0.5, 0.75, 1.0],
            "sparse": [0.0, 0.05, 0.1, 0.2, 0.3],
            "keyword": [0.0, 0.05, 0.1, 0.2, 0.4],
        }
        best, best_key = None, None
        for values in itertools.product(*grid.values()):
            w = {"full": 1.0, **dict(zip(grid, values, strict=True))}
            ranks = [self._rank_of(i, linear_fusion(*lists[i], w)) for i in tuning]
            per_lang = {}
            for i, r in zip(tuning, ranks, strict=True):
                per_lang.setdefault(self.queries[i]["language"], []).append(1 / r if r else 0.0)
            mrrs = [float(np.mean(v)) for v in per_lang.values()]
            key = (round(float(np.mean(mrrs)), 4), round(min(mrrs), 4))
            if best_key is None or key > best_key:
                best, best_key = w, key
        fused = [linear_fusion(*lists[i], best) for i in tuning]
        temperature = fit_temperature(
            [[s for _, s in f[:10]] for f in fused],
            [self._rank_of(i, f) for i, f in zip(tuning, fused, strict=True)],
        )
        return {
            "fusion": "linear",
            **best,
            "temperature": temperature,
            "match_thresholds": self.match_thresholds(),
            "tuning_mrr": best_key[0],
        }

    def match_pairs(self, held: bool):
        """For each pool demand (topic in the split): (demand language, achievement language, similarity of the
        right achievement, best similarity of a wrong one) — passage against passage, as the matching job."""
        s = self.searcher
        achievements = s.by_kind.get("achievement", set())
        out = []
        for lid, name in self.names.items():
            if not name.startswith("d:"):
                continue
            topic = self._pool[name]["topic"]
            if market.held_out(topic) != held:
                continue
            answer = self.ids[f"a:{topic}"]
            for key in s.rows_of[lid]:
                vec = s.vectors.get([key * engine.PARTS])[key * engine.PARTS]
                hits, _ = s.dense_parts(vec, achievements, k=20)
                right = next(((sc, s.docs[k].language) for o, sc, k in hits if o == answer), None)
                wrong = max((sc for o, sc, _ in hits if o != answer), default=0.0)
                if right is not None:
                    out.append((s.docs[key].language, right[1], right[0], wrong))
        return out

    def match_thresholds(self) -> dict:
        """Per language pair, the similarity that best separates right pairs from the best wrong one (Youden's
        J), on the tuning part; pairs with fewer than 5 examples use the overall value."""
        pairs = self.match_pairs(held=False)
        cross = [p for p in pairs if p[0] != p[1]]
        out = {"default": youden([p[2] for p in cross], [p[3] for p in cross])}
        groups: dict[str, list] = {}
        for d_lang, a_lang, right, wrong in pairs:
            groups.setdefault(f"{d_lang}>{a_lang}", []).append((right, wrong))
        for name, items in sorted(groups.items()):
            if len(items) >= 5:
                out[name] = youden([r for r, _ in items], [w for _, w in items])
        return out

    def match_report(self, thresholds: dict) -> dict:
        """Held-out: how often the right achievement would notify (right ≥ threshold and ranked first) and how
        often a wrong one would (best wrong ≥ threshold and ranked above the right one)."""
        out = {}
        for split, held in (("tuning", False), ("held-out", True)):
            pairs = self.match_pairs(held=held)
            good = bad = 0
            for d_lang, a_lang, right, wrong in pairs:
                t = thresholds.get(f"{d_lang}>{a_lang}", thresholds["default"])
                good += right >= t and right > wrong
                bad += wrong >= t and wrong > right
            out[split] = {
                "pairs": len(pairs),
                "right_notified": round(good / max(1, len(pairs)), 3),
                "wrong_notified": round(bad / max(1, len(pairs)), 3),
            }
        return out

    def _rank_of(self, i, fused) -> int | None:
        answer = self.ids[self.queries[i]["answer"]]
        for r, (lid, _) in enumerate(fused[:10], 1):
            if lid == answer:
                return r
        return None

    def calibration(self, options=None) -> dict:
        """Mean confidence of the first hit vs how often it is right, per split (held-out: never tuned)."""
        out = {}
        for split in SPLITS:
            held = split == "held-out"
            conf, right = [], []
            for i, q in enumerate(self.queries):
                if q["held_out"] != held:
                    continue
                hits = self.search(i, **(options or {}))
                if hits and hits[0].confidence is not None:
                    conf.append(hits[0].confidence)
                    right.append(self.names[hits[0].listing_id] == q["answer"])
            if conf:
                out[split] = {
                    "mean_confidence": round(float(np.mean(conf)), 3),
                    "accuracy": round(float(np.mean(right)), 3),
                    "ece": expected_calibration_error(conf, right),
                }
        return out


def fit_temperature(score_lists, ranks) -> float:
    """Temperature whose top-hit confidence (softmax over the top-10 fused scores) is best calibrated on the
    tuning queries: the smallest expected calibration error against "the first hit is the right one"."""
    best_t, best_err = 0.05, math.inf
    for t in np.geomspace(0.002, 1.0, 80):
        conf = []
        for scores in score_lists:
            s = np.asarray(scores) / t
            p = np.exp(s - s.max())
            conf.append(float(p[0] / p.sum()))
        err = expected_calibration_error(conf, [r == 1 for r in ranks])
        if err < best_err:
            best_t, best_err = float(t), err
    return round(best_t, 5)


def youden(positives, negatives) -> float:
    best_t, best_j = 0.45, -1.0
    pos, neg = np.asarray(positives), np.asarray(negatives)
    for t in np.unique(np.concatenate([pos, neg])):
        j = (pos >= t).mean() - (neg >= t).mean()
        if j > best_j:
            best_t, best_j = float(t), j
    return round(best_t, 4)


def expected_calibration_error(conf, right, bins=10) -> float:
    conf, right = np.asarray(conf), np.asarray(right, dtype=float)
    edges = np.linspace(0, 1, bins + 1)
    err = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            err += m.mean() * abs(conf[m].mean() - right[m].mean())
    return round(float(err), 3)


def table(report: dict, split: str) -> str:
    langs = [*market.QUERY_LANGUAGES, "all"]
    lines = ["| | " + " | ".join(langs) + " |", "|---" * (len(langs) + 1) + "|"]
    for metric in ("r@1", "r@10", "mrr"):
        lines.append(
            f"| {metric} | " + " | ".join(f"{report[split][lang][metric]:.2f}" for lang in langs) + " |"
        )
    return "\n".join(lines)


VARIANTS = {
    "before: mixed kinds, RRF k=60, 50 % keyword rule": {"kind": None, "fusion": "rrf"},
    "other kind, RRF k=60": {"fusion": "rrf"},
    "other kind, dense only": {"mode": "dense"},
    "other kind, latent terms only": {"mode": "sparse"},
    "other kind, keyword only": {"mode": "keyword"},
    "other kind, learned linear fusion (default)": {},
}


def main(argv):
    started = time.perf_counter()
    run = Run()
    command = argv[1] if len(argv) > 1 else "report"
    if command == "align":
        # centring from the catalogues (+ Procrustes maps) against the bundled centring, on the tuning part
        from kechuang.techmarket.search.dense import Centering

        cache = run.cache
        catalogue = Centering.from_catalogues(lambda t: cache.embed(t, True), lambda t: cache.embed(t, False))
        catalogue.save(argv[2] if len(argv) > 2 else "centering_catalogues.npz")
        for name, centering in (("bundled", None), ("catalogues", catalogue)):
            r = Run(centering=centering)
            for weight in (0.0, 0.25, 0.5, 0.75, 1.0) if centering else (0.0,):
                r.searcher.params = {**r.searcher.params, "map_weight": weight}
                r.detected = [detect_language(q["text"]) for q in r.queries]
                rep = r.variant(mode="dense")
                print(f"\n### dense, centring {name}, map weight {weight}\n")
                print(table(rep, "tuning"))
        return
    if command == "tune":
        params = run.tune()
        print(json.dumps(params, indent=1))
        path = Path(engine.__file__).with_name("params.json")
        path.write_text(json.dumps({k: v for k, v in params.items() if k != "tuning_mrr"}, indent=1) + "\n")
        run.searcher.params = engine.load_params()
        command = "report"
    if command == "compare":
        for name, options in VARIANTS.items():
            rep = run.variant(**options)
            print(f"\n### {name}\n")
            for split in SPLITS:
                print(f"{split} ({rep[split]['all']['n']} queries)\n")
                print(table(rep, split) + "\n")
    rep = run.variant()
    print("\n### default\n")
    for split in SPLITS:
        print(f"{split} ({rep[split]['all']['n']} queries)\n")
        print(table(rep, split) + "\n")
    detection = np.mean([d == q["language"] for d, q in zip(run.detected, run.queries, strict=True)])
    print(f"language detection accuracy on the queries: {detection:.3f}")
    print("calibration:", json.dumps(run.calibration()))
    if "match_thresholds" in run.searcher.params:
        print("matching:", json.dumps(run.match_report(run.searcher.params["match_thresholds"])))
    print(f"params: {json.dumps(run.searcher.params)}; {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main(sys.argv)
