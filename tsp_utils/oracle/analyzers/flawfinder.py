"""flawfinder on C/C++ files: level 4 medium, 5 high, 2-3 advisories; calls our semgrep rules check better demoted."""

from __future__ import annotations

import csv
import io
import os
import re

from .. import tools
from ..job import Job
from ..policy import FLAWFINDER_DEMOTED, IGNORED_RULES, normalize_cwe
from ..records import Finding, ToolFailure
from ..tools import MAX_FILES_PER_PROCESS, chunks, timeout_for


def _flawfinder_policy(rule_id: str, level: int, name: str = "") -> str | None:
    if ("flawfinder", rule_id) in IGNORED_RULES or level <= 1:
        return None
    if name in FLAWFINDER_DEMOTED:
        return "low"
    if level >= 5:
        return "high"
    if level == 4:
        return "medium"
    return "low"


def run_flawfinder(jobs: list[Job], workdir: str) -> None:
    by_name = {j.fname: j for j in jobs}
    for chunk in chunks(list(by_name), MAX_FILES_PER_PROCESS["flawfinder"]):
        try:
            proc = tools.run_tool("flawfinder", ["--csv", "--neverignore", "--minlevel=1", "--quiet", *chunk],
                                  workdir, timeout_for(len(chunk)))
            if proc.returncode not in (0, 1) or not proc.stdout.startswith("File,"):
                raise tools.failed("flawfinder", proc)
        except ToolFailure as exc:
            for name in chunk:
                by_name[name].fail(str(exc))
            continue
        for row in csv.DictReader(io.StringIO(proc.stdout)):
            job = by_name.get(os.path.basename(row.get("File", "")))
            if job is None:
                continue
            try:
                level = int(row.get("Level") or 0)
                line = int(row.get("Line") or 1)
            except ValueError:
                continue
            rule = row.get("RuleId") or row.get("Name", "")
            sev = _flawfinder_policy(rule, level, row.get("Name", ""))
            if sev is None:
                continue
            cwes = re.findall(r"CWE-(\d+)", row.get("CWEs", ""))
            job.add_finding(Finding(
                analyzer="flawfinder",
                rule_id=f"{rule}:{row.get('Name', '')}",
                cwe=normalize_cwe(cwes[0]) if cwes else None,
                line=line,
                severity=sev,
                message=f"{row.get('Name', '')}: {row.get('Warning', '')}"[:300],
            ))
