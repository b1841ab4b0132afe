"""The home page lists articles newest first, each with its number of comments."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from comments import services
from tests.factories import ArticleFactory, parse_html, post

pytestmark = pytest.mark.django_db


def listed(client):
    response = client.get("/")
    assert response.status_code == 200
    items = parse_html(response.content).find("ol", class_="article-list").find_all("li")
    return [
        (
            li.find("a").text(),
            li.find("a").attrs.get("href"),
            re.sub(r"\s+", " ", li.find("span", class_="meta").text()).strip(),
        )
        for li in items
        if li.find("a") is not None
    ]


def test_articles_newest_first_with_comment_counts(client, reader):
    now = timezone.now()
    old = ArticleFactory(title="Old story", published_at=now - dt.timedelta(days=3))
    new = ArticleFactory(title="New story", published_at=now - dt.timedelta(hours=1))
    middle = ArticleFactory(title="Middle story", published_at=now - dt.timedelta(days=1))
    root = post(old, body="one")
    post(old, body="two", parent=root)
    post(old, body="three")
    post(middle, body="only one")

    rows = listed(client)
    assert [title for title, _, _ in rows] == ["New story", "Middle story", "Old story"]
    assert [href for _, href, _ in rows] == [f"/articles/{a.slug}/" for a in (new, middle, old)]
    counts = [meta.split("·")[-1].strip() for _, _, meta in rows]
    assert counts == ["0 comments", "1 comment", "3 comments"]


def test_counts_leave_out_deleted_and_held_comments(client, reader):
    article = ArticleFactory(title="Story")
    mine = post(article, reader, body="withdrawn")
    post(article, body="stays")
    services.comment_delete_own(comment=mine, acting_user=reader)
    from comments.models import Comment

    held = post(article, body="held")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    ((_, _, meta),) = listed(client)
    assert meta.endswith("1 comment")


def test_no_articles_yet(client, db):
    doc = parse_html(client.get("/").content)
    assert "No articles yet." in doc.find("ol", class_="article-list").text()


def test_home_page_query_count_does_not_grow_with_articles(client, django_assert_max_num_queries):
    for i in range(30):
        article = ArticleFactory()
        if i % 3 == 0:
            post(article)
    with django_assert_max_num_queries(5):
        assert client.get("/").status_code == 200
