"""Each module's headline figures for the leaders' dashboard and the reports, pluggable per app.

Protocol: an app's `stats.py` may define `headline_figures(*, year: int, city: str | None) -> dict` returning
    {"module": code, "label": text, "url": url name of its statistics page (or ""),
     "figures": [{"key", "label", "value", "unit": count|fen|percent|ratio|text, "definition"}]}
with every figure counted from that app's records for the year (and city, a city code, when given). Apps that do not
(yet) define one are counted by the adapters below, written against their models and existing statistics
functions; an app's own `headline_figures` replaces its adapter. The talent and platforms module is counted when it
is installed and defines `headline_figures`; until then the dashboard says it is not installed.
"""

import datetime as dt
from types import SimpleNamespace

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.kpi.sources import plugin_modules


def fig(key, label, value, unit="count", definition=""):
    return {"key": key, "label": str(label), "value": value, "unit": unit, "definition": str(definition)}


def _growth(current: int, previous: int):
    from kechuang.pledge.stats import growth_percent

    g = growth_percent(current, previous)
    return str(g) if g is not None else None


def policy_figures(*, year, city):
    from kechuang.policy.models import Round
    from kechuang.policy.stats import payout_statistics

    rounds = list(Round.objects.filter(year=year).values_list("id", flat=True))
    stats = payout_statistics(round_ids=rounds, area=city or None)
    total = stats["total"]
    largest = stats["programmes"][0] if stats["programmes"] else None
    return {
        "module": "policy",
        "label": _("研发投入奖补"),
        "url": "policy:statistics",
        "figures": [
            fig(
                "paid_fen",
                _("奖补资金"),
                total["paid_fen"],
                "fen",
                _("数据年度为该年的批次中已到账的拨付金额合计，扣除此后追回的多拨金额。"),
            ),
            fig(
                "enterprises",
                _("受奖补企业"),
                total["enterprises"],
                "count",
                _("上述拨付的收款单位数，每家计1次；拨付已全部追回的不计。"),
            ),
            fig(
                "rd_fen",
                _("带动研发投入"),
                total["rd_fen"],
                "fen",
                _("受奖补企业在数据年度的研发经费支出（现行值）合计。"),
            ),
            fig(
                "leverage",
                _("财政投入与研发投入比（1:x）"),
                largest["leverage"] if largest else "—",
                "ratio",
                _("研发投入 ÷ 扣除追回后的奖补资金，按拨付金额最大的奖补项目计算（不同项目不合并）。"),
            ),
        ],
    }


def pledge_figures(*, year, city):
    from kechuang.pledge.models import LoanApplication
    from kechuang.pledge.stats import year_totals

    loans = LoanApplication.objects.all()
    if city:
        loans = loans.filter(enterprise__city_id=city)
    cur, prev = year_totals(loans, year), year_totals(loans, year - 1)
    return {
        "module": "pledge",
        "label": _("专利权质押融资"),
        "url": "pledge:stats",
        "figures": [
            fig(
                "patents",
                _("质押专利"),
                cur["patents"],
                "count",
                _("质押登记日在该年的贷款所质押的专利件数（去重）。"),
            ),
            fig(
                "patents_growth",
                _("质押专利同比增长（%）"),
                _growth(cur["patents"], prev["patents"]),
                "percent",
                _("与上一年质押专利件数相比。"),
            ),
            fig(
                "enterprises",
                _("融资企业"),
                cur["enterprises"],
                "count",
                _("质押登记日在该年的贷款的借款企业数（去重）。"),
            ),
            fig("amount_fen", _("质押融资金额"), cur["amount_fen"], "fen", _("上述贷款的授信金额合计。")),
            fig(
                "amount_growth",
                _("融资金额同比增长（%）"),
                _growth(cur["amount_fen"], prev["amount_fen"]),
                "percent",
                _("与上一年质押融资金额相比。"),
            ),
        ],
    }


def techmarket_figures(*, year, city):
    from kechuang.techmarket.stats import market_stats

    stats = market_stats(
        SimpleNamespace(city_id=city or None), start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
    )
    return {
        "module": "techmarket",
        "label": _("网上技术市场"),
        "url": "techmarket:stats",
        "figures": [
            fig(
                "enterprises_served",
                _("服务企业"),
                stats["enterprises_served"],
                "count",
                _("该年发布信息或提交合作意向的企业数（去重）。"),
            ),
            fig(
                "demands_followed_up",
                _("电话回访技术需求"),
                stats["demands_followed_up"],
                "count",
                _("该年有回访记录的技术需求条数（每条需求计1项）。"),
            ),
            fig(
                "institutions",
                _("入驻高校和科研院所"),
                stats["institutions"],
                "count",
                _("该年发布信息的高校、科研院所数。"),
            ),
            fig(
                "achievements_published",
                _("发布科技成果"),
                stats["achievements_published"],
                "count",
                _("该年发布、未撤回的科技成果条数。"),
            ),
            fig(
                "contracts",
                _("签约技术合同"),
                stats["contracts"],
                "count",
                _("该年签订并登记的技术合同份数（各类型）。"),
            ),
            fig(
                "contract_amount_fen",
                _("合同金额"),
                stats["contract_amount_fen"],
                "fen",
                _("上述合同金额合计。"),
            ),
        ],
    }


