"""Demo data for the field work, through the real services: three expert service teams (sugarcane, fruit, forestry)
with their counties and members, yearly plans, activities confirmed by the counties, one refused, one waiting, and
last year's appraisal."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import Role, User
from kechuang.accounts.services import do_create_user
from kechuang.fieldwork import services
from kechuang.fieldwork.models import ServiceTeam
from kechuang.registry.models import Organisation, OrganisationKind, Region

TEAMS = [
    (
        "甘蔗产业专家服务团",
        "甘蔗",
        ["450110", "450123", "451424"],
        ["甘蔗良种", "机械化收获", "病虫害绿色防控"],
    ),
    (
        "特色水果产业专家服务团",
        "水果（沃柑、芒果）",
        ["450124", "451003", "450802"],
        ["沃柑栽培", "芒果保鲜", "水肥一体化"],
    ),
    (
        "林下经济专家服务团",
        "林下经济",
        ["450225", "450226", "451226"],
        ["林下中药材", "林下养殖", "油茶高产"],
    ),
]
PEOPLE = ["韦", "覃", "黄", "陆", "蒙", "莫", "梁", "廖", "农", "卢"]
GIVEN = ["建华", "丽", "海燕", "志强", "秀兰", "国庆", "文", "敏"]


def _recorder(org) -> User:
    user = User.objects.filter(organisation=org, role=Role.ORG_ADMIN).first()
    return user or do_create_user(
        f"fw-admin-{org.pk}",
        None,
        organisation=org,
        role=Role.ORG_ADMIN,
        display_name=org.name,
        acting_user=None,
        check_password=False,
    )


def _county_official(county) -> User:
    username = f"fw-county-{county.code}"
    user = User.objects.filter(username=username).first()
    if user is None:
        bureau = Organisation.objects.filter(kind=OrganisationKind.GOVERNMENT).order_by("id").first()
        user = do_create_user(
            username,
            None,
            organisation=bureau,
            role=Role.REVIEWER,
            city=county,
            display_name=f"{county.name}科技局",
            acting_user=None,
            check_password=False,
        )
    return user


@transaction.atomic
def seed_demo(*, seed: int) -> str:
    if ServiceTeam.objects.exists():
        return "already present"
    rng = random.Random(seed)
    admin = User.objects.filter(username="reviewer").first() or User.objects.filter(username="admin").first()
    if admin is None:
        return "no demo accounts"
    leads = list(
        Organisation.objects.filter(
            kind__in=(OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE)
        ).order_by("id")[:3]
    )
    today = timezone.localdate()
    activities = 0
    for i, (name, industry, codes, topics) in enumerate(TEAMS):
        counties = list(Region.objects.filter(code__in=codes, level=Region.Level.COUNTY))
        if not counties or not leads:
            continue
        lead = leads[i % len(leads)]
        team = services.do_create_team(
            acting_user=admin,
            name=name,
            industry=industry,
            lead_organisation=lead,
            counties=counties,
            members=[
                {
                    "name": rng.choice(PEOPLE) + rng.choice(GIVEN),
                    "organisation": lead,
                    "title": "研究员",
                    "expertise": t,
                    "commissioner": k % 2 == 0,
                }
                for k, t in enumerate(topics)
            ],
        )
        recorder = _recorder(lead)
        for year in (today.year - 1, today.year):
            services.do_set_plan(team, acting_user=recorder, year=year, trainings=12, trainees=900, bases=2)
        for year in (today.year - 1, today.year):
            last = today if year == today.year else dt.date(year, 12, 31)
            for k in range(rng.randint(8, 14)):
                day = max(dt.date(year, 1, 1), last - dt.timedelta(days=rng.randint(0, 300)))
                county = rng.choice(counties)
                capacity = rng.choice([60, 80, 120, 150])
                activity = services.do_record_activity(
                    team,
                    acting_user=recorder,
                    kind="training" if k % 4 else "demonstration",
                    day=day,
                    county=county,
                    title=f"{rng.choice(topics)}技术培训",
                    venue=f"{county.name}农业技术推广站",
                    capacity=capacity,
                    attendees=rng.randint(capacity // 2, capacity),
                    handouts=rng.randint(40, 200),
                    demonstration_base=f"{county.name}{industry}示范基地" if k % 4 == 0 else "",
                    signin_evidence=f"QD-{year}-{i}{k:03d}",
                )
                activities += 1
                if year < today.year or k % 3:
                    services.do_confirm_activity(
                        activity, acting_user=_county_official(county), confirmed=True, note="经核实属实"
                    )
        services.do_appraise(team, acting_user=admin, year=today.year - 1)
    return f"{ServiceTeam.objects.count()} teams, {activities} activities"
