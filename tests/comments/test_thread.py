"""Reading a thread: nesting, the markup contract, depth, sorting, paging, query count."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import services
from comments.models import Comment
from tests.factories import (
    UserFactory,
    clear_caches,
    comment_elements,
    import_thread,
    parse_html,
    post,
)

pytestmark = pytest.mark.django_db


def article_url(article, **params):
    url = reverse("article", kwargs={"slug": article.slug})
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def get_doc(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return parse_html(response.content)


def thread_of(doc):
    thread = doc.by_id("thread")
    assert thread is not None
    return thread


def root_order(doc):
    """Top-level comments' pks in page order."""
    return [
        pk for pk, el in comment_elements(thread_of(doc)).items() if el.attrs["data-depth"] == "0"
    ]


# --- nesting and the markup contract -------------------------------------------------------


def test_replies_nest_inside_their_parent(client, article, reader, other_reader):
    a = post(article, reader, "Root A")
    b = post(article, other_reader, "Reply B to A", parent=a)
    c = post(article, reader, "Reply C to B", parent=b)
    b2 = post(article, reader, "Reply B2 to A", parent=a)
    d = post(article, other_reader, "Root D")

    els = comment_elements(thread_of(get_doc(client, article_url(article))))
    assert set(els) == {a.pk, b.pk, c.pk, b2.pk, d.pk}
    for el in els.values():
        assert el.tag == "article"
    assert els[b.pk].is_inside(els[a.pk])
    assert els[c.pk].is_inside(els[b.pk])
    assert els[b2.pk].is_inside(els[a.pk])
    assert not els[b2.pk].is_inside(els[b.pk])
    assert not els[d.pk].is_inside(els[a.pk])
    assert not els[a.pk].is_inside(els[d.pk])

    expected = {a: (0, ""), b: (1, a.pk), c: (2, b.pk), b2: (1, a.pk), d: (0, "")}
    for comment, (depth, parent) in expected.items():
        el = els[comment.pk]
        assert el.attrs["data-depth"] == str(depth)
        assert el.attrs["data-parent"] == str(parent)
    # Replies stay in posting order under their parent.
    order = list(els)
    assert order.index(b.pk) < order.index(c.pk) < order.index(b2.pk) < order.index(d.pk)


def test_each_comment_shows_author_times_body_reply_and_permalink(
    client_for, article, reader, other_reader
):
    root = post(article, other_reader, "What a <b>story</b>.")
    reply = post(article, reader, "Agreed.", parent=root)
    doc = get_doc(client_for(reader), article_url(article))
    els = comment_elements(thread_of(doc))
    for comment, name, body in (
        (root, "Omar Other", "What a story."),
        (reply, "Rita Reader", "Agreed."),
    ):
        el = els[comment.pk]
        head = el.find("summary")
        assert head.find("span", class_="author").text() == name
        # The permalink wraps the time and points at the comment's anchor. It follows the
        # summary instead of sitting in it: the summary is the collapse toggle, a button to
        # assistive technology, and a link inside it could not be reached.
        assert head.find("a") is None
        details = head.parent
        assert details.children.index(head) == 0
        when = details.children[1]
        assert (when.tag, when.attrs["class"]) == ("span", "comment-when")
        permalink = when.find("a", class_="permalink")
        assert permalink.attrs["href"] == f"{article_url(article)}#c{comment.pk}"
        time = permalink.find("time")
        assert time.text() == "just now"
        local = timezone.localtime(comment.created_at)
        assert time.attrs["title"] == f"{local:%-d %b %Y, %H:%M %Z}"
        assert time.attrs["datetime"] == comment.created_at.isoformat()
        body_el = el.find("div", class_="comment-body")
        assert body_el.text() == body
        actions = [a for a in el.find("footer").children if not isinstance(a, str)]
        reply_link = next(a for a in actions if "reply" in a.attrs.get("class", ""))
        assert reply_link.attrs["href"] == f"/comments/{comment.pk}/reply/"
        assert reply_link.text() == "Reply"
        assert any(a.attrs.get("href") == f"/comments/{comment.pk}/" for a in actions)
    assert els[root.pk].find("b").text() == "story"


