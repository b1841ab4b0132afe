"""The queue page: tabs and their counts, filters, search, order, paging, the cards' contents."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import importing, services
from comments.models import Comment
from moderation import services as moderation_services
from moderation.models import Flag, UserModeration
from tests.factories import ArticleFactory, UserFactory, parse_html, post, trusted_reader

from . import flag_by_readers

pytestmark = pytest.mark.django_db

QUEUE = "/moderation/"


@pytest.fixture
def desk(client_for, moderator):
    return client_for(moderator)


def get(desk, **params):
    response = desk.get(reverse("moderation:queue"), params)
    assert response.status_code == 200
    return parse_html(response.content)


def card_ids(doc):
    return [int(el.attrs["data-comment"]) for el in doc.find_all("section", class_="card")]


def tab_counts(doc):
    return {
        a.attrs["data-tab"]: int(a.find("span", class_="count").text())
        for a in doc.find_all("a")
        if "data-tab" in a.attrs
    }


def squash(el):
    return " ".join(el.text().split())


def test_queue_url():
    assert reverse("moderation:queue") == QUEUE


def test_tabs_and_their_live_counts(desk, moderator, article, reader):
    reported = [post(article, reader, f"Reported {i}") for i in range(2)]
    for c in reported:
        flag_by_readers(c, 1)
    hidden = post(article, reader, "Auto-hidden")
    flag_by_readers(hidden, 3)
    approved = post(article, reader, "Approved one")
    moderation_services.comment_approve(comment=approved, acting_user=moderator)
    rejected = post(article, reader, "Rejected one")
    moderation_services.comment_reject(comment=rejected, acting_user=moderator, reason="spam")
    quiet = post(article, reader, "Nobody minded")

    doc = get(desk)
    assert tab_counts(doc) == {
        "reported": 2,
        "pending": 1,
        "unmoderated": 4,
        "approved": 1,
        "rejected": 1,
    }
    labels = [" ".join(a.text().split()) for a in doc.find_all("a") if "data-tab" in a.attrs]
    assert [lbl.rsplit(" ", 1)[0] for lbl in labels] == [
        "Reported",
        "Pending",
        "Unmoderated",
        "Approved",
        "Rejected",
    ]
    # Reported is the default tab.
    assert card_ids(doc) == [c.pk for c in reported]
    assert card_ids(get(desk, tab="pending")) == [hidden.pk]
    assert card_ids(get(desk, tab="unmoderated")) == [
        reported[0].pk,
        reported[1].pk,
        hidden.pk,
        quiet.pk,
    ]
    assert card_ids(get(desk, tab="approved")) == [approved.pk]
    assert card_ids(get(desk, tab="rejected")) == [rejected.pk]

    # Counts are live: deciding one moves it between tabs.
    moderation_services.comment_approve(comment=reported[0], acting_user=moderator)
    assert tab_counts(get(desk)) == {
        "reported": 1,
        "pending": 1,
        "unmoderated": 3,
        "approved": 2,
        "rejected": 1,
    }


def test_unknown_tab_falls_back_to_reported(desk, article, reader):
    c = post(article, reader)
    flag_by_readers(c, 1)
    assert card_ids(get(desk, tab="nonsense", page="x")) == [c.pk]


def test_filter_by_article(desk, reader):
    a1, a2 = ArticleFactory(title="Budget"), ArticleFactory(title="Football")
    c1, c2 = post(a1, reader, "On the budget"), post(a2, reader, "On the match")
    for c in (c1, c2):
        flag_by_readers(c, 1)
    doc = get(desk, article=a2.slug)
    assert card_ids(doc) == [c2.pk]
    assert tab_counts(doc)["reported"] == 1
    assert card_ids(get(desk, article="no-such-article")) == []


def test_filter_by_flag_reason(desk, article, reader):
    spam, abuse, both = (post(article, reader, t) for t in ("Buy now", "You idiot", "Idiot, buy"))
    flag_by_readers(spam, 1, reason="spam")
    flag_by_readers(abuse, 2, reason="abuse")
    flag_by_readers(both, 1, reason="spam")
    flag_by_readers(both, 1, reason="abuse")  # two flags: below the auto-hide threshold
    doc = get(desk, reason="abuse")
    assert card_ids(doc) == [abuse.pk, both.pk]  # each card once, however many flags
    assert tab_counts(doc)["reported"] == 2
    assert card_ids(get(desk, reason="spam")) == [spam.pk, both.pk]
    assert card_ids(get(desk, reason="misinformation")) == []
    assert card_ids(get(desk, reason="bogus")) == [spam.pk, abuse.pk, both.pk]  # ignored


def test_search_by_text_and_author(desk, article):
    alice = UserFactory(username="alice", display_name="Alice Liddell")
    bob = UserFactory(username="bob", display_name="Robert Paulson")
    a = post(article, alice, "Something about taxes.")
    b = post(article, bob, "Something about rabbits.")
    for c in (a, b):
        flag_by_readers(c, 1)
    assert card_ids(get(desk, q="RABBIT")) == [b.pk]
    assert card_ids(get(desk, q="alice")) == [a.pk]
    assert card_ids(get(desk, q="Paulson")) == [b.pk]
    assert card_ids(get(desk, q="something")) == [a.pk, b.pk]
    assert card_ids(get(desk, q="zebra")) == []
    doc = get(desk, q="zebra")
    assert "Nothing here" in squash(doc)


def test_oldest_first_by_default_newest_on_request(desk, article, reader):
    now = timezone.now()
    cs = [post(article, reader, f"Comment {i}") for i in range(3)]
    # Posting order and created_at disagree for one of them: order follows created_at.
    Comment.objects.filter(pk=cs[2].pk).update(created_at=now - dt.timedelta(days=2))
    for c in cs:
        flag_by_readers(c, 1)
    assert card_ids(get(desk)) == [cs[2].pk, cs[0].pk, cs[1].pk]
    assert card_ids(get(desk, order="newest")) == [cs[1].pk, cs[0].pk, cs[2].pk]


def _flagged_import(n, slug="bulk"):
    """n comments (a root and n-1 replies), all reported twice; built in a few queries."""
    thread = importing.ImportedThread(
        title=f"Thread {slug}",
        slug=slug,
        body="Body.",
        comments=tuple(
            importing.ImportedComment(
                key=f"k{i}",
                parent_key=None if i == 0 else "k0",
                author=f"Guest {i}",
                body=f"Queued comment number {i}.",
            )
            for i in range(n)
        ),
    )
    article = services.thread_import(thread=thread)
    ids = list(Comment.objects.filter(article=article).order_by("pk").values_list("pk", flat=True))
    readers = [UserFactory() for _ in range(2)]
    authors = [UserFactory() for _ in range(4)]
    for i, author in enumerate(authors):
        Comment.objects.filter(pk__in=ids[i :: len(authors)]).update(author=author, author_name="")
        UserModeration.objects.create(user=author, premoderated=bool(i % 2))
        for j in range(2):
            moderation_services.user_add_note(
                user=author, acting_user=UserFactory(is_staff=True), body=f"Note {j} on author {i}"
            )
    Flag.objects.bulk_create(
        [
            Flag(comment_id=pk, reporter=r, reason=reason, note=f"note {k}")
            for pk in ids
            for k, (r, reason) in enumerate(zip(readers, ["spam", "abuse"], strict=True))
        ],
        batch_size=2000,
    )
    Comment.objects.filter(pk__in=ids).update(open_flag_count=2)
    return article, ids


def test_pagination_25_per_page(desk):
    _, ids = _flagged_import(30)
    page1 = get(desk)
    assert card_ids(page1) == ids[:25]
    assert page1.find("a", rel="next") is not None and page1.find("a", rel="prev") is None
    assert "30 in this tab" in squash(page1)
    page2 = get(desk, page=2)
    assert card_ids(page2) == ids[25:]
    assert page2.find("a", rel="next") is None and page2.find("a", rel="prev") is not None
    # Filters survive paging.
    nxt = page1.find("a", rel="next").attrs["href"]
    assert "page=2" in nxt
    assert "order=newest" in get(desk, order="newest").find("a", rel="next").attrs["href"]
    assert card_ids(get(desk, page=99)) == []


def _count_queries(desk, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = desk.get(reverse("moderation:queue"), params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_query_count_does_not_grow_with_the_queue(desk):
    _flagged_import(10, slug="small")
    small, r_small = _count_queries(desk)
    assert len(card_ids(parse_html(r_small.content))) == 10
    _flagged_import(990, slug="large")
    large, r_large = _count_queries(desk)
    assert tab_counts(parse_html(r_large.content))["reported"] == 1000
    assert len(card_ids(parse_html(r_large.content))) == 25
    assert large == small, f"{small} queries for 10 items, {large} for 1,000"
    # Session, user, moderator check, the five tab counts (one statement), the page, then per kind
    # of card data: accounts, flags, findings, events, author history, notes; the article filter.
    assert small <= 12
    # And the same with a filter and search applied.
    f_small, _ = _count_queries(desk, article="small", reason="spam", q="Queued")
    f_large, _ = _count_queries(desk, article="large", reason="spam", q="Queued")
    assert f_small == f_large


def test_card_shows_parent_thread_link_author_record_and_flags(desk, moderator, article):
    author = UserFactory(username="carol", display_name="Carol")
    parent_author = UserFactory(display_name="Dave Parent")
    parent = post(article, parent_author, "The parent comment being answered.")
    earlier = post(article, author, "An earlier comment of hers.")
    moderation_services.comment_reject(comment=earlier, acting_user=moderator, reason="abuse")
    c = post(article, author, "The reply under review.", parent=parent)
    moderation_services.user_suspend(
        user=author, acting_user=moderator, duration=dt.timedelta(days=2), reason="Cool off"
    )
    moderation_services.user_add_note(
        user=author, acting_user=moderator, body="Second warning sent."
    )
    r1, r2, r3 = (
        trusted_reader(username="r1"),
        trusted_reader(username="r2"),
        trusted_reader(username="r3"),
    )
    moderation_services.comment_flag(comment=c, reporter=r1, reason="spam", note="Affiliate link")
    moderation_services.comment_flag(comment=c, reporter=r2, reason="spam")
    moderation_services.comment_flag(
        comment=c, reporter=r3, reason="off_topic", note="Not about the article"
    )

    doc = get(desk, tab="pending")  # three flags auto-hid it
    card = doc.by_id(f"card-{c.pk}")
    assert card is not None
    text = squash(card)
    # The comment, with its parent as context.
    assert "The reply under review." in squash(card.find("div", class_="card-body"))
    context = card.find("blockquote", class_="parent-context")
    assert "In reply to Dave Parent" in squash(context)
    assert "The parent comment being answered." in squash(context)
    # A link to it in its thread.
    links = [a.attrs["href"] for a in card.find_all("a")]
    assert f"/articles/{article.slug}/#c{c.pk}" in links
    # The author's record.
    record = squash(card.find("div", class_="author-record"))
    assert "2 comments, 1 rejected" in record
    assert "Suspended until" in record
    assert "Second warning sent." in record
    assert reverse("moderation:user", args=[author.pk]) in links
    # Flags grouped by reason, with their notes.
    flags = squash(card.find("div", class_="flags"))
    assert "Spam or advertising ×2" in flags
    assert "Off-topic ×1" in flags
    assert "Affiliate link" in flags and "Not about the article" in flags
    # The decision controls carry what the moderator saw.
    seen = card.find("input", name="seen")
    assert seen is not None and seen.attrs["value"] == ""
    assert "Auto-hidden by reader flags" in text


def test_single_card_page(desk, moderator, article, reader):
    c = post(article, reader, "Look at me alone.")
    response = desk.get(reverse("moderation:comment", args=[c.pk]))
    assert response.status_code == 200
    assert "Look at me alone." in squash(parse_html(response.content).by_id(f"card-{c.pk}"))


def test_card_escapes_reader_text(desk, article, reader):
    c = post(article, reader, "<script>alert(1)</script> plain words")
    flag_by_readers(c, 1, note="<img src=x onerror=alert(2)>")
    body = desk.get(reverse("moderation:queue")).content.decode()
    assert "<script>alert(1)" not in body
    assert "<img src=x onerror" not in body
