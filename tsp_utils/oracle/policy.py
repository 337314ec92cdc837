"""What counts: severities, the threshold, the rules we ignore or demote, and CWE families (docs/oracle.md)."""

from __future__ import annotations

import re
from typing import Any

SEVERITIES = ("low", "medium", "high")
SEV_RANK = {s: i for i, s in enumerate(SEVERITIES)}
# A finding decides the label only from this severity up; lower ones are kept as advisories.
COUNT_THRESHOLD = "medium"

# (analyzer, rule id) -> why it is ignored. Ignored findings are dropped entirely (not even advisories).
IGNORED_RULES: dict[tuple[str, str], str] = {
    ("bandit", "B101"): "assert used: a code-quality lint (CWE-703), fires on tests and fixed code alike",
    ("bandit", "B110"): "try/except/pass: error-handling lint, not an exploitable weakness",
    ("bandit", "B112"): "try/except/continue: error-handling lint, not an exploitable weakness",
    ("bandit", "B113"): "request without timeout: availability lint; also fires on the fixed twin of "
                        "command-injection fixes that switch to requests",
    ("bandit", "B311"): "any use of `random`: replaced by semgrep rule py-weak-random-secret, which only "
                        "fires when the value is a token/password/key",
    ("bandit", "B603"): "subprocess without shell: this is the recommended FIX for command injection",
    ("bandit", "B607"): "partial executable path: environment hardening lint, fires on fixed code",
    ("bandit", "B404"): "import subprocess: importing is not a weakness, the call checks cover use",
    ("bandit", "B403"): "import pickle: the call checks (B301) cover use",
    ("bandit", "B401"): "import telnetlib: the call check (B312) covers use",
    ("bandit", "B402"): "import ftplib: the call check (B321) covers use",
    ("bandit", "B405"): "import xml.etree: the call checks (B313-B320) cover use",
    ("bandit", "B406"): "import xml.sax: the call checks cover use",
    ("bandit", "B407"): "import xml.dom.expatbuilder: the call checks cover use",
    ("bandit", "B408"): "import xml.dom.minidom: the call checks cover use",
    ("bandit", "B409"): "import xml.dom.pulldom: the call checks cover use",
    ("bandit", "B410"): "import lxml: the call checks cover use",
    ("bandit", "B411"): "import xmlrpclib: the call checks cover use",
    ("bandit", "B412"): "import httpoxy-affected module: deployment issue, not code",
    ("bandit", "B413"): "import pycrypto: deprecated library, the cipher checks cover use",
    ("bandit", "B415"): "import pyghmi: the call checks cover use",
    ("cppcheck", "syntaxError"): "tool-internal: gcc is the syntax authority, cppcheck chokes on macros",
    ("cppcheck", "unknownMacro"): "tool-internal: snippets lack their project's macro definitions",
    ("cppcheck", "internalAstError"): "tool-internal parser failure",
    ("cppcheck", "internalError"): "tool-internal failure",
    ("cppcheck", "cppcheckError"): "tool-internal failure",
    ("cppcheck", "preprocessorErrorDirective"): "#error from missing configuration, not code",
    ("cppcheck", "missingInclude"): "snippets are analysed without their project's headers",
    ("cppcheck", "missingIncludeSystem"): "snippets are analysed without system headers",
    ("cppcheck", "normalCheckLevelMaxBranches"): "informational message about analysis depth",
    ("cppcheck", "checkersReport"): "informational message",
    ("cppcheck", "toomanyconfigs"): "informational message",
    ("cppcheck", "unmatchedSuppression"): "informational message",
    ("cppcheck", "uninitvar"): "snippets lack the callers; uninitialised-read findings on fragments are "
                               "dominated by macros we cannot see",
    ("cppcheck", "ctuOneDefinitionRuleViolation"): "cross-file check: the snippets of one batch are unrelated "
                                                    "programs, so a verdict would depend on the other snippets",
    ("cppcheck", "uninitMemberVarNoCtor"): "fires on every aggregate struct without member initialisers, on the "
                                           "fixed twin as on the vulnerable one",
    ("cppcheck", "containerOutOfBounds"): "fires after the length check that fixes the read as well; the rules "
                                          "c-parsed-number-unbounded / c-table-index-unchecked check the bound",
    ("cppcheck", "shadowVariable"): "style lint, not a security weakness",
    ("cppcheck", "unusedVariable"): "style lint, not a security weakness",
    ("cppcheck", "unreadVariable"): "style lint, not a security weakness",
    ("cppcheck", "unusedFunction"): "style lint, not a security weakness",
    ("flawfinder", "FF1013"): "statically-sized array declaration: every C function has one; the real "
                              "overflow is reported at the write (strcpy/memcpy/...)",
    ("flawfinder", "FF1022"): "strlen on possibly unterminated string: level-1 noise",
}

