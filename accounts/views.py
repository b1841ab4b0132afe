from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from newsroom.clientip import client_address
from newsroom.ratelimits import RateLimited, check_signup

from . import backends
from .forms import SignInForm, SignUpForm


@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_signup(client_address(request))
        except RateLimited as exc:
            form.add_error(None, str(exc))
            response = render(request, "registration/signup.html", {"form": form}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        user = form.save()
        login(request, user, backend=backends.PATH)
        return redirect("home")
    return render(
        request, "registration/signup.html", {"form": form}, status=400 if form.errors else 200
    )


class SignInView(LoginView):
    """Django's sign-in, by e-mail address or username (accounts.backends)."""

    authentication_form = SignInForm


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout: 429, when to retry, and the sign-in form with the username kept.

    The same page whatever the username, so it says nothing about whether the account exists.
    """
    form = SignInForm(request, data={"username": request.POST.get("username", "")})
    response = render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {"form": form, "next": request.POST.get("next", "")},
        status=429,
    )
    cooloff = settings.AXES_COOLOFF_TIME
    hours = cooloff.total_seconds() / 3600 if hasattr(cooloff, "total_seconds") else cooloff
    response["Retry-After"] = str(int(hours * 3600))
    return response
