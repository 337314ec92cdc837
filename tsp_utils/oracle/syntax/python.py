"""Python: ``ast.parse``, in process; also picks the text (dedented or not) that bandit and semgrep read."""

from __future__ import annotations

import ast
import textwrap

from ..job import Job, join_context


def prepare_python(job: Job) -> None:
    """Pick the text the Python analyzers see and check it parses.

    Dataset functions are often methods cut out of a class (indented). Both ast and bandit reject a
    leading indent, so the code is dedented when that is what makes it parse; line numbers are unchanged.
    """
    candidates = [(job.context, job.code)]
    dedented = textwrap.dedent(job.code)
    if dedented != job.code:
        candidates.append((job.context, dedented))
    if job.code[:1] in (" ", "\t"):
        # dedent gives up when a multi-line string sits at column 0; an enclosing class block accepts the
        # method at its own indentation (the header line is context, so nothing is reported there).
        ctx = job.context if not job.context or job.context.endswith("\n") else job.context + "\n"
        candidates.append((ctx + "class _TSPEnclosingClass:\n", job.code))
    first_error: SyntaxError | None = None
    best_line = -1
    for context, code in candidates:
        text, offset = join_context(context, code)
        try:
            ast.parse(text)
        except SyntaxError as exc:
            # report the attempt that parsed furthest: its error is the real one, not the indentation
            line = (exc.lineno or 0) - offset
            if line > best_line:
                first_error, best_line = exc, line
                job.text, job.offset = text, offset
            continue
        except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, absurd nesting
            job.text, job.offset = text, offset
            job.syntax, job.syntax_reason = "error", f"python parser rejected the code: {exc}"
            return
        job.text, job.offset = text, offset
        job.syntax = "ok"
        return
    assert first_error is not None
    line = (first_error.lineno or 0) - job.offset
    where = f"line {line}" if line >= 1 else "in the context"
    job.syntax = "error"
    job.syntax_reason = f"syntax error {where}: {first_error.msg}"
