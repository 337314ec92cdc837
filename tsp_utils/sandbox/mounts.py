"""What the program sees of the host, worked out in the parent (the launcher gets it in its JSON config).

``view``: the paths bound read-only into the run's new root (the interpreter, its standard library and packages, the
OS's /usr with its shell and libraries, a few /etc files the loader and the clock read) and the symlinks that lead to
them, so that every path the run needs resolves there as it does here, and nothing else exists. ``expose_pairs``:
the closed directories (/root, mode 0700) that hide the interpreter from another uid without that view. See
docs/sandbox.md.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def expose_pairs() -> list[tuple[str, str]]:
    """(blocking parent, child) pairs that hide the interpreter from an unprivileged uid.

    For /root/.pyenv/versions/3.11.7 with /root mode 0700 this is [("/root", ".pyenv")]: the launcher
    mounts a tmpfs on /root (in the child's namespace only) that contains just .pyenv.
    """
    pairs: list[tuple[str, str]] = []
    homes = (sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(sys.executable)))
    targets = {os.path.realpath(p) for p in homes}
    for target in sorted(targets):
        parts = Path(target).parts
        for i in range(1, len(parts) - 1):
            ancestor = os.path.join(*parts[: i + 1])
            try:
                mode = os.stat(ancestor).st_mode
            except OSError:
                break
            if not mode & 0o001:
                pair = (ancestor, parts[i + 1])
                if pair not in pairs:
                    pairs.append(pair)
                break
    return pairs


OS_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32")  # programs and shared libraries
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime", "/etc/ssl")  # the loader, the clock, TLS


def _add(path: str, binds: set[str], links: dict[str, str], depth: int = 0) -> None:
    """Make ``path`` resolve in the new root as it does here: each symlink on the way becomes a symlink there, and
    the real file or directory it ends at is bound."""
    if depth > 40:
        return  # a symlink loop: the path does not resolve here either
    parts = Path(os.path.abspath(path)).parts
    cur = "/"
    for i, part in enumerate(parts[1:], start=1):
        nxt = os.path.join(cur, part)
        if os.path.islink(nxt):
            target = os.readlink(nxt)
            links[nxt] = target
            _add(os.path.join(os.path.dirname(nxt), target, *parts[i + 1:]), binds, links, depth + 1)
            return
        if not os.path.lexists(nxt):
            return
        cur = nxt
    if cur != "/":
        binds.add(os.path.normpath(cur))


def view(extra: tuple[str, ...] = ()) -> dict[str, list]:
    """{"binds": real paths to bind read-only, "links": [[path, target]], "skipped": [why]} for the run's root."""
    binds: set[str] = set()
    links: dict[str, str] = {}
    skipped = []
    python = (sys.executable, sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)
    for p in (*python, *OS_PATHS, *ETC_FILES, *extra):
        if os.path.realpath(p) == "/":
            skipped.append(f"{p}: it is the whole root file system")
            continue
        _add(p, binds, links)
    # a bind below another bind comes with it; a symlink below a bind comes with it too
    kept = sorted(b for b in binds if not any(b.startswith(o + "/") for o in binds if o != b))
    inside = [p for p in links if any(p.startswith(b + "/") for b in kept)]
    return {"binds": kept, "links": sorted([p, t] for p, t in links.items() if p not in inside), "skipped": skipped}
