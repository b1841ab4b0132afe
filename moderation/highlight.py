"""Mark the detector's findings in a comment's raw text for the moderation card."""

from html import escape


def highlight_findings(raw: str, findings) -> str:
    """Escaped raw text with each finding's span in a focusable <mark> explaining the rule.

    Findings carry offsets into the raw text, so marks go on the raw text (escaped here) rather
    than into the sanitized HTML, whose offsets differ.
    """
    out, pos = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        start, end = max(f.start, pos), min(f.end, len(raw))
        if start >= end:
            continue
        out.append(escape(raw[pos:start]))
        title = escape(f"{f.explanation} (rule: {f.rule}; group: {f.canonical}, {f.category})")
        out.append(
            f'<mark class="finding" tabindex="0" title="{title}" data-rule="{escape(f.rule)}">'
            f"{escape(raw[start:end])}</mark>"
        )
        pos = end
    out.append(escape(raw[pos:]))
    paragraphs = "".join(out).replace("\r\n", "\n").split("\n\n")
    return "".join(f"<p>{p.strip().replace(chr(10), '<br>')}</p>" for p in paragraphs if p.strip())
