"""A realistic, seeded, synthetic province: enterprises across the 14 cities with R&D figures over several
years, universities, institutes, banks, insurers, guarantors, officials and demo accounts.

Reference data (regions, industries) is the shipped data; everything else is generated from `seed`, so the same
arguments give the same province. Large sizes use bulk inserts; the demo accounts go through the services.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import Role, User
from kechuang.accounts.services import do_create_user
from kechuang.codes import CREDIT_CODE_ALPHABET, make_credit_code
from kechuang.db import db_datetime, insert_rows
from kechuang.registry.models import (
    Certification,
    CertificationKind,
    DepartmentType,
    EnterpriseSize,
    IndicatorSource,
    IndicatorValue,
    Industry,
    Organisation,
    OrganisationKind,
    Region,
)

DEMO_PASSWORD = "Kechuang-Demo-2026"
ORG_BODY_ALPHABET = CREDIT_CODE_ALPHABET
ABOVE_SCALE_REVENUE_FEN = (
    20_000_000 * 100
)  # 2000万元 main business revenue: the statistical "above scale" line

NAME_WORDS = [
    "华",
    "桂",
    "博",
    "瑞",
    "鑫",
    "达",
    "源",
    "创",
    "科",
    "信",
    "德",
    "恒",
    "泰",
    "宏",
    "嘉",
    "盛",
    "联",
    "安",
    "智",
    "远",
    "海",
    "湾",
    "邕",
    "柳",
    "漓",
    "江",
    "强",
    "昌",
    "新",
    "光",
    "明",
    "丰",
    "元",
    "中",
    "天",
    "兴",
]
TRADES = {
    "C": ["机械", "新材料", "汽车零部件", "生物医药", "食品", "电子", "铝业", "糖业", "化工", "装备"],
    "I": ["软件", "信息技术", "数据科技", "网络科技", "智能科技"],
    "M": ["检测技术", "工程技术", "环境科技", "设计研究"],
    "A": ["农业科技", "种业", "林业科技", "生态农业"],
    "D": ["新能源", "电力科技"],
    "E": ["建设工程", "建筑科技"],
    "F": ["贸易", "供应链"],
}
SECTION_WEIGHTS = {"C": 55, "I": 15, "M": 12, "A": 8, "D": 4, "E": 3, "F": 3}
CITY_WEIGHTS = {
    "450100": 26,
    "450200": 14,
    "450300": 11,
    "450400": 5,
    "450500": 6,
    "450600": 3,
    "450700": 5,
    "450800": 5,
    "450900": 7,
    "451000": 5,
    "451100": 3,
    "451200": 3,
    "451300": 3,
    "451400": 4,
}

UNIVERSITIES = [
    ("广西大学", "Guangxi University", "450102"),
    ("桂林电子科技大学", "Guilin University of Electronic Technology", "450305"),
    ("广西医科大学", "Guangxi Medical University", "450103"),
    ("广西师范大学", "Guangxi Normal University", "450302"),
    ("桂林理工大学", "Guilin University of Technology", "450311"),
    ("广西科技大学", "Guangxi University of Science and Technology", "450202"),
    ("广西民族大学", "Guangxi Minzu University", "450102"),
    ("南宁师范大学", "Nanning Normal University", "450107"),
    ("北部湾大学", "Beibu Gulf University", "450703"),
    ("玉林师范学院", "Yulin Normal University", "450902"),
    ("广西中医药大学", "Guangxi University of Chinese Medicine", "450103"),
    ("右江民族医学院", "Youjiang Medical University for Nationalities", "451002"),
]
INSTITUTES = [
    ("广西农业科学院", "Guangxi Academy of Agricultural Sciences", "450107"),
    ("广西科学院", "Guangxi Academy of Sciences", "450103"),
    ("广西壮族自治区中国科学院广西植物研究所", "Guangxi Institute of Botany, CAS", "450305"),
    ("广西林业科学研究院", "Guangxi Forestry Research Institute", "450107"),
    ("广西机械工业研究院", "Guangxi Machinery Industry Research Institute", "450103"),
]
BANKS = [
    ("中国工商银行股份有限公司广西壮族自治区分行", "ICBC Guangxi Branch"),
    ("中国农业银行股份有限公司广西壮族自治区分行", "ABC Guangxi Branch"),
    ("中国银行股份有限公司广西壮族自治区分行", "Bank of China Guangxi Branch"),
    ("中国建设银行股份有限公司广西壮族自治区分行", "CCB Guangxi Branch"),
    ("交通银行股份有限公司广西壮族自治区分行", "BOCOM Guangxi Branch"),
    ("广西北部湾银行股份有限公司", "Guangxi Beibu Gulf Bank"),
    ("桂林银行股份有限公司", "Bank of Guilin"),
    ("柳州银行股份有限公司", "Liuzhou Bank"),
]
INSURERS = [
    ("中国人民财产保险股份有限公司广西壮族自治区分公司", "PICC P&C Guangxi Branch"),
    ("中国平安财产保险股份有限公司广西分公司", "Ping An P&C Guangxi Branch"),
]
GUARANTORS = [
    ("广西中小企业融资担保有限公司", "Guangxi SME Financing Guarantee Co."),
    ("广西农业融资担保有限公司", "Guangxi Agricultural Financing Guarantee Co."),
]
FUND_MANAGERS = [
    ("广西投资引导基金有限责任公司", "Guangxi Investment Guidance Fund Co."),
    ("广西北部湾产业投资基金管理有限公司", "Beibu Gulf Industrial Fund Management Co."),
]


@dataclass
class DemoAccount:
    username: str
    role: str
    organisation: str
    city: str = ""


class ProvinceGenerator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.used_codes: set[str] = set(Organisation.objects.values_list("credit_code", flat=True))
        cities = {r.code: r for r in Region.objects.filter(level=Region.Level.CITY)}
        self.counties = {
            code: list(Region.objects.filter(parent_id=code)) or [cities[code]] for code in cities
        }
        self.divisions = {
            s: list(Industry.objects.filter(level=Industry.Level.DIVISION, section=s))
            for s in SECTION_WEIGHTS
        }
        self.regions = {r.code: r for r in Region.objects.all()}

    def credit_code(self, region_code: str, registration: str) -> str:
        while True:
            body = "".join(self.rng.choice(ORG_BODY_ALPHABET) for _ in range(8))
            code = make_credit_code(region_code, body, registration)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def organisation(
        self,
        name,
        kind,
        region_code,
        *,
        name_en="",
        industry=None,
        size=EnterpriseSize.NOT_APPLICABLE,
        registration="91",
        capital_fen=None,
        established=None,
    ) -> Organisation:
        region = self.regions[region_code]
        org = Organisation(
            credit_code=self.credit_code(region_code, registration),
            name=name,
            name_en=name_en,
            kind=kind,
            region=region,
            industry=industry,
            size=size,
            registered_capital_fen=capital_fen,
            established_on=established,
        )
        org.refresh_derived_fields()
        return org

    def enterprise(self, index: int) -> tuple[Organisation, dict]:
        rng = self.rng
        city = rng.choices(list(CITY_WEIGHTS), weights=list(CITY_WEIGHTS.values()))[0]
        county = rng.choice(self.counties[city])
        section = rng.choices(list(SECTION_WEIGHTS), weights=list(SECTION_WEIGHTS.values()))[0]
        industry = rng.choice(self.divisions[section]) if self.divisions[section] else None
        city_name = self.regions[city].name.removesuffix("市")
        name = (
            f"{city_name}{rng.choice(NAME_WORDS)}{rng.choice(NAME_WORDS)}{rng.choice(TRADES[section])}"
            f"{rng.choice(['有限公司', '股份有限公司', '有限责任公司'])}"
        )
        if index % 7 == 0:
            name = name.replace("有限", f"{index % 97}号有限", 1)  # real registries have near-duplicate names
        revenue_yuan = int(rng.lognormvariate(17.2, 1.4))  # median ≈ 3000万元
        intensity = max(0.002, rng.gauss(0.025, 0.018))
        profile = {
            "revenue": revenue_yuan,
            "intensity": intensity,
            "growth": rng.gauss(0.08, 0.15),
            "employees": max(5, int(revenue_yuan / rng.uniform(3e5, 1.2e6))),
        }
        size = (
            EnterpriseSize.ABOVE_SCALE
            if revenue_yuan * 100 >= ABOVE_SCALE_REVENUE_FEN
            else EnterpriseSize.BELOW_SCALE
        )
        established = dt.date(rng.randint(1995, 2022), rng.randint(1, 12), rng.randint(1, 28))
        capital = rng.choice([100, 200, 500, 1000, 2000, 5000, 10000]) * 10_000 * 100
        return self.organisation(
            name,
            OrganisationKind.ENTERPRISE,
            county.code,
            industry=industry,
            size=size,
            capital_fen=capital,
            established=established,
        ), profile

    def indicators(self, org_id: int, profile: dict, years: list[int]) -> list[tuple]:
        rng, values = self.rng, []
        revenue = profile["revenue"]
        for year in years:
            revenue = max(100_000, int(revenue * (1 + profile["growth"] + rng.gauss(0, 0.06))))
            intensity = max(0.0, profile["intensity"] * (1 + rng.gauss(0.04, 0.15)))
            rd = int(revenue * intensity)
            deduction = int(rd * rng.uniform(0.75, 1.0)) if rng.random() < 0.85 else 0
            employees = max(5, int(profile["employees"] * (1 + rng.gauss(0.03, 0.05))))
            figures = {
                "revenue": revenue * 100,
                "rd_spending": rd * 100,
                "rd_super_deduction": deduction * 100,
                "rd_self_funded": rd * 90,  # 107-1 企业资金: 90% of the R&D spending (no extra draw)
                "employees": employees,
                "rd_staff": max(1 if rd else 0, round(employees * min(0.6, intensity * rng.uniform(4, 10)))),
            }
            values += [(org_id, code, year, value) for code, value in figures.items()]
        return values

    def certifications(self, org_id: int, profile: dict, last_year: int) -> list[Certification]:
        rng, certs = self.rng, []
        if profile["intensity"] > 0.03 and rng.random() < 0.55:
            start = dt.date(last_year - rng.randint(0, 2), 12, rng.randint(1, 28))
            certs.append(
                Certification(
                    organisation_id=org_id,
                    kind=CertificationKind.HIGH_TECH,
                    number=f"GR{start.year}45{rng.randint(100000, 999999)}",
                    valid_from=start,
                    valid_to=start.replace(year=start.year + 3) - dt.timedelta(days=1),
                    source="示例数据",
                )
            )
        if profile["growth"] > 0.2 and rng.random() < 0.4:
            start = dt.date(last_year, 6, 30)
            certs.append(
                Certification(
                    organisation_id=org_id,
                    kind=CertificationKind.GAZELLE,
                    valid_from=start,
                    valid_to=start.replace(year=start.year + 2),
                    source="示例数据",
                )
            )
        if profile["employees"] < 500 and profile["intensity"] > 0.02 and rng.random() < 0.5:
            start = dt.date(last_year + 1, 4, 1)
            certs.append(
                Certification(
                    organisation_id=org_id,
                    kind=CertificationKind.TECH_SME,
                    valid_from=dt.date(last_year, 4, 1),
                    valid_to=start,
                    source="示例数据",
                )
            )
        return certs


REGIONAL_DEPARTMENTS = [
    ("广西壮族自治区科学技术厅", "Department of Science and Technology of Guangxi", DepartmentType.SCIENCE),
    ("广西壮族自治区财政厅", "Department of Finance of Guangxi", DepartmentType.FINANCE),
    (
        "广西壮族自治区工业和信息化厅",
        "Department of Industry and Information Technology of Guangxi",
        DepartmentType.INDUSTRY,
    ),
    ("国家税务总局广西壮族自治区税务局", "Guangxi Provincial Tax Service, STA", DepartmentType.TAX),
    ("广西壮族自治区统计局", "Statistics Bureau of Guangxi", DepartmentType.STATISTICS),
    (
        "广西壮族自治区市场监督管理局（知识产权局）",
        "Administration for Market Regulation of Guangxi",
        DepartmentType.MARKET_REGULATION,
    ),
    (
        "广西壮族自治区地方金融监督管理局",
        "Local Financial Supervision and Administration of Guangxi",
        DepartmentType.FINANCIAL_REGULATION,
    ),
]


def fixed_institutions(gen: ProvinceGenerator) -> list[Organisation]:
    orgs = []
    for name, name_en, department_type in REGIONAL_DEPARTMENTS:
        org = gen.organisation(
            name, OrganisationKind.GOVERNMENT, "450103", name_en=name_en, registration="11"
        )
        org.department_type = department_type
        orgs.append(org)
    for city_code in CITY_WEIGHTS:
        city = gen.regions[city_code]
        org = gen.organisation(
            f"{city.name}科学技术局",
            OrganisationKind.GOVERNMENT,
            city_code,
            name_en=f"{city.name_en} Science and Technology Bureau",
            registration="11",
        )
        org.department_type = DepartmentType.SCIENCE
        orgs.append(org)
    orgs += [
        gen.organisation(
            n,
            OrganisationKind.UNIVERSITY,
            r,
            name_en=e,
            registration="12",
            industry=Industry.objects.filter(code="P").first(),
        )
        for n, e, r in UNIVERSITIES
    ]
    orgs += [
        gen.organisation(
            n,
            OrganisationKind.INSTITUTE,
            r,
            name_en=e,
            registration="12",
            industry=Industry.objects.filter(code="73").first(),
        )
        for n, e, r in INSTITUTES
    ]
    for kind, rows in (
        (OrganisationKind.BANK, BANKS),
        (OrganisationKind.INSURER, INSURERS),
        (OrganisationKind.GUARANTOR, GUARANTORS),
        (OrganisationKind.FUND_MANAGER, FUND_MANAGERS),
    ):
        orgs += [
            gen.organisation(n, kind, "450103", name_en=e, industry=Industry.objects.filter(code="J").first())
            for n, e in rows
        ]
    return orgs


def generate_province(
    *,
    enterprises: int,
    seed: int = 2026,
    years=(2021, 2022, 2023, 2024),
    with_accounts=True,
    chunk: int = 5000,
    progress=None,
) -> list[DemoAccount]:
    gen = ProvinceGenerator(seed)
    years = list(years)
    with transaction.atomic():
        if not Organisation.objects.filter(kind=OrganisationKind.GOVERNMENT).exists():
            Organisation.objects.bulk_create(fixed_institutions(gen))
    made = 0
    while made < enterprises:
        batch = min(chunk, enterprises - made)
        pairs = [gen.enterprise(made + i) for i in range(batch)]
        with transaction.atomic():
            Organisation.objects.bulk_create([org for org, _ in pairs], batch_size=2000)
            ids = dict(
                Organisation.objects.filter(credit_code__in=[o.credit_code for o, _ in pairs]).values_list(
                    "credit_code", "id"
                )
            )
            values, certs = [], []
            for org, profile in pairs:
                org_id = ids[org.credit_code]
                values += gen.indicators(org_id, profile, years)
                if years:
                    certs += gen.certifications(org_id, profile, years[-1])
            insert_indicator_values(values)
            Certification.objects.bulk_create(certs, batch_size=5000)
        made += batch
        if progress:
            progress(made, enterprises)
    return create_demo_accounts() if with_accounts else []


# Where each demo figure would really come from: the statistics bureau's 107-1 R&D report and the tax
# authority's confirmed super-deduction base.
DEMO_SOURCES = {
    "revenue": (IndicatorSource.STATISTICS, "示例数据（统计部门：规上企业财务状况表）"),
    "rd_spending": (IndicatorSource.STATISTICS, "示例数据（统计部门：107-1 研发活动情况表）"),
    "employees": (IndicatorSource.STATISTICS, "示例数据（统计部门：从业人员情况表）"),
    "rd_staff": (IndicatorSource.STATISTICS, "示例数据（统计部门：107-1 研发活动情况表）"),
    "rd_super_deduction": (IndicatorSource.TAX, "示例数据（税务部门：研发费用加计扣除确认）"),
    "rd_self_funded": (IndicatorSource.STATISTICS, "示例数据（统计部门：107-1 研发活动情况表，企业资金）"),
}


def insert_indicator_values(values: list[tuple]) -> None:
    """Bulk insert (organisation_id, indicator, year, value) rows; the ORM's per-object cost dominates at 1M rows."""
    recorded_at = db_datetime(timezone.now())
    other = (IndicatorSource.VERIFIED, "示例数据")
    insert_rows(
        IndicatorValue,
        ["organisation", "indicator", "year", "value", "source", "reference", "is_current", "recorded_at"],
        ((*row, *DEMO_SOURCES.get(row[1], other), True, recorded_at) for row in values),
    )


