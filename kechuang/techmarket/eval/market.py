"""The market evaluation: 360 demands in nine languages against a pool of 1,000+ listings.

Written for issue 11, independently of the bundled 50 pairs (`dataset.py`). Content is generated from the
vocabulary in `terms.py` (products × technologies, with sentence frames per language), deterministically:

- **Achievements** (科技成果): one per (product, technology) topic — 26 crops × 14 technologies, 6 aquatic
  animals × 6, 10 materials × 8 = 480. Most are Chinese (a quarter also carry an English version the owner
  wrote); about one in twelve was written by an ASEAN owner in en, vi, th or id. The topics sharing a product
  or a technology are the near-duplicate distractors: "mango drying" sits next to "mango cold storage" and
  "longan drying".
- **Demands in the pool** (技术需求, the other kind): 60 per language in the nine ASEAN languages + 40 Chinese,
  written with frames the queries do not use, on random topics (some on the very topic of a query, in the
  query's language — the same-language distractors).
- **Queries**: 40 demands per language (en, vi, th, id, ms, fil, km, lo, my), each with its one right
  achievement.
- **Held-out split, fixed in advance**: a topic is held out when sha1(topic) mod 3 == 0; its queries are never
  seen while tuning (fusion weights, thresholds). Splitting by topic keeps near-identical tuning queries out of
  the held-out part.
"""

import hashlib
import random
from functools import lru_cache

from kechuang.techmarket.eval import terms

QUERY_LANGUAGES = ("en", "vi", "th", "id", "ms", "fil", "km", "lo", "my")
QUERIES_PER_LANGUAGE = 40
POOL_DEMANDS_PER_LANGUAGE = 60
SEED = 20261130


def held_out(topic: str) -> bool:
    return int(hashlib.sha1(topic.encode()).hexdigest(), 16) % 3 == 0


def topics() -> list[tuple[str, str, str, dict, dict]]:
    """[(topic id, product, technology, product phrases, technology phrases)]"""
    out = []
    for products, techs in (
        (terms.CROPS, terms.CROP_TECH),
        (terms.ANIMALS, terms.ANIMAL_TECH),
        (terms.MATERIALS, terms.MATERIAL_TECH),
    ):
        for p, pw in products.items():
            for t, tw in techs.items():
                out.append((f"{p}/{t}", p, t, pw, tw))
    return out


def phrase(tech: dict, product: dict, lang: str) -> str:
    return tech[lang].format(o=product[lang])


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _lower_first(s: str) -> str:
    return s if s[1:2].isupper() else s[:1].lower() + s[1:]


def demand_text(lang: str, need: str, rng: random.Random, frames: str) -> str:
    d = terms.DEMAND[lang]
    ctx = rng.choice(d["ctx"])
    text = rng.choice(d[frames]).format(
        ctx=ctx,
        ctxl=_lower_first(ctx) if lang in ("en", "vi", "id", "ms", "fil") else ctx,
        need=need,
        goal=rng.choice(d["goal"]),
    )
    return _cap(text)


@lru_cache(maxsize=1)
def build() -> dict:
    """{"pool": [{id, kind, rows: {lang: (title, summary)}, topic}], "queries": [{language, text, answer, held_out}]}"""
    rng = random.Random(SEED)
    pool, queries = [], []
    all_topics = topics()
    for topic, _p, t, pw, tw in all_topics:
        n = rng.randint(2, 9)
        if rng.random() < 1 / 12:
            lang = rng.choice(list(terms.ASEAN_ACHIEVEMENT))
            frame, orgs, places = terms.ASEAN_ACHIEVEMENT[lang]
            title = _cap(phrase(tw, pw, lang))
            benefit = terms.EN_DETAIL[t].format(n=n)
            rows = {
                lang: (
                    title,
                    frame.format(
                        Title=title, org=rng.choice(orgs), place=rng.choice(places), benefit=benefit
                    ),
                )
            }
        else:
            title = phrase(tw, pw, "zh-hans")
            problem, benefit = terms.ZH_DETAIL[t]
            summary = (
                f"针对{problem.format(o=pw['zh-hans'])}的问题，{rng.choice(terms.ZH_ORGS)}研发了{title}，"
                f"{benefit.format(n=n)}，已在{rng.choice(terms.ZH_PLACES)}示范应用。"
            )
            rows = {"zh-hans": (title, summary)}
            if rng.random() < 0.25:
                en_title = _cap(phrase(tw, pw, "en"))
                rows["en"] = (en_title, f"{en_title}: {terms.EN_DETAIL[t].format(n=n)}.")
        pool.append({"id": f"a:{topic}", "kind": "achievement", "rows": rows, "topic": topic})
    by_id = {tp[0]: tp for tp in all_topics}
    for lang in (*QUERY_LANGUAGES, "zh-hans"):
        count = 40 if lang == "zh-hans" else POOL_DEMANDS_PER_LANGUAGE
        for i, topic in enumerate(rng.sample(sorted(by_id), count)):
            _, _p, _t, pw, tw = by_id[topic]
            text = demand_text(lang, phrase(tw, pw, lang), rng, "B")
            title = _cap(phrase(tw, pw, lang))
            pool.append(
                {"id": f"d:{lang}:{i}", "kind": "demand", "rows": {lang: (title, text)}, "topic": topic}
            )
    for lang in QUERY_LANGUAGES:
        for topic in rng.sample(sorted(by_id), QUERIES_PER_LANGUAGE):
            _, _p, _t, pw, tw = by_id[topic]
            queries.append(
                {
                    "language": lang,
                    "text": demand_text(lang, phrase(tw, pw, lang), rng, "A"),
                    "answer": f"a:{topic}",
                    "held_out": held_out(topic),
                }
            )
    return {"pool": pool, "queries": queries}


def pool() -> list[dict]:
    return build()["pool"]


def queries(split: str | None = None) -> list[dict]:
    qs = build()["queries"]
    if split == "tuning":
        return [q for q in qs if not q["held_out"]]
    if split == "held-out":
        return [q for q in qs if q["held_out"]]
    return qs
