"""Reader-facing pages: the thread, permalinks, and posting, editing, deleting, reporting,
reacting; the thread's live updates.

Every action is a plain form POST with a redirect to the comment's permalink; htmx requests
(HX-Request header) get the fragment to swap in place instead.
"""

from __future__ import annotations

import functools
import gzip
import logging
import secrets
from html import escape
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from articles.models import Article
from moderation import audit
from moderation import services as moderation_services
from moderation.forms import FlagForm
from newsroom.numbers import parse_page, parse_version
from newsroom.ratelimits import RateLimited

from . import selectors, services, thread_cache
from .forms import CommentForm
from .models import Comment, edit_window_open
from .rendering import ThreadRenderer, reaction_form_body, reaction_label
from .thread_cache import (
    PERSONAL_COOKIES,
    anonymous_page_key,
    claim_shared_page,
    get_shared_page,
    release_shared_page,
    render_thread,
    set_shared_pages,
    thread_updates,
    wait_for_shared_page,
)

security_log = logging.getLogger("newsroom.security")


def _int_param(request, name: str, default: int) -> int:
    number = parse_page(request.GET.get(name), default)
    if number is None:
        raise Http404("No such page.")
    return number


def _error_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def article_detail(request, slug: str):
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    page, show_all = _int_param(request, "page", 1), request.GET.get("all") == "1"
    htmx_more = request.htmx and page > 1
    # Most readers are anonymous with no cookies at all: they all get the same bytes, cached
    # whole under the thread version (nothing per-person on the page, not even a CSRF token).
    # The page links back to itself (sign-in "next") by its canonical URL, rebuilt from the
    # values as parsed, so nothing else in the query string reaches the page: unknown
    # parameters and malformed values are ignored, and the shared page (keyed by the parsed
    # values only) cannot carry or be multiplied by them.
    canonical = sort in selectors.SORTS
    shared = canonical and not htmx_more and not (request.COOKIES.keys() & PERSONAL_COOKIES)
    gzipped = _accepts_gzip(request)
    if not shared:
        return _article_page(request, slug, sort, page, show_all, canonical, htmx_more)
    found = selectors.thread_version(slug)
    if found is None:
        raise Http404("No such article.")
    key = functools.partial(anonymous_page_key, *found, sort=sort, page=page, show_all=show_all)
    body = get_shared_page(key(gzipped=gzipped))
    if body is not None:
        return _shared_page(body, gzipped)
    # The first reader after a change (or a reaction) builds the page; the others who come
    # meanwhile, on any app server, wait for it instead of building it too.
    claimed = claim_shared_page(key())
    if claimed is False and (body := wait_for_shared_page(key(gzipped=gzipped))) is not None:
        return _shared_page(body, gzipped)
    try:
        return _article_page(request, slug, sort, page, show_all, canonical, False, key, gzipped)
    finally:
        if claimed:
            release_shared_page(key())


def _article_page(
    request, slug, sort, page, show_all, canonical, htmx_more, found_key=None, gzipped=False
):
    """The article page (or its htmx "More comments" fragment); with `found_key`, the shared
    anonymous page, stored under the versions it was built from and those the request read
    first (it is at least as fresh as those: a waiting reader is then served by it)."""
    article = get_object_or_404(Article, slug=slug)
    rendered = render_thread(
        article,
        request.user,
        sort=sort,
        page=page,
        show_all=show_all,
        csrf_token=_reaction_token(request),
    )
    context = {
        "article": article,
        "page": rendered.page,
        "thread_html": rendered.html,
        "sorts": selectors.sort_labels(),
        "form": CommentForm(),
        "canonical_path": _canonical_path(
            article, sort if canonical else selectors.DEFAULT_SORT, page, show_all
        ),
        "live_poll_seconds": settings.NEWSROOM["UPDATES_POLL_SECONDS"],
    }
    if htmx_more:
        return render(request, "comments/_more.html", context)
    response = _render_page(request, context)
    personal = request.user.is_authenticated or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    if found_key is not None and not personal:
        html, compressed = response.content, compress_page(response.content)
        key = functools.partial(
            anonymous_page_key,
            article.pk,
            article.reactions_version,
            article.thread_version,
            sort=sort,
            page=page,
            show_all=show_all,
        )
        pages = {key(): html, key(gzipped=True): compressed}
        pages.update({found_key(): html, found_key(gzipped=True): compressed})
        set_shared_pages(pages)
        return _shared_page(compressed if gzipped else html, gzipped)
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def _reaction_token(request) -> str:
    """The CSRF token for the reaction forms of a signed-in reader's page (anonymous readers
    get sign-in links instead, and their shared page holds no token)."""
    return get_token(request) if request.user.is_authenticated else ""


