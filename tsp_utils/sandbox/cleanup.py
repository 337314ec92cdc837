"""Removing what a run left, whatever the program did to it, and the memory watcher used where no cgroup is.

``remove_tree`` deletes a directory tree of any depth (no recursion, paths relative to an open directory, so neither
Python's recursion limit nor PATH_MAX is reached) and any permissions the program left (it restores owner access as
it goes); it never raises, it returns what it could not remove. ``descendants`` and ``rss_bytes`` let the parent sum
the resident memory of a run's processes where the kernel offers no cgroup (docs/sandbox.md).
"""

from __future__ import annotations

import os
import stat

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _open_dir(name: str, dir_fd: int | None) -> int:
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    except PermissionError:  # a directory the program made unreadable (chmod 0): its owner may open it again
        os.chmod(name, 0o700, dir_fd=dir_fd)
        return os.open(name, _DIR_FLAGS, dir_fd=dir_fd)


def remove_tree(top: str) -> str:
    """Remove ``top`` and everything below it; "" on success, else the first failure (never raises)."""
    try:
        st = os.lstat(top)
    except FileNotFoundError:
        return ""
    except OSError as exc:
        return f"{top}: {exc.strerror}"
    if not stat.S_ISDIR(st.st_mode):
        try:
            os.unlink(top)
            return ""
        except OSError as exc:
            return f"{top}: {exc.strerror}"
    names: list[str] = []  # the path from top to the directory open in fd, one name per level
    fd = -1
    try:
        fd = _open_dir(top, None)
        while True:
            os.fchmod(fd, 0o700)  # write and search on the directory itself, to empty it
            sub = None
            with os.scandir(fd) as it:
                for entry in it:
                    if entry.is_dir(follow_symlinks=False):
                        sub = entry.name
                        break
                    os.unlink(entry.name, dir_fd=fd)
            if sub is not None:  # go down; come back up through ".." (the program is dead: the tree holds still)
                child = _open_dir(sub, fd)
                os.close(fd)
                fd, names = child, names + [sub]
                continue
            if not names:
                os.close(fd)
                fd = -1
                os.rmdir(top)
                return ""
            parent = os.open("..", _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = parent
            os.rmdir(names.pop(), dir_fd=fd)
    except OSError as exc:
        return f"{os.path.join(top, *names)}: {exc.strerror or exc}"
    finally:
        if fd >= 0:
            os.close(fd)


def _stat_fields(pid: str) -> tuple[int, int] | None:
    """(ppid, resident pages) of a live process, or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return int(fields[1]), int(fields[21])  # ppid; rss (pages)
    except (OSError, IndexError, ValueError):
        return None


def descendants(root: int) -> dict[int, int]:
    """pid -> resident bytes of ``root`` and every process below it (setsid children keep their parent; orphans
    go to the run's init, which is below ``root``)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            got = _stat_fields(entry)
            if got is not None:
                children.setdefault(got[0], []).append(int(entry))
                rss[int(entry)] = got[1] * os.sysconf("SC_PAGE_SIZE")
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in rss and pid not in out:
            out[pid] = rss[pid]
            todo.extend(children.get(pid, []))
    return out
