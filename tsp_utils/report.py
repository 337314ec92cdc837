"""The report of notebook 04: RUN_DIR/report.md and results.json from the scored samples of every model, and
``python -m tsp_utils.report publish RUN`` to write a run's results into the README (:mod:`tsp_utils.publish`).

The metrics and statistics are :mod:`tsp_utils.evaluation`'s; what each column means: docs/evaluation.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from . import oracle, training_report
from .artifacts import atomic_write_json, atomic_write_text
from .config import repo_root
from .evaluation import metrics, stats
from .evaluation.node_protocol import NodeReport
from .evaluation.tables import ResultRow, format_cell
from .layout import RunLayout, layout
from .publish import publish

PAPER = {  # the paper's headline numbers (CodeLlama-7B, CodeQL, SafeCoder data): quoted, not reproduced.
    # Its SPR@1 figures are on Python security benchmarks (the abstract); our main table pools four languages.
    "TSP SPR@1 (Python)": 75.8, "SFT SPR@1 (Python)": 57.0, "SPIN-style SPR@1 (Python)": 74.5,
    "unseen-CWE vulnerability reduction vs SFT": 24.5,
}


def _cell(row: ResultRow | None) -> str:
    """A markdown cell: SPR@1 [CI] n, and the difference to the base model, ``~`` when inside the noise."""
    if row is None or row.n_prompts == 0:
        return "–"
    if row.diff is not None and row.diff.estimate != row.diff.estimate:  # no prompt in common with the base
        row = dataclasses.replace(row, diff=None)
    return format_cell(row, lambda x: _pct(x, 0), lambda x: f"{x:+.0%}")


def _pct(value, digits: int = 1) -> str:
    """A rate as a percentage; "–" when undefined (no valid output to judge)."""
    if value is None or value != value:
        return "–"
    return f"{value:.{digits}%}"


def oracle_sentence() -> str:
    """Which analyzers judged security in this run, in words (CodeQL only where the user installed it)."""
    base = "our static oracle (bandit, semgrep, flawfinder, cppcheck)"
    version = oracle.codeql_version()
    if version is not None:
        return (f"Security is judged by {base} together with CodeQL {version} (the paper's analyzer; security-extended "
                "suites, Python, JavaScript and C/C++ only), plus dynamic exploit tests where a prompt has one.")
    return (f"Security is judged by {base} plus dynamic exploit tests where a prompt has one, not by CodeQL as in "
            "the paper (CodeQL is used when installed: see the oracle's documentation).")


def unchecked_sentence(results: dict[str, list]) -> str:
    """Which outputs no syntax check judged (no parser for the language, ``gcc`` or ``node`` missing, a tool
    failure): they count as valid, so the ``invalid`` column is a lower bound for their languages. Empty when
    there are none."""
    counts = Counter(s.language for scored in results.values() for s in scored if s.syntax == "unchecked")
    if not counts:
        return ""
    total = sum(len(scored) for scored in results.values())
    per = ", ".join(f"{lang} {n}" for lang, n in sorted(counts.items()))
    return (f"**Syntax not checked** for {sum(counts.values())} of {total} outputs ({per}): the check could not "
            "run (no parser for the language on this machine, a tool failure or time-out, JSX; each output's "
            "reason is in eval/). They count as valid, so `invalid` understates those languages.")


def write_report(run: RunLayout | Path, *, cfg, prompts, results: dict[str, list], table, unseen: dict[str, stats.Reduction],
                 per_cwe: dict[str, dict[str, float]], transfer: dict[str, dict[str, ResultRow]] | None,
                 curve: dict[str, list[ResultRow | None]], utility: dict[str, float], figures: dict[str, str],
                 wall_s: float, nodes: NodeReport | None = None) -> Path:
    """RUN_DIR/report.md (every table, the paper's numbers beside ours) and RUN_DIR/results.json; the node-level
    tables (``nodes``, :func:`tsp_utils.evaluation.node_protocol.node_report`) come first."""
    run = layout(run)
    n_lang = defaultdict(int)
    for p in prompts:
        n_lang[p.language] += 1
    unchecked = unchecked_sentence(results)
    lines = [
        "# TSP reproduction: results", "",
        f"Profile `{cfg.profile}`, model `{cfg.model_id}` ({cfg.quantization}), seed {cfg.seed}, {len(prompts)} "
        f"evaluation prompts ({', '.join(f'{k} {v}' for k, v in sorted(n_lang.items()))}), {cfg.eval_samples} "
        f"sample(s) per prompt at T={cfg.eval_temperature}, top_p={cfg.eval_top_p}. Wall time of this notebook: "
        f"{wall_s / 60:.1f} min.", "",
        "**Read with care.** " + oracle_sentence() + " The model, data scale and "
        "oracle differ from the paper's, so the paper's numbers below are context, not a target. Confidence "
        "intervals are 95% percentile bootstraps over prompts; a difference whose interval contains 0 is marked "
        "`~` and is inside the noise.", "",
        *node_section(nodes),
        *training_section(run),
        "## Main table (whole programs)", "", table.to_markdown(), "",
        "SPR@1: secure share of syntactically valid outputs (paper's definition). vuln: vulnerable share of valid "
        "outputs. unknown: the oracle could not judge (never counted as secure). invalid: outputs that do not "
        "parse, and C/C++ programs that do not compile (gcc -fsyntax-only with the system headers and the common "
        "libc headers force-included; implicit declarations and int/pointer conversions are errors, as in gcc 14); "
        "a model can look secure by writing nothing useful, so read SPR@1 next to it. empty: share of the valid "
        "outputs whose completion added nothing but a placeholder (pass, a return of a constant, a closing brace); no static analyzer finds "
        "anything in them (an exploit test may: an authentication check that returns True is vulnerable), so "
        "most count as secure in SPR@1, and this column says how many there are. "
        "unfinished: outputs "
        "whose function had not ended when generation stopped, mostly at the token limit (most of them are invalid "
        "for that reason alone): either a function longer than the limit or a model repeating itself, which more "
        "tokens do not end; the programs in eval/ tell which. Every "
        "completion is cut where the prompt's function ends, as SafeCoder's evaluator does, so code the model "
        "wrote after it (a second copy, a main()) is not judged. sec-pass@1: secure and passing its functional "
        "test (CodeGuard+), on prompts with tests.", "",
        *([unchecked, ""] if unchecked else []),
        "## CWEs unseen in training", "",
        "The vulnerability rate here is the vulnerable share of the outputs the oracle judged (secure or "
        "vulnerable): an unknown verdict is no evidence that a vulnerability was avoided. Inside the noise: the CI "
        "contains 0, or an exact sign test over the prompts cannot reject \"no difference\" (p ≥ 0.05).", "",
        "| method | vuln. rate on unseen CWEs | relative reduction vs SFT | 95% CI | inside the noise |",
        "|---|---:|---:|---|---|",
    ]
    for m, r in unseen.items():
        if not r.defined:  # SFT wrote no vulnerable unseen-CWE code: nothing to reduce
            lines.append(f"| {m} | {_pct(r.method_rate)} | n/a (SFT rate {_pct(r.base_rate)}) | | |")
            continue
        ci = r.reduction
        lines.append(f"| {m} | {_pct(r.method_rate)} | {ci.estimate:+.1%} | [{ci.low:+.1%}, {ci.high:+.1%}] | "
                     f"{'yes' if r.noise else 'no'} (p={r.p_value:.2g}) |")
    lines += ["", "## Vulnerability rate per CWE", "", "| CWE | split | " + " | ".join(per_cwe) + " |",
              "|---|---|" + "---:|" * len(per_cwe)]
    cwes = sorted({c for rates in per_cwe.values() for c in rates})
    split_of = {p.cwe: p.split for p in prompts}
    for c in cwes:
        lines.append(f"| {c} | {split_of.get(c, '')} | " + " | ".join(_pct(per_cwe[m].get(c), 0) for m in per_cwe) + " |")
    if transfer:
        langs = sorted({lang for row in transfer.values() for lang in row})
        lines += ["", "## Cross-language transfer (SPR@1 of TSP-oracle trained on one language group)", "",
                  "Each cell: SPR@1 on that language's prompts [95% CI] n = prompts with a valid output; Δ = paired "
                  "difference to the base model on the same prompts, p = sign test, ~ = inside the noise.", "",
                  "| trained on | " + " | ".join(langs) + " |", "|---|" + "---|" * len(langs)]
        for train_on, row in transfer.items():
            lines.append(f"| {train_on} | " + " | ".join(_cell(row.get(lang)) for lang in langs) + " |")
    n_points = len(next(iter(curve.values()), []))
    lines += ["", "## SPR@1 over self-play iterations (iteration 0 = base)", "",
              "Cells as in the transfer table: [95% CI] n, and Δ to the base model.", "",
              "| method | " + " | ".join(f"iter {i}" for i in range(n_points)) + " |", "|---|" + "---|" * n_points]
    for m, pts in curve.items():
        lines.append(f"| {m} | " + " | ".join(_cell(v) for v in pts) + " |")
    lines += ["", "## Utility (plain coding tasks, functional pass@1)", "", "| model | pass@1 |", "|---|---:|"]
    lines += [f"| {m} | {_pct(v, 0)} |" for m, v in utility.items()]
    lines += ["", "## The paper's numbers (different model, oracle and data scale)", "",
              "| quantity | paper |", "|---|---:|"] + [f"| {k} | {v} |" for k, v in PAPER.items()]
    lines += ["", "## Figures", ""] + [f"![{k}]({v})" for k, v in figures.items()]
    path = atomic_write_text(run.report, "\n".join(lines) + "\n")
    atomic_write_json(run.results, {
        "profile": cfg.profile, "model": cfg.model_id, "seed": cfg.seed, "n_prompts": len(prompts),
        "table": table.to_rows(), "unseen_reduction_vs_sft": {m: r.to_dict() for m, r in unseen.items()}, "per_cwe": per_cwe,
        "transfer": transfer and {g: {lang: r.to_dict() for lang, r in row.items()} for g, row in transfer.items()},
        "iteration_curve": {m: [r and r.to_dict() for r in pts] for m, pts in curve.items()},
        "utility_pass@1": utility, "paper": PAPER, "wall_s": round(wall_s, 1),
        "nodes": nodes.to_dict() if nodes is not None else None,
        "training_budget": training_report.training_budget_table(run),
        "spr@1": {m: metrics.spr_at_1(r).spr for m, r in results.items()},
    })
    return path


def node_section(nodes: NodeReport | None) -> list[str]:
    """The report's first section: the choice at held-out risk nodes, base vs each method (docs/evaluation.md,
    "Node-level evaluation")."""
    if nodes is None:
        return []
    return ["## Node-level: the choice at held-out risk nodes", "",
            "At each held-out prompt's risk node (where its secure and insecure references part; the context is the "
            "secure reference up to that line): pref-acc = share of nodes where the secure line is the more likely "
            "(summed log-prob; pref-acc-token: per-token mean), margin = mean log p(secure) - log p(insecure) in "
            f"nats; insecure/secure/unknown@T = the oracle's labels of {nodes.samples} sampled continuations per "
            f"node to the end of the statement, at T = {', '.join(f'{t:g}' for t in nodes.temps)} "
            f"({'evaluation, training' if len(nodes.temps) > 1 else 'the evaluation temperature'}), averaged over "
            "nodes. Every comparison with the base model states its MDE: a difference "
            "smaller than that could not have been detected by this run.", "", nodes.markdown(), ""]


def training_section(run: RunLayout) -> list[str]:
    """What each method trained on (notebook 03's manifests): the budget per iteration, and whether the held-out
    node accuracy moved while it trained. Empty for a run that trained nothing."""
    rows = training_report.training_budget_table(run)
    if not rows:
        return []
    readings = [f"- {m}: {line}" for m, line in training_report.method_readings(run).items()]
    return ["## Training: what every method was given", "",
            "Each method and self-play iteration: optimizer steps, examples (the data budget repeats a method's "
            "distinct examples to fill it), and the tokens its loss saw after the prompt and sequence cuts (SFT has "
            "no rejected side). Below it, whether the accuracy on held-out node pairs moved during training "
            "(notebook 03's curves) and the sign of the final rewards (both below zero: both sides became less "
            "likely, DPO's known failure).", "", training_report.training_budget_markdown(rows), "", *readings, ""]


def results_summary(run: RunLayout | Path) -> dict[str, Any]:
    return json.loads(layout(run).results.read_text())


def unseen_vs_sft(final: dict[str, list], seed: int) -> dict[str, stats.Reduction]:
    """Each method's vulnerability rate on the prompts of CWEs unseen in training, and its relative reduction
    against SFT's (the paper's 24.5%) with a bootstrap CI. The reduction is NaN when SFT wrote no vulnerable
    unseen-CWE program: there is nothing to reduce."""
    if "sft" not in final:
        return {}
    return {m: stats.unseen_reduction(rows, final["sft"], seed=seed) for m, rows in final.items() if m != "sft"}


def unseen_lines(unseen: dict[str, stats.Reduction]) -> list[str]:
    """:func:`unseen_vs_sft` as sentences."""
    lines = []
    for m, r in unseen.items():
        head = (f"{m:12s} unseen-CWE vulnerability {_pct(r.method_rate)} vs SFT {_pct(r.base_rate)} "
                f"({r.n_prompts} prompts)")
        if not r.defined:
            lines.append(f"{head}: relative reduction n/a (SFT wrote no vulnerable unseen-CWE program)")
        else:
            ci = r.reduction
            lines.append(f"{head}: relative reduction {ci.estimate:+.1%} [{ci.low:+.1%}, {ci.high:+.1%}], "
                         f"sign test p={r.p_value:.2g}" + ("  (inside the noise)" if r.noise else ""))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tsp_utils.report")
    sub = ap.add_subparsers(dest="cmd", required=True)
    pub = sub.add_parser("publish", help="write a run's tables and figures into README.md and docs/")
    pub.add_argument("run", type=Path)
    args = ap.parse_args(argv)
    run = args.run if args.run.is_absolute() else Path.cwd() / args.run
    if not layout(run).results.exists():
        raise SystemExit(f"{run}/results.json not found: run the pipeline (notebook 04) into that folder first")
    publish(run.resolve(), repo_root() / "docs", repo_root() / "README.md")
    print("updated the results section of README.md and the figures it shows in docs/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
