"""Fixtures and helpers shared by the sandbox tests: running the sandbox as user nobody (65534), would-be daemons
marked by a token in their argv, Unix listeners, and what a run may leave behind."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from tsp_utils.sandbox import uids

REPO = Path(__file__).resolve().parent.parent


def _left_of_the_run(r) -> list[int]:
    """Live processes of the run's own uid (as root): anything left there after a run is a leak. Only that uid,
    so that other sandbox runs on the machine at the same time do not count."""
    uid = r.limits.get("uid")
    return [] if uid is None else uids.pids_of_uid(uid)

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

    def run(code: str | list, deny_userns: bool = False, patch: tuple[str, str] | None = None,
            tmpdir: str | None = None, **kwargs) -> dict | list:
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
        job = json.dumps({**({"jobs": code} if isinstance(code, list) else {"code": code}), "kwargs": kwargs,
                          "deny_userns": deny_userns, "tmpdir": tmpdir})
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
