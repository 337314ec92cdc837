"""Our semgrep rules against their fixtures (semgrep-rules style, `semgrep --test`): every `ruleid:` line must be
matched by that rule and no `ok:` line may be. Fixtures live in tests/oracle_rules/<rules file stem>.<ext>."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tsp_utils.oracle import tools
from tsp_utils.oracle.analyzers import RULES_DIR

FIXTURES = Path(__file__).resolve().parent / "oracle_rules"


def _semgrep_test(stem: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """semgrep --test pairs a rules file with the targets of the same stem in one folder: copy both there."""
    semgrep = tools.tool_cmd("semgrep")
    if semgrep is None:
        pytest.skip("semgrep not installed")
    shutil.copy(RULES_DIR / f"{stem}.yml", tmp_path / f"{stem}.yml")
    fixtures = sorted(FIXTURES.glob(f"{stem}.*"))
    assert fixtures, f"no fixtures for rules/{stem}.yml in {FIXTURES}"
    for path in fixtures:
        shutil.copy(path, tmp_path / path.name)
    env = {**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0"}
    return subprocess.run([*semgrep, "--test", "--metrics=off", "--disable-version-check", str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=600)


def test_c_rule_fixtures(tmp_path):
    """rules/c.yml (C and C++) on tests/oracle_rules/c.c and c.cpp."""
    proc = _semgrep_test("c", tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0 and "All tests passed" in out, out[-3000:]
