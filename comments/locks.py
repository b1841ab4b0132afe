"""Serializing tree writes.

django-mptt leaves mutual exclusion to its caller: two unserialized inserts into one tree produce
duplicate lft/rght, and two new roots can get the same tree_id. On PostgreSQL we take
transaction-scoped advisory locks (they work through PgBouncer in transaction mode); SQLite runs
every transaction with BEGIN IMMEDIATE (see settings), which serializes writers already.
"""

from django.conf import settings
from django.db import DatabaseError, connection

from .models import Comment

# Two-key advisory locks: (namespace, id). Namespaces keep our keys apart from anyone else's.
_TREE_NAMESPACE = 7301  # one lock per tree_id: replies in one top-level comment's subtree
_ROOTS_NAMESPACE = 7302  # one global lock: allocating tree_id for a new top-level comment


class TreeBusy(Exception):
    """The tree lock could not be taken within the bounded wait; the caller should retry."""


def _locking(select: str):
    """Run `select` (which takes an advisory lock) under the bounded lock wait; its rows."""
    timeout_ms = int(settings.NEWSROOM["TREE_LOCK_TIMEOUT_MS"])
    try:
        with connection.cursor() as cursor:
            # SET LOCAL lasts until the end of the surrounding transaction, like the lock. Both
            # statements go in one round trip (integers only, so no parameters are needed).
            cursor.execute(f"SET LOCAL lock_timeout = {int(timeout_ms)}; {select}")
            cursor.nextset()  # past SET, to the SELECT's rows
            return cursor.fetchall()
    except DatabaseError as exc:
        # psycopg raises LockNotAvailable (SQLSTATE 55P03) when lock_timeout expires.
        if getattr(exc.__cause__, "sqlstate", None) == "55P03":
            raise TreeBusy("The thread is busy; please try again.") from exc
        raise


def _advisory_lock(namespace: int, key: int) -> None:
    if connection.vendor == "postgresql":
        _locking(f"SELECT pg_advisory_xact_lock({int(namespace)}, {int(key)})")


def lock_tree(tree_id: int) -> None:
    """Serialize writes to one top-level comment's tree. Call inside transaction.atomic()."""
    _advisory_lock(_TREE_NAMESPACE, tree_id)


def lock_tree_of(comment_id: int) -> int | None:
    """Lock the tree holding this comment and return its tree_id; None if there is no such comment.

    One round trip on PostgreSQL: the statement that reads the tree_id takes the lock. The row
    it read may change before the lock is granted, so the caller re-reads the comment under the
    lock and gives up (TreeBusy) if its tree_id moved meanwhile.
    """
    if connection.vendor != "postgresql":  # BEGIN IMMEDIATE already serializes writers
        return Comment.objects.filter(pk=comment_id).values_list("tree_id", flat=True).first()
    rows = _locking(
        f"SELECT tree_id, pg_advisory_xact_lock({_TREE_NAMESPACE}, tree_id) "  # noqa: S608
        f"FROM {Comment._meta.db_table} WHERE id = {int(comment_id)}"
    )  # integers only
    return rows[0][0] if rows else None


def lock_new_roots() -> None:
    """Serialize tree_id allocation for new top-level comments. Call inside transaction.atomic()."""
    _advisory_lock(_ROOTS_NAMESPACE, 0)
