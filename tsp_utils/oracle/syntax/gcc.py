"""gcc or g++ over many files, a chunk per process, with every file's errors (or why it got no result)."""

from __future__ import annotations

import math
import os
import re
from concurrent.futures import ThreadPoolExecutor

from .. import tools
from ..records import ToolFailure
from ..tools import MAX_FILES_PER_PROCESS, chunks, timeout_for

_GCC_DIAG = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?:(?P<col>\d+):)? (?P<kind>fatal error|error): (?P<msg>.*)$")
# gcc's words for dying rather than reporting on a file
_GCC_DIED = re.compile(r"out of memory|Killed signal|terminated signal|internal compiler error|Segmentation fault|"
                       r"Bus error|Aborted")


def run_gcc(compiler: str, args: list[str], names: list[str], cwd: str,
            workers: int) -> dict[str, tuple[str | None, list[tuple[int, str]]]]:
    """gcc or g++ over many files, a chunk of them per process. Per file: (why there is no result, or None; the
    (line, message) of its errors).

    gcc exits non-zero for a whole chunk when any of its files has an error, and a file it says nothing about
    passed, unless gcc died (out of memory on ``#include "/dev/zero"``, a crash) without naming the file, or
    put an error on a file that is not one of ours (``#line 1 "other.c"``). Then the files of the chunk that got
    no diagnostic are checked again, the group halved until the culprit is alone; that one has no result (it
    used to pass)."""

    def check(chunk: list[str]) -> list[tuple[list[str], str | None, list[tuple[str, int, str]]]]:
        try:
            proc = tools.run_tool(compiler, args + chunk, cwd, timeout_for(len(chunk)))
        except ToolFailure as exc:
            return [(chunk, str(exc), [])]
        lines = [line.strip() for line in proc.stderr.splitlines()]
        diags = [(os.path.basename(m.group("file")), int(m.group("line")), m.group("msg"))
                 for m in map(_GCC_DIAG.match, lines) if m]
        named = {name for name, _, _ in diags}
        silent = [name for name in chunk if name not in named]
        unexplained = named - set(chunk) or any(_GCC_DIED.search(line) for line in lines)
        if proc.returncode == 0 or not silent or not unexplained:
            return [(chunk, None, diags)]
        if len(chunk) == 1:
            return [(chunk, f"exit {proc.returncode} without an error line: {proc.stderr.strip()[-160:]}", [])]
        loud = [name for name in chunk if name in named]
        if loud:
            return [(loud, None, diags)] + check(silent)
        return check(chunk[:len(chunk) // 2]) + check(chunk[len(chunk) // 2:])

    size = min(MAX_FILES_PER_PROCESS["gcc"], max(20, math.ceil(len(names) / max(1, workers))))
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        outcomes = [out for part in pool.map(check, chunks(names, size)) for out in part]
    results: dict[str, tuple[str | None, list[tuple[int, str]]]] = {}
    for chunk, failure, diags in outcomes:
        for name in chunk:
            results[name] = (failure, [(ln, msg) for file, ln, msg in diags if file == name])
    return results
