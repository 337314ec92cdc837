"""Go: ``gofmt -e`` where a Go toolchain is installed, else tree-sitter's Go grammar. Both only parse."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .. import tools
from ..job import Job
from ..records import ToolFailure
from ..tools import timeout_for


def go_parser():
    """tree-sitter's Go grammar (a pip wheel), for machines without a Go toolchain; None when not installed."""
    try:  # optional wheels, needed only where gofmt is missing: a machine without them still labels Go code
        import tree_sitter_go
        from tree_sitter import Language, Parser
    except ImportError:
        return None
    return Parser(Language(tree_sitter_go.language()))


def _first_syntax_error(node):
    """The first ERROR or MISSING node under ``node`` (tree-sitter recovers from errors and marks them so)."""
    if node.is_error or node.is_missing:
        return node
    for child in node.children:
        if child.has_error or child.is_missing:
            found = _first_syntax_error(child)
            if found is not None:
                return found
    return None


def _go_source(job: Job) -> tuple[str, int]:
    """The file to parse, and how many lines were put before the snippet: a Go file needs a package clause, and
    dataset snippets are usually bare functions."""
    if re.search(r"^\s*package\s+\w+", job.text, re.M):
        return job.text, 0
    return "package p\n" + job.text, 1


def _parse_go(parser, job: Job) -> None:
    text, extra = _go_source(job)
    source = text.encode("utf-8")
    root = parser.parse(source).root_node
    bad = _first_syntax_error(root) if root.has_error else None
    if bad is None:
        job.syntax = "ok"
        return
    near = source[bad.start_byte:bad.end_byte].decode("utf-8", "replace").strip().split("\n")[0][:30]
    what = (f"missing {bad.type!r}" if bad.is_missing else
            f"unexpected {near!r}" if near else "unexpected end of input")
    line = bad.start_point[0] + 1 - extra - job.offset
    job.syntax, job.syntax_reason = "error", f"syntax error line {line}: {what}"


def check_go(jobs: list[Job], workdir: str) -> None:
    """gofmt -e where a Go toolchain is installed, else tree-sitter's Go grammar. Both only parse: nothing is
    type-checked or compiled, so an undefined name or a missing import still counts as valid."""
    if tools.tool_cmd("gofmt") is None:
        parser = go_parser()
        for job in jobs:
            if parser is None:
                job.syntax, job.syntax_reason = "unchecked", "neither gofmt nor tree-sitter-go is installed"
            else:
                _parse_go(parser, job)
        return
    gdir = os.path.join(workdir, "_syntax_go")
    os.makedirs(gdir, exist_ok=True)
    for i, job in enumerate(jobs):
        name = f"g{i:06d}.go"
        text, extra = _go_source(job)
        Path(gdir, name).write_text(text, encoding="utf-8")
        try:
            proc = tools.run_tool("gofmt", ["-e", "-l", name], gdir, timeout_for(1))
        except ToolFailure as exc:
            job.check_failed("gofmt", str(exc))
            continue
        m = re.search(r":(\d+):\d+: (.*)", proc.stderr)
        if proc.returncode != 0 and m:
            ln = int(m.group(1)) - extra - job.offset
            job.syntax, job.syntax_reason = "error", f"syntax error line {ln}: {m.group(2)}"
        elif proc.returncode != 0:  # failed without saying where: not a verdict on the code
            job.check_failed("gofmt", f"exit {proc.returncode}: {proc.stderr.strip()[:160]}")
        else:
            job.syntax = "ok"
