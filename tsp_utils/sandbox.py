"""Run untrusted (model-generated) Python in a contained child process.

Generated code runs only through this module. Each run gets a private temporary directory (also the
child's cwd and HOME) holding ``solution.py`` and, optionally, ``test.py`` (which does
``from solution import ...``); the child is ``python -E -s`` running ``solution.py``, or a small runner that runs
``test.py`` and then prints a per-run token, so that a test counts as passed only if it ran to its end (code that
exits early with status 0 is an error). That stops a program that ends early by accident (``sys.exit(0)`` at import),
not one written to cheat: it runs in the runner's process and can read the token and print it. ``-E -s``: the
isolation of ``-I`` except that the script's directory stays on sys.path so that ``from solution import`` works.

What is enforced, and where (``SandboxResult.limits`` records what actually took effect on each run). As root
the child runs under a fresh, unused uid/gid (one per run, reserved with a lock file where /run/tsp-sandbox-uids,
or /tmp/..., is usable, so that runs in other processes never get it too: ``limits["uid_reservation"]``). Not
root, it enters a new user namespace when the kernel allows unprivileged ones (our uid mapped to itself, so the
code holds no capabilities there), which brings the namespaces below. A throwaway child tries it first, because
where AppArmor restricts unprivileged user namespaces (Ubuntu 23.10 and later) unshare succeeds and the uid map or
the mounts are then refused, and a process cannot leave a namespace it entered. Where it is refused (that, some
containers), ``limits["user_namespace"]`` says why and the rows marked "no user namespace" apply; where only the
mounts are, the other namespaces stay.

==========================  =====================================================================
control                     mechanism
==========================  =====================================================================
wall-clock timeout          parent waits ``timeout_s`` then SIGKILLs the process group, which
                            holds the run's PID namespace's init (which gets SIGKILL when the
                            launcher dies, PR_SET_PDEATHSIG): when init dies the kernel kills
                            every process in the namespace, children that called setsid
                            included. As root, every process of the run's uid is then killed as
                            well. If the parent itself dies, the launcher dies with it, and, in a
                            PID namespace, the whole run. The PID namespace needs root or a user
                            namespace; with neither (or where unshare(CLONE_NEWPID) fails) the
                            launcher becomes the program, and setsid children outlive the run
CPU time                    RLIMIT_CPU (SIGXCPU / SIGKILL)
memory                      RLIMIT_AS (allocations beyond it raise MemoryError)
file size                   RLIMIT_FSIZE (also bounds stdout/stderr, which go to files)
processes (fork bombs)      RLIMIT_NPROC = max_procs, counting only the run's processes: the kernel
                            does not enforce it for root, hence the per-run uid; in a user
                            namespace on Linux >= 5.14 it counts that namespace's processes (the
                            launcher and the namespace's init count too, so it is max_procs + 2).
                            No user namespace, or an older kernel: it counts all of the user's
                            processes, so it is set to (their current count + max_procs), which is
                            racy and weaker
other processes             as root the run's uid cannot signal or trace the parent, other runs
                            or the run's init (which stays root). As root or in a user namespace:
                            new PID namespace (the code can signal only the run's processes), a
                            /proc listing only those (only with the mount namespace: not when
                            ``isolate_fs`` is off or mounts are refused; ``limits["proc"]`` says
                            which) and a new IPC namespace. No user namespace and not root: the
                            code can signal the user's other processes
privileges                  PR_SET_NO_NEW_PRIVS: no setuid binary gives the program a privilege back
core dumps                  RLIMIT_CORE = 0
open files                  RLIMIT_NOFILE = 256
environment                 scrubbed: PATH, HOME=<tmpdir>, LANG only
session                     new session / process group (start_new_session)
network                     new empty network namespace (as root, or in the user namespace),
                            else ``limits["network"]`` says "not isolated" and why
filesystem                  as root or in a user namespace: new mount namespace where every mount
                            except the run's directory (and /proc, /dev) is remounted read-only,
                            so the code cannot write /tmp, the repository or anything else (the
                            code cannot remount: it lacks the capability, and a namespace it
                            creates inherits the mounts locked). Otherwise the run's uid keeps it
                            out of root-owned paths (root), or nothing beyond the user's own
                            permissions (no user namespace); ``limits["filesystem"]`` says which.
Unix sockets                with the mount namespace, /tmp, /var/tmp, /run, $TMPDIR and the home
                            directory are covered by an empty read-only tmpfs (the run directory
                            and the interpreter bound back), so the session bus, tmux, X, ssh
                            agents and ssh ControlMaster sockets there are out of reach
                            (``limits["sockets"]``); abstract sockets are out of reach in the
                            network namespace (not with ``isolate_network=False``). Not covered:
                            a socket elsewhere (in /dev/shm, say) stays connectable if the uid may
                            open it.
==========================  =====================================================================
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

__all__ = ["SandboxResult", "SandboxJob", "run_python", "run_many"]

MAX_OUTPUT_CHARS = 20_000
_UID_RANGE = (200_000, 260_000)  # no passwd entries; far from system and login users
UID_LOCK_DIR: str | None = None  # None: /run/tsp-sandbox-uids (or /tmp/...), never $TMPDIR: every process must agree
_uids_in_use: dict[int, tuple[int, Path | None]] = {}  # uid -> its lock file's fd and path (-1, None: no lock dir)
_uid_lock = threading.Lock()


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


# The launcher runs as the child's first program (a fresh, single-threaded interpreter, so no fork-in-
# threaded-parent hazards). It isolates network and filesystem while still root (or, not root, inside a new
# user namespace) and sets the rlimits. In a PID namespace it then forks the namespace's init, which stays root and
# forks the program; the program drops to the run's uid and execs (without a PID namespace the launcher does that
# itself). It reports what took effect on fd REPORT_FD as JSON.
_LAUNCHER = r'''
import ctypes, json, os, re, resource, select, signal, sys
cfg = json.loads(sys.argv[1])
rep = {}
libc = ctypes.CDLL(None, use_errno=True)
libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_void_p]
CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER = 0x00020000, 0x08000000, 0x10000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS = 1, 38
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_NOATIME, MS_NODIRATIME, MS_RELATIME = 1024, 2048, 1 << 21
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
         "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME}
def err():
    return os.strerror(ctypes.get_errno())
work = cfg["workdir"]
root = os.geteuid() == 0
userns = False
pidns = False  # the program runs under an init of its own, whose death ends every process of the run
mount_ns = False  # only then may init mount a /proc of its own: otherwise that would be the host's /proc
mounts_refused = ""  # the user namespace works, but not its mounts

reported = []

def report():
    os.write(cfg["report_fd"], (json.dumps(rep) + "\n").encode())
    os.close(cfg["report_fd"])
    reported.append(True)

def enter_userns(flags, uid, gid):
    """unshare, map uid and gid to themselves, and with a mount namespace make / private and bind the run dir.
    Returns "" or what was refused."""
    if libc.unshare(flags) != 0:
        return "unshare(CLONE_NEWUSER) failed: " + err()
    try:
        for name, text in (("uid_map", "%d %d 1" % (uid, uid)), ("setgroups", "deny"),
                           ("gid_map", "%d %d 1" % (gid, gid))):
            with open("/proc/self/" + name, "w") as fh:
                fh.write(text)
    except OSError as exc:
        return "writing the uid/gid maps was refused: %s" % exc
    if flags & CLONE_NEWNS and (libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0
                                or libc.mount(work.encode(), work.encode(), None, MS_BIND, None) != 0):
        return "mounts: " + err()
    return ""

def probe(flags, uid, gid):
    # Where AppArmor restricts unprivileged user namespaces (Ubuntu 23.10 and later) unshare succeeds and the maps
    # or the mounts are then refused, and a process that has unshared cannot go back: try it in a throwaway child.
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            why = enter_userns(flags, uid, gid) or "ok"
        except BaseException as exc:
            why = "the probe failed: %r" % exc
        os.write(w, why.encode())
        os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as fh:
        why = fh.read().decode()
    os.waitpid(pid, 0)
    return None if not why else "" if why == "ok" else why

def stop(why):
    # the sandbox itself failed: say so (the parent reports it as the sandbox's failure, not the program's)
    rep["launcher_error"] = why
    if reported:  # the program's own process, after init reported: its stderr is all that is left
        os.write(2, ("sandbox failed before the program ran: %s\n" % why).encode())
    else:
        report()
    os._exit(125)

if not root:
    # A user namespace gives an unprivileged user the namespaces root uses. It maps our uid to itself, not to
    # root, so the program holds no capabilities in it once exec'd and cannot undo what is set up here.
    uid, gid = os.getuid(), os.getgid()  # read before unshare: until the maps exist they read as overflow ids
    flags = CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWIPC
    flags |= (CLONE_NEWNET if cfg["isolate_network"] else 0) | (CLONE_NEWNS if cfg["isolate_fs"] else 0)
    why = probe(flags, uid, gid)
    if why is None:  # a probe killed before it answered (out of memory?): once more, then give up, never fall open
        why = probe(flags, uid, gid)
        if why is None:
            stop("the user namespace probe gave no answer, twice")
    if why.startswith("mounts: ") and probe(flags & ~CLONE_NEWNS, uid, gid) == "":
        mounts_refused, flags, why = why[len("mounts: "):], flags & ~CLONE_NEWNS, ""
    if why == "":
        why = enter_userns(flags, uid, gid)
        if why:  # the probe passed, this did not: we are half inside, so stop here and say why
            stop("the user namespace failed after its probe passed: " + why)
        userns = pidns = True
        rep["user_namespace"] = "yes (uid %d mapped to itself)" % uid
        rep["pid_namespace"] = "yes (its init ends every process of the run)"
        rep["ipc_namespace"] = "yes"
    else:
        rep["user_namespace"] = "unavailable: " + why
        rep["pid_namespace"] = "no (needs the user namespace)"
        rep["ipc_namespace"] = "no (needs the user namespace)"
else:
    # Root needs no user namespace for these. Without a PID namespace the program would be the launcher itself:
    # it could clear its own death signal, and its children would outlive a killed parent (the parent's sweep of
    # the run's uid never comes). Here init stays root, which the program's uid can neither signal nor trace.
    if libc.unshare(CLONE_NEWPID) == 0:
        pidns = True
        rep["pid_namespace"] = "yes (its init, root, ends every process of the run)"
    else:
        rep["pid_namespace"] = "no: unshare(CLONE_NEWPID) failed: " + err()
    rep["ipc_namespace"] = "yes" if libc.unshare(CLONE_NEWIPC) == 0 else "no: unshare(CLONE_NEWIPC) failed: " + err()
if not cfg["isolate_network"]:
    rep["network"] = "not isolated (disabled by caller)"
elif userns or libc.unshare(CLONE_NEWNET) == 0:
    rep["network"] = "isolated (empty network namespace)"
else:
    rep["network"] = "not isolated: unshare(CLONE_NEWNET) failed: " + err()
rep["sockets"] = "not hidden (no mount namespace)"
if mounts_refused:
    rep["filesystem"] = "not isolated (the user namespace refused mounts: %s)" % mounts_refused
elif (root or userns) and cfg["isolate_fs"]:
    ok = userns  # enter_userns made / private and bound the run dir
    ok = ok or (libc.unshare(CLONE_NEWNS) == 0 and libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) == 0
                and libc.mount(work.encode(), work.encode(), None, MS_BIND, None) == 0)
    if not ok:
        rep["filesystem"] = "uid only (mount namespace unavailable: " + err() + ")"
    else:
        mount_ns = True
        # The interpreter may live under a directory the run's uid cannot enter (e.g. /root/.pyenv).
        # Replace that directory, in this namespace only, by an empty tmpfs exposing just the needed child.
        for parent, child in cfg["expose"]:
            src = os.path.join(parent, child)
            try:
                fd = os.open(src, os.O_PATH | os.O_DIRECTORY)
            except OSError as exc:
                rep.setdefault("expose_failed", []).append("%s: %s" % (src, exc))
                continue
            if libc.mount(b"tmpfs", parent.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=0755,size=64k") != 0:
                rep.setdefault("expose_failed", []).append(parent + ": " + err())
                continue
            os.mkdir(src, 0o755)
            if libc.mount(("/proc/self/fd/%d" % fd).encode(), src.encode(), None, MS_BIND | MS_REC, None) != 0:
                rep.setdefault("expose_failed", []).append(src + ": " + err())
            os.close(fd)
        failed = []
        with open("/proc/self/mountinfo") as fh:
            mounts = [line.split() for line in fh]
        keep_rw = ("/proc", "/dev", "/dev/pts", "/dev/mqueue")
        for parts in mounts:
            mp = parts[4].replace("\\040", " ")
            if mp == work or mp in keep_rw or mp.startswith("/proc/"):
                continue
            flags = MS_REMOUNT | MS_BIND | MS_RDONLY
            for opt in parts[5].split(","):
                flags |= FLAGS.get(opt, 0)
            if libc.mount(None, mp.encode(), None, flags, None) != 0:
                failed.append(mp + ": " + err())
        if failed:
            rep["filesystem"] = "read-only except run dir, but these stayed writable: " + "; ".join(failed[:5])
        else:
            rep["filesystem"] = "read-only except the run directory (mount namespace)"
        # A read-only mount still lets a program connect to the Unix sockets in it: the session bus
        # (/run/user/<uid>/bus), a tmux server (/tmp/tmux-<uid>), an X server or an ssh agent in /tmp would let
        # code running as the user's own uid act outside the run. An empty, read-only tmpfs covers each directory
        # that usually holds them; the run directory and the interpreter, where they lie below one, are bound back.
        hidden, hide_failed = [], []
        for top in cfg["hide"]:
            if any(k == top or top.startswith(k + "/") for k in cfg["keep"]):
                hide_failed.append(top + ": the run needs all of it (the interpreter or the run directory)")
                continue
            inside = [k for k in cfg["keep"] if k.startswith(top.rstrip("/") + "/")]
            inside = [k for k in inside if not any(k.startswith(o + "/") for o in inside if o != k)]
            fds = []  # opened before the tmpfs covers what they name
            try:
                for keep in inside:
                    fds.append((keep, os.open(keep, os.O_PATH | os.O_DIRECTORY)))
                if libc.mount(b"tmpfs", top.encode(), b"tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                              b"mode=0755,size=64k") != 0:
                    raise OSError(ctypes.get_errno(), err())
            except OSError as exc:
                hide_failed.append("%s: %s" % (top, exc))
            else:
                umask = os.umask(0o022)  # the run's uid must pass through what is made here, whatever our umask
                # a bind keeps its source's flags: the interpreter stays read-only, the run dir writable
                for keep, fd in fds:
                    os.makedirs(keep, 0o755, exist_ok=True)
                    if libc.mount(("/proc/self/fd/%d" % fd).encode(), keep.encode(), None, MS_BIND | MS_REC, None) != 0:
                        stop("binding %s back below the tmpfs on %s failed: %s" % (keep, top, err()))
                os.umask(umask)
                if libc.mount(None, top.encode(), None,
                              MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, None) != 0:
                    stop("making the tmpfs on %s read-only failed: %s" % (top, err()))  # not root: it is the run's own
                hidden.append(top)
            finally:
                for _, fd in fds:
                    os.close(fd)
        rep["sockets"] = "hidden (covered by an empty tmpfs): " + ", ".join(hidden) if hidden else "not hidden"
        if hide_failed:
            rep["sockets"] += "; not covered: " + "; ".join(hide_failed)
elif root:
    rep["filesystem"] = "uid only (mount isolation disabled by caller)"
elif userns:
    rep["filesystem"] = "not isolated (disabled by caller)"
else:
    rep["filesystem"] = "not isolated beyond the user's own permissions (not root, no user namespace)"
# Since Linux 5.14 RLIMIT_NPROC counts per user namespace (before, per user across all of them): in ours it
# counts only this run's processes, of which the launcher and the namespace's init are two.
kernel = tuple(int(n) for n in re.match(r"(\d+)\.(\d+)", os.uname().release).groups())
nproc_per_ns = userns and kernel >= (5, 14)
MB = 1024 * 1024
limits = {
    "RLIMIT_CPU": (resource.RLIMIT_CPU, cfg["cpu_s"]),
    "RLIMIT_AS": (resource.RLIMIT_AS, cfg["memory_mb"] * MB),
    "RLIMIT_FSIZE": (resource.RLIMIT_FSIZE, cfg["max_file_mb"] * MB),
    "RLIMIT_NPROC": (resource.RLIMIT_NPROC, cfg["max_procs"] + 2 if nproc_per_ns else cfg["nproc"]),
    "RLIMIT_CORE": (resource.RLIMIT_CORE, 0),
    "RLIMIT_NOFILE": (resource.RLIMIT_NOFILE, 256),
}
for name, (res, val) in limits.items():
    try:
        resource.setrlimit(res, (val, val))
        rep[name] = val
    except (ValueError, OSError) as exc:
        rep[name] = "not set: %s" % exc
if root:
    rep["RLIMIT_NPROC_counts"] = "the run's own uid"
else:
    rep["RLIMIT_NPROC_counts"] = "this run's user namespace" if nproc_per_ns else "all of the user's processes"

def drop_to_run_uid():
    # the uid change clears the death signal: set it again after
    if root and cfg.get("uid") is not None:
        uid = cfg["uid"]
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    # no setuid binary (mount, passwd, ...) can give the program back any privilege
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        stop("prctl(PR_SET_NO_NEW_PRIVS) failed: " + err())

if root and cfg.get("uid") is not None:
    rep["uid"] = cfg["uid"]
rep["no_new_privs"] = "yes"  # drop_to_run_uid stops the run where it cannot be set
if not pidns:
    drop_to_run_uid()
rep["pid"] = os.getpid()
os.chdir(work)
# If our parent dies (killed, crashed) nobody enforces the wall-clock limit any more: die with it. Checked once,
# for a parent that died before the call.
libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
if os.getppid() != cfg["parent_pid"]:
    stop("its parent is gone (or the interpreter forked instead of running it)")

def run_program():
    # -E -s (ignore PYTHON* variables and the user site) rather than -I: -I also drops the script's directory
    # from sys.path, and test.py must be able to `from solution import ...`.
    try:
        os.execve(cfg["python"], [cfg["python"], "-E", "-s", cfg["script"]], cfg["env"])
    except OSError as exc:  # the interpreter is out of the run's reach: the sandbox's doing, not the code's
        stop("the interpreter could not be run: %s" % exc)

if not pidns:
    report()
    run_program()
# The first child forked into the new PID namespace is its init; when init exits the kernel kills everything
# left in the namespace, setsid daemons included. The program runs as init's child rather than as init
# because init ignores signals it sends itself (abort(), os.kill(os.getpid(), ...)).
status_r, status_w = os.pipe()
alive_r, alive_w = os.pipe()  # only the launcher keeps the write end: EOF on the read end means it is gone
init = os.fork()
if init == 0:
    os.close(status_r)
    os.close(alive_w)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # PID 1 then ignores SIGINT from inside, as every other signal
    # init is in the launcher's process group, so the parent's killpg reaches it; this covers any other death
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if select.select([alive_r], [], [], 0)[0]:  # the launcher died before the death signal was set
        os._exit(125)
    os.close(alive_r)
    if mounts_refused:
        rep["proc"] = "the host's (the user namespace refused mounts)"
    elif mount_ns:
        # the host's /proc would list every process on the machine; this one lists only the run's
        if libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None) == 0:
            rep["proc"] = "private to the run"
        else:
            rep["proc"] = "the host's (mounting a private /proc failed: " + err() + ")"
            rep["sockets"] += " (but the host's /proc reaches them through /proc/<pid>/root)"
    else:
        rep["proc"] = "the host's (no mount namespace of its own)"
    report()
    program = os.fork()
    if program == 0:
        drop_to_run_uid()
        run_program()
    while True:  # reap orphans (init inherits them) until the program ends
        pid, status = os.wait()
        if pid == program:
            os.write(status_w, b"%d" % status)
            os._exit(0)
os.close(cfg["report_fd"])
os.close(status_w)
status = os.waitpid(init, 0)[1]
status = int(os.read(status_r, 32) or status)
# end as the program ended, so that the parent classifies a signal death (SIGKILL, SIGXCPU) as before
if os.WIFSIGNALED(status):
    if os.WTERMSIG(status) != signal.SIGKILL:  # Python ignores SIGPIPE and SIGXFSZ, handles SIGINT
        signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
    os.kill(os.getpid(), os.WTERMSIG(status))
os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
'''


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
    import fcntl  # POSIX only, as the sandbox

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


def _alloc_uid() -> tuple[int, str]:
    """A uid no other run uses, in this process or another (two notebooks, a notebook and the tests), and that owns
    no process: one run's sweep of its uid must never reach another's program. Returns it and how far the
    reservation reaches (``limits["uid_reservation"]``)."""
    folder, reach = _uid_lock_dir()
    busy = _live_uids()  # leftovers of runs whose process died, or other programs'
    with _uid_lock:
        for _ in range(1000):
            uid = random.randrange(*_UID_RANGE)
            if uid in _uids_in_use or uid in busy:
                continue
            fd = _reserve(folder, uid) if folder is not None else -1
            if fd is None:
                continue
            _uids_in_use[uid] = (fd, folder / str(uid) if folder is not None else None)
            return uid, reach
    raise RuntimeError("no free sandbox uid")


def _free_uid(uid: int) -> None:
    with _uid_lock:
        fd, path = _uids_in_use.pop(uid, (-1, None))
    if path is not None:
        try:
            path.unlink()  # while still locked: a process waiting on this file sees its inode change
        except OSError:
            pass
    if fd >= 0:
        os.close(fd)


def _live_uids() -> set[int]:
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


def _pids_of_uid(uid: int) -> list[int]:
    """Live (non-zombie) processes whose real uid is ``uid``."""
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit() and _live_uid(entry) == uid]


def _kill_group(pid: int) -> None:
    """SIGKILL the run's process group: the launcher, its PID namespace's init (whose death ends the namespace)
    and the program with the children it did not move to a session of their own."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _kill_uid(uid: int) -> int:
    """SIGKILL every process running as ``uid`` (escaped grandchildren, fork-bomb remnants).

    kill(-1) issued *as that uid* reaches exactly its processes and is atomic with respect to forks that
    the victims attempt (they die in the same sweep); repeated until /proc shows none left.
    """
    # a shell builtin, not our interpreter: the interpreter may sit in a directory that uid cannot enter
    killer = ["/bin/sh", "-c", "kill -9 -1 2>/dev/null; exit 0"]
    rounds = 0
    for rounds in range(1, 21):
        if not _pids_of_uid(uid):
            return rounds - 1
        subprocess.run(killer, user=uid, group=uid, extra_groups=[], cwd="/",
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=10, env={"PATH": "/usr/bin:/bin"})
        time.sleep(0.02)
    return rounds


