from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from kechuang.jobs.queue import RESULT_TEMPLATES, subject_of
from kechuang.permissions.jobs import access_job_by_id, visible_jobs


@login_required
def job_list(request):
    page = Paginator(visible_jobs(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "jobs/list.html", {"page": page})


@login_required
def job_detail(request, job_id: int):
    job = access_job_by_id(request.user, job_id)
    template = "jobs/_progress.html" if request.headers.get("HX-Request") else "jobs/detail.html"
    return render(
        request,
        template,
        {"job": job, "subject": subject_of(job), "result_template": RESULT_TEMPLATES.get(job.kind, "")},
    )
