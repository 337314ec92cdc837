"""JavaScript: node compiles each file with ``node_check.cjs`` (a real file beside this one, read at run time)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ...code import bracket_mismatch, skip_mask
from .. import tools
from ..job import Job
from ..records import ToolFailure
from ..tools import MAX_FILES_PER_PROCESS, chunks, timeout_for

# Runs inside node, one process per chunk of files; its header says what it prints.
NODE_CHECKER = Path(__file__).with_name("node_check.cjs")

_JSX_HINT = re.compile(r"<\s*[A-Za-z][\w.]*(\s+[\w-]+(=|\s|/|>)|\s*/?>)|</[A-Za-z]")


def looks_like_jsx(code: str) -> bool:
    """A tag in the code itself, not in a string or comment (``'<svg class="x">'`` is no JSX)."""
    mask = skip_mask(code, "javascript")
    return bool(_JSX_HINT.search("".join(" " if m else ch for ch, m in zip(code, mask))))


def check_javascript(jobs: list[Job], workdir: str) -> None:
    """node over the files, a chunk per process; JSX it cannot read stays unchecked."""
    if tools.tool_cmd("node") is None:
        for job in jobs:
            job.syntax, job.syntax_reason = "unchecked", "node not available"
        return
    jdir = os.path.join(workdir, "_syntax_js")
    os.makedirs(jdir, exist_ok=True)
    by_name = {}
    for i, job in enumerate(jobs):
        name = f"j{i:06d}.js"
        Path(jdir, name).write_text(job.text, encoding="utf-8")
        by_name[name] = job
    for chunk in chunks(list(by_name), MAX_FILES_PER_PROCESS["node"]):
        try:
            proc = tools.run_tool("node", ["--experimental-vm-modules", "--no-warnings", str(NODE_CHECKER), *chunk],
                                  jdir, timeout_for(len(chunk)))
        except ToolFailure as exc:
            for name in chunk:
                by_name[name].check_failed("node", str(exc))
            continue
        seen = set()
        for line in proc.stdout.splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            name = os.path.basename(rec.get("file", ""))
            job = by_name.get(name)
            if job is None:
                continue
            seen.add(name)
            # Code can close a wrapper and open another of its own ("}\n)(function () {" turns the CommonJS wrapper
            # into a call), so a wrapped parse also needs that no bracket of the code closes nothing. Only that: our
            # lexer misreads some regexes and nested templates, which can look like other mismatches.
            mismatch = rec.get("ok") and rec.get("wrapped") and bracket_mismatch(job.code, "javascript")
            if mismatch and mismatch[1].endswith("closes nothing"):
                job.brackets_do_not_match(mismatch)
            elif rec.get("ok"):
                job.syntax = "ok"
            elif looks_like_jsx(job.code):
                # node cannot parse JSX; semgrep can. Not a syntax error we can assert.
                job.syntax, job.syntax_reason = "unchecked", "JSX is not checked by node"
            else:
                ln = int(rec.get("line") or 0) - job.offset
                where = f"line {ln}" if ln >= 1 else "in the context"
                job.syntax, job.syntax_reason = "error", f"syntax error {where}: {rec.get('msg', '')}"
        for name in chunk:
            if name not in seen:
                by_name[name].check_failed("node", f"no result (exit {proc.returncode})")
