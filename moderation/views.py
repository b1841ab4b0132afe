"""The moderation desk: the queue, decisions on comments, articles and users, the audit log.

Every action is a POST that calls a service with the moderator as acting user, then redirects
back to the same place in the queue; htmx requests get the card's replacement (empty: the card
leaves) and a message instead.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.roles import is_moderator
from articles.models import Article
from comments.models import Comment, Reason
from newsroom.numbers import parse_id, parse_page
from newsroom.url_templates import around_id

from . import detection, selectors, services
from .cards import render_card
from .highlight import highlight_findings
from .models import ModerationEvent

User = get_user_model()

COMMENT_ACTIONS = {
    "approve": lambda c, u, p: services.comment_approve(
        comment=c, acting_user=u, seen_token=p.get("seen")
    ),
    "reject": lambda c, u, p: services.comment_reject(
        comment=c,
        acting_user=u,
        reason=p.get("reason", ""),
        note=p.get("note", ""),
        seen_token=p.get("seen"),
    ),
    "restore": lambda c, u, p: services.comment_restore(
        comment=c, acting_user=u, seen_token=p.get("seen")
    ),
    "feature": lambda c, u, p: services.comment_set_featured(
        comment=c, acting_user=u, featured=True
    ),
    "unfeature": lambda c, u, p: services.comment_set_featured(
        comment=c, acting_user=u, featured=False
    ),
    "lock": lambda c, u, p: services.comment_set_locked(comment=c, acting_user=u, locked=True),
    "unlock": lambda c, u, p: services.comment_set_locked(comment=c, acting_user=u, locked=False),
}
DONE_MESSAGES = {
    "approve": "Approved",
    "reject": "Rejected",
    "restore": "Restored",
    "feature": "Featured",
    "unfeature": "Unfeatured",
    "lock": "Replies locked under",
    "unlock": "Replies unlocked under",
}
SUSPENSION_UNITS = {"hours": dt.timedelta(hours=1), "days": dt.timedelta(days=1)}


def moderator_required(view):
    """Anonymous → login page; signed-in non-moderators → 403; never stored by any cache."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_moderator(request.user):
            raise PermissionDenied("The moderation desk is for moderators.")
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)  # Cache-Control: no-store: desk pages are private
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _filters(params) -> selectors.QueueFilters:
    page = parse_page(params.get("page"))
    if page is None:
        raise Http404("No such page.")
    return selectors.QueueFilters(
        tab=params.get("tab", selectors.DEFAULT_TAB),
        article=params.get("article", "")[:200],
        reason=params.get("reason", "") if params.get("reason", "") in Reason.values else "",
        rule=params.get("rule", "")[:40],
        category=params.get("category", "")[:20],
        q=params.get("q", "")[:200],
        newest=params.get("order") == "newest",
        page=page,
    )


def _back(request, fallback="moderation:queue"):
    nxt = request.POST.get("next") or request.GET.get("next")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect(fallback)


def _result(request, ok: bool, message: str, status: int = 200):
    """Non-JS: flash and go back to the same place. htmx: remove the card, say what happened."""
    if request.htmx:
        kind = "success" if ok else "error"
        # The card is swapped for what remains after the out-of-band parts: nothing, so it
        # leaves; the tab counts are refreshed for the queue view the moderator came from.
        html = (
            f'<div id="desk-status" hx-swap-oob="true" role="status" class="{kind}">'
            f"{escape(message)}</div>"
        )
        if ok:
            html += _fresh_tabs(request)
        response = HttpResponse(html, status=200 if ok else status)
        if not ok:
            response["HX-Reswap"] = "none"  # keep the card; moderation.js still shows the status
        return response
    (messages.success if ok else messages.error)(request, message)
    return _back(request)


