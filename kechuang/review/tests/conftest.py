import pytest

from kechuang.accounts.models import Role
from kechuang.registry.models import OrganisationKind
from kechuang.review.models import Discipline, Rubric, StageKind
from kechuang.review.services import do_add_submission, do_create_process, do_register_expert
from kechuang.testing import make_org, make_user


@pytest.fixture
def gxu(db):
    return make_org(
        "广西大学", kind=OrganisationKind.UNIVERSITY, region="450103", registration="12", industry=None
    )


@pytest.fixture
def glut(db):
    return make_org(
        "桂林理工大学", kind=OrganisationKind.UNIVERSITY, region="450300", registration="12", industry=None
    )


def make_expert(username, org, *, text, disciplines=("460",), languages="zh-hans"):
    user = make_user(username, org=org, role=Role.EXPERT)
    do_register_expert(
        user,
        acting_user=None,
        organisation=org,
        disciplines=list(Discipline.objects.filter(code__in=disciplines)),
        profile_text=text,
        languages=languages,
    )
    return user


@pytest.fixture
def experts(gxu, glut):
    return [
        make_expert("wang", gxu, text="机械工程 数控机床 精密加工 装备制造"),
        make_expert("li", glut, text="食品科学 甘蔗 制糖 发酵工程", disciplines=("550",)),
        make_expert("zhao", glut, text="机械设计 工业机器人 智能制造"),
        make_expert("chen", gxu, text="食品加工 农产品 保鲜 冷链", disciplines=("550",)),
    ]


@pytest.fixture
def process(department, admin_user):
    return do_create_process(
        acting_user=admin_user,
        name="2026年度广西科学技术奖",
        department=department,
        rubric=Rubric.objects.get(code="st_award_2024"),
        stages=[
            {"kind": StageKind.FORMAL, "name": "形式审查"},
            {"kind": StageKind.ONLINE, "name": "网络评审"},
            {"kind": StageKind.VOTE, "name": "奖励委员会表决", "two_thirds": True},
        ],
        reviews_per_submission=2,
        cap_per_expert=2,
    )


@pytest.fixture
def submissions(process, admin_user, acme, globex):
    mech = do_add_submission(
        process,
        acting_user=admin_user,
        subject_type="test",
        subject_id=1,
        title="五轴联动数控机床关键技术",
        text="高速精密五轴加工中心的设计与产业化",
        applicant=globex,
        people=["刘工", "王强"],
        disciplines=list(Discipline.objects.filter(code="460")),
    )
    food = do_add_submission(
        process,
        acting_user=admin_user,
        subject_type="test",
        subject_id=2,
        title="甘蔗糖厂清洁生产技术",
        text="甘蔗制糖过程节能与废渣综合利用",
        applicant=acme,
        people=["黄敏"],
        disciplines=list(Discipline.objects.filter(code="550")),
    )
    return [mech, food]