def test_relative_time_with_absolute_time_on_hover(client, article):
    old = post(article, None, "Posted a while ago")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=3))
    old.refresh_from_db()
    el = comment_elements(get_doc(client, article_url(article)))[old.pk]
    time = el.find("time")
    assert time.text() == "3 hours ago"
    assert time.attrs["title"] == f"{timezone.localtime(old.created_at):%-d %b %Y, %H:%M %Z}"


def test_every_comment_collapses_without_javascript(client, article):
    root = post(article, body="Root")
    reply = post(article, body="Reply", parent=root)
    els = comment_elements(get_doc(client, article_url(article)))
    for comment in (root, reply):
        details = [c for c in els[comment.pk].children if not isinstance(c, str)]
        assert details[0].tag == "details" and "open" in details[0].attrs
        assert details[0].children[0].tag == "summary"
    # The reply sits inside the parent's <details>, so collapsing the parent hides it.
    assert els[reply.pk].is_inside(els[root.pk].find("details"))
    # A collapsed comment tells how many replies it hides.
    assert "1 reply hidden" in els[root.pk].find("summary").text()


# --- depth ---------------------------------------------------------------------------------


def _chain(article, length):
    comments = [post(article, body="Level 0")]
    for level in range(1, length):
        comments.append(post(article, body=f"Level {level}", parent=comments[-1]))
    return comments


def test_indentation_stops_at_depth_six_and_deeper_replies_continue_on_their_own_page(
    client, article
):
    chain = _chain(article, 10)  # levels 0..9
    doc = get_doc(client, article_url(article))
    els = comment_elements(thread_of(doc))
    assert set(els) == {c.pk for c in chain[:7]}
    assert max(int(el.attrs["data-depth"]) for el in els.values()) == 6
    assert "Level 7" not in doc.text()
    deepest = els[chain[6].pk]
    link = deepest.find("a", class_="continue")
    assert link is not None
    assert link.attrs["href"] == f"/comments/{chain[6].pk}/"
    assert "Continue this thread" in link.text() and "3 more replies" in link.text()
    # Shallower comments have no such link.
    assert all(els[c.pk].find("footer").find("a", class_="continue") is None for c in chain[:6])

    # The continuation page shows that comment's subtree, with its ancestors as context.
    doc = get_doc(client, link.attrs["href"])
    shown = comment_elements(thread_of(doc))
    assert set(shown) == {c.pk for c in chain[6:]}
    assert shown[chain[9].pk].is_inside(shown[chain[7].pk])
    assert "Level 9" in thread_of(doc).text()
    context = doc.find("section", class_="context")
    assert context is not None
    assert set(comment_elements(context)) == {c.pk for c in chain[:6]}
    assert "Level 0" in context.text()


def test_permalink_page_of_a_reply_shows_its_subtree_and_ancestors(client, article):
    root = post(article, body="The root")
    mid = post(article, body="The middle", parent=root)
    leaf = post(article, body="The leaf", parent=mid)
    sibling = post(article, body="A sibling", parent=root)
    doc = get_doc(client, f"/comments/{mid.pk}/")
    assert set(comment_elements(thread_of(doc))) == {mid.pk, leaf.pk}
    assert set(comment_elements(doc.find("section", class_="context"))) == {root.pk}
    assert "A sibling" not in doc.text()
    assert sibling.pk not in comment_elements(doc)


# --- sorting and paging --------------------------------------------------------------------


def _three_roots(article):
    now = timezone.now()
    first = post(article, body="First posted")
    second = post(article, body="Second posted")
    third = post(article, body="Third posted")
    for c, minutes in ((first, 30), (second, 20), (third, 10)):
        Comment.objects.filter(pk=c.pk).update(created_at=now - dt.timedelta(minutes=minutes))
    for _ in range(3):
        post(article, body="reply", parent=second)
    post(article, body="reply", parent=third)
    return first, second, third


