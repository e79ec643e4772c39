import pytest

from kechuang.review.models import Assignment, BlindMode
from kechuang.review.services import do_assign
from kechuang.review.tests.test_services import GOOD, NOTES, pass_formal


@pytest.fixture
def assigned(process, submissions, experts, admin_user):
    online = pass_formal(process, submissions, admin_user)
    do_assign(online, acting_user=admin_user)
    return online


def test_an_expert_reviews_through_the_page_and_sees_the_total(client, assigned, experts):
    mine = Assignment.objects.filter(stage=assigned, expert__user=experts[0]).first()
    client.force_login(experts[0])
    page = client.get(f"/review/assignments/{mine.pk}/")
    assert page.status_code == 200
    assert mine.submission.title in page.content.decode()
    form = {f"score_{k}": v for k, v in GOOD.items()} | {f"comment_{k}": v for k, v in NOTES.items()}
    response = client.post(f"/review/assignments/{mine.pk}/", form, follow=True)
    assert "77.50" in response.content.decode()


def test_another_expert_gets_404_on_an_assignment_that_is_not_theirs(client, assigned, experts):
    theirs = Assignment.objects.filter(stage=assigned, expert__user=experts[1]).first()
    client.force_login(experts[0])
    assert client.get(f"/review/assignments/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/review/assignments/{theirs.pk}").status_code == 404


def test_double_blind_hides_the_applicant_from_experts_in_page_and_api(client, assigned, experts, process):
    process.blind_mode = BlindMode.DOUBLE
    process.save()
    mine = Assignment.objects.filter(stage=assigned, expert__user=experts[0]).select_related(
        "submission__applicant"
    )
    mine = mine.first()
    client.force_login(experts[0])
    page = client.get(f"/review/assignments/{mine.pk}/").content.decode()
    assert mine.submission.applicant.name not in page
    body = client.get("/api/review/assignments").json()
    assert body and all(row["applicant"] is None for row in body)


def test_the_process_page_is_for_its_department_only(
    client, assigned, process, admin_user, liuzhou_reviewer, alice
):
    client.force_login(admin_user)
    assert client.get(f"/review/processes/{process.pk}/").status_code == 200
    for outsider in (liuzhou_reviewer, alice):
        client.force_login(outsider)
        assert client.get(f"/review/processes/{process.pk}/").status_code == 404
        assert (
            client.get(f"/api/review/processes/{process.pk}/stages/{assigned.pk}/results").status_code == 404
        )


def test_reviewer_names_stay_with_officials(client, assigned, experts, admin_user, process):
    mine = Assignment.objects.filter(stage=assigned, expert__user=experts[0]).first()
    client.force_login(experts[0])
    client.post(
        f"/api/review/assignments/{mine.pk}/review",
        {"scores": GOOD, "comments": NOTES},
        content_type="application/json",
    )
    client.force_login(admin_user)
    results = client.get(f"/api/review/processes/{process.pk}/stages/{assigned.pk}/results").json()
    assert any(r["reviewer"] == "wang" for row in results for r in row["reviews"])
