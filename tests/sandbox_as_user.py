"""Run ``sandbox.run_python`` as whatever unprivileged user runs this script; used by tests/test_sandbox.py.

Usage: python sandbox_as_user.py DIR JOB, where DIR holds a copy of the tsp_utils/sandbox package, as DIR/sandbox
(readable by the user), and JOB is JSON {"code": ..., "kwargs": {...}, "deny_userns": bool, "tmpdir": str or null}
or {"jobs": [SandboxJob fields, ...], ...} for run_many. Prints the SandboxResult (or the list of them) as JSON.
``tmpdir`` is where the sandbox makes its directories (the tests look there for leftovers).

``deny_userns`` reproduces a host that refuses unprivileged user namespaces: this script enters one, sets its
``user.max_user_namespaces`` to 0 (so every namespace the sandbox tries to create below it fails with ENOSPC)
and re-executes itself, which drops the capabilities that could raise the limit again.
"""

import ctypes
import json
import os
import sys

directory, job = sys.argv[1], json.loads(sys.argv[2])
if job.get("deny_userns"):
    uid, gid = os.getuid(), os.getgid()
    if ctypes.CDLL(None, use_errno=True).unshare(0x10000000) != 0:  # CLONE_NEWUSER
        sys.exit("cannot create the user namespace that denies nested ones: " + os.strerror(ctypes.get_errno()))
    for name, text in (("uid_map", f"{uid} {uid} 1"), ("setgroups", "deny"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as fh:
            fh.write(text)
    with open("/proc/sys/user/max_user_namespaces", "w") as fh:
        fh.write("0")
    job["deny_userns"] = False
    os.execv(sys.executable, [sys.executable, "-I", __file__, directory, json.dumps(job)])

sys.path.insert(0, directory)
import tempfile  # noqa: E402

import sandbox  # noqa: E402  (the copied package, from DIR)

tempfile.tempdir = job.get("tmpdir") or None
if "jobs" in job:
    print(json.dumps([r.to_dict() for r in sandbox.run_many(job["jobs"], workers=2)]))
else:
    print(json.dumps(sandbox.run_python(job["code"], **job.get("kwargs", {})).to_dict()))
