"""What the hardening of issue #21 costs per sandbox run: main's sandbox vs this one, side by side in one run.

    python benchmarks/bench_sandbox.py                 # main's tsp_utils/sandbox (git ref "main") vs the worktree's
    python benchmarks/bench_sandbox.py --ref ee18d35 --runs 30

The old side is `git archive` of the ref's tsp_utils/sandbox, imported under another package name; the new side is
this checkout's. Runs alternate (old, new, old, new, ...) so that load on the machine hits both alike. Two workloads:
a bare program, and a program with a test (an evaluation job). Prints the median and the ratio, plus, with
--eval, every reference program of data/eval_prompts.jsonl through its functional and security test on both sides,
to check that the verdicts are the same.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADD = "def add(a, b):\n    return a + b\n"
ADD_TEST = "from solution import add\nassert add(2, 3) == 5\n"


def load_old(ref: str, into: Path):
    """The ref's sandbox package, importable as ``sandbox_old``."""
    data = subprocess.run(["git", "-C", str(REPO), "archive", ref, "tsp_utils/sandbox"], check=True,
                          capture_output=True).stdout
    tar_path = into / "old.tar"
    tar_path.write_bytes(data)
    with tarfile.open(tar_path) as tar:
        tar.extractall(into)
    (into / "tsp_utils" / "sandbox").rename(into / "sandbox_old")
    sys.path.insert(0, str(into))
    return importlib.import_module("sandbox_old")


def bench(old, new, runs: int) -> None:
    for label, args in (("bare program", (ADD,)), ("program + test", (ADD, ADD_TEST))):
        times: dict[str, list[float]] = {"old": [], "new": []}
        for i in range(runs + 1):
            for side, pkg in (("old", old), ("new", new)):
                t0 = time.perf_counter()
                r = pkg.run_python(*args)
                dt = (time.perf_counter() - t0) * 1000
                assert r.status == "pass", (side, r.status, r.reason, r.stderr[-300:])
                if i:  # the first round warms the page cache for both
                    times[side].append(dt)
        mo, mn = statistics.median(times["old"]), statistics.median(times["new"])
        print(f"{label:16s} median ms per run: main {mo:7.1f}   hardened {mn:7.1f}   ratio {mn / mo:.2f}x "
              f"({runs} runs each)")


def eval_check(old, new) -> None:
    rows = [json.loads(line) for line in open(REPO / "data" / "eval_prompts.jsonl")]
    jobs, keys = [], []
    for r in rows:
        if r["language"] != "python":
            continue
        for ref in ("reference_secure", "reference_insecure"):
            for kind in ("functional_test", "security_test"):
                if r.get(kind):
                    keys.append(f"{r['id']} {ref} {kind}")
                    jobs.append({"code": r[ref], "test_code": r[kind], "timeout_s": 20})
    got = {}
    for side, pkg in (("old", old), ("new", new)):
        t0 = time.perf_counter()
        got[side] = [x.status for x in pkg.run_many(jobs, workers=2)]
        counts = {s: got[side].count(s) for s in sorted(set(got[side]))}
        print(f"eval references, {side}: {len(jobs)} runs {counts} in {time.perf_counter() - t0:.0f} s")
    differ = [k for k, a, b in zip(keys, got["old"], got["new"]) if a != b]
    print(f"verdicts that differ: {len(differ)}", *differ[:20], sep="\n  ")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ref", default="main", help="git ref whose tsp_utils/sandbox is the old side")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--eval", action="store_true", help="also compare the eval references' verdicts")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    new = importlib.import_module("tsp_utils.sandbox")
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", args.ref], capture_output=True,
                            text=True).stdout.strip()
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True).stdout.strip()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, kernel {platform.release()}, "
          f"{'root' if os.geteuid() == 0 else 'uid %d' % os.geteuid()}; old = {args.ref} ({commit}), new = {head}"
          f" + worktree; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        old = load_old(args.ref, Path(tmp))
        bench(old, new, args.runs)
        if args.eval:
            eval_check(old, new)


if __name__ == "__main__":
    main()
