from urllib.parse import urlsplit

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView, PasswordResetConfirmView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from newsroom.clientip import client_address
from newsroom.ratelimits import RateLimited, check_confirmation_resend, check_signup

from . import backends, services
from .confirmation import LinkRefused, read_token
from .forms import ConfirmForm, ConfirmingSetPasswordForm, ResendForm, SignInForm, SignUpForm

# The address this browser last signed up with (or asked a link for): what "check your inbox"
# and the sign-in page remind it of. The same whether or not the address has an account.
SENT_TO = "accounts.confirmation_sent_to"


def _site(request) -> services.Site:
    return services.Site(request.build_absolute_uri("/"))


def _safe_next(request, url: str | None = None) -> str:
    """`next` if it stays on this site (as Django's sign-in and the desk's views check it)."""
    if url is None:
        url = request.POST.get("next") or request.GET.get("next") or ""
    if len(url) > 2000 or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    # Not back into these pages (sign-in, sign-up, "check your inbox"): to what came before.
    if urlsplit(url).path.startswith(reverse("signup").removesuffix("signup/")):
        return ""
    return url


def _too_many(request, template, context, exc: RateLimited):
    context["form"].add_error(None, str(exc))
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request):
    """The same answer (a redirect to "check your inbox") whether or not the address is taken."""
    next_url = _safe_next(request)
    form = SignUpForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "next": next_url}
    if request.method == "POST" and form.is_valid():
        try:
            # Every sign-up that would send a mail counts, taken address or not.
            check_signup(client_address(request))
        except RateLimited as exc:
            return _too_many(request, "registration/signup.html", context, exc)
        email = form.cleaned_data["email"]
        services.sign_up(
            email=email,
            display_name=form.cleaned_data["display_name"],
            password=form.cleaned_data["password1"],
            next_url=next_url,
            site=_site(request),
        )
        request.session[SENT_TO] = email
        return redirect("signup_sent")
    return render(request, "registration/signup.html", context, status=400 if form.errors else 200)


@require_GET
def signup_sent(request):
    address = request.session.get(SENT_TO)
    if not address:
        return redirect("signup")
    days = settings.NEWSROOM["CONFIRMATION_LINK_DAYS"]
    return render(request, "registration/signup_sent.html", {"address": address, "days": days})


@require_http_methods(["GET", "POST"])
def signup_resend(request):
    """A new confirmation link; the same answer whatever the address (see services)."""
    form = ResendForm(
        request.POST if request.method == "POST" else None,
        initial={"email": request.session.get(SENT_TO, "")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            check_confirmation_resend(client_address(request))
        except RateLimited as exc:
            return _too_many(request, "registration/signup_resend.html", {"form": form}, exc)
        email = form.cleaned_data["email"]
        services.resend_confirmation(email=email, site=_site(request))
        request.session[SENT_TO] = email
        return redirect("signup_sent")
    return render(
        request,
        "registration/signup_resend.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


_REFUSED_STATUS = {LinkRefused.INVALID: 400, LinkRefused.EXPIRED: 410, LinkRefused.USED: 410}


def _link_refused(request, reason: str):
    days = settings.NEWSROOM["CONFIRMATION_LINK_DAYS"]
    return render(
        request,
        "registration/signup_confirm.html",
        {"refused": reason, "days": days},
        status=_REFUSED_STATUS[reason],
    )


LOCKED_OUT = (
    "Too many wrong passwords for this account from your address. Nothing was changed. "
    "Try again in an hour, or set a new password with the link below."
)


def _lockout_seconds() -> int:
    cooloff = settings.AXES_COOLOFF_TIME
    hours = cooloff.total_seconds() / 3600 if hasattr(cooloff, "total_seconds") else cooloff
    return int(hours * 3600)


def _confirm_page(request, user, form, status=200):
    context = {"email": user.email, "form": form}
    response = render(request, "registration/signup_confirm.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(_lockout_seconds())
    return response


def _locked_out(request, credentials) -> bool:
    return settings.AXES_ENABLED and not AxesProxyHandler.is_allowed(request, credentials)


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def signup_confirm(request, token):
    """GET shows what the link confirms and asks for the password chosen at sign-up; POST
    activates the account if that password is right, signs the reader in and takes them where
    they were going. Mail scanners that follow every link with GET therefore use nothing up.

    The link alone activates nothing: someone may have signed up with this address and a
    password of their own (services.confirm). Wrong passwords count with django-axes exactly as
    failed sign-ins do, per account and client address, in the same count; past the limit the
    page answers 429, right password or not. Whoever has the mailbox but not the password is
    offered a password reset, which confirms the account (services.reset_password). A refused
    link or a wrong password changes nothing.
    """
    try:
        user, _ = read_token(token)
    except LinkRefused as exc:
        return _link_refused(request, exc.reason)
    if request.method == "GET":
        return _confirm_page(request, user, ConfirmForm())
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _confirm_page(request, user, form, status=400)
    credentials = {"username": user.get_username()}
    if _locked_out(request, credentials):
        form.add_error(None, LOCKED_OUT)
        return _confirm_page(request, user, form, status=429)
    try:
        user, next_url = services.confirm(token, form.cleaned_data["password"])
    except LinkRefused as exc:
        return _link_refused(request, exc.reason)
    except services.WrongPassword:
        # Recorded as a failed sign-in of this account (axes' signal handler).
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            form.add_error(None, LOCKED_OUT)
            return _confirm_page(request, user, form, status=429)
        form.add_wrong_password()
        return _confirm_page(request, user, form, status=400)
    login(request, user, backend=backends.PATH)
    request.session.pop(SENT_TO, None)
    messages.success(
        request,
        f"Your address is confirmed and you are signed in. Next time, sign in with {user.email} "
        f"(or your username, {user.username}).",
    )
    return redirect(_safe_next(request, next_url) or "home")


class ResetPasswordConfirmView(PasswordResetConfirmView):
    """Django's last step of a password reset; on an account still waiting for confirmation it
    confirms the address as well (the reset link came to it)."""

    form_class = ConfirmingSetPasswordForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.confirmed:
            messages.success(
                self.request,
                f"Your address is confirmed and your new password set: sign in with "
                f"{form.user.email} and that password.",
            )
        return response


class SignInView(LoginView):
    """Django's sign-in, by e-mail address or username (accounts.backends).

    A reader whose browser has just signed up is reminded to confirm first, and offered a new
    link; that reminder comes from this browser's own session, not from the account, so a
    failed sign-in looks the same for an unconfirmed account, a wrong password and nobody.
    """

    authentication_form = SignInForm

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(SENT_TO, None)  # signed in: nothing left to remind of
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sent_to"] = self.request.session.get(SENT_TO, "")
        return context


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout: 429, when to retry, and the sign-in form with the username kept.

    The same page whatever the username, so it says nothing about whether the account exists.
    """
    if original_response is not None and original_response.status_code == 429:
        return original_response  # a page that answers its own lockout (signup_confirm)
    form = SignInForm(request, data={"username": request.POST.get("username", "")})
    response = render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"form": form, "next": request.POST.get("next", "")},
        status=429,
    )
    response["Retry-After"] = str(_lockout_seconds())
    return response
