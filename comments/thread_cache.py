"""Shared rendered thread pages, in Django's cache (local memory, or Redis with REDIS_URL).

Keyed by the article's thread_version, which every change to the thread bumps in its own
transaction, so a decision is visible on the very next request from any app server. Pages are
rendered per viewer class (anonymous, reader, moderator) and never per person: the viewer's own
comments are re-rendered on each request from one small query, so "only you can see this" text
and edit links cannot leak through the cache. A short timeout keeps relative times fresh.

Reactions do not bump the thread version, and the cached pieces hold none of them: every page
reads the counts of its comments and the viewer's own reactions in one query
(selectors.reaction_state) and `assemble` patches them in. Only the whole stored anonymous page
holds counts, so its key also names the article's reactions version, which each reaction
bumps: the next anonymous reader re-assembles it from the cached pieces, nothing is rendered.
The most-respected sort is the one order that reactions change: its pieces are cached tree by
tree, per set of trees on the page, and put in order per request.
"""

from __future__ import annotations

import hashlib
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
# How old a live-updates answer may be: in the shared cache, and (Cache-Control) in any proxy.
UPDATES_SECONDS = 2
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
    reactions_version: int,
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
    return (
        f"page:{article_pk}:{thread_version}:{reactions_version}:{sort}:"
        f"{'all' if show_all else page}{suffix}"
    )


def thread_pieces_key(article: Article, klass: str, *, sort: str, page: int, show_all: bool) -> str:
    """Cache key of a thread page's rendered pieces for one viewer class."""
    return (
        f"thread:{article.pk}:{article.thread_version}:{klass}:{sort}:{'all' if show_all else page}"
    )


def render_thread(
    article: Article, viewer, *, sort: str, page: int, show_all: bool, csrf_token: str = ""
) -> RenderedThread:
    sort = sort if sort in selectors.SORTS else selectors.DEFAULT_SORT
    key = thread_pieces_key(article, viewer_class(viewer), sort=sort, page=page, show_all=show_all)
    top = sort == selectors.TOP
    window = None
    if top and not show_all:
        # Which trees are on the page follows the counts: read per request (one query). The
        # pieces are cached per set of trees, so a reaction that only reorders them costs no
        # render, and one that changes the set renders 20 trees, not the thread.
        window = selectors.page_window(article, sort=sort, page=page)
        key += ":" + _digest(sorted(window[0]))

    def render_pieces():
        thread_page = selectors.thread(
            article, sort=sort, page=page, show_all=show_all, window=window
        )
        renderer = ThreadRenderer(thread_page, viewer)
        entries = _tree_groups(renderer, thread_page.nodes) if top else renderer.entries()
        thread_page.nodes = []  # the pieces are what is shared; rows would only bloat the cache
        return thread_page, entries

    thread_page, entries = get_or_render_once(key, render_pieces)
    thread_page.article = article
    reactions = selectors.reaction_state(article.pk, viewer, tree_ids=thread_page.tree_ids)
    if top:
        entries = _in_top_order(entries, reactions, window)
        if window is not None:
            thread_page.has_more = window[1]
    renderer = ThreadRenderer(thread_page, viewer, reactions=reactions, csrf_token=csrf_token)
    own_ids = [e[1] for e in entries if e[0] and e[2] is not None and e[2] == renderer.viewer_id]
    own_nodes = {}
    if own_ids:
        own_nodes = {
            n.pk: n for n in selectors.thread_nodes(Comment.objects.filter(pk__in=own_ids))
        }
    return RenderedThread(html=renderer.assemble(entries, own_nodes), page=thread_page)


def _digest(tree_ids: list[int]) -> str:
    return hashlib.blake2b(",".join(map(str, tree_ids)).encode(), digest_size=8).hexdigest()


def _tree_groups(renderer: ThreadRenderer, nodes: list[selectors.ThreadNode]) -> list[tuple]:
    """The pieces of each tree apart: (tree_id, (root's created_at, root pk), entries)."""
    trees: dict[int, list[selectors.ThreadNode]] = {}
    for node in nodes:
        trees.setdefault(node.tree_id, []).append(node)
    return [
        (tid, (tree[0].created_at, tree[0].pk), renderer.entries(tree))
        for tid, tree in trees.items()
    ]


def _in_top_order(groups: list[tuple], reactions: selectors.ReactionState, window) -> list[tuple]:
    """The cached trees in the order of this request's counts, flattened to entries.

    A page follows its window (read in that order); the whole thread sorts its top-level
    comments by their counts now, ties oldest first (selectors.SORTS).
    """
    if window is not None:
        by_tree = {tid: entries for tid, _, entries in groups}
        ordered = [by_tree[tid] for tid in window[0] if tid in by_tree]
    else:
        counts = reactions.counts
        ranked = sorted(groups, key=lambda g: (-counts.get(g[1][1], 0), g[1]))
        ordered = [entries for _, _, entries in ranked]
    return [entry for entries in ordered for entry in entries]


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


def _wait_for(key: str, get=None):
    """What another renderer stores under key, or None if it has not come in time."""
    get = get or cache.get
    deadline = monotonic() + RENDER_WAIT_SECONDS
    while monotonic() < deadline:
        sleep(RENDER_POLL_SECONDS)
        if (value := get(key)) is not None:
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


def claim_shared_page(key: str) -> bool | None:
    """Take the building of a shared page (key without its encoding): True if this request
    builds it, False if another one is building it (wait_for_shared_page), None if the shared
    cache is down. As get_or_render_once does for the pieces: after a change, and after every
    reaction (the page holds the counts), one request per page assembles and compresses it,
    not every anonymous reader who arrives before it is stored."""
    return cache.add(f"{key}:building", "1", RENDER_LOCK_SECONDS)


def wait_for_shared_page(key: str) -> bytes | None:
    """The page another request is building, or None if it has not come in time."""
    return _wait_for(key, get_shared_page)


def release_shared_page(key: str) -> None:
    cache.delete(f"{key}:building")


def set_shared_pages(pages: dict[str, bytes]) -> None:
    cache.set_many(pages, CACHE_SECONDS)
    if (local := _local_pages()) is not None:
        local.set_many(pages, CACHE_SECONDS)


def thread_updates(slug: str, since: int) -> tuple[int, int] | None:
    """selectors.thread_updates through the shared cache: what every reader polling a thread
    from the same version asks, answered once per UPDATES_SECONDS for all of them, on every
    app server. Nothing in it is personal (a version and a count), and it is at most that old:
    a poll that misses a change sees it on the next one. None (no such article) is not kept.
    """
    key = f"updates:{slug}:{since}"
    found = cache.get(key)
    if found is None:
        found = selectors.thread_updates(slug, since)
        if found is not None:
            cache.set(key, found, UPDATES_SECONDS)
    return found
