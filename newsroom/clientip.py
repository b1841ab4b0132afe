"""The client's address, as rate limits and login throttling key on it.

Behind a reverse proxy REMOTE_ADDR is the proxy's, the same for everyone: one reader would lock
out every other. With NEWSROOM_TRUSTED_PROXY_COUNT=N (the number of proxies in front that each
append to X-Forwarded-For), the address is the Nth from the right of that header: the one the
outermost trusted proxy saw. Entries further left were written by the client and are ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "NEWSROOM_TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < count:
        return remote  # not through the configured proxies: what the socket says
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
