"""Accounts' writes: sign-up, confirming an address, a new confirmation link, a reset password.

Sign-up never says whether an address has an account. Whatever was typed, the reader is told
"check your inbox", and the mailbox gets the answer: a confirmation link for a new account, or,
if the address already belongs to one, a note saying so with links to sign in and to reset
the password. Both paths hash the password and send one mail after the transaction commits,
so neither the page, the status, the rate limits nor the time taken tell them apart.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from newsroom import ratelimits

from . import confirmation
from .models import User
from .names import imitates_a_role

log = logging.getLogger("newsroom.errors")

_SUFFIX_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


@dataclass(frozen=True)
class Site:
    """Where links in mails point: the scheme and host the reader used, e.g. https://news.example.com"""

    base_url: str

    def url(self, name: str, *args) -> str:
        return self.base_url.rstrip("/") + reverse(name, args=args)


def generate_username(display_name: str) -> str:
    """A login name nobody chose: the display name's slug and a random suffix, unused so far.

    Readers sign in with their e-mail address; the username is shown to them once they have
    confirmed it, and never reads as a role (the suffix could spell one: "57aff2").
    """
    stem = slugify(display_name)[:24].strip("-_") or "reader"
    for _ in range(20):
        suffix = "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(6))
        candidate = f"{stem}-{suffix}"
        if imitates_a_role(candidate):
            stem = "reader"
            continue
        if not User._default_manager.filter(username=candidate).exists():
            return candidate
    raise RuntimeError("no free username found")  # 20 collisions among 31**6 suffixes


def _mail(to: str, template: str, context: dict) -> None:
    """Render now, send once the transaction has committed; a failure to send is logged (the
    reader can ask for the link again), never turned into an error page that would differ."""
    if not ratelimits.may_mail(to):
        log.warning("account mail to one recipient over the hourly limit: dropped (%s)", template)
        return
    subject = "".join(
        render_to_string(f"registration/mail/{template}_subject.txt", context).splitlines()
    )
    body = render_to_string(f"registration/mail/{template}_body.txt", context)

    def send():
        try:
            send_mail(subject, body, None, [to])
        except Exception:  # SMTP down, refused, timed out: logged, and the page stays the same
            log.exception("could not send the %s mail", template)

    transaction.on_commit(send)


def _mail_confirmation(user: User, next_url: str, site: Site) -> None:
    link = site.url("signup_confirm", confirmation.make_token(user, next_url))
    _mail(
        user.email,
        "confirm",
        {"user": user, "link": link, "days": settings.NEWSROOM["CONFIRMATION_LINK_DAYS"]},
    )


def _mail_account_exists(holder: User, site: Site) -> None:
    if holder.awaiting_confirmation:
        # Its owner may never have got the first mail: send them a working link instead.
        return _mail_confirmation(holder, "", site)
    _mail(
        holder.email,
        "account_exists",
        {
            "user": holder,
            "login_url": site.url("login"),
            "reset_url": site.url("password_reset"),
        },
    )


def sign_up(*, email: str, display_name: str, password: str, next_url: str, site: Site) -> None:
    """Create an inactive account and mail its confirmation link, or, if the address is taken,
    create nothing and mail its owner. Returns nothing: the caller must not be able to tell."""
    password_hash = make_password(password)  # paid on both paths
    with transaction.atomic():
        holder = User.objects.holding_email(email).first()
        for _ in range(5):
            if holder is not None:
                break
            user = User(
                username=generate_username(display_name),
                email=email,
                display_name=display_name,
                password=password_hash,
                is_active=False,
                awaiting_confirmation=True,
            )
            try:
                with transaction.atomic():
                    user.save()
            except IntegrityError:  # the same address or username, committed a moment ago
                holder = User.objects.holding_email(email).first()
                continue
            _mail_confirmation(user, next_url, site)
            return
        if holder is None:
            raise RuntimeError("sign-up kept colliding")
        _mail_account_exists(holder, site)


def resend_confirmation(*, email: str, site: Site) -> None:
    """A new link for an account waiting for one; its owner's note for an account that is not
    waiting; nothing for an address without an account. The caller cannot tell which."""
    holder = User.objects.holding_email(email).first()
    if holder is not None:
        _mail_account_exists(holder, site)


class WrongPassword(Exception):
    """The password typed on the confirmation page is not the one chosen at sign-up."""


def confirm(token: str, password: str) -> tuple[User, str]:
    """Activate the account the link was sent for; (the account, where to go next).

    The link alone is not enough: anyone can sign up with someone else's address, and the
    mailbox's owner, following the link, would activate an account whose password a stranger
    chose. So the password chosen at sign-up must be typed too; whoever has the mailbox but
    not that password sets a new one instead (reset_password), which confirms the account.

    Raises confirmation.LinkRefused for a tampered, expired or used link and WrongPassword for
    a wrong password, changing nothing. The row is locked while it is read, so two clicks at
    once activate it once.
    """
    with transaction.atomic():
        user, next_url = confirmation.read_token(token, for_update=True)
        if not user.check_password(password):
            raise WrongPassword
        user.is_active = True
        user.awaiting_confirmation = False
        user.save(update_fields=["is_active", "awaiting_confirmation"])
    return user, next_url


def reset_password(user: User, password: str) -> bool:
    """Set the password chosen through a password-reset link; True if that confirmed the account.

    The reset link went to the account's address, so following it proves the mailbox as the
    confirmation link does; and the password set here replaces the one typed at sign-up, by
    whoever typed it. An account still waiting for confirmation is therefore activated. One
    that staff deactivated (not waiting) stays deactivated: only its password changes.
    """
    with transaction.atomic():
        waiting = (
            User._default_manager.select_for_update()
            .filter(pk=user.pk, awaiting_confirmation=True)
            .exists()
        )
        user.set_password(password)
        fields = ["password"]
        if waiting:
            user.is_active = True
            user.awaiting_confirmation = False
            fields += ["is_active", "awaiting_confirmation"]
        user.save(update_fields=fields)
    return waiting


def anonymise(user: User) -> User:
    """Scrub an account its owner deleted, keeping the row: comments, flags and the moderation
    record point at it (several with PROTECT or CASCADE), and moderation never loses data.

    Call it inside the deletion's transaction, with the row locked. What named the owner or
    reached them goes (address, names, password, roles); the primary key stays, the username
    becomes `deleted-<pk>` and the account can never sign in again (inactive, unusable
    password: every session of it fails its next request).
    """
    user.username = f"deleted-{user.pk}"
    user.email = ""
    user.display_name = ""
    user.first_name = ""
    user.last_name = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.awaiting_confirmation = False
    user.last_login = None
    user.deleted_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    return user
