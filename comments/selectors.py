"""Every read of comments: a thread page, a permalink subtree, the moderation queue.

A thread costs a fixed number of queries whatever its size: the page of top-level comments,
then all their descendants in tree order (tree_id, lft), and nothing per node.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet

from articles.models import Article

from .models import Comment
from .permissions import is_moderator

Status = Comment.Status

SORTS = {
    "oldest": ("created_at", "pk"),
    "newest": ("-created_at", "-pk"),
    "replies": (F("rght") - F("lft")).desc(), 
}
SORT_LABELS = {"oldest": "Oldest", "newest": "Newest", "replies": "Most replies"}
DEFAULT_SORT = "oldest"

_THREAD_FIELDS = (
    "id", "parent_id", "article_id", "author_id", "author_name", "body_html", "status",
    "decision", "held_because", "rejection_reason", "rejection_note", "is_featured",
    "is_locked", "created_at", "edited_at", "lft", "rght", "tree_id", "level",
    "author__username", "author__display_name",
)


@dataclass
class ThreadPage:
    article: Article
    nodes: list[Comment]
    sort: str
    page: int
    has_more: bool
    show_all: bool
    top_level_total: int
    base_level: int = 0
    ancestors: list[Comment] = field(default_factory=list)
    focus: Comment | None = None

    @property
    def next_page(self) -> int:
        return self.page + 1


def _thread_queryset() -> QuerySet[Comment]:
    return Comment.objects.select_related("author").only(*_THREAD_FIELDS)


def _visible_roots(article: Article, viewer) -> QuerySet[Comment]:
    """Top-level comments a viewer can see: withdrawn or held ones only when replies hang off them."""
    roots = Comment.objects.filter(article=article, parent__isnull=True)
    if is_moderator(viewer):
        return roots
    shown = Q(status__in=[Status.PUBLISHED, Status.REJECTED, Status.DELETED]) | Q(rght__gt=F("lft") + 1)
    if viewer is not None and viewer.is_authenticated:
        shown |= Q(author_id=viewer.pk)
    return roots.filter(shown)


def _hide_invisible_leaves(nodes: list[Comment], viewer) -> list[Comment]:
    """Drop other people's held comments that have no replies (nothing would hang off them)."""
    if is_moderator(viewer):
        return nodes
    viewer_id = viewer.pk if viewer is not None and viewer.is_authenticated else None
    return [
        n for n in nodes
        if n.status != Status.PENDING or n.author_id == viewer_id or n.rght > n.lft + 1
    ]


def thread(article: Article, viewer=None, *, sort: str = DEFAULT_SORT, page: int = 1,
           show_all: bool = False) -> ThreadPage:
    """One page of an article's discussion (20 top-level comments and their whole subtrees)."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    order = SORTS[sort]
    order = order if isinstance(order, tuple) else (order, "pk")
    roots_qs = _visible_roots(article, viewer)
    total = roots_qs.count()
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
    nodes_qs = _thread_queryset().filter(article=article)
    max_level = settings.NEWSROOM["MAX_RENDER_DEPTH"]
    if tree_ids is not None:
        nodes_qs = nodes_qs.filter(tree_id__in=tree_ids, level__lte=max_level)
    nodes = list(nodes_qs.order_by("tree_id", "lft"))
    nodes = _order_trees(nodes, sort, tree_ids)
    return ThreadPage(
        article=article,
        nodes=_hide_invisible_leaves(_drop_hidden_roots(nodes, roots_qs, show_all), viewer),
        sort=sort,
        page=page,
        has_more=has_more,
        show_all=show_all,
        top_level_total=total,
    )


def _drop_hidden_roots(nodes, roots_qs, show_all):
    # In show-all mode the roots filter was not applied in SQL; it is cheap to apply here.
    if not show_all:
        return nodes
    visible = set(roots_qs.values_list("tree_id", flat=True))
    return [n for n in nodes if n.tree_id in visible]


def _order_trees(nodes: list[Comment], sort: str, tree_ids: list[int] | None) -> list[Comment]:
    """Arrange whole trees in the requested top-level order, keeping each tree's lft order."""
    trees: dict[int, list[Comment]] = {}
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


def subtree(comment: Comment, viewer=None) -> ThreadPage:
    """A comment's own subtree (up to the render depth below it) with its ancestors as context."""
    max_level = comment.level + settings.NEWSROOM["MAX_RENDER_DEPTH"]
    nodes = list(
        _thread_queryset()
        .filter(tree_id=comment.tree_id, lft__gte=comment.lft, rght__lte=comment.rght,
                level__lte=max_level)
        .order_by("lft")
    )
    ancestors = list(
        _thread_queryset()
        .filter(tree_id=comment.tree_id, lft__lt=comment.lft, rght__gt=comment.rght)
        .order_by("lft")
    )
    return ThreadPage(
        article=comment.article,
        nodes=_hide_invisible_leaves(nodes, viewer),
        sort=DEFAULT_SORT,
        page=1,
        has_more=False,
        show_all=False,
        top_level_total=1,
        base_level=comment.level,
        ancestors=ancestors,
        focus=comment,
    )


def articles_with_counts() -> QuerySet[Article]:
    """The home page: newest articles first, each with its number of visible comments."""
    return Article.objects.annotate(
        comment_count=Count("comments", filter=Q(comments__status=Status.PUBLISHED))
    ).order_by("-published_at", "-pk")
