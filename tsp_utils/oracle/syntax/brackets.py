"""Brackets that do not match make a C/C++ program a syntax error, whatever gcc says."""

from __future__ import annotations

from ...code import bracket_mismatch
from ..job import Job


def check_brackets(jobs: list[Job], language: str) -> None:
    """A C/C++ program whose brackets do not match is broken, whatever gcc says: after an error gcc resyncs at
    the next ";" and may report only what looks like an unknown name (a call left open, ``f(a,`` followed by the
    golden code, gave "expected primary-expression" and nothing structural), and those are ignored here."""
    for job in jobs:
        if job.syntax == "error":
            continue
        found = bracket_mismatch(job.code, language)  # the code alone: a context's #if must not switch it off
        if found is not None:
            job.brackets_do_not_match(found)
