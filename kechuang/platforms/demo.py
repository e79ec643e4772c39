"""Demo data for platforms and institutions, through the real services: a ministry list imported, two institutions
recognised (a new-type R&D institution and a technology-transfer institution), one application waiting for its
city, research institutes registered, yearly reports and a scored evaluation on notice."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import Role, User
from kechuang.accounts.services import do_create_user
from kechuang.platforms import services
from kechuang.platforms.models import ExpertReview, Institution, InstitutionApplication, Platform
from kechuang.registry.models import Organisation, OrganisationKind
from kechuang.talent.expert_review import play_reviews, seed_experts

WAN = 1_000_000
PLATFORMS = [
    ("亚热带农业生物资源保护与利用国家重点实验室", "重点实验室", "国家级", 2011),
    ("国家非粮生物质能源工程技术研究中心", "工程技术研究中心", "国家级", 2008),
    ("广西甘蔗遗传改良重点实验室", "重点实验室", "自治区级", 2015),
    ("广西智能装备工程技术研究中心", "工程技术研究中心", "自治区级", 2018),
    ("中国—东盟技术转移中心国际合作基地", "国际科技合作基地", "国家级", 2013),
    ("南宁高新区科技企业孵化器", "孵化器", "国家级", 2016),
    ("广西北部湾海洋生态国际联合实验室", "国际联合实验室", "自治区级", 2020),
    ("柳工欧洲研发中心", "海外研发中心", "自治区级", 2019),
]


def _admin_of(org) -> User:
    user = User.objects.filter(organisation=org, role=Role.ORG_ADMIN).first()
    return user or do_create_user(
        f"pf-admin-{org.pk}",
        None,
        organisation=org,
        role=Role.ORG_ADMIN,
        display_name=org.name,
        acting_user=None,
        check_password=False,
    )


def _through_review(apps, reviewer, city_official):
    """City recommendation, formal check, then the expert review and the site visit passed for every application."""
    from kechuang.review.models import StageKind
    from kechuang.review.services import do_close_stage, do_decide

    for app in apps:
        services.do_recommend(app, acting_user=city_official, recommended=True, note="同意推荐")
        services.do_formal_check(app, acting_user=reviewer, passed=True, note="材料齐全")
        app.refresh_from_db()
    process = apps[0].review_submission.process
    for kind in (StageKind.ONLINE, StageKind.HEARING):
        stage = process.stages.get(kind=kind)
        for app in apps:
            app.review_submission.refresh_from_db()
            do_decide(stage, app.review_submission, acting_user=None, passed=True, reason="专家组一致同意")
        do_close_stage(stage, acting_user=None)


@transaction.atomic
def seed_demo(*, seed: int) -> str:
    if Platform.objects.exists() or Institution.objects.exists():
        return "already present"
    rng = random.Random(seed)
    reviewer = User.objects.filter(username="reviewer").first()
    city_official = User.objects.filter(username="nanning").first() or reviewer
    if reviewer is None:
        return "no demo accounts"
    today = timezone.localdate()
    hosts = list(
        Organisation.objects.filter(
            kind__in=(OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE, OrganisationKind.ENTERPRISE)
        ).order_by("kind", "id")[:8]
    )
    lines = ["平台名称,类型,级别,依托单位,依托单位统一社会信用代码,批准年份,批准文件"]
    for i, (name, kind, level, year) in enumerate(PLATFORMS):
        host = hosts[i % len(hosts)]
        lines.append(f"{name},{kind},{level},{host.name},{host.credit_code},{year},文号{year}-{i + 1}")
    services.do_import_platforms(
        "\n".join(lines).encode(),
        "科技部及自治区平台名单.csv",
        acting_user=reviewer,
        source="科技部、自治区科技厅公布名单",
    )
    candidates = list(
        Organisation.objects.filter(
            city_id="450100",
            kind__in=(
                OrganisationKind.ENTERPRISE,
                OrganisationKind.INSTITUTE,
                OrganisationKind.TECH_TRANSFER,
            ),
        ).order_by("id")[:3]
    )
    for org in candidates:
        if not org.established_on:
            org.established_on = today - dt.timedelta(days=rng.randint(900, 3000))
            org.save(update_fields=["established_on"])
    new_rd = services.do_apply_institution(
        acting_user=_admin_of(candidates[0]),
        kind="new_rd",
        figures={
            "revenue_fen": 3000 * WAN,
            "rd_spending_fen": 620 * WAN,
            "staff": 120,
            "rd_staff": 52,
            "premises_m2": 2400,
        },
    )
    transfer = services.do_apply_institution(
        acting_user=_admin_of(candidates[1]),
        kind="transfer",
        figures={"contract_turnover_fen": 3800 * WAN, "brokers": 9, "staff": 18},
    )
    services.do_apply_institution(
        acting_user=_admin_of(candidates[2]),
        kind="new_rd",
        figures={
            "revenue_fen": 1800 * WAN,
            "rd_spending_fen": 400 * WAN,
            "staff": 60,
            "rd_staff": 25,
            "premises_m2": 800,
        },
    )
    _through_review([new_rd, transfer], reviewer, city_official)
    for app in (new_rd, transfer):
        services.do_decide(
            app,
            acting_user=reviewer,
            approved=True,
            note="厅务会审议通过",
            site_visit_note="场地、设备和人员属实",
        )
    services.do_start_notice(acting_user=reviewer, start=today - dt.timedelta(days=20))
    institutions = [services.do_recognise(app, acting_user=reviewer) for app in (new_rd, transfer)]
    for i, org in enumerate(Organisation.objects.filter(kind=OrganisationKind.INSTITUTE).order_by("id")[:4]):
        institutions.append(
            services.do_register_institute(
                org,
                acting_user=reviewer,
                category=["basic_research", "innovation_transfer", "public_interest"][i % 3],
            )
        )
    year = today.year - 1
    for inst in institutions:
        figures = {}
        for code in services.self_indicators(inst.category):
            figures[code] = (
                rng.randint(200, 3000) * WAN
                if code.endswith("_fen")
                else (rng.randint(500, 4000) if code.endswith("_bp") else rng.randint(1, 60))
            )
        services.do_report_indicators(inst, acting_user=reviewer, year=year, figures=figures)
    # the expert review on the review engine, by experts of three universities none of the institutions belongs to
    orgs = {i.organisation_id for i in institutions}
    universities = Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY).exclude(pk__in=orgs)
    panel = [
        seed_experts(f"pf-expert{n}", org, [name])[0]
        for n, (org, name) in enumerate(
            zip(universities.order_by("id")[:3], ["黄研究员", "蒙教授", "陆教授"], strict=False)
        )
    ]
    services.do_open_expert_review(year, acting_user=reviewer)
    process = ExpertReview.objects.get(year=year).process
    play_reviews(
        [
            (process.submissions.get(subject_id=inst.pk), [rng.randint(6, 10) for _ in panel])
            for inst in institutions
        ],
        panel,
    )
    services.do_evaluate(year, acting_user=reviewer)
    services.do_start_evaluation_notice(year, acting_user=reviewer)
    assert InstitutionApplication.objects.count() == 3
    return f"{len(PLATFORMS)} platforms, {len(institutions)} institutions evaluated"
