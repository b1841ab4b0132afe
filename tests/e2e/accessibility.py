"""axe-core in the page under test: `assert_accessible(page, context=...)`.

axe-core itself comes from the axe-playwright-python package, which ships its axe.min.js
(MPL-2.0) and injects it with Playwright's `page.evaluate`; evaluation through the browser's
debugging protocol is not subject to the page's Content-Security-Policy, so the policy stays as
strict as it is in production. Only the WCAG 2.0 and 2.1 level A and AA rules run.

A violation that cannot be fixed in our own markup (a third-party widget) is allowed with
`allow=[Allowed(rule, selector, why)]`: that one rule on the elements matching that one selector,
with the reason in the test. Nothing else is excluded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tests.e2e.availability import browser_unavailable

WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

_SNIPPET = 160  # characters of each failing element's HTML in the report


@dataclass(frozen=True)
class Allowed:
    """One axe rule not counted on the elements matching one CSS selector, and why."""

    rule: str
    selector: str
    why: str

    def __post_init__(self):
        if not self.why.strip():
            raise ValueError(f"say why {self.rule} is allowed on {self.selector}")


def _axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:  # as without playwright: skipped with the reason, failed under CI
        browser_unavailable(
            "the axe-playwright-python package is not installed (pip install -e '.[dev]')"
        )
    return Axe()


def axe_violations(page, *, allow: Iterable[Allowed] = ()) -> list[dict]:
    """axe's violations on the page as it stands (WCAG 2.1 A/AA rules), less those allowed."""
    options = {
        "runOnly": {"type": "tag", "values": list(WCAG_21_AA)},
        "resultTypes": ["violations"],
    }
    violations = _axe().run(page, options=options).response["violations"]
    allow = list(allow)
    if not allow:
        return violations
    kept = []
    for violation in violations:
        selectors = [a.selector for a in allow if a.rule == violation["id"]]
        nodes = [
            node
            for node in violation["nodes"]
            if not (selectors and _matches(page, node["target"], selectors))
        ]
        if nodes:
            kept.append({**violation, "nodes": nodes})
    return kept


def _matches(page, target: list, selectors: list[str]) -> bool:
    # A target is a list of selectors only when the element is in a frame or a shadow root;
    # the site has neither, so its first selector finds the element.
    return page.evaluate(
        "([target, selectors]) => { const el = document.querySelector(target);"
        " return !!el && selectors.some((s) => el.matches(s)); }",
        [target[0], selectors],
    )


def format_violations(violations: list[dict], context: str) -> str:
    """A readable list: each rule with its impact and help URL, then every failing element."""
    count = sum(len(v["nodes"]) for v in violations)
    lines = [f"{context}: {len(violations)} axe rule(s) violated on {count} element(s)"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact') or 'no impact given'}): {v['help']}")
        lines.append(f"  {v['helpUrl']}")
        for node in v["nodes"]:
            target = " >>> ".join(
                t if isinstance(t, str) else " ".join(t) for t in node.get("target", [])
            )
            html = " ".join(node.get("html", "").split())
            if len(html) > _SNIPPET:
                html = html[: _SNIPPET - 1] + "…"
            lines.append(f"    * {target}")
            lines.append(f"      {html}")
            summary = node.get("failureSummary") or ""
            for detail in summary.splitlines():
                if detail.strip():
                    lines.append(f"      {detail.strip()}")
    return "\n".join(lines)


def assert_accessible(page, *, context: str, allow: Iterable[Allowed] = ()) -> None:
    """Fail with every WCAG 2.1 A/AA violation axe finds on the page, named by `context`."""
    violations = axe_violations(page, allow=allow)
    if violations:
        raise AssertionError(format_violations(violations, f"{context} ({page.url})"))
