"""Our semgrep rules against their fixtures (`semgrep --test`): every `ruleid:` line is reported, no `ok:` line is."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tsp_utils import oracle

FIXTURES = Path(__file__).resolve().parent / "oracle_rules"
SEMGREP = shutil.which("semgrep") or str(Path(sys.executable).with_name("semgrep"))


def _semgrep_test(rules: Path, fixtures: list[Path], tmp_path: Path) -> subprocess.CompletedProcess:
    """semgrep --test pairs a target with the rule file of the same stem in the same folder: lay them out so."""
    for fixture in fixtures:
        shutil.copy(fixture, tmp_path / fixture.name)
        shutil.copy(rules, tmp_path / f"{fixture.stem}.yml")
    env = {**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0"}
    return subprocess.run([SEMGREP, "--test", "--metrics=off", "--disable-version-check", str(tmp_path)],
                          capture_output=True, text=True, env=env, timeout=600)


@pytest.mark.skipif(not Path(SEMGREP).exists(), reason="semgrep not installed")
def test_javascript_rule_fixtures(tmp_path):
    fixtures = sorted(FIXTURES.glob("javascript*.js"))
    assert len(fixtures) >= 3
    proc = _semgrep_test(oracle.RULES_DIR / "javascript.yml", fixtures, tmp_path)
    assert proc.returncode == 0 and "All tests passed" in proc.stdout + proc.stderr, proc.stdout[-3000:] + proc.stderr[-3000:]


def test_javascript_fixtures_cover_every_rule():
    """Each JavaScript rule has at least one `ruleid:` line, and every rule id a fixture names exists."""
    import yaml

    rules = {r["id"] for r in yaml.safe_load((oracle.RULES_DIR / "javascript.yml").read_text())["rules"]}
    text = "\n".join(p.read_text() for p in FIXTURES.glob("javascript*.js"))
    named = {tok.strip() for line in text.splitlines() if "// ruleid:" in line or "// ok:" in line
             for tok in line.split(":", 1)[1].split(",")}
    flagged = {tok.strip() for line in text.splitlines() if "// ruleid:" in line for tok in line.split(":", 1)[1].split(",")}
    assert named <= rules, named - rules
    assert not rules - flagged, f"rules without a ruleid fixture line: {sorted(rules - flagged)}"
