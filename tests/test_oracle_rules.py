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


def _semgrep_test(tmp_path, rules: str, fixture: str) -> None:
    semgrep = tools.tool_cmd("semgrep")
    if semgrep is None:
        pytest.skip("semgrep is not installed")
    # semgrep --test pairs a rules file with the target of the same stem; copies keep .semgrepignore (tests/) out
    shutil.copy(RULES_DIR / rules, tmp_path / rules)
    shutil.copy(FIXTURES / fixture, tmp_path / fixture)
    proc = subprocess.run([*semgrep, "--test", "--metrics=off", "--disable-version-check", "--config", rules, fixture],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0"})
    assert proc.returncode == 0, f"semgrep --test {rules} {fixture} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    ids = {r["id"] for r in yaml.safe_load((RULES_DIR / rules).read_text())["rules"]}
    marked = {i.strip() for line in (FIXTURES / fixture).read_text().splitlines()
              for m in [re.search(r"(?://|#)\s*ruleid:\s*(.+)$", line)] if m for i in m.group(1).split(",")}
    assert not ids - marked, f"rules without a 'ruleid:' fixture line: {sorted(ids - marked)}"


def test_go_rule_fixtures(tmp_path):
    _semgrep_test(tmp_path, "go.yml", "go.go")


def test_python_rule_fixtures(tmp_path):
    _semgrep_test(tmp_path, "python.yml", "python.py")
