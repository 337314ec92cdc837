"""Recall / false alarms of the oracle on JavaScript: the tuned corpus half, our pairs, SafeCoder's pairs (issue #22).
Usage, from the repository root: PYTHONPATH=$PWD python benchmarks/bench_rules_javascript.py [tuned,ours,safecoder,typical] [-v]
Run from the worktree root with PYTHONPATH=$PWD. Never reads tests/oracle_corpus/blind/."""
import json, sys, time
from pathlib import Path
from tsp_utils import oracle
from tsp_utils.oracle import Snippet, analyze_batch

ROOT = Path.cwd()
def tuned():
    d = ROOT / "tests/oracle_corpus/tuned/javascript"
    out = []
    for line in (d / "manifest.jsonl").read_text().splitlines():
        row = json.loads(line)
        t = d / row["dir"]
        out.append((row["id"], row["cwe"], (t / "vulnerable.js").read_text(), (t / "secure.js").read_text(), ""))
    return out
def ours():
    out = []
    for i, line in enumerate(open(ROOT / "data/train_pairs.jsonl")):
        r = json.loads(line)
        if r["language"] == "javascript":
            out.append((f"ours-{i}-{r['func_name']}", r["vul_type"], r["func_src_before"], r["func_src_after"], r.get("file_context") or ""))
    return out
def safecoder():
    out = []
    for split in ("train", "val"):
        for i, line in enumerate(open(f"/work/shared/data/safecoder/{split}-sec-new-desc.jsonl")):
            r = json.loads(line)
            if r["file_name"].rsplit(".", 1)[-1] in ("js", "jsx"):
                out.append((f"sc-{split}-{i}-{r['func_name']}", r["vul_type"], r["func_src_before"], r["func_src_after"], ""))
    return out

def run(name, pairs, verbose):
    sn = []
    for _, _, b, a, ctx in pairs:
        sn += [Snippet(b, "javascript", ctx), Snippet(a, "javascript", ctx)]
    t = time.time()
    v = analyze_batch(sn, cache_dir=None, progress=False)
    dt = time.time() - t
    n = len(pairs)
    rec = sum(v[2*i].label == "vulnerable" for i in range(n))
    fa = sum(v[2*i+1].label == "vulnerable" for i in range(n))
    unk_b = sum(v[2*i].label == "unknown" for i in range(n)); unk_a = sum(v[2*i+1].label == "unknown" for i in range(n))
    print(f"{name}: n={n} recall={rec}/{n}={rec/n:.1%} FA={fa}/{n}={fa/n:.1%} margin={(rec-fa)/n:+.2f} "
          f"unknown vul/sec={unk_b}/{unk_a} time={dt:.1f}s ({len(sn)} snippets)")
    if verbose:
        for i, (pid, cwe, *_ ) in enumerate(pairs):
            b, a = v[2*i], v[2*i+1]
            fb = ",".join(sorted({f.rule_id for f in b.findings})); fa_ = ",".join(sorted({f.rule_id for f in a.findings}))
            flag = ("HIT " if b.label == "vulnerable" else "MISS") + (" FA" if a.label == "vulnerable" else "   ")
            print(f"  {flag} {pid:40s} {cwe:9s} vul={b.label[:4]}[{fb}] sec={a.label[:4]}[{fa_}] {b.reason[:60] if b.label=='unknown' else ''}{a.reason[:60] if a.label=='unknown' else ''}")

sets = sys.argv[1].split(",") if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else ["tuned", "ours", "safecoder"]
verbose = "-v" in sys.argv
for s in [s for s in sets if s != "typical"]:
    run(s, {"tuned": tuned, "ours": ours, "safecoder": safecoder}[s](), verbose)

if "typical" in sets or "-t" in sys.argv:
    sys.path.insert(0, str(ROOT / "tests"))
    from typical_outputs import CASES, KNOWN_MISSES
    cases = [c for c in CASES if c[1] == "javascript"]
    v = analyze_batch([Snippet(c[2], "javascript") for c in cases], progress=False)
    bad = [(c[0], c[3], x.label, [f.rule_id for f in x.findings], c[0] in KNOWN_MISSES) for c, x in zip(cases, v) if x.label != c[3]]
    print(f"typical js: {len(cases)} cases, {len(bad)} wrong:")
    for b in bad: print("   ", b)
