"""Background jobs of events: scheduling one-to-one meetings, with progress on /jobs/<id>/."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from kechuang.events.models import Event
from kechuang.events.services import do_apply_schedule
from kechuang.jobs.queue import job_handler, job_subject


@job_handler("events.schedule")
def schedule_job(job):
    params = job.params
    event = Event.objects.get(pk=params["event_id"])
    user = (
        get_user_model().objects.filter(pk=params.get("user_id")).first() if params.get("user_id") else None
    )
    job.report_progress(0, 3, _("正在读取报名、时段和洽谈请求…"))
    job.report_progress(1, 3, _("正在排程（双向请求优先）…"))
    stats = do_apply_schedule(event, acting_user=user)
    job.report_progress(
        3, 3, _("已排定 %(n)d 场洽谈。") % {"n": stats["kept"] + stats["placed"] + stats["moved"]}
    )
    return stats


@job_subject("events.schedule")
def schedule_subject(job):
    from django.urls import reverse

    event_id = job.params.get("event_id")
    return (
        {"label": _("回到活动管理"), "url": reverse("events:manage", args=[event_id])} if event_id else None
    )
