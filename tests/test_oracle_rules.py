"""Our semgrep rules against their fixtures: `semgrep --test` on tests/oracle_rules/<rules file>.<ext>.

Each fixture holds `# ruleid: <id>` lines (the next line must be reported by that rule) and `# ok: <id>` lines (it
must not be): the classes a rule is written for and the false alarms it must not raise. One test per language, so
that each rules file and its fixture change together.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from tsp_utils.oracle import tools
from tsp_utils.oracle.analyzers.semgrep import RULES_DIR

FIXTURES = Path(__file__).resolve().parent / "oracle_rules"


def _semgrep_test(rules: Path, fixture: Path) -> subprocess.CompletedProcess:
    cmd = tools.tool_cmd("semgrep")
    if cmd is None:
        pytest.skip("semgrep is not installed")
    return subprocess.run([*cmd, "--test", "--metrics=off", "--disable-version-check", "--config", str(rules),
                           str(fixture)], capture_output=True, text=True, env=tools.tool_env(), timeout=300)


def _rule_ids(rules: Path) -> set[str]:
    return {r["id"] for r in yaml.safe_load(rules.read_text(encoding="utf-8"))["rules"]}


def test_python_rule_fixtures():
    rules, fixture = RULES_DIR / "python.yml", FIXTURES / "python.py"
    text = fixture.read_text(encoding="utf-8")
    # every rule has a case that it must report
    missing = sorted(i for i in _rule_ids(rules) if f"ruleid: {i}" not in text and f", {i}" not in text)
    assert not missing, f"rules without a `# ruleid:` case in {fixture.name}: {missing}"
    proc = _semgrep_test(rules, fixture)
    assert proc.returncode == 0 and "All tests passed" in proc.stdout + proc.stderr, proc.stdout[-4000:] + proc.stderr[-2000:]