# bandit checks kept only as advisories (not counted): they fire on any use of an API, including the
# safe configurations, and our semgrep rules check the unsafe configuration instead.
BANDIT_DEMOTED: dict[str, str] = {
    "B308": "mark_safe on any value: replaced by taint rule py-markup-unescaped",
    "B703": "django mark_safe on any value: replaced by taint rule py-markup-unescaped",
    "B704": "markupsafe.Markup on any value: replaced by taint rule py-markup-unescaped",
    "B310": "urllib.urlopen scheme audit: fires on every https fetch",
    "B313": "xml.etree parse: not XXE-prone on Python >= 3.7.1; py-xml-* rules check parser configuration",
    "B314": "xml.etree parse: see B313",
    "B315": "xml.etree expatreader: see B313",
    "B316": "xml expatbuilder: see B313",
    "B317": "xml.sax parser creation: safe by default since 3.7.1; py-xml-external-entities checks setFeature",
    "B318": "xml.dom.minidom: flagged by py-xml-stdlib-untrusted for parse calls",
    "B319": "xml.dom.pulldom: flagged by py-xml-stdlib-untrusted for parse calls",
    "B320": "lxml parse: safe unless the parser resolves entities; py-xml-external-entities checks that",
    "B104": "binding to all interfaces: deployment choice, not a code weakness in a function",
    "B105": "hard-coded password heuristic on any 'password' string: py-hardcoded-credential is stricter",
    "B106": "see B105",
    "B107": "see B105",
    "B601": "paramiko exec_command audit: fires on constant commands",
    "B602": "subprocess with shell=True on any non-literal command, including a constant joined with a temp-file "
            "name: replaced by taint rule py-shell-injection (the command must carry an input of the function)",
    "B604": "any call with shell=True: see B602",
    "B102": "exec on any value: replaced by taint rule py-exec-nonliteral",
    "B307": "eval on any value, even after an allow-list check: replaced by taint rule py-eval-nonliteral",
    "B608": "SQL-looking string building at LOW confidence; also fires on constant f-strings. The semgrep "
            "rules py-sql-built-query* require a formatted string that reaches an execute() call",
}

# Families used for the secondary "CWE match" metric: a finding CWE matches the labelled vul_type if it is
# the same id or both ids are in the same family (e.g. a strcpy overflow is CWE-120 for flawfinder while the
# dataset labels it CWE-787). Kept small and explicit.
CWE_FAMILIES: list[frozenset[str]] = [
    frozenset({"cwe-119", "cwe-120", "cwe-121", "cwe-122", "cwe-125", "cwe-126", "cwe-787", "cwe-788",
               "cwe-805", "cwe-131", "cwe-193", "cwe-170", "cwe-785", "cwe-676"}),
    frozenset({"cwe-190", "cwe-191", "cwe-680", "cwe-681", "cwe-197"}),
    frozenset({"cwe-416", "cwe-415", "cwe-825", "cwe-672"}),
    frozenset({"cwe-327", "cwe-328", "cwe-326", "cwe-916", "cwe-759", "cwe-760"}),
    frozenset({"cwe-330", "cwe-338", "cwe-331", "cwe-335"}),
    frozenset({"cwe-078", "cwe-077", "cwe-088"}),
    frozenset({"cwe-094", "cwe-095", "cwe-913"}),
    frozenset({"cwe-079", "cwe-080", "cwe-116"}),
    frozenset({"cwe-022", "cwe-023", "cwe-036", "cwe-073"}),
    frozenset({"cwe-798", "cwe-259", "cwe-321"}),
    frozenset({"cwe-377", "cwe-378", "cwe-379", "cwe-732"}),
    frozenset({"cwe-476", "cwe-690", "cwe-252"}),
    frozenset({"cwe-915", "cwe-1321"}),
]