@pytest.mark.parametrize(
    "sort, expected",
    [
        (None, (0, 1, 2)),
        ("oldest", (0, 1, 2)),
        ("newest", (2, 1, 0)),
        ("replies", (1, 2, 0)),
        ("nonsense", (0, 1, 2)),
    ],
)
@pytest.mark.parametrize("show_all", [False, True])
def test_sort_orders(client, article, sort, expected, show_all):
    roots = _three_roots(article)
    params = {"sort": sort} if sort else {}
    if show_all:
        params["all"] = 1
    doc = get_doc(client, article_url(article, **params))
    assert root_order(doc) == [roots[i].pk for i in expected]


def test_first_twenty_top_level_comments_then_more(client):
    article = import_thread("paged", roots=25, replies_per_root=2, depth=2)
    roots = list(Comment.objects.filter(article=article, parent=None).order_by("created_at", "pk"))
    doc = get_doc(client, article_url(article))
    els = comment_elements(thread_of(doc))
    assert root_order(doc) == [r.pk for r in roots[:20]]
    # Complete subtrees: every reply of the shown top-level comments is there.
    shown_trees = {r.tree_id for r in roots[:20]}
    expected = set(Comment.objects.filter(tree_id__in=shown_trees).values_list("pk", flat=True))
    assert set(els) == expected
    more = doc.find(id="more-comments").find("a")
    assert more.text() == "More comments"
    assert "page=2" in more.attrs["href"]

    doc2 = get_doc(client, article_url(article) + more.attrs["href"].split("#")[0])
    assert root_order(doc2) == [r.pk for r in roots[20:]]
    assert doc2.find(id="more-comments") is None

    doc_all = get_doc(client, article_url(article, all=1))
    assert root_order(doc_all) == [r.pk for r in roots]
    assert len(comment_elements(thread_of(doc_all))) == 75
    assert doc_all.find(id="more-comments") is None


def test_more_comments_keeps_the_sort(client):
    article = import_thread("paged-sorted", roots=22)
    doc = get_doc(client, article_url(article, sort="newest"))
    href = doc.find(id="more-comments").find("a").attrs["href"]
    assert "sort=newest" in href and "page=2" in href
    newest_first = list(Comment.objects.filter(article=article).order_by("-created_at", "-pk"))
    doc2 = get_doc(client, article_url(article) + href.split("#")[0])
    assert root_order(doc2) == [c.pk for c in newest_first[20:]]


def test_htmx_more_returns_only_the_next_page(client):
    article = import_thread("paged-htmx", roots=21)
    response = client.get(article_url(article, page=2), headers={"HX-Request": "true"})
    assert response.status_code == 200
    doc = parse_html(response.content)
    assert len(comment_elements(doc)) == 1
    assert doc.find("h1") is None  # a fragment, not a page


# --- who sees what -------------------------------------------------------------------------


def test_anonymous_reader_sees_sign_in_to_reply(client, article):
    root = post(article, body="Hello")
    doc = get_doc(client, article_url(article))
    el = comment_elements(doc)[root.pk]
    assert el.find("a", class_="reply") is None
    signin = el.find("a", class_="signin")
    assert signin.text() == "Sign in to reply"
    assert signin.attrs["href"].startswith(reverse("login"))
    assert doc.find("form", class_="comment-form") is None
    assert "Sign in to reply" in doc.find("p", class_="signin-prompt").text()


def test_signed_in_reader_gets_a_comment_form(client_for, article, reader):
    doc = get_doc(client_for(reader), article_url(article))
    form = doc.find("form", class_="comment-form")
    assert form.attrs["action"] == f"/articles/{article.slug}/comment/"
    assert "Sign in to reply" not in doc.text()


