"""Why the market evaluation scores low: checks of the basics, independent of the search engine.

    python -m kechuang.techmarket.eval.market_diagnose     (TECHMARKET_EVAL_CACHE=/path.npz caches embeddings)

1. **Raw model**: cosine of the e5 query vector against every row of every achievement, best row per listing,
   no centring, no fusion — what the model alone does (the engine must not be worse).
2. **Need phrase alone** (an upper bound on cleaning the query): the query replaced by the bare phrase naming
   the product and the technology ("deep processing of natural rubber"), against titles — if the model cannot
   rank the right title first from the phrase alone, no query cleaning, fusion or weighting will.
3. **Word translation**: for each product name in a language, is its nearest Chinese product name (of the same
   group) the right one? Measures how much cross-language word knowledge the 4-bit e5-small has.
4. **Supervised upper bound**: a ridge map from query vectors to the right titles learned on the tuning part
   only, scored on the held-out part — if even a map fitted on labelled pairs does not transfer, the vectors
   lack the information.

The vocabulary of `terms.py` is used here only to measure; the search never sees it.
"""

import os

import numpy as np

from kechuang.techmarket.eval import market, terms
from kechuang.techmarket.eval.harness import EmbeddingCache


def _unit(x):
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-9)


class Diagnosis:
    def __init__(self, cache_path: str | None = None):
        self.cache = EmbeddingCache(cache_path or os.environ.get("TECHMARKET_EVAL_CACHE"))
        self.pool = market.pool()
        self.queries = market.queries()
        rows = []
        for li, item in enumerate(self.pool):
            for lang, (title, summary) in item["rows"].items():
                text = f"{title}。{summary}" if lang == "zh-hans" else f"{title}. {summary}"
                rows.append((li, lang, text, title))
        self.row_listing = np.array([r[0] for r in rows])
        self.row_language = [r[1] for r in rows]
        self.full = self.cache.embed([r[2] for r in rows], False)
        self.titles = self.cache.embed([r[3] for r in rows], False)
        self.qvecs = self.cache.embed([q["text"] for q in self.queries], True)
        self.achievement = np.array([p["kind"] == "achievement" for p in self.pool])
        index = {p["id"]: i for i, p in enumerate(self.pool)}
        self.answers = np.array([index[q["answer"]] for q in self.queries])
        self.held = np.array([q["held_out"] for q in self.queries])
        self.langs = np.array([q["language"] for q in self.queries])

    def listing_scores(self, sims: np.ndarray) -> np.ndarray:
        out = np.full((sims.shape[0], len(self.pool)), -np.inf, np.float32)
        for j in range(sims.shape[1]):
            li = self.row_listing[j]
            out[:, li] = np.maximum(out[:, li], sims[:, j])
        out[:, ~self.achievement] = -np.inf
        return out

    def metrics(self, scores: np.ndarray) -> dict:
        right = scores[np.arange(len(self.queries)), self.answers][:, None]
        ranks = (scores > right).sum(axis=1) + 1
        out = {}
        for split, held in (("tuning", False), ("held-out", True)):
            per = {}
            for lang in (*market.QUERY_LANGUAGES, "all"):
                m = (self.held == held) & ((self.langs == lang) if lang != "all" else True)
                r = ranks[m]
                per[lang] = {"r@1": float((r == 1).mean()), "mrr": float((1 / r).mean()), "n": int(m.sum())}
            out[split] = per
        return out

    def need_texts(self) -> list[str]:
        topics = {t[0]: t for t in market.topics()}
        phrases = []
        for q in self.queries:
            _, _, _, pw, tw = topics[q["answer"][2:]]
            phrases.append(market.phrase(tw, pw, q["language"]))
        return phrases

    def need_phrases(self) -> np.ndarray:
        return self.cache.embed(self.need_texts(), True)

    def word_translation(self) -> dict:
        out = {}
        for lang in market.QUERY_LANGUAGES:
            right = total = 0
            for group in (terms.CROPS, terms.ANIMALS, terms.MATERIALS):
                names = list(group)
                zh = self.cache.embed([group[n]["zh-hans"] for n in names], False)
                words = self.cache.embed([group[n][lang] for n in names], True)
                right += int((np.argmax(words @ zh.T, axis=1) == np.arange(len(names))).sum())
                total += len(names)
            out[lang] = round(right / total, 2)
        return out

    def supervised_map(self, lam: float = 0.3) -> dict:
        first = {}
        for j, li in enumerate(self.row_listing):
            if li not in first or self.row_language[j] == "zh-hans":
                first[li] = j
        target = self.titles[[first[a] for a in self.answers]]
        x, y = self.qvecs[~self.held], target[~self.held]
        w = np.linalg.solve(x.T @ x + lam * np.eye(x.shape[1]), x.T @ y + lam * np.eye(x.shape[1]))
        return self.metrics(self.listing_scores(_unit(self.qvecs @ w) @ self.titles.T))


