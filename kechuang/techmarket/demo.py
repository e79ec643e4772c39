"""Demo market for `manage.py seed_demo`: the evaluation set's achievements published by the demo university,
a few demands from the demo enterprise in several languages, one conversation and one contract. The index is
built by a queued job (the worker embeds the texts)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from kechuang.errors import DomainError
from kechuang.techmarket import services
from kechuang.techmarket.eval import dataset
from kechuang.techmarket.indexing import enqueue_index

DEMANDS = [
    ("sugarcane-harvester", "vi"),
    ("cassava-ethanol", "th"),
    ("durian-preservation", "ms"),
    ("saline-rice", "en"),
    ("mangrove", "lo"),
    ("tilapia-vaccine", "id"),
]


def seed_demo(seed: int = 2026) -> str:
    users = get_user_model().objects
    university, enterprise, reviewer = (
        users.filter(username=u).first() for u in ("university", "enterprise", "reviewer")
    )
    if not (university and enterprise and reviewer):
        return "skipped (demo accounts missing)"
    published = 0
    for item in dataset.achievements():
        title, summary = item["rows"]["zh-hans"]
        try:
            listing = services.do_create_listing(
                acting_user=university,
                kind="achievement",
                language="zh-hans",
                title=title,
                summary=summary,
                trl=5 + published % 4,
                transfer_mode=["transfer", "licence", "joint", "equity"][published % 4],
            )
        except DomainError:
            continue
        if "en" in item["rows"]:
            en_title, en_summary = item["rows"]["en"]
            services.do_set_text(
                listing,
                acting_user=university,
                language="en",
                origin="verified",
                title=en_title,
                summary=en_summary,
            )
        services.do_review_listing(listing, acting_user=reviewer, approve=True)
        published += 1
    pairs = {p["id"]: p for p in dataset.PAIRS}
    demands = []
    for pair_id, lang in DEMANDS:
        text = pairs[pair_id]["demands"][lang]
        try:
            demand = services.do_create_listing(
                acting_user=enterprise,
                kind="demand",
                language=lang,
                title=text[:60],
                summary=text,
                trl=6,
                country="CN",
            )
        except DomainError:
            continue
        services.do_review_listing(demand, acting_user=reviewer, approve=True)
        demands.append(demand)
    if demands:
        services.do_record_follow_up(
            demands[0],
            acting_user=reviewer,
            called_at=timezone.now(),
            outcome="progressing",
            note="已电话联系，企业希望安排现场考察。",
        )
    enqueue_index(full=True)
    return f"{published} achievements, {len(demands)} demands; index job queued"
