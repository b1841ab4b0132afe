"""Every read of comments: a thread page, a permalink subtree, the moderation queue.

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
    "id", "parent_id", "author_id", "author_name", "body_html", "status",
    "rejection_reason", "rejection_note", "is_featured", "is_locked", "created_at", "edited_at",
    "lft", "rght", "tree_id", "level", "author__username", "author__display_name",
)


class ThreadNode:
    """What the thread renderer needs of a comment, read as a plain row.

    Building model instances costs ~75 µs a row (MPTTModel.__init__ and signals); a thread page
    with a thousand comments cannot afford that, and the renderer needs no model behaviour.
    """

    __slots__ = (
        "pk", "parent_id", "author_id", "author_name", "body_html", "status", "rejection_reason",
        "rejection_note", "is_featured", "is_locked", "created_at", "edited_at", "lft", "rght",
        "tree_id", "level", "author_username", "author_display_name",
    )

    def __init__(self, row):
        (self.pk, self.parent_id, self.author_id, self.author_name, self.body_html, self.status,
         self.rejection_reason, self.rejection_note, self.is_featured, self.is_locked,
         self.created_at, self.edited_at, self.lft, self.rght, self.tree_id, self.level,
         self.author_username, self.author_display_name) = row

    @classmethod
    def from_comment(cls, c: Comment) -> ThreadNode:
        author = c.author if c.author_id else None
        return cls((
            c.pk, c.parent_id, c.author_id, c.author_name, c.body_html, c.status,
            c.rejection_reason, c.rejection_note, c.is_featured, c.is_locked, c.created_at,
            c.edited_at, c.lft, c.rght, c.tree_id, c.level,
            author.username if author else "", author.display_name if author else "",
        ))

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


def thread(article: Article, *, sort: str = DEFAULT_SORT, page: int = 1,
           show_all: bool = False) -> ThreadPage:
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


def _order_trees(nodes: list[ThreadNode], sort: str, tree_ids: list[int] | None) -> list[ThreadNode]:
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
        Comment.objects.filter(tree_id=comment.tree_id, lft__gte=comment.lft,
                               rght__lte=comment.rght, level__lte=max_level).order_by("lft")
    )
    ancestors = thread_nodes(
        Comment.objects.filter(tree_id=comment.tree_id, lft__lt=comment.lft,
                               rght__gt=comment.rght).order_by("lft")
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


# --- moderation desk -------------------------------------------------------------------------

QUEUE_TABS = {
    "reported": ("Reported", Q(status=Status.PUBLISHED, open_flag_count__gt=0)),
    "pending": ("Pending", Q(status=Status.PENDING)),
    "unmoderated": (
        "Unmoderated",
        Q(decision=Comment.Decision.UNDECIDED, status__in=[Status.PUBLISHED, Status.PENDING]),
    ),
    "approved": ("Approved", Q(decision=Comment.Decision.APPROVED)),
    "rejected": ("Rejected", Q(status=Status.REJECTED)),
}
DEFAULT_TAB = "reported"


@dataclass
class AuthorHistory:
    comments: int = 0
    rejected: int = 0
    standing: object = None
    notes: list = field(default_factory=list)


@dataclass
class QueueFilters:
    tab: str = DEFAULT_TAB
    article: str = ""
    reason: str = ""
    rule: str = ""
    category: str = ""
    q: str = ""
    newest: bool = False
    page: int = 1


def _filtered_queue(filters: QueueFilters) -> QuerySet[Comment]:
    qs = Comment.objects.all()
    if filters.article:
        qs = qs.filter(article__slug=filters.article)
    if filters.reason:
        qs = qs.filter(flags__reason=filters.reason, flags__is_open=True)
    if filters.rule:
        qs = qs.filter(findings__rule=filters.rule, findings__is_current=True)
    if filters.category:
        qs = qs.filter(findings__category=filters.category, findings__is_current=True)
    if filters.q:
        qs = qs.filter(
            Q(body_raw__icontains=filters.q)
            | Q(author__username__icontains=filters.q)
            | Q(author__display_name__icontains=filters.q)
            | Q(author_name__icontains=filters.q)
        )
    if filters.reason or filters.rule or filters.category:
        qs = qs.distinct()
    return qs


COUNT_CAP = 1_000  # tabs show "1000+" beyond this


def queue_counts(filters: QueueFilters) -> dict[str, int]:
    """Live counts for every tab, each capped at COUNT_CAP + 1, in one statement.

    A bounded count per tab rather than one aggregate over the whole table: "Unmoderated"
    holds nearly every comment, and counting 100,000 rows on every queue view is what made the
    page slow. Past the cap a moderator needs "a lot", not the exact figure. The five bounded
    counts are scalar subqueries of one SELECT: one round trip instead of five.
    """
    sql, params = _counts_statement(filters.article, filters.reason, filters.rule, filters.category,
                                    filters.q)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(zip(QUEUE_TABS, cursor.fetchone(), strict=True))


@functools.lru_cache(maxsize=256)
def _counts_statement(article: str, reason: str, rule: str, category: str, q: str):
    """queue_counts' SQL for one set of filters, built by the ORM once per process, not per view."""
    # In queue order, as the page reads them, so each tab's count walks the index that serves
    # its page. Unordered, PostgreSQL may count Reported with a sequential scan that starts
    # wherever a synchronized scan is and reads 1-60 ms of mostly unreported comments.
    filters = QueueFilters(article=article, reason=reason, rule=rule, category=category, q=q)
    qs = _filtered_queue(filters).order_by("created_at")
    parts, params = [], []
    for _, cond in QUEUE_TABS.values():
        sql, part_params = qs.filter(cond).values("pk")[: COUNT_CAP + 1].query.sql_with_params()
        # The fragment is the ORM's own SQL; every value stays a bound parameter.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")  # noqa: S608
        params.extend(part_params)
    return f"SELECT {', '.join(parts)}", tuple(params)


