"""The detector as the desk uses it: staff-added terms, findings stored, a detector flag filed."""

from __future__ import annotations

from django.core.cache import cache

from comments.models import Comment, Reason

from . import detection
from .models import DetectorTerm, Finding, Flag

Status = Comment.Status

_terms_memo: tuple[object, tuple[detection.ExtraTerm, ...]] = (-1, ())


def detector_extra_terms() -> tuple[detection.ExtraTerm, ...]:
    """Staff-added lexicon entries, re-read only when the admin changed them (shared cache)."""
    global _terms_memo
    version = cache.get_or_set("detector-terms-version", 0, None)
    if _terms_memo[0] != version:
        terms = tuple(
            detection.ExtraTerm(
                canonical=t.canonical,
                category=t.category,
                forms=tuple(f.strip() for f in t.forms.splitlines() if f.strip()),
                derogatory=t.is_derogatory,
            )
            for t in DetectorTerm.objects.order_by("pk")
        )
        _terms_memo = (version, terms)
    return _terms_memo[1]


def detector_terms_changed() -> None:
    """Tell every app server to reload the staff-added lexicon entries."""
    try:
        cache.incr("detector-terms-version")
    except ValueError:
        cache.set("detector-terms-version", 1, None)


def run_detector(text: str) -> detection.DetectionResult:
    return detection.detect(text, extra_terms=detector_extra_terms())


def unsaved_findings(comment: Comment, result) -> list[Finding]:
    """The detector's findings on a comment as rows to save (in bulk, by the caller)."""
    return [
        Finding(
            comment=comment,
            start=f.start,
            end=f.end,
            match=f.match,
            group=f.group,
            canonical=f.canonical,
            category=f.category,
            rule=f.rule,
            severity=f.severity,
            explanation=f.explanation,
            detector_version=detection.DETECTOR_VERSION,
        )
        for f in result.findings
    ]


def detector_flag(comment: Comment, result) -> Flag:
    """The open flag the detector files on a published comment it found something in."""
    return Flag(
        comment=comment,
        is_detector=True,
        reason=Reason.SECTARIAN,
        note=result.findings[0].explanation,
    )


def store_findings(comment: Comment, result, *, new: bool = False) -> None:
    """Save the detector's findings on a comment, and flag it for the queue if it is published.

    Posting, editing, re-scanning and importing all file findings through this module, so a
    comment that entered any way is in the queue the same way.
    """
    if not new:  # an edit or re-scan supersedes what the detector said before
        Finding.objects.filter(comment=comment, is_current=True).update(is_current=False)
    Finding.objects.bulk_create(unsaved_findings(comment, result))
    if result.findings and comment.status == Status.PUBLISHED:
        _, created = Flag.objects.get_or_create(
            comment=comment,
            is_detector=True,
            defaults={"reason": Reason.SECTARIAN, "note": result.findings[0].explanation},
        )
        if not created:
            Flag.objects.filter(comment=comment, is_detector=True).update(is_open=True)
        Comment.objects.filter(pk=comment.pk).update(
            open_flag_count=Flag.objects.filter(comment=comment, is_open=True).count()
        )
