"""A reader's public profile (/users/<username>/) and their own account pages (/accounts/me/).

The /accounts/me/ pages act on the signed-in account only. Their forms and links carry the
username they were shown for (`account`): a request naming another account (a tab left open
across a change of account, or a hand-edited URL) is refused with 403 and changes nothing.
"""

from __future__ import annotations

import json
import logging

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import InvalidPage
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.forms import DisplayNameForm
from accounts.roles import is_moderator
from newsroom.numbers import parse_page

from . import selectors, services
from .forms import DeleteAccountForm

security_log = logging.getLogger("newsroom.security")

# Built by the notifications app; linked only once that URL exists.
NOTIFICATIONS_PATH = "/accounts/me/notifications/"
ANOTHER_ACCOUNT = (
    "This page was opened for another account ({named}); you are signed in as {me}. "
    "Nothing was changed: open it again from your own account page."
)
LOCKED_OUT = (
    "Too many wrong passwords for this account from your address. Nothing was deleted. "
    "Try again in an hour."
)


def _not_found(request, message: str, first_page: str = ""):
    return render(
        request,
        "profiles/not_found.html",
        {"message": message, "first_page": first_page},
        status=404,
    )


@require_GET
def profile(request, username: str):
    """Published comments newest first, 20 a page, and the reactions they received."""
    owner = selectors.profile_owner(username)
    if owner is None:
        return _not_found(request, "No reader has that name.")
    number = parse_page(request.GET.get("page"), 1)
    try:
        if number is None:
            raise InvalidPage
        page = selectors.profile_page(owner, request.user, page=number)
    except InvalidPage:
        return _not_found(
            request,
            f"No such page: {owner.public_name}'s comments have no page {request.GET['page']}.",
            first_page=request.path,
        )
    return render(
        request,
        "profiles/profile.html",
        {
            "owner": owner,
            "page": page,
            "comments": page.object_list,
            "is_owner": selectors.is_owner(owner, request.user),
            "reactions_received": selectors.reactions_received(owner),
            "reaction_label": settings.NEWSROOM["REACTION_LABEL"],
            "viewer_moderates": is_moderator(request.user),
        },
    )


def _check_same_account(request, named: str | None) -> None:
    """Refuse a request that names an account other than the signed-in one."""
    if named is not None and named != request.user.get_username():
        security_log.warning(
            "user %s sent %s %s naming account %r",
            request.user.pk,
            request.method,
            request.path,
            named,
        )
        raise PermissionDenied(ANOTHER_ACCOUNT.format(named=named, me=request.user.get_username()))


def _notifications_url() -> str | None:
    try:
        resolve(NOTIFICATIONS_PATH)
    except Resolver404:
        return None
    return NOTIFICATIONS_PATH


def _me_page(request, name_form, status=200):
    return render(
        request,
        "profiles/me.html",
        {"name_form": name_form, "notifications_url": _notifications_url()},
        status=status,
    )


@never_cache
@login_required
@require_GET
def me(request):
    """The reader's settings: display name, password, notifications, their data, deletion."""
    return _me_page(request, DisplayNameForm(initial={"display_name": request.user.display_name}))


@login_required
@require_POST
def me_name(request):
    _check_same_account(request, request.POST.get("account"))
    form = DisplayNameForm(request.POST)
    if not form.is_valid():
        return _me_page(request, form, status=400)
    try:
        services.display_name_change(
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            acting_user=request.user,
        )
    except ValidationError as exc:
        form.add_error("display_name", exc)
        return _me_page(request, form, status=400)
    messages.success(request, f"Your comments now show the name {request.user.display_name}.")
    return redirect("account_me")


@never_cache
@login_required
@require_GET
def me_data(request):
    """Everything Newsroom holds about the signed-in reader, as a JSON download."""
    _check_same_account(request, request.GET.get("account"))
    export = selectors.data_export(request.user)
    response = HttpResponse(
        json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"newsroom-data-{request.user.get_username()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _locked_out(request, credentials) -> bool:
    return settings.AXES_ENABLED and not AxesProxyHandler.is_allowed(request, credentials)


def _delete_page(request, form, status=200):
    return render(
        request,
        "profiles/delete.html",
        {"form": form, "deleted_comments_shown": settings.NEWSROOM["DELETED_ACCOUNT_COMMENTS"]},
        status=status,
    )


@never_cache
@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def me_delete(request):
    """GET asks for the password; POST with the right one deletes the account (services).

    Wrong passwords count with django-axes as failed sign-ins of the account do: a stolen
    session cannot guess its way to deleting it.
    """
    if request.method == "GET":
        return _delete_page(request, DeleteAccountForm())
    _check_same_account(request, request.POST.get("account"))
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        return _delete_page(request, form, status=400)
    credentials = {"username": request.user.get_username()}
    if _locked_out(request, credentials):
        form.add_error(None, LOCKED_OUT)
        return _delete_page(request, form, status=429)
    try:
        summary = services.account_delete(
            user=request.user, password=form.cleaned_data["password"], acting_user=request.user
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "wrong_password":
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                form.add_error(None, LOCKED_OUT)
                return _delete_page(request, form, status=429)
        form.add_error(None, exc)
        return _delete_page(request, form, status=400)
    logout(request)
    kept = {
        services.KEEP: "they stay in their threads under “[deleted user]”",
        services.HIDE: "they show as “[deleted]” in their threads",
        services.SCRUB: "their text is erased; they show as “[deleted]”",
    }[summary.mode]
    messages.success(
        request,
        "Your account is deleted and you are signed out. "
        + (f"Your comments: {kept}." if summary.comments else ""),
    )
    return redirect("home")