def _line(name: str, report: dict) -> str:
    cells = [f"{report[s]['all']['r@1']:.2f} / {report[s]['all']['mrr']:.2f}" for s in ("tuning", "held-out")]
    langs = " ".join(f"{lang} {report['held-out'][lang]['r@1']:.2f}" for lang in market.QUERY_LANGUAGES)
    return f"| {name} | {cells[0]} | {cells[1]} | {langs} |"


def main() -> None:
    d = Diagnosis()
    print("| variant | tuning r@1 / MRR | held-out r@1 / MRR | held-out r@1 per language |")
    print("|---|---|---|---|")
    print(_line("raw model, full text", d.metrics(d.listing_scores(d.qvecs @ d.full.T))))
    print(_line("raw model, titles", d.metrics(d.listing_scores(d.qvecs @ d.titles.T))))
    phrases = d.need_phrases()
    print(_line("need phrase alone vs titles", d.metrics(d.listing_scores(phrases @ d.titles.T))))
    print(_line("ridge map fitted on tuning (λ 0.3)", d.supervised_map(0.3)))
    print("\nnearest Chinese product name is the right one:", d.word_translation())
    print("\nby role of the query, through the engine (held-out r@1 / MRR):")
    for role, report in roles(d).items():
        print(f"- {role}: " + ", ".join(f"{k} {v}" for k, v in report.items()))


def roles(d: Diagnosis) -> dict:
    """The engine (shipped parameters) on: sentence-length demands (the evaluation), short search-box queries
    (the bare phrase naming the need, 2–8 words), and pool demands matched passage-to-passage (the matching job)."""
    os.environ.setdefault("TECHMARKET_EVAL_SPARSE", "0")
    from kechuang.techmarket.eval.market_harness import Run
    from kechuang.techmarket.search.tokenize import detect_language

    def summary(report, split="held-out"):
        return {lang: f"{m['r@1']:.2f}/{m['mrr']:.2f}" for lang, m in report[split].items()}

    run = Run()
    out = {"sentence-length demand → achievements": summary(run.variant())}
    texts = d.need_texts()
    run.queries = [dict(q, text=t) for q, t in zip(run.queries, texts, strict=True)]
    run.qvecs = d.cache.embed(texts, True)
    run.qsparse = [(np.zeros(0, np.int32), np.zeros(0, np.float32))] * len(texts)
    run.detected = [detect_language(t) for t in texts]
    out["short search-box query → achievements"] = summary(run.variant())
    pairs = run.match_pairs(held=True)
    by_lang: dict[str, list[bool]] = {}
    for d_lang, _a_lang, right, wrong in pairs:
        by_lang.setdefault(d_lang, []).append(right > wrong)
    out[
        "pool demand → achievements (matching, passage to passage; share with the right one first, among demands whose right one is in the top 20)"
    ] = {lang: f"{np.mean(v):.2f} (n={len(v)})" for lang, v in sorted(by_lang.items())}
    return out


if __name__ == "__main__":
    main()
