"""Reactions and the thread cache: nobody's pressed state reaches anyone else's page, counts are
right for everyone at once, a reaction re-renders nothing, and a page costs the same number of
queries with 10 comments as with 200."""

from __future__ import annotations

import gzip

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from comments import selectors, services, thread_cache
from comments.models import Comment, Reaction
from tests.factories import (
    UserFactory,
    clear_caches,
    comment_elements,
    import_thread,
    parse_html,
    post,
)

pytestmark = pytest.mark.django_db


def page_doc(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return parse_html(response.content)


def state_of(doc, pk):
    """(data-reactions, the count shown, aria-pressed or None without a button)."""
    el = comment_elements(doc)[pk]
    control = el.find(class_="react")
    count = control.find("span", class_="react-count").text() if control is not None else None
    pressed = control.attrs.get("aria-pressed") if control is not None else None
    return el.attrs["data-reactions"], count, pressed


@pytest.fixture
def scene(article):
    """Reader A, reader B, a moderator, and two comments by a third reader."""
    author = UserFactory(username="author-c")
    first = post(article, author, "First comment.")
    second = post(article, author, "Second comment.", parent=first)
    return {
        "a": UserFactory(username="reader-a"),
        "b": UserFactory(username="reader-b"),
        "first": first,
        "second": second,
        "url": article.get_absolute_url(),
    }


@pytest.mark.parametrize(
    "warm_first", ["anonymous", "a", "b", "none"], ids=lambda w: f"warmed-by-{w}"
)
def test_one_readers_reaction_shows_only_on_their_page_and_counts_for_everyone(
    client_for, moderator, scene, warm_first
):
    a, b, first, second, url = (scene[k] for k in ("a", "b", "first", "second", "url"))
    clients = {"anonymous": Client(), "a": client_for(a), "b": client_for(b)}
    if warm_first != "none":
        page_doc(clients[warm_first], url)  # the cached pieces now exist for that class
    services.reaction_set(comment=first, acting_user=a)
    services.reaction_set(comment=second, acting_user=b)

    doc_a = page_doc(clients["a"], url)
    assert state_of(doc_a, first.pk) == ("1", "1", "true")
    assert state_of(doc_a, second.pk) == ("1", "1", "false")
    doc_b = page_doc(clients["b"], url)
    assert state_of(doc_b, first.pk) == ("1", "1", "false")
    assert state_of(doc_b, second.pk) == ("1", "1", "true")
    anonymous = page_doc(clients["anonymous"], url)
    for pk in (first.pk, second.pk):
        assert state_of(anonymous, pk) == ("1", "1", None)  # a sign-in link, never pressed
    assert anonymous.find("button", class_="react") is None
    as_moderator = page_doc(client_for(moderator), url)
    assert state_of(as_moderator, first.pk) == ("1", "1", "false")
    # And once more from warm caches, in the other order.
    assert state_of(page_doc(clients["b"], url), first.pk) == ("1", "1", "false")
    assert state_of(page_doc(clients["a"], url), first.pk) == ("1", "1", "true")
    assert state_of(page_doc(Client(), url), first.pk) == ("1", "1", None)


def test_taking_a_reaction_back_shows_at_once_everywhere(client_for, scene):
    a, b, first, url = (scene[k] for k in ("a", "b", "first", "url"))
    services.reaction_set(comment=first, acting_user=a)
    services.reaction_set(comment=first, acting_user=b)
    for c in (Client(), client_for(a), client_for(b)):
        assert state_of(page_doc(c, url), first.pk)[:2] == ("2", "2")
    services.reaction_set(comment=first, acting_user=a)
    assert state_of(page_doc(client_for(a), url), first.pk) == ("1", "1", "false")
    assert state_of(page_doc(client_for(b), url), first.pk) == ("1", "1", "true")
    assert state_of(page_doc(Client(), url), first.pk) == ("1", "1", None)


def test_the_shared_anonymous_page_and_its_gzipped_copy_follow_reactions(client, scene):
    a, first, url = scene["a"], scene["first"], scene["url"]
    for _ in range(2):
        client.get(url)
        client.get(url, headers={"Accept-Encoding": "gzip"})  # both stored now
    services.reaction_set(comment=first, acting_user=a)
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip"
    for html in (plain.content, gzip.decompress(zipped.content)):
        assert state_of(parse_html(html), first.pk) == ("1", "1", None)
    # ...and then it is the one shared page again: one query, the same bytes.
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url)
    assert again.content == plain.content and len(ctx.captured_queries) == 1


