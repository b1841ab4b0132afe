"""Every read the moderation desk makes: the queue and its counts, a card, the audit log, the
detector's per-rule statistics, and each author's history shown on the cards."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q, QuerySet

from comments.models import Comment

from .detection import RULES
from .models import Finding, Flag, ModerationEvent, UserNote

Status = Comment.Status

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
    sql, params = _counts_statement(
        filters.article, filters.reason, filters.rule, filters.category, filters.q
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(zip(QUEUE_TABS, cursor.fetchone(), strict=True))


@functools.lru_cache(maxsize=256)
def _counts_statement(article: str, reason: str, rule: str, category: str, q: str):
    """queue_counts' SQL for one set of filters, built by the ORM once per process, not per view."""
    # In queue order, as the page reads them, so each tab's count walks the index that serves
    # its page. Unordered, PostgreSQL may count Reported with a sequential scan that starts
    # wherever a synchronized scan is and reads mostly unreported comments.
    filters = QueueFilters(article=article, reason=reason, rule=rule, category=category, q=q)
    qs = _filtered_queue(filters).order_by("created_at")
    parts: list[str] = []
    params: list = []
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
# query: as three more joins here they made PostgreSQL's planning the bulk of every queue view.
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
    return QueuePage(
        cards=cards,
        counts=counts,
        filters=filters,
        has_next=has_next,
        has_previous=page > 1,
        total=counts[tab],
    )


def moderation_card(pk: int) -> Comment:
    """One comment as a queue card (the moderation view of a single comment)."""
    return _enrich_cards([_as_cards(Comment.objects).get(pk=pk)])[0]


def _enrich_cards(cards: list[Comment]) -> list[Comment]:
    from accounts.models import User

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
    for flag in (
        Flag.objects.filter(comment_id__in=ids)
        .annotate(reporter_name=F("reporter__username"))
        .order_by("created_at")
    ):
        flags.setdefault(flag.comment_id, []).append(flag)
    findings: dict[int, list] = {}
    for finding in Finding.objects.filter(comment_id__in=ids, is_current=True).order_by("start"):
        findings.setdefault(finding.comment_id, []).append(finding)
    events: dict[int, list] = {}
    for event in ModerationEvent.objects.filter(comment_id__in=ids).order_by("created_at", "pk"):
        if event.comment_id is not None:
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

    history = {
        a: AuthorHistory(standing=getattr(users.get(a), "moderation", None)) for a in author_ids
    }
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
    for note in UserNote.objects.filter(user_id__in=author_ids).annotate(
        author_name=F("author__username")
    ):
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

    qs = ModerationEvent.objects.select_related("comment", "article", "target_user")
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if article:
        qs = qs.filter(article__slug=article)
    if user_id:
        qs = qs.filter(
            Q(target_user_id=user_id) | Q(actor_id=user_id) | Q(comment__author_id=user_id)
        )
    return qs.order_by("-created_at", "-pk")


def user_record_events(user_id: int, *, full: bool):
    """A user's page on the desk: events about them and their comments, newest first.

    `full` (staff) adds what they did themselves; for moderators the page shows what the
    queue's author record does, so it cannot rebuild the staff-only audit log (what another
    moderator decided, who reported what) one user at a time.
    """
    if full:
        return audit_log(user_id=user_id)
    qs = ModerationEvent.objects.select_related("comment", "article", "target_user")
    qs = qs.filter(Q(target_user_id=user_id) | Q(comment__author_id=user_id))
    return qs.exclude(actor_id=user_id).order_by("-created_at", "-pk")


def detector_rule_stats() -> list[dict]:
    """Per rule (every rule the detector has, then any retired one still on record): findings,
    moderator decisions and the precision those decisions measure."""

    rows = {
        row["rule"]: row
        for row in Finding.objects.values("rule").annotate(
            findings=Count("pk"),
            confirmed=Count("pk", filter=Q(verdict="tp")),
            false_positives=Count("pk", filter=Q(verdict="fp")),
        )
    }
    stats: list[dict] = []
    for rule in [*RULES, *sorted(rows.keys() - RULES.keys())]:
        row = rows.get(rule, {"rule": rule, "findings": 0, "confirmed": 0, "false_positives": 0})
        decided = row["confirmed"] + row["false_positives"]
        stats.append(
            {
                **row,
                "description": RULES.get(rule, "No longer produced by this detector version."),
                "decided": decided,
                "precision": row["confirmed"] / decided if decided else None,
            }
        )
    return stats
