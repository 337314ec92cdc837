"""CodeQL joins the oracle when it is installed. A fake ``codeql`` executable stands in for the real one: it
answers ``version``, ``database create`` and ``database analyze`` the way the CLI does and writes SARIF in
CodeQL's shape (rules under the query packs' extensions, CWE tags, security-severity scores)."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest

from tsp_utils import oracle
from tsp_utils.oracle import Snippet, analyze_batch

FAKE_CODEQL = r'''#!{python}
import json, os, sys
here = os.path.dirname(os.path.abspath(__file__))
args = sys.argv[1:]
with open(os.path.join(here, "calls.jsonl"), "a") as fh:
    fh.write(json.dumps(args) + "\n")
if args[:1] == ["version"]:
    print("2.99.0-fake")
    sys.exit(0)
opt = {{a.split("=", 1)[0]: a.split("=", 1)[1] for a in args if a.startswith("--") and "=" in a}}
if os.path.exists(os.path.join(here, "fail-" + args[1])):
    print("A fatal error occurred: simulated", file=sys.stderr)
    sys.exit(2)
if args[:2] == ["database", "create"]:
    os.makedirs(args[2], exist_ok=True)
    json.dump({{"src": opt["--source-root"], "language": opt["--language"]}}, open(os.path.join(args[2], "db.json"), "w"))
elif args[:2] == ["database", "analyze"]:
    db = json.load(open(os.path.join(args[2], "db.json")))
    results = []
    for name in sorted(os.listdir(db["src"])):
        for n, line in enumerate(open(os.path.join(db["src"], name)), 1):
            if "logger.info(" in line:  # a stand-in finding on every logging call
                results.append({{"ruleId": "py/log-injection", "rule": {{"id": "py/log-injection", "index": 0,
                                "toolComponent": {{"index": 0}}}}, "message": {{"text": "Log entry depends on user input."}},
                                "locations": [{{"physicalLocation": {{"artifactLocation": {{"uri": name}},
                                                "region": {{"startLine": n, "endLine": n}}}}}}]}})
    rules = [{{"id": "py/log-injection", "properties": {{"tags": ["security", "external/cwe/cwe-117"],
                                                       "security-severity": "7.8", "problem.severity": "error"}}}}]
    sarif = {{"version": "2.1.0", "runs": [{{"tool": {{"driver": {{"name": "CodeQL", "rules": []}},
                                            "extensions": [{{"name": "codeql/python-queries", "rules": rules}}]}},
                                          "results": results}}]}}
    json.dump(sarif, open(opt["--output"], "w"))
'''

# Our rules take line-break removal as neutralising a logged value; the fake CodeQL flags every logger.info line, so
# the label below is CodeQL's doing alone.
LOGGING = textwrap.dedent("""\
    def greet(request):
        name = request.args["name"].replace("\\n", " ")
        logger.info("hello " + name)
        return name
    """)


@pytest.fixture
def fake_codeql(tmp_path, monkeypatch):
    path = tmp_path / "codeql"
    path.write_text(FAKE_CODEQL.format(python=sys.executable))
    path.chmod(0o755)
    monkeypatch.setenv("TSP_CODEQL", str(path))
    monkeypatch.setenv("TSP_ORACLE_CODEQL", "auto")
    return tmp_path


def _calls(dirpath: Path) -> list[list[str]]:
    return [json.loads(line) for line in (dirpath / "calls.jsonl").read_text().splitlines()]


def test_codeql_finding_decides_the_label(fake_codeql):
    context = "import logging\nlogger = logging.getLogger(__name__)\n"
    verdict, = analyze_batch([Snippet(LOGGING, "python", context)], progress=False)
    assert verdict.label == "vulnerable"
    codeql = [f for f in verdict.findings if f.analyzer == "codeql"]
    assert [(f.rule_id, f.cwe, f.line, f.severity) for f in codeql] == [("py/log-injection", "cwe-117", 3, "high")]
    creates = [c for c in _calls(fake_codeql) if c[:2] == ["database", "create"]]
    assert creates and "--language=python" in creates[0] and "--build-mode=none" in creates[0]
    analyses = [c for c in _calls(fake_codeql) if c[:2] == ["database", "analyze"]]
    assert oracle.CODEQL_SUITES["python"] in analyses[0]


def test_without_codeql_the_same_code_is_secure(monkeypatch):
    monkeypatch.setenv("TSP_ORACLE_CODEQL", "off")
    verdict, = analyze_batch([Snippet(LOGGING, "python")], progress=False)
    assert verdict.label == "secure"
    assert "codeql" not in oracle.analyzers_for("python")


def test_codeql_failure_is_unknown_not_secure(fake_codeql):
    (fake_codeql / "fail-analyze").touch()
    verdict, = analyze_batch([Snippet("def add(a, b):\n    return a + b\n", "python")], progress=False)
    assert verdict.label == "unknown"
    assert "codeql analyze failed" in verdict.reason


def test_one_database_per_language_and_c_maps_to_cpp(fake_codeql):
    snippets = [Snippet("int add(int a, int b) { return a + b; }\n", "c"),
                Snippet("int sub(int a, int b) { return a - b; }\n", "cpp"),
                Snippet("def f(x):\n    return x\n", "python"),
                Snippet("def g(x):\n    return x\n", "python"),
                Snippet('package main\n\nfunc main() {}\n', "go")]
    verdicts = analyze_batch(snippets, progress=False)
    assert [v.label for v in verdicts[:4]] == ["secure"] * 4
    creates = [c for c in _calls(fake_codeql) if c[:2] == ["database", "create"]]
    assert sorted(a for c in creates for a in c if a.startswith("--language=")) == ["--language=cpp",
                                                                                   "--language=python"]
    assert "codeql" not in oracle.analyzers_for("go")


def test_cache_keys_differ_with_and_without_codeql(fake_codeql, monkeypatch):
    with_codeql = oracle.ruleset_version()
    monkeypatch.setenv("TSP_ORACLE_CODEQL", "off")
    assert oracle.ruleset_version() != with_codeql


def test_required_but_missing_codeql_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("TSP_ORACLE_CODEQL", "on")
    monkeypatch.setenv("TSP_CODEQL", str(tmp_path / "nowhere" / "codeql"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="TSP_ORACLE_CODEQL=on"):
        oracle.analyzers_for("python")


def test_report_says_which_analyzers_judged(fake_codeql, monkeypatch):
    from tsp_utils import report

    assert "together with CodeQL 2.99.0-fake" in report.oracle_sentence()
    monkeypatch.setenv("TSP_ORACLE_CODEQL", "off")
    assert "not by CodeQL" in report.oracle_sentence()


def test_unknown_codeql_setting_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("TSP_ORACLE_CODEQL", "sometimes")
    with pytest.raises(ValueError, match="TSP_ORACLE_CODEQL='sometimes'"):
        oracle.codeql_enabled()