def test_deleted_comment_is_a_placeholder_and_its_replies_stay(client, article, reader):
    root = post(article, reader, "Regrettable words")
    reply = post(article, body="A reply worth keeping", parent=root)
    services.comment_delete_own(comment=root, acting_user=reader)
    doc = get_doc(client, article_url(article))
    els = comment_elements(doc)
    assert "[deleted]" in els[root.pk].find("div", class_="comment-body").text()
    assert els[root.pk].find("span", class_="author").text() == "[deleted]"
    assert "Regrettable words" not in doc.text()
    assert "Rita Reader" not in thread_of(doc).text()
    assert els[reply.pk].is_inside(els[root.pk])
    assert "A reply worth keeping" in els[reply.pk].text()


def test_closed_article_is_readable_but_takes_no_replies(client, client_for, article, reader):
    root = post(article, reader, "Said before closing")
    Article.objects.filter(pk=article.pk).update(comment_mode=Article.CommentMode.CLOSED)
    for c in (client, client_for(reader)):
        doc = get_doc(c, article_url(article))
        assert "Said before closing" in thread_of(doc).text()
        assert "Comments are closed" in doc.find("p", class_="closed").text()
        assert doc.find("a", class_="reply") is None
        assert doc.find("a", class_="signin") is None or not doc.find(
            "a", class_="signin"
        ).is_inside(thread_of(doc))
        assert doc.find("form", class_="comment-form") is None
    signed_in = client_for(reader)
    before = Comment.objects.count()
    response = signed_in.post(f"/articles/{article.slug}/comment/", {"body": "Too late"})
    assert response.status_code == 400
    assert "Comments are closed" in response.content.decode()
    response = signed_in.post(f"/comments/{root.pk}/reply/", {"body": "Too late"})
    assert response.status_code == 400
    assert "Comments are closed" in response.content.decode()
    assert Comment.objects.count() == before


# --- constant query count ------------------------------------------------------------------


def _sized_article(slug, size, owner):
    """`size` comments (5 or 500): one or 25 top-level comments with 4 or 19 replies each in
    chains up to 8 deep, some deleted or held, half by signed-up readers (some by `owner`)."""
    roots, per_root = {5: (1, 4), 500: (25, 19)}[size]
    statuses = {i: Comment.Status.DELETED for i in range(3, size, 17)}
    statuses.update({i: Comment.Status.PENDING for i in range(4, size, 23)})
    article = import_thread(
        slug, roots=roots, replies_per_root=per_root, depth=8, statuses=statuses
    )
    pks = list(Comment.objects.filter(article=article).order_by("pk").values_list("pk", flat=True))
    others = [UserFactory() for _ in range(3)]
    for i, pk in enumerate(pks):
        if i % 2:
            author = owner if i % 3 == 1 else others[i % 3]
            Comment.objects.filter(pk=pk).update(author=author, author_name="")
    return article


@pytest.fixture
def small_and_large(reader):
    small = _sized_article("small", 5, reader)
    large = _sized_article("large", 500, reader)
    assert Comment.objects.filter(article=small).count() == 5
    assert Comment.objects.filter(article=large).count() == 500
    return small, large


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize(
    "params",
    [{}, {"all": 1}, {"sort": "replies"}, {"sort": "newest", "all": 1}],
    ids=["page1", "all", "replies", "newest-all"],
)
def test_article_page_costs_the_same_queries_at_5_and_500_comments(
    client, client_for, reader, small_and_large, signed_in, params
):
    small, large = small_and_large
    c = client_for(reader) if signed_in else client
    c.get(article_url(small, **params))  # warm up per-process caches
    # Both with the rendered-thread cache cold (the renderer's own queries) and warm.
    clear_caches()
    n_small, _ = _queries(c, article_url(small, **params))
    n_large, response = _queries(c, article_url(large, **params))
    assert n_small == n_large
    assert (
        _queries(c, article_url(small, **params))[0] == _queries(c, article_url(large, **params))[0]
    )
    shown = len(comment_elements(parse_html(response.content)))
    assert shown > (400 if "all" in params else 50)  # the large page really shows the thread