def events_figures(*, year, city):
    from kechuang.events.models import Event, Outcome, Registration, RoadshowApplication

    events = Event.objects.filter(
        starts_at__year=year, status__in=[Event.Status.PUBLISHED, Event.Status.CLOSED]
    )
    if city:
        events = events.filter(city_id=city)
    outcomes = Outcome.objects.filter(event__in=events)
    signings = outcomes.filter(kind=Outcome.Kind.SIGNING).aggregate(n=Count("id"), amount=Sum("amount_fen"))
    return {
        "module": "events",
        "label": _("对接活动"),
        "url": "events:report",
        "figures": [
            fig(
                "events",
                _("举办对接活动"),
                events.count(),
                "count",
                _("开始时间在该年、已发布或已结束的活动场次。"),
            ),
            fig(
                "projects_matched",
                _("对接项目"),
                outcomes.count(),
                "count",
                _("上述活动记录的合作意向和现场签约项目数。"),
            ),
            fig(
                "signings", _("现场签约项目"), signings["n"] or 0, "count", _("上述活动中现场签约的项目数。")
            ),
            fig("signing_fen", _("签约金额"), signings["amount"] or 0, "fen", _("现场签约项目的金额合计。")),
            fig(
                "roadshow_projects",
                _("路演项目"),
                RoadshowApplication.objects.filter(
                    call__event__in=events, status=RoadshowApplication.Status.SELECTED
                ).count(),
                "count",
                _("入选上述活动路演的项目数。"),
            ),
            fig(
                "attendees",
                _("参会人次"),
                Registration.objects.filter(event__in=events, status=Registration.Status.APPROVED).count(),
                "count",
                _("上述活动报名并获通过的人次。"),
            ),
        ],
    }


def awards_figures(*, year, city):
    from kechuang.awards.models import AwardKind, Nomination, NominationStatus

    awarded = Nomination.objects.filter(call__year=year, status=NominationStatus.AWARDED)
    if city:
        awarded = awarded.filter(lead_unit__city_id=city)
    by_kind = dict(awarded.values_list("call__kind").annotate(n=Count("id")).values_list("call__kind", "n"))
    return {
        "module": "awards",
        "label": _("科技奖励"),
        "url": "awards:home",
        "figures": [
            fig(
                "awarded",
                _("获奖项目"),
                sum(by_kind.values()),
                "count",
                _("该年度评奖中获奖的项目数（各奖项）。"),
            ),
            fig(
                "st_award",
                _("广西科学技术奖"),
                by_kind.get(AwardKind.ST_AWARD, 0),
                "count",
                _("其中广西科学技术奖获奖项目。"),
            ),
            fig(
                "prize_fen",
                _("奖金"),
                awarded.aggregate(s=Sum("prize_fen"))["s"] or 0,
                "fen",
                _("获奖项目奖金合计。"),
            ),
            fig(
                "enterprise_led",
                _("企业牵头提名"),
                Nomination.objects.filter(call__year=year, lead_unit__kind="enterprise")
                .filter(**({"lead_unit__city_id": city} if city else {}))
                .exclude(status=NominationStatus.WITHDRAWN)
                .count(),
                "count",
                _("该年度第一完成单位为企业的提名项目数。"),
            ),
        ],
    }


def projects_figures(*, year, city):
    from kechuang.projects.models import Application, ApplicationStatus

    funded = Application.objects.filter(
        call__year=year, status__in=[ApplicationStatus.FUNDED, ApplicationStatus.FINISHED]
    )
    if city:
        funded = funded.filter(unit__city_id=city)
    totals = funded.aggregate(n=Count("id"), fiscal=Sum("fiscal_fen"), own=Sum("self_fen"))
    return {
        "module": "projects",
        "label": _("科技计划项目"),
        "url": "projects:home",
        "figures": [
            fig(
                "funded",
                _("立项项目"),
                totals["n"] or 0,
                "count",
                _("该年度申报指南中已立项或已结题的项目数。"),
            ),
            fig("fiscal_fen", _("财政资金"), totals["fiscal"] or 0, "fen", _("上述项目的申请财政资金合计。")),
            fig("self_fen", _("单位自筹"), totals["own"] or 0, "fen", _("上述项目的自筹资金合计。")),
            fig(
                "enterprise_led",
                _("企业承担"),
                funded.filter(unit__kind="enterprise").count(),
                "count",
                _("承担单位为企业的立项项目数。"),
            ),
        ],
    }


