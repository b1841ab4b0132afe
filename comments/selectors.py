"""Every read of a thread: a page of it, a permalink subtree, its version, the home page's counts.

A thread costs a fixed number of queries whatever its size: the page of top-level comments,
then all their descendants in tree order (tree_id, lft), and nothing per node.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import Count, F, Q, QuerySet

from accounts.roles import is_moderator
from articles.models import Article
from newsroom.compiled import hot_cursor

from .models import Comment

Status = Comment.Status

SORTS = {
    "oldest": ("created_at", "pk"),
    "newest": ("-created_at", "-pk"),
    "replies": (F("rght") - F("lft")).desc(),
}
SORT_LABELS = {"oldest": "Oldest", "newest": "Newest", "replies": "Most replies"}
DEFAULT_SORT = "oldest"

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
    "author__username",
    "author__display_name",
)


class ThreadNode:
    """What the thread renderer needs of a comment, read as a plain row.

    Building a model instance per row (MPTTModel.__init__ and signals) would dominate a
    thousand-comment page, and the renderer needs no model behaviour.
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
        "author_username",
        "author_display_name",
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
            self.author_username,
            self.author_display_name,
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
                author.username if author else "",
                author.display_name if author else "",
            )
        )

    @property
    def hidden_from_others(self) -> bool:
        """A held comment with no replies: only its author and moderators see it at all."""
        return self.status == Status.PENDING and self.rght == self.lft + 1

    @property
    def display_author(self) -> str:
        if self.author_id is not None:
            return self.author_display_name or self.author_username
        return self.author_name or "[deleted user]"


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


def thread(
    article: Article, *, sort: str = DEFAULT_SORT, page: int = 1, show_all: bool = False
) -> ThreadPage:
    """One page of an article's discussion (20 top-level comments and their whole subtrees).

    The same for every viewer: comments only some viewers may see are marked
    (`hidden_from_others`) and left to the renderer, so that rendered pages can be shared.
    """
    sort = sort if sort in SORTS else DEFAULT_SORT
    order = SORTS[sort]
    order = order if isinstance(order, tuple) else (order, "pk")
    roots_qs = Comment.objects.filter(article=article, parent__isnull=True)
    size = settings.NEWSROOM["TOP_LEVEL_PAGE_SIZE"]
    page = max(1, page)
    if show_all:
        tree_ids = None
        has_more = False
        page = 1
    else:
        window = list(
            roots_qs.order_by(*order).values_list("tree_id", flat=True)[
                (page - 1) * size : page * size + 1
            ]
        )
        has_more = len(window) > size
        tree_ids = window[:size]
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
    )


@functools.cache
def _thread_version_sql() -> str:
    qs = Article.objects.filter(slug="%s").values_list("pk", "thread_version").order_by()
    sql, _ = qs.query.sql_with_params()
    return sql


def thread_version(slug: str) -> tuple[int, int] | None:
    """(pk, thread_version) of an article, or None: all a stored anonymous page needs.

    Every anonymous page view asks, before anything else; the ORM would spend longer building
    this one-row query than the database spends answering it, so its SQL is built once.
    """
    with hot_cursor(connection) as cursor:
        cursor.execute(_thread_version_sql(), [slug])
        return cursor.fetchone()


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
