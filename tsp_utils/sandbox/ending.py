"""How a run ended, from what the kernel says: the wait status, the run's CPU time (rusage), the cgroup's counters,
the run directory's tmpfs use and the output files' size. Text from the program's stderr decides only what the
kernel cannot tell: a failed assertion (fail) and the exception that ended an ordinary error. See docs/sandbox.md.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass, field
from typing import Any

MB = 1024 * 1024


@dataclass
class Ending:
    returncode: int | None
    timed_out: bool  # the parent's wall clock ran out
    timeout_s: float
    cpu_used_s: float  # user + system time of the run's processes that were waited for (rusage)
    cpu_s: int
    memory_mb: int
    events: dict[str, int] = field(default_factory=dict)  # cgroups.events()
    watcher: dict[str, Any] = field(default_factory=dict)  # {"killed": bool, "peak_bytes": int} without a cgroup
    disk: dict[str, int] = field(default_factory=dict)  # the launcher's end report: disk_used/size_bytes
    max_disk_mb: int = 0
    output_bytes: int = 0  # the larger of stdout and stderr on disk
    max_file_mb: int = 0
    harness: bool = False  # a test run: the returncode is the harness's verdict (0 pass, 1 assertion, 2 error)


def _signal_name(num: int) -> str:
    try:
        return signal.Signals(num).name
    except ValueError:
        return str(num)


def classify(e: Ending, stderr: str, has_test: bool) -> tuple[str, str]:
    """(status, reason): status is "pass" | "fail" | "error" | "timeout". In a test run the verdict is the harness's
    exit status and reason (never the program's output); the kernel's reasons come first, and where the program's
    process died of a signal before the harness ended, that signal is the program's ending."""
    rc = e.returncode
    program = e.disk.get("program_status")
    if e.harness and rc == 2 and program is not None and os.WIFSIGNALED(program):
        rc = -os.WTERMSIG(program)
    if e.timed_out:
        return "timeout", f"wall-clock limit ({e.timeout_s:g} s; the run used {e.cpu_used_s:.1f} s of CPU)"
    if e.watcher.get("killed"):
        return "error", (f"memory limit: the run's processes together held {e.watcher['peak_bytes'] // MB} MB "
                         f"> {e.memory_mb} MB (watcher)")
    if rc == 0:
        return "pass", ""
    if e.events.get("oom_kill"):
        return "error", (f"memory limit: the run's processes together exceeded {e.memory_mb} MB "
                         f"(cgroup OOM kill x{e.events['oom_kill']})")
    # SIGXCPU comes from RLIMIT_CPU's soft limit; SIGKILL from its hard limit, one second on (rusage may read a
    # little under the kernel's own count, hence the margin)
    if rc == -signal.SIGXCPU or (rc == -signal.SIGKILL and e.cpu_used_s >= e.cpu_s * 0.7):
        return "timeout", f"CPU time limit (RLIMIT_CPU {e.cpu_s} s; the run used {e.cpu_used_s:.1f} s)"
    if rc == -signal.SIGXFSZ or (e.max_file_mb and e.output_bytes >= e.max_file_mb * MB):
        what = "output" if e.output_bytes >= e.max_file_mb * MB else "a file"
        return "error", f"file size limit: {what} reached RLIMIT_FSIZE ({e.max_file_mb} MB)"
    used, size = e.disk.get("disk_used_bytes", 0), e.disk.get("disk_size_bytes", 0)
    if size and used >= size - 256 * 1024:
        return "error", f"disk limit: the run directory's {e.max_disk_mb} MB tmpfs is full"
    if e.events.get("pids_max_hits"):
        return "error", f"process limit: pids.max refused {e.events['pids_max_hits']} forks"
    if rc is not None and rc < 0:
        return "error", f"killed by {_signal_name(-rc)}"
    if e.harness:
        why = e.disk.get("harness_reason", "")
        if rc == 1:
            return "fail", why or "AssertionError"
        return "error", why or f"the harness ended with status {rc}"
    last = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    tail = last[-1] if last else ""
    if has_test and tail.startswith("AssertionError"):
        return "fail", tail[:300]
    if tail.startswith("MemoryError"):
        return "error", f"memory limit (MemoryError: RLIMIT_AS of {e.memory_mb} MB for one process)"
    if tail.startswith("BlockingIOError") and "Resource temporarily unavailable" in tail:
        return "error", "process limit (fork refused: RLIMIT_NPROC)"
    return "error", tail[:300] or f"exit status {rc}"
