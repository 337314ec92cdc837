"""CodeQL, where installed: one database per language per batch, its security-extended suite, SARIF read back.

``TSP_ORACLE_CODEQL`` = auto (default), on or off; ``TSP_CODEQL`` names the executable (docs/oracle.md).
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
from pathlib import Path
from typing import Any

from ...languages import LANGUAGES
from .. import tools
from ..job import Job
from ..policy import normalize_cwe
from ..records import Finding, ToolFailure

# CodeQL's language name -> the query suite run for it (the languages table says which of ours it covers).
CODEQL_SUITES: dict[str, str] = {
    name: f"codeql/{name}-queries:codeql-suites/{name}-security-extended.qls"
    for name in sorted({lang.codeql for lang in LANGUAGES.values() if lang.codeql})
}
CODEQL_TIMEOUTS = {"base_s": 600.0, "per_file_s": 2.0}  # database creation alone takes tens of seconds


def codeql_enabled() -> bool:
    """Whether CodeQL joins the analyzers: ``TSP_ORACLE_CODEQL`` = auto (default: when installed), on, off."""
    mode = os.environ.get("TSP_ORACLE_CODEQL", "auto").strip().lower()
    if mode in ("0", "off", "false", "no"):
        return False
    if mode not in ("auto", "", "1", "on", "true", "yes"):
        raise ValueError(f"TSP_ORACLE_CODEQL={mode!r} is not understood: use auto (the default), on or off")
    found = tools.tool_cmd("codeql") is not None
    if mode in ("1", "on", "true", "yes") and not found:
        raise RuntimeError("TSP_ORACLE_CODEQL=on but no codeql executable was found: install the CodeQL bundle "
                           "(https://github.com/github/codeql-action/releases) and put codeql on PATH, or set "
                           "TSP_CODEQL=/path/to/codeql")
    return found


def codeql_version() -> str | None:
    """The version of the CodeQL that joins the analyzers, or None when it does not."""
    return _codeql_version(tuple(tools.tool_cmd("codeql") or ())) if codeql_enabled() else None


@functools.lru_cache(maxsize=8)
def _codeql_version(cmd: tuple[str, ...]) -> str:
    try:
        proc = subprocess.run([*cmd, "version", "--format=terse"], capture_output=True, text=True, timeout=120,
                              env=tools.tool_env())
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unusable ({exc.__class__.__name__})"
    return proc.stdout.strip() or f"unusable (exit {proc.returncode})"


def _sarif_rules(run: dict[str, Any]) -> dict[tuple[int | None, str], dict[str, Any]]:
    """Rule metadata by (tool component, rule id): CodeQL puts its queries' rules under the packs' extensions."""
    tool = run.get("tool", {})
    components = [tool.get("driver", {})] + list(tool.get("extensions", []) or [])
    rules: dict[tuple[int | None, str], dict[str, Any]] = {}
    for index, comp in enumerate(components):
        for rule in comp.get("rules", []) or []:
            rules[(index - 1 if index else None, rule.get("id", ""))] = rule
            rules.setdefault((None, rule.get("id", "")), rule)
    return rules


def _codeql_severity(props: dict[str, Any]) -> str:
    try:
        score = float(props.get("security-severity"))
    except (TypeError, ValueError):
        return {"error": "high", "warning": "medium"}.get(str(props.get("problem.severity", "")), "low")
    return "high" if score >= 7.0 else "medium" if score >= 4.0 else "low"


def parse_codeql_sarif(sarif: dict[str, Any], by_name: dict[str, Job]) -> None:
    """Add the findings of a CodeQL SARIF report to the jobs, by the analysed files' names."""
    for run in sarif.get("runs", []):
        rules = _sarif_rules(run)
        for res in run.get("results", []):
            locs = res.get("locations") or []
            if not locs:
                continue
            phys = locs[0].get("physicalLocation", {})
            job = by_name.get(os.path.basename(phys.get("artifactLocation", {}).get("uri", "")))
            if job is None:
                continue
            rule_id = res.get("ruleId") or (res.get("rule") or {}).get("id", "")
            comp = ((res.get("rule") or {}).get("toolComponent") or {}).get("index")
            rule = rules.get((comp, rule_id)) or rules.get((None, rule_id)) or {}
            props = rule.get("properties", {}) or {}
            cwes = [t.rsplit("/", 1)[-1] for t in props.get("tags", []) if "external/cwe/" in t]
            region = phys.get("region", {})
            line = int(region.get("startLine", 1))
            job.add_finding(Finding(
                analyzer="codeql",
                rule_id=rule_id,
                cwe=normalize_cwe(cwes[0]) if cwes else None,
                line=line,
                severity=_codeql_severity(props),
                message=str((res.get("message") or {}).get("text", "")).strip().splitlines()[0][:300]
                if (res.get("message") or {}).get("text") else "",
                end_line=int(region.get("endLine", line)),
            ))


def run_codeql(jobs: list[Job], workdir: str, language: str, threads: int) -> None:
    """One CodeQL database over all of a batch's files of one language, then its security suite as SARIF."""
    by_name = {j.fname: j for j in jobs}
    root = Path(workdir) / f"codeql-{language}"
    src, db, sarif_path = root / "src", root / "db", root / "results.sarif"
    src.mkdir(parents=True)
    for job in jobs:
        (src / job.fname).write_text(job.text, encoding="utf-8")
    timeout = CODEQL_TIMEOUTS["base_s"] + CODEQL_TIMEOUTS["per_file_s"] * len(jobs)
    steps = [
        ["database", "create", str(db), f"--language={language}", f"--source-root={src}", "--build-mode=none",
         "--overwrite", f"--threads={max(1, threads)}", "--quiet"],
        ["database", "analyze", str(db), CODEQL_SUITES[language], "--format=sarif-latest", f"--output={sarif_path}",
         f"--threads={max(1, threads)}", "--quiet"],
    ]
    try:
        for args in steps:
            proc = tools.run_tool("codeql", args, str(root), timeout)
            if proc.returncode != 0:
                raise tools.failed(f"codeql {args[1]}", proc)
        try:
            sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ToolFailure(f"codeql wrote no readable SARIF: {exc}") from exc
    except ToolFailure as exc:
        for job in jobs:
            job.fail(str(exc))
        return
    parse_codeql_sarif(sarif, by_name)
