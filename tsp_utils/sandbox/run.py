"""run_python and run_many: write a run's files into a private directory, start the launcher on them, enforce the
wall-clock limit, classify how the program ended, and clean up (its processes, cgroup, uid and directories).

The launcher and the runner are files beside this one (launcher_fs.py + launcher.py, runner.py), read at each run.
What is enforced where: docs/sandbox.md.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from . import cgroups, cleanup, mounts, uids
from .ending import Ending, classify
from .guard import MAX_OUTPUT_CHARS, Guard, kill_group, read_limited, reports, size

HERE = Path(__file__).parent
# programs, read at each run (files, not strings: the tests patch copies of them); a fragment's text goes first
LAUNCHER, LAUNCHER_FS = HERE / "launcher.py", HERE / "launcher_fs.py"
RPC, RPC_REFS, HARNESS, SERVER = HERE / "rpc.py", HERE / "rpc_refs.py", HERE / "harness.py", HERE / "server.py"

__all__ = ["MAX_OUTPUT_CHARS", "SandboxJob", "SandboxResult", "run_many", "run_python"]


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
    max_disk_mb: int = 64
    max_procs: int = 64
    files: dict[str, str] | None = None


def _write_run_files(workdir: str, code: str, files: dict[str, str] | None, uid: int | None) -> None:
    # test.py is not among them: the harness gets its text, and the program has no use for it
    Path(workdir, "solution.py").write_text(code, encoding="utf-8")
    for rel, content in (files or {}).items():
        Path(workdir, rel).parent.mkdir(parents=True, exist_ok=True)
        Path(workdir, rel).write_text(content, encoding="utf-8")
    if uid is not None:
        for dirpath, _, filenames in os.walk(workdir):
            os.chown(dirpath, uid, uid)
            for name in filenames:
                os.chown(os.path.join(dirpath, name), uid, uid)
        os.chmod(workdir, 0o700)


def _run_level_limits(cg: cgroups.RunCgroup, memory_mb: int, max_procs: int) -> dict[str, str]:
    return {
        "cgroup": cg.note if cg.kind != "none" else f"none ({cg.note})",
        "run_memory": (f"cgroup {cg.kind}: {memory_mb} MB for all processes of the run (and its tmpfs)"
                       if cg.kind != "none" else f"watcher: the run's resident memory, summed every 50 ms, killed "
                                                 f"above {memory_mb} MB (no cgroup); RLIMIT_AS per process"),
        "run_processes": (f"cgroup pids.max {max_procs + 2} (the program's {max_procs} + launcher + init)"
                          if cg.pids_dir else "RLIMIT_NPROC only (no pids cgroup)"),
    }


def run_python(
    code: str,
    test_code: str = "",
    *,
    timeout_s: float = 10,
    cpu_s: int = 10,
    memory_mb: int = 1024,
    max_file_mb: int = 16,
    max_disk_mb: int = 64,
    max_procs: int = 64,
    files: dict[str, str] | None = None,
    isolate_network: bool = True,
    isolate_fs: bool = True,
) -> SandboxResult:
    """Run ``code`` (as solution.py) and optional ``test_code`` (as test.py) in a contained child.

    status: "pass" (exit 0), "fail" (test raised AssertionError), "timeout" (wall or CPU limit),
    "error" (anything else: exception, killed by a limit, bad syntax); ``reason`` says which limit, from the kernel.
    ``memory_mb`` and ``max_procs`` bound the run as a whole (cgroup, else a watcher) and each process (rlimits);
    ``max_disk_mb`` all files of the run together (its directory is a tmpfs), ``max_file_mb`` each file and the
    output. ``files`` maps extra relative paths to contents (fixtures for the tests). ``isolate_network`` /
    ``isolate_fs`` switch the network and mount namespaces off (for debugging only; the result records it). As root,
    ``isolate_fs=False`` raises ValueError where the interpreter lies under a directory other users cannot search.
    Nothing of the run outlives it; a cleanup failure is recorded in ``limits["cleanup"]``, never raised.
    """
    if not sys.platform.startswith("linux"):
        # The limits rest on Linux: /proc to count processes, namespaces for the network and the file system.
        raise OSError(f"the sandbox runs generated code on Linux only (this is {sys.platform}): use a Linux machine, "
                      "a container or WSL, or evaluate with run_tests=False")
    is_root = os.geteuid() == 0
    if is_root and not isolate_fs and mounts.expose_pairs():
        # without the new root the run's uid would have to reach the interpreter through that directory
        parent = mounts.expose_pairs()[0][0]
        raise ValueError(f"run_python(isolate_fs=False) as root: the run's uid cannot reach the interpreter "
                         f"{sys.executable}, which lies under {parent} (not searchable by other users); keep "
                         "isolate_fs=True, or use an interpreter outside it")
    for rel in files or {}:
        if os.path.isabs(rel) or ".." in Path(rel).parts:
            raise ValueError(f"sandbox file {rel!r} escapes the run directory")
    # read at each run: files, not strings (the tests patch copies of them)
    launcher = LAUNCHER_FS.read_text(encoding="utf-8") + LAUNCHER.read_text(encoding="utf-8")
    rpc = RPC.read_text(encoding="utf-8") + RPC_REFS.read_text(encoding="utf-8")
    t0 = time.monotonic()
    made: list[str] = []
    uid: int | None = None
    cg = cgroups.RunCgroup("none")
    proc: subprocess.Popen | None = None
    result: SandboxResult | None = None
    try:
        uid, reach = uids.alloc_uid() if is_root else (None, "")
        _sweep_dead_runs()
        for kind in ("", "out_", "root_"):  # out: parent-only (0700), the child gets fds, not paths
            made.append(os.path.realpath(tempfile.mkdtemp(prefix=f"tsp_sandbox_{kind}{os.getpid()}_")))
        workdir, outdir, newroot = made
        _write_run_files(workdir, code, files, uid)
        cg = cgroups.create(memory_mb, max_procs + 2)  # + the launcher and the PID namespace's init
        # RLIMIT_NPROC counts every process of the user (not root, no user namespace): leave room for what runs.
        # Under a pids cgroup it is a backstop, a little above it, so that the kernel's pids.events tells the end.
        nproc = (max_procs + (2 if cg.pids_dir else 0) if uid is not None
                 else len(uids.pids_of_uid(os.getuid())) + max_procs)
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": workdir, "LANG": "C.UTF-8"}
        read_fd, write_fd = os.pipe()
        cfg = {
            "workdir": workdir, "uid": uid, "python": sys.executable, "script": "solution.py", "test": test_code,
            "harness": rpc + HARNESS.read_text(encoding="utf-8"), "server": rpc + SERVER.read_text(encoding="utf-8"),
            "env": env, "cpu_s": int(cpu_s), "memory_mb": int(memory_mb), "max_file_mb": int(max_file_mb),
            "max_disk_mb": int(max_disk_mb), "nproc": int(nproc), "max_procs": int(max_procs),
            "parent_pid": os.getpid(), "report_fd": write_fd, "isolate_network": isolate_network,
            "isolate_fs": isolate_fs, "newroot": newroot, "view": mounts.view(), "cgroup_procs": cg.procs,
        }
        out_path, err_path = Path(outdir, "stdout"), Path(outdir, "stderr")
        with open(out_path, "wb") as out_fh, open(err_path, "wb") as err_fh:
            proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", launcher, json.dumps(cfg)],
                cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=out_fh, stderr=err_fh,
                pass_fds=(write_fd,), start_new_session=True, close_fds=True,
            )
        os.close(write_fd)
        guard = Guard(proc.pid, t0 + timeout_s, None if cg.kind != "none" else memory_mb * cgroups.MB)
        guard.start()
        _, wstatus, rusage = os.wait4(proc.pid, 0)  # rusage: the launcher and every descendant it waited for
        guard.done.set()
        guard.join()
        rc = proc.returncode = os.waitstatus_to_exitcode(wstatus)
        wall = time.monotonic() - t0
        with os.fdopen(read_fd, "rb") as rfh:
            limits, end = reports(rfh.read(65536).decode("utf-8", "replace"))
        if not limits:
            limits["launcher"] = "failed before reporting (see stderr)"
        if uid is not None:  # every process of the run's uid, setsid ones included
            limits["killed_leftover_rounds"] = uids.kill_uid(uid)
        kill_group(proc.pid)
        events = cgroups.events(cg)
        limits.setdefault("network", "not isolated")
        limits["wall_timeout_s"] = timeout_s
        limits["uid_isolation"] = uid is not None
        if uid is not None:
            limits["uid_reservation"] = reach
        limits.update(_run_level_limits(cg, memory_mb, max_procs))
        cpu_used = rusage.ru_utime + rusage.ru_stime
        limits["kernel_end"] = {**events, **end, "cpu_used_s": round(cpu_used, 3), **(
            {"watcher_peak_bytes": guard.watcher["peak_bytes"]} if guard.watcher else {})}
        stdout, stderr = read_limited(out_path), read_limited(err_path)
        ending = Ending(rc, guard.timed_out, timeout_s, cpu_used, cpu_s, memory_mb, events, guard.watcher, end,
                        max_disk_mb, max(size(out_path), size(err_path)), max_file_mb, harness=bool(test_code))
        status, reason = classify(ending, stderr, bool(test_code))
        if "launcher_error" in limits or "launcher" in limits:
            # the sandbox failed before the program ran: an error of ours, which the reason must not pin on the code
            status = "error"
            reason = "sandbox failed before the program ran: " + limits.get(
                "launcher_error", "its launcher never reported (%s)" % (reason or "see stderr"))
        result = SandboxResult(status, rc, stdout, stderr, round(wall, 3), limits, reason)
        return result
    finally:
        problems = _clean_up(proc, uid, cg, made)
        if result is not None:
            result.limits["cleanup"] = "; ".join(problems) if problems else "complete"


_DEAD_RUN = re.compile(r"tsp_sandbox_(?:out_|root_)?(\d+)_")


def _sweep_dead_runs() -> None:
    """Remove the directories of runs whose process was killed before its cleanup (their names carry its pid)."""
    try:
        names = os.listdir(tempfile.gettempdir())
    except OSError:
        return
    for name in names:
        m = _DEAD_RUN.match(name)
        if m and not os.path.exists(f"/proc/{m.group(1)}"):
            cleanup.remove_tree(os.path.join(tempfile.gettempdir(), name))


def _clean_up(proc: subprocess.Popen | None, uid: int | None, cg: cgroups.RunCgroup, made: list[str]) -> list[str]:
    """Kill what is left of the run, delete its cgroup, directories and uid reservation. Never raises: returns what
    could not be undone (also when interrupted, Ctrl-C, or after an error of ours)."""
    steps: list[tuple[str, Any]] = [("processes", lambda: kill_group(proc.pid) if proc is not None else None)]
    if uid is not None:
        steps.append(("uid processes", lambda: uids.kill_uid(uid) and None))
    steps.append(("cgroup", lambda: cgroups.remove(cg) or None))
    steps += [(d, lambda d=d: cleanup.remove_tree(d) or None) for d in made]
    if uid is not None:
        steps.append(("uid reservation", lambda: uids.free_uid(uid)))
    problems = []
    for what, step in steps:
        try:
            left = step()
            if left:
                problems.append(f"{what}: {left}")
        except BaseException as exc:  # noqa: BLE001 -- cleanup must reach every step and never fail the batch
            problems.append(f"{what}: {exc!r}")
    return problems


def run_many(jobs: Iterable[SandboxJob | dict[str, Any]], workers: int = 2,
             progress: bool = False) -> list[SandboxResult]:
    """Run many sandbox jobs, ``workers`` at a time; a result for every job, in input order.

    A job whose machinery raises (ours, or a bad job) gets an ``error`` result saying so instead of ending the batch.
    Each job runs in its own PID namespace and cgroup, under its own uid (root) or in its own user namespace, so
    cleanup of one job never touches another; RLIMIT_NPROC is shared by the user's processes when not root and
    without a user namespace, or in a user namespace on Linux < 5.14.
    """
    job_list: list[SandboxJob | dict[str, Any]] = list(jobs)

    def one(job: SandboxJob | dict[str, Any]) -> SandboxResult:
        t0 = time.monotonic()
        try:
            j = job if isinstance(job, SandboxJob) else SandboxJob(**job)
            return run_python(j.code, j.test_code, timeout_s=j.timeout_s, cpu_s=j.cpu_s, memory_mb=j.memory_mb,
                              max_file_mb=j.max_file_mb, max_disk_mb=j.max_disk_mb, max_procs=j.max_procs,
                              files=j.files)
        except Exception as exc:  # noqa: BLE001 -- one job's failure must not take the batch's results with it
            why = traceback.format_exception_only(type(exc), exc)[-1].strip()
            return SandboxResult("error", None, "", "", round(time.monotonic() - t0, 3),
                                 {"machinery_error": why}, f"sandbox failed (its machinery raised): {why}")

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
