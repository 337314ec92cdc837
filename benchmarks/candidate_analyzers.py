"""The candidates measured by bench_analyzers.py and left out of the oracle: dlint, eslint's security plugins, clang-tidy.

Written like the oracle's adapters (tsp_utils/oracle/analyzers/: one process per chunk, failure = unknown, a policy
table of the rules that count) so that their numbers are what an adapter would give; docs/oracle.md says why none
was kept. Not part of the package: the oracle's cache key and the project's dependencies do not include them.
Install to reproduce: ``pip install dlint==0.17.0 clang-tidy==23.1.4`` and ``npm ci`` in ``benchmarks/node``.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

from tsp_utils.languages import LANGUAGES
from tsp_utils.oracle import tools
from tsp_utils.oracle.job import Job
from tsp_utils.oracle.records import Finding, ToolFailure
from tsp_utils.oracle.tools import chunks, timeout_for

NODE_DIR = Path(__file__).resolve().parent / "node"
MAX_FILES_PER_PROCESS = {"dlint": 400, "eslint": 400, "clang-tidy": 100}
IGNORED_RULES: dict[tuple[str, str], str] = {}
tools.TOOL_COMMANDS.setdefault("dlint", [sys.executable, "-m", "flake8"])  # dlint is a flake8 plugin
if tools.tool_cmd("node"):
    tools.TOOL_COMMANDS.setdefault("eslint", tools.tool_cmd("node"))  # eslint.js from benchmarks/node
if (Path(sys.prefix) / "bin" / "clang-tidy").exists():
    tools.TOOL_COMMANDS.setdefault("clang-tidy", [str(Path(sys.prefix) / "bin" / "clang-tidy")])

# The rules that count (medium), chosen from a first run with every rule an advisory (its per-rule hits on
# vulnerable vs. secure versions) and from what each rule reports; every other rule is an advisory. The per-rule table of bench_analyzers.py --rules shows what each adds beside the oracle.
DLINT_COUNTED: dict[str, str] = {c: "medium" for c in (
    "DUO103", "DUO104", "DUO105", "DUO106", "DUO109", "DUO116", "DUO121", "DUO122", "DUO123", "DUO130", "DUO133",
    "DUO134")}  # not DUO102 (any use of random), DUO107 (any xml import), DUO135 (defusedxml advice)
ESLINT_COUNTED: dict[str, str] = {r: "medium" for r in (
    "security/detect-child-process", "security/detect-eval-with-expression", "security/detect-unsafe-regex",
    "@microsoft/sdl/no-insecure-random", "security/detect-non-literal-fs-filename", "@microsoft/sdl/no-inner-html",
    "security/detect-pseudoRandomBytes", "security/detect-new-buffer", "security/detect-buffer-noassert",
    "security/detect-disable-mustache-escape", "@microsoft/sdl/no-postmessage-star-origin",
    "@microsoft/sdl/no-document-write")}  # not detect-object-injection, no-html-method, detect-non-literal-regexp
CLANG_TIDY_COUNTED: dict[str, str] = {c: "medium" for c in (
    "clang-analyzer-unix.Malloc", "clang-analyzer-core.NullDereference", "clang-analyzer-core.NonNullParamChecker",
    "clang-analyzer-core.CallAndMessage", "clang-analyzer-unix.MallocSizeof", "clang-analyzer-cplusplus.InnerPointer",
    "clang-analyzer-cplusplus.NewDelete", "clang-analyzer-security.insecureAPI.strcpy",
    "clang-analyzer-security.insecureAPI.gets", "cert-msc24-c", "cert-msc33-c", "cert-env33-c",
    "clang-analyzer-security.ArrayBound", "clang-analyzer-core.uninitialized.Assign",
    "clang-analyzer-unix.cstring.BadSizeArg", "clang-analyzer-core.BitwiseShift", "clang-analyzer-core.DivideZero")}
# not the lexical insecureAPI.DeprecatedOrUnsafeBufferHandling (every sprintf/memcpy), cert-err33-c (unchecked
# return values), cert-err34-c (atoi), cert-msc30/32/50/51 (any rand)


# ---------------------------------------------------------------------------------------------------- dlint
# dlint (a flake8 plugin, DUO rules) on Python files: its policy table says which rules count (policy.DLINT_COUNTED).
# path|row|code|text, one line per finding; E999 is flake8's own "could not parse the file".
_FORMAT = "%(path)s|%(row)d|%(code)s|%(text)s"
_LINE = re.compile(r"^(?P<path>[^|]+)\|(?P<row>\d+)\|(?P<code>[A-Z]+\d+)\|(?P<text>.*)$")


def _dlint_policy(code: str) -> str | None:
    if ("dlint", code) in IGNORED_RULES:
        return None
    return DLINT_COUNTED.get(code, "low")


def run_dlint(jobs: list[Job], workdir: str) -> None:
    by_name = {j.fname: j for j in jobs}
    for chunk in chunks(list(by_name), MAX_FILES_PER_PROCESS["dlint"]):
        # --isolated: no project config; --disable-noqa: a policy that learns to write "# noqa" gains nothing.
        args = ["--isolated", "--disable-noqa", "--select=DUO,E999", f"--format={_FORMAT}", "--jobs=1", *chunk]
        try:
            proc = tools.run_tool("dlint", args, workdir, timeout_for(len(chunk)))
            if proc.returncode not in (0, 1) or proc.stderr.strip() and not proc.stdout.strip():
                raise tools.failed("dlint", proc)
        except ToolFailure as exc:
            for name in chunk:
                by_name[name].fail(str(exc))
            continue
        for line in proc.stdout.splitlines():
            m = _LINE.match(line.strip())
            job = by_name.get(os.path.basename(m.group("path"))) if m else None
            if job is None:
                continue
            code = m.group("code")
            if code == "E999":
                job.fail(f"dlint could not parse the file: {m.group('text')[:160]}")
                continue
            sev = _dlint_policy(code)
            if sev is None:
                continue
            job.add_finding(Finding(analyzer="dlint", rule_id=code, cwe=None, line=int(m.group("row")),
                                    severity=sev, message=m.group("text")[:300]))


# ---------------------------------------------------------------------------------------------------- eslint
# eslint with eslint-plugin-security and @microsoft/eslint-plugin-sdl on JavaScript files (``oracle/node/``).
# 
# Which rules count is the policy's (policy.ESLINT_COUNTED); the rest are advisories. A file eslint cannot parse as a
# script is tried again wrapped the way the node syntax check wraps it (class members, object literal members, an
# async function body), on the same lines; one no wrapper makes parseable is a failure (unknown).
ESLINT_CONFIG = NODE_DIR / "eslint.config.cjs"
ESLINT_MAIN = NODE_DIR / "node_modules" / "eslint" / "bin" / "eslint.js"
# Opened on the code's first line and closed after its last, so line numbers stay those of the file.
_WRAPPERS = (("(class {", "\n})"), ("({", "\n})"), ("(async () => {", "\n})"))


def _eslint_policy(rule: str) -> str | None:
    if ("eslint", rule) in IGNORED_RULES:
        return None
    return ESLINT_COUNTED.get(rule, "low")


def _lint(names: list[str], cwd: str) -> list[dict]:
    """eslint's JSON report over ``names`` (relative to ``cwd``); ToolFailure when there is none."""
    args = [str(ESLINT_MAIN), "--config", str(ESLINT_CONFIG), "--format", "json", "--no-ignore",
            "--no-warn-ignored", "--no-error-on-unmatched-pattern", *names]
    proc = tools.run_tool("eslint", args, cwd, timeout_for(len(names)))
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise tools.failed("eslint", proc)
    if proc.returncode not in (0, 1) or not isinstance(report, list):
        raise tools.failed("eslint", proc)
    return report