def _canonical_path(article: Article, sort: str, page: int, show_all: bool) -> str:
    params = {
        k: v
        for k, v in (
            ("sort", sort if sort != selectors.DEFAULT_SORT else ""),
            ("page", page if page > 1 else ""),
            ("all", "1" if show_all else ""),
        )
        if v
    }
    return article.get_absolute_url() + (f"?{urlencode(params)}" if params else "")


# Stands in for the thread in the page template; random, so no article text can forge it.
_THREAD_SLOT = f"<!--thread-{secrets.token_hex(16)}-->"


def _render_page(request, context) -> HttpResponse:
    """The article page, with the thread HTML (most of its bytes) spliced in after rendering.

    Through the template, a large thread is copied at every block level and re-encoded with the
    page's non-ASCII text; spliced, it is encoded once, as the ASCII it mostly is.
    """
    response = render(
        request, "articles/article_detail.html", {**context, "thread_html": _THREAD_SLOT}
    )
    head, tail = response.content.split(_THREAD_SLOT.encode(), 1)
    response.content = b"".join((head, context["thread_html"].encode(response.charset), tail))
    return response


def compress_page(html: bytes) -> bytes:
    # Level 2: within a few percent of level 6's size (Django's GZipMiddleware) for about a
    # third of its time, which the first reader after every change pays.
    return gzip.compress(html, compresslevel=2, mtime=0)


def _accepts_gzip(request) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def _shared_page(body: bytes, gzipped: bool) -> HttpResponse:
    """The page every anonymous reader gets, as stored in the cache."""
    response = HttpResponse(body)
    if gzipped:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


# --- live updates ----------------------------------------------------------------------------


def _since_or_400(request) -> tuple[int | None, JsonResponse | None]:
    since, error = parse_version(request.GET.get("since"))
    return since, (JsonResponse({"error": error}, status=400) if error else None)


@csrf_exempt  # GET only: a POST is 405 (not a CSRF 403), and nothing is ever written
@require_GET
def article_updates(request, slug: str):
    """What an open thread page polls: {"version": thread version, "new": comments published
    since the version it sent}. The same for everyone (it never reads the session or the user,
    so it carries no Vary: Cookie), from the shared cache, and public for UPDATES_SECONDS."""
    since, bad = _since_or_400(request)
    if bad is not None:
        return bad
    found = thread_updates(slug, since)
    if found is None:
        return JsonResponse({"error": "No such article."}, status=404)
    version, new = found
    response = JsonResponse({"version": version, "new": new})
    patch_cache_control(response, public=True, max_age=thread_cache.UPDATES_SECONDS)
    return response


@never_cache
@require_GET
def article_new_comments(request, slug: str):
    """The comments the reader's page lacks ("show"): those published since `since`, each
    rendered alone for this viewer (a new reply comes after its parent), in a wrapper naming
    the version the page is at once they are in. The page's script puts each under its parent.
    """
    since, bad = _since_or_400(request)
    if bad is not None:
        return bad
    article = get_object_or_404(Article, slug=slug)
    nodes = selectors.new_comments(article, since=since, through=article.thread_version)
    page = selectors.ThreadPage(
        article=article,
        nodes=nodes,
        sort="",
        page=1,
        has_more=False,
        show_all=False,
        top_level_total=0,
    )
    trees = sorted({n.tree_id for n in nodes})
    reactions = selectors.reaction_state(article.pk, request.user, tree_ids=trees)
    renderer = ThreadRenderer(
        page, request.user, reactions=reactions, csrf_token=_reaction_token(request)
    )
    html = "".join(renderer.render([node]) for node in nodes)
    return HttpResponse(
        f'<div class="live-batch" data-version="{article.thread_version}">{html}</div>'
    )


def visible_comment_or_404(request, pk: int) -> Comment:
    """The comment, or a 404 for anyone who may not see it (comments.selectors.may_see)."""
    comment = get_object_or_404(Comment.objects.select_related("article", "author"), pk=pk)
    if not selectors.may_see(comment, request.user):
        raise Http404("No such comment.")
    return comment


def comment_detail(request, pk: int):
    comment = visible_comment_or_404(request, pk)
    page = selectors.subtree(comment)
    reactions = selectors.reaction_state(comment.article_id, request.user, tree_ids=page.tree_ids)
    renderer = ThreadRenderer(
        page, request.user, reactions=reactions, csrf_token=_reaction_token(request)
    )
    return render(
        request,
        "comments/comment_detail.html",
        {
            "article": comment.article,
            "comment": comment,
            "page": page,
            "context_html": renderer.render_context(),
            "thread_html": renderer.render(),
        },
    )


