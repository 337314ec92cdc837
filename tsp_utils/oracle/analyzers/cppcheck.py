"""cppcheck on C/C++ files: error high, warning medium, the rest advisories (and any code-quality CWE,
``policy.QUALITY_CWES``); its tool-internal ids ignored."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

from .. import tools
from ..job import Job
from ..policy import IGNORED_RULES, QUALITY_CWES, normalize_cwe
from ..records import Finding, ToolFailure
from ..tools import MAX_FILES_PER_PROCESS, chunks, timeout_for

_CPPCHECK_SEV = {"error": "high", "warning": "medium", "portability": "low", "style": "low",
                 "performance": "low", "information": None}


def run_cppcheck(jobs: list[Job], workdir: str, jobs_n: int) -> None:
    by_name = {j.fname: j for j in jobs}
    for chunk in chunks(list(by_name), MAX_FILES_PER_PROCESS["cppcheck"]):
        args = ["--xml", "--xml-version=2", "--enable=warning,portability", "--quiet",
                "--suppress=missingIncludeSystem", "--suppress=missingInclude", f"-j{max(1, jobs_n)}", *chunk]
        try:
            proc = tools.run_tool("cppcheck", args, workdir, timeout_for(len(chunk)))
            xml_start = proc.stderr.find("<?xml")
            if xml_start < 0:
                raise tools.failed("cppcheck", proc)
            try:
                root = ET.fromstring(proc.stderr[xml_start:])
            except ET.ParseError as exc:
                raise ToolFailure(f"cppcheck produced unreadable XML: {exc}") from exc
        except ToolFailure as exc:
            for name in chunk:
                by_name[name].fail(str(exc))
            continue
        for err in root.iter("error"):
            rid = err.get("id", "")
            locs = err.findall("location")
            if not locs:
                continue
            job = by_name.get(os.path.basename(locs[0].get("file", "")))
            if job is None:
                continue
            if ("cppcheck", rid) in IGNORED_RULES:
                continue
            sev = _CPPCHECK_SEV.get(err.get("severity", ""), "low")
            if sev is None:
                continue
            cwe = normalize_cwe(err.get("cwe"))
            if cwe in QUALITY_CWES:
                sev = "low"
            line = int(locs[0].get("line", "1") or 1)
            job.add_finding(Finding(
                analyzer="cppcheck",
                rule_id=rid,
                cwe=cwe,
                line=line,
                severity=sev,
                message=err.get("msg", "")[:300],
            ))
