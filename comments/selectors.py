"""Every read of a thread: a page of it, a permalink subtree, its version, what is new in it since
a version (live updates), the home page's counts.

A thread costs a fixed number of queries whatever its size: the page of top-level comments,
then all their descendants in tree order (tree_id, lft), and nothing per node.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)

from accounts.models import DELETED_USER_NAME
from accounts.roles import is_moderator
from articles.models import Article
from newsroom.compiled import hot_cursor

from .models import Comment, Reaction

Status = Comment.Status

TOP = "top"  # by reactions: the one order that reactions change (see thread_cache)
SORTS = {
    "oldest": ("created_at", "pk"),
    "newest": ("-created_at", "-pk"),
    "replies": (F("rght") - F("lft")).desc(),
    TOP: ("-reaction_count", "created_at", "pk"),  # ties in the default order
}
DEFAULT_SORT = "oldest"


def sort_labels() -> dict[str, str]:
    """The sorts as the page names them; the reactions' one follows their label."""
    label = settings.NEWSROOM["REACTION_LABEL"]
    top = settings.NEWSROOM["REACTION_SORT_LABEL"] or (
        "Most respected" if label == "Respect" else f"Most {label}"
    )
    return {"oldest": "Oldest", "newest": "Newest", "replies": "Most replies", TOP: top}


_THREAD_FIELDS = (
    "id",
    "parent_id",
    "author_id",
    "author_name",
    "body_html",
    "status",
    "rejection_reason",
    "rejection_note",
    "is_featured",
    "is_locked",
    "created_at",
    "edited_at",
    "lft",
    "rght",
    "tree_id",
    "level",
    "reaction_count",
    "author__username",
    "author__display_name",
    "author__deleted_at",
)


class ThreadNode:
    """What the thread renderer needs of a comment, read as a plain row.

    Building a model instance per row (MPTTModel.__init__ and signals) would dominate a
    thousand-comment page, and the renderer needs no model behaviour. `reaction_count` orders
    trees (sort=top) and is never rendered from here: rendered pieces are cached per thread
    version, which reactions do not change, so counts come per request (reaction_state).
    """

    __slots__ = (
        "pk",
        "parent_id",
        "author_id",
        "author_name",
        "body_html",
        "status",
        "rejection_reason",
        "rejection_note",
        "is_featured",
        "is_locked",
        "created_at",
        "edited_at",
        "lft",
        "rght",
        "tree_id",
        "level",
        "reaction_count",
        "author_username",
        "author_display_name",
        "author_deleted_at",
    )

    def __init__(self, row):
        (
            self.pk,
            self.parent_id,
            self.author_id,
            self.author_name,
            self.body_html,
            self.status,
            self.rejection_reason,
            self.rejection_note,
            self.is_featured,
            self.is_locked,
            self.created_at,
            self.edited_at,
            self.lft,
            self.rght,
            self.tree_id,
            self.level,
            self.reaction_count,
            self.author_username,
            self.author_display_name,
            self.author_deleted_at,
        ) = row

    @classmethod
    def from_comment(cls, c: Comment) -> ThreadNode:
        author = c.author if c.author_id else None
        return cls(
            (
                c.pk,
                c.parent_id,
                c.author_id,
                c.author_name,
                c.body_html,
                c.status,
                c.rejection_reason,
                c.rejection_note,
                c.is_featured,
                c.is_locked,
                c.created_at,
                c.edited_at,
                c.lft,
                c.rght,
                c.tree_id,
                c.level,
                c.reaction_count,
                author.username if author else "",
                author.display_name if author else "",
                author.deleted_at if author else None,
            )
        )

    @property
    def hidden_from_others(self) -> bool:
        """A held comment with no replies: only its author and moderators see it at all."""
        return self.status == Status.PENDING and self.rght == self.lft + 1

    @property
    def display_author(self) -> str:
        if self.author_id is not None and self.author_deleted_at is None:
            return self.author_display_name or self.author_username
        return self.author_name or DELETED_USER_NAME


