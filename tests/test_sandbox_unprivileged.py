"""The sandbox as an unprivileged user (nobody, through tests/sandbox_as_user.py): user, PID, network and mount
namespaces, and the fallbacks where the host refuses them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from sandbox_fixtures import (  # noqa: F401 -- as_nobody, daemon_token, nobody_userns, world_writable_dir: fixtures
    _CONNECT, NOBODY, _proc_cmdlines_with, _unix_listener, as_nobody, daemon_token, nobody_userns,
    world_writable_dir)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")


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
        # /dev/shm is not in the run's root at all
        assert out["write"] != "ok" and "FileNotFoundError" in out["write"] and not target.exists(), out
        assert out["signal"] != "ok" and "ProcessLookupError" in out["signal"], out
        assert out["pids"] == [1, 2], out  # the namespace's init and the program
        limits = r["limits"]
        assert limits["network"].startswith("isolated") and limits["pid_namespace"].startswith("yes"), limits
        assert limits["filesystem"].startswith("least view") and limits["proc"] == "private to the run", limits

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
    assert (cpu["status"], cpu["returncode"]) == ("timeout", -signal.SIGXCPU), cpu
    assert cpu["reason"].startswith("CPU time limit (RLIMIT_CPU 1 s"), cpu
    aborted = nobody_userns("import os\nos.abort()\n")
    assert (aborted["status"], aborted["returncode"], aborted["reason"]) == ("error", -6, "killed by SIGABRT")
    assert nobody_userns("raise SystemExit(3)\n")["returncode"] == 3
    big = nobody_userns("x = bytearray(10 * 1024 ** 3)\n", memory_mb=512)["reason"]
    assert big == "memory limit (MemoryError: RLIMIT_AS of 512 MB for one process)", big


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
    assert limits["filesystem"].startswith("not isolated") and limits["proc"].startswith("the host's"), limits
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
        assert r["status"] == "pass" and r["stdout"].splitlines()[0] == "FileNotFoundError", r
        assert r["stdout"].splitlines()[1] in ("Read-only file system", "No such file or directory"), r
        # the same probe without the mount namespace: the user's own uid could connect
        assert nobody_userns(probe, isolate_fs=False)["stdout"].splitlines()[0] == "connected"
    finally:
        sock.close()
        path.unlink()
        shared.rmdir()