def _expose_pairs() -> list[tuple[str, str]]:
    """(blocking parent, child) pairs that hide the interpreter from an unprivileged uid.

    For /root/.pyenv/versions/3.11.7 with /root mode 0700 this is [("/root", ".pyenv")]: the launcher
    mounts a tmpfs on /root (in the child's namespace only) that contains just .pyenv.
    """
    pairs: list[tuple[str, str]] = []
    targets = {os.path.realpath(p) for p in (sys.base_prefix, sys.prefix, os.path.dirname(os.path.realpath(sys.executable)))}
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


def _socket_dirs() -> list[str]:
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


def _kept_below_hidden(workdir: str) -> list[str]:
    """What the run needs that may lie below a hidden directory: its own directory and the interpreter's, by their
    real paths and by the paths Python builds sys.path from (which may pass through a symlink below one)."""
    needed = (workdir, sys.prefix, sys.base_prefix, os.path.dirname(sys.executable),
              os.path.dirname(os.path.realpath(sys.executable)))
    paths = {os.path.realpath(p) for p in needed} | {os.path.abspath(p) for p in needed}
    return sorted(paths, key=len)


def _count_user_procs(uid: int) -> int:
    return len(_pids_of_uid(uid))


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


RUNNER = "_tsp_run_test.py"
_RUNNER_CODE = """import runpy
import sys

runpy.run_path("test.py", run_name="__main__")
sys.stdout.flush()
print("{token}", flush=True)
"""


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
    expose = _expose_pairs() if is_root else []
    if expose and not isolate_fs:
        # the run's uid reaches the interpreter only through the mount namespace's tmpfs (see _expose_pairs)
        parent = expose[0][0]
        raise ValueError(f"run_python(isolate_fs=False) as root: the run's uid cannot reach the interpreter "
                         f"{sys.executable}, which lies under {parent} (not searchable by other users); keep "
                         "isolate_fs=True, or use an interpreter outside it")
    uid, reach = _alloc_uid() if is_root else (None, "")
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
            Path(workdir, RUNNER).write_text(_RUNNER_CODE.format(token=token), encoding="utf-8")
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
            nproc = _count_user_procs(os.getuid()) + max_procs
        # the real path: a symlink on the way to it may lie below a directory the launcher covers
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": os.path.realpath(workdir), "LANG": "C.UTF-8"}
        read_fd, write_fd = os.pipe()
        cfg = {
            "workdir": os.path.realpath(workdir), "uid": uid, "python": sys.executable, "script": script,
            "env": env, "cpu_s": int(cpu_s), "memory_mb": int(memory_mb), "max_file_mb": int(max_file_mb),
            "nproc": int(nproc), "max_procs": int(max_procs), "parent_pid": os.getpid(), "report_fd": write_fd,
            "isolate_network": isolate_network, "isolate_fs": isolate_fs, "expose": expose,
            "hide": _socket_dirs(), "keep": _kept_below_hidden(workdir),
        }
        out_path, err_path = Path(outdir, "stdout"), Path(outdir, "stderr")
        with open(out_path, "wb") as out_fh, open(err_path, "wb") as err_fh:
            proc = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _LAUNCHER, json.dumps(cfg)],
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
            limits["killed_leftover_rounds"] = _kill_uid(uid)
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
                _kill_uid(uid)
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(outdir, ignore_errors=True)
        if uid is not None:
            _free_uid(uid)


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
        from .progress import tqdm

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
