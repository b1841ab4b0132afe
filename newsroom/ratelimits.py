"""Rate limits, kept in a cache every worker and app server shares (settings.CACHES["ratelimits"]).

That cache is Redis with REDIS_URL, else the database: never a per-process memory, in which
each worker would keep its own count. Each limit is a fixed window: a counter incremented
atomically (cache.add then cache.incr, atomic in Redis and in newsroom.cache), and beside it
the window's end time, so the refusal can say when to retry. If the cache is unreachable the
limits fail open: an outage of Redis must not stop readers from posting.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone


class RateLimited(Exception):
    """Too many actions too quickly; `retry_after` is in seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = max(1, int(retry_after))


def _limits() -> dict:
    return settings.NEWSROOM["RATE_LIMITS"]


def _cache():
    return caches["ratelimits"]


def _window(key: str, seconds: int, limit: int = 1) -> int:
    """Count one action in a window; return seconds to wait if this one goes over, else 0."""
    cache, now = _cache(), time.time()
    cache.add(f"{key}:ends", now + seconds, seconds)
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr: this is the first of the next
        return 0
    if not isinstance(count, int):
        return 0  # the cache is down: fail open
    if count <= limit:
        return 0
    ends = cache.get(f"{key}:ends") or now + seconds
    return int(ends - now) + 1


def _forget(key: str) -> None:
    _cache().delete_many([key, f"{key}:ends"])


def _wait_message(what: str, seconds: int) -> str:
    if seconds < 120:
        return f"{what} Please wait {seconds} second{'s' if seconds != 1 else ''} and try again."
    return f"{what} Please try again in {seconds // 60} minutes."


def check_comment(user, body: str) -> None:
    """One comment per interval per user (longer for new accounts); no identical repeats."""
    limits = _limits()
    if not limits["ENABLED"]:
        return
    young = timezone.now() - user.date_joined < timezone.timedelta(days=1)
    interval = limits["NEW_ACCOUNT_COMMENT_SECONDS"] if young else limits["COMMENT_SECONDS"]
    digest = hashlib.sha256(" ".join(body.split()).lower().encode()).hexdigest()[:24]
    wait = _window(f"rl:dup:{user.pk}:{digest}", limits["DUPLICATE_SECONDS"])
    if wait:
        raise RateLimited(_wait_message("You have just posted this same comment.", wait), wait)
    wait = _window(f"rl:comment:{user.pk}", interval)
    if wait:
        _forget(f"rl:dup:{user.pk}:{digest}")  # refused, so not a duplicate next time
        raise RateLimited(_wait_message("You are commenting too quickly.", wait), wait)


def check_flag(user) -> None:
    limits = _limits()
    if not limits["ENABLED"]:
        return
    wait = _window(f"rl:flags:{user.pk}", 86400, limits["FLAGS_PER_DAY"])
    if wait:
        raise RateLimited(
            _wait_message(
                f"You can report at most {limits['FLAGS_PER_DAY']} comments a day.", wait
            ),
            wait,
        )


def check_edit(user) -> None:
    limits = _limits()
    if not limits["ENABLED"]:
        return
    wait = _window(f"rl:edits:{user.pk}", 3600, limits["EDITS_PER_HOUR"])
    if wait:
        raise RateLimited(_wait_message("You are editing too often.", wait), wait)


def check_reaction(user) -> None:
    """At most REACTIONS_PER_MINUTE reactions (or withdrawals) a minute per reader.

    Every toggle writes, and invalidates the article's stored anonymous pages: a script
    flipping one button must not turn that into a stream of writes.
    """
    limits = _limits()
    if not limits["ENABLED"]:
        return
    wait = _window(f"rl:reactions:{user.pk}", 60, limits["REACTIONS_PER_MINUTE"])
    if wait:
        raise RateLimited(_wait_message("You are reacting too quickly.", wait), wait)


def check_signup(address: str) -> None:
    limits = _limits()
    if not limits["ENABLED"]:
        return
    wait = _window(f"rl:signup:{address}", 3600, limits["SIGNUPS_PER_ADDRESS_PER_HOUR"])
    if wait:
        raise RateLimited(
            _wait_message("Too many accounts were created from your address.", wait), wait
        )


def check_confirmation_resend(address: str) -> None:
    """Requests for a new confirmation link from one client address, counted whatever the
    address asked about (so that a refusal says nothing about it)."""
    limits = _limits()
    if not limits["ENABLED"]:
        return
    wait = _window(
        f"rl:resend:{address}", 3600, limits["CONFIRMATION_RESENDS_PER_ADDRESS_PER_HOUR"]
    )
    if wait:
        raise RateLimited(
            _wait_message("Too many confirmation links were asked for from your address.", wait),
            wait,
        )


def may_mail(recipient: str) -> bool:
    """Whether one more account mail (confirmation, "you already have an account") may go to
    this mailbox this hour. Past the limit the mail is dropped, not refused: the page the
    requester sees stays the same, and nobody can fill a stranger's inbox through sign-up."""
    limits = _limits()
    if not limits["ENABLED"]:
        return True
    digest = hashlib.sha256(recipient.strip().lower().encode()).hexdigest()[:24]
    return not _window(f"rl:mailto:{digest}", 3600, limits["ACCOUNT_MAILS_PER_RECIPIENT_PER_HOUR"])
