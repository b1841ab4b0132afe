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


MAX_VERSION = 2**63 - 1  # a PositiveBigIntegerField (an article's thread version) holds no more


def parse_version(value: str | None, name: str = "since") -> tuple[int | None, str]:
    """A thread version from user input as (version, ""), or (None, what is wrong with it).

    Only plain ASCII digits: int() would also take " 7", "+7", "7_0" and other scripts' digits.
    """
    if value is None or value == "":
        return None, f"Missing '{name}': the thread version the page was built from."
    digits = value[1:] if value.startswith("-") else value
    if not (digits.isascii() and digits.isdigit()):
        return None, f"'{name}' must be a whole number (a thread version), not {value[:40]!r}."
    if value.startswith("-"):
        return None, f"'{name}' cannot be negative."
    digits = digits.lstrip("0") or "0"
    if len(digits) > 19 or int(digits) > MAX_VERSION:
        return None, f"'{name}' is larger than any thread version."
    return int(digits), ""
