"""URLs for many ids with one reverse() each: reverse() is the costliest call in a per-comment
loop."""

from django.urls import reverse

_PLACEHOLDER = "987654321"  # an id no real URL pattern treats specially


def around_id(name: str, *after: object) -> tuple[str, str]:
    """(before, after) such that before + str(pk) + after is reverse(name, args=[pk, *after])."""
    before, rest = reverse(name, args=[int(_PLACEHOLDER), *after]).split(_PLACEHOLDER, 1)
    return before, rest
