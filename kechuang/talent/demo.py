"""Demo data for the talent programmes, made through the real services: recognitions in every state (submitted,
pre-checked, on notice, certified with their schedules, one with a failed yearly check, one who left early), and a
八桂学者 post with its scholar under contract."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import Role, User
from kechuang.accounts.services import do_create_user
from kechuang.codes import resident_id_check_char
from kechuang.registry.models import Organisation, OrganisationKind
from kechuang.talent import services
from kechuang.talent.expert_review import play_review, seed_experts
from kechuang.talent.models import TalentApplication
from kechuang.talent.services import bagui

SURNAMES = ["韦", "覃", "黄", "陆", "蒙", "莫", "梁", "廖", "农", "卢", "李", "陈"]
GIVEN = ["建华", "丽", "海燕", "志强", "秀兰", "国庆", "文", "敏", "伟", "静", "晓东", "春梅"]
PLAN = [
    ("C", "jieqing"),
    ("D", "youqing"),
    ("E", "doctor_senior_title"),
    ("B", "tenthousand_outstanding"),
    ("E", "overseas_doctor_postdoc"),
    ("D", "provincial_award_first"),
    ("C", "changjiang"),
    ("E", "doctor_senior_title"),
]


def _id(seq: int, rng) -> str:
    body = (
        f"4501{rng.randint(10, 99)}19{rng.randint(70, 99)}0{rng.randint(1, 9)}{rng.randint(10, 28)}{seq:03d}"
    )
    return body + resident_id_check_char(body)


def _employer_admin(org) -> User:
    user = User.objects.filter(organisation=org, role=Role.ORG_ADMIN).first()
    return user or do_create_user(
        f"tl-employer-{org.pk}",
        None,
        organisation=org,
        role=Role.ORG_ADMIN,
        display_name=org.name,
        acting_user=None,
        check_password=False,
    )


@transaction.atomic
def seed_demo(*, seed: int) -> str:
    if TalentApplication.objects.exists():
        return "already present"
    rng = random.Random(seed)
    reviewer = (
        User.objects.filter(username="reviewer").first() or User.objects.filter(username="admin").first()
    )
    if reviewer is None:
        return "no demo accounts"
    employers = list(
        Organisation.objects.filter(
            kind__in=(OrganisationKind.ENTERPRISE, OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE),
            city_id="450100",
        ).order_by("kind", "id")[:4]
    )
    today = timezone.localdate()
    apps = []
    for i, (level, credential) in enumerate(PLAN):
        employer = employers[i % len(employers)]
        apps.append(
            services.do_apply(
                acting_user=_employer_admin(employer),
                name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                id_number=_id(i + 1, rng),
                level=level,
                credential=credential,
                position=rng.choice(["首席科学家", "研究院院长", "技术总监", "学科带头人"]),
                discipline=rng.choice(["作物遗传育种", "材料科学", "人工智能", "海洋生态", "中药学"]),
                contract_start=today - dt.timedelta(days=rng.randint(20, 200)),
                contract_end=today + dt.timedelta(days=5 * 366),
                evidence={
                    "contract": f"HT-{today.year}-{i + 1:03d}",
                    "social_insurance": f"SB-{i + 1:05d}",
                    "tax": f"GS-{i + 1:05d}",
                },
            )
        )
    nanning = User.objects.filter(username="nanning").first() or reviewer
    for app in apps[1:]:
        services.do_precheck(app, acting_user=nanning, passed=True, note="材料齐全，社保个税已核")
    for app in apps[2:]:
        services.do_recognise(app, acting_user=reviewer, note="符合认定目录")
    services.do_start_notice(acting_user=reviewer, start=today - dt.timedelta(days=20))
    certified = []
    for app in apps[3:]:
        app.refresh_from_db()
        certified.append(services.do_certify(app, acting_user=reviewer))
    # this round's proposals stay on notice
    services.do_recognise(apps[1], acting_user=reviewer, note="符合认定目录")
    services.do_start_notice(acting_user=reviewer)
    year = today.year
    for app in certified[:-2]:
        services.do_report_compliance(
            app,
            acting_user=_employer_admin(app.employer),
            year=year,
            employed=True,
            social_insurance_months=12,
            tax_months=12,
        )
    services.do_report_compliance(
        certified[-2],
        acting_user=_employer_admin(certified[-2].employer),
        year=year,
        employed=True,
        social_insurance_months=4,
        tax_months=12,
    )
    services.do_run_compliance(year, acting_user=reviewer)
    services.do_report_leaving(
        certified[-1], acting_user=_employer_admin(certified[-1].employer), left_on=today
    )
    services.do_publish_benefits(year, acting_user=reviewer)
    # 八桂学者
    university = next((e for e in employers if e.kind == OrganisationKind.UNIVERSITY), employers[0])
    post = bagui.do_apply_post(
        acting_user=_employer_admin(university),
        title="亚热带农业生物资源保护与利用首席",
        discipline="作物遗传育种",
        field="natural",
        team="甘蔗与亚热带作物育种团队 15 人，国家重点实验室依托",
        matching_fen=200_000_000,
    )
    # the post review, the written review and the hearing on the review engine, by experts of another university
    others = [e for e in employers if e.pk != university.pk][:3]
    panel = [
        seed_experts(f"bagui-expert{i}", org, [name])[0]
        for i, (org, name) in enumerate(zip(others, ["覃教授", "韦研究员", "莫教授"], strict=False))
    ]
    play_review(post.review_submission, panel, [9, 8, 9])
    bagui.do_review_post(post, acting_user=reviewer, approved=True, note="岗位设置符合重点产业需求")
    appt = bagui.do_add_applicant(post, acting_user=reviewer, name="黄志强", id_number=_id(99, rng))
    play_review(appt.review_submission, panel, [9, 9, 8])
    play_review(appt.review_submission, panel, [10, 9, 9])
    bagui.do_take_review_scores(appt, acting_user=reviewer)
    bagui.do_decide(
        appt, acting_user=reviewer, document=f"桂人才领〔{year}〕5号", start=today - dt.timedelta(days=30)
    )
    appt.refresh_from_db()
    bagui.do_contract(
        appt,
        acting_user=reviewer,
        start=today - dt.timedelta(days=10),
        task_sheet="聘期内育成甘蔗新品种 3 个、推广 100 万亩，培养博士 5 名。",
    )
    bagui.do_open_ticket(appt, acting_user=reviewer, kind="schooling", detail="子女就读南宁市公办小学")
    return f"{len(apps)} talent applications, {len(certified)} certified, 1 八桂学者"