# flawfinder hits that our check-aware semgrep rules replace (flawfinder is a lexer: it flags every call,
# including the ones a fixed version guards with a length check or runs without a shell).
FLAWFINDER_DEMOTED: dict[str, str] = {
    "strcpy": "c-strcpy-unchecked counts only copies with no preceding length check",
    "strcat": "c-strcpy-unchecked counts only copies with no preceding length check",
    "wcscpy": "see strcpy",
    "lstrcpy": "see strcpy",
    "system": "c-shell-command-nonliteral counts only non-constant commands",
    "popen": "c-shell-command-nonliteral counts only non-constant commands",
    "execl": "exec* without a shell is the recommended fix for command injection",
    "execlp": "see execl",
    "execle": "see execl",
    "execv": "see execl",
    "execvp": "see execl",
    "execvpe": "see execl",
    "memcpy": "c-memcpy-unchecked-length counts only unchecked lengths into fixed buffers",
    "CopyMemory": "see memcpy",
    "realpath": "realpath is the recommended FIX for path traversal",
    "getenv": "reading the environment is not a weakness by itself",
    "fopen": "flawfinder's 'check when opening files' note fires on every fopen",
    "open": "see fopen",
    "read": "flawfinder's loop-read note fires on every read()",
    "fgetc": "see read",
    "getc": "see read",
    "atoi": "range of atoi results is a correctness lint",
    "atol": "see atoi",
    "srand": "c-weak-random-secret covers security-sensitive uses",
    "random": "see srand",
    "rand": "see srand",
}


# CWEs that name code quality, not a weakness an attacker can use: a finding under one of them (cppcheck's
# noCopyConstructor, noOperatorEq, duplicateExpression are CWE-398) is advisory whatever its tool's severity.
QUALITY_CWES = {"cwe-398": "indicator of poor code quality (a class with a raw resource and no copy constructor...)"}


def normalize_cwe(value: Any) -> str | None:
    """'CWE-78', 78, 'cwe-078: OS command' -> 'cwe-078'."""
    if value is None or value == "":
        return None
    m = re.search(r"(\d+)", str(value))
    if not m:
        return None
    num = int(m.group(1))
    if num <= 0:
        return None
    return f"cwe-{num:03d}"


def cwe_matches(found: str | None, expected: str | None) -> bool:
    if not found or not expected:
        return False
    found, expected = normalize_cwe(found), normalize_cwe(expected)
    if found == expected:
        return True
    return any(found in fam and expected in fam for fam in CWE_FAMILIES)


def ignored_rules_markdown() -> str:
    """The ignore/demotion policy as a markdown table (for notebooks and docs)."""
    rows = ["| analyzer | rule | treatment | why |", "|---|---|---|---|"]
    for (analyzer, rule), why in sorted(IGNORED_RULES.items()):
        rows.append(f"| {analyzer} | {rule} | dropped | {why} |")
    for rule, why in sorted(BANDIT_DEMOTED.items()):
        rows.append(f"| bandit | {rule} | advisory only | {why} |")
    for name, why in sorted(FLAWFINDER_DEMOTED.items()):
        rows.append(f"| flawfinder | {name} | advisory only | {why} |")
    rows.append("| flawfinder | level 0-1 | dropped | informational hits |")
    rows.append("| flawfinder | level 2-3 | advisory only | risky-API notes that fire on fixed code alike |")
    rows.append("| cppcheck | style/portability/performance | advisory only | not security findings |")
    for cwe, why in sorted(QUALITY_CWES.items()):
        rows.append(f"| cppcheck | any rule under {cwe.upper()} | advisory only | {why} |")
    rows.append("| semgrep | INFO rules | advisory only | context for humans, e.g. go-weak-hash on non-secret data |")
    return "\n".join(rows) + "\n"
