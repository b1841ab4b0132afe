"""Render a thread's flat, tree-ordered node list to HTML in one pass.

Why not a template per node: the template engine's variable lookups and includes, paid once per
comment, dominate a 1,000-comment page (it is where django-comments-xtd spends its time).
Here each node is one f-string over pre-escaped values, and nesting comes from the level
changes between consecutive nodes, so deep threads never recurse. The only HTML from readers is
`body_html`, produced by comments.sanitize at write time; everything else is escaped here.

Reactions never reach the cached pieces: each comment's opening piece is kept in three parts,
with the gaps where its count (`data-reactions`) and its reaction control go, and `assemble`
fills them per request from one query (selectors.reaction_state), as it re-renders the
viewer's own comments. A reaction therefore changes no thread version and no cached piece.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from html import escape

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.roles import is_moderator
from newsroom.url_templates import around_id

from .models import Comment, Reason, edit_window_open
from .selectors import NO_REACTIONS, ReactionState, ThreadNode, ThreadPage

Status = Comment.Status
STATUS_LABELS = dict(Comment.Status.choices)
REASON_LABELS = dict(Reason.choices)
# Plain str values: comparing against them is cheaper than looking up enum members per node.
PUBLISHED, REJECTED, DELETED = Status.PUBLISHED.value, Status.REJECTED.value, Status.DELETED.value
_STATUS_BADGES = {
    value: f'<span class="badge status">{escape(label)}</span>'
    for value, label in STATUS_LABELS.items()
}
# Few distinct author names and reply counts per page: escape and format each once.
_escape = functools.lru_cache(maxsize=4096)(escape)


@functools.lru_cache(maxsize=1024)
def _replies_hidden(replies: int) -> str:
    return f"{replies} repl{'y' if replies == 1 else 'ies'} hidden"


_NODE_CLOSE = "</div></details></article>"

# What a comment's reaction control is, as far as the shared pieces can say (the rest, whose
# comment it is and whether the viewer pressed it, is the viewer's and decided per request).
REACT_NONE = 0  # not published: no control (the count stays in data-reactions)
REACT_TALLY = 1  # closed article: the count, if any, without a button
REACT_BUTTON = 2  # a button for readers (a tally on their own comments), sign-in for others


def reaction_label() -> str:
    return escape(settings.NEWSROOM["REACTION_LABEL"])


def reaction_button(pk: int | str, count: int | str, pressed: bool, label: str) -> str:
    """The toggle: pressing it sends the wish it shows (1 to give, 0 to take back)."""
    return (
        f'<button class="react" id="react-{pk}" name="pressed" value="{0 if pressed else 1}" '
        f'aria-pressed="{"true" if pressed else "false"}">{label} '
        f'<span class="react-count">{count}</span></button>'
    )


def reaction_form_body(
    pk: int | str, count: int | str, pressed: bool, label: str, token: str
) -> str:
    """What the reaction form holds, and what htmx swaps into it: the CSRF token and the
    button. The button keeps its id, so htmx gives it back the focus."""
    return (
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        f"{reaction_button(pk, count, pressed, label)}"
    )


def reaction_form(
    pk: int | str, count: int | str, pressed: bool, label: str, url: str, token: str
) -> str:
    """The button in a form of its own: a plain POST without JavaScript; with it, htmx posts
    the form and swaps the answer in as the form's content. The listener is on the form, which
    stays, so a button just swapped in is never without one."""
    return (
        f'<form class="react-form" method="post" action="{url}" hx-post="{url}">'
        f"{reaction_form_body(pk, count, pressed, label, token)}</form>"
    )


# Stand in for a comment's pk and count while a control is split into the literal parts that
# surround them (_split_control): neither can occur in a control's own text.
_PK_SLOT, _COUNT_SLOT = "\x00pk\x00", "\x00count\x00"


def _split_control(html: str, slots: tuple[str, ...]) -> tuple[str, ...]:
    """The literal parts of a control rendered with slot markers, checked to hold exactly
    `slots` in that order, so the renderer can join them around real values in one f-string."""
    found = re.findall(f"{_PK_SLOT}|{_COUNT_SLOT}", html)
    if tuple(found) != slots:
        raise ValueError(f"control slots {found!r}, expected {slots!r}")
    return tuple(re.split(f"{_PK_SLOT}|{_COUNT_SLOT}", html))


def reaction_tally(count: int | str, label: str) -> str:
    return (
        f'<span class="reactions">{label} <span class="react-count">{count}</span></span>'
        if count
        else ""
    )


_RELATIVE_UNITS = (("minute", 60, 3600), ("hour", 3600, 86400), ("day", 86400, 86400 * 30))


def relative_time(when: dt.datetime, now: dt.datetime) -> str:
    seconds = int((now - when).total_seconds())
    if seconds < 60:
        return "just now"
    for unit, size, limit in _RELATIVE_UNITS:
        if seconds < limit:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return _day_label(when.date())


@functools.lru_cache(maxsize=1024)
def _day_label(day: dt.date) -> str:
    return f"{day:%-d %b %Y}"  # older comments: many share a day, and strftime is not free


class ThreadRenderer:
    """Renders one ThreadPage for one viewer; viewer-specific links are decided per node here."""

    def __init__(
        self,
        page: ThreadPage,
        viewer,
        *,
        now: dt.datetime | None = None,
        reactions: ReactionState = NO_REACTIONS,
        csrf_token: str = "",
    ):
        self.page = page
        self.reactions = reactions
        self.csrf_token = escape(csrf_token)  # per request: only ever in per-request pieces
        self.label = reaction_label()
        self.signed_in = viewer is not None and viewer.is_authenticated
        self.viewer_id = viewer.pk if self.signed_in else None
        self.moderator = is_moderator(viewer)
        self.now = now or timezone.now()
        self.tz = timezone.get_current_timezone()
        self.article_url = reverse("article", kwargs={"slug": page.article.slug})
        self.login_url = reverse("login")
        self.closed = page.article.is_closed
        self.max_level = page.base_level + settings.NEWSROOM["MAX_RENDER_DEPTH"]
        # reverse() once per URL name, not once per node: it is the costliest call in the loop.
        # Each as (before the id, after the id), joined around the pk in an f-string.
        self.url = {
            name: around_id(name)
            for name in (
                "comment_detail",
                "comment_reply",
                "comment_edit",
                "comment_delete",
                "comment_flag",
                "comment_react",
                "moderation:comment",
            )
        }
        self._absolute: dict[str, str] = {}  # absolute_time labels by minute
        # Each control split once per request around its pk and count (see assemble).
        before, after = self.url["comment_react"]
        url = f"{before}{_PK_SLOT}{after}"
        pk_pk_pk_count = (_PK_SLOT, _PK_SLOT, _PK_SLOT, _COUNT_SLOT)
        self._button = {
            pressed: _split_control(
                reaction_form(_PK_SLOT, _COUNT_SLOT, pressed, self.label, url, self.csrf_token),
                pk_pk_pk_count,
            )
            for pressed in (False, True)
        }
        self._signin = _split_control(
            f'<a class="react react-signin" href="{self.login_url}?next='
            f'{self.article_url}%23c{_PK_SLOT}" title="Sign in to react">{self.label} '
            f'<span class="react-count">{_COUNT_SLOT}</span></a>',
            (_PK_SLOT, _COUNT_SLOT),
        )
        self._tally = reaction_tally(_COUNT_SLOT, self.label).split(_COUNT_SLOT)

    def entries(self, nodes: list[ThreadNode] | None = None) -> list[tuple]:
        """The page as (is_open, pk, author_id, hidden, locked, html, react) pieces.

        Rendered for the viewer's class (anonymous, reader or moderator) but for nobody in
        particular, so the pieces can be shared through the cache; `assemble` then re-renders
        the viewer's own comments, drops what the viewer may not see and fills in reactions.
        An opening piece's html is (head, middle, tail): the count goes between head and
        middle, the reaction control (of kind `react`) between middle and tail.
        """
        nodes = self.page.nodes if nodes is None else nodes
        out: list[tuple] = []
        stack: list[tuple] = []  # the close pieces of open nodes, with their levels
        locked_levels: list[int] = []  # levels of open ancestors that locked their branch
        ancestor_locked = any(a.is_locked for a in self.page.ancestors)
        for node in nodes:
            level = node.level
            while stack and stack[-1][0] >= level:
                out.append(stack.pop()[1])
            while locked_levels and locked_levels[-1] >= level:
                locked_levels.pop()
            locked = ancestor_locked or bool(locked_levels) or node.is_locked
            hidden = node.hidden_from_others
            out.append(
                (
                    True,
                    node.pk,
                    node.author_id,
                    hidden,
                    locked,
                    self.node_open(node, locked=locked, own=False),
                    self.react_kind(node),
                )
            )
            stack.append(
                (level, (False, node.pk, node.author_id, hidden, False, _NODE_CLOSE, REACT_NONE))
            )
            if node.is_locked:
                locked_levels.append(level)
        while stack:
            out.append(stack.pop()[1])
        return out

    def react_kind(self, c: ThreadNode) -> int:
        if c.status != PUBLISHED:
            return REACT_NONE
        return REACT_TALLY if self.closed else REACT_BUTTON

    def reaction_control(self, pk: int, kind: int, count: int, own: bool, pressed: bool) -> str:
        """This viewer's control for one comment (see REACT_NONE and the others): a sign-in
        link for anonymous readers, the button for others' comments, the bare count (if any)
        on one's own and on closed articles. Joined from the parts split in __init__: a
        thousand-comment page calls this a thousand times."""
        if kind == REACT_BUTTON and not own:
            if self.viewer_id is None:
                a, b, c = self._signin
                return f"{a}{pk}{b}{count}{c}"
            a, b, c, d, e = self._button[pressed]
            return f"{a}{pk}{b}{pk}{c}{pk}{d}{count}{e}"
        if kind == REACT_NONE or not count:
            return ""
        a, b = self._tally
        return f"{a}{count}{b}"

    def assemble(self, entries: list[tuple], own_nodes: dict[int, ThreadNode]) -> str:
        """Join shared pieces for this viewer: their own comments fresh, hidden ones dropped,
        every comment's reaction count and control filled in from self.reactions."""
        me = self.viewer_id
        counts, mine = self.reactions.counts, self.reactions.mine
        control = self.reaction_control
        out: list[str] = []
        extend = out.extend
        if me is None:  # anonymous: nothing to re-render, only the held comments to drop
            for is_open, pk, _, hidden, _, html, kind in entries:
                if hidden:
                    continue
                if is_open:
                    count = counts.get(pk, 0)
                    head, middle, tail = html
                    extend((head, str(count), middle, control(pk, kind, count, False, False), tail))
                else:
                    out.append(html)
            return "".join(out)
        moderator = self.moderator
        off, on = self._button[False], self._button[True]
        for is_open, pk, author_id, hidden, locked, html, kind in entries:
            own = author_id == me
            if hidden and not (own or moderator):
                continue  # a held comment with no replies: its open and close pieces both go
            if not is_open:
                out.append(html)
                continue
            if own and pk in own_nodes:
                node = own_nodes[pk]
                html = self.node_open(node, locked=locked, own=True)
                kind = self.react_kind(node)
            count = counts.get(pk, 0)
            head, middle, tail = html
            if kind == REACT_BUTTON and not own:  # the common case, inlined: reaction_control
                a, b, c, d, e = on if pk in mine else off
                extend((head, str(count), middle, f"{a}{pk}{b}{pk}{c}{pk}{d}{count}{e}", tail))
            else:
                extend((head, str(count), middle, control(pk, kind, count, own, False), tail))
        return "".join(out)

    def render(self, nodes: list[ThreadNode] | None = None) -> str:
        """Render without the cache (permalink pages, htmx fragments)."""
        nodes = self.page.nodes if nodes is None else nodes
        own = {
            n.pk: n for n in nodes if self.viewer_id is not None and n.author_id == self.viewer_id
        }
        return self.assemble(self.entries(nodes), own)

    def render_context(self) -> str:
        """Ancestors of a permalinked comment, as a flat list of non-nested context nodes."""
        counts = self.reactions.counts
        out = []
        for a in self.page.ancestors:
            head, middle, tail = self.node_open(a, locked=False, context=True)
            out += (head, str(counts.get(a.pk, 0)), middle, tail, _NODE_CLOSE)
        return "".join(out)

    def node_open(
        self, c: ThreadNode, *, locked: bool, context: bool = False, own: bool | None = None
    ) -> tuple[str, str, str]:
        """A comment's opening piece as (head, middle, tail): its reaction count goes between
        head and middle, its reaction control between middle and tail (see `assemble`)."""
        if own is None:
            own = c.author_id is not None and c.author_id == self.viewer_id
        status = c.status
        body, notice, classes = self.body_for(c, own)
        badges = ""
        if c.is_featured and status == PUBLISHED:
            badges = '<span class="badge featured">Featured</span>'
            classes += " is-featured"
        if c.is_locked:
            badges += '<span class="badge locked">Replies locked</span>'
        if self.moderator and status != PUBLISHED:
            badges += _STATUS_BADGES[status]
        pk = c.pk
        replies = (c.rght - c.lft - 1) // 2
        created_at = c.created_at
        iso = created_at.isoformat()
        edited = ""
        if c.edited_at and status != DELETED:
            edited = (
                ' <span class="edited" title="Edited '
                f'{c.edited_at.astimezone(self.tz):%-d %b %Y, %H:%M}">'
                "(edited)</span>"
            )
        # One f-string per node: the costliest step of a thread page is this, a thousand times.
        return (
            f'<article class="comment{classes}" id="c{pk}" data-depth="{c.level}" '
            f'data-parent="{c.parent_id if c.parent_id is not None else ""}" data-reactions="',
            '"><details open><summary class="comment-head">'
            f'<span class="author">{_escape(self.author_for(c))}</span>{badges}'
            '<span class="collapsed-note">'
            f"{_replies_hidden(replies) if replies else 'collapsed'}</span>"
            "</summary>"
            # Beside the summary, not in it: a link inside the toggle is a control inside a
            # control, which screen readers cannot reach. CSS puts it on the summary's line.
            f'<span class="comment-when"><a class="permalink" href="{self.article_url}#c{pk}" '
            f'title="Permalink"><time datetime="{iso}" '
            f'title="{self.absolute_time(created_at, iso)}">'
            f"{relative_time(created_at, self.now)}</time></a>{edited}</span>"
            f'<div class="comment-body">{notice}{body}</div>'
            '<footer class="comment-actions">',
            f"{'' if context else self.actions_for(c, own, locked, replies)}</footer>"
            f'<div class="reply-slot" id="reply-slot-{pk}"></div>'
            f'<div class="replies" id="replies-{pk}">',
        )

    def absolute_time(self, when: dt.datetime, iso: str) -> str:
        """ "29 Mar 2026, 01:30 UTC" in the current time zone, formatted once per minute.

        Keyed by the ISO string's minute and UTC offset: every zone's offset has been a whole
        number of minutes since 1972, so the same minute always gives the same label.
        """
        key = iso[:16] + iso[-6:]
        label = self._absolute.get(key)
        if label is None:
            local = when.astimezone(self.tz)  # "%-d %b %Y, %H:%M %Z", with the day label cached
            label = (
                f"{_day_label(local.date())}, {local.hour:02}:{local.minute:02} {local.tzname()}"
            )
            self._absolute[key] = label
        return label

    def author_for(self, c: ThreadNode) -> str:
        return "[deleted]" if c.status == DELETED else c.display_author

    def body_for(self, c: ThreadNode, own: bool) -> tuple[str, str, str]:
        """(body HTML, notice HTML, extra CSS classes) for this viewer."""
        if c.status == PUBLISHED:
            return c.body_html, "", ""
        if c.status == DELETED:
            return '<p class="placeholder">[deleted]</p>', "", " is-placeholder"
        if c.status == REJECTED:
            if own or self.moderator:
                reason = REASON_LABELS.get(c.rejection_reason, "")
                note = f": {escape(c.rejection_note)}" if c.rejection_note else ""
                who = "Only you can see this" if own else "Readers see a placeholder"
                notice = (
                    f'<p class="notice removed">Removed by a moderator ({escape(reason)}{note}). '
                    f"{who}.</p>"
                )
                return c.body_html, notice, " is-removed"
            return '<p class="placeholder">Removed by a moderator</p>', "", " is-placeholder"
        # Pending: the author and moderators see the text; others see a placeholder.
        if own:
            return (
                c.body_html,
                '<p class="notice pending">Awaiting moderation. Only you can see '
                "this until a moderator approves it.</p>",
                " is-pending",
            )
        if self.moderator:
            return c.body_html, '<p class="notice pending">Awaiting moderation.</p>', " is-pending"
        return '<p class="placeholder">[awaiting moderation]</p>', "", " is-placeholder"

    def link(self, name: str, pk: int) -> str:
        before, after = self.url[name]
        return f"{before}{pk}{after}"

    def actions_for(self, c: ThreadNode, own: bool, locked: bool, replies: int) -> str:
        pk = c.pk
        status = c.status
        links = []
        replyable = status == PUBLISHED and not self.closed and not locked
        if c.level >= self.max_level and replies and not self.page.show_all:
            links.append(
                f'<a class="continue" href="{self.link("comment_detail", pk)}">Continue this '
                f"thread ({replies} more "
                f"repl{'y' if replies == 1 else 'ies'}) →</a>"
            )
        elif replyable:
            if not self.signed_in:
                links.append(
                    f'<a class="signin" href="{self.login_url}?next={self.article_url}%23c{pk}">'
                    "Sign in to reply</a>"
                )
            else:
                url = self.link("comment_reply", pk)
                links.append(
                    f'<a class="reply" href="{url}" hx-get="{url}" '
                    f'hx-target="#reply-slot-{pk}" hx-swap="innerHTML">Reply</a>'
                )
        links.append(f'<a class="link" href="{self.link("comment_detail", pk)}">Link</a>')
        if own and status not in (DELETED, REJECTED):
            if edit_window_open(c.created_at, self.now):
                links.append(f'<a class="edit" href="{self.link("comment_edit", pk)}">Edit</a>')
            links.append(f'<a class="delete" href="{self.link("comment_delete", pk)}">Delete</a>')
        if self.signed_in and not own and status == PUBLISHED:
            links.append(f'<a class="flag" href="{self.link("comment_flag", pk)}">Report</a>')
        if self.moderator:
            links.append(
                f'<a class="moderate" href="{self.link("moderation:comment", pk)}">Moderate</a>'
            )
        return " ".join(links)
