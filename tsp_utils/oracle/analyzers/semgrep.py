"""semgrep with our rules (``oracle/rules/*.yml``), on every language: ERROR high, WARNING medium, INFO advisory."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .. import tools
from ..job import Job
from ..policy import IGNORED_RULES, normalize_cwe
from ..records import Finding, ToolFailure
from ..syntax import SYNTAX_CHECKED
from ..tools import MAX_FILES_PER_PROCESS, chunks, timeout_for

RULES_DIR = Path(__file__).resolve().parents[1] / "rules"

_SEMGREP_SEV = {"ERROR": "high", "WARNING": "medium", "INFO": "low", "HIGH": "high", "MEDIUM": "medium",
                "LOW": "low", "CRITICAL": "high"}


def run_semgrep(jobs: list[Job], workdir: str, jobs_n: int) -> None:
    if not RULES_DIR.is_dir() or not any(RULES_DIR.rglob("*.y*ml")):
        for job in jobs:
            job.fail(f"semgrep rules missing in {RULES_DIR}")
        return
    by_name = {j.fname: j for j in jobs}
    for chunk in chunks(list(by_name), MAX_FILES_PER_PROCESS["semgrep"]):
        args = ["scan", "--config", str(RULES_DIR), "--json", "--quiet", "--metrics=off",
                "--disable-version-check", "--disable-nosem", "--no-git-ignore", "--jobs", str(max(1, jobs_n)),
                "--timeout", "20", "--timeout-threshold", "3", "--max-target-bytes", "2000000", *chunk]
        try:
            proc = tools.run_tool("semgrep", args, workdir, timeout_for(len(chunk)) + 60)
            try:
                report = json.loads(proc.stdout)
            except json.JSONDecodeError:
                raise tools.failed("semgrep", proc)
            if proc.returncode not in (0, 1) and not report.get("results") and report.get("errors"):
                first = report["errors"][0]
                if not first.get("path"):
                    msg = first.get("long_msg") or first.get("message") or first.get("type") or "error"
                    raise ToolFailure(f"semgrep failed (exit {proc.returncode}): {str(msg)[:200]}")
        except ToolFailure as exc:
            for name in chunk:
                by_name[name].fail(str(exc))
            continue
        for err in report.get("errors", []):
            path = err.get("path")
            if not path:
                if err.get("level") == "error":
                    msg = err.get("long_msg") or err.get("message") or err.get("type") or "error"
                    for name in chunk:
                        by_name[name].fail(f"semgrep error: {str(msg)[:200]}")
                continue
            job = by_name.get(os.path.basename(path))
            if job is None:
                continue
            etype = err.get("type")
            etype = etype[0] if isinstance(etype, list) and etype else etype
            # PartialParsing: semgrep recovered and analysed the rest; the findings stand. Anything else about a file
            # (a syntax error, a time-out, out of memory), at any level -- semgrep reports those as warnings --
            # means its rules did not run over the whole file.
            if etype == "PartialParsing":
                continue
            if etype in ("Syntax error", "Lexical error", "Other syntax error"):
                span = (err.get("spans") or [{}])[0]
                ln = int((span.get("start") or {}).get("line", 0)) - job.offset
                if job.language not in SYNTAX_CHECKED:  # Ruby, Java: semgrep's parser is the only one there is
                    job.syntax, job.syntax_reason = "error", f"syntax error line {ln} (semgrep could not parse it)"
                else:
                    job.fail(f"semgrep could not parse the code (line {ln})")
            else:
                job.fail(f"semgrep {etype or 'error'}: {str(err.get('message', ''))[:160]}")
        paths = report.get("paths") or {}
        if "scanned" in paths:  # a file semgrep skipped (too large, no rule for it) was not analysed
            scanned = {os.path.basename(p) for p in paths["scanned"]}
            for name in chunk:
                if name not in scanned:
                    by_name[name].fail("semgrep did not scan the file")
        for res in report.get("results", []):
            job = by_name.get(os.path.basename(res.get("path", "")))
            if job is None:
                continue
            extra = res.get("extra", {})
            meta = extra.get("metadata", {}) or {}
            cwe = meta.get("cwe")
            if isinstance(cwe, list):
                cwe = cwe[0] if cwe else None
            rule = res.get("check_id", "").rsplit(".", 1)[-1]
            sev = _SEMGREP_SEV.get(str(extra.get("severity", "")).upper(), "medium")
            if ("semgrep", rule) in IGNORED_RULES:
                continue
            job.add_finding(Finding(
                analyzer="semgrep",
                rule_id=rule,
                cwe=normalize_cwe(cwe),
                line=int(res.get("start", {}).get("line", 1)),
                severity=sev,
                message=str(extra.get("message", "")).strip().splitlines()[0][:300] if extra.get("message") else "",
                end_line=int(res.get("end", {}).get("line", res.get("start", {}).get("line", 1))),
            ))
