"""Recall / false alarms of the oracle on labelled twins, per language: the tuned corpus half, our training pairs,
SafeCoder's pairs. Prints one line per source plus the batch time, and (``--misses``) the twins it gets wrong.

    PYTHONPATH=$PWD SEMGREP_ENABLE_VERSION_CHECK=0 python benchmarks/bench_corpus.py --language go [--misses]

Never reads tests/oracle_corpus/blind/ (the held-out half is measured by the lead at the end). No cache: every run
labels every snippet, so the batch time is comparable between rule versions on the same machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tsp_utils import oracle  # noqa: E402
from tsp_utils.data import load_safecoder, load_train_pairs  # noqa: E402
from tsp_utils.languages import LANGUAGES  # noqa: E402

TUNED = REPO / "tests" / "oracle_corpus" / "tuned"
SAFECODER_DIRS = [REPO.parent / "shared" / "data" / "safecoder", Path("/work/shared/data/safecoder")]


def twins(language: str) -> list[tuple[str, str, str, str, str]]:
    """(source, id, cwe, vulnerable code, secure code, context) from every labelled source of one language."""
    out = []
    folder = TUNED / language
    ext = LANGUAGES[language].extension
    if (folder / "manifest.jsonl").exists():
        for line in (folder / "manifest.jsonl").read_text().splitlines():
            row = json.loads(line)
            d = folder / row["dir"]
            out.append(("tuned", row["id"], row["cwe"], (d / f"vulnerable{ext}").read_text(),
                        (d / f"secure{ext}").read_text(), ""))
    for i, p in enumerate(load_train_pairs()):
        if p.language == language:
            out.append(("train_pairs", f"{p.func_name}#{i}", p.vul_type, p.func_src_before, p.func_src_after,
                        p.file_context or ""))
    for folder in SAFECODER_DIRS:
        if (folder / "train-sec-new-desc.jsonl").exists():
            for name in ("train", "val"):
                for i, p in enumerate(load_safecoder(folder / f"{name}-sec-new-desc.jsonl")):
                    if p.language == language:
                        out.append((f"safecoder_{name}", f"{p.func_name}#{i}", p.vul_type, p.func_src_before,
                                    p.func_src_after, p.file_context or ""))
            break
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--language", required=True, choices=sorted(LANGUAGES))
    ap.add_argument("--misses", action="store_true", help="list misses and false alarms")
    args = ap.parse_args(argv)
    rows = twins(args.language)
    snippets = []
    for _src, _id, _cwe, vul, sec, ctx in rows:
        snippets += [oracle.Snippet(vul, args.language, ctx), oracle.Snippet(sec, args.language, ctx)]
    tuned = [i for i, r in enumerate(rows) if r[0] == "tuned"]
    t0 = time.perf_counter()
    oracle.analyze_batch([s for i in tuned for s in snippets[2 * i:2 * i + 2]], progress=False)
    t_tuned = time.perf_counter() - t0
    t0 = time.perf_counter()
    verdicts = oracle.analyze_batch(snippets, progress=False)
    t_all = time.perf_counter() - t0
    print(f"{args.language}: batch time tuned half {t_tuned:.1f} s ({2 * len(tuned)} snippets), "
          f"all sources {t_all:.1f} s ({len(snippets)} snippets)")
    for source in ("tuned", "train_pairs", "safecoder_train", "safecoder_val"):
        idx = [i for i, r in enumerate(rows) if r[0] == source]
        if not idx:
            continue
        n = len(idx)
        rec = sum(verdicts[2 * i].label == "vulnerable" for i in idx) / n
        fa = sum(verdicts[2 * i + 1].label == "vulnerable" for i in idx) / n
        unk = sum(v.label == "unknown" for i in idx for v in verdicts[2 * i:2 * i + 2]) / (2 * n)
        print(f"  {source:16s} n={n:3d}  recall {rec:6.1%}  false alarms {fa:6.1%}  recall-FA {rec - fa:+.2f}  "
              f"unknown {unk:5.1%}")
    if args.misses:
        for i, (src, rid, cwe, *_rest) in enumerate(rows):
            vb, va = verdicts[2 * i], verdicts[2 * i + 1]
            if vb.label != "vulnerable":
                print(f"  MISS  {src} {rid} {cwe}: {vb.label} {vb.reason[:80]}")
            if va.label == "vulnerable":
                print(f"  FALSE {src} {rid} {cwe}: " + ", ".join(f"{f.rule_id}@{f.line}" for f in va.findings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
