"""Numbers read from requests: anything past what the database can hold is refused, not a 500."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest primary key a BigAutoField (SQLite and PostgreSQL) can hold
MAX_PAGE = 100_000  # far past any real list; larger page numbers are a 404


def parse_id(value) -> int | None:
    """A primary key from user input, or None if it is not one the database could hold."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


def parse_page(value, default: int = 1) -> int | None:
    """A page number: `default` when missing or malformed, None (answer 404) when too large."""
    if value is None or value == "":
        return default
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    if number > MAX_PAGE:
        return None
    return max(1, number)
