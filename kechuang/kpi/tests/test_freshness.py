"""Freshness without computing in the request: the last snapshot is served with its age, one refresh is queued on
the job queue (deduplicated) and its progress shown; a year never computed shows "being computed"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.jobs.models import Job
from kechuang.jobs.queue import run_pending
from kechuang.kpi import services
from kechuang.kpi.models import Snapshot

YEAR = 2019


def refresh_jobs():
    return Job.objects.filter(kind=services.REFRESH_KIND, params__year=YEAR)


def age(snapshot, seconds):
    Snapshot.objects.filter(pk=snapshot.pk).update(computed_at=timezone.now() - timedelta(seconds=seconds))


@pytest.mark.django_db
def test_first_visit_shows_being_computed_and_queues_one_refresh(known, login, admin_user):
    client = login(admin_user)
    page = client.get(reverse("kpi:dashboard") + f"?year={YEAR}")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="computing"' in html
    assert 'data-figure="kpi.new_hightech.value"' not in html  # no figures, and none computed in the request
    assert not Snapshot.objects.exists()
    assert 'data-testid="refresh-progress"' in html and 'data-job-status="queued"' in html
    detail = client.get(reverse("kpi:detail", args=["new_hightech"]) + f"?year={YEAR}")
    assert 'data-testid="computing"' in detail.content.decode()
    assert client.get(reverse("kpi:detail", args=["no_such_kpi"]) + f"?year={YEAR}").status_code == 404
    body = client.get(f"/api/kpi/figures?year={YEAR}")
    assert body.status_code == 202 and body.json()["code"] == "kpi_being_computed"
    assert body.json()["job"] == refresh_jobs().get().pk
    report = client.get(reverse("kpi:report_download", args=["annual_reply", "docx"]) + f"?year={YEAR}")
    assert report.status_code == 302
    assert refresh_jobs().count() == 1  # five page views, one refresh

    # the worker runs it, reporting progress; the waiting page is told to reload itself
    [job] = run_pending(kinds=[services.REFRESH_KIND])
    assert job.status == Job.Status.SUCCEEDED and job.progress_total >= 6 and job.percent == 100
    progress = client.get(reverse("kpi:progress") + f"?year={YEAR}&wait=1")
    assert progress["HX-Refresh"] == "true"
    html = client.get(reverse("kpi:dashboard") + f"?year={YEAR}").content.decode()
    assert 'data-figure="kpi.new_hightech.value">2<' in html and 'data-testid="refresh-progress"' not in html
    assert refresh_jobs().count() == 1


@pytest.mark.django_db
def test_stale_snapshot_is_served_with_its_age_and_refreshed_once(computed, login, admin_user, settings):
    settings.KECHUANG_KPI_MAX_AGE_SECONDS = 600
    client = login(admin_user)
    url = reverse("kpi:dashboard") + f"?year={YEAR}"
    html = client.get(url).content.decode()
    assert 'data-testid="computed-at"' in html and 'data-testid="stale-warning"' not in html
    assert not refresh_jobs().exists()  # young: nothing queued

    age(computed, 400)  # past half its age: served as it is, a refresh queued ahead of time
    html = client.get(url).content.decode()
    assert 'data-testid="stale-warning"' not in html and 'data-testid="refresh-progress"' in html
    assert refresh_jobs().count() == 1

    age(computed, 4000)  # older than the stated interval: still served (never computed here), with a warning
    for _ in range(3):
        html = client.get(url).content.decode()
    assert Snapshot.objects.get().pk == computed.pk
    assert 'data-testid="stale-warning"' in html and 'data-figure="kpi.new_hightech.value">2<' in html
    assert refresh_jobs().count() == 1 and refresh_jobs().get().status == Job.Status.QUEUED
    body = client.get(f"/api/kpi/figures?year={YEAR}").json()
    assert body["stale"] is True and body["refresh_job"] == refresh_jobs().get().pk

    progress = client.get(reverse("kpi:progress") + f"?year={YEAR}").content.decode()
    assert 'data-job-status="queued"' in progress and "hx-get" in progress  # polls while it waits
    run_pending(kinds=[services.REFRESH_KIND])
    progress = client.get(reverse("kpi:progress") + f"?year={YEAR}")
    assert 'data-job-status="succeeded"' in progress.content.decode() and "HX-Refresh" not in progress
    html = client.get(url).content.decode()
    assert 'data-testid="stale-warning"' not in html and Snapshot.objects.count() == 2
    assert refresh_jobs().count() == 1


@pytest.mark.django_db
def test_a_failed_refresh_is_shown_and_not_requeued_by_every_view(computed, login, admin_user, settings):
    settings.KECHUANG_KPI_MAX_AGE_SECONDS = 600
    client = login(admin_user)
    age(computed, 4000)
    job = services.request_refresh(YEAR)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, finished_at=timezone.now())
    html = client.get(reverse("kpi:dashboard") + f"?year={YEAR}").content.decode()
    assert 'data-job-status="failed"' in html and refresh_jobs().count() == 1
    # an official's "recompute now" queues it again; pressing twice queues it once
    client.post(reverse("kpi:refresh") + f"?year={YEAR}")
    client.post(reverse("kpi:refresh") + f"?year={YEAR}")
    assert refresh_jobs().filter(status=Job.Status.QUEUED).count() == 1
    # later page views do retry by themselves
    Job.objects.filter(status=Job.Status.QUEUED).delete()
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - services.RETRY_AFTER_FAILURE)
    client.get(reverse("kpi:dashboard") + f"?year={YEAR}")
    assert refresh_jobs().filter(status=Job.Status.QUEUED).count() == 1


@pytest.mark.django_db
def test_progress_is_for_officials(known, login, alice):
    assert login(alice).get(reverse("kpi:progress") + f"?year={YEAR}").status_code == 403
