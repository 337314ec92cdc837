# The sandbox's launcher: a program, not a module. run_python (tsp_utils/sandbox/run.py) reads this file and runs
# it as the child's first program with `python -I -S -c <this text> <config as JSON>`, in a fresh, single-threaded
# interpreter (so no fork-in-threaded-parent hazards). It runs in that separate, sandboxed interpreter: it imports
# only the standard library, never tsp_utils, and gets every value from the JSON config in argv[1].
#
# Its first act is to join the run's cgroup (cfg["cgroup_procs"]), so that every process of the run is born in it.
# It isolates network and filesystem while still root (or, not root, inside a new user namespace; the new root is
# built by launcher_fs.py, whose text run_python puts before this one) and sets the rlimits. In a PID namespace it
# then forks the namespace's init, which stays root, enters the new root and forks the program; the program drops
# to the run's uid and execs (without a PID namespace the launcher does that itself). It reports what took effect
# on fd cfg["report_fd"] as a JSON line, and after the program ended a second line {"end": ...} with what the
# kernel says about the run's end (its disk use). What each step guards against: docs/sandbox.md.
# tests/test_sandbox.py patches lines of this file (to stand in for hosts that refuse something): keep them unique.

import ctypes
import json
import os
import re
import resource
import select
import signal
import socket
import sys

if __name__ != "__main__":  # its top level unshares and mounts: importing it would do that to the importer
    raise ImportError("tsp_utils/sandbox/launcher.py is a program that run_python runs, not a module to import")

cfg = json.loads(sys.argv[1])
rep = {}
for procs in cfg["cgroup_procs"]:  # before anything forks: every process of the run is then counted
    try:
        with open(procs, "w") as fh:
            fh.write(str(os.getpid()))
    except OSError as exc:
        rep.setdefault("cgroup_join_failed", []).append("%s: %s" % (procs, exc))
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


def report(close=True):
    os.write(cfg["report_fd"], (json.dumps(rep) + "\n").encode())
    if close:
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
                                or libc.mount(b"tmpfs", cfg["newroot"].encode(), b"tmpfs", 0, b"size=4k") != 0):
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
view_ready = False  # the new root is built; init (or, without a PID namespace, the launcher) enters it
if mounts_refused:
    rep["filesystem"] = "not isolated (the user namespace refused mounts: %s)" % mounts_refused
elif (root or userns) and cfg["isolate_fs"]:
    ok = userns  # enter_userns made / private
    ok = ok or (libc.unshare(CLONE_NEWNS) == 0 and libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) == 0)
    if not ok:
        rep["filesystem"] = "uid only (mount namespace unavailable: " + err() + ")"
    else:
        why = build_view(cfg["newroot"], cfg.get("uid") if root else None)
        if why:
            stop("the run's root could not be built: " + why)
        mount_ns = view_ready = True
        rep["filesystem"] = "least view (new root): read-only %s; the run directory" % ", ".join(cfg["view"]["binds"])
        rep["disk"] = "the run directory is a tmpfs of %d MB (all files together)" % cfg["max_disk_mb"]
elif root:
    rep["filesystem"] = "uid only (mount isolation disabled by caller)"
elif userns:
    rep["filesystem"] = "not isolated (disabled by caller)"
else:
    rep["filesystem"] = "not isolated beyond the user's own permissions (not root, no user namespace)"
if not view_ready:
    rep["disk"] = "no bound on the total (no mount namespace): RLIMIT_FSIZE bounds each file"
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
        # CPU: SIGXCPU at the soft limit, a signal only the kernel's CPU accounting sends; SIGKILL a second later
        resource.setrlimit(res, (val, val + 1 if res == resource.RLIMIT_CPU else val))
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


def enter_root(with_proc):
    if mounts_refused:
        rep["proc"] = "the host's (the user namespace refused mounts)"
    elif view_ready:
        why, notes = enter_view(cfg["newroot"], with_proc)
        if why:
            stop("entering the run's root: " + why)
        rep["proc"] = notes[0] if notes and notes[0].startswith("no /proc") else "private to the run"
        rep["root"] = "; ".join(n for n in notes if not n.startswith("no /proc")) or "pivot_root"
    else:
        rep["proc"] = "the host's (no mount namespace of its own)"


