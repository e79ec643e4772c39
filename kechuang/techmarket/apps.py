import os
import sys
import threading

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

SERVER_COMMANDS = ("runserver", "gunicorn", "uwsgi", "daphne", "uvicorn", "jobs_worker", "run_jobs")


class TechmarketConfig(AppConfig):
    name = "kechuang.techmarket"
    verbose_name = _("中国—东盟技术交易市场")

    def ready(self):
        from kechuang.permissions import techmarket  # noqa: F401  (grants the market capabilities)

        serving = any(name in arg for arg in sys.argv[:2] for name in SERVER_COMMANDS)
        if serving and os.environ.get("KECHUANG_WARM_MARKET", "1") != "0":
            threading.Thread(target=warm_up, name="techmarket-warm-up", daemon=True).start()


def warm_up() -> None:
    """Load the embedding model, the tokenisers, the language model and the index in the background at
    start-up, so that the first search does not pay for them (issue 11: first query ≤ 1 s)."""
    try:
        from kechuang.techmarket.indexing import get_index
        from kechuang.techmarket.search import dense, langid
        from kechuang.techmarket.search.tokenize import tokenize

        dense.embed_query("warm up")
        langid.model()
        for lang, text in (("zh-hans", "技术"), ("th", "เทคโนโลยี"), ("lo", "ເຕັກໂນໂລຊີ"), ("km", "បច្ចេកវិទ្យា")):
            tokenize(text, lang)
        get_index()
    except Exception:  # noqa: BLE001 — warming is an optimisation; the first search will load what failed
        import logging

        logging.getLogger(__name__).exception("techmarket warm-up failed")