def test_a_stored_anonymous_page_costs_one_small_query(client, small_and_large):
    """Only the article's thread version is read (so a stored page is never stale), not the row."""
    _, large = small_and_large
    rendered = client.get(article_url(large, all=1))  # rendered, and stored
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(article_url(large, all=1))
    assert response.status_code == 200 and response.content == rendered.content
    assert len(comment_elements(parse_html(response.content))) > 400
    [query] = ctx.captured_queries
    assert '"thread_version"' in query["sql"] and '"body"' not in query["sql"]


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_permalink_page_costs_the_same_queries_for_small_and_large_subtrees(
    client, client_for, reader, small_and_large, signed_in
):
    small, large = small_and_large
    c = client_for(reader) if signed_in else client

    def biggest_subtree(article):
        return max(
            Comment.objects.filter(article=article, parent=None), key=lambda r: r.rght - r.lft
        )

    def deep_node(article):
        return (
            Comment.objects.filter(article=article, level=3, status=Comment.Status.PUBLISHED)
            .order_by("pk")
            .first()
        )

    c.get(f"/comments/{biggest_subtree(small).pk}/")
    n_small, _ = _queries(c, f"/comments/{biggest_subtree(small).pk}/")
    n_large, response = _queries(c, f"/comments/{biggest_subtree(large).pk}/")
    assert n_small == n_large
    assert len(comment_elements(parse_html(response.content))) >= 10
    # With ancestors as context as well.
    large_deep = deep_node(large)
    n_deep, response = _queries(c, f"/comments/{large_deep.pk}/")
    assert n_deep == n_small
    assert (
        len(comment_elements(parse_html(response.content).find("section", class_="context"))) == 3
    )


def test_page_shows_author_names_of_imported_and_signed_up_authors(client):
    article = import_thread("names", roots=1, replies_per_root=1)
    reply = Comment.objects.get(article=article, level=1)
    Comment.objects.filter(pk=reply.pk).update(
        author=UserFactory(display_name="Dana Display"), author_name=""
    )
    doc = get_doc(client, article_url(article))
    names = [el.text() for el in thread_of(doc).find_all("span", class_="author")]
    assert names == ["Imported 0", "Dana Display"]


def test_discussion_heading_counts_threads(client, article):
    for _ in range(3):
        post(article)
    doc = get_doc(client, article_url(article))
    heading = doc.by_id("discussion-title").text()
    assert re.sub(r"\s+", " ", heading).strip() == "Discussion (3 threads)"


@pytest.mark.parametrize("params", [{}, {"all": "1"}, {"page": "2"}])
def test_heading_counts_every_thread_on_every_page_and_on_the_whole_thread(client, params):
    # Replies are not threads; a held top-level comment is one (its author and moderators see it).
    article = import_thread(
        "heading", roots=25, replies_per_root=2, statuses={3: Comment.Status.PENDING}
    )
    heading = get_doc(client, article_url(article, **params)).by_id("discussion-title").text()
    assert re.sub(r"\s+", " ", heading).strip() == "Discussion (25 threads)"


def test_unknown_article_is_404(client):
    assert client.get("/articles/no-such-article/").status_code == 404
    assert client.get("/comments/999999/").status_code == 404


def test_pending_comment_of_someone_else_is_hidden(client, client_for, article, reader):
    # A held comment with no replies is invisible to other readers; its author sees it.
    services.comment_create(article=article, author=reader, body="Held text")
    Comment.objects.update(
        status=Comment.Status.PENDING, held_because=Comment.HeldBecause.PREMODERATED_ARTICLE
    )
    assert "Held text" not in get_doc(client, article_url(article)).text()
    assert "Held text" in get_doc(client_for(reader), article_url(article)).text()
