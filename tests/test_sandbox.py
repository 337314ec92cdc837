"""Containment and status tests for tsp_utils.sandbox (each hostile case must end as error/timeout)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from tsp_utils.sandbox import SandboxJob, mounts, run_many, run_python, uids

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")


def _left_of_the_run(r) -> list[int]:
    """Live processes of the run's own uid (as root): anything left there after a run is a leak. Only that uid,
    so that other sandbox runs on the machine at the same time do not count."""
    uid = r.limits.get("uid")
    return [] if uid is None else uids.pids_of_uid(uid)


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
        assert r.status == "error" and "did not run to its end" in r.reason, r
    ok = run_python("def f():\n    return 2\n", test + "print('done')\n", timeout_s=20)
    assert ok.status == "pass" and ok.stdout.strip() == "done"  # the runner's token is not shown


def test_outside_linux_the_sandbox_refuses_with_the_reason(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    with pytest.raises(OSError, match="Linux only"):
        run_python("print(1)\n")


# --- not root: the launcher's user, PID, network and mount namespaces ------------------------------------------
# The suite usually runs as root, so these run the sandbox as user nobody (65534) through tests/sandbox_as_user.py,
# with a copy of the tsp_utils/sandbox package that user can read and an interpreter it can run.

NOBODY = 65534


def _proc_cmdlines_with(token: str) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if token.encode() in Path(f"/proc/{entry}/cmdline").read_bytes():
                    pids.append(int(entry))
            except OSError:
                continue
    return pids


@pytest.fixture
def daemon_token():
    """A distinctive argv word for a test's would-be daemon; whatever still carries it at the end is killed."""
    token = f"tsp-daemon-{uuid.uuid4().hex}"
    yield token
    for pid in _proc_cmdlines_with(token):
        try:
            os.kill(pid, 9)
        except OSError:
            pass


def _copy_readable(package: Path, to: Path) -> None:
    """Copy a package's sources where any user may read them (its folder searchable, its files readable)."""
    shutil.copytree(package, to, ignore=shutil.ignore_patterns("__pycache__"))
    to.chmod(0o755)
    for f in to.iterdir():
        f.chmod(0o644)


