"""Render moderation queue cards in one Python pass.

Why not a template: the same card as a Django template (cached loader) made the whole queue
page markedly slower in an interleaved A/B (`bench/run.py` queue_page on PostgreSQL), far past
the 20% the layout allows for hand-built HTML; the variable lookups and tags for each card's
parent context, flags, history and seven action forms are where it goes.

Every value from a reader or moderator is escaped here; the only HTML passed through is the
parent's `body_html` (sanitized at write time) and `highlighted_body` (escaped in highlight.py).
"""

from __future__ import annotations

from html import escape

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from articles.models import Article
from comments.rendering import relative_time


def _e(value) -> str:
    return escape(str(value), quote=True)


def _local(dt):
    return timezone.localtime(dt)


def _when(dt) -> str:
    return f"{_local(dt):%-d %b %Y, %H:%M %Z}"


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_card(
    card,
    *,
    csrf_token: str,
    here: str,
    reasons_fieldset: str,
    article_mode_url: str,
    article_url: str,
    now,
) -> SafeString:
    pk = card.pk
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{_e(csrf_token)}">'
    nxt = f'<input type="hidden" name="next" value="{_e(here)}">'
    seen = f'<input type="hidden" name="seen" value="{_e(card.seen)}">'
    author = _e(card.display_author)
    out = [
        f'<section class="card status-{_e(card.status)}" id="card-{pk}" tabindex="-1" '
        f'data-comment="{pk}" aria-label="Comment #{pk} by {author}">',
        '<header class="card-head">',
        f'<label><input type="checkbox" name="ids" value="{pk}" form="bulk" '
        f'aria-label="Select comment #{pk}"></label>',
        f'<strong>#{pk}</strong> on <a href="{_e(article_url)}#c{pk}">'
        f"{_e(_short(card.article.title))}</a>",
        f' · <span class="badge status">{_e(card.get_status_display())}</span>',
    ]
    if card.held_because:
        out.append(f' <span class="badge">{_e(card.get_held_because_display())}</span>')
    if card.decision:
        by = f" by {_e(card.decided_by.get_username())}" if card.decided_by else ""
        out.append(f' <span class="badge">{_e(card.get_decision_display())}{by}</span>')
    if card.is_featured:
        out.append(' <span class="badge featured">Featured</span>')
    if card.is_locked:
        out.append(' <span class="badge locked">Branch locked</span>')
    created = _local(card.created_at)
    out.append(
        f' · <time datetime="{created.isoformat()}" title="{_when(created)}">'
        f"{relative_time(card.created_at, now)}</time></header>"
    )
    if card.parent_id:
        parent = card.parent
        out.append(
            f'<blockquote class="parent-context"><p class="meta">In reply to '
            f"{_e(parent.display_author)}:</p>"
            f"{Truncator(parent.body_html).words(60, html=True)}</blockquote>"
        )
    out.append(f'<div class="card-body">{card.highlighted_body}</div>')
    if card.card_findings:
        out.append('<ul class="findings">')
        for f in card.card_findings:
            out.append(
                f'<li><mark class="finding">{_e(f.match)}</mark> — {_e(f.explanation)} '
                f"<small>(rule <code>{_e(f.rule)}</code>, {_e(f.canonical)}, "
                f"{_e(f.category)}, {_e(f.severity)})</small></li>"
            )
        out.append("</ul>")
    out.append(f'<div class="author-record"><strong>{author}</strong> ')
    if card.author_id:
        h = card.card_author
        out.append(
            f"· {h.comments} comment{'' if h.comments == 1 else 's'}, {h.rejected} rejected · "
        )
        if h.standing:
            out.append(_e(h.standing.get_standing_display()))
            if h.standing.suspended_until:
                out.append(f" until {_when(h.standing.suspended_until)}")
            if h.standing.premoderated:
                out.append(", pre-moderated")
        else:
            out.append("Active")
        out.append(f' · <a href="{_e(card.urls["user"])}">history</a>')
        if h.notes:
            out.append('<ul class="notes">')
            for n in h.notes:
                who = _e(n.author_name) if n.author_name else "?"
                out.append(
                    f"<li>{_e(n.body)} <small>— {who}, "
                    f"{date_format(_local(n.created_at), 'j M Y')}</small></li>"
                )
            out.append("</ul>")
    else:
        out.append('<span class="meta">(no account)</span>')
    out.append("</div>")
    if card.card_flag_groups:
        out.append('<div class="flags"><strong>Reports:</strong><ul>')
        for label, flags in card.card_flag_groups:
            out.append(f"<li>{_e(label)} ×{len(flags)}")
            for fl in flags:
                if fl.note:
                    who = f" — {_e(fl.reporter_name)}" if fl.reporter_name else ""
                    closed = "" if fl.is_open else " (closed)"
                    out.append(f"<br><small>“{_e(fl.note)}”{who}{closed}</small>")
            out.append("</li>")
        out.append("</ul></div>")
    if card.card_events:
        out.append(
            f'<details class="history"><summary>History ({len(card.card_events)})</summary><ol>'
        )
        for ev in card.card_events:
            line = (
                f"{date_format(_local(ev.created_at), 'j M H:i')} · {_e(ev.actor_name)} · "
                f"{_e(ev.get_action_display())}"
            )
            if ev.reason:
                line += f" ({_e(ev.reason)})"
            if ev.state_before or ev.state_after:
                line += f" · {_e(ev.state_before)} → {_e(ev.state_after)}"
            out.append(f"<li>{line}</li>")
        out.append("</ol></details>")

    urls = card.urls
    htmx = f'hx-target="#card-{pk}" hx-swap="outerHTML"'
    out.append('<div class="card-actions">')
    out.append(
        f'<form method="post" action="{urls["approve"]}" hx-post="{urls["approve"]}" {htmx} '
        f'class="inline">{csrf}{seen}{nxt}<button type="submit" '
        'data-key="a">Approve</button></form>'
    )
    out.append(
        f'<details class="reject-picker"><summary data-key="r">Reject…</summary>'
        f'<form method="post" action="{urls["reject"]}" hx-post="{urls["reject"]}" {htmx}>'
        f"{csrf}{seen}{nxt}{reasons_fieldset}"
        '<input name="note" placeholder="Note (required for Other)" maxlength="2000">'
        '<button type="submit">Reject</button></form></details>'
    )
    if card.status == "rejected":
        out.append(
            f'<form method="post" action="{urls["restore"]}" hx-post="{urls["restore"]}" '
            f'{htmx} class="inline">{csrf}{seen}{nxt}<button type="submit">Restore</button></form>'
        )
    out.append(
        f'<form method="post" action="{urls["feature"]}" class="inline">{csrf}{nxt}'
        f'<button type="submit" data-key="f">{"Unfeature" if card.is_featured else "Feature"}'
        "</button></form>"
    )
    out.append(
        f'<form method="post" action="{urls["lock"]}" class="inline">{csrf}{nxt}'
        f'<button type="submit">{"Unlock branch" if card.is_locked else "Lock branch"}'
        "</button></form>"
    )
    if card.author_id:
        user = _e(urls["user"])
        out.append(
            '<details class="user-actions"><summary>Author…</summary>'
            f'<form method="post" action="{user}suspend/">{csrf}{nxt}'
            '<label>Suspend for <input name="amount" type="number" min="1" max="365" value="1" '
            'required></label> <select name="unit"><option value="days">days</option>'
            '<option value="hours">hours</option></select> '
            '<input name="reason" placeholder="Reason shown to the user"><button type="submit">'
            "Suspend</button></form>"
            f'<form method="post" action="{user}ban/" class="ban-form">{csrf}{nxt}'
            '<input name="reason" placeholder="Reason shown to the user"><button type="submit" '
            f'data-key="b" data-confirm="Ban {author}? They will not be able to post again.">'
            "Ban author</button></form>"
            f'<form method="post" action="{user}premoderate/" class="inline">{csrf}{nxt}'
            '<button type="submit">Pre-moderate author</button></form>'
            f'<form method="post" action="{user}note/">{csrf}{nxt}'
            '<input name="body" placeholder="Note about this user" required maxlength="2000">'
            '<button type="submit">Add note</button></form></details>'
        )
    mode = card.article.comment_mode
    options = "".join(
        f'<option value="{v}"{" selected" if v == mode else ""}>{label}</option>'
        for v, label in Article.CommentMode.choices
    )
    out.append(
        '<details class="article-actions"><summary>Article…</summary>'
        f'<form method="post" action="{_e(article_mode_url)}">{csrf}{nxt}'
        f'<select name="mode" aria-label="Comment mode">{options}</select> '
        '<button type="submit">Set comment mode</button></form></details>'
    )
    out.append("</div></section>")
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped above
