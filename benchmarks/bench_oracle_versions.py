"""The oracle's throughput now vs at another commit, side by side on the same snippets (issue #22: no worse than
half of the throughput before its rule work).

The snippets are every program of the oracle corpus (tests/oracle_corpus/*/*/, both twins) plus the training pairs'
functions, each made unique (a trailing comment) so that no cache helps. Each version labels all of them in one
``analyze_batch`` call (no cache) in its own process, from its own checkout (a temporary ``git worktree``); the two
alternate for ``--rounds`` rounds so that a change in machine load hits both alike.

    python benchmarks/bench_oracle_versions.py                     # against 13b011b, the rules before issue #22
    python benchmarks/bench_oracle_versions.py --against HEAD~5 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BEFORE_ISSUE_22 = "13b011b"  # the oracle package as the redesign left it, before any rule of issue #22

CHILD = """
import json, sys, time
from tsp_utils.oracle import Snippet, analyze_batch
rows = [json.loads(line) for line in open(sys.argv[1])]
snippets = [Snippet(code=r["code"], language=r["language"], id=r["id"]) for r in rows]
t = time.perf_counter()
verdicts = analyze_batch(snippets, cache_dir=None, progress=False)
print(json.dumps({"seconds": time.perf_counter() - t, "labels": [v.label for v in verdicts]}))
"""


def snippets(limit: int | None) -> list[dict]:
    sys.path.insert(0, str(REPO))
    from tsp_utils.languages import LANGUAGES
    from tsp_utils.oracle import load_pairs

    rows = []
    for manifest in sorted((REPO / "tests" / "oracle_corpus").glob("*/*/manifest.jsonl")):
        for line in manifest.read_text().splitlines():
            r = json.loads(line)
            ext = LANGUAGES[r["language"]].extension
            for side in ("vulnerable", "secure"):
                rows.append({"language": r["language"], "code": (manifest.parent / r["dir"] / f"{side}{ext}").read_text()})
    for f in sorted(REPO.glob("data/train_*.jsonl")):
        for p in load_pairs(f):
            rows += [{"language": p.language, "code": p.func_src_before}, {"language": p.language, "code": p.func_src_after}]
    comment = {"python": "#", "go": "//", "javascript": "//", "c": "//", "cpp": "//"}
    out = [{**r, "id": str(i), "code": r["code"] + f"\n{comment.get(r['language'], '//')} copy {i}\n"}
           for i, r in enumerate(rows) if r["language"] in comment]
    return out[:limit] if limit else out


def run(checkout: Path, data: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(checkout), "SEMGREP_ENABLE_VERSION_CHECK": "0"}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(data)], cwd=checkout, env=env, capture_output=True,
                          text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--against", default=BEFORE_ISSUE_22)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--limit", type=int, help="only the first N snippets")
    args = ap.parse_args()
    rows = snippets(args.limit)
    head = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True,
                          text=True).stdout.strip()
    print(f"{platform.machine()}, {os.cpu_count()} cores; {len(rows)} snippets; now = {head}, "
          f"before = {args.against}; load average at start {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "snippets.jsonl"
        data.write_text("".join(json.dumps(r) + "\n" for r in rows))
        old = Path(tmp) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old), args.against], cwd=REPO, check=True)
        try:
            times: dict[str, list[float]] = {"before": [], "now": []}
            labels = {}
            for k in range(args.rounds):
                for name, checkout in (("before", old), ("now", REPO)):
                    t = time.perf_counter()
                    res = run(checkout, data)
                    times[name].append(res["seconds"])
                    labels[name] = res["labels"]
                    print(f"round {k + 1} {name:6s}: {res['seconds']:.1f} s in analyze_batch "
                          f"({time.perf_counter() - t:.1f} s with the process), {len(rows) / res['seconds']:.1f} snippets/s")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=REPO, check=False)
    b, n = min(times["before"]), min(times["now"])
    changed = sum(x != y for x, y in zip(labels["before"], labels["now"]))
    print(f"best of {args.rounds}: before {len(rows) / b:.1f} snippets/s, now {len(rows) / n:.1f} snippets/s; "
          f"now/before throughput {b / n:.2f} (issue #22 asks >= 0.5); labels changed on {changed} of {len(rows)}")


if __name__ == "__main__":
    main()
