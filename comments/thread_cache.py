"""Shared rendered thread pages, in Django's cache (local memory, or Redis with REDIS_URL).

Keyed by the article's thread_version, which every change to the thread bumps in its own
transaction, so a decision is visible on the very next request from any app server. Pages are
rendered per viewer class (anonymous, reader, moderator) and never per person: the viewer's own
comments are re-rendered on each request from one small query, so "only you can see this" text
and edit links cannot leak through the cache. A short timeout keeps relative times fresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from time import monotonic, sleep

from django.conf import settings
from django.core.cache import cache, caches

from accounts.roles import is_moderator
from articles.models import Article

from . import selectors
from .models import Comment
from .rendering import ThreadRenderer

CACHE_SECONDS = 60  # relative times ("5 minutes ago") are at most this stale
# One renderer per thread version (get_or_render_once): a 10,000-comment render takes ~0.5 s.
RENDER_LOCK_SECONDS = 10  # a renderer that died holds the lock at most this long
RENDER_WAIT_SECONDS = 2  # then a waiting reader renders the page itself
RENDER_POLL_SECONDS = 0.01
# A request carrying any of these may see something personal (a session, flash messages).
PERSONAL_COOKIES = frozenset({settings.SESSION_COOKIE_NAME, "messages", settings.CSRF_COOKIE_NAME})


@dataclass
class RenderedThread:
    html: str
    page: selectors.ThreadPage


def viewer_class(viewer) -> str:
    if is_moderator(viewer):
        return "moderator"
    return "reader" if viewer is not None and viewer.is_authenticated else "anonymous"


def anonymous_page_key(
    article_pk: int,
    thread_version: int,
    *,
    sort: str,
    page: int,
    show_all: bool,
    gzipped: bool = False,
) -> str:
    """Cache key of a whole article page as an anonymous, cookie-less reader gets it.

    Each page is stored twice: as HTML, and gzip-compressed once for the clients that accept it
    (every browser). Thread HTML compresses about tenfold, so the
    common case moves a tenth of the bytes from the cache and to the client, and no request
    pays for compression. The page holds nothing personal (not even a CSRF token), so
    compression cannot leak a secret (BREACH).
    """
    suffix = ":gz" if gzipped else ""
    return f"page:{article_pk}:{thread_version}:{sort}:{'all' if show_all else page}{suffix}"


def thread_pieces_key(article: Article, klass: str, *, sort: str, page: int, show_all: bool) -> str:
    """Cache key of a thread page's rendered pieces for one viewer class."""
    return (
        f"thread:{article.pk}:{article.thread_version}:{klass}:{sort}:{'all' if show_all else page}"
    )


def render_thread(
    article: Article, viewer, *, sort: str, page: int, show_all: bool
) -> RenderedThread:
    sort = sort if sort in selectors.SORTS else selectors.DEFAULT_SORT
    key = thread_pieces_key(article, viewer_class(viewer), sort=sort, page=page, show_all=show_all)

    def render_pieces():
        thread_page = selectors.thread(article, sort=sort, page=page, show_all=show_all)
        entries = ThreadRenderer(thread_page, viewer).entries()
        thread_page.nodes = []  # the pieces are what is shared; rows would only bloat the cache
        return thread_page, entries

    thread_page, entries = get_or_render_once(key, render_pieces)
    thread_page.article = article
    renderer = ThreadRenderer(thread_page, viewer)
    own_ids = [e[1] for e in entries if e[0] and e[2] is not None and e[2] == renderer.viewer_id]
    own_nodes = {}
    if own_ids:
        own_nodes = {
            n.pk: n for n in selectors.thread_nodes(Comment.objects.filter(pk__in=own_ids))
        }
    return RenderedThread(html=renderer.assemble(entries, own_nodes), page=thread_page)


def get_or_render_once(key: str, render):
    """cache.get(key), else render() and store it: one renderer per key across all app servers.

    When a busy thread changes, every reader who arrives before the first re-render is stored
    would otherwise render the same version too (a dogpile): on two cores, four workers
    rendering a 1,000-comment thread at once each take about four times as long. The first
    takes a lock in the shared cache (cache.add is atomic in Redis and in local memory); the
    others wait for its result, and render it themselves only if it has not come within
    RENDER_WAIT_SECONDS (a renderer that crashed or is stuck). The key names the thread version,
    so whatever they wait for is exactly as fresh as what they would have rendered.
    """
    value = cache.get(key)
    if value is not None:
        return value
    lock = f"{key}:rendering"
    # add() is False when another renderer holds the lock, None when the shared cache is down
    # (django-redis IGNORE_EXCEPTIONS): then nobody can hand a result over, so render at once.
    locked = cache.add(lock, "1", RENDER_LOCK_SECONDS)
    if locked is False and (value := _wait_for(key)) is not None:
        return value
    try:
        value = render()
        cache.set(key, value, CACHE_SECONDS)
    finally:
        if locked:
            cache.delete(lock)
    return value


def _wait_for(key: str):
    """What another renderer stores under key, or None if it has not come in time."""
    deadline = monotonic() + RENDER_WAIT_SECONDS
    while monotonic() < deadline:
        sleep(RENDER_POLL_SECONDS)
        if (value := cache.get(key)) is not None:
            return value
    return None


def _local_pages():
    """This app server's own copy of the shared pages (settings.CACHES["local_pages"]).

    Settings that replace CACHES without it (a benchmark harness, a custom deployment) simply
    go without: every page then comes from the shared cache.
    """
    return caches["local_pages"] if "local_pages" in settings.CACHES else None


def get_shared_page(key: str) -> bytes | None:
    """A shared page from this app server's memory, else from the shared cache (then kept)."""
    local = _local_pages()
    body = local.get(key) if local is not None else None
    if body is None:
        body = cache.get(key)
        if body is not None and local is not None:
            local.set(key, body, CACHE_SECONDS)
    return body


def set_shared_pages(pages: dict[str, bytes]) -> None:
    cache.set_many(pages, CACHE_SECONDS)
    if (local := _local_pages()) is not None:
        local.set_many(pages, CACHE_SECONDS)
