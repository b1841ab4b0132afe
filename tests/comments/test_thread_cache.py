"""The shared rendered-thread cache never shows one viewer what belongs to another, and is
never stale after a change: every write bumps the article's thread version in its transaction."""

import gzip

import pytest
from django.core.cache import cache

from comments import services, thread_cache
from moderation import services as moderation_services
from tests.factories import UserFactory, comment_elements, parse_html, post

pytestmark = pytest.mark.django_db


def page(client, article, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = client.get(article.get_absolute_url() + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return response.content.decode()


def test_reader_never_sees_moderator_controls_after_a_moderator_warmed_the_cache(
    client_for, article, reader, moderator
):
    post(article, UserFactory(), "A published comment.")
    as_moderator = page(client_for(moderator), article)
    assert 'class="moderate"' in as_moderator
    as_reader = page(client_for(reader), article)
    assert 'class="moderate"' not in as_reader
    assert "/moderation/" not in as_reader


def test_anonymous_viewer_after_a_reader_warmed_the_cache_sees_sign_in_not_report(
    client, client_for, article, reader
):
    post(article, UserFactory(), "A published comment.")
    assert "Report" in page(client_for(reader), article)
    html = page(client, article)
    assert "Report" not in html and "Sign in to reply" in html


def test_own_rejected_text_is_only_shown_to_its_author_whoever_warmed_the_cache(
    client_for, article, reader, other_reader, moderator
):
    removed_text = "My own words that a moderator removed."
    comment = post(article, reader, removed_text)
    post(article, other_reader, "A reply keeps the thread going.", parent=comment)
    moderation_services.comment_reject(comment=comment, acting_user=moderator, reason="abuse")
    as_author = page(client_for(reader), article)
    assert removed_text in as_author and "Only you can see this" in as_author
    as_other = page(client_for(other_reader), article)  # same viewer class, cache now warm
    assert removed_text not in as_other and "Only you can see this" not in as_other
    assert "Removed by a moderator" in as_other


def test_own_edit_and_delete_links_follow_the_viewer_not_the_cache(
    client_for, article, reader, other_reader
):
    mine = post(article, reader, "Mine.")
    theirs = post(article, other_reader, "Theirs.")
    as_reader = page(client_for(reader), article)
    as_other = page(client_for(other_reader), article)
    assert f"/comments/{mine.pk}/edit/" in as_reader
    assert f"/comments/{mine.pk}/edit/" not in as_other
    assert f"/comments/{theirs.pk}/edit/" in as_other
    assert f"/comments/{theirs.pk}/edit/" not in as_reader


def test_pending_comment_is_shown_to_its_author_only_even_with_a_warm_cache(
    client, client_for, article, reader, other_reader, settings
):
    settings.NEWSROOM = {**settings.NEWSROOM, "PREMODERATE_FIRST_N": 5}
    held = post(article, reader, "Waiting for a moderator.")
    assert held.status == "pending"
    page(client_for(other_reader), article)
    page(client, article)
    as_author = page(client_for(reader), article)
    assert held.pk in comment_elements(parse_html(as_author))
    assert "Awaiting moderation" in as_author
    for html in (page(client_for(other_reader), article), page(client, article)):
        assert held.pk not in comment_elements(parse_html(html))
        assert "Waiting for a moderator." not in html


def test_a_decision_is_visible_on_the_very_next_view(client, client_for, article, moderator):
    comment = post(article, UserFactory(), "Soon to be removed.")
    reply = post(article, UserFactory(), "A reply that must stay.", parent=comment)
    assert "Soon to be removed." in page(client, article)  # cache now warm
    moderation_services.comment_reject(comment=comment, acting_user=moderator, reason="spam")
    html = page(client, article)
    assert "Soon to be removed." not in html and "Removed by a moderator" in html
    assert reply.pk in comment_elements(parse_html(html))


@pytest.mark.parametrize("change", ["reply", "edit", "delete", "feature", "lock", "close"])
def test_every_change_to_a_thread_invalidates_its_cached_pages(
    client, article, reader, moderator, change
):
    comment = post(article, reader, "Original text.")
    before = page(client, article)
    if change == "reply":
        post(article, UserFactory(), "A brand new reply.", parent=comment)
        expected = "A brand new reply."
    elif change == "edit":
        services.comment_edit(comment=comment, body="Edited text.", acting_user=reader)
        expected = "Edited text."
    elif change == "delete":
        services.comment_delete_own(comment=comment, acting_user=reader)
        expected = "[deleted]"
    elif change == "feature":
        moderation_services.comment_set_featured(comment=comment, acting_user=moderator)
        expected = "Featured"
    elif change == "lock":
        moderation_services.comment_set_locked(comment=comment, acting_user=moderator)
        expected = "Replies locked"
    else:
        moderation_services.article_set_comment_mode(
            article=article, mode="closed", acting_user=moderator
        )
        expected = "Comments are closed"
    assert expected not in before
    article.refresh_from_db()
    assert expected in page(client, article)


def test_anonymous_pages_are_shared_bytes_with_nothing_personal(
    client, client_for, article, reader
):
    post(article, reader, "Hello.")
    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())
    assert first.content == second.content
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert "X-CSRFToken" not in first.content.decode()
    assert "csrftoken" not in first.cookies
    # A signed-in reader never gets the anonymous bytes.
    assert (
        "Sign in to reply"
        not in client_for(reader).get(article.get_absolute_url()).content.decode()
    )


def test_odd_query_strings_do_not_enter_the_shared_page_cache(client, article):
    from django.core.cache import cache

    post(article, UserFactory(), "Hello.")
    cache.clear()
    client.get(article.get_absolute_url() + "?sort=<script>&utm=1")
    assert not [k for k in cache._cache if ":page:" in k]  # noqa: SLF001 (LocMemCache internals)
    # Unknown parameters are ignored: the page is the canonical one, under its one key.
    client.get(article.get_absolute_url() + "?utm_source=mail&page=x")
    canonical = {k for k in cache._cache if ":page:" in k}  # noqa: SLF001
    client.get(article.get_absolute_url())
    assert {k for k in cache._cache if ":page:" in k} == canonical  # noqa: SLF001
    client.get(article.get_absolute_url() + "?sort=newest")
    assert {k for k in cache._cache if ":page:" in k} > canonical  # noqa: SLF001


def test_browsers_get_the_shared_page_gzipped_and_it_is_the_same_page(client, article, moderator):
    comment = post(article, UserFactory(), "Words that will be removed.")
    post(article, UserFactory(), "A reply that stays.", parent=comment)
    url = article.get_absolute_url()
    for _ in range(2):  # rendered, then from the cache
        plain = client.get(url)
        zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert "Content-Encoding" not in plain
        assert zipped["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in zipped["Vary"] and "Accept-Encoding" in plain["Vary"]
        assert gzip.decompress(zipped.content) == plain.content
        assert len(zipped.content) < len(plain.content) / 2
    # The compressed copy is invalidated with the page: the next view shows the decision.
    moderation_services.comment_reject(comment=comment, acting_user=moderator, reason="abuse")
    html = gzip.decompress(client.get(url, headers={"Accept-Encoding": "gzip"}).content).decode()
    assert "Removed by a moderator" in html and "A reply that stays." in html
    assert "Words that will be removed." not in html


def test_signed_in_readers_never_get_the_shared_gzipped_page(client_for, article, reader):
    post(article, UserFactory(), "Hello.")
    response = client_for(reader).get(
        article.get_absolute_url(), headers={"Accept-Encoding": "gzip"}
    )
    assert "Content-Encoding" not in response
    assert "Sign in to reply" not in response.content.decode()


def test_settings_without_the_local_page_tier_still_share_pages(
    client, article, settings, moderator
):
    """A deployment (or a benchmark harness) that defines its own CACHES without "local_pages"."""
    settings.CACHES = {"default": settings.CACHES["default"]}
    comment = post(article, UserFactory(), "Words that will be removed.")
    url = article.get_absolute_url()
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 200 and first.content == second.content
    moderation_services.comment_reject(comment=comment, acting_user=moderator, reason="abuse")
    assert "Removed by a moderator" in client.get(url).content.decode()


# --- one renderer per thread version (get_or_render_once) ------------------------------------


@pytest.fixture
def no_waiting(monkeypatch):
    """Polls that take no wall time: each sleep advances the clock by the poll interval."""
    clock = [0.0]
    monkeypatch.setattr(thread_cache, "monotonic", lambda: clock[0])

    def sleep(seconds):
        clock[0] += seconds

    monkeypatch.setattr(thread_cache, "sleep", sleep)
    return clock


def test_a_reader_waits_for_the_render_another_server_is_doing_instead_of_rendering_it_too(
    client_for, article, reader, other_reader, monkeypatch, no_waiting
):
    post(article, UserFactory(), "The comment everybody is reading.")
    page(client_for(reader), article)  # rendered once: these are the pieces the other server makes
    article.refresh_from_db()
    key = thread_cache.thread_pieces_key(article, "reader", sort="oldest", page=1, show_all=False)
    pieces = cache.get(key)
    assert pieces is not None
    cache.delete(key)  # ...and now another server is still rendering them:
    cache.add(f"{key}:rendering", "1")
    monkeypatch.setattr(thread_cache, "sleep", lambda seconds: cache.set(key, pieces))
    renders = []
    monkeypatch.setattr(thread_cache.selectors, "thread", lambda *a, **k: renders.append(a))

    html = page(client_for(other_reader), article)

    assert "The comment everybody is reading." in html
    assert renders == []


def test_only_the_first_reader_renders_and_the_lock_is_released():
    calls = []

    def render():
        calls.append(1)
        return "pieces"

    assert thread_cache.get_or_render_once("k", render) == "pieces"
    assert thread_cache.get_or_render_once("k", render) == "pieces"
    assert calls == [1]
    assert cache.add("k:rendering", "1")  # nobody holds it any more


def test_a_renderer_that_fails_releases_the_lock():
    def broken():
        raise RuntimeError("render failed")

    with pytest.raises(RuntimeError):
        thread_cache.get_or_render_once("k", broken)
    assert thread_cache.get_or_render_once("k", lambda: "pieces") == "pieces"


def test_a_waiting_reader_renders_itself_when_the_lock_holder_never_delivers(no_waiting):
    cache.add("k:rendering", "1")  # a renderer that died holding the lock
    assert thread_cache.get_or_render_once("k", lambda: "pieces") == "pieces"
    assert no_waiting[0] == pytest.approx(thread_cache.RENDER_WAIT_SECONDS)  # it waited, bounded
    assert cache.get("k") == "pieces"


def test_with_the_shared_cache_down_a_reader_renders_at_once(monkeypatch, no_waiting):
    # django-redis with IGNORE_EXCEPTIONS answers None to add() when Redis is unreachable.
    monkeypatch.setattr(thread_cache.cache, "add", lambda *args: None)
    assert thread_cache.get_or_render_once("k", lambda: "pieces") == "pieces"
    assert no_waiting[0] == 0
