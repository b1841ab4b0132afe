"""An oversized or hostile comment costs the server nothing before it is refused.

The detector runs only on text that passed the author and length checks; request bodies over
DATA_UPLOAD_MAX_MEMORY_SIZE are refused before Django parses them.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from comments import services
from comments.models import Comment
from moderation import detection
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def detector_must_not_run(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the detector ran on a text that should have been refused first")

    monkeypatch.setattr(detection, "detect", refuse)


def test_an_overlong_comment_is_refused_without_running_the_detector(
    client_for, reader, detector_must_not_run
):
    article = ArticleFactory()
    body = "#Shiites #Sunnis " * 1000  # 17,000 characters: under the upload limit, over 10,000
    response = client_for(reader).post(
        reverse("comment_create", args=[article.slug]), {"body": body}
    )
    assert response.status_code == 400
    assert "limited to 10,000 characters" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_reply_over_the_limit_is_refused_the_same_way(client_for, reader, request):
    parent = services.comment_create(article=ArticleFactory(), author=UserFactory(), body="Hi")
    request.getfixturevalue("detector_must_not_run")
    response = client_for(reader).post(
        reverse("comment_reply", args=[parent.pk]), {"body": "x " * 6000}
    )
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_a_request_body_over_the_upload_limit_is_refused_before_parsing(
    client_for, reader, detector_must_not_run
):
    article = ArticleFactory()
    response = client_for(reader).post(
        reverse("comment_create", args=[article.slug]), {"body": "#Shiites #Sunnis " * 20_000}
    )  # 340 KB
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_banned_reader_gets_no_detector_time(
    client_for, reader, moderator, detector_must_not_run
):
    from moderation.services import user_ban

    user_ban(user=reader, acting_user=moderator, reason="spam")
    article = ArticleFactory()
    response = client_for(reader).post(
        reverse("comment_create", args=[article.slug]), {"body": "All Shia are liars."}
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_the_detector_still_nudges_an_acceptable_text(client_for, reader):
    article = ArticleFactory()
    response = client_for(reader).post(
        reverse("comment_create", args=[article.slug]), {"body": "All Shia are liars."}
    )
    assert response.status_code == 200
    assert "may generalise" in response.content.decode()
    assert not Comment.objects.exists()
