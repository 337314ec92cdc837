"""Hostile programs of each class the review of issue #21 found (deep trees, memory and disk summed over a run, forks,
floods, the clock), as root and as an unprivileged user: each is contained, ends with the reason the kernel gives, and
leaves nothing behind (no temp dir, uid reservation, cgroup or process). Then one batch that mixes them all with
ordinary jobs, every one of which must still pass."""

from __future__ import annotations

import glob
import os
import tempfile
from pathlib import Path

import pytest

from sandbox_fixtures import REPO, as_nobody, nobody_userns  # noqa: F401 -- as_nobody, nobody_userns: fixtures
from tsp_utils.sandbox import SandboxJob, cgroups, cleanup, run_many, run_python, uids

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
MB = 1024 * 1024

DEEP_TREE = ("import os\n"  # deeper than the recursion limit and PATH_MAX, some levels unreadable
             "os.mkdir('deep')\nos.chdir('deep')\n"
             "for i in range(2500):\n"
             "    os.mkdir('d')\n"
             "    if i % 500 == 0:\n"
             "        os.chmod('.', 0o300)\n"
             "    os.chdir('d')\n"
             "print('built')\n")
MEMORY_HOG = ("import os, sys, time\n"  # each child within the per-process limit, together over the run's
              "kids = []\n"
              "for _ in range(4):\n"
              "    pid = os.fork()\n"
              "    if pid == 0:\n"
              "        b = b'\\x01' * (150 * 1024 * 1024)\n"
              "        time.sleep(4)\n"
              "        os._exit(0)\n"
              "    kids.append(pid)\n"
              "sys.exit(sum(1 for p in kids if os.waitpid(p, 0)[1] != 0))\n")
DISK_FILLER = ("for i in range(10):\n"  # each file under max_file_mb, all of them over max_disk_mb
               "    with open('f%d' % i, 'wb') as f:\n"
               "        f.write(b'\\0' * (5 * 1024 * 1024))\n")
FORK_BOMB = "import os\nwhile True:\n    os.fork()\n"
SLEEPER = "import time\ntime.sleep(60)\n"
SPINNER = "while True:\n    pass\n"
FLOOD = "import sys\nsys.stdout.write('x' * (3 * 1024 * 1024))\nsys.stdout.flush()\n"
ADD = "def add(a, b):\n    return a + b\n"
ADD_TEST = "from solution import add\nassert add(2, 3) == 5\n"

ESCAPE_REFUSED = ("FileNotFoundError", "OSError: [Errno 30] Read-only file system", "PermissionError")

HOSTILE = {  # name: (job, the status it must end with, how its reason starts as root / as nobody)
    "deep_tree": ({"code": DEEP_TREE}, "pass", ("",), ("",)),
    "memory": ({"code": MEMORY_HOG, "memory_mb": 400, "timeout_s": 30}, "error",
               ("memory limit: the run's processes together",), ("memory limit: the run's processes together",)),
    "disk": ({"code": DISK_FILLER, "max_disk_mb": 16, "max_file_mb": 8}, "error",
             ("disk limit: the run directory's 16 MB tmpfs is full",),
             ("disk limit: the run directory's 16 MB tmpfs is full",)),
    "fork_bomb": ({"code": FORK_BOMB, "max_procs": 16, "timeout_s": 20}, "error",
                  ("process limit: pids.max refused",), ("process limit (fork refused: RLIMIT_NPROC)",)),
    "sleeper": ({"code": SLEEPER, "timeout_s": 2}, "timeout", ("wall-clock limit (2 s",), ("wall-clock limit (2 s",)),
    "spinner": ({"code": SPINNER, "cpu_s": 1, "timeout_s": 20}, "timeout",
                ("CPU time limit (RLIMIT_CPU 1 s",), ("CPU time limit (RLIMIT_CPU 1 s",)),
    "flood": ({"code": FLOOD, "max_file_mb": 1}, "error", ("file size limit: output reached RLIMIT_FSIZE (1 MB)",),
              ("file size limit: output reached RLIMIT_FSIZE (1 MB)",)),
    # Where the interpreter lives inside the checkout (a .venv in a clone, as in CI), the checkout's folder exists in
    # the run's view as the read-only mount point above it, empty but for that: writing there is refused either way.
    "escape": ({"code": f"import os\nprint('sees the checkout:', os.path.exists({str(REPO / 'README.md')!r}))\n"
                        f"open({str(REPO / 'tsp_escape.txt')!r}, 'w')\n"}, "error",
               ESCAPE_REFUSED, ESCAPE_REFUSED),
}