def _parse_failed(entry: dict) -> str | None:
    fatal = [m for m in entry.get("messages", []) if m.get("fatal")]
    return f"line {fatal[0].get('line', 0)}: {fatal[0].get('message', '')}"[:160] if fatal else None


def run_eslint(jobs: list[Job], workdir: str) -> None:
    if not ESLINT_MAIN.exists():
        for job in jobs:
            job.fail(f"eslint is not installed in {NODE_DIR} (npm ci there)")
        return
    by_name = {j.fname: j for j in jobs}
    for chunk in chunks(list(by_name), MAX_FILES_PER_PROCESS["eslint"]):
        try:
            report = _lint(chunk, workdir)
            entries = {os.path.basename(e.get("filePath", "")): e for e in report}
            unparsed = {n: _parse_failed(entries[n]) for n in chunk if n in entries and _parse_failed(entries[n])}
            wdir = os.path.join(workdir, "_eslint_wrapped")
            os.makedirs(wdir, exist_ok=True)
            for opening, closing in _WRAPPERS:
                if not unparsed:
                    break
                for name in unparsed:
                    Path(wdir, name).write_text(opening + by_name[name].text + closing, encoding="utf-8")
                for entry in _lint(list(unparsed), wdir):
                    name = os.path.basename(entry.get("filePath", ""))
                    if name in unparsed and not _parse_failed(entry):
                        entries[name] = entry
                        del unparsed[name]
        except ToolFailure as exc:
            for name in chunk:
                by_name[name].fail(str(exc))
            continue
        for name in chunk:
            job = by_name[name]
            if name not in entries:
                job.fail("eslint did not report on the file")
            elif name in unparsed:
                job.fail(f"eslint could not parse the file ({unparsed[name]})")
            else:
                for msg in entries[name].get("messages", []):
                    rule = msg.get("ruleId")
                    sev = _eslint_policy(rule) if rule else None
                    if sev is None:
                        continue
                    job.add_finding(Finding(analyzer="eslint", rule_id=rule, cwe=None, line=int(msg.get("line", 1)),
                                            severity=sev, message=str(msg.get("message", ""))[:300],
                                            end_line=int(msg.get("endLine") or msg.get("line", 1))))