def _prepare_cards(request, cards) -> None:
    """Render each card (moderation/cards.py), with URLs reversed once per request."""
    before, after = around_id("moderation:comment_action", "x")
    after = after.removesuffix("x/")
    user_before, user_after = around_id("moderation:user")
    mode_url = reverse("moderation:article_mode", args=["slug-placeholder"])
    article_url = reverse("article", args=["slug-placeholder"])
    csrf_token, here, now = get_token(request), request.get_full_path(), timezone.now()
    for card in cards:
        base = f"{before}{card.pk}{after}"
        card.urls = {
            "approve": base + "approve/",
            "reject": base + "reject/",
            "restore": base + "restore/",
            "feature": base + ("unfeature/" if card.is_featured else "feature/"),
            "lock": base + ("unlock/" if card.is_locked else "lock/"),
            "user": f"{user_before}{card.author_id}{user_after}" if card.author_id else "",
        }
        card.highlighted_body = highlight_findings(card.body_raw, card.card_findings)
        card.seen = services.decision_token(card)
        card.html = render_card(
            card,
            csrf_token=csrf_token,
            here=here,
            reasons_fieldset=REASONS_FIELDSET,
            article_mode_url=mode_url.replace("slug-placeholder", card.article.slug),
            article_url=article_url.replace("slug-placeholder", card.article.slug),
            now=now,
        )


REASONS_FIELDSET = format_html(
    "<fieldset><legend>Reason</legend>{}</fieldset>",
    format_html_join(
        "",
        '<label class="radio"><input type="radio" name="reason" value="{}"{}> {}</label>',
        (
            (value, " required" if i == 0 else "", label)
            for i, (value, label) in enumerate(Reason.choices)
        ),
    ),
)


@moderator_required
def queue(request):
    filters = _filters(request.GET)
    page = selectors.moderation_queue(filters)
    _prepare_cards(request, page.cards)
    params = {k: v for k, v in request.GET.items() if k != "page"}
    return render(
        request,
        "moderation/queue.html",
        {
            "page": page,
            **_tabs_context(page.counts, page.filters.tab, params),
            "reasons": Reason.choices,
            "categories": detection.CATEGORIES,
            "reasons_fieldset": REASONS_FIELDSET,
            "articles": Article.objects.order_by("-published_at").values("slug", "title")[:100],
            "page_query": urlencode(params),
            "here": request.get_full_path(),
        },
    )


def _fresh_tabs(request) -> str:
    params = dict(parse_qsl(urlsplit(request.POST.get("next", "")).query))
    filters = _filters(params)
    context = _tabs_context(selectors.queue_counts(filters), filters.tab, params)
    return render_to_string("moderation/_tabs.html", {**context, "oob": True}, request=request)


def _tabs_context(counts: dict, tab: str, params: dict) -> dict:
    return {
        "tabs": [(key, label, counts[key]) for key, (label, _) in selectors.QUEUE_TABS.items()],
        "current_tab": tab,
        "count_cap": selectors.COUNT_CAP,
        "base_query": urlencode({k: v for k, v in params.items() if k != "tab"}),
    }


@moderator_required
def comment_card(request, pk: int):
    card = selectors.moderation_card(get_object_or_404(Comment, pk=pk).pk)
    _prepare_cards(request, [card])
    return render(
        request,
        "moderation/card_page.html",
        {
            "card": card,
            "reasons": Reason.choices,
            "reasons_fieldset": REASONS_FIELDSET,
            "here": request.get_full_path(),
        },
    )


@moderator_required
@require_POST
def comment_action(request, pk: int, action: str):
    if action not in COMMENT_ACTIONS:
        return HttpResponseBadRequest("Unknown action.")
    comment = get_object_or_404(Comment, pk=pk)
    try:
        COMMENT_ACTIONS[action](comment, request.user, request.POST)
    except services.AlreadyDecided as exc:
        return _result(request, False, " ".join(exc.messages), status=409)
    except ValidationError as exc:
        return _result(request, False, " ".join(exc.messages), status=400)
    return _result(request, True, f"{DONE_MESSAGES[action]} comment #{pk}.")