def _check(name: str, r: dict, as_root: bool) -> None:
    job, status, root_reason, user_reason = HOSTILE[name]
    assert r["status"] == status, (name, r["status"], r["reason"], r["stderr"][-500:])
    assert r["reason"].startswith((root_reason if as_root else user_reason)), (name, r["reason"], r["limits"])
    assert r["limits"]["cleanup"] == "complete", (name, r["limits"]["cleanup"])
    if name == "deep_tree":
        assert r["stdout"] == "built\n"
    if name == "escape":
        assert r["stdout"] == "sees the checkout: False\n", r["stdout"]
    if name == "memory" and r["limits"]["kernel_end"].get("memory_peak", -1) > 0:  # the kernel's own count
        assert r["limits"]["kernel_end"]["memory_peak"] <= 400 * MB + MB
    assert not (REPO / "tsp_escape.txt").exists()


def _nothing_left(tmp: Path, locks: Path | None, results: list[dict]) -> None:
    assert list(tmp.iterdir()) == [], list(tmp.iterdir())  # no run, out or root directory
    if locks is not None:
        assert list(locks.iterdir()) == [], list(locks.iterdir())  # no uid reservation
    for r in results:
        if r["limits"].get("uid") is not None:
            assert uids.pids_of_uid(r["limits"]["uid"]) == []
    for pattern in ("/sys/fs/cgroup/*/**/tsp-sandbox-*", "/sys/fs/cgroup/**/tsp-sandbox-*"):
        assert glob.glob(pattern, recursive=True) == []


@pytest.fixture
def nobody_tmp():
    """A directory user nobody may write to (pytest's tmp_path lies below a root-only one), for the sandbox's dirs."""
    tmp = Path(tempfile.mkdtemp(prefix="tsp_sandbox_test_"))
    tmp.chmod(0o777)
    try:
        yield tmp
    finally:
        cleanup.remove_tree(str(tmp))


@pytest.fixture
def private_dirs(tmp_path, monkeypatch):
    """The sandbox's temp dirs and uid reservations in directories of this test alone, to look for leftovers."""
    tmp, locks = tmp_path / "tmp", tmp_path / "locks"
    tmp.mkdir()
    tmp.chmod(0o755)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setattr(uids, "UID_LOCK_DIR", str(locks))
    return tmp, locks


def test_remove_tree_copes_with_any_depth_and_permissions(tmp_path):
    top = tmp_path / "t"
    top.mkdir()
    fd = os.open(top, os.O_RDONLY)
    for i in range(3000):  # far past Python's recursion limit and PATH_MAX
        os.mkdir("d", dir_fd=fd)
        child = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(os.open("f", os.O_CREAT | os.O_WRONLY, 0o000, dir_fd=child))
        if i % 400 == 0:
            os.chmod(child, 0o000)
        os.close(fd)
        fd = child
    os.close(fd)
    assert cleanup.remove_tree(str(top)) == ""
    assert not top.exists()
    assert cleanup.remove_tree(str(top)) == ""  # gone already: nothing to do, no error


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_program_is_contained_with_the_kernels_reason(name, private_dirs):
    job = dict(HOSTILE[name][0])
    r = run_python(job.pop("code"), **job).to_dict()
    _check(name, r, os.geteuid() == 0)
    _nothing_left(*private_dirs, [r])


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_program_is_contained_as_an_unprivileged_user(name, nobody_userns, nobody_tmp):
    tmp = nobody_tmp
    job = dict(HOSTILE[name][0])
    r = nobody_userns(job.pop("code"), tmpdir=str(tmp), **job)
    _check(name, r, False)
    assert "watcher" in r["limits"]["run_memory"] or r["limits"]["cgroup"].startswith("cgroup v2"), r["limits"]
    _nothing_left(tmp, None, [r])