def _post(request, article: Article | None, parent_id: int | None):
    """Shared by top-level posts and replies: nudge, validate, create, redirect or swap.

    A reply names only its parent's id: the service reads the parent under the tree lock, so a
    successful reply reads it once. Pages that show the form again read it here, when needed.
    """
    form = CommentForm(request.POST)
    form.is_valid()  # every field is optional; the service owns the rules
    htmx = request.htmx

    def form_again(status: int, **extra):
        """The form back with the reader's text; htmx puts it in place of the form they sent."""
        parent = _reply_parent(parent_id) if parent_id is not None else None
        response = _render_comment_form(
            request, form, parent.article if parent else article, parent, status=status, **extra
        )
        if htmx:
            response["HX-Retarget"] = f"#comment-form-{parent_id or 'top'}"
            response["HX-Reswap"] = "outerHTML"
        return response

    if form.is_bot():
        security_log.warning("honeypot filled by user %s", request.user.pk)
        return form_again(400, errors=["Your comment could not be posted."])
    body = form.cleaned_data.get("body", "")
    try:
        comment = services.comment_create(
            article=article,
            author=request.user,
            body=body,
            parent=parent_id,
            nudge=not form.cleaned_data.get("post_anyway"),
        )
    except services.Nudge as nudge:
        return form_again(200, nudge=nudge.finding)
    except ValidationError as exc:
        return form_again(400, errors=_error_messages(exc))
    except PermissionDenied as exc:
        return form_again(403, errors=[str(exc)])
    except RateLimited as exc:
        response = form_again(429, errors=[str(exc)])
        response["Retry-After"] = str(exc.retry_after)
        return response
    if htmx:
        comment.author = request.user
        page = selectors.ThreadPage(
            article=comment.article,
            nodes=[selectors.ThreadNode.from_comment(comment)],
            sort="",
            page=1,
            has_more=False,
            show_all=False,
            top_level_total=0,
        )
        html = ThreadRenderer(page, request.user).render()
        slot = (
            f'<div class="reply-slot" id="reply-slot-{parent_id}" hx-swap-oob="true"></div>'
            if parent_id
            else ""
        )
        return HttpResponse(html + slot)
    return redirect(comment.get_absolute_url())


def _reply_parent(pk: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("article", "author"), pk=pk)


def _render_comment_form(request, form, article, parent, *, status=200, **extra) -> HttpResponse:
    """The comment form: a page of its own, or under htmx the fragment that replaces one."""
    template = "comments/_reply_form.html" if request.htmx else "comments/comment_form.html"
    return render(
        request,
        template,
        {"form": form, "article": article, "parent": parent, "action": request.path, **extra},
        status=status,
    )


@login_required
@require_POST
def comment_create(request, slug: str):
    article = get_object_or_404(Article, slug=slug)
    return _post(request, article, None)


@login_required
@require_http_methods(["GET", "POST"])
def comment_reply(request, pk: int):
    if request.method == "POST":
        return _post(request, None, pk)
    parent = visible_comment_or_404(request, pk)
    return _render_comment_form(request, CommentForm(), parent.article, parent)


def _own_comment(request, pk: int) -> Comment:
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if comment.author_id != request.user.pk:
        audit.record_denied(
            actor=request.user,
            comment=comment,
            note=f"{request.method} {request.path} on someone else's comment",
        )
        security_log.warning("user %s tried %s on comment %s", request.user.pk, request.path, pk)
        raise PermissionDenied("You can only change your own comments.")
    return comment


def _refused(exc) -> tuple[int, list[str], dict]:
    """A service's refusal as (status, messages, headers): what the page shows with the form."""
    if isinstance(exc, RateLimited):
        return 429, [str(exc)], {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, PermissionDenied):
        return 403, [str(exc)], {}
    return 400, _error_messages(exc), {}


