"""Demo market for `manage.py seed_demo`: the evaluation set's achievements published by the demo university,
a few demands from the demo enterprise in several languages, one conversation and one contract; three ASEAN
organisations registered with their own registration numbers (a Vietnamese SME, a Thai university, an Indonesian
technology broker), each with an account in its language and listings written in it. The index is built by a
queued job (the worker embeds the texts)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from kechuang.errors import DomainError
from kechuang.techmarket import services
from kechuang.techmarket.eval import dataset
from kechuang.techmarket.indexing import enqueue_index

DEMANDS = [
    ("sugarcane-harvester", "vi"),
    ("cassava-ethanol", "th"),
    ("durian-preservation", "ms"),
    ("saline-rice", "en"),
    ("mangrove", "lo"),
    ("tilapia-vaccine", "id"),
]


# (username, country, number type, number, kind, name, English name, interface language, listings)
ASEAN_ACCOUNTS = [
    (
        "vn_sme",
        "VN",
        "vn_msdn",
        "0100233488",
        "enterprise",
        "Công ty TNHH Nông sản Xanh Cần Thơ",
        "Can Tho Green Farm Produce Co., Ltd.",
        "vi",
        [
            (
                "demand",
                "Cần công nghệ sấy thanh long tiết kiệm năng lượng",
                "Công ty chúng tôi ở Cần Thơ sấy 20 tấn thanh long mỗi tháng bằng lò đốt củi, tốn nhiên liệu và "
                "màu sắc không đều. Chúng tôi cần dây chuyền sấy bơm nhiệt hoặc năng lượng mặt trời, giữ màu và "
                "vitamin, để xuất khẩu sang Trung Quốc.",
            ),
        ],
    ),
    (
        "th_university",
        "TH",
        "th_juristic",
        "0994000617721",
        "university",
        "มหาวิทยาลัยเกษตรศาสตร์ภาคเหนือ (สาธิต)",
        "Northern Agricultural University (demo)",
        "th",
        [
            (
                "achievement",
                "ชุดตรวจโรคใบขาวอ้อยแบบรวดเร็วในแปลง",
                "ชุดตรวจ LAMP สำหรับโรคใบขาวอ้อย อ่านผลได้ในแปลงภายใน 30 นาที ความไวใกล้เคียง PCR "
                "ทดสอบแล้วในจังหวัดกาญจนบุรีและอุดรธานี พร้อมถ่ายทอดเทคโนโลยีให้สหกรณ์และโรงงานน้ำตาล",
            ),
        ],
    ),
    (
        "id_broker",
        "ID",
        "id_nib",
        "9120001234567",
        "tech_transfer",
        "PT Jembatan Teknologi Nusantara",
        "Nusantara Technology Bridge (technology broker)",
        "id",
        [
            (
                "demand",
                "Mencari teknologi pengolahan limbah cair pabrik kelapa sawit menjadi biogas",
                "Klien kami, pabrik kelapa sawit di Riau dengan kapasitas 45 ton TBS per jam, mencari teknologi "
                "reaktor biogas untuk limbah cair (POME) dan pembangkit listrik, dengan pendampingan teknis dari "
                "mitra Tiongkok.",
            ),
        ],
    ),
]


def seed_asean(reviewer) -> list[str]:
    """The three ASEAN demo organisations, their administrators (password: the demo password) and listings."""
    from kechuang.accounts.models import Role
    from kechuang.accounts.services import do_create_user
    from kechuang.registry.demo import DEMO_PASSWORD
    from kechuang.registry.models import Organisation
    from kechuang.registry.services import do_create_organisation

    users = get_user_model().objects
    created = []
    for username, country, type_code, number, kind, name, name_en, language, listings in ASEAN_ACCOUNTS:
        org = Organisation.objects.filter(
            country=country, registration_type=type_code, registration_number=number
        ).first() or do_create_organisation(
            acting_user=None,
            country=country,
            registration_type=type_code,
            registration_number=number,
            name=name,
            name_en=name_en,
            kind=kind,
        )
        user = users.filter(username=username).first()
        if user is None:
            user = do_create_user(
                username,
                DEMO_PASSWORD,
                organisation=org,
                role=Role.ORG_ADMIN,
                display_name=name_en,
                acting_user=None,
                check_password=False,
            )
            user.language = language
            user.save(update_fields=["language"])
        for kind_, title, summary in listings:
            try:
                listing = services.do_create_listing(
                    acting_user=user, kind=kind_, language=language, title=title, summary=summary, trl=6
                )
            except DomainError:
                continue
            services.do_review_listing(listing, acting_user=reviewer, approve=True)
        created.append(username)
    return created


def seed_demo(seed: int = 2026) -> str:
    users = get_user_model().objects
    university, enterprise, reviewer = (
        users.filter(username=u).first() for u in ("university", "enterprise", "reviewer")
    )
    if not (university and enterprise and reviewer):
        return "skipped (demo accounts missing)"
    published = 0
    for item in dataset.achievements():
        title, summary = item["rows"]["zh-hans"]
        try:
            listing = services.do_create_listing(
                acting_user=university,
                kind="achievement",
                language="zh-hans",
                title=title,
                summary=summary,
                trl=5 + published % 4,
                transfer_mode=["transfer", "licence", "joint", "equity"][published % 4],
            )
        except DomainError:
            continue
        if "en" in item["rows"]:
            en_title, en_summary = item["rows"]["en"]
            services.do_set_text(
                listing,
                acting_user=university,
                language="en",
                origin="verified",
                title=en_title,
                summary=en_summary,
            )
        services.do_review_listing(listing, acting_user=reviewer, approve=True)
        published += 1
    pairs = {p["id"]: p for p in dataset.PAIRS}
    demands = []
    for pair_id, lang in DEMANDS:
        text = pairs[pair_id]["demands"][lang]
        try:
            demand = services.do_create_listing(
                acting_user=enterprise,
                kind="demand",
                language=lang,
                title=text[:60],
                summary=text,
                trl=6,
                country="CN",
            )
        except DomainError:
            continue
        services.do_review_listing(demand, acting_user=reviewer, approve=True)
        demands.append(demand)
    if demands:
        services.do_record_follow_up(
            demands[0],
            acting_user=reviewer,
            called_at=timezone.now(),
            outcome="progressing",
            note="已电话联系，企业希望安排现场考察。",
        )
    asean = seed_asean(reviewer)
    enqueue_index(full=True)
    return f"{published} achievements, {len(demands)} demands, ASEAN accounts {', '.join(asean)}; index job queued"
