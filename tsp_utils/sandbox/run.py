"""run_python and run_many: write a run's files into a private directory, start the launcher on them, enforce the
wall-clock limit, classify how the program ended, and clean up (its processes, its uid, its directory).

The launcher and the runner are files beside this one (launcher.py, runner.py), read at each run. What is enforced
where: docs/sandbox.md.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from . import mounts, uids

MAX_OUTPUT_CHARS = 20_000
LAUNCHER = Path(__file__).with_name("launcher.py")
RUNNER_TEMPLATE = Path(__file__).with_name("runner.py")  # str.format(token=...) gives the run's runner
RUNNER = "_tsp_run_test.py"  # the runner's name in the run directory


@dataclass
class SandboxResult:
    status: str  # "pass" | "fail" | "error" | "timeout"
    returncode: int | None
    stdout: str
    stderr: str
    wall_s: float
    limits: dict[str, Any] = field(default_factory=dict)
    reason: str = ""  # short why for error/timeout/fail

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "returncode": self.returncode, "stdout": self.stdout,
                "stderr": self.stderr, "wall_s": self.wall_s, "limits": self.limits, "reason": self.reason}


@dataclass
class SandboxJob:
    code: str
    test_code: str = ""
    timeout_s: float = 10
    cpu_s: int = 10
    memory_mb: int = 1024
    max_file_mb: int = 16
    max_procs: int = 64
    files: dict[str, str] | None = None


def _kill_group(pid: int) -> None:
    """SIGKILL the run's process group: the launcher, its PID namespace's init (whose death ends the namespace)
    and the program with the children it did not move to a session of their own."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _read_limited(path: Path, limit: int = MAX_OUTPUT_CHARS) -> str:
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit * 4 + 1)
    except OSError:
        return ""
    text = data.decode("utf-8", "replace")
    if len(text) > limit:
        text = text[:limit] + f"\n...[truncated at {limit} chars]"
    return text


def _tail(path: Path, n: int = 256) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(max(0, os.path.getsize(path) - n))
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _classify(rc: int | None, stderr: str, timed_out: bool, cpu_s: int, wall_s: float,
              has_test: bool) -> tuple[str, str]:
    if timed_out:
        return "timeout", "wall-clock timeout"
    if rc == 0:
        return "pass", ""
    if rc in (-signal.SIGXCPU, -signal.SIGKILL) and wall_s >= cpu_s * 0.9:
        return "timeout", "CPU time limit"
    if rc is not None and rc < 0:
        try:
            name = signal.Signals(-rc).name
        except ValueError:
            name = str(-rc)
        if rc == -signal.SIGXFSZ:
            return "error", "file size limit (SIGXFSZ)"
        return "error", f"killed by {name}"
    last = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    tail = last[-1] if last else ""
    if has_test and tail.startswith("AssertionError"):
        return "fail", tail[:300]
    if "MemoryError" in tail:
        return "error", "memory limit (MemoryError)"
    return "error", tail[:300] or f"exit status {rc}"


