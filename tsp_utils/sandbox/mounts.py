"""The host paths the launcher's mount namespace treats specially, worked out in the parent.

The launcher cannot compute them itself: it runs in the sandboxed interpreter and gets them in its JSON config.
``expose_pairs``: the closed directories to open for the run's uid to reach the interpreter; ``socket_dirs``: what to
cover with an empty tmpfs (Unix sockets); ``kept_below_hidden``: what to bind back below such a cover. See
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


def socket_dirs() -> list[str]:
    """The directories that usually hold Unix sockets (see the launcher), each once, as real paths. The home
    directory too: ssh keeps ControlMaster sockets there (~/.ssh), older GnuPG its agent's (~/.gnupg), and a
    connection to an ssh master is a login on another machine."""
    found: list[str] = []
    for d in ("/tmp", "/var/tmp", "/run", tempfile.gettempdir(), os.path.expanduser("~")):
        real = os.path.realpath(d)
        if real == "/" or not os.path.isdir(real):
            continue
        if any(real == f or real.startswith(f + "/") for f in found):
            continue  # already below a covered directory, which hides it
        found = [f for f in found if not f.startswith(real + "/")] + [real]
    return found


def kept_below_hidden(workdir: str) -> list[str]:
    """What the run needs that may lie below a hidden directory: its own directory and the interpreter's, by their
    real paths and by the paths Python builds sys.path from (which may pass through a symlink below one)."""
    needed = (workdir, sys.prefix, sys.base_prefix, os.path.dirname(sys.executable),
              os.path.dirname(os.path.realpath(sys.executable)))
    paths = {os.path.realpath(p) for p in needed} | {os.path.abspath(p) for p in needed}
    return sorted(paths, key=len)
