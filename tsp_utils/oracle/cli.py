"""The command line: ``python -m tsp_utils.oracle label FILE.jsonl`` and ``... fidelity [--data FILE.jsonl]``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..config import repo_root
from ..labels import SECURE, UNKNOWN, VULNERABLE
from ..languages import LANGUAGES, normalize_language
from .batch import analyze_batch
from .fidelity import fidelity_report
from .records import Snippet

_DESCRIPTION = 'Static-analysis security oracle: label code snippets "secure" / "vulnerable" / "unknown".'


@dataclass
class _Pair:
    language: str
    vul_type: str
    func_src_before: str
    func_src_after: str
    file_context: str = ""


def load_pairs(path: str | os.PathLike) -> list[_Pair]:
    """Read vulnerable/fixed pairs from JSONL (our drafts, or SafeCoder rows whose file_name gives the language)."""
    pairs = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            lang = row.get("language")
            if not lang and row.get("file_name"):
                lang = normalize_language(os.path.splitext(row["file_name"])[1]) or ""
            pairs.append(_Pair(lang or "", row.get("vul_type", ""), row.get("func_src_before", ""),
                               row.get("func_src_after", ""), row.get("file_context", "") or ""))
    return pairs


def load_corpus(folder: str | os.PathLike) -> list[_Pair]:
    """Twins of a labelled corpus (tests/oracle_corpus/<half>/<language>/manifest.jsonl with a folder per twin
    holding vulnerable.<ext> and secure.<ext>) as vulnerable/fixed pairs. Errors name the manifest and row."""
    pairs = []
    manifests = sorted(Path(folder).glob("*/manifest.jsonl"))
    if not manifests:
        raise SystemExit(f"{folder}: no <language>/manifest.jsonl here; is this a corpus half?")
    for manifest in manifests:
        for n, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                lang = LANGUAGES[normalize_language(row["language"]) or row["language"]]
                twin = manifest.parent / row["dir"]
                before = (twin / f"vulnerable{lang.extension}").read_text(encoding="utf-8")
                after = (twin / f"secure{lang.extension}").read_text(encoding="utf-8")
            except (json.JSONDecodeError, KeyError, OSError) as exc:
                raise SystemExit(f"{manifest}:{n}: {type(exc).__name__}: {exc}")
            pairs.append(_Pair(lang.id, row.get("cwe", ""), before, after))
    return pairs


def _default_data_files() -> list[Path]:
    return sorted((repo_root() / "data").glob("train_*.jsonl"))


def _cmd_label(args: argparse.Namespace) -> int:
    rows = []
    with open(args.file, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{args.file}:{n}: not JSON: {exc}")
            if "code" not in row or "language" not in row:
                raise SystemExit(f"{args.file}:{n}: rows need 'code' and 'language' (and optional 'context')")
            rows.append(row)
    snippets = [Snippet(r["code"], r["language"], r.get("context", "") or "", r.get("id")) for r in rows]
    verdicts = analyze_batch(snippets, cache_dir=args.cache_dir, workers=args.workers, progress=not args.quiet)
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    try:
        for r, v in zip(rows, verdicts):
            rec = {"id": r.get("id"), **v.to_dict()}
            out.write(json.dumps(rec) + "\n")
    finally:
        if args.out:
            out.close()
    counts = Counter(v.label for v in verdicts)
    print(f"labelled {len(verdicts)}: " + ", ".join(f"{k}={counts[k]}" for k in (VULNERABLE, SECURE, UNKNOWN)),
          file=sys.stderr)
    return 0


def _cmd_fidelity(args: argparse.Namespace) -> int:
    files = [Path(f) for f in args.data or []] if args.data or args.corpus else _default_data_files()
    if not files and not args.corpus:
        raise SystemExit("no data: pass --data FILE.jsonl or --corpus DIR (no data/train_*.jsonl found)")
    pairs = [p for f in files for p in load_pairs(f)] + [p for d in args.corpus or [] for p in load_corpus(d)]
    report = fidelity_report(pairs, cache_dir=args.cache_dir, workers=args.workers, progress=not args.quiet)
    print(report.to_markdown())
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_rows(), indent=1), encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tsp_utils.oracle", description=_DESCRIPTION)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p_label = sub.add_parser("label", help="label rows {code, language, context?, id?} of a JSONL file")
    p_label.add_argument("file")
    p_label.add_argument("--out", help="output JSONL (default: stdout)")
    p_label.add_argument("--cache-dir")
    p_label.add_argument("--workers", type=int)
    p_label.add_argument("--quiet", action="store_true")
    p_fid = sub.add_parser("fidelity", help="recall / false alarms on vulnerable-fixed pairs")
    p_fid.add_argument("--data", action="append", help="JSONL of pairs (repeatable); default data/train_*.jsonl")
    p_fid.add_argument("--corpus", action="append", help="a half of the labelled corpus, e.g. tests/oracle_corpus/tuned "
                       "(repeatable); the blind half is measured only at the end of a piece of rule work")
    p_fid.add_argument("--cache-dir")
    p_fid.add_argument("--workers", type=int)
    p_fid.add_argument("--json", help="also write the rows as JSON here")
    p_fid.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.cmd == "label":
        return _cmd_label(args)
    return _cmd_fidelity(args)
