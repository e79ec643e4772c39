"""Authorisation rules of expert review. The world: a review process of the 科技厅 (managed by its province-wide
officials) with 甲's submission, assigned to the expert in the online stage; the expert also sits on the voting
stage's committee, where the submission now is. See docs/permissions.md."""

from kechuang.permissions.matrix import ADMIN, APPROVER, EXPERT, OFFICIALS, SCIENCE, allow

MANAGERS = frozenset({SCIENCE, APPROVER, ADMIN})  # review.process:manage for the owning department
PROCESS = {"pk": "review_process"}

ROUTES = {
    "review:home": allow(OFFICIALS, EXPERT, why="officials who may run reviews, experts, committee members"),
    "review:assignment": allow(MANAGERS, EXPERT, args={"pk": "assignment"}),
    "review:process": allow(MANAGERS, args=PROCESS),
    "review:stage_action": allow(
        MANAGERS, args={**PROCESS, "stage_id": "online_stage"}, data={"action": "assign"}
    ),
    "review:vote": allow(EXPERT, args={"stage_id": "vote_stage"}, why="committee members only"),
    "GET /api/review/assignments": allow(EXPERT),
    "GET /api/review/assignments/{assignment_id}": allow(MANAGERS, EXPERT),
    "POST /api/review/assignments/{assignment_id}/review": allow(EXPERT),
    "POST /api/review/assignments/{assignment_id}/decline": allow(EXPERT),
    "POST /api/review/assignments/{assignment_id}/conflict": allow(EXPERT),
    "POST /api/review/processes/{process_id}/stages/{stage_id}/assign": allow(
        MANAGERS, args={"process_id": "review_process", "stage_id": "online_stage"}
    ),
    "POST /api/review/processes/{process_id}/stages/{stage_id}/pin": allow(
        MANAGERS,
        args={"process_id": "review_process", "stage_id": "online_stage"},
        body={"submission_id": "@submission", "expert_id": "@expert_profile"},
    ),
    "POST /api/review/processes/{process_id}/stages/{stage_id}/forbid": allow(
        MANAGERS,
        args={"process_id": "review_process", "stage_id": "online_stage"},
        body={"submission_id": "@submission", "expert_id": "@expert_profile"},
    ),
    "GET /api/review/processes/{process_id}/stages/{stage_id}/results": allow(
        MANAGERS, args={"process_id": "review_process", "stage_id": "online_stage"}
    ),
    "POST /api/review/stages/{stage_id}/votes": allow(
        EXPERT, args={"stage_id": "vote_stage"}, body={"submission_id": "@submission"}
    ),
}


def objects(world):
    from kechuang.review.models import Assignment, Rubric, StageKind, Submission
    from kechuang.review.services import do_add_submission, do_create_process

    u = world.users
    process = do_create_process(
        acting_user=u["admin"],
        name="2026年度广西科学技术奖",
        department=world.orgs["science"],
        rubric=Rubric.objects.get(code="st_award_2024"),
        stages=[
            {"kind": StageKind.ONLINE, "name": "网络评审"},
            {"kind": StageKind.VOTE, "name": "奖励委员会表决", "two_thirds": True},
        ],
        reviews_per_submission=1,
        cap_per_expert=2,
    )
    online, vote = list(process.stages.order_by("order", "id"))
    submission = do_add_submission(
        process,
        acting_user=u["admin"],
        subject_type="test",
        subject_id=1,
        title="甘蔗糖厂清洁生产技术",
        text="甘蔗制糖过程节能与废渣综合利用",
        applicant=world.orgs["ent_a"],
        people=["黄敏"],
        disciplines=[],
    )
    assignment = Assignment.objects.create(
        stage=online, submission=submission, expert=u["expert"].expert_profile
    )
    vote.committee.add(u["expert"])
    Submission.objects.filter(pk=submission.pk).update(stage=vote)
    return {
        "review_process": process.pk,
        "online_stage": online.pk,
        "vote_stage": vote.pk,
        "submission": submission.pk,
        "assignment": assignment.pk,
        "expert_profile": u["expert"].expert_profile.pk,
    }
