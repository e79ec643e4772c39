"""Background jobs: embedding + index sync + match refresh, and the daily expiry/renewal reminder."""

from kechuang.jobs.queue import job_handler, job_subject
from kechuang.techmarket.indexing import refresh_matches, sync_index


@job_handler("techmarket.index")
def index_job(job):
    params = job.params or {}
    job.report_progress(0, 1, "正在计算向量…")

    def progress(done, total):
        job.report_progress(done, total + 1, f"已计算向量 {done}/{total}")

    result = sync_index(params.get("listing_ids"), full=bool(params.get("full")), progress=progress)
    job.report_progress(result["listings"], result["listings"] + 1, "正在刷新供需匹配…")
    ids = params.get("listing_ids") or []
    if params.get("full"):
        from kechuang.techmarket.indexing import live_listings

        ids = list(live_listings().values_list("pk", flat=True))
    result.update(refresh_matches(ids))
    return result


@job_handler("techmarket.expire")
def expire_job(job):
    from kechuang.techmarket.services import do_expire_listings

    return do_expire_listings(acting_user=None)


@job_subject("techmarket.index")
@job_subject("techmarket.expire")
def market_subject(job):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    return {"label": _("回到技术交易市场"), "url": reverse("techmarket:home")}