def _with_headers(response, headers: dict):
    for name, value in headers.items():
        response[name] = value
    return response


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request, pk: int):
    comment = _own_comment(request, pk)
    context = {"comment": comment, "article": comment.article}
    if request.method == "POST":
        form = CommentForm(request.POST)
        form.is_valid()
        try:
            comment = services.comment_edit(
                comment=comment, body=form.cleaned_data.get("body", ""), acting_user=request.user
            )
        except (ValidationError, PermissionDenied, RateLimited) as exc:
            # The form comes back with the reader's text, whatever the refusal.
            status, errors, headers = _refused(exc)
            return _with_headers(
                render(
                    request,
                    "comments/comment_edit.html",
                    {**context, "form": form, "errors": errors},
                    status=status,
                ),
                headers,
            )
        return redirect(comment.get_absolute_url())
    if not edit_window_open(comment.created_at):
        return render(
            request,
            "comments/comment_edit.html",
            {**context, "form": None, "errors": ["The edit window for this comment has closed."]},
            status=400,
        )
    form = CommentForm(initial={"body": comment.body_raw})
    return render(request, "comments/comment_edit.html", {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def comment_delete(request, pk: int):
    comment = _own_comment(request, pk)
    if request.method == "POST":
        services.comment_delete_own(comment=comment, acting_user=request.user)
        return redirect(comment.get_absolute_url())
    return render(
        request, "comments/comment_delete.html", {"comment": comment, "article": comment.article}
    )


def _form_errors(form) -> list[str]:
    """A report form's own errors, each named for what the reader can fix."""
    if "reason" in form.errors:
        return ["Choose a reason from the list."]
    if "note" in form.errors:
        return [
            "The note contains a character that can't be stored (such as a NUL byte); "
            "remove it and retry."
        ]
    return [str(m) for errors in form.errors.values() for m in errors]


@login_required
@require_http_methods(["GET", "POST"])
def comment_flag(request, pk: int):
    comment = visible_comment_or_404(request, pk)
    form = FlagForm(request.POST or None)
    context = {"comment": comment, "article": comment.article, "form": form}
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request,
                "comments/comment_flag.html",
                {**context, "errors": _form_errors(form)},
                status=400,
            )
        try:
            moderation_services.comment_flag(
                comment=comment,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied, RateLimited) as exc:
            status, errors, headers = _refused(exc)
            return _with_headers(
                render(
                    request,
                    "comments/comment_flag.html",
                    {**context, "errors": errors},
                    status=status,
                ),
                headers,
            )
        return render(request, "comments/comment_flag_done.html", context)
    return render(request, "comments/comment_flag.html", context)


# The reaction button's answers: the button itself (htmx swaps it in place), else a redirect.
_PRESSED = {"1": True, "0": False, None: None}


@require_POST
def comment_react(request, pk: int):
    """Give or take back one's reaction (`pressed` 1 or 0 from the button; absent: toggle).

    Answers htmx with the form's new content (the button as it now stands); a plain form post
    with a redirect to the page the reader was on, at the comment's anchor. A refusal
    changes nothing and says why: with htmx as the button, unchanged, and the message beside
    it; without, on a page of its own. Anonymous readers are sent to sign in first, with the
    comment's page to come back to; comments they may not see are 404, as everywhere.
    """
    if not request.user.is_authenticated:
        to_login = redirect_to_login(reverse("comment_detail", args=[pk]))
        if request.htmx:  # signed out since the page loaded: the whole page goes to sign in
            return HttpResponseClientRedirect(to_login["Location"])
        return to_login
    comment = visible_comment_or_404(request, pk)
    pressed = request.POST.get("pressed")
    if pressed not in _PRESSED:
        return _reaction_refused(request, comment, 400, ["Unknown reaction: send 1 or 0."], {})
    try:
        result = services.reaction_set(
            comment=comment, acting_user=request.user, pressed=_PRESSED[pressed]
        )
    except (ValidationError, PermissionDenied, RateLimited) as exc:
        status, errors, headers = _refused(exc)
        return _reaction_refused(request, comment, status, errors, headers)
    if request.htmx:
        return HttpResponse(
            reaction_form_body(
                pk, result.count, result.pressed, reaction_label(), get_token(request)
            )
        )
    return redirect(_back_to(request, comment))


def _back_to(request, comment: Comment) -> str:
    """The page the reader reacted on (the Referer, if it is a page of this site: the
    Referrer-Policy is same-origin), at the comment's anchor; else the comment in its thread."""
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        if parts.path.startswith("/") and not parts.path.startswith("//"):
            return f"{parts.path}{'?' + parts.query if parts.query else ''}#c{comment.pk}"
    return comment.get_absolute_url()


def _reaction_refused(request, comment: Comment, status: int, errors: list[str], headers: dict):
    if request.htmx:
        pressed = selectors.has_reacted(comment.pk, request.user)
        message = "".join(
            f'<span class="react-error" role="alert">{escape(e)}</span>' for e in errors
        )
        body = reaction_form_body(
            comment.pk, comment.reaction_count, pressed, reaction_label(), get_token(request)
        )
        return _with_headers(HttpResponse(body + message, status=status), headers)
    return _with_headers(
        render(
            request,
            "comments/reaction_refused.html",
            {"comment": comment, "article": comment.article, "errors": errors},
            status=status,
        ),
        headers,
    )


def home(request):
    return render(
        request, "articles/home.html", {"articles": selectors.articles_with_counts()[:50]}
    )