# ------------------------------------------------------------------------------------------------ clang-tidy
# clang-tidy (the PyPI wheel) on C/C++ files: clang's static analyzer (path-sensitive) and the CERT checks.
# 
# Which checks count is the policy's (policy.CLANG_TIDY_COUNTED); the rest are advisories. The common C headers are
# forced in (snippets are cut out of files whose includes they lack); in a second round, as in the gcc syntax check, a
# header this machine lacks gets an empty stub and an unknown type name ``typedef int X;`` on the file's first line
# (line numbers kept). A file with compiler errors left is a failure (unknown): clang's static analyzer does not run
# on a translation unit with errors.
CLANG_TIDY_CHECKS = ("-*,clang-analyzer-core.*,clang-analyzer-unix.*,clang-analyzer-security.*,"
                     "clang-analyzer-cplusplus.*,cert-*")
# What a function cut out of its project cannot contain must not stop the analysis: its declarations.
_FORGIVE = ["-Wno-everything", "-Wno-error=implicit-function-declaration", "-Wno-error=implicit-int",
            "-Wno-error=int-conversion", "-Wno-error=incompatible-pointer-types", "-Wno-error=return-type"]
_STD = {"gcc": "-std=gnu11", "g++": "-std=gnu++17"}
_PRELUDE = {"gcc": ("stdio.h", "stdlib.h", "string.h", "stdint.h", "stddef.h", "unistd.h"),
            "g++": ("cstdio", "cstdlib", "cstring", "cstdint", "string")}
