"""Branch attribution: a finding belongs to a branch when its last line is at or after the continuation's first."""

from __future__ import annotations

import os
from typing import Sequence

from ..labels import SECURE, UNKNOWN, VULNERABLE
from .batch import analyze_batch
from .records import Branch, BranchVerdict, Snippet, Verdict


def _split_branch(verdict: Verdict, branch: Branch) -> BranchVerdict:
    # The line holding the first continuation character belongs to the branch: a completion that finishes
    # a line started by the prefix is what made that line (in)secure.
    first_line = branch.prefix.count("\n") + 1
    if verdict.syntax == "error" or (verdict.label == UNKNOWN and not verdict.findings):
        return BranchVerdict(UNKNOWN, [], [], verdict.syntax, verdict.reason, verdict.language)
    mine = [f for f in verdict.findings if f.last_line >= first_line]
    prefix = [f for f in verdict.findings if f.last_line < first_line]
    if mine:
        label = VULNERABLE
    elif verdict.label == UNKNOWN or verdict.reason.startswith("partial analysis"):
        # an analyzer failed: the continuation may hide a finding we could not see
        label = UNKNOWN
    else:
        label = SECURE
    reason = verdict.reason
    if label == SECURE and prefix:
        reason = "findings only in the shared prefix"
    return BranchVerdict(label, mine, prefix, verdict.syntax, reason, verdict.language)


def attribute_batch(branches: Sequence[Branch], cache_dir: str | os.PathLike | None = None,
                    workers: int | None = None, progress: bool = True) -> list[BranchVerdict]:
    """Label each branch (prefix + continuation) by the findings whose lines fall in the continuation."""
    snippets = [Snippet(code=b.prefix + b.continuation, language=b.language, context=b.context, id=b.id)
                for b in branches]
    verdicts = analyze_batch(snippets, cache_dir=cache_dir, workers=workers, progress=progress)
    return [_split_branch(v, b) for v, b in zip(verdicts, branches)]


def attribute(prefix: str, continuation: str, language: str, context: str = "") -> BranchVerdict:
    """Label one branch; for many use :func:`attribute_batch`."""
    return attribute_batch([Branch(prefix, continuation, language, context)], progress=False)[0]