def create_demo_accounts() -> list[DemoAccount]:
    department = Organisation.objects.get(name="广西壮族自治区科学技术厅")
    nanning_bureau = Organisation.objects.filter(name="南宁市科学技术局").first()
    enterprise = (
        Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, city_id="450100").order_by("id").first()
    )
    bank = Organisation.objects.filter(kind=OrganisationKind.BANK).order_by("id").first()
    university = Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY).order_by("id").first()
    insurer = Organisation.objects.filter(kind=OrganisationKind.INSURER).order_by("id").first()
    guarantor = Organisation.objects.filter(kind=OrganisationKind.GUARANTOR).order_by("id").first()
    nanning = Region.objects.get(code="450100")
    bureaus = {
        org.department_type: org
        for org in Organisation.objects.filter(
            kind=OrganisationKind.GOVERNMENT,
            department_type__in=[DepartmentType.TAX, DepartmentType.STATISTICS],
            city_id="450100",
        )
    }
    specs = [
        ("admin", Role.ADMIN, department, None, "系统管理员"),
        ("reviewer", Role.REVIEWER, department, None, "自治区审核员"),
        ("approver", Role.APPROVER, department, None, "自治区审批员"),
        ("nanning", Role.REVIEWER, nanning_bureau, nanning, "南宁市审核员"),
        ("enterprise", Role.ORG_ADMIN, enterprise, None, "企业管理员"),
        ("bank", Role.ORG_ADMIN, bank, None, "银行客户经理"),
        ("university", Role.ORG_ADMIN, university, None, "高校成果转化办"),
        ("insurer", Role.ORG_ADMIN, insurer, None, "保险机构用户"),
        ("guarantor", Role.ORG_ADMIN, guarantor, None, "担保机构用户"),
        ("expert", Role.EXPERT, university, None, "评审专家"),
        # the bureaus' own accounts: figures they deliver carry the tax / statistics source
        ("tax", Role.REVIEWER, bureaus.get(DepartmentType.TAX), None, "税务局数据报送"),
        ("statistics", Role.REVIEWER, bureaus.get(DepartmentType.STATISTICS), None, "统计局数据报送"),
    ]
    accounts = []
    for username, role, org, city, label in specs:
        if org is None:
            continue
        if not User.objects.filter(username=username).exists():
            do_create_user(
                username,
                DEMO_PASSWORD,
                organisation=org,
                role=role,
                city=city,
                display_name=label,
                acting_user=None,
                check_password=False,
            )
        accounts.append(DemoAccount(username, role, org.name, city.name if city else ""))
    return accounts
