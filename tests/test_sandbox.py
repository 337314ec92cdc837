"""Containment and status tests for tsp_utils.sandbox (each hostile case must end as error/timeout)."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from sandbox_fixtures import REPO, _CONNECT, _left_of_the_run, _proc_cmdlines_with, _unix_listener
from sandbox_fixtures import daemon_token  # noqa: F401 -- a fixture
from tsp_utils.sandbox import SandboxJob, mounts, run_many, run_python, uids

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")


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
    assert r.status == "timeout" and r.reason.startswith("wall-clock limit (1.5 s"), r.reason


def test_cpu_limit():
    r = run_python("while True:\n    pass\n", timeout_s=30, cpu_s=1)
    assert r.status == "timeout" and r.reason.startswith("CPU time limit (RLIMIT_CPU 1 s"), r.reason


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
    assert _left_of_the_run(r) == []


def test_escaped_daemon_is_killed(daemon_token):
    code = ("import os, sys\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            f"    os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(60)', {daemon_token!r}])\n"
            "print('parent exits')\n")
    r = run_python(code, timeout_s=5)
    assert r.status == "pass"
    assert _left_of_the_run(r) == [] and _proc_cmdlines_with(daemon_token) == []


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
    # in its PID namespace our pid names nothing (or, where there is none, a process of another uid)
    r = run_python(f"import os, signal\nos.kill({os.getpid()}, signal.SIGKILL)\n")
    assert r.status == "error" and r.reason.split(":")[0] in ("ProcessLookupError", "PermissionError"), r


@pytest.mark.skipif(os.geteuid() != 0, reason="the root path (the tests below cover the user-namespace one)")
def test_as_root_the_program_runs_under_an_init_of_its_own_that_it_cannot_signal():
    code = ("import os, signal\n"
            "print(sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))\n"
            "try:\n"
            "    os.kill(1, signal.SIGKILL)\n"
            "except PermissionError:\n"
            "    print('init refused')\n"
            "print(open('/proc/self/status').read().split('NoNewPrivs:')[1].split()[0])\n")
    r = run_python(code)
    assert r.status == "pass", r
    assert r.limits["pid_namespace"].startswith("yes") and r.limits["proc"] == "private to the run", r.limits
    # init and the program, nothing of the host; and no setuid binary can give the program a privilege back
    assert r.stdout.splitlines() == ["[1, 2]", "init refused", "1"]
    assert r.limits["uid"] >= 200_000 and r.limits["uid_reservation"].startswith("across processes"), r.limits
    # without a mount namespace of its own the run has the host's /proc, and says so (where the run's uid can
    # reach the interpreter at all without one: not under /root/.pyenv, say)
    if mounts.expose_pairs():
        with pytest.raises(ValueError, match="cannot reach the interpreter"):
            run_python("pass\n", isolate_fs=False)
    else:
        assert run_python("pass\n", isolate_fs=False).limits["proc"] == "the host's (no mount namespace of its own)"


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
        assert r.status == "error" and r.reason.startswith("the program ended before the test did"), r
    ok = run_python("def f():\n    return 2\n", test + "print('done')\n", timeout_s=20)
    assert ok.status == "pass" and ok.stdout.strip() == "done"


def test_outside_linux_the_sandbox_refuses_with_the_reason(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    with pytest.raises(OSError, match="Linux only"):
        run_python("print(1)\n")


def _kill_the_parent_of_a_run(code: str, token: str, expected: int, pid_out: list | None = None) -> list[int]:
    """Start run_python in a parent process, wait until ``expected`` processes carry ``token`` in their argv, kill
    the parent, and return what still carries it a few seconds later (killed then, so nothing outlives the test).

    Programs here re-execute themselves with the token in their argv: /proc/<pid>/cmdline is readable by anyone,
    while their cwd is not without CAP_SYS_PTRACE once the run has its own uid. The code travels in the
    environment so that the parent's own argv does not carry the token."""
    parent = subprocess.Popen([sys.executable, "-c", "import os; from tsp_utils.sandbox import run_python; "
                               "print(run_python(os.environ['TSP_TEST_CODE'], timeout_s=60, cpu_s=60))"],
                              cwd=REPO, env={**os.environ, "TSP_TEST_CODE": code},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if pid_out is not None:
        pid_out.append(parent.pid)
    try:
        deadline = time.monotonic() + 60  # a loaded CI machine may take long to import and launch
        while (len(_proc_cmdlines_with(token)) < expected and parent.poll() is None
               and time.monotonic() < deadline):
            time.sleep(0.05)
        if parent.poll() is not None:
            pytest.fail("the parent ended before it was killed: " + parent.stdout.read())
        assert len(_proc_cmdlines_with(token)) == expected, "the sandboxed program never started"
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 5
    while _proc_cmdlines_with(token) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = _proc_cmdlines_with(token)
    for pid in survivors:
        os.kill(pid, 9)
    return survivors


def test_the_program_dies_with_a_parent_that_was_killed(daemon_token):
    """Nobody enforces the time limit once the parent is gone: the launcher asked to die with it. What the dead
    parent could not clean up (its directories, cgroup, uid reservation) goes at the next run of any process."""
    code = ("import os, sys\n"
            f"os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(60)', {daemon_token!r}])\n")
    pid: list[int] = []
    assert _kill_the_parent_of_a_run(code, daemon_token, expected=1, pid_out=pid) == []
    assert run_python("pass\n").status == "pass"
    assert [n for n in os.listdir(tempfile.gettempdir()) if f"_{pid[0]}_" in n] == []
    assert glob.glob(f"/sys/fs/cgroup/**/tsp-sandbox-{pid[0]}-*", recursive=True) == []
    if os.geteuid() == 0:
        folder = Path(uids._uid_lock_dir()[0])
        stale = [u for u in os.listdir(folder) if int(u) not in uids._uids_in_use
                 and (fd := uids._reserve(folder, int(u))) is not None and not os.close(fd)]
        assert stale == []  # every reservation left is held by a live process (another run's)


def test_a_program_that_clears_its_death_signal_and_leaves_a_daemon_still_dies_with_the_parent(daemon_token):
    """The program may clear its own PR_SET_PDEATHSIG and start a setsid child: the run's init (root, or in the
    user namespace) still has the death signal, and its end ends every process of the PID namespace."""
    clear_and_sleep = "import ctypes, time; ctypes.CDLL(None).prctl(1, 0); time.sleep(60)"  # 1: PR_SET_PDEATHSIG
    code = ("import ctypes, os, sys\n"
            "ctypes.CDLL(None).prctl(1, 0)\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            f"    os.execv(sys.executable, [sys.executable, '-c', {clear_and_sleep!r}, {daemon_token!r}, 'daemon'])\n"
            f"os.execv(sys.executable, [sys.executable, '-c', {clear_and_sleep!r}, {daemon_token!r}])\n")
    assert _kill_the_parent_of_a_run(code, daemon_token, expected=2) == []


def test_a_uid_held_by_another_process_is_never_handed_out(tmp_path, monkeypatch):
    """Two processes running sandboxes (two notebooks, a notebook and the tests) must never share a run uid: one
    run's sweep of its uid would kill the other's program."""
    locks, first = tmp_path / "locks", 300_000
    monkeypatch.setattr(uids, "UID_LOCK_DIR", str(locks))
    monkeypatch.setattr(uids, "UID_RANGE", (first, first + 1))  # a single uid to hand out
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom tsp_utils.sandbox import uids\n"
         f"uids.UID_LOCK_DIR, uids.UID_RANGE = {str(locks)!r}, ({first}, {first + 1})\n"
         "print(uids.alloc_uid()[0], flush=True)\ntime.sleep(60)\n"],
        cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == str(first)
        with pytest.raises(RuntimeError, match="no free sandbox uid"):
            uids.alloc_uid()
    finally:
        holder.kill()
        holder.wait()
    assert uids.alloc_uid()[0] == first  # the kernel dropped the dead holder's lock
    uids.free_uid(first)
    assert not (locks / str(first)).exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="starting a process under another uid needs root")
