"""The audit recorder: every moderation-relevant change writes one append-only event.

Callers write the event in the same transaction as the change it records.
"""

from __future__ import annotations

from .models import ModerationEvent

Action = ModerationEvent.Action


def record(
    action,
    *,
    actor,
    comment=None,
    article=None,
    target_user=None,
    reason="",
    note="",
    before="",
    after="",
) -> ModerationEvent:
    """Write one event; `actor` None means the system (the detector, an importer)."""
    event = ModerationEvent(
        action=action,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "system",
        comment=comment,
        article=article if article is not None else getattr(comment, "article", None),
        target_user=target_user,
        reason=reason,
        note=note,
        state_before=before,
        state_after=after,
    )
    event.save()
    return event


def record_denied(*, actor, comment=None, note: str = "") -> None:
    """Log a refused attempt (a guessed id, someone else's comment) in the audit trail."""
    record(
        Action.DENIED,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        comment=comment,
        note=note,
    )
