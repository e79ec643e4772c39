"""Authorisation rules of programme projects. The world: an open call of the 科技厅's key R&D line, and 甲's
application recommended by the 南宁 science bureau. See docs/permissions.md."""

from kechuang.permissions.matrix import (
    ADMIN,
    APPROVER,
    ASEAN,
    ENT_A,
    EVERYONE,
    NANNING,
    ORG_USERS,
    PROVINCE_OFFICIALS,
    SCIENCE,
    SIGNED_IN,
    allow,
)

MANAGERS = frozenset({SCIENCE, APPROVER, ADMIN})  # projects.call:manage for the owning department
APPLICATION = MANAGERS | {ENT_A, NANNING}  # managers, the applying unit, the recommending unit

CALL = {"pk": "project_call"}
PENDING = "needs this object in the matrix world (kechuang/projects/access.py objects)"

ROUTES = {
    "projects:call": allow(
        MANAGERS,
        ORG_USERS,
        ASEAN,
        args=CALL,
        why="an open call: its managers and whoever holds projects.apply",
    ),
    "projects:call_action": allow(MANAGERS, args=CALL, data={"action": "formal_check"}),
    "projects:apply": allow(ORG_USERS, args=CALL, why="a user of an organisation that may apply"),
    "projects:application_action": allow(
        ENT_A, args={"pk": "project_application"}, data={"action": "pledge"}, why="the applicant signs"
    ),
    "projects:contract": allow(MANAGERS, ENT_A, args={"pk": "project_contract"}, skip=PENDING),
    "projects:contract_action": allow(MANAGERS, ENT_A, args={"pk": "project_contract"}, skip=PENDING),
    "projects:notices": allow(EVERYONE),
    "projects:notice": allow(EVERYONE, args={"pk": "project_notice"}, skip=PENDING),
    "projects:integrity": allow(PROVINCE_OFFICIALS, why="projects.integrity:manage, province-wide"),
    "projects:centres": allow(
        ORG_USERS, PROVINCE_OFFICIALS, why="units register theirs; province managers see all"
    ),
    "projects:centre": allow(ORG_USERS, args={"pk": "project_centre"}, skip=PENDING),
    "projects:home": allow(SIGNED_IN, why="the list is filtered to what the user may see"),
    "projects:application": allow(APPLICATION, args={"pk": "project_application"}),
    "projects:formal_check": allow(MANAGERS, args={"pk": "project_application"}),
    "GET /api/projects/applications": allow(SIGNED_IN),
    "GET /api/projects/applications/{application_id}": allow(
        APPLICATION, args={"application_id": "project_application"}
    ),
    "POST /api/projects/applications/{application_id}/submit": allow(
        ENT_A, args={"application_id": "project_application"}
    ),
    "POST /api/projects/applications/{application_id}/formal-check": allow(
        MANAGERS, args={"application_id": "project_application"}
    ),
}


def objects(world):
    from kechuang.projects.services import do_create_application
    from kechuang.projects.testing import WAN, budget, open_call

    call = open_call(world.users["admin"], world.orgs["science"], co_funding_percent=100)
    application = do_create_application(
        call,
        acting_user=world.users["ent_a"],
        topic=call.topics.get(),
        recommender=world.orgs["nanning_bureau"],
        title="甘蔗智能收获装备研发",
        summary="研制适合丘陵地区的甘蔗收获机，突破切割、剥叶和输送关键技术。",
        pi_name="韦强",
        team=[{"name": "覃丽"}],
        targets=["样机 1 台"],
        budget=budget(),
        fiscal_fen=100 * WAN,
        self_fen=100 * WAN,
    )
    return {"project_application": application.pk, "project_call": call.pk}