def test_a_uid_that_owns_a_process_is_never_handed_out(tmp_path, monkeypatch):
    busy = 300_002
    monkeypatch.setattr(uids, "UID_LOCK_DIR", str(tmp_path / "locks"))
    monkeypatch.setattr(uids, "UID_RANGE", (busy, busy + 1))
    squatter = subprocess.Popen(["sleep", "60"], user=busy, group=busy, extra_groups=[])
    try:
        with pytest.raises(RuntimeError, match="no free sandbox uid"):
            uids.alloc_uid()
    finally:
        squatter.kill()
        squatter.wait()


@pytest.mark.parametrize("folder", ["/tmp", "/run", "HOME"])
def test_unix_sockets_in_tmp_and_run_are_out_of_reach(folder):
    """A read-only mount does not stop connect(): the session bus, tmux, X, an ssh agent or an ssh ControlMaster
    socket in ~/.ssh would let the code act outside the run. /tmp, /run and the home directory are covered by an
    empty tmpfs in the run's mount namespace."""
    if folder == "HOME":
        folder = os.path.realpath(os.path.expanduser("~"))
        if folder == "/" or len(folder) > 60:
            pytest.skip(f"home directory {folder!r}: none, or too long a path for a Unix socket")
    if not os.access(folder, os.W_OK):
        pytest.skip(f"cannot create a socket in {folder}")
    sock, path = _unix_listener(Path(folder))
    probe = _CONNECT.format(path=str(path), write=f"{folder}/tsp_escape_{uuid.uuid4().hex}")
    try:
        r = run_python(probe)
        # the folder is absent from the run's root, or only the path to the run directory or interpreter
        assert r.status == "pass" and r.stdout.splitlines()[0] == "FileNotFoundError", r
        assert r.stdout.splitlines()[1] in ("Read-only file system", "No such file or directory"), r
        assert r.limits["filesystem"].startswith("least view"), r.limits
        # the same probe, file system isolation off (where the run's uid can reach the interpreter): it connects
        if os.geteuid() != 0:
            assert run_python(probe, isolate_fs=False).stdout.splitlines()[0] == "connected"
    finally:
        sock.close()
        path.unlink()