@dataclass
class ThreadPage:
    article: Article
    nodes: list[ThreadNode]
    sort: str
    page: int
    has_more: bool
    show_all: bool
    top_level_total: int
    base_level: int = 0
    ancestors: list[ThreadNode] = field(default_factory=list)
    focus: Comment | None = None
    # The trees on the page (None: all of the article's): what reaction_state reads.
    tree_ids: list[int] | None = None

    @property
    def next_page(self) -> int:
        return self.page + 1


def thread_nodes(qs: QuerySet[Comment]) -> list[ThreadNode]:
    """Comments as plain rows for the renderer (one query, no model instances).

    The ORM's SQL, run on a plain cursor: its per-value converters cost more than the rest of
    reading a row. The only one these fields need is SQLite's (time-zone-less columns), and it
    is done here the same way, as `make_aware` in the connection's time zone.
    """
    qs = qs.values_list(*_THREAD_FIELDS)
    connection = connections[qs.db]
    try:
        sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    except EmptyResultSet:  # e.g. pk__in=[]: the ORM would not query either
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        nodes = [ThreadNode(row) for row in cursor.fetchall()]
    if settings.USE_TZ and not connection.features.supports_timezones:
        tz = connection.timezone
        for node in nodes:
            node.created_at = _aware(node.created_at, tz)
            node.edited_at = _aware(node.edited_at, tz)
    return nodes


def _aware(value, tz):
    return value.replace(tzinfo=tz) if value is not None and value.tzinfo is None else value


def page_window(article: Article, *, sort: str, page: int) -> tuple[list[int], bool]:
    """(tree ids of the page's top-level comments in order, whether more pages follow)."""
    order = SORTS[sort if sort in SORTS else DEFAULT_SORT]
    order = order if isinstance(order, tuple) else (order, "pk")
    size = settings.NEWSROOM["TOP_LEVEL_PAGE_SIZE"]
    page = max(1, page)
    window = list(
        Comment.objects.filter(article=article, parent__isnull=True)
        .order_by(*order)
        .values_list("tree_id", flat=True)[(page - 1) * size : page * size + 1]
    )
    return window[:size], len(window) > size


def thread(
    article: Article,
    *,
    sort: str = DEFAULT_SORT,
    page: int = 1,
    show_all: bool = False,
    window: tuple[list[int], bool] | None = None,
) -> ThreadPage:
    """One page of an article's discussion (20 top-level comments and their whole subtrees).

    The same for every viewer: comments only some viewers may see are marked
    (`hidden_from_others`) and left to the renderer, so that rendered pages can be shared.
    `window` is the page's page_window when the caller has read it already.
    """
    sort = sort if sort in SORTS else DEFAULT_SORT
    roots_qs = Comment.objects.filter(article=article, parent__isnull=True)
    page = max(1, page)
    tree_ids: list[int] | None
    if show_all:
        tree_ids = None
        has_more = False
        page = 1
    else:
        tree_ids, has_more = (
            window if window is not None else page_window(article, sort=sort, page=page)
        )
    nodes_qs = Comment.objects.filter(article=article)
    max_level = settings.NEWSROOM["MAX_RENDER_DEPTH"]
    if tree_ids is not None:
        nodes_qs = nodes_qs.filter(tree_id__in=tree_ids, level__lte=max_level)
    nodes = thread_nodes(nodes_qs.order_by("tree_id", "lft"))
    # The whole thread holds every root already; a page needs them counted.
    total = sum(1 for n in nodes if n.parent_id is None) if show_all else roots_qs.count()
    nodes = _order_trees(nodes, sort, tree_ids)
    return ThreadPage(
        article=article,
        nodes=nodes,
        sort=sort,
        page=page,
        has_more=has_more,
        show_all=show_all,
        top_level_total=total,
        tree_ids=tree_ids,
    )