def test_a_deep_tree_outside_a_tmpfs_is_removed_too(nobody_userns, nobody_tmp):
    """Without the mount namespace the tree lands in the host's run directory: cleanup copes with it there."""
    tmp = nobody_tmp
    r = nobody_userns(DEEP_TREE, tmpdir=str(tmp), isolate_fs=False)
    assert (r["status"], r["stdout"], r["limits"]["cleanup"]) == ("pass", "built\n", "complete"), r
    assert list(tmp.iterdir()) == []


def test_run_many_returns_a_result_for_every_job_even_when_the_machinery_raises():
    jobs = [{"code": ADD, "test_code": ADD_TEST},
            {"code": ADD, "files": {"../outside.txt": "x"}},  # run_python refuses it: ValueError
            {"code": ADD, "no_such_field": 1},  # not a SandboxJob: TypeError
            SandboxJob(code=ADD, test_code=ADD_TEST)]
    results = run_many(jobs, workers=2)
    assert [r.status for r in results] == ["pass", "error", "error", "pass"]
    ours = "sandbox failed (its machinery raised): "  # evaluation reports reasons starting "sandbox failed" as ours
    assert results[1].reason.startswith(ours + "ValueError: sandbox file '../outside.txt'"), results[1].reason
    assert results[2].reason.startswith(ours + "TypeError"), results[2].reason


def test_run_level_limits_say_what_each_run_got():
    r = run_python("pass\n", memory_mb=300, max_procs=10, max_disk_mb=20)
    lim = r.limits
    assert lim["disk"] == "the run directory is a tmpfs of 20 MB (all files together)", lim
    cg = cgroups.create(300, 12)
    try:
        if cg.kind == "none":
            assert lim["run_memory"].startswith("watcher") and lim["cgroup"].startswith("none ("), lim
        else:
            assert lim["run_memory"] == f"cgroup {cg.kind}: 300 MB for all processes of the run (and its tmpfs)"
            assert lim["cgroup"].startswith(f"cgroup {cg.kind}") and str(300 * MB) in lim["cgroup"], lim
    finally:
        cgroups.remove(cg)
    assert {"cpu_used_s", "disk_used_bytes", "disk_size_bytes"} <= set(lim["kernel_end"]), lim


def _batch() -> tuple[list[dict], list[str]]:
    jobs, names = [], []
    for name, (job, *_rest) in sorted(HOSTILE.items()):
        jobs += [{"code": ADD, "test_code": ADD_TEST}, job]
        names += ["ordinary", name]
    return jobs + [{"code": ADD, "test_code": ADD_TEST}], names + ["ordinary"]


def test_a_batch_mixing_every_hostile_kind_with_ordinary_jobs(private_dirs):
    jobs, names = _batch()
    results = [r.to_dict() for r in run_many(jobs, workers=2)]
    for name, r in zip(names, results):
        if name == "ordinary":
            assert (r["status"], r["limits"]["cleanup"]) == ("pass", "complete"), r
        else:
            _check(name, r, os.geteuid() == 0)
    _nothing_left(*private_dirs, results)


def test_a_batch_mixing_every_hostile_kind_with_ordinary_jobs_as_an_unprivileged_user(nobody_userns, nobody_tmp):
    tmp = nobody_tmp
    jobs, names = _batch()
    results = nobody_userns(jobs, tmpdir=str(tmp))
    for name, r in zip(names, results):
        if name == "ordinary":
            assert (r["status"], r["limits"]["cleanup"]) == ("pass", "complete"), r
        else:
            _check(name, r, False)
    _nothing_left(tmp, None, results)