@pytest.mark.parametrize("sort", ["oldest", "top"])
def test_a_reaction_renders_nothing_again(client_for, scene, monkeypatch, sort):
    """The thread version stays, so the cached pieces serve: only counts are read again."""
    a, b, first, url = (scene[k] for k in ("a", "b", "first", "url"))
    url += f"?sort={sort}&all=1"
    for c in (Client(), client_for(b)):
        page_doc(c, url)
    renders = []
    real = selectors.thread
    monkeypatch.setattr(
        thread_cache.selectors, "thread", lambda *a, **k: renders.append(1) or real(*a, **k)
    )
    services.reaction_set(comment=first, acting_user=a)
    assert state_of(page_doc(Client(), url), first.pk)[:2] == ("1", "1")
    assert state_of(page_doc(client_for(b), url), first.pk) == ("1", "1", "false")
    assert renders == []


def test_permalink_pages_and_htmx_fragments_carry_the_viewers_own_state(client_for, article):
    article = import_thread("fragments", roots=21, replies_per_root=1)
    last_root = Comment.objects.filter(article=article, parent=None).order_by("-pk").first()
    reply = Comment.objects.get(parent=last_root)
    a, b = UserFactory(), UserFactory()
    services.reaction_set(comment=last_root, acting_user=a)
    services.reaction_set(comment=reply, acting_user=a)
    # "More comments" (page 2 appended by htmx) and the comment's own page.
    more = client_for(a).get(article.get_absolute_url() + "?page=2", headers={"HX-Request": "true"})
    assert state_of(parse_html(more.content), last_root.pk) == ("1", "1", "true")
    detail = page_doc(client_for(a), f"/comments/{reply.pk}/")
    assert state_of(detail, reply.pk) == ("1", "1", "true")
    context = detail.find("section", class_="context")
    assert comment_elements(context)[last_root.pk].attrs["data-reactions"] == "1"
    detail_b = page_doc(client_for(b), f"/comments/{reply.pk}/")
    assert state_of(detail_b, reply.pk) == ("1", "1", "false")
    assert state_of(page_doc(Client(), f"/comments/{reply.pk}/"), reply.pk) == ("1", "1", None)


def test_nothing_personal_in_the_shared_pieces(client_for, scene):
    """The pieces in the cache carry no count, no pressed state and no CSRF token."""
    from django.core.cache import cache

    a, first, url = scene["a"], scene["first"], scene["url"]
    services.reaction_set(comment=first, acting_user=a)
    page_doc(client_for(a), url)
    page_doc(Client(), url)
    keys = [k for k in cache._cache if ":thread:" in k]  # noqa: SLF001 (LocMemCache internals)
    assert keys
    for key in keys:
        _, entries = cache.get(key.split(":", 2)[2])
        text = repr(entries)
        assert "aria-pressed" not in text and "csrfmiddlewaretoken" not in text
        assert "react-count" not in text


# --- a constant number of queries, at any thread size --------------------------------------


