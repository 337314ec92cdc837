"""Batched oracle labelling vs. one analyzer process per snippet.

Builds N snippets (default 500) from the project's training pairs (data/train_*.jsonl, else the shared
SafeCoder rows), repeating them with a small variation (a trailing comment
with the copy number) so that no two snippets share a cache key. Then, in one run:

* batched: ``analyze_batch(snippets, cache_dir=None)``: one process per analyzer per chunk of files;
* naive:   ``analyze_batch([snippet])`` per snippet: one bandit/semgrep/... process per snippet.

The naive way costs seconds per snippet (semgrep alone starts in ~2 s), so it is timed on a random sample
(``--naive-n``, default 24) of the same snippets and reported as a rate; both rates are printed with
their ratio.

    python benchmarks/bench_oracle.py            # 500 snippets, 24 naive
    python benchmarks/bench_oracle.py --quick    # 120 snippets, 8 naive
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tsp_utils import languages  # noqa: E402
from tsp_utils.oracle import Snippet, analyze_batch, load_pairs  # noqa: E402

SAFECODER = REPO.parent / "shared" / "data" / "safecoder" / "train-sec-new-desc.jsonl"


def source_files() -> list[Path]:
    files = sorted(REPO.glob("data/train_*.jsonl"))
    return files or ([SAFECODER] if SAFECODER.exists() else [])


def build_snippets(n: int, seed: int = 0) -> list[Snippet]:
    files = source_files()
    if not files:
        raise SystemExit("no pairs found (data/train_*.jsonl or SafeCoder)")
    base: list[Snippet] = []
    for f in files:
        for p in load_pairs(f):
            for code in (p.func_src_before, p.func_src_after):
                if code and p.language:
                    base.append(Snippet(code, p.language, p.file_context))
    rng = random.Random(seed)
    rng.shuffle(base)
    out = []
    for i in range(n):
        s = base[i % len(base)]
        lang = languages.get(s.language)
        mark = lang.line_comment if lang else "//"
        # a different trailing comment per copy: same analysis work, distinct cache keys
        out.append(Snippet(f"{s.code.rstrip()}\n{mark} variant {i}\n", s.language, s.context, id=str(i)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=500, help="snippets for the batched run (default 500)")
    ap.add_argument("--naive-n", type=int, default=24, help="snippets timed the naive way (default 24)")
    ap.add_argument("--quick", action="store_true", help="small run: --n 120 --naive-n 8")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--json", help="also write the numbers here")
    args = ap.parse_args(argv)
    if args.quick:
        args.n, args.naive_n = 120, 8

    snippets = build_snippets(args.n)
    langs = Counter(s.language for s in snippets)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, python {platform.python_version()}")
    print(f"snippets: {len(snippets)} ({', '.join(f'{k}={v}' for k, v in sorted(langs.items()))})")

    t0 = time.perf_counter()
    batched = analyze_batch(snippets, cache_dir=None, workers=args.workers, progress=False)
    t_batch = time.perf_counter() - t0
    rate_batch = len(snippets) / t_batch

    sample = random.Random(1).sample(snippets, min(args.naive_n, len(snippets)))
    t0 = time.perf_counter()
    naive = [analyze_batch([s], cache_dir=None, workers=1, progress=False)[0] for s in sample]
    t_naive = time.perf_counter() - t0
    rate_naive = len(sample) / t_naive

    by_id = {s.id: v for s, v in zip(snippets, batched)}
    agree = sum(by_id[s.id].label == v.label for s, v in zip(sample, naive))
    labels = Counter(v.label for v in batched)
    print(f"batched: {len(snippets)} snippets in {t_batch:.1f}s = {rate_batch:.1f} snippets/s "
          f"({', '.join(f'{k}={labels[k]}' for k in ('vulnerable', 'secure', 'unknown'))})")
    print(f"naive:   {len(sample)} snippets in {t_naive:.1f}s = {rate_naive:.2f} snippets/s "
          f"(one analyzer process per snippet)")
    print(f"speed-up: {rate_batch / rate_naive:.1f}x   (labels agree on {agree}/{len(sample)} sampled snippets)")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "n": len(snippets), "naive_n": len(sample), "batched_s": t_batch, "naive_s": t_naive,
            "batched_rate": rate_batch, "naive_rate": rate_naive, "speedup": rate_batch / rate_naive,
            "agree": agree, "cpus": os.cpu_count(),
        }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
