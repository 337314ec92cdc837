"""Static-analysis security oracle: label code snippets "secure" / "vulnerable" / "unknown".

The TSP paper labels programs with CodeQL; this oracle combines the analyzers a virtual environment can ship
(bandit, semgrep with our rules, flawfinder, cppcheck) behind syntax checks, and adds CodeQL where it is installed.
``unknown`` is never folded into ``secure``. The decision rule, the analyzers per language and what they cannot
see, the severity policy and the cache are described in docs/oracle.md.
"""

from ..languages import LANGUAGES, normalize_language
from . import analyzers, attribution, batch, cache, cli, compile, fidelity, job, policy, records, syntax, tools
from .analyzers import RULES_DIR, analyzers_for, codeql_enabled, codeql_version
from .analyzers.codeql import CODEQL_SUITES, CODEQL_TIMEOUTS, parse_codeql_sarif
from .attribution import attribute, attribute_batch
from .batch import analyze, analyze_batch
from .cache import ruleset_version
from .cli import load_corpus, load_pairs, main
from .compile import C_COMPILERS, CompileResult, compile_check, compile_rule
from .fidelity import FidelityReport, FidelityRow, fidelity_report, reachable_cwes
from .policy import (BANDIT_DEMOTED, COUNT_THRESHOLD, CWE_FAMILIES, FLAWFINDER_DEMOTED, IGNORED_RULES, SEVERITIES,
                     cwe_matches, ignored_rules_markdown, normalize_cwe)
from .records import Branch, BranchVerdict, Finding, Snippet, ToolFailure, Verdict, finding_key
from .syntax import SYNTAX_CHECKED
# Tables that callers change in place (tests: TOOL_COMMANDS["semgrep"] = ["false"]). A name that is rebound instead
# (CACHE_SHARDS_MAX, DECISION_SOURCES, tools.run_tool) must be patched in its own module, which reads it.
from .tools import DEFAULT_TIMEOUTS, MAX_FILES_PER_PROCESS, TOOL_COMMANDS

# language -> the extension of the analysed copy (the analyzers pick their parser by it), from the language table
SUPPORTED_LANGUAGES: dict[str, str] = {lang.id: lang.extension for lang in LANGUAGES.values()}

__all__ = [
    "Finding",
    "Verdict",
    "Snippet",
    "BranchVerdict",
    "Branch",
    "FidelityReport",
    "FidelityRow",
    "analyze",
    "analyze_batch",
    "compile_check",
    "CompileResult",
    "attribute",
    "attribute_batch",
    "fidelity_report",
    "normalize_language",
    "ruleset_version",
    "ignored_rules_markdown",
    "analyzers_for",
    "codeql_enabled",
    "codeql_version",
    "parse_codeql_sarif",
    "load_corpus",
    "load_pairs",
    "finding_key",
    "reachable_cwes",
    "IGNORED_RULES",
    "SUPPORTED_LANGUAGES",
    "main",
]
