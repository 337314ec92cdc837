"""Does a complete C/C++ program compile? ``gcc``/``g++ -fsyntax-only`` with the real headers (evaluation)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..languages import LANGUAGES, normalize_language
from . import tools
from .syntax.gcc import run_gcc

C_COMPILERS: dict[str, str] = {lang.id: lang.compiler for lang in LANGUAGES.values() if lang.compiler}

# gcc 14 rejects these by default (C99 dropped implicit declarations and implicit int; the two conversions are
# constraint violations); gcc 12 only warns. As errors here, "compiles" means nearly what it means for gcc 14
# (which also rejects a bare "return;" in a function that returns a value; older gcc does not).
_C_STRICT = ("-Werror=implicit-function-declaration", "-Werror=implicit-int", "-Werror=incompatible-pointer-types",
             "-Werror=int-conversion")


# A completion continues inside a function and cannot add an #include: a call to strlen in a file whose prompt did
# not include <string.h> is the prompt's omission, not a broken program. These libc headers are force-included, so
# only names that exist nowhere (strcpy_r, count_count) fail. Every reference solution compiles with them.
_C_FORCED_HEADERS = ("stdio.h", "stdlib.h", "string.h", "strings.h", "ctype.h", "errno.h", "limits.h", "stdint.h",
                     "stddef.h", "stdbool.h", "inttypes.h", "unistd.h", "sys/types.h", "sys/stat.h", "fcntl.h",
                     "math.h", "time.h", "assert.h", "signal.h", "stdarg.h")


@dataclass(frozen=True)
class CompileResult:
    status: str  # "ok" | "error" | "failed" (the compiler crashed or timed out) | "unchecked" (no compiler)
    message: str = ""  # the first error, or why nothing was checked
    rule: str = ""  # compile_rule(language) at the time: what decided it


def compile_rule(language: str) -> str:
    """What decides whether a program of ``language`` compiles here: the compiler's and the C library's versions,
    the flags and the forced headers, hashed; "" when there is no usable compiler. A result judged by another rule
    (an older version of this code, another machine's gcc) is not the same judgement, and a resumed evaluation
    checks it again (:func:`tsp_utils.evaluation.score.load_scored`)."""
    language = normalize_language(language)
    if language not in C_COMPILERS:
        raise ValueError(f"compile_rule: only C and C++ are compiled, not {language!r}")
    version = _compiler_version(tuple(tools.tool_cmd(C_COMPILERS[language]) or ()))
    if not version:
        return ""
    # the C library's version too: its headers declare what a program may call
    libc = os.confstr("CS_GNU_LIBC_VERSION") if "CS_GNU_LIBC_VERSION" in os.confstr_names else ""
    return hashlib.sha256(json.dumps([version, libc, _compile_args(language)]).encode()).hexdigest()[:16]


def _compiler_version(cmd: tuple[str, ...]) -> str:
    if not cmd:
        return ""
    if cmd not in _COMPILER_VERSIONS:  # only an answer is kept: a compiler that failed once is asked again
        try:
            proc = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=60, env=tools.tool_env())
        except (OSError, subprocess.TimeoutExpired):
            return ""
        if proc.returncode != 0 or not proc.stdout.strip():
            return ""
        _COMPILER_VERSIONS[cmd] = proc.stdout.splitlines()[0]
    return _COMPILER_VERSIONS[cmd]


_COMPILER_VERSIONS: dict[tuple[str, ...], str] = {}


def _compile_args(language: str) -> list[str]:
    args = ["-fsyntax-only", "-fdiagnostics-plain-output", "-fno-diagnostics-show-caret", "-fmax-errors=5",
            "-std=gnu11" if language == "c" else "-std=gnu++17"]
    if language == "c":
        args += [*_C_STRICT, *(arg for header in _C_FORCED_HEADERS for arg in ("-include", header))]
    return args


def compile_check(programs: Sequence[str], language: str, workers: int = 2) -> list[CompileResult]:
    """Whether each complete C or C++ program compiles: ``gcc``/``g++ -fsyntax-only`` with the real system headers.

    The syntax check of :func:`analyze_batch` forgives what a function cut out of its project cannot have (headers,
    declarations). A generated *evaluation* program has no such excuse: the prompt gives it its includes, so an
    undeclared name or a call to a function that does not exist is a broken program (C: the common libc headers
    are force-included, since a completion cannot add an ``#include``). SafeCoder's evaluator also
    counts a C output as parsed only if ``gcc -c`` compiles it (``try_parse`` in safecoder/utils.py)."""
    language = normalize_language(language)
    if language not in C_COMPILERS:
        raise ValueError(f"compile_check: only C and C++ are compiled, not {language!r}")
    compiler = C_COMPILERS[language]
    if tools.tool_cmd(compiler) is None:
        return [CompileResult("unchecked", f"{compiler} not available")] * len(programs)
    rule = compile_rule(language)
    ext = LANGUAGES[language].extension
    args = _compile_args(language)
    with tempfile.TemporaryDirectory(prefix="tsp_compile_") as workdir:
        names = [f"p{i:06d}{ext}" for i in range(len(programs))]
        for name, program in zip(names, programs):
            Path(workdir, name).write_text(program, encoding="utf-8", errors="replace")

        checked = run_gcc(compiler, args, names, workdir, workers)
    results = []
    for name in names:
        failure, errors = checked[name]
        if failure:
            results.append(CompileResult("failed", failure))  # no rule: a failure judged nothing, retry it
        elif errors:
            results.append(CompileResult("error", f"line {errors[0][0]}: {errors[0][1]}", rule))
        else:
            results.append(CompileResult("ok", "", rule))
    return results
