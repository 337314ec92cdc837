"""Run uids for sandboxed programs (as root): a fresh, unused uid per run, reserved across processes.

Each run's uid is held by an flock on a file in a root-only directory, so that two processes running sandboxes (two
notebooks, a notebook and the tests) never share one: one run's sweep of its uid would kill the other's program.
Also the /proc reads and the kill sweep that find and end a uid's processes. Why a uid per run: docs/sandbox.md.
"""

from __future__ import annotations

import os
import random
import stat
import subprocess
import threading
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: the package still imports, and run_python says why it cannot run here
    fcntl = None  # type: ignore[assignment]

UID_RANGE = (200_000, 260_000)  # no passwd entries; far from system and login users
UID_LOCK_DIR: str | None = None  # None: /run/tsp-sandbox-uids (or /tmp/...), never $TMPDIR: every process must agree
_uids_in_use: dict[int, tuple[int, Path | None]] = {}  # uid -> its lock file's fd and path (-1, None: no lock dir)
_uid_lock = threading.Lock()


def _uid_lock_dir() -> tuple[Path | None, str]:
    """Where runs of every process on the machine reserve their uids (a root-only directory, under /run where root
    may write there: other users cannot create it first), and how far the reservation reaches."""
    path = Path(UID_LOCK_DIR) if UID_LOCK_DIR else (
        Path("/run" if os.access("/run", os.W_OK) else "/tmp") / "tsp-sandbox-uids")
    try:
        path.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(path)
    except OSError as exc:
        return None, f"this process only ({path}: {exc.strerror})"
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o077:
        # someone else's directory, or a link: trust nothing in it
        return None, f"this process only ({path} is not a directory of ours that only we may write)"
    return path, f"across processes ({path})"


def _reserve(folder: Path, uid: int) -> int | None:
    """An fd holding an exclusive lock on ``uid``'s lock file (the kernel drops it if this process dies), or None
    when another process holds it."""
    path = folder / str(uid)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if os.fstat(fd).st_ino != os.stat(path, follow_symlinks=False).st_ino:
            raise BlockingIOError  # its holder unlinked it as we opened it: that file reserves nothing any more
    except OSError:
        os.close(fd)
        return None
    return fd


def _sweep(folder: Path) -> None:
    """Delete the reservations of processes that died before freeing them (killed): no one holds their lock."""
    for entry in os.listdir(folder):
        if not entry.isdigit() or int(entry) in _uids_in_use:
            continue
        fd = _reserve(folder, int(entry))  # locked and still that file: nobody holds it
        if fd is not None:
            try:
                (folder / entry).unlink()  # while locked: a process waiting on it sees its inode change
            except OSError:
                pass
            os.close(fd)


def alloc_uid() -> tuple[int, str]:
    """A uid no other run uses, in this process or another (two notebooks, a notebook and the tests), and that owns
    no process: one run's sweep of its uid must never reach another's program. Returns it and how far the
    reservation reaches (``limits["uid_reservation"]``)."""
    folder, reach = _uid_lock_dir()
    if folder is not None:
        with _uid_lock:
            _sweep(folder)
    busy = live_uids()  # leftovers of runs whose process died, or other programs'
    with _uid_lock:
        for _ in range(1000):
            uid = random.randrange(*UID_RANGE)
            if uid in _uids_in_use or uid in busy:
                continue
            fd = _reserve(folder, uid) if folder is not None else -1
            if fd is None:
                continue
            _uids_in_use[uid] = (fd, folder / str(uid) if folder is not None else None)
            return uid, reach
    raise RuntimeError("no free sandbox uid")


def free_uid(uid: int) -> None:
    with _uid_lock:
        fd, path = _uids_in_use.pop(uid, (-1, None))
    if path is not None:
        try:
            path.unlink()  # while still locked: a process waiting on this file sees its inode change
        except OSError:
            pass
    if fd >= 0:
        os.close(fd)


def live_uids() -> set[int]:
    """The real uids of every live (non-zombie) process."""
    uids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            uid = _live_uid(entry)
            if uid is not None:
                uids.add(uid)
    return uids


def _live_uid(entry: str) -> int | None:
    try:
        with open(f"/proc/{entry}/status") as fh:
            state = ""
            for line in fh:
                if line.startswith("State:"):
                    state = line.split()[1]
                elif line.startswith("Uid:"):
                    # zombies already released everything but their pid; init reaps them
                    return None if state in ("Z", "X") else int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def pids_of_uid(uid: int) -> list[int]:
    """Live (non-zombie) processes whose real uid is ``uid``."""
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit() and _live_uid(entry) == uid]


def kill_uid(uid: int) -> int:
    """SIGKILL every process running as ``uid`` (escaped grandchildren, fork-bomb remnants).

    kill(-1) issued *as that uid* reaches exactly its processes and is atomic with respect to forks that
    the victims attempt (they die in the same sweep); repeated until /proc shows none left.
    """
    # a shell builtin, not our interpreter: the interpreter may sit in a directory that uid cannot enter
    killer = ["/bin/sh", "-c", "kill -9 -1 2>/dev/null; exit 0"]
    rounds = 0
    for rounds in range(1, 21):
        if not pids_of_uid(uid):
            return rounds - 1
        subprocess.run(killer, user=uid, group=uid, extra_groups=[], cwd="/",
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=10, env={"PATH": "/usr/bin:/bin"})
        time.sleep(0.02)
    return rounds