@dataclass
class QueuePage:
    cards: list[Comment]
    counts: dict[str, int]
    filters: QueueFilters
    has_next: bool
    has_previous: bool
    total: int


# The accounts a card names (author, parent's author, decider) are read by _enrich_cards in one
# query: as three more joins here they cost PostgreSQL ~3 ms of planning on every queue view.
_CARD_JOINS = ("article", "parent")


def _as_cards(qs) -> QuerySet[Comment]:
    # Without the joined columns a card never shows: an article's text is the bulk of each row.
    return qs.select_related(*_CARD_JOINS).defer("article__body", "parent__body_raw")


def moderation_queue(filters: QueueFilters) -> QueuePage:
    """One page of queue cards, each with its parent, flags, findings, history and author record.

    A fixed number of queries whatever the queue size: the page, then one query per kind of
    related data for the whole page.
    """
    tab = filters.tab if filters.tab in QUEUE_TABS else DEFAULT_TAB
    size = settings.NEWSROOM["QUEUE_PAGE_SIZE"]
    page = max(1, filters.page)
    order = ("-created_at", "-pk") if filters.newest else ("created_at", "pk")
    qs = _as_cards(_filtered_queue(filters).filter(QUEUE_TABS[tab][1])).order_by(*order)
    counts = queue_counts(filters)
    cards = list(qs[(page - 1) * size : page * size + 1])
    has_next = len(cards) > size
    cards = _enrich_cards(cards[:size])
    filters.tab, filters.page = tab, page
    return QueuePage(cards=cards, counts=counts, filters=filters, has_next=has_next,
                     has_previous=page > 1, total=counts[tab])


def moderation_card(pk: int) -> Comment:
    """One comment as a queue card (the moderation view of a single comment)."""
    return _enrich_cards([_as_cards(Comment.objects).get(pk=pk)])[0]