def _reacted_article(slug, size, viewer):
    """`size` comments (10 or 200), 30% of them with reactions (some by `viewer`), a few by
    `viewer` themselves."""
    roots, per_root = {10: (2, 4), 200: (25, 7)}[size]
    article = import_thread(slug, roots=roots, replies_per_root=per_root, depth=3)
    pks = list(Comment.objects.filter(article=article).order_by("pk").values_list("pk", flat=True))
    assert len(pks) == size
    fans = [UserFactory() for _ in range(3)]
    reacted = pks[::3][: size * 3 // 10]
    Reaction.objects.bulk_create(
        [Reaction(comment_id=pk, user=fan) for pk in reacted for fan in fans]
        + [Reaction(comment_id=pk, user=viewer) for pk in reacted[::2]]
    )
    for pk in reacted:
        Comment.objects.filter(pk=pk).update(
            reaction_count=Reaction.objects.filter(comment_id=pk).count()
        )
    Comment.objects.filter(pk__in=pks[1::7]).update(author=viewer, author_name="")
    return article


@pytest.fixture
def small_and_large(reader):
    return _reacted_article("ten", 10, reader), _reacted_article("two-hundred", 200, reader)


def _count(client, url) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
@pytest.mark.parametrize(
    "params",
    ["", "?all=1", "?sort=top", "?sort=top&all=1", "?sort=replies&page=1"],
    ids=["page1", "all", "top", "top-all", "replies"],
)
def test_thread_pages_with_reactions_cost_the_same_queries_at_10_and_200_comments(
    client_for, reader, small_and_large, signed_in, params
):
    small, large = small_and_large
    c = client_for(reader) if signed_in else Client()
    c.get(small.get_absolute_url() + params)  # per-process caches warm
    clear_caches()
    cold = [_count(c, a.get_absolute_url() + params) for a in (small, large)]
    warm = [_count(c, a.get_absolute_url() + params) for a in (small, large)]
    assert cold[0][0] == cold[1][0], "rendered from the database"
    assert warm[0][0] == warm[1][0], "from the cache"
    doc = parse_html(warm[1][1])
    shown = comment_elements(doc)
    assert len(shown) > (150 if "all" in params else 100)
    assert sum(el.attrs["data-reactions"] != "0" for el in shown.values()) > 20
    if signed_in:
        pressed = doc.find_all("button", class_="react")
        assert any(b.attrs["aria-pressed"] == "true" for b in pressed)
        # Session, user, article, the viewer's own comments, the page's reactions (one query
        # for counts and pressed state); a most-respected page reads its order too. Anonymous
        # readers get the one stored page.
        assert warm[0][0] == (6 if "top" in params and "all" not in params else 5)
    else:
        assert warm[0][0] == 1


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed-in"])
def test_a_stored_anonymous_page_after_a_reaction_costs_the_same_at_10_and_200(
    client_for, reader, small_and_large, signed_in
):
    """The first anonymous view after a reaction re-assembles the page: same queries at any size."""
    small, large = small_and_large
    counts = []
    for article in (small, large):
        url = article.get_absolute_url() + "?all=1"
        Client().get(url)
        target = Comment.objects.filter(article=article).exclude(author=reader).first()
        services.reaction_set(comment=target, acting_user=UserFactory())
        counts.append(_count(Client(), url)[0])
    assert counts[0] == counts[1]


def test_the_permalink_page_with_reactions_costs_the_same_at_10_and_200(
    client_for, reader, small_and_large
):
    small, large = small_and_large

    def biggest(article):
        return max(
            Comment.objects.filter(article=article, parent=None), key=lambda r: r.rght - r.lft
        )

    for c in (Client(), client_for(reader)):
        c.get(f"/comments/{biggest(small).pk}/")
        n_small, _ = _count(c, f"/comments/{biggest(small).pk}/")
        n_large, _ = _count(c, f"/comments/{biggest(large).pk}/")
        assert n_small == n_large


def test_a_reaction_costs_the_same_queries_on_any_thread(
    client_for, django_assert_num_queries, small_and_large
):
    small, large = small_and_large
    client = client_for(UserFactory())
    counts = []
    for article in (small, large):
        target = Comment.objects.filter(article=article).order_by("-pk").first()
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(f"/comments/{target.pk}/react/", headers={"HX-Request": "true"})
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_after_a_reaction_anonymous_readers_wait_for_the_one_building_the_page(
    scene, monkeypatch, article
):
    """One request per page re-assembles it after a reaction; one arriving meanwhile (on any
    app server) waits for that page instead of building it too."""
    from django.core.cache import cache

    from comments import views

    a, first, url = scene["a"], scene["first"], scene["url"]
    Client().get(url)
    services.reaction_set(comment=first, acting_user=a)
    article.refresh_from_db()
    key = thread_cache.anonymous_page_key(
        article.pk,
        article.reactions_version,
        article.thread_version,
        sort="oldest",
        page=1,
        show_all=False,
    )
    built = Client().get(url).content  # what the other server is about to store
    cache.delete_many([key, f"{key}:gz"])
    thread_cache._local_pages().clear()  # noqa: SLF001
    assert thread_cache.claim_shared_page(key)  # ...and it is building it now
    monkeypatch.setattr(thread_cache, "sleep", lambda seconds: cache.set(key, built))
    builds = []
    monkeypatch.setattr(views, "render_thread", lambda *a, **k: builds.append(1))
    response = Client().get(url)
    assert response.content == built and builds == []
    assert state_of(parse_html(response.content), first.pk) == ("1", "1", None)
    thread_cache.release_shared_page(key)
