"""The oracle's records: a snippet or branch to judge, the findings, and the verdicts (see docs/oracle.md)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..labels import SECURE, UNKNOWN, VULNERABLE, Label


@dataclass
class Finding:
    analyzer: str  # "bandit" | "semgrep" | "flawfinder" | "cppcheck" | "syntax"
    rule_id: str
    cwe: str | None  # "cwe-078" style
    line: int  # 1-based, relative to the analysed code (context lines removed)
    severity: str  # "low" | "medium" | "high"
    message: str
    end_line: int | None = None  # last line of a multi-line match; used for branch attribution

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Finding":
        return cls(**{f.name: d.get(f.name) for f in dataclasses.fields(cls) if f.name in d})

    @property
    def last_line(self) -> int:
        return self.end_line if self.end_line is not None else self.line


@dataclass
class Verdict:
    label: Label
    language: str
    findings: list[Finding] = field(default_factory=list)  # the findings that decide the label
    syntax: str = "unchecked"  # "ok" | "error" | "unchecked"
    reason: str = ""  # why unknown (or a short note)
    advisories: list[Finding] = field(default_factory=list)  # below-threshold findings, informational

    @property
    def cwes(self) -> list[str]:
        return sorted({f.cwe for f in self.findings if f.cwe})

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "language": self.language,
            "findings": [f.to_dict() for f in self.findings],
            "syntax": self.syntax,
            "reason": self.reason,
            "advisories": [f.to_dict() for f in self.advisories],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Verdict":
        return cls(
            label=d["label"],
            language=d.get("language", ""),
            findings=[Finding.from_dict(x) for x in d.get("findings", [])],
            syntax=d.get("syntax", "unchecked"),
            reason=d.get("reason", ""),
            advisories=[Finding.from_dict(x) for x in d.get("advisories", [])],
        )


@dataclass
class Snippet:
    code: str
    language: str
    context: str = ""  # imports/includes prepended for checking; findings located there are dropped
    id: str | None = None


@dataclass
class Branch:
    prefix: str
    continuation: str
    language: str
    context: str = ""
    id: str | None = None


@dataclass
class BranchVerdict:
    label: Label  # of the branch (continuation) only
    findings: list[Finding] = field(default_factory=list)  # findings in the continuation's span
    prefix_findings: list[Finding] = field(default_factory=list)  # findings in the shared prefix
    syntax: str = "unchecked"
    reason: str = ""
    language: str = ""
    # findings in the continuation that a baseline program has too (tree.label_trees: the golden program's), so
    # present whatever this branch chose; they do not count
    background: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "findings": [f.to_dict() for f in self.findings],
            "prefix_findings": [f.to_dict() for f in self.prefix_findings],
            "syntax": self.syntax,
            "reason": self.reason,
            "language": self.language,
            "background": [f.to_dict() for f in self.background],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "BranchVerdict":
        return cls(
            label=d["label"],
            findings=[Finding.from_dict(x) for x in d.get("findings", [])],
            prefix_findings=[Finding.from_dict(x) for x in d.get("prefix_findings", [])],
            syntax=d.get("syntax", "unchecked"),
            reason=d.get("reason", ""),
            language=d.get("language", ""),
            background=[Finding.from_dict(x) for x in d.get("background", [])],
        )

    def without(self, background: Counter, code: str) -> "BranchVerdict":
        """This verdict with the continuation's findings that ``background`` holds (by :func:`finding_key` in
        ``code``, the analysed program; each background finding absorbs as many of the branch's as the baseline
        has, so a branch that repeats a flagged call adds a finding of its own) moved to ``background``; a branch
        left with no finding of its own is secure (or unknown when an analyzer failed)."""
        left = Counter(background)
        own, moved = [], []
        for f in self.findings:
            key = finding_key(f, code)
            if left[key] > 0:
                left[key] -= 1
                moved.append(f)
            else:
                own.append(f)
        if not moved:
            return self
        label = self.label
        if label == VULNERABLE and not own:
            label = UNKNOWN if self.reason.startswith("partial analysis") else SECURE
        reason = "findings the golden program has too (not this branch's)" if label == SECURE else self.reason
        return BranchVerdict(label, own, self.prefix_findings, self.syntax, reason, self.language,
                             self.background + moved)


def finding_key(finding: Finding, code: str) -> tuple[str, str, str]:
    """(analyzer, rule, the flagged source lines, stripped): the same finding on the same code, wherever the
    code sits, since line numbers move when a branch adds or removes lines."""
    lines = code.splitlines()
    last = finding.end_line or finding.line
    text = "\n".join(line.strip() for line in lines[max(0, finding.line - 1):max(finding.line, last)])
    return finding.analyzer, finding.rule_id, text


class ToolFailure(RuntimeError):
    """An analyzer process could not produce a usable report (missing, crashed, timed out, bad output)."""
