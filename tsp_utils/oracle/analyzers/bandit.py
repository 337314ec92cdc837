"""bandit on Python files: its severity x confidence mapped to ours, with the ignore and demotion tables."""

from __future__ import annotations

import json
import os

from .. import tools
from ..job import Job
from ..policy import BANDIT_DEMOTED, IGNORED_RULES, SEV_RANK, normalize_cwe
from ..records import Finding, ToolFailure
from ..tools import MAX_FILES_PER_PROCESS, chunks, timeout_for


def _bandit_policy(test_id: str, severity: str, confidence: str) -> str | None:
    """bandit severity x confidence -> our severity, or None to drop."""
    if ("bandit", test_id) in IGNORED_RULES:
        return None
    sev = severity.lower()
    conf = confidence.lower()
    if sev not in SEV_RANK:
        return None
    if test_id in BANDIT_DEMOTED or conf == "low":
        return "low"
    return sev


def run_bandit(jobs: list[Job], workdir: str) -> None:
    by_name = {j.fname: j for j in jobs}
    for chunk in chunks(list(by_name), MAX_FILES_PER_PROCESS["bandit"]):
        try:
            proc = tools.run_tool("bandit", ["-f", "json", "-q", "--ignore-nosec", *chunk], workdir,
                                  timeout_for(len(chunk)))
            try:
                report = json.loads(proc.stdout)
            except json.JSONDecodeError:
                raise tools.failed("bandit", proc)
        except ToolFailure as exc:
            for name in chunk:
                by_name[name].fail(str(exc))
            continue
        for err in report.get("errors", []):
            job = by_name.get(os.path.basename(err.get("filename", "")))
            if job:
                job.fail(f"bandit could not analyse the file: {err.get('reason', 'error')}")
        for res in report.get("results", []):
            job = by_name.get(os.path.basename(res.get("filename", "")))
            if job is None:
                continue
            sev = _bandit_policy(res.get("test_id", ""), res.get("issue_severity", ""),
                                 res.get("issue_confidence", ""))
            if sev is None:
                continue
            rng = res.get("line_range") or [res.get("line_number", 1)]
            job.add_finding(Finding(
                analyzer="bandit",
                rule_id=res.get("test_id", ""),
                cwe=normalize_cwe((res.get("issue_cwe") or {}).get("id")),
                line=int(res.get("line_number", 1)),
                severity=sev,
                message=f"{res.get('test_name', '')}: {res.get('issue_text', '')}",
                end_line=int(max(rng)) if rng else None,
            ))