@moderator_required
@require_POST
def bulk_action(request):
    action = request.POST.get("action")
    if action not in ("approve", "reject"):
        return _result(request, False, "Choose approve or reject.", status=400)
    ids = [parse_id(i) for i in request.POST.getlist("ids")]
    if None in ids:
        return _result(request, False, "Bad selection.", status=400)
    if not ids:
        return _result(request, False, "Select at least one comment.", status=400)
    if action == "reject" and request.POST.get("reason") not in Reason.values:
        return _result(request, False, "Choose a reason for rejecting.", status=400)
    done, skipped = 0, []
    for comment in Comment.objects.filter(pk__in=ids):
        try:
            COMMENT_ACTIONS[action](comment, request.user, {**request.POST.dict(), "seen": None})
            done += 1
        except ValidationError as exc:
            skipped.append(f"#{comment.pk}: {' '.join(exc.messages)}")
    message = f"{DONE_MESSAGES[action]} {done} comment(s)."
    if skipped:
        message += " Skipped " + "; ".join(skipped)
    return _result(request, True, message)


@moderator_required
@require_POST
def article_mode(request, slug: str):
    article = get_object_or_404(Article, slug=slug)
    try:
        services.article_set_comment_mode(
            article=article, mode=request.POST.get("mode", ""), acting_user=request.user
        )
    except ValidationError as exc:
        return _result(request, False, " ".join(exc.messages), status=400)
    article.refresh_from_db()
    return _result(
        request,
        True,
        f"Comments on “{article.title}”: {article.get_comment_mode_display().lower()}.",
    )


def _duration(post) -> dt.timedelta:
    try:
        amount = int(post.get("amount", ""))
    except ValueError:
        raise ValidationError("Give the suspension length as a whole number.") from None
    unit = SUSPENSION_UNITS.get(post.get("unit", "days"))
    if unit is None:
        raise ValidationError("Suspensions are counted in hours or days.")
    if amount <= 0 or amount > 10_000:
        raise ValidationError("A suspension must last between 1 hour and 365 days.")
    return amount * unit


@moderator_required
@require_POST
def user_action(request, pk: int, action: str):
    target = get_object_or_404(User, pk=pk)
    post = request.POST
    actions = {
        "suspend": lambda: services.user_suspend(
            user=target,
            acting_user=request.user,
            duration=_duration(post),
            reason=post.get("reason", ""),
        ),
        "ban": lambda: services.user_ban(
            user=target, acting_user=request.user, reason=post.get("reason", "")
        ),
        "reinstate": lambda: services.user_reinstate(user=target, acting_user=request.user),
        "premoderate": lambda: services.user_set_premoderation(
            user=target, acting_user=request.user, premoderated=True
        ),
        "unpremoderate": lambda: services.user_set_premoderation(
            user=target, acting_user=request.user, premoderated=False
        ),
        "note": lambda: services.user_add_note(
            user=target, acting_user=request.user, body=post.get("body", "")
        ),
    }
    if action not in actions:
        return HttpResponseBadRequest("Unknown action.")
    try:
        actions[action]()
    except ValidationError as exc:
        return _result(request, False, " ".join(exc.messages), status=400)
    return _result(request, True, f"{target.public_name}: {action} done.")


@moderator_required
def user_history(request, pk: int):
    target = get_object_or_404(User, pk=pk)
    comments = (
        Comment.objects.filter(author=target)
        .select_related("article")
        .order_by("-created_at")[:100]
    )
    staff = request.user.is_staff or request.user.is_superuser
    events = selectors.user_record_events(target.pk, full=staff)[:200]
    return render(
        request,
        "moderation/user.html",
        {
            "target": target,
            "comments": comments,
            "events": events,
            "standing": getattr(target, "moderation", None)
            if hasattr(target, "moderation")
            else None,
            "notes": target.moderator_notes.select_related("author"),
        },
    )


@moderator_required
def audit_log(request):
    if not (request.user.is_staff or request.user.is_superuser):
        raise PermissionDenied("The full audit log is for staff.")
    events = selectors.audit_log(
        action=request.GET.get("action", ""),
        actor=request.GET.get("actor", "")[:150],
        article=request.GET.get("article", "")[:200],
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    params = {k: v for k, v in request.GET.items() if k != "page"}
    return render(
        request,
        "moderation/log.html",
        {
            "events": page,
            "actions": ModerationEvent.Action.choices,
            "page_query": urlencode(params),
        },
    )


@moderator_required
def detector_stats(request):
    if not (request.user.is_staff or request.user.is_superuser):
        raise PermissionDenied("Detector statistics are for staff.")
    return render(request, "moderation/detector.html", {"rules": selectors.detector_rule_stats()})
