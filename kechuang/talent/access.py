"""Authorisation rules of the talent programmes (kechuang.permissions.talent). The world: 甲's application for a
person (submitted), a second one on public notice, and 甲's 八桂学者 post. See docs/permissions.md."""

from kechuang.permissions.matrix import (
    ENT_A,
    ENTERPRISES,
    EVERYONE,
    NANNING_AREA,
    OFFICIALS,
    PROVINCE_OFFICIALS,
    allow,
)

APP = {"pk": "talent_application"}
POST_ = {"pk": "bagui_post"}

ROUTES = {
    "talent:home": allow(OFFICIALS, ENTERPRISES, why="talent.view for officials, talent.apply for employers"),
    "talent:apply": allow(ENTERPRISES, why="an organisation administrator applies for its own people"),
    "talent:application": allow(
        NANNING_AREA, ENT_A, args=APP, why="officials whose area covers the employer"
    ),
    "talent:act": allow(NANNING_AREA, ENT_A, args=APP, why="the door; each action's own rule in ACTIONS"),
    "talent:benefits": allow(PROVINCE_OFFICIALS, why="province-wide officials run the benefits"),
    "talent:benefits_run": allow(PROVINCE_OFFICIALS),
    "talent:export": allow(OFFICIALS, ENTERPRISES, why="each sees the applications visible to them"),
    "talent:notice": allow(EVERYONE, why="公示 is public"),
    "talent:object": allow(EVERYONE, args={"pk": "talent_on_notice"}, why="anyone may object, signed"),
    "talent:bagui": allow(OFFICIALS, ENTERPRISES, post=ENTERPRISES, why="units apply for posts"),
    "talent:bagui_post": allow(NANNING_AREA, ENT_A, args=POST_),
    "talent:bagui_act": allow(NANNING_AREA, ENT_A, args=POST_, why="the door; each action checks its rule"),
}


def objects(world):
    import datetime as dt

    from django.utils import timezone

    from kechuang.talent import services
    from kechuang.talent.services import bagui
    from kechuang.talent.services.recognition import ID_CHECK, ID_WEIGHTS

    def id_number(seq):
        body = f"45010219850101{seq:03d}"
        return body + ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]

    today = timezone.localdate()
    ent_a, admin = world.users["ent_a"], world.users["admin"]

    def apply(seq):
        return services.do_apply(
            acting_user=ent_a,
            name=f"人才{seq}",
            id_number=id_number(seq),
            level="C",
            credential="jieqing",
            contract_start=today - dt.timedelta(days=30),
            contract_end=today + dt.timedelta(days=5 * 366),
            evidence={"contract": "HT-1", "social_insurance": "SB-1", "tax": "GS-1"},
        )

    submitted = apply(1)
    noticed = apply(2)
    services.do_precheck(noticed, acting_user=admin, passed=True)
    services.do_recognise(noticed, acting_user=admin)
    services.do_start_notice(acting_user=admin)
    post = bagui.do_apply_post(
        acting_user=ent_a,
        title="甘蔗育种首席",
        discipline="作物遗传育种",
        field="natural",
        team="甘蔗育种团队 12 人，国家产业技术体系岗位",
        matching_fen=100_000_000,
    )
    return {"talent_application": submitted.pk, "talent_on_notice": noticed.pk, "bagui_post": post.pk}
