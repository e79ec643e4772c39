"""Excel exports for the department's report: one event's figures and outcomes, or every event in a year."""

from django.utils.translation import gettext as _

from kechuang.money import yuan
from kechuang.spreadsheets import write_xlsx


def statistics_export(event) -> bytes:
    from kechuang.events.stats import event_statistics

    s = event_statistics(event)
    headers = [_("项目"), _("类别"), _("合作方式"), _("参与方"), _("金额（元）"), _("签约日期"), _("来源")]
    rows = [
        [_("统计"), _("报名"), "", "", s["registrations"], "", ""],
        [_("统计"), _("签到"), "", "", s["attendance"], "", ""],
        [_("统计"), _("洽谈举行"), "", "", s["meetings_held"], "", ""],
        [_("统计"), _("对接成功项目"), "", "", s["projects_matched"], "", ""],
        [_("统计"), _("现场签约"), "", "", s["signings"], "", ""],
        [_("统计"), _("签约金额（元）"), "", "", yuan(s["signed_amount_fen"]), "", ""],
    ]
    for o in event.outcomes.prefetch_related("parties"):
        source = (
            _("一对一洽谈 #%(id)s") % {"id": o.meeting_id}
            if o.meeting_id
            else (_("路演项目 #%(id)s") % {"id": o.application_id} if o.application_id else "")
        )
        rows.append(
            [
                o.title,
                o.get_kind_display(),
                o.get_deal_type_display(),
                "、".join(p.name for p in o.parties.all()),
                yuan(o.amount_fen),
                o.signed_on.isoformat() if o.signed_on else "",
                source,
            ]
        )
    return write_xlsx(headers, rows, _("活动成果"))


def events_report(events) -> bytes:
    from kechuang.events.stats import event_statistics

    headers = [
        _("活动"),
        _("类型"),
        _("开始日期"),
        _("城市"),
        _("报名"),
        _("签到"),
        _("路演项目"),
        _("洽谈举行"),
        _("对接成功项目"),
        _("合作意向"),
        _("现场签约"),
        _("签约金额（元）"),
    ]
    rows = []
    for e in events:
        s = event_statistics(e)
        rows.append(
            [
                e.title,
                e.get_kind_display(),
                e.starts_at.astimezone(e.tzinfo).date().isoformat(),
                e.city.name if e.city_id else _("境外"),
                s["registrations"],
                s["attendance"],
                s["roadshow_projects"],
                s["meetings_held"],
                s["projects_matched"],
                s["intentions"],
                s["signings"],
                yuan(s["signed_amount_fen"]),
            ]
        )
    return write_xlsx(headers, rows, _("对接活动汇总"))
