"""One snippet's working state inside a batch: the file the analyzers read, its syntax, findings and failures."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from .records import Finding


@dataclass
class Job:
    key: str
    language: str
    code: str
    context: str
    fname: str = ""  # file name inside the batch temp dir
    text: str = ""  # what the analyzers see: context + code
    offset: int = 0  # number of lines before the code's first line in `text`
    n_code_lines: int = 0
    syntax: str = "unchecked"
    syntax_reason: str = ""
    findings: list[Finding] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add_finding(self, f: Finding) -> None:
        """Record a finding (deduplicated per analyzer, rule and line) in code-relative lines."""
        # Map from analysed-file lines to code lines; findings located in the context are dropped because
        # the caller's code is not responsible for them.
        line = f.line - self.offset
        end = (f.end_line - self.offset) if f.end_line is not None else None
        if line < 1:
            if end is not None and end >= 1:
                line = 1  # a match that starts in the context but ends in the code belongs to the code
            else:
                return
        f.line = line
        f.end_line = max(end, line) if end is not None else None
        with self.lock:
            if any((g.analyzer, g.rule_id, g.line) == (f.analyzer, f.rule_id, f.line) for g in self.findings):
                return
            self.findings.append(f)

    def fail(self, reason: str) -> None:
        with self.lock:
            if reason not in self.failures:
                self.failures.append(reason)

    def brackets_do_not_match(self, found: tuple[int, str]) -> None:
        """A syntax error from :func:`tsp_utils.code.bracket_mismatch`'s (line, what)."""
        self.syntax, self.syntax_reason = "error", f"syntax error line {found[0]}: brackets do not match: {found[1]}"

    def check_failed(self, checker: str, reason: str) -> None:
        """The syntax checker itself failed (crashed, timed out, gave no answer): the syntax is unchecked and the
        verdict unknown, never "ok", and an unknown verdict is not cached, so the next run checks again."""
        self.syntax, self.syntax_reason = "unchecked", f"{checker}: {reason}"
        self.fail(f"{checker} syntax check failed: {reason}")


def join_context(context: str, code: str) -> tuple[str, int]:
    if not context:
        return code, 0
    ctx = context if context.endswith("\n") else context + "\n"
    return ctx + code, ctx.count("\n")
