"""Application attachments: never served from the media folder, opened through a permission-checked view by the
applicant and the officials reviewing it, always as a download."""

import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from kechuang.policy.models import Candidate

pytestmark = pytest.mark.django_db

EVIL = b"<html><script>alert(document.cookie)</script></html>"


@pytest.fixture
def application(login, firms, make_round, alice):
    acme, _globex = firms
    round_ = make_round(mode="apply")
    upload = SimpleUploadedFile("report.html", EVIL, content_type="text/html")
    response = login(alice).post(
        reverse("policy:round_apply", args=[round_.pk]), {"policy": "rd_incremental", "attachment": upload}
    )
    assert response.status_code == 302
    return Candidate.objects.get(round=round_, organisation=acme)


def test_the_reviewing_official_opens_the_attachment_as_a_download(login, application, reviewer):
    client = login(reviewer)
    page = client.get(reverse("policy:candidate_detail", args=[application.pk])).content.decode()
    url = reverse("policy:attachment", args=[application.pk])
    assert url in page
    assert url in client.get(reverse("policy:round_detail", args=[application.round_id])).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == EVIL
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_applicant_opens_its_own_attachment(login, application, alice):
    assert login(alice).get(reverse("policy:attachment", args=[application.pk])).status_code == 200


def test_other_firms_other_cities_and_anonymous_users_cannot_open_it(
    login, application, bob, liuzhou_reviewer, outsider
):
    url = reverse("policy:attachment", args=[application.pk])
    for user in (bob, liuzhou_reviewer, outsider):
        assert login(user).get(url).status_code == 404, user
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_uploads_are_not_served_from_the_media_folder_even_with_debug_on(application, settings):
    import config.urls

    stored = "/media/" + application.attachment.name
    settings.DEBUG = True
    try:
        reloaded = importlib.reload(config.urls)
        for pattern in reloaded.urlpatterns:
            callback = getattr(pattern, "callback", None)
            assert getattr(callback, "__module__", "") != "django.views.static", pattern
    finally:
        settings.DEBUG = False
        importlib.reload(config.urls)
    with pytest.raises(Resolver404):
        resolve(stored)
    assert Client().get(stored).status_code == 404
