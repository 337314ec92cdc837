"""Containment and status tests for tsp_utils.sandbox (each hostile case must end as error/timeout)."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest

from tsp_utils.sandbox import SandboxJob, run_many, run_python

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")


def _sandbox_uid_pids() -> list[int]:
    # per-run uids are allocated from [200000, 260000); anything left there after a run is a leak
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = dict(line.split(":", 1) for line in Path(f"/proc/{entry}/status").read_text().splitlines()
                              if ":" in line)
            except OSError:
                continue
            state = fields.get("State", "").split()[:1]
            uid = int(fields.get("Uid", "0").split()[0])
            if 200_000 <= uid < 260_000 and state not in (["Z"], ["X"]):
                pids.append(int(entry))
    return pids


def test_pass_with_test_file_and_extra_files():
    r = run_python(
        "def add(a, b):\n    return a + b\n",
        "from solution import add\nassert add(2, 3) == 5\nprint(open('data/x.txt').read())\n",
        files={"data/x.txt": "payload"},
    )
    assert r.status == "pass", r
    assert r.returncode == 0 and "payload" in r.stdout
    assert r.limits["RLIMIT_CPU"] == 10 and r.limits["RLIMIT_CORE"] == 0
    assert "network" in r.limits


def test_fail_on_assertion():
    r = run_python("def add(a, b):\n    return a - b\n", "from solution import add\nassert add(2, 3) == 5\n")
    assert r.status == "fail" and "AssertionError" in r.reason


def test_error_on_exception_and_syntax():
    assert run_python("raise ValueError('boom')\n").status == "error"
    assert run_python("def f(:\n").status == "error"


def test_environment_is_scrubbed():
    os.environ["TSP_SECRET_FOR_TEST"] = "leak"
    try:
        r = run_python("import os, json\nprint(json.dumps(dict(os.environ)))\n")
    finally:
        del os.environ["TSP_SECRET_FOR_TEST"]
    assert r.status == "pass"
    assert "leak" not in r.stdout and "TSP_SECRET_FOR_TEST" not in r.stdout
    assert '"HOME"' in r.stdout


def test_infinite_loop_times_out():
    r = run_python("while True:\n    pass\n", timeout_s=1.5, cpu_s=10)
    assert r.status == "timeout" and r.wall_s < 5


def test_cpu_limit():
    r = run_python("while True:\n    pass\n", timeout_s=10, cpu_s=1)
    assert r.status == "timeout" and r.wall_s < 5


def test_huge_allocation_is_contained():
    r = run_python("x = bytearray(10 * 1024 ** 3)\nprint(len(x))\n", memory_mb=512)
    assert r.status == "error" and "Memory" in (r.reason + r.stderr)


def test_fork_bomb_is_contained():
    bomb = (
        "import os\n"
        "for _ in range(100000):\n"
        "    try:\n"
        "        os.fork()\n"
        "    except OSError:\n"
        "        pass\n"
    )
    r = run_python(bomb, timeout_s=3, max_procs=16)
    assert r.status in ("error", "timeout")
    # the host can still start processes, and nothing of the run survives it
    assert subprocess.run(["true"]).returncode == 0
    assert _sandbox_uid_pids() == []


def test_escaped_daemon_is_killed():
    code = "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(60)\nprint('parent exits')\n"
    r = run_python(code, timeout_s=5)
    assert r.status == "pass"
    assert _sandbox_uid_pids() == []


@pytest.mark.parametrize("target", [
    Path("/tmp") / f"tsp_escape_{uuid.uuid4().hex}",
    REPO / f"tsp_escape_{uuid.uuid4().hex}.txt",
])
def test_writes_outside_tempdir_fail(target):
    r = run_python(f"open({str(target)!r}, 'w').write('pwned')\n")
    try:
        assert r.status == "error"
        assert not target.exists()
    finally:
        if target.exists():
            target.unlink()


def test_cannot_kill_parent():
    r = run_python("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n")
    assert r.status == "error"
    assert os.getpid() > 0  # we are still here


def test_network_is_isolated_when_reported():
    r = run_python("import socket\nsocket.create_connection(('10.255.255.1', 80), timeout=2)\n", timeout_s=8)
    if r.limits.get("network", "").startswith("isolated"):
        assert r.status == "error"
    else:
        pytest.skip(f"network not isolated here: {r.limits.get('network')}")


def test_tempdir_removed():
    r = run_python("import os\nprint(os.getcwd())\n")
    assert r.status == "pass"
    assert not Path(r.stdout.strip()).exists()


def test_output_is_truncated():
    r = run_python("print('x' * 200000)\n")
    assert r.status == "pass" and len(r.stdout) < 25000 and "truncated" in r.stdout


def test_run_many_preserves_order():
    jobs = [SandboxJob(code=f"print({i})") for i in range(4)] + [{"code": "raise SystemExit(3)"}]
    results = run_many(jobs, workers=2)
    assert [r.stdout.strip() for r in results[:4]] == ["0", "1", "2", "3"]
    assert results[4].status == "error" and results[4].returncode == 3


def test_code_that_exits_early_with_status_0_does_not_pass_its_test():
    test = "from solution import f\nassert f() == 2\n"
    for exit_call in ("import sys; sys.exit(0)", "import os; os._exit(0)"):
        r = run_python(f"{exit_call}\ndef f():\n    return 1\n", test, timeout_s=20)
        assert r.status == "error" and "did not run to its end" in r.reason, r
    ok = run_python("def f():\n    return 2\n", test + "print('done')\n", timeout_s=20)
    assert ok.status == "pass" and ok.stdout.strip() == "done"  # the runner's token is not shown


def test_outside_linux_the_sandbox_refuses_with_the_reason(monkeypatch):
    import sys

    monkeypatch.setattr(sys, "platform", "darwin")
    with pytest.raises(OSError, match="Linux only"):
        run_python("print(1)\n")
