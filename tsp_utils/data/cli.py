"""``python -m tsp_utils.data``: validate the bundled data, (re)compute a file's changes, rebuild the manifest.

    python -m tsp_utils.data check                 # validate every bundled file
    python -m tsp_utils.data add-changes F.jsonl   # (re)compute line_changes/char_changes in place
    python -m tsp_utils.data manifest              # recompute the seen/unseen split of the evaluation prompts
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..artifacts import atomic_write_jsonl, atomic_write_text
from .loaders import (DATA_DIR, build_manifest, load_eval_prompts, load_manifest, load_train_pairs,
                      load_utility_tasks, read_rows)
from .records import DataError
from .rows import compute_changes


def add_changes(path: Path) -> int:
    rows = [row for _, row in read_rows(path)]
    for row in rows:
        row.update(compute_changes(row["func_src_before"], row["func_src_after"]))
    atomic_write_jsonl(path, rows)
    return len(rows)


def check_bundled() -> dict[str, int]:
    pairs, prompts, utility = load_train_pairs(), load_eval_prompts(), load_utility_tasks()
    manifest = load_manifest()
    if manifest != build_manifest(pairs, prompts):
        raise DataError(f"{DATA_DIR / 'eval_manifest.json'} is out of date: run `python -m tsp_utils.data manifest`")
    seen = set(manifest["seen_cwes"])
    for p in prompts:
        expected = "seen" if p.cwe in seen else "unseen"
        if p.split != expected:
            raise DataError(f"{p.origin}: split is {p.split!r} but {p.cwe} makes it {expected!r}")
    return {"train_pairs": len(pairs), "eval_prompts": len(prompts), "utility_tasks": len(utility)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tsp_utils.data")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("check", help="validate every bundled data file")
    add = sub.add_parser("add-changes", help="compute line_changes/char_changes in place")
    add.add_argument("files", nargs="+", type=Path)
    sub.add_parser("manifest", help="recompute the seen/unseen split of the evaluation prompts")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "check":
            print(json.dumps(check_bundled()))
        elif args.cmd == "add-changes":
            for f in args.files:
                print(f"{f}: {add_changes(f)} rows")
        elif args.cmd == "manifest":
            pairs = load_train_pairs()
            path = DATA_DIR / "eval_prompts.jsonl"
            rows = [row for _, row in read_rows(path)]
            seen = {p.vul_type for p in pairs}
            for row in rows:
                row["split"] = "seen" if row["cwe"].lower() in seen else "unseen"
            atomic_write_jsonl(path, rows)
            manifest = build_manifest(pairs, load_eval_prompts(path))
            atomic_write_text(DATA_DIR / "eval_manifest.json", json.dumps(manifest, indent=2) + "\n")
            print(json.dumps(manifest, indent=2))
    except (DataError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
