"""Background jobs of the pledge platform (run by `manage.py run_jobs`; progress on /jobs/<id>/)."""

from kechuang.accounts.models import User
from kechuang.jobs.queue import job_handler, job_subject

CHUNK = 200


@job_handler("pledge.subsidy_bases")
def publish_subsidy_bases(job):
    """Write a year's subsidy bases for every enterprise with loan activity, in chunks (one transaction each)."""
    from django.db.models import Q

    from kechuang.pledge.models import LoanApplication
    from kechuang.pledge.services import do_publish_subsidy_bases

    year = int(job.params["year"])
    user = User.objects.get(pk=job.params["user_id"])
    active = Q(repayments__paid_on__year=year) | Q(valued_on__year=year) | Q(approved_on__year=year)
    ids = sorted(set(LoanApplication.objects.filter(active).values_list("enterprise_id", flat=True)))
    enterprises = written = 0
    for start in range(0, len(ids), CHUNK):
        result = do_publish_subsidy_bases(year, acting_user=user, enterprise_ids=ids[start : start + CHUNK])
        enterprises += result.enterprises
        written += result.values_written
        job.report_progress(
            min(start + CHUNK, len(ids)), len(ids), f"{min(start + CHUNK, len(ids))}/{len(ids)}"
        )
    return {"year": year, "enterprises": enterprises, "values_written": written}


@job_subject("pledge.subsidy_bases")
def subsidy_bases_subject(job):
    from django.urls import reverse
    from django.utils.translation import gettext as _

    url = reverse("pledge:subsidies")
    year = job.params.get("year")
    return {"label": _("回到质押融资补助"), "url": f"{url}?year={year}" if year else url}