@pytest.mark.skipif(os.geteuid() != 0, reason="the directories the launcher makes matter to the run's uid (root)")
def test_an_interpreter_reached_through_symlinks_below_tmp_still_runs(tmp_path):
    """The run's root holds only what the run needs, by the paths it is reached through. Here everything lies below
    /tmp: a venv made from a symlink to the base interpreter, TMPDIR a symlink too, and the parent's umask 027 (the
    directories the launcher makes on its tmpfs must still let the run's uid through)."""
    root = Path(tempfile.mkdtemp(prefix="tsp_sandbox_venv_", dir="/tmp"))
    try:
        (root / "base").symlink_to(sys.base_prefix)
        base_python = root / "base" / "bin" / os.path.basename(os.path.realpath(sys.executable))
        subprocess.run([str(base_python), "-m", "venv", "--without-pip", str(root / "venv")], check=True)
        (root / "tmp_real").mkdir()
        (root / "tmp").symlink_to(root / "tmp_real")
        root.chmod(0o755)
        probe = "import os, sys\nprint(os.path.isdir(os.environ['HOME']), sys.prefix)\n"
        done = subprocess.run(
            [str(root / "venv" / "bin" / "python"), "-c",
             "import json, sys\nfrom tsp_utils.sandbox import run_python\n"
             "r = run_python(sys.argv[1])\nprint(json.dumps(r.to_dict()))", probe],
            env={**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(root / "tmp")}, umask=0o027,
            capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        r = json.loads(done.stdout)
        assert r["status"] == "pass" and r["stdout"] == f"True {root / 'venv'}\n", r
        assert str(root / "venv") in r["limits"]["filesystem"], r["limits"]
    finally:
        shutil.rmtree(root, ignore_errors=True)
