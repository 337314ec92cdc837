"""The field's security analyzers measured alone and beside today's oracle, on the labeled data we may tune on.

The candidates' runners are in candidate_analyzers.py (dlint, eslint + plugins, clang-tidy); njsscan's semgrep rules
run through our semgrep (njsscan itself pins semgrep 1.86, which would replace ours); Pysa needs pyre-check in a venv
of its own (it pins click below what semgrep needs).

Data (known/tuned data, never held out): our training pairs (data/train_pairs.jsonl: the vulnerable and the fixed
version), tests/typical_outputs.py (labeled typical model outputs) and SafeCoder's train and val pairs
(/work/shared/data/safecoder or ../shared/data/safecoder). tests/oracle_corpus/blind/ is never read.

For every candidate, per language, in one run: recall (vulnerable versions flagged), false alarms (fixed/secure
versions flagged), recall - false alarms, the unknown rate (the tool failed or could not parse the file) and the
whole batch's wall time; then "oracle + tool" (vulnerable when either flags; unknown when either failed) beside the
oracle alone. A finding counts when the adapter's policy gives it medium or high severity, as in the oracle. The
per-rule table (hits on vulnerable vs. secure versions) is what each adapter's policy was chosen from.

    python benchmarks/bench_analyzers.py                      # every candidate that is installed
    python benchmarks/bench_analyzers.py --tools dlint eslint --json out.json
    TSP_NJSSCAN_RULES=.../njsscan/rules/semantic_grep python benchmarks/bench_analyzers.py   # with njsscan's rules
    python benchmarks/bench_analyzers.py --pysa /path/to/venv-with-pyre-check   # Pysa (pyre-check) too
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tsp_utils.data import load_safecoder, load_train_pairs  # noqa: E402
from tsp_utils.labels import UNKNOWN, VULNERABLE  # noqa: E402
from tsp_utils.oracle import Snippet, analyze_batch  # noqa: E402
from tsp_utils.oracle import tools  # noqa: E402
from tsp_utils.oracle.job import Job, join_context  # noqa: E402
from tsp_utils.oracle.policy import COUNT_THRESHOLD, SEV_RANK  # noqa: E402
from tsp_utils.oracle.records import Finding  # noqa: E402
from tsp_utils.oracle.syntax import prepare_python  # noqa: E402
from tsp_utils.languages import LANGUAGES  # noqa: E402

import candidate_analyzers as cand  # noqa: E402  (beside this file)

SAFECODER_DIRS = [REPO.parent / "shared" / "data" / "safecoder", Path("/work/shared/data/safecoder")]
NJSSCAN_RULES_ENV = "TSP_NJSSCAN_RULES"  # a folder of njsscan's semgrep rules (njsscan/rules/semantic_grep)


@dataclass
class Item:
    id: str
    source: str
    language: str
    code: str
    context: str
    vulnerable: bool


def labeled_items() -> list[Item]:
    items: list[Item] = []

    def pairs(source: str, rows) -> None:
        for i, p in enumerate(rows):
            if p.language not in LANGUAGES:
                continue
            for side, code in (("before", p.func_src_before), ("after", p.func_src_after)):
                if code:
                    items.append(Item(f"{source}:{i}:{side}", source, p.language, code, p.file_context or "",
                                      side == "before"))

    pairs("train_pairs", load_train_pairs())
    for folder in SAFECODER_DIRS:
        if (folder / "train-sec-new-desc.jsonl").exists():
            pairs("safecoder_train", load_safecoder(folder / "train-sec-new-desc.jsonl"))
            pairs("safecoder_val", load_safecoder(folder / "val-sec-new-desc.jsonl"))
            break
    spec = importlib.util.spec_from_file_location("typical_outputs", REPO / "tests" / "typical_outputs.py")
    typical = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(typical)  # type: ignore[union-attr]
    for cid, lang, code, want, _cwe in typical.CASES:
        items.append(Item(f"typical:{cid}", "typical", lang, code, "", want == "vulnerable"))
    return items


def make_jobs(items: list[Item], workdir: str) -> list[Job]:
    """The files the oracle's analyzers would read (Python dedented the oracle's way, context prepended)."""
    jobs = []
    for i, it in enumerate(items):
        job = Job(key=it.id, language=it.language, code=it.code, context=it.context)
        job.fname = f"s{i:06d}{LANGUAGES[it.language].extension}"
        if it.language == "python":
            prepare_python(job)
        else:
            job.text, job.offset = join_context(job.context, job.code)
        if job.syntax != "error":
            Path(workdir, job.fname).write_text(job.text, encoding="utf-8")
        jobs.append(job)
    return jobs


# ------------------------------------------------------------------------------------------- candidates
# Each runner analyses the jobs of its language in one process per chunk (like the oracle) and records findings
# with the adapter's severities; a tool that is one of our adapters is called through it.

def _njsscan(jobs: list[Job], workdir: str) -> None:
    rules = os.environ.get(NJSSCAN_RULES_ENV)
    if not rules:
        for j in jobs:
            j.fail("njsscan rules not given")
        return
    proc = tools.run_tool("semgrep", ["scan", "--config", rules, "--json", "--quiet", "--metrics=off",
                                      "--disable-version-check", "--disable-nosem", "--no-git-ignore",
                                      "--jobs", "2", *[j.fname for j in jobs]], workdir, 600)
    report = json.loads(proc.stdout)
    by_name = {j.fname: j for j in jobs}
    sev = {"ERROR": "high", "WARNING": "medium", "INFO": "low"}
    for res in report.get("results", []):
        job = by_name.get(os.path.basename(res["path"]))
        if job is not None:
            extra = res.get("extra", {})
            job.add_finding(Finding("njsscan", res["check_id"].rsplit(".", 1)[-1], None, res["start"]["line"],
                                    sev.get(extra.get("severity", ""), "medium"), "", res["end"]["line"]))
    for err in report.get("errors", []):
        job = by_name.get(os.path.basename(err.get("path") or ""))
        if job is not None and err.get("level") == "error":
            job.fail("njsscan: " + str(err.get("type")))


def pysa_runner(venv: str) -> Callable[[list[Job], str], None]:
    """Pysa (pyre-check in its own venv: it pins click below the version semgrep needs) over all files at once,
    with pyre's bundled taint models and this venv's site-packages as search path (flask, django, ...)."""
    def run(jobs: list[Job], workdir: str) -> None:
        pyre_lib = Path(venv) / "lib" / "pyre_check"
        site = next(Path(sys.prefix).glob("lib/python3*/site-packages"))
        Path(workdir, ".pyre_configuration").write_text(json.dumps({
            "source_directories": ["."], "taint_models_path": [str(pyre_lib / "taint")],
            "typeshed": str(pyre_lib / "typeshed"), "search_path": [str(site)], "exclude": [".*/_.*"]}))
        subprocess.run([str(Path(venv) / "bin" / "pyre"), "--noninteractive", "analyze", "--no-verify",
                        "--save-results-to", "pysa_out"], cwd=workdir, capture_output=True, timeout=1800,
                       check=True)
        by_name = {j.fname: j for j in jobs}
        for line in Path(workdir, "pysa_out", "taint-output.json").read_text().splitlines():
            rec = json.loads(line)
            if rec.get("kind") == "issue":
                issue = rec["data"]
                job = by_name.get(os.path.basename(issue.get("filename", issue.get("path", ""))))
                if job is not None:
                    job.add_finding(Finding("pysa", str(issue.get("code")), None, int(issue.get("line", 1)),
                                            "medium", str(issue.get("message", ""))[:300]))
    return run


CANDIDATES: dict[str, tuple[str, Callable[[list[Job], str], None]]] = {
    "dlint": ("python", cand.run_dlint),
    "eslint": ("javascript", cand.run_eslint),
    "clang-tidy (c)": ("c", cand.run_clang_tidy),
    "clang-tidy (cpp)": ("cpp", cand.run_clang_tidy),
    "njsscan rules": ("javascript", _njsscan),
}


def flagged(job: Job) -> bool:
    return any(SEV_RANK[f.severity] >= SEV_RANK[COUNT_THRESHOLD] for f in job.findings)


def metrics(rows: list[tuple[bool, str]]) -> dict[str, float]:
    """rows: (is vulnerable, label) -> recall, false alarms, their difference, unknown rate (of all)."""
    vul = [lab for v, lab in rows if v]
    sec = [lab for v, lab in rows if not v]
    recall = sum(lab == VULNERABLE for lab in vul) / max(1, len(vul))
    fa = sum(lab == VULNERABLE for lab in sec) / max(1, len(sec))
    return {"n_vul": len(vul), "n_sec": len(sec), "recall": recall, "false_alarms": fa, "diff": recall - fa,
            "unknown": sum(lab == UNKNOWN for _, lab in rows) / max(1, len(rows))}


def tool_label(job: Job) -> str:
    if job.syntax == "error":
        return UNKNOWN
    return VULNERABLE if flagged(job) else (UNKNOWN if job.failures else "secure")


def combined(oracle_label: str, oracle_syntax: str, job: Job) -> str:
    if oracle_syntax == "error":
        return UNKNOWN
    if oracle_label == VULNERABLE or flagged(job):
        return VULNERABLE
    return UNKNOWN if oracle_label == UNKNOWN or job.failures else "secure"


def fmt(m: dict[str, float]) -> str:
    return (f"recall {100 * m['recall']:5.1f}%  false alarms {100 * m['false_alarms']:5.1f}%  "
            f"diff {100 * m['diff']:+6.1f}  unknown {100 * m['unknown']:4.1f}%")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tools", nargs="*", help="candidates to run (default: all)")
    ap.add_argument("--json", help="also write the numbers here")
    ap.add_argument("--rules", action="store_true", help="print the per-rule hits (vulnerable/secure)")
    ap.add_argument("--oracle-cache", help="verdict cache for the oracle run (when iterating; its time is then wrong)")
    ap.add_argument("--pysa", help="a venv with pyre-check installed: measure Pysa too")
    args = ap.parse_args(argv)
    if args.pysa:
        CANDIDATES["pysa"] = ("python", pysa_runner(args.pysa))
    items = labeled_items()
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, python {platform.python_version()}")
    print(f"items: {len(items)} ({', '.join(f'{k}={v}' for k, v in sorted(Counter(i.language for i in items).items()))})"
          f"; sources {dict(Counter(i.source for i in items))}")
    snippets = [Snippet(i.code, i.language, i.context, id=i.id) for i in items]
    t0 = time.perf_counter()
    verdicts = analyze_batch(snippets, cache_dir=args.oracle_cache, progress=False)
    t_oracle = time.perf_counter() - t0
    print(f"\noracle (today): whole batch of {len(items)} in {t_oracle:.1f}s ({len(items) / t_oracle:.1f} snippets/s)")
    out: dict = {"oracle_s": t_oracle, "n": len(items), "cpus": os.cpu_count(), "languages": {}, "tools": {}}
    for lang in sorted({i.language for i in items}):
        rows = [(i.vulnerable, v.label) for i, v in zip(items, verdicts) if i.language == lang]
        out["languages"][lang] = metrics(rows)
        print(f"  {lang:10s} n={len(rows):4d}  {fmt(out['languages'][lang])}")

    for name, (lang, runner) in CANDIDATES.items():
        if args.tools and not any(name.startswith(t) for t in args.tools):
            continue
        sel = [(it, v) for it, v in zip(items, verdicts) if it.language == lang]
        with tempfile.TemporaryDirectory(prefix="tsp_bench_") as workdir:
            jobs = make_jobs([it for it, _ in sel], workdir)
            live = [j for j in jobs if j.syntax != "error"]
            t0 = time.perf_counter()
            try:
                runner(live, workdir)
            except Exception as exc:  # a candidate that cannot run at all is reported, not fatal
                print(f"\n{name}: could not run: {exc!r}")
                continue
            t_tool = time.perf_counter() - t0
        alone = metrics([(it.vulnerable, tool_label(j)) for (it, _), j in zip(sel, jobs)])
        both = metrics([(it.vulnerable, combined(v.label, v.syntax, j)) for (it, v), j in zip(sel, jobs)])
        base = out["languages"][lang]
        print(f"\n{name} [{lang}]: {len(live)} files in {t_tool:.1f}s")
        print(f"  alone           {fmt(alone)}")
        print(f"  oracle          {fmt(base)}")
        print(f"  oracle + tool   {fmt(both)}   (diff change {100 * (both['diff'] - base['diff']):+.1f})")
        # per rule: hits on vulnerable / secure versions, and of those the ones the oracle did not already flag
        # (what counting the rule would add to recall / to false alarms)
        hits: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        for (it, v), j in zip(sel, jobs):
            for rule in {f.rule_id for f in j.findings}:
                side = 0 if it.vulnerable else 1
                hits[rule][side] += 1
                hits[rule][2 + side] += v.label != VULNERABLE
        if args.rules:
            counted = {f.rule_id for j in jobs for f in j.findings if SEV_RANK[f.severity] >= SEV_RANK[COUNT_THRESHOLD]}
            for rule, (hv, hs, nv, ns) in sorted(hits.items(), key=lambda kv: -sum(kv[1])):
                print(f"    {rule:55s} {'counted ' if rule in counted else 'advisory'} vul {hv:3d} sec {hs:3d}"
                      f"   not flagged by the oracle: vul {nv:3d} sec {ns:3d}")
        fails = Counter(f.split(":")[0][:80] for j in jobs for f in j.failures)
        if fails:
            print(f"  failures: {dict(fails.most_common(3))}")
        out["tools"][name] = {"language": lang, "seconds": t_tool, "files": len(live), "alone": alone,
                              "oracle": base, "oracle_plus": both, "rules": dict(hits)}
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