def run_pair():
    """A test: the harness (ours) and the program's server (untrusted) in two processes joined by a socket. The
    verdict is the harness's exit status, and its one-line reason comes on a pipe that only we read."""
    h_fd, p_fd = (sock.detach() for sock in socket.socketpair())
    reason_r, reason_w = os.pipe()

    def spawn(keep, drop, flags, program, own):
        pid = os.fork()
        if pid == 0:
            for fd in drop:
                os.close(fd)
            drop_to_run_uid()
            for fd in keep:
                os.set_inheritable(fd, True)
            os.execve(cfg["python"], [cfg["python"], *flags, "-c", program, json.dumps(own)], cfg["env"])
        return pid

    harness = spawn((h_fd, reason_w), (p_fd, reason_r), ("-I",), cfg["harness"],
                    {"fd": h_fd, "reason_fd": reason_w, "workdir": work, "test": cfg["test"]})
    os.close(reason_w)
    server = spawn((p_fd,), (h_fd, reason_r), ("-E", "-s"), cfg["server"], {"fd": p_fd})
    os.close(h_fd)
    os.close(p_fd)
    server_status = None
    while True:  # reap orphans too (as init) until the harness ends; then the program's side goes
        pid, status = os.wait()
        if pid == server:
            server_status = status
        if pid == harness:
            break
    if server_status is None:
        try:
            os.kill(server, signal.SIGKILL)
        except OSError:
            pass
    reason = os.read(reason_r, 4096).decode("utf-8", "replace")
    os.close(reason_r)
    return status, "%s\n%s" % ("" if server_status is None else server_status, reason)


def finish(status, harness_reason):
    end = {}
    if run_fd >= 0:  # what the kernel says of the run directory: how full its tmpfs got
        st = os.fstatvfs(run_fd)
        end["disk_used_bytes"] = (st.f_blocks - st.f_bfree) * st.f_frsize
        end["disk_size_bytes"] = st.f_blocks * st.f_frsize
    if harness_reason is not None:  # "<the program's wait status, if it ended first>\n<the harness's reason>"
        program, end["harness_reason"] = harness_reason.split("\n", 1)
        if program:
            end["program_status"] = int(program)
    try:
        os.write(cfg["report_fd"], (json.dumps({"end": end}) + "\n").encode())
    except OSError:
        pass
    # end as the program (or the harness) ended, so that the parent classifies a signal death as before
    if os.WIFSIGNALED(status):
        if os.WTERMSIG(status) != signal.SIGKILL:  # Python ignores SIGPIPE and SIGXFSZ, handles SIGINT
            signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
        os.kill(os.getpid(), os.WTERMSIG(status))
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


# the run directory's tmpfs, to read its use after the program ended (the launcher may be outside the new root)
run_fd = os.open(cfg["newroot"] + work, os.O_RDONLY | os.O_DIRECTORY) if view_ready else -1
if not pidns:
    enter_root(False)
    if cfg["test"]:
        report(close=False)
        finish(*run_pair())
    drop_to_run_uid()
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
    if run_fd >= 0:
        os.close(run_fd)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # PID 1 then ignores SIGINT from inside, as every other signal
    # init is in the launcher's process group, so the parent's killpg reaches it; this covers any other death
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if select.select([alive_r], [], [], 0)[0]:  # the launcher died before the death signal was set
        os._exit(125)
    os.close(alive_r)
    enter_root(True)  # from inside the PID namespace: its /proc lists only the run's processes
    report()
    if cfg["test"]:
        status, reason = run_pair()
        os.write(status_w, b"%d\n" % status + reason.encode())
        os._exit(0)
    program = os.fork()
    if program == 0:
        drop_to_run_uid()
        run_program()
    while True:  # reap orphans (init inherits them) until the program ends
        pid, status = os.wait()
        if pid == program:
            os.write(status_w, b"%d" % status)
            os._exit(0)
os.close(status_w)
status = os.waitpid(init, 0)[1]
got = os.read(status_r, 8192).decode("utf-8", "replace").split("\n", 1)
if got[0]:
    status = int(got[0])
finish(status, got[1] if cfg["test"] and len(got) > 1 else None)
