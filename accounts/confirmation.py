"""The link that confirms a sign-up's e-mail address: signed, timed, good once.

`django.core.signing` (HMAC-SHA256 over SECRET_KEY, with a timestamp) carries the account's id,
a digest of the address the link was sent to, and where the reader was going. A link is refused
if its signature does not verify (tampered), if it is older than CONFIRMATION_LINK_DAYS
(expired), if the account's address changed since, or if the account is no longer waiting for
confirmation (used already, or never a sign-up: staff-deactivated accounts stay so).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

from .models import User

SALT = "newsroom.accounts.confirmation"


class LinkRefused(Exception):
    """Why a confirmation link does nothing; `reason` is one of the class attributes."""

    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:20]


def make_token(user: User, next_url: str = "") -> str:
    return signing.dumps(
        {"u": user.pk, "e": _digest(user.email), "n": next_url}, salt=SALT, compress=True
    )


def max_age_seconds() -> int:
    return settings.NEWSROOM["CONFIRMATION_LINK_DAYS"] * 86400


def read_token(token: str, *, for_update: bool = False) -> tuple[User, str]:
    """(the account waiting for this link, where to go next), or LinkRefused."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age_seconds())
    except signing.SignatureExpired:
        raise LinkRefused(LinkRefused.EXPIRED) from None
    except signing.BadSignature:
        raise LinkRefused(LinkRefused.INVALID) from None
    if not (isinstance(data, dict) and isinstance(data.get("u"), int)):
        raise LinkRefused(LinkRefused.INVALID)
    accounts = User._default_manager.select_for_update() if for_update else User._default_manager
    user = accounts.filter(pk=data["u"]).first()
    if user is None or not constant_time_compare(str(data.get("e")), _digest(user.email)):
        raise LinkRefused(LinkRefused.INVALID)
    if not user.awaiting_confirmation:
        raise LinkRefused(LinkRefused.USED)
    next_url = data.get("n")
    return user, next_url if isinstance(next_url, str) else ""