def _enrich_cards(cards: list[Comment]) -> list[Comment]:
    from accounts.models import User

    from .models import Finding, Flag, ModerationEvent

    ids = [c.pk for c in cards]
    author_ids = {c.author_id for c in cards if c.author_id}
    parents = [c.parent for c in cards if c.parent_id]
    users = User.objects.select_related("moderation").in_bulk(
        (author_ids | {p.author_id for p in parents} | {c.decided_by_id for c in cards}) - {None}
    )
    # A user missing from `users` was deleted meanwhile: None, as ON DELETE SET NULL makes it.
    for card in cards:
        card.author, card.decided_by = users.get(card.author_id), users.get(card.decided_by_id)
    for parent in parents:
        parent.author = users.get(parent.author_id)

    # Names rather than select_related user instances: a card shows only the username.
    flags: dict[int, list] = {}
    for flag in (Flag.objects.filter(comment_id__in=ids).annotate(reporter_name=F("reporter__username"))
                 .order_by("created_at")):
        flags.setdefault(flag.comment_id, []).append(flag)
    findings: dict[int, list] = {}
    for finding in Finding.objects.filter(comment_id__in=ids, is_current=True).order_by("start"):
        findings.setdefault(finding.comment_id, []).append(finding)
    events: dict[int, list] = {}
    for event in ModerationEvent.objects.filter(comment_id__in=ids).order_by("created_at", "pk"):
        events.setdefault(event.comment_id, []).append(event)
    history = _author_history(author_ids, users) if author_ids else {}

    for card in cards:
        card.card_flags = flags.get(card.pk, [])
        card.card_flag_groups = _group_flags(card.card_flags)
        card.card_findings = findings.get(card.pk, [])
        card.card_events = events.get(card.pk, [])
        card.card_author = history.get(card.author_id)
    return cards


def _author_history(author_ids: set[int], users: dict) -> dict[int, AuthorHistory]:
    """Each author's comment and rejection counts, standing (from `users`) and notes."""
    from .models import UserNote

    history = {a: AuthorHistory(standing=getattr(users.get(a), "moderation", None)) for a in author_ids}
    for row in (
        # order_by(): the tree manager's default (tree_id, lft) ordering would otherwise join
        # the GROUP BY and split each author's count into one row per comment.
        Comment.objects.filter(author_id__in=author_ids)
        .order_by()
        .values("author_id")
        .annotate(total=Count("pk"), rejected=Count("pk", filter=Q(status=Status.REJECTED)))
    ):
        history[row["author_id"]].comments = row["total"]
        history[row["author_id"]].rejected = row["rejected"]
    for note in UserNote.objects.filter(user_id__in=author_ids).annotate(author_name=F("author__username")):
        history[note.user_id].notes.append(note)
    return history


def _group_flags(flags) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for flag in flags:
        label = "Detector" if flag.is_detector else flag.get_reason_display()
        groups.setdefault(label, []).append(flag)
    return list(groups.items())


def audit_log(*, action: str = "", actor: str = "", article: str = "", user_id: int | None = None):
    """The audit trail, newest first, filtered; the caller paginates."""
    from .models import ModerationEvent

    qs = ModerationEvent.objects.select_related("comment", "article", "target_user")
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if article:
        qs = qs.filter(article__slug=article)
    if user_id:
        qs = qs.filter(Q(target_user_id=user_id) | Q(actor_id=user_id) | Q(comment__author_id=user_id))
    return qs.order_by("-created_at", "-pk")


def detector_rule_stats() -> list[dict]:
    """Per rule: findings, moderator decisions and the precision those decisions measure."""
    from .models import Finding

    rows = (
        Finding.objects.values("rule")
        .annotate(
            findings=Count("pk"),
            confirmed=Count("pk", filter=Q(verdict="tp")),
            false_positives=Count("pk", filter=Q(verdict="fp")),
        )
        .order_by("rule")
    )
    stats = []
    for row in rows:
        decided = row["confirmed"] + row["false_positives"]
        row["decided"] = decided
        row["precision"] = row["confirmed"] / decided if decided else None
        stats.append(row)
    return stats
