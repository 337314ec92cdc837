"""The oracle's recall and false alarms on labelled twins, per language and source, with the batch's wall time.

Sources (known/tuned data only; tests/oracle_corpus/blind/ is never read): the tuned half of the oracle corpus
(tests/oracle_corpus/tuned/<language>/, vulnerable/secure twins), our training pairs (data/train_pairs.jsonl) and
SafeCoder's train and val pairs (/work/shared/data/safecoder or ../shared/data/safecoder). Each source is labelled
in one ``analyze_batch`` call (no cache), so the printed time is the whole batch's.

    python benchmarks/bench_corpus.py --languages c cpp            # the table
    python benchmarks/bench_corpus.py --languages c cpp --details  # and every twin's verdicts with rule ids
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tsp_utils.data import load_safecoder, load_train_pairs  # noqa: E402
from tsp_utils.labels import UNKNOWN, VULNERABLE  # noqa: E402
from tsp_utils.oracle import Snippet, analyze_batch  # noqa: E402

TUNED = REPO / "tests" / "oracle_corpus" / "tuned"
SAFECODER_DIRS = [REPO.parent / "shared" / "data" / "safecoder", Path("/work/shared/data/safecoder")]
_EXT = {"c": "c", "cpp": "cpp", "python": "py", "javascript": "js", "go": "go"}


@dataclass
class Twin:
    id: str
    language: str
    cwe: str
    vulnerable: str
    secure: str
    context: str = ""


def tuned_twins(language: str) -> list[Twin]:
    folder = TUNED / language
    twins = []
    for line in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        ext = _EXT[language]
        twins.append(Twin(row["id"], language, row["cwe"], (folder / row["dir"] / f"vulnerable.{ext}").read_text(),
                          (folder / row["dir"] / f"secure.{ext}").read_text()))
    return twins


def pair_twins(source: str, pairs, languages: set[str]) -> list[Twin]:
    return [Twin(f"{source}:{i}", p.language, str(p.vul_type), p.func_src_before, p.func_src_after,
                 p.file_context or "")
            for i, p in enumerate(pairs) if p.language in languages and p.func_src_before and p.func_src_after]


def measure(name: str, twins: list[Twin], details: bool) -> None:
    snippets = [Snippet(code, t.language, t.context) for t in twins for code in (t.vulnerable, t.secure)]
    start = time.perf_counter()
    verdicts = analyze_batch(snippets, progress=False)
    wall = time.perf_counter() - start
    for lang in sorted({t.language for t in twins}):
        idx = [i for i, t in enumerate(twins) if t.language == lang]
        vul = [verdicts[2 * i] for i in idx]
        sec = [verdicts[2 * i + 1] for i in idx]
        n = len(idx)
        recall = sum(v.label == VULNERABLE for v in vul) / n
        fa = sum(v.label == VULNERABLE for v in sec) / n
        unk = sum(v.label == UNKNOWN for v in vul + sec) / (2 * n)
        print(f"| {name} | {lang} | {n} | {recall:.1%} | {fa:.1%} | {recall - fa:+.3f} | {unk:.1%} |")
    print(f"  ({name}: {len(snippets)} snippets in {wall:.1f} s, one batch)")
    if details:
        for i, t in enumerate(twins):
            for side, v in (("V", verdicts[2 * i]), ("S", verdicts[2 * i + 1])):
                rules = sorted({f"{f.analyzer}:{f.rule_id}@{f.line}" for f in v.findings})
                mark = "ok " if (v.label == VULNERABLE) == (side == "V") else "BAD"
                extra = f" [{v.reason}]" if v.label == UNKNOWN else ""
                print(f"    {mark} {t.id:>14} {t.cwe:>8} {side} {v.label:<10} {' '.join(rules)}{extra}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--languages", nargs="+", default=["c", "cpp"])
    ap.add_argument("--sources", nargs="+", default=["tuned", "train_pairs", "safecoder"])
    ap.add_argument("--details", action="store_true")
    args = ap.parse_args()
    langs = set(args.languages)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout
    print(f"# {platform.processor() or platform.machine()}, {commit.strip()}")
    print("| source | language | n twins | recall | false alarms | recall - FA | unknown |\n|---|---|---:|---:|---:|---:|---:|")
    if "tuned" in args.sources:
        measure("tuned", [t for lang in sorted(langs) for t in tuned_twins(lang)], args.details)
    if "train_pairs" in args.sources:
        measure("train_pairs", pair_twins("train", load_train_pairs(), langs), args.details)
    if "safecoder" in args.sources:
        folder = next((d for d in SAFECODER_DIRS if (d / "train-sec-new-desc.jsonl").exists()), None)
        if folder is None:
            print("  (SafeCoder's pairs not found)")
        else:
            sc = load_safecoder(folder / "train-sec-new-desc.jsonl") + load_safecoder(folder / "val-sec-new-desc.jsonl")
            measure("safecoder", pair_twins("safecoder", sc, langs), args.details)


if __name__ == "__main__":
    main()