def run_python(
    code: str,
    test_code: str = "",
    *,
    timeout_s: float = 10,
    cpu_s: int = 10,
    memory_mb: int = 1024,
    max_file_mb: int = 16,
    max_procs: int = 64,
    files: dict[str, str] | None = None,
    isolate_network: bool = True,
    isolate_fs: bool = True,
) -> SandboxResult:
    """Run ``code`` (as solution.py) and optional ``test_code`` (as test.py) in a contained child.

    status: "pass" (exit 0), "fail" (test raised AssertionError), "timeout" (wall or CPU limit),
    "error" (anything else: exception, killed by a limit, bad syntax). The temp dir is always removed.
    ``files`` maps extra relative paths to contents (fixtures for the tests). ``isolate_network`` /
    ``isolate_fs`` switch the network and mount namespaces off (for debugging only; the result records it):
    without the mount namespace there is no private /proc and no cover over the sockets in /tmp and /run, while
    the PID and IPC namespaces stay. As root, ``isolate_fs=False`` raises ValueError where the interpreter lies
    under a directory other users cannot search (the run's uid could not start it).
    """
    if not sys.platform.startswith("linux"):
        # The limits rest on Linux: /proc to count processes, namespaces for the network and the file system.
        raise OSError(f"the sandbox runs generated code on Linux only (this is {sys.platform}): use a Linux machine, "
                      "a container or WSL, or evaluate with run_tests=False")
    is_root = os.geteuid() == 0
    expose = mounts.expose_pairs() if is_root else []
    if expose and not isolate_fs:
        # the run's uid reaches the interpreter only through the mount namespace's tmpfs (see mounts.expose_pairs)
        parent = expose[0][0]
        raise ValueError(f"run_python(isolate_fs=False) as root: the run's uid cannot reach the interpreter "
                         f"{sys.executable}, which lies under {parent} (not searchable by other users); keep "
                         "isolate_fs=True, or use an interpreter outside it")
    launcher = LAUNCHER.read_text(encoding="utf-8")  # read at each run, as the runner below: files, not strings
    uid, reach = uids.alloc_uid() if is_root else (None, "")
    workdir = tempfile.mkdtemp(prefix="tsp_sandbox_")
    outdir = tempfile.mkdtemp(prefix="tsp_sandbox_out_")  # parent-only (0700): the child gets fds, not paths
    t0 = time.monotonic()
    limits: dict[str, Any] = {}
    proc: subprocess.Popen | None = None
    # A test passes only if it runs to its end: the runner prints a fresh token after test.py returns, so code
    # that exits early with status 0 (sys.exit(0) or os._exit(0) at import) is not a pass.
    token = f"tsp-test-completed-{random.getrandbits(64):016x}" if test_code else None
    try:
        script = RUNNER if test_code else "solution.py"
        Path(workdir, "solution.py").write_text(code, encoding="utf-8")
        if test_code:
            Path(workdir, "test.py").write_text(test_code, encoding="utf-8")
            runner = RUNNER_TEMPLATE.read_text(encoding="utf-8").format(token=token)
            Path(workdir, RUNNER).write_text(runner, encoding="utf-8")
        for rel, content in (files or {}).items():
            target = Path(workdir, rel).resolve()
            if not str(target).startswith(os.path.realpath(workdir) + os.sep):
                raise ValueError(f"sandbox file {rel!r} escapes the run directory")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        if uid is not None:
            for dirpath, dirnames, filenames in os.walk(workdir):
                os.chown(dirpath, uid, uid)
                for name in filenames:
                    os.chown(os.path.join(dirpath, name), uid, uid)
            os.chmod(workdir, 0o700)
        if uid is not None:
            nproc = max_procs
        else:
            # RLIMIT_NPROC counts every process of the user: leave room for what already runs
            nproc = len(uids.pids_of_uid(os.getuid())) + max_procs
        # the real path: a symlink on the way to it may lie below a directory the launcher covers
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.path.realpath(workdir), "LANG": "C.UTF-8"}
        read_fd, write_fd = os.pipe()
        cfg = {
            "workdir": os.path.realpath(workdir), "uid": uid, "python": sys.executable, "script": script,
            "env": env, "cpu_s": int(cpu_s), "memory_mb": int(memory_mb), "max_file_mb": int(max_file_mb),
            "nproc": int(nproc), "max_procs": int(max_procs), "parent_pid": os.getpid(), "report_fd": write_fd,
            "isolate_network": isolate_network, "isolate_fs": isolate_fs, "expose": expose,
            "hide": mounts.socket_dirs(), "keep": mounts.kept_below_hidden(workdir),
        }
        out_path, err_path = Path(outdir, "stdout"), Path(outdir, "stderr")
        with open(out_path, "wb") as out_fh, open(err_path, "wb") as err_fh:
            proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", launcher, json.dumps(cfg)],
                cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=out_fh, stderr=err_fh,
                pass_fds=(write_fd,), start_new_session=True, close_fds=True,
            )
        os.close(write_fd)
        timed_out = False
        try:
            rc = proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(proc.pid)
            rc = proc.wait()
        wall = time.monotonic() - t0
        with os.fdopen(read_fd, "rb") as rfh:
            raw = rfh.read(65536).decode("utf-8", "replace").strip()
        try:
            limits = json.loads(raw.splitlines()[0]) if raw else {}
        except json.JSONDecodeError:
            limits = {}
        if not limits:
            limits["launcher"] = "failed before reporting (see stderr)"
        if uid is not None:  # every process of the run's uid, setsid ones included
            limits["killed_leftover_rounds"] = uids.kill_uid(uid)
        else:
            _kill_group(proc.pid)
        limits.setdefault("network", "not isolated")
        limits["wall_timeout_s"] = timeout_s
        limits["uid_isolation"] = uid is not None
        if uid is not None:
            limits["uid_reservation"] = reach
        stdout, stderr = _read_limited(out_path), _read_limited(err_path)
        status, reason = _classify(rc, stderr, timed_out, cpu_s, wall, bool(test_code))
        if "launcher_error" in limits or "launcher" in limits:
            # the sandbox failed before the program ran: an error of ours, which the reason must not pin on the code
            status = "error"
            reason = "sandbox failed before the program ran: " + limits.get(
                "launcher_error", "its launcher never reported (%s)" % (reason or "see stderr"))
        if token is not None:
            completed = _tail(out_path).rstrip().endswith(token)
            stdout = stdout.replace(token + "\n", "").replace(token, "")
            if status == "pass" and not completed:
                status, reason = "error", "the test did not run to its end (the program exited early with status 0)"
        return SandboxResult(status, rc, stdout, stderr, round(wall, 3), limits, reason)
    finally:
        if proc is not None and proc.poll() is None:  # interrupted (Ctrl-C, an error): the child must not outlive us
            _kill_group(proc.pid)
            if uid is not None:
                uids.kill_uid(uid)
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(outdir, ignore_errors=True)
        if uid is not None:
            uids.free_uid(uid)


def run_many(jobs: Iterable[SandboxJob | dict[str, Any]], workers: int = 2,
             progress: bool = False) -> list[SandboxResult]:
    """Run many sandbox jobs, ``workers`` at a time; results in input order.

    Each job runs in its own PID namespace, under its own uid (root) or in its own user namespace, so cleanup of
    one job never touches another; RLIMIT_NPROC is shared by the user's processes when not root and without a
    user namespace, or in a user namespace on Linux < 5.14.
    """
    job_list: list[SandboxJob] = [j if isinstance(j, SandboxJob) else SandboxJob(**j) for j in jobs]

    def one(job: SandboxJob) -> SandboxResult:
        return run_python(job.code, job.test_code, timeout_s=job.timeout_s, cpu_s=job.cpu_s,
                          memory_mb=job.memory_mb, max_file_mb=job.max_file_mb, max_procs=job.max_procs,
                          files=job.files)

    results: list[SandboxResult | None] = [None] * len(job_list)
    bar = None
    if progress:
        # here, not at the top: the package imports only the standard library, so that it can be copied alone
        # (tests/test_sandbox.py runs such a copy as an unprivileged user)
        from ..progress import tqdm

        bar = tqdm(total=len(job_list), desc="sandbox", leave=False)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(one, job): i for i, job in enumerate(job_list)}
        for fut in as_completed(futures):
            results[futures[fut]] = fut.result()
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    return results  # type: ignore[return-value]
