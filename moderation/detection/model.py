"""Result types of the detector (kept free of any framework import)."""

from dataclasses import dataclass, field

SEVERITY_REPORT = "report"
SEVERITY_HOLD = "hold"


@dataclass(frozen=True, slots=True)
class Finding:
    start: int
    end: int
    match: str
    group: str
    canonical: str
    category: str
    rule: str
    severity: str
    explanation: str


@dataclass(frozen=True, slots=True)
class DetectionResult:
    text: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def flagged(self) -> bool:
        return bool(self.findings)

    @property
    def severity(self) -> str | None:
        if not self.findings:
            return None
        if any(f.severity == SEVERITY_HOLD for f in self.findings):
            return SEVERITY_HOLD
        return SEVERITY_REPORT


@dataclass(frozen=True, slots=True)
class ExtraTerm:
    """A site-specific group added by staff: merged with the shipped lexicon."""

    canonical: str
    category: str
    forms: tuple[str, ...]
    derogatory: bool = False
