"""Fixtures of our semgrep rules (semgrep-rules style): `ruleid:` / `ok:` comment lines in
tests/oracle_rule_fixtures/<language>.<ext>, checked by `semgrep --test` against tsp_utils/oracle/rules/<language>.yml.
Every rule of a checked rules file must have at least one `ruleid:` line, so that no rule goes untested."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tsp_utils.oracle import tools
from tsp_utils.oracle.analyzers import RULES_DIR

FIXTURES = Path(__file__).resolve().parent / "oracle_rule_fixtures"


def _semgrep_test(tmp_path, rules: str, *fixtures: str) -> None:
    semgrep = tools.tool_cmd("semgrep")
    if semgrep is None:
        pytest.skip("semgrep is not installed")
    # semgrep --test pairs a target with the rules file of the same stem in its folder: one copy of the rules per
    # fixture stem (javascript_csrf.js reads javascript_csrf.yml); copies keep .semgrepignore (tests/) out
    for fixture in fixtures:
        shutil.copy(FIXTURES / fixture, tmp_path / fixture)
        shutil.copy(RULES_DIR / rules, tmp_path / f"{Path(fixture).stem}.yml")
    proc = subprocess.run([*semgrep, "--test", "--metrics=off", "--disable-version-check", "."],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0"})
    assert proc.returncode == 0, f"semgrep --test {rules} {fixtures} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    ids = {r["id"] for r in yaml.safe_load((RULES_DIR / rules).read_text())["rules"]}
    marked = {i.strip() for fixture in fixtures for line in (FIXTURES / fixture).read_text().splitlines()
              for m in [re.search(r"(?://|#)\s*ruleid:\s*(.+)$", line)] if m for i in m.group(1).split(",")}
    assert not ids - marked, f"rules without a 'ruleid:' fixture line: {sorted(ids - marked)}"
    named = {i.strip() for fixture in fixtures for line in (FIXTURES / fixture).read_text().splitlines()
             for m in [re.search(r"(?://|#)\s*(?:ruleid|ok):\s*(.+)$", line)] if m for i in m.group(1).split(",")}
    assert named <= ids, f"fixture lines name rules that do not exist: {sorted(named - ids)}"


def test_go_rule_fixtures(tmp_path):
    _semgrep_test(tmp_path, "go.yml", "go.go")


def test_python_rule_fixtures(tmp_path):
    _semgrep_test(tmp_path, "python.yml", "python.py")


def test_c_rule_fixtures(tmp_path):
    """rules/c.yml covers C and C++: one fixture of each."""
    _semgrep_test(tmp_path, "c.yml", "c.c", "c.cpp")


def test_javascript_rule_fixtures(tmp_path):
    _semgrep_test(tmp_path, "javascript.yml", "javascript.js", "javascript_csrf.js", "javascript_csrf_ok.js")