def _order_trees(
    nodes: list[ThreadNode], sort: str, tree_ids: list[int] | None
) -> list[ThreadNode]:
    """Arrange whole trees in the requested top-level order, keeping each tree's lft order."""
    trees: dict[int, list[ThreadNode]] = {}
    for node in nodes:
        trees.setdefault(node.tree_id, []).append(node)
    if tree_ids is not None:
        order = tree_ids
    else:
        roots = [t[0] for t in trees.values()]
        if sort == "newest":
            roots.sort(key=lambda r: (r.created_at, r.pk), reverse=True)
        elif sort == "replies":
            roots.sort(key=lambda r: (-(r.rght - r.lft), r.pk))
        elif sort == TOP:
            roots.sort(key=lambda r: (-r.reaction_count, r.created_at, r.pk))
        else:
            roots.sort(key=lambda r: (r.created_at, r.pk))
        order = [r.tree_id for r in roots]
    return [node for tid in order for node in trees.get(tid, ())]


def subtree(comment: Comment) -> ThreadPage:
    """A comment's own subtree (up to the render depth below it) with its ancestors as context."""
    max_level = comment.level + settings.NEWSROOM["MAX_RENDER_DEPTH"]
    nodes = thread_nodes(
        Comment.objects.filter(
            tree_id=comment.tree_id,
            lft__gte=comment.lft,
            rght__lte=comment.rght,
            level__lte=max_level,
        ).order_by("lft")
    )
    ancestors = thread_nodes(
        Comment.objects.filter(
            tree_id=comment.tree_id, lft__lt=comment.lft, rght__gt=comment.rght
        ).order_by("lft")
    )
    return ThreadPage(
        article=comment.article,
        nodes=nodes,
        sort=DEFAULT_SORT,
        page=1,
        has_more=False,
        show_all=False,
        top_level_total=1,
        base_level=comment.level,
        ancestors=ancestors,
        focus=comment,
        tree_ids=[comment.tree_id],
    )


@functools.cache
def _thread_version_sql() -> str:
    qs = (
        Article.objects.filter(slug="%s")
        .values_list("pk", "reactions_version", "thread_version")
        .order_by()
    )
    sql, _ = qs.query.sql_with_params()
    return sql


def thread_version(slug: str) -> tuple[int, int, int] | None:
    """(pk, reactions_version, thread_version) of an article, or None: all a stored anonymous
    page needs (it holds the counts of reactions, so it is keyed by both versions).

    Every anonymous page view asks, before anything else; the ORM would spend longer building
    this one-row query than the database spends answering it, so its SQL is built once.
    """
    with hot_cursor(connection) as cursor:
        cursor.execute(_thread_version_sql(), [slug])
        return cursor.fetchone()


# --- live updates ----------------------------------------------------------------------------


def published_since(article, since: int) -> QuerySet[Comment]:
    """The comments that became visible above thread version `since` and still are: what a page
    built at that version lacks (Comment.published_version), through the partial index
    comment_published_since. `article` is an Article, its pk, or an OuterRef to one."""
    return Comment.objects.filter(
        article=article, status=Status.PUBLISHED, published_version__gt=since
    )


def thread_updates(slug: str, since: int) -> tuple[int, int] | None:
    """(thread version, comments published above `since`) of an article, or None: one query."""
    new = (
        published_since(OuterRef("pk"), since)
        .order_by()
        # COUNT(*) without a GROUP BY: from the index alone, where the database can
        .annotate(n=Func(template="COUNT(*)", output_field=BigIntegerField()))
        .values("n")
    )
    found = (
        Article.objects.filter(slug=slug)
        .order_by()
        .values_list("thread_version", Subquery(new))[:1]
    )
    return next(iter(found), None)


def new_comments(article: Article, *, since: int, through: int) -> list[ThreadNode]:
    """The comments published above `since` up to `through` (the article's version as read, so
    the reader's page is then exactly at `through`), as deep as a thread page renders them, in
    tree order: each parent before its replies."""
    return thread_nodes(
        published_since(article, since)
        .filter(published_version__lte=through, level__lte=settings.NEWSROOM["MAX_RENDER_DEPTH"])
        .order_by("tree_id", "lft")
    )


