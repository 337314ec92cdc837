# The launcher's file-system part: a program fragment, not a module. run_python puts this text before launcher.py's
# and runs both as one `python -I -S -c` program (so it imports only the standard library and shares the launcher's
# globals: libc, err, cfg, the MS_* flags). It builds the run's new root, the least view: an empty tmpfs holding
# only read-only binds of cfg["view"] (the interpreter, its libraries, /usr), a few device nodes, the run directory
# as a size-limited tmpfs of its own (the run's total bytes written), and later a /proc of the run's PID namespace.
# pivot_root then makes it "/" and detaches the host's tree. What this guards against: docs/sandbox.md.

if __name__ != "__main__":
    raise ImportError("tsp_utils/sandbox/launcher_fs.py is part of a program that run_python runs, not a module")

MNT_DETACH, MS_MOVE = 2, 8192
ST_TO_MS = ((1, 1), (2, 2), (4, 4), (8, 8), (1024, 1024), (2048, 2048), (4096, 1 << 21))  # statvfs -> mount flags
PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41, "ppc64le": 203, "ppc64": 203, "s390x": 217}
DEVICES = ("null", "zero", "full", "random", "urandom")


def _bind_ro(src, dst):
    """Bind src on dst read-only, keeping the flags the source mount has (a user namespace may not drop them)."""
    if libc.mount(src.encode(), dst.encode(), None, MS_BIND, None) != 0:
        return "bind %s: %s" % (src, err())
    flags = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV
    have = os.statvfs(src).f_flag
    for st, ms in ST_TO_MS:
        if have & st:
            flags |= ms
    if libc.mount(None, dst.encode(), None, flags, None) != 0:
        return "read-only %s: %s" % (dst, err())
    return ""


def _copy_run_files(src, dst, uid):
    # the parent's files (solution.py, test.py, fixtures): few and small, written by us, no links
    for dirpath, dirnames, filenames in os.walk(src):
        rel = os.path.relpath(dirpath, src)
        target = os.path.normpath(os.path.join(dst, rel))
        if rel != ".":
            os.mkdir(target, 0o755)
        for name in filenames:
            with open(os.path.join(dirpath, name), "rb") as fin, open(os.path.join(target, name), "wb") as fout:
                fout.write(fin.read())
        if uid is not None:
            for name in filenames:
                os.chown(os.path.join(target, name), uid, uid)
            os.chown(target, uid, uid)


def build_view(newroot, uid):
    """Everything of the new root that can be made before the PID namespace's init exists. Returns "" or why not."""
    if libc.mount(b"tmpfs", newroot.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=0755,size=1m") != 0:
        return "tmpfs for the new root: " + err()
    umask = os.umask(0o022)  # the run's uid must pass through every directory made here
    try:
        view = cfg["view"]
        for path, target in view["links"]:
            os.makedirs(os.path.dirname(newroot + path), 0o755, exist_ok=True)
            os.symlink(target, newroot + path)
        for path in view["binds"]:
            dst = newroot + path
            if os.path.isdir(path):
                os.makedirs(dst, 0o755, exist_ok=True)
            else:
                os.makedirs(os.path.dirname(dst), 0o755, exist_ok=True)
                open(dst, "w").close()
            why = _bind_ro(path, dst)
            if why:
                return why
        os.mkdir(newroot + "/dev", 0o755)
        for name in DEVICES:  # harmless character devices, writable as on the host (/dev/null, ...)
            open(newroot + "/dev/" + name, "w").close()
            if libc.mount(("/dev/" + name).encode(), (newroot + "/dev/" + name).encode(), None, MS_BIND, None) != 0:
                return "bind /dev/%s: %s" % (name, err())
        for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                             ("stderr", "/proc/self/fd/2")):
            os.symlink(target, newroot + "/dev/" + name)
        os.mkdir(newroot + "/proc", 0o555)
        os.mkdir(newroot + "/.oldroot", 0o700)
        run = newroot + work
        os.makedirs(run, 0o755, exist_ok=True)
        owner = "" if uid is None else ",uid=%d,gid=%d" % (uid, uid)
        opts = "mode=0700,size=%dm%s" % (cfg["max_disk_mb"], owner)
        # noexec: nothing the program writes can be mapped as code, here or in the harness (sqlite's
        # load_extension on a connection the test passes it, say)
        if libc.mount(b"tmpfs", run.encode(), b"tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts.encode()) != 0:
            return "tmpfs for the run directory: " + err()
        _copy_run_files(work, run, uid)
    except OSError as exc:
        return "building the new root: %s" % exc
    finally:
        os.umask(umask)
    return ""


def enter_view(newroot, with_proc):
    """Mount the run's /proc (from inside its PID namespace), make the new root "/" and drop the host's tree."""
    notes = []
    if with_proc:
        if libc.mount(b"proc", (newroot + "/proc").encode(), b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None) != 0:
            notes.append("no /proc (mounting the run's own failed: %s)" % err())
    else:
        notes.append("no /proc (no PID namespace: the host's would list every process)")
    os.chdir(newroot)
    number = PIVOT_ROOT.get(os.uname().machine)
    if number is not None and libc.syscall(number, b".", b".oldroot") == 0:
        os.chdir("/")
        if libc.umount2(b"/.oldroot", MNT_DETACH) != 0:
            return "detaching the host's tree: " + err(), notes
        os.rmdir("/.oldroot")
    else:  # no pivot_root here: move the new root over "/" (the host's tree stays below, unreachable without caps)
        if libc.mount(b".", b"/", None, MS_MOVE, None) != 0 or libc.chroot(b".") != 0:
            return "pivot_root and MS_MOVE failed: " + err(), notes
        notes.append("MS_MOVE + chroot (no pivot_root on %s)" % os.uname().machine)
    if libc.mount(None, b"/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, None) != 0:
        return "making the new root read-only: " + err(), notes
    os.chdir(work)
    return "", notes
