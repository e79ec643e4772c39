"""Authorisation rules of programme projects. The world: an open call of the 科技厅's key R&D line with 甲's draft
application recommended by the 南宁 science bureau; and a second call taken through review, decision, public notice
(with an answered objection) and funding, whose project (甲's) has a signed contract, a report, a change request
and a passed acceptance with its result offered to the market; and 甲's overseas R&D centre. See
docs/permissions.md."""

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
CONTRACT = MANAGERS | {ENT_A}  # the department and the unit that carries the project
CENTRE = PROVINCE_OFFICIALS | {ENT_A}  # the unit that keeps it; province-wide officials see every centre

CALL = {"pk": "project_call"}
APP = {"application_id": "project_application"}
CONTRACT_ARGS = {"contract_id": "project_contract"}

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
    "projects:contract": allow(CONTRACT, args={"pk": "project_contract"}),
    "projects:contract_action": allow(
        CONTRACT, args={"pk": "project_contract"}, data={"action": "sign"}, why="both parties sign"
    ),
    "projects:notices": allow(EVERYONE),
    "projects:notice": allow(EVERYONE, args={"pk": "project_notice"}, why="the public notice needs no login"),
    "projects:integrity": allow(PROVINCE_OFFICIALS, why="projects.integrity:manage, province-wide"),
    "projects:centres": allow(
        ORG_USERS, PROVINCE_OFFICIALS, why="units register theirs; province managers see all"
    ),
    "projects:centre": allow(
        CENTRE, post=(ENT_A,), args={"pk": "project_centre"}, why="only the owning unit reports"
    ),
    "projects:home": allow(SIGNED_IN, why="the list is filtered to what the user may see"),
    "projects:application": allow(APPLICATION, args={"pk": "project_application"}),
    "projects:formal_check": allow(MANAGERS, args={"pk": "project_application"}),
    "projects:attachment": allow(
        APPLICATION, args={"pk": "project_attachment"}, why="whoever may see the application downloads it"
    ),
    # ---- API: calls and applications
    "GET /api/projects/calls": allow(SIGNED_IN, why="filtered to the calls the user may see"),
    "POST /api/projects/calls": allow(
        MANAGERS, body={"line_id": "@project_line"}, why="the line's department opens its calls"
    ),
    "GET /api/projects/calls/{call_id}": allow(MANAGERS, ORG_USERS, ASEAN, args={"call_id": "project_call"}),
    "POST /api/projects/calls/{call_id}/applications": allow(
        ORG_USERS,
        args={"call_id": "project_call"},
        body={"topic_id": "@project_topic", "recommender_id": "@project_recommender"},
        why="a unit applies through its own users",
    ),
    "GET /api/projects/applications": allow(SIGNED_IN),
    "GET /api/projects/applications/{application_id}": allow(APPLICATION, args=APP),
    "POST /api/projects/applications/{application_id}/pledge": allow(ENT_A, args=APP),
    "POST /api/projects/applications/{application_id}/submit": allow(ENT_A, args=APP),
    "POST /api/projects/applications/{application_id}/endorse": allow(
        NANNING, args=APP, why="the recommending unit named on the application"
    ),
    "GET /api/projects/applications/{application_id}/formal-check": allow(APPLICATION, args=APP),
    "GET /api/projects/applications/{application_id}/attachments": allow(APPLICATION, args=APP),
    "POST /api/projects/applications/{application_id}/attachments": allow(
        ENT_A, args=APP, why="the applicant attaches while drafting"
    ),
    "POST /api/projects/applications/{application_id}/formal-check": allow(MANAGERS, args=APP),
    # ---- API: the call's managers from the formal check to payment requests
    "POST /api/projects/calls/{call_id}/formal-check": allow(MANAGERS, args={"call_id": "project_call"}),
    "POST /api/projects/calls/{call_id}/review": allow(MANAGERS, args={"call_id": "project_call"}),
    "POST /api/projects/calls/{call_id}/rank": allow(MANAGERS, args={"call_id": "project_call"}),
    "POST /api/projects/calls/{call_id}/decision": allow(MANAGERS, args={"call_id": "project_call"}),
    "GET /api/projects/calls/{call_id}/objections": allow(MANAGERS, args={"call_id": "project_notice"}),
    "POST /api/projects/objections/{objection_id}/answer": allow(
        MANAGERS, args={"objection_id": "project_objection"}
    ),
    "POST /api/projects/calls/{call_id}/confirm": allow(MANAGERS, args={"call_id": "project_call"}),
    "POST /api/projects/calls/{call_id}/fund": allow(
        SCIENCE,
        ADMIN,
        args={"call_id": "project_call"},
        body={"fund_id": "@project_fund"},
        why="manages the call and the fund's programme (policy.round:manage: not the approver)",
    ),
    "POST /api/projects/calls/{call_id}/payments": allow(MANAGERS, args={"call_id": "project_call"}),
    "GET /api/projects/notices/{call_id}": allow(EVERYONE, args={"call_id": "project_notice"}),
    "POST /api/projects/notices/{call_id}/objections": allow(
        EVERYONE,
        args={"call_id": "project_notice"},
        body={"application_id": "@project_funded"},
        why="anyone may object to a noticed project, signed with a contact",
    ),
    # ---- API: contracts, money (read), reports, changes, acceptance, results
    "GET /api/projects/contracts": allow(SIGNED_IN, why="filtered to the contracts the user may see"),
    "POST /api/projects/applications/{application_id}/contract": allow(
        MANAGERS, args={"application_id": "project_funded"}
    ),
    "GET /api/projects/contracts/{contract_id}": allow(CONTRACT, args=CONTRACT_ARGS),
    "POST /api/projects/contracts/{contract_id}/sign": allow(CONTRACT, args=CONTRACT_ARGS),
    "GET /api/projects/contracts/{contract_id}/milestones": allow(CONTRACT, args=CONTRACT_ARGS),
    "GET /api/projects/contracts/{contract_id}/reports": allow(CONTRACT, args=CONTRACT_ARGS),
    "POST /api/projects/reports/{report_id}/submit": allow(ENT_A, args={"report_id": "project_report"}),
    "POST /api/projects/reports/{report_id}/check": allow(MANAGERS, args={"report_id": "project_report"}),
    "GET /api/projects/contracts/{contract_id}/changes": allow(CONTRACT, args=CONTRACT_ARGS),
    "POST /api/projects/contracts/{contract_id}/changes": allow(ENT_A, args=CONTRACT_ARGS),
    "POST /api/projects/changes/{change_id}/decide": allow(MANAGERS, args={"change_id": "project_change"}),
    "GET /api/projects/contracts/{contract_id}/acceptance": allow(CONTRACT, args=CONTRACT_ARGS),
    "POST /api/projects/contracts/{contract_id}/acceptance": allow(ENT_A, args=CONTRACT_ARGS),
    "POST /api/projects/contracts/{contract_id}/acceptance/review": allow(MANAGERS, args=CONTRACT_ARGS),
    "POST /api/projects/contracts/{contract_id}/acceptance/decision": allow(MANAGERS, args=CONTRACT_ARGS),
    "GET /api/projects/contracts/{contract_id}/results": allow(CONTRACT, args=CONTRACT_ARGS),
    "POST /api/projects/results/{result_id}/confirm": allow(
        ENT_A, args={"result_id": "project_result"}, why="only the unit puts its result on the market"
    ),
    "POST /api/projects/results/{result_id}/decline": allow(ENT_A, args={"result_id": "project_result"}),
    # ---- API: overseas R&D centres
    "GET /api/projects/centres": allow(SIGNED_IN, why="filtered: the unit's own, all for province officials"),
    "POST /api/projects/centres": allow(ORG_USERS, why="a unit registers its own centre"),
    "GET /api/projects/centres/{centre_id}": allow(CENTRE, args={"centre_id": "project_centre"}),
    "POST /api/projects/centres/{centre_id}/reports": allow(ENT_A, args={"centre_id": "project_centre"}),
}


def objects(world):
    from kechuang.projects.testing import accepted_project_world, draft_application

    application = draft_application(world)
    return {
        "project_application": application.pk,
        "project_attachment": application.attachments.get().pk,
        "project_call": application.call_id,
        "project_line": application.call.line_id,
        "project_topic": application.topic_id,
        "project_recommender": application.recommender_id,
        **accepted_project_world(world),
    }
