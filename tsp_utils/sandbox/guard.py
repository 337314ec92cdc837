"""The parent's side of a running run: the guard thread (wall clock, and the memory watcher where no cgroup is),
killing the run's process group, and reading back what the run left in the parent's own files and pipe."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

from . import cleanup

MAX_OUTPUT_CHARS = 20_000


def kill_group(pid: int) -> None:
    """SIGKILL the run's process group: the launcher, its PID namespace's init (whose death ends the namespace)
    and the program with the children it did not move to a session of their own."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


class Guard(threading.Thread):
    """Kills the run at the wall-clock deadline and, where no cgroup bounds it (``watch_bytes``), when its processes
    together hold more resident memory than that (summed from /proc every 50 ms)."""

    def __init__(self, pid: int, deadline: float, watch_bytes: int | None):
        super().__init__(daemon=True)
        self.pid, self.deadline, self.watch_bytes = pid, deadline, watch_bytes
        self.done = threading.Event()
        self.timed_out = False
        self.watcher: dict[str, Any] = {"killed": False, "peak_bytes": 0} if watch_bytes else {}

    def _kill(self) -> None:
        pids = cleanup.descendants(self.pid) if self.watch_bytes else {}
        kill_group(self.pid)
        for pid in pids:  # without a PID namespace, setsid children are outside the group
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def run(self) -> None:
        while True:
            left = self.deadline - time.monotonic()
            if self.done.wait(min(left, 0.05) if self.watch_bytes else max(left, 0)):
                return
            if time.monotonic() >= self.deadline:
                self.timed_out = True
                self._kill()
                return
            if self.watch_bytes:
                total = sum(cleanup.descendants(self.pid).values())
                self.watcher["peak_bytes"] = max(self.watcher["peak_bytes"], total)
                if total > self.watch_bytes:
                    self.watcher["killed"] = True
                    self._kill()
                    return


def read_limited(path: Path, limit: int = MAX_OUTPUT_CHARS) -> str:
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit * 4 + 1)
    except OSError:
        return ""
    text = data.decode("utf-8", "replace")
    if len(text) > limit:
        text = text[:limit] + f"\n...[truncated at {limit} chars]"
    return text


def tail(path: Path, n: int = 256) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(max(0, os.path.getsize(path) - n))
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return ""


def size(path: Path) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def reports(raw: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The launcher's start report (what took effect) and its end report (the run directory's use)."""
    start: dict[str, Any] = {}
    end: dict[str, Any] = {}
    for line in raw.splitlines():
        try:
            got = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(got, dict) and "end" in got:
            end = got["end"]
        elif isinstance(got, dict) and not start:
            start = got
    return start, end
