"""Demo data for expert review and the awards, made through the real services.

An expert pool drawn from the demo universities and institutes (the `expert` login among them); this year's
广西科学技术奖 with nominator quotas, nominations that passed the formal check and an online review whose experts
were assigned by the optimiser; and last year's call, approved after its public notice.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import Role, User
from kechuang.accounts.services import do_create_user
from kechuang.awards import services
from kechuang.awards.models import AwardCall
from kechuang.registry.models import Organisation, OrganisationKind
from kechuang.review.models import Discipline, StageKind, VoteChoice
from kechuang.review.services import do_assign, do_cast_vote, do_close_stage, do_decide, do_register_expert

EXPERTS = [
    ("460", "机械工程 工程机械 液压系统 智能制造 数控装备"),
    ("550", "食品科学 甘蔗制糖 发酵工程 农产品加工"),
    ("520", "计算机科学 人工智能 工业互联网 大数据"),
    ("430", "材料科学 铝合金 稀土功能材料 新能源电池材料"),
    ("210", "农学 甘蔗育种 水稻栽培 植物保护"),
    ("360", "中医学与中药学 壮瑶医药 中药提取"),
    ("480", "能源科学 储能 新能源汽车动力电池"),
    ("610", "环境科学 北部湾海洋生态 红树林保护"),
    ("470", "电气工程 智能电网 电力电子"),
    ("220", "林学 桉树培育 林产化工"),
    ("510", "电子与通信 5G 物联网 传感器"),
    ("180", "生物学 微生物 基因工程 蚕桑"),
]
WORKS = [
    (
        "st_progress",
        "甘蔗全程机械化收获关键技术与装备",
        "研制适合丘陵地区的甘蔗联合收获机，含剥叶、切段与输送系统",
    ),
    (
        "st_progress",
        "高性能铝合金型材挤压成形技术及产业化",
        "铝合金挤压模具设计、在线淬火与表面处理的集成技术",
    ),
    ("technological_invention", "稀土发光材料绿色制备方法", "低能耗稀土荧光粉合成工艺及其在照明显示中的应用"),
    ("natural_science", "北部湾红树林湿地碳汇机制研究", "红树林沉积物有机碳埋藏速率与微生物驱动机制"),
    ("st_progress", "壮瑶药材质量标准与提取工艺", "壮瑶医药特色药材有效成分提取、质量控制与产品开发"),
    ("technological_invention", "工程机械电液控制系统", "装载机与挖掘机的电液比例控制和节能回收技术"),
]
PEOPLE = ["韦", "覃", "黄", "陆", "蒙", "莫", "梁", "廖", "农", "卢", "李", "陈"]
GIVEN = ["建华", "丽", "海燕", "志强", "秀兰", "国庆", "文", "敏", "伟", "静"]


def _service_user(org, role) -> User:
    username = f"aw-nominator-{org.pk}"  # no role code in a name that pages show
    user = User.objects.filter(username=username).first()
    if user is None:
        user = do_create_user(
            username,
            None,
            organisation=org,
            role=role,
            display_name=org.name,
            acting_user=None,
            check_password=False,
        )
    return user


def _expert_pool(rng, institutions) -> list[User]:
    users = []
    demo_expert = User.objects.filter(username="expert").first()
    for i, (code, text) in enumerate(EXPERTS):
        org = institutions[i % len(institutions)]
        if i == 0 and demo_expert is not None:
            user = demo_expert
            org = user.organisation or org
        else:
            name = rng.choice(PEOPLE) + rng.choice(GIVEN)
            user = do_create_user(
                f"aw-expert-{i}",
                None,
                organisation=org,
                role=Role.EXPERT,
                display_name=name,
                acting_user=None,
                check_password=False,
            )
        do_register_expert(
            user,
            acting_user=None,
            organisation=org,
            disciplines=list(Discipline.objects.filter(code=code)),
            profile_text=text,
            title="教授" if org.kind == OrganisationKind.UNIVERSITY else "研究员",
        )
        users.append(user)
    return users


def _nominate_all(call, nominators, rng, year_offset=0):
    nominations = []
    for i, (category, title, summary) in enumerate(WORKS):
        nominator = nominators[i % len(nominators)]
        # Distinct people across the call (one person, one nomination a year): k runs through 0..59 uniquely.
        unique = [{"name": PEOPLE[k % 12] + GIVEN[k % 10]} for k in range(i * 3, i * 3 + 3)]
        nominations.append(
            services.do_nominate(
                call,
                acting_user=_service_user(nominator, Role.ORG_ADMIN),
                category=category,
                title=title if not year_offset else f"{title}（{call.year}）",
                summary=summary,
                lead_unit=nominator,
                contributors=unique,
            )
        )
    return nominations


@transaction.atomic
def seed_demo(*, seed: int) -> str:
    if AwardCall.objects.exists():
        return "already present"
    rng = random.Random(seed)
    admin = User.objects.filter(username="admin").first()
    department = Organisation.objects.get(name="广西壮族自治区科学技术厅")
    institutions = list(
        Organisation.objects.filter(
            kind__in=(OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE)
        ).order_by("id")
    )
    nominators = institutions[:4]
    experts = _expert_pool(rng, institutions)
    today = timezone.localdate()
    quotas = [(org, 3) for org in nominators]
    # Last year: reviewed, voted, noticed and approved.
    past = services.do_open_call(
        acting_user=admin,
        kind="st_award",
        year=today.year - 1,
        department=department,
        nomination_deadline=today - dt.timedelta(days=200),
        quotas=quotas,
    )
    # Last year's nominations arrived before its deadline; replay them with the deadline open.
    AwardCall.objects.filter(pk=past.pk).update(nomination_deadline=today)
    past.refresh_from_db()
    done = _nominate_all(past, nominators, rng, year_offset=1)[:3]
    AwardCall.objects.filter(pk=past.pk).update(nomination_deadline=today - dt.timedelta(days=200))
    past.refresh_from_db()
    for n in done:
        services.do_formal_check(n, acting_user=admin, passed=True, note="材料齐全")
    stages = {s.kind: s for s in past.review_process.stages.all()}
    for n in past.nominations.exclude(pk__in=[d.pk for d in done]):
        services.do_formal_check(n, acting_user=admin, passed=False, note="缺少应用证明")
    do_close_stage(stages[StageKind.FORMAL], acting_user=admin)
    for kind in (StageKind.ONLINE, StageKind.HEARING):
        for n in done:
            n.review_submission.refresh_from_db()
            do_decide(
                stages[kind], n.review_submission, acting_user=admin, passed=True, reason="专家评审通过"
            )
        do_close_stage(stages[kind], acting_user=admin)
    vote = stages[StageKind.VOTE]
    vote.refresh_from_db()
    vote.committee.set(experts[:7])
    for n in done:
        n.review_submission.refresh_from_db()
        for member in experts[:7]:
            do_cast_vote(vote, n.review_submission, acting_user=member, choice=VoteChoice.YES)
        do_decide(vote, n.review_submission, acting_user=admin)
    do_close_stage(vote, acting_user=admin)
    for n, grade in zip(done, ("first", "second", "third"), strict=True):
        n.refresh_from_db()
        services.do_propose_grade(n, acting_user=admin, grade_code=grade)
    services.do_start_notice(past, acting_user=admin, start=today - dt.timedelta(days=40))
    services.do_approve(past, acting_user=admin, document=f"桂政函〔{today.year - 1}〕88号")
    paid = _pay_last_years_prizes(past, department, today)
    # This year: nominations in, formal check passed, experts assigned for the online review.
    current = services.do_open_call(
        acting_user=admin,
        kind="st_award",
        year=today.year,
        department=department,
        nomination_deadline=today + dt.timedelta(days=30),
        quotas=quotas,
    )
    nominations = _nominate_all(current, nominators, rng)
    for n in nominations:
        services.do_formal_check(n, acting_user=admin, passed=True, note="材料齐全")
    stages = {s.kind: s for s in current.review_process.stages.all()}
    do_close_stage(stages[StageKind.FORMAL], acting_user=admin)
    online = stages[StageKind.ONLINE]
    online.deadline = timezone.now() + dt.timedelta(days=14)
    online.save(update_fields=["deadline"])
    result = do_assign(online, acting_user=admin)
    return f"{len(experts)} experts, 2 calls, {len(result.pairs)} review assignments, {paid}"


def _pay_last_years_prizes(past, department, today) -> str:
    """Last year's prizes handed to a payout round of the S&T department's award programme (it waits for the
    联合会审 of 科技 and 财政 on the policy pages), and its first prize put forward to the national award, which
    reached the defence stage."""
    from kechuang.awards.models import NationalStage
    from kechuang.policy import services as policy

    official = User.objects.filter(username="reviewer", organisation=department).first()
    if official is None:
        return "no prize payout (no 'reviewer' account)"
    programme = policy.do_create_programme(
        "科学技术奖励奖金与国家奖配套",
        list(services.DECIDED_POLICIES),
        description="广西科学技术奖、广西专利奖奖金；国家科学技术奖配套奖励与答辩阶段奖励。",
        joint_departments=["science", "finance"],
        acting_user=official,
    )
    fund = policy.do_create_fund(
        programme, f"{today.year}年科学技术奖励经费", today.year, 2_000_000_00, acting_user=official
    )
    round_ = policy.do_create_round(
        fund,
        f"{past.year}年度广西科学技术奖奖金",
        year=past.year,
        budget_fen=500_000_00,
        mode="apply",
        acting_user=official,
    )
    services.do_pay_prizes(past, round_, acting_user=official)
    first = past.nominations.filter(status="awarded").order_by("id").first()
    entry = services.do_recommend_national(first, acting_user=official, year=today.year)
    services.do_record_national_result(
        entry, acting_user=official, stage=NationalStage.DEFENCE, document=f"国科奖办字〔{today.year}〕12号"
    )
    return f"prizes of {past.year} on round {round_.pk}"