_DIAG = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):\d+: (?P<kind>warning|error|fatal error): (?P<msg>.*?)"
                   r"(?: \[(?P<checks>[\w.,\-]+)\])?$")
_NOT_FOUND = re.compile(r"'(?P<header>[^']+)' file not found")
_UNKNOWN_TYPE = re.compile(r"unknown type name '(?P<name>\w+)'")


def _clang_tidy_policy(check: str) -> str | None:
    if ("clang-tidy", check) in IGNORED_RULES:
        return None
    return CLANG_TIDY_COUNTED.get(check, "low")


def _tidy(names: list[str], workdir: str, stub: str) -> dict[str, list[dict[str, str]]]:
    compiler = LANGUAGES["cpp" if names[0].endswith(".cpp") else "c"].compiler or "gcc"
    prelude = [arg for header in _PRELUDE[compiler] for arg in ("-include", header)]
    args = [f"--checks={CLANG_TIDY_CHECKS}", "--quiet", *names, "--", _STD[compiler], "-I", stub, *prelude,
            *_FORGIVE]
    proc = tools.run_tool("clang-tidy", args, workdir, timeout_for(len(names)) + 2.0 * len(names))
    if proc.returncode not in (0, 1) or ("error:" not in proc.stdout + proc.stderr and proc.returncode == 1):
        raise tools.failed("clang-tidy", proc)
    out: dict[str, list[dict[str, str]]] = {n: [] for n in names}
    for line in proc.stdout.splitlines():
        m = _DIAG.match(line)
        if m and os.path.basename(m.group("path")) in out:
            out[os.path.basename(m.group("path"))].append(m.groupdict())
    return out


def _repair(job: Job, diags: list[dict[str, str]], stub: str, repair_dir: str) -> bool:
    """Stub the missing headers and declare the unknown type names of one file; whether anything was repaired."""
    types = sorted({m.group("name") for d in diags for m in [_UNKNOWN_TYPE.search(d["msg"])] if m})
    headers = False
    for d in diags:
        hm = _NOT_FOUND.search(d["msg"])
        target = os.path.normpath(os.path.join(stub, hm.group("header"))) if hm else ""
        if target.startswith(stub + os.sep):
            headers = True
            if not os.path.exists(target):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                Path(target).touch()
    if types or headers:
        first = "".join(f"typedef int {t}; " for t in types)
        Path(repair_dir, job.fname).write_text(first + job.text, encoding="utf-8")
    return bool(types or headers)


def run_clang_tidy(jobs: list[Job], workdir: str) -> None:
    by_name = {j.fname: j for j in jobs}
    stub = os.path.join(workdir, "_clang_tidy_stub")
    repair_dir = os.path.join(workdir, "_clang_tidy")
    os.makedirs(stub, exist_ok=True)
    os.makedirs(repair_dir, exist_ok=True)
    for chunk in chunks(list(by_name), MAX_FILES_PER_PROCESS["clang-tidy"]):
        try:
            diags = _tidy(chunk, workdir, stub)
            repaired = [n for n in chunk if _repair(by_name[n], diags[n], stub, repair_dir)]
            if repaired:  # once more, on the repaired copies
                diags.update(_tidy(repaired, repair_dir, stub))
        except ToolFailure as exc:
            for name in chunk:
                by_name[name].fail(str(exc))
            continue
        for name in chunk:
            job = by_name[name]
            errors = [d for d in diags[name] if d["kind"] != "warning"]
            if errors:
                job.fail(f"clang-tidy could not compile the file (line {errors[0]['line']}: "
                         f"{errors[0]['msg'][:120]})")
                continue
            for d in diags[name]:
                for check in (d["checks"] or "").split(","):
                    sev = _clang_tidy_policy(check) if check else None
                    if sev is not None:
                        job.add_finding(Finding(analyzer="clang-tidy", rule_id=check, cwe=None,
                                                line=int(d["line"]), severity=sev, message=d["msg"][:300]))