# --- reactions --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReactionState:
    """Reaction counts of a page's comments (only those with any) and which of them the
    viewer reacted to: patched into the cached pieces per request (ThreadRenderer.assemble)."""

    counts: dict[int, int] = field(default_factory=dict)
    mine: frozenset[int] = frozenset()


NO_REACTIONS = ReactionState()


@functools.cache
def _reaction_state_sql(signed_in: bool, trees: int | None) -> str:
    """The page's reacted comments, written out once per shape: the ORM spent longer building
    this query than the database spends answering it. `reaction_count > 0` is a literal, so
    PostgreSQL can always prove the partial index comment_reacted applies."""
    c, r = Comment._meta, Reaction._meta  # names from the models, never from input
    mine = (
        f', EXISTS(SELECT 1 FROM "{r.db_table}" r '  # noqa: S608
        f'WHERE r."{r.get_field("comment").column}" = c."{c.pk.column}" '
        f'AND r."{r.get_field("user").column}" = %s)'
        if signed_in
        else ""
    )
    in_trees = f' AND c."tree_id" IN ({", ".join(["%s"] * trees)})' if trees else ""
    return (
        f'SELECT c."{c.pk.column}", c."reaction_count"{mine} FROM "{c.db_table}" c '  # noqa: S608
        f'WHERE c."{c.get_field("article").column}" = %s AND c."reaction_count" > 0{in_trees}'
    )


def reaction_state(article_id: int, viewer, *, tree_ids: Sequence[int] | None) -> ReactionState:
    """One query, whatever the thread's size: the page's comments that have reactions (through
    the partial index comment_reacted), each with whether the viewer is among them.

    Every comment the viewer reacted to has a count, so `mine` needs no query of its own.
    """
    if tree_ids is not None and not tree_ids:
        return NO_REACTIONS
    signed_in = viewer is not None and viewer.is_authenticated
    params = [viewer.pk] if signed_in else []
    params.append(article_id)
    if tree_ids is not None:
        params += tree_ids
    sql = _reaction_state_sql(signed_in, len(tree_ids) if tree_ids is not None else None)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not signed_in:
        return ReactionState(counts=dict(rows))
    return ReactionState(
        counts={pk: count for pk, count, _ in rows},
        mine=frozenset(pk for pk, _, reacted in rows if reacted),
    )


def has_reacted(comment_id: int, user) -> bool:
    """Whether `user` reacted to the comment."""
    if user is None or not user.is_authenticated:
        return False
    return Reaction.objects.filter(comment_id=comment_id, user_id=user.pk).exists()


def reactions_received(user) -> int:
    """How many reactions a reader's published comments hold (for a profile, say).

    Counted from the comments' stored counts: one indexed query (the author's comments), not
    a count of reaction rows. Comments that were removed, deleted or are held do not count.
    """
    total = Comment.objects.filter(author_id=user.pk, status=Status.PUBLISHED).aggregate(
        total=Sum("reaction_count")
    )["total"]
    return total or 0


def articles_with_counts() -> QuerySet[Article]:
    """The home page: newest articles first, each with its number of visible comments."""
    return Article.objects.annotate(
        comment_count=Count("comments", filter=Q(comments__status=Status.PUBLISHED))
    ).order_by("-published_at", "-pk")


def may_see(comment: Comment, user) -> bool:
    """Whether `user` may open a comment's own pages (permalink, reply, report).

    Published comments: everyone. Held ones: their author and moderators. Withdrawn or
    removed ones: moderators only. Everyone else gets a 404, as if it did not exist.
    """
    if comment.status == Comment.Status.PUBLISHED or is_moderator(user):
        return True
    return (
        comment.status == Comment.Status.PENDING
        and user is not None
        and user.is_authenticated
        and comment.author_id == user.pk
    )