def registry_figures(*, year, city):
    from kechuang.registry.models import Certification, CertificationKind

    on = min(dt.date(year, 12, 31), dt.date.today())
    valid = Certification.objects.filter(
        kind=CertificationKind.HIGH_TECH, valid_from__lte=on, valid_to__gte=on
    )
    first = Certification.objects.filter(kind=CertificationKind.HIGH_TECH, valid_from__year=year)
    if city:
        valid = valid.filter(organisation__city_id=city)
        first = first.filter(organisation__city_id=city)
    return {
        "module": "registry",
        "label": _("高新技术企业"),
        "url": "registry:organisation_list",
        "figures": [
            fig(
                "hightech_valid",
                _("有效高新技术企业"),
                valid.values("organisation").distinct().count(),
                "count",
                _("年末（或今天）持有有效高新技术企业证书的企业数。"),
            ),
            fig(
                "hightech_recognised",
                _("当年认定（含重新认定）"),
                first.values("organisation").distinct().count(),
                "count",
                _("证书有效期起始日在该年的企业数，含重新认定。"),
            ),
        ],
    }


def talent_figures(*, year, city):
    from kechuang.talent.models import BaguiAppointment, TalentApplication

    talents = TalentApplication.objects.filter(status__in=["recognised", "left"], recognised_on__year=year)
    if city:
        talents = talents.filter(employer__city_id=city)
    scholars = BaguiAppointment.objects.filter(
        state__in=["contracted", "completed"], contract_start__year=year
    )
    return {
        "module": "talent",
        "label": _("高层次人才"),
        "url": "talent:home",
        "figures": [
            fig(
                "recognised",
                _("认定高层次人才"),
                talents.count(),
                "count",
                _("认定日期在该年的高层次人才（A—E类），含其后离职的。"),
            ),
            fig(
                "bagui_scholars",
                _("新聘八桂学者"),
                None if city else scholars.count(),
                "count",
                _("聘期起始在该年的八桂学者（全区数，不分城市）。"),
            ),
        ],
    }


def platforms_figures(*, year, city):
    from kechuang.platforms.models import Platform

    national = Platform.objects.filter(level="national", is_active=True)
    if city:
        national = national.filter(host__city_id=city)
    return {
        "module": "platforms",
        "label": _("创新平台"),
        "url": "platforms:home",
        "figures": [
            fig(
                "national_new",
                _("新增国家级创新平台"),
                national.filter(approved_year=year).count(),
                "count",
                _("批准年份为该年的国家级创新平台。"),
            ),
            fig(
                "national_total",
                _("国家级创新平台"),
                national.filter(approved_year__lte=year).count(),
                "count",
                _("批准年份不晚于该年、仍有效的国家级创新平台。"),
            ),
        ],
    }


ADAPTERS = {
    "policy": policy_figures,
    "pledge": pledge_figures,
    "techmarket": techmarket_figures,
    "events": events_figures,
    "awards": awards_figures,
    "projects": projects_figures,
    "registry": registry_figures,
}
# Adapters for apps that may not be installed.
OPTIONAL = {
    "kechuang.talent": ("talent", talent_figures),
    "kechuang.platforms": ("platforms", platforms_figures),
}
# Modules the dashboard expects even when no installed app provides them yet.
EXPECTED = {"talent": gettext_lazy("高层次人才"), "platforms": gettext_lazy("创新平台")}
ORDER = ["policy", "pledge", "techmarket", "events", "awards", "projects", "registry", "talent", "platforms"]


def providers() -> dict:
    """{module: function}: the adapters, replaced by any app's own `headline_figures`."""
    from django.apps import apps

    found = dict(ADAPTERS)
    for app, (code, func) in OPTIONAL.items():
        if apps.is_installed(app):
            found[code] = func
    for module in plugin_modules():
        func = getattr(module, "headline_figures", None)
        if callable(func):
            app = module.__name__.split(".")[1]
            found[app] = func
    return found


def collect(*, year: int, city: str | None) -> list[dict]:
    out, found = [], providers()
    for code in sorted(found, key=lambda c: (ORDER.index(c) if c in ORDER else len(ORDER), c)):
        module = found[code](year=year, city=city)
        module.setdefault("module", code)
        out.append(module)
    for code, label in EXPECTED.items():
        if not any(m["module"] == code for m in out):
            out.append({"module": code, "label": str(label), "url": "", "figures": [], "missing": True})
    return out


def trend(*, year: int, years: int = 5) -> list[dict]:
    """Every module's figures for the last `years` years, province-wide, for the trend charts."""
    return [{"year": y, "modules": collect(year=y, city=None)} for y in range(year - years + 1, year + 1)]