@pytest.fixture(scope="module")
def as_nobody():
    """run(code, deny_userns=False, **kwargs) -> result dict of run_python executed by an unprivileged user."""
    import pwd  # POSIX only: at the top it would break collection where this module is skipped

    if os.geteuid() == 0:
        try:
            pwd.getpwuid(NOBODY)
        except KeyError:
            pytest.skip(f"no user {NOBODY} to run the unprivileged sandbox as")
        as_user = {"user": NOBODY, "group": NOBODY, "extra_groups": []}
    else:
        as_user = {}  # already unprivileged
    # sys.executable may sit under a directory the user cannot enter (/root/.pyenv behind /root, mode 0700)
    def runnable(exe: str | None) -> bool:
        try:
            return exe is not None and subprocess.run(
                [exe, "-I", "-c", "import sys; assert sys.version_info >= (3, 9)"], **as_user, cwd="/",
                capture_output=True, timeout=60).returncode == 0
        except OSError:  # PermissionError when the user cannot reach it
            return False

    candidates = [sys.executable, "/usr/bin/python3", shutil.which("python3")]
    python = next((exe for exe in candidates if runnable(exe)), None)
    if python is None:
        pytest.skip(f"no Python >= 3.9 that uid {NOBODY} can run among {candidates}")
    code_dir = Path(tempfile.mkdtemp(prefix="tsp_sandbox_as_user_"))
    code_dir.chmod(0o755)
    _copy_readable(REPO / "tsp_utils" / "sandbox", code_dir / "sandbox")
    shutil.copy(REPO / "tests" / "sandbox_as_user.py", code_dir / "sandbox_as_user.py")
    (code_dir / "sandbox_as_user.py").chmod(0o644)

    def run(code: str, deny_userns: bool = False, patch: tuple[str, str] | None = None, **kwargs) -> dict:
        """``patch`` = (old, new): run a copy of the sandbox package with that text replaced, in the one file of it
        that holds it, once (to stand in for a host that refuses something this one allows)."""
        where = code_dir
        if patch is not None:
            where = Path(tempfile.mkdtemp(prefix="tsp_sandbox_patched_", dir=code_dir))
            where.chmod(0o755)
            _copy_readable(code_dir / "sandbox", where / "sandbox")
            holders = {f: f.read_text().count(patch[0]) for f in (where / "sandbox").glob("*.py")}
            assert sum(holders.values()) == 1, (patch[0], holders)
            target = next(f for f, n in holders.items() if n)
            target.write_text(target.read_text().replace(*patch))
            shutil.copy(code_dir / "sandbox_as_user.py", where / "sandbox_as_user.py")
            (where / "sandbox_as_user.py").chmod(0o644)
        job = json.dumps({"code": code, "kwargs": kwargs, "deny_userns": deny_userns})
        done = subprocess.run([python, "-I", str(where / "sandbox_as_user.py"), str(where), job], **as_user,
                              cwd="/", capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    try:
        yield run
    finally:
        shutil.rmtree(code_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def nobody_userns(as_nobody):
    probe = as_nobody("pass\n")
    assert probe["status"] == "pass", probe
    if not probe["limits"]["user_namespace"].startswith("yes"):
        pytest.skip(f"unprivileged user namespaces unavailable here: {probe['limits']['user_namespace']}")
    return as_nobody


@pytest.fixture
def world_writable_dir():
    # not below /tmp, which the sandbox covers with an empty tmpfs (see test_unix_sockets_...): /dev/shm is a
    # world-writable directory the read-only remount must still stop
    shm = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    path = Path(tempfile.mkdtemp(prefix="tsp_sandbox_shared_", dir=shm))
    path.chmod(0o777)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def test_unprivileged_run_has_no_network_no_writes_and_sees_no_other_process(nobody_userns, world_writable_dir):
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        target = world_writable_dir / "escaped.txt"
        code = (
            "import json, os, socket\n"
            "out = {}\n"
            "try:\n"
            f"    socket.create_connection(('127.0.0.1', {port}), timeout=2).close()\n"
            "    out['connect'] = 'ok'\n"
            "except OSError as exc:\n"
            "    out['connect'] = repr(exc)\n"
            "out['ifaces'] = [l.split(':')[0].strip() for l in open('/proc/net/dev').read().splitlines()[2:]]\n"
            "try:\n"
            f"    open({str(target)!r}, 'w').write('x')\n"
            "    out['write'] = 'ok'\n"
            "except OSError as exc:\n"
            "    out['write'] = repr(exc)\n"
            "try:\n"
            f"    os.kill({os.getpid()}, 0)\n"  # the test process itself
            "    out['signal'] = 'ok'\n"
            "except OSError as exc:\n"
            "    out['signal'] = repr(exc)\n"
            "out['pids'] = sorted(int(e) for e in os.listdir('/proc') if e.isdigit())\n"
            "print(json.dumps(out))\n"
        )
        r = nobody_userns(code)
        assert r["status"] == "pass", r
        out = json.loads(r["stdout"])
        assert out["connect"] != "ok" and out["ifaces"] == ["lo"], out
        assert out["write"] != "ok" and "Read-only" in out["write"] and not target.exists(), out
        assert out["signal"] != "ok" and "ProcessLookupError" in out["signal"], out
        assert out["pids"] == [1, 2], out  # the namespace's init and the program
        limits = r["limits"]
        assert limits["network"].startswith("isolated") and limits["pid_namespace"].startswith("yes"), limits
        assert limits["filesystem"].startswith("read-only except") and limits["proc"] == "private to the run", limits

        # the same probes, isolation switched off: they do detect a reachable listener and a writable path
        r = nobody_userns(code, isolate_network=False, isolate_fs=False)
        out = json.loads(r["stdout"])
        assert out["connect"] == "ok" and len(out["ifaces"]) > 1 and out["write"] == "ok", (out, r["limits"])
        assert r["limits"]["network"].startswith("not isolated")


def _setsid_daemon(token: str, marker_dir: Path) -> str:
    # the grandchild leaves the session and the process group, says it started, and would write `survived` 1 s later
    return (
        "import os, sys, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        f"    os.execv(sys.executable, [sys.executable, '-c', 'import os, sys, time; "
        f"open(sys.argv[2] + \"/started\", \"w\").close(); time.sleep(1); "
        f"open(sys.argv[2] + \"/survived\", \"w\").close(); time.sleep(30)', {token!r}, {str(marker_dir)!r}])\n"
        f"while not os.path.exists({str(marker_dir / 'started')!r}):\n"
        "    time.sleep(0.01)\n"
        "print('parent exits')\n"
    )


def test_unprivileged_setsid_grandchild_does_not_outlive_the_run(nobody_userns, world_writable_dir, daemon_token):
    token = daemon_token
    # isolate_fs off so that the grandchild can leave markers outside the run directory
    r = nobody_userns(_setsid_daemon(token, world_writable_dir), isolate_fs=False, timeout_s=20)
    assert r["status"] == "pass" and r["limits"]["pid_namespace"].startswith("yes"), r
    assert (world_writable_dir / "started").exists()
    time.sleep(1.5)
    assert not (world_writable_dir / "survived").exists()
    assert _proc_cmdlines_with(token) == []


def test_unprivileged_daemon_is_killed_on_timeout(nobody_userns, daemon_token):
    token = daemon_token
    code = ("import os, sys, time\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            f"    os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(60)', {token!r}])\n"
            "def up():\n"
            "    for e in filter(str.isdigit, os.listdir('/proc')):\n"
            "        try:\n"
            f"            if {token!r} in open('/proc/' + e + '/cmdline').read():\n"
            "                return True\n"
            "        except OSError:\n"
            "            pass\n"
            "while not up():\n"
            "    time.sleep(0.01)\n"
            "print('daemon up', flush=True)\n"
            "time.sleep(60)\n")
    r = nobody_userns(code, timeout_s=3)
    assert r["status"] == "timeout" and r["stdout"] == "daemon up\n", r
    deadline = time.monotonic() + 2  # the namespace's init may still be reaping when the launcher is gone
    while _proc_cmdlines_with(token) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _proc_cmdlines_with(token) == []


def test_unprivileged_run_ends_as_the_program_ended(nobody_userns):
    # the program is not the launcher's child but its grandchild (under the namespace's init): the launcher must
    # hand on its exit status and signal death for _classify to see them
    cpu = nobody_userns("while True:\n    pass\n", timeout_s=10, cpu_s=1)
    assert (cpu["status"], cpu["reason"], cpu["returncode"]) == ("timeout", "CPU time limit", -9), cpu
    aborted = nobody_userns("import os\nos.abort()\n")
    assert (aborted["status"], aborted["returncode"], aborted["reason"]) == ("error", -6, "killed by SIGABRT")
    assert nobody_userns("raise SystemExit(3)\n")["returncode"] == 3
    assert nobody_userns("x = bytearray(10 * 1024 ** 3)\n", memory_mb=512)["reason"] == "memory limit (MemoryError)"


def test_unprivileged_nproc_counts_only_the_run(nobody_userns):
    # a dozen other processes of the same user: a per-user count would refuse every fork under a limit of 10
    others = [subprocess.Popen(["sleep", "30"], user=NOBODY, group=NOBODY, extra_groups=[])
              for _ in range(12)] if os.geteuid() == 0 else []
    try:
        code = ("import os, time\n"
                "n = 0\n"
                "try:\n"
                "    while True:\n"
                "        if os.fork() == 0:\n"
                "            time.sleep(5)\n"
                "            os._exit(0)\n"
                "        n += 1\n"
                "except OSError:\n"
                "    print(n)\n")
        r = nobody_userns(code, max_procs=8)
    finally:
        for p in others:
            p.kill()
            p.wait()
    assert r["status"] == "pass", r
    assert r["limits"]["RLIMIT_NPROC"] == 10 and r["limits"]["RLIMIT_NPROC_counts"] == "this run's user namespace"
    assert int(r["stdout"]) == 7  # the program and 7 children: max_procs processes, as under root's per-run uid


def test_unprivileged_fallback_without_user_namespaces(as_nobody, daemon_token):
    """Where user namespaces are refused the run still works, and limits say what did not take effect.

    It also shows the gap the namespaces close: the setsid grandchild survives (and the check used above sees it)."""
    code = ("import os, sys, time\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            f"    os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(30)', {daemon_token!r}])\n"
            "time.sleep(0.3)\n")
    # where the host refuses user namespaces already, the plain run is the fallback
    refuse = as_nobody("pass\n")["limits"]["user_namespace"].startswith("yes")
    r = as_nobody(code, deny_userns=refuse, max_procs=8)
    time.sleep(0.3)
    survivors = _proc_cmdlines_with(daemon_token)
    assert r["status"] == "pass", r
    limits = r["limits"]
    assert limits["user_namespace"].startswith("unavailable: unshare(CLONE_NEWUSER) failed"), limits
    assert limits["pid_namespace"].startswith("no") and limits["network"].startswith("not isolated: unshare"), limits
    assert limits["filesystem"].startswith("not isolated") and "proc" not in limits, limits
    assert limits["RLIMIT_NPROC_counts"] == "all of the user's processes" and limits["RLIMIT_NPROC"] > 8, limits
    assert survivors, "without a PID namespace a setsid grandchild outlives the run (documented gap)"


def test_where_the_maps_are_refused_after_unshare_the_run_falls_back(nobody_userns):
    """Ubuntu 23.10+ (AppArmor) lets unshare(CLONE_NEWUSER) succeed and refuses the uid map: the launcher probes in
    a throwaway child, so the run falls back instead of failing. Stood in for by a map path that cannot be written."""
    r = nobody_userns("print('ran')\n", patch=('with open("/proc/self/" + name, "w") as fh:',
                                               'with open("/proc/self/" + name + "-refused", "w") as fh:'))
    assert (r["status"], r["stdout"].strip()) == ("pass", "ran"), r
    assert r["limits"]["user_namespace"].startswith("unavailable: writing the uid/gid maps was refused"), r["limits"]
    assert r["limits"]["pid_namespace"].startswith("no"), r["limits"]


def test_where_only_the_mounts_are_refused_the_other_namespaces_stay(nobody_userns):
    r = nobody_userns("print('ran')\n", patch=('libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0',
                                               '(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) or 1) != 0'))
    assert (r["status"], r["stdout"].strip()) == ("pass", "ran"), r
    limits = r["limits"]
    assert limits["user_namespace"].startswith("yes") and limits["network"].startswith("isolated"), limits
    assert limits["filesystem"].startswith("not isolated (the user namespace refused mounts"), limits
    assert "mounts: mounts" not in limits["filesystem"] and limits["proc"].startswith("the host's"), limits


@pytest.mark.parametrize("patch, why", [
    (('        os.write(w, why.encode())\n        os._exit(0)', '        os._exit(0)'),
     "the user namespace probe gave no answer, twice"),  # never fall open on a probe that died
    (('        why = enter_userns(flags, uid, gid)\n        if why:', '        why = "simulated"\n        if why:'),
     "the user namespace failed after its probe passed: simulated"),
])
def test_a_sandbox_that_fails_says_so_instead_of_blaming_the_program(nobody_userns, patch, why):
    r = nobody_userns("print('ran')\n", patch=patch)
    assert r["status"] == "error" and r["reason"] == "sandbox failed before the program ran: " + why, r
    assert r["stdout"] == "", r


def test_sigint_to_the_namespaces_init_does_not_end_the_run(nobody_userns):
    r = nobody_userns("import os, signal\nos.kill(1, signal.SIGINT)\nprint('alive')\n")
    assert (r["status"], r["stdout"].strip()) == ("pass", "alive"), r


def _kill_the_parent_of_a_run(code: str, token: str, expected: int) -> list[int]:
    """Start run_python in a parent process, wait until ``expected`` processes carry ``token`` in their argv, kill
    the parent, and return what still carries it a few seconds later (killed then, so nothing outlives the test).

    Programs here re-execute themselves with the token in their argv: /proc/<pid>/cmdline is readable by anyone,
    while their cwd is not without CAP_SYS_PTRACE once the run has its own uid. The code travels in the
    environment so that the parent's own argv does not carry the token."""
    parent = subprocess.Popen([sys.executable, "-c", "import os; from tsp_utils.sandbox import run_python; "
                               "print(run_python(os.environ['TSP_TEST_CODE'], timeout_s=60, cpu_s=60))"],
                              cwd=REPO, env={**os.environ, "TSP_TEST_CODE": code},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
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
    """Nobody enforces the time limit once the parent is gone: the launcher asked to die with it."""
    code = ("import os, sys\n"
            f"os.execv(sys.executable, [sys.executable, '-c', 'import time; time.sleep(60)', {daemon_token!r}])\n")
    assert _kill_the_parent_of_a_run(code, daemon_token, expected=1) == []


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


def _unix_listener(folder: Path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    path = folder / f"tsp_test_{uuid.uuid4().hex[:12]}.sock"
    sock.bind(str(path))
    path.chmod(0o777)  # anyone may connect: only the sandbox stands in the way
    sock.listen(4)
    return sock, path


_CONNECT = ("import socket\n"
            "own = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"  # first, that connecting works at all here
            "own.bind('own.sock')\n"
            "own.listen(1)\n"
            "socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).connect('own.sock')\n"
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)\n"
            "try:\n"
            "    s.connect({path!r})\n"
            "    print('connected')\n"
            "except OSError as exc:\n"
            "    print(type(exc).__name__)\n"
            "try:\n"
            "    open({write!r}, 'w')\n"
            "    print('wrote')\n"
            "except OSError as exc:\n"
            "    print(exc.strerror)\n")


def _hidden(limits: dict) -> list[str]:
    """The directories limits["sockets"] says were covered."""
    covered = limits["sockets"].split(";")[0]
    prefix = "hidden (covered by an empty tmpfs): "
    return covered[len(prefix):].split(", ") if covered.startswith(prefix) else []


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
        assert r.status == "pass" and r.stdout.splitlines() == ["FileNotFoundError", "Read-only file system"], r
        assert folder in _hidden(r.limits), r.limits
        # the same probe, file system isolation off (where the run's uid can reach the interpreter): it connects
        if os.geteuid() != 0:
            assert run_python(probe, isolate_fs=False).stdout.splitlines()[0] == "connected"
    finally:
        sock.close()
        path.unlink()


@pytest.mark.parametrize("folder", ["/tmp", "/run"])
def test_unprivileged_unix_sockets_in_tmp_and_run_are_out_of_reach(nobody_userns, folder):
    if not os.access(folder, os.W_OK):
        pytest.skip(f"cannot create a socket in {folder}")
    shared = Path(tempfile.mkdtemp(prefix="tsp_sandbox_sock_", dir=folder))
    shared.chmod(0o777)
    sock, path = _unix_listener(shared)
    # the tmpfs that covers the folder belongs to the run's own uid here: only its read-only remount stops writes
    probe = _CONNECT.format(path=str(path), write=f"{folder}/tsp_escape_{uuid.uuid4().hex}")
    try:
        r = nobody_userns(probe)
        assert r["status"] == "pass" and r["stdout"].splitlines() == ["FileNotFoundError", "Read-only file system"], r
        assert folder in _hidden(r["limits"]), r["limits"]
        # the same probe without the mount namespace: the user's own uid could connect
        assert nobody_userns(probe, isolate_fs=False)["stdout"].splitlines()[0] == "connected"
    finally:
        sock.close()
        path.unlink()
        shared.rmdir()


@pytest.mark.skipif(os.geteuid() != 0, reason="the directories the launcher makes matter to the run's uid (root)")
def test_an_interpreter_reached_through_symlinks_below_tmp_still_runs(tmp_path):
    """The launcher covers /tmp and binds back what the run needs. Here everything lies below /tmp: a venv made
    from a symlink to the base interpreter, TMPDIR a symlink too, and the parent's umask 027 (the directories the
    launcher makes on the tmpfs must still let the run's uid through)."""
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
        assert "/tmp" in _hidden(r["limits"]), r["limits"]
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_a_hidden_directory_the_run_needs_whole_is_left_uncovered_and_said(monkeypatch):
    needed = os.path.realpath(sys.prefix)
    monkeypatch.setattr(mounts, "socket_dirs", lambda: ["/tmp", needed])
    r = run_python("print('ran')\n")
    assert r.status == "pass" and r.stdout == "ran\n", r
    assert "not covered: " + needed + ": the run needs all of it" in r.limits["sockets"], r.limits
