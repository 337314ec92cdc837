"""The evaluation protocol of notebook 04: which models, which prompts, the transfer experiment, and the report.

Metrics and statistics live in :mod:`tsp_utils.evaluate`; this module strings them into a run whose every number
comes from files in RUN_DIR (scored samples per model, cached so a killed run resumes).
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from . import evaluate as ev
from .artifacts import atomic_write_json, atomic_write_text

PAPER = {  # the paper's headline numbers (CodeLlama-7B, CodeQL, SafeCoder data): quoted, not reproduced.
    # Its SPR@1 figures are on Python security benchmarks (the abstract); our main table pools four languages.
    "TSP SPR@1 (Python)": 75.8, "SFT SPR@1 (Python)": 57.0, "SPIN-style SPR@1 (Python)": 74.5,
    "unseen-CWE vulnerability reduction vs SFT": 24.5,
}


def select_prompts(prompts: Sequence[Any], n: int | None, seed: int = 0) -> list[Any]:
    """``n`` prompts stratified over (language, split), so a small evaluation keeps every language and both splits."""
    if n is None or n >= len(prompts):
        return list(prompts)
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for p in prompts:
        groups[(p.language, p.split)].append(p)
    rng = random.Random(seed)
    for g in groups.values():
        rng.shuffle(g)
    queues = [groups[k] for k in sorted(groups)]
    out: list[Any] = []
    while len(out) < n and any(queues):
        for q in queues:
            if q and len(out) < n:
                out.append(q.pop())
    return sorted(out, key=lambda p: p.id)


@dataclass
class ModelSpec:
    name: str  # "base", "sft", "tsp-oracle@1", ...
    adapter: Path | None  # None: the base model


def model_specs(run_dir: Path, methods: Sequence[str], iterations: int, each_iteration: bool) -> list[ModelSpec]:
    specs = [ModelSpec("base", None)]
    for method in methods:
        its = range(1, iterations + 1) if each_iteration else [iterations]
        for it in its:
            path = run_dir / "adapters" / method / f"iter_{it}" / "adapter"
            if not (path / "adapter_config.json").exists():
                raise FileNotFoundError(f"{path} is missing: run notebook 03 first (same RUN_DIR and profile)")
            name = method if it == iterations else f"{method}@{it}"
            specs.append(ModelSpec(name, path))
    return specs


def evaluation_specs(run_dir: Path, cfg) -> list[ModelSpec]:
    """The models notebook 04 evaluates: base, every method's final adapter, and the intermediate iterations of
    the methods in ``cfg.eval_iterations_for`` (for the SPR@1-vs-iteration curve)."""
    specs = model_specs(run_dir, cfg.methods, cfg.iterations, each_iteration=False)
    return specs + [s for m in cfg.eval_iterations_for if m in cfg.methods
                    for s in model_specs(run_dir, [m], cfg.iterations, each_iteration=True)[1:-1]]


def evaluate_spec(spec: ModelSpec, base_model, tokenizer, prompts, out_dir: Path, *, cfg, cache_dir=None,
                  progress: bool = True, also: dict[str, Sequence[Any]] | None = None) -> list[ev.ScoredSample]:
    """Scored samples of one model, from ``out_dir/<name>.jsonl`` when that exists (resume), else generated.

    ``also`` ({prefix: prompts}) scores more prompt sets with the same model in the same pass and saves them as
    ``<prefix>-<name>.jsonl``, where a later ``evaluate_spec`` of ``ModelSpec("<prefix>-<name>", ...)`` finds them:
    on a CPU, one decoding pass over all rows costs little more than the longest of separate passes, and the
    analyzers start once."""
    path = out_dir / f"{spec.name}.jsonl"
    if path.exists():
        return ev.load_scored(path, prompts)
    from .models import load_adapter, sampling_mode

    sets = {"": list(prompts)}
    sets.update({prefix: list(ps) for prefix, ps in (also or {}).items()
                 if ps and not (out_dir / f"{prefix}-{spec.name}.jsonl").exists()})
    ids = [p.id for ps in sets.values() for p in ps]
    if len(ids) != len(set(ids)):
        raise ValueError(f"evaluate_spec({spec.name}): prompt ids repeat across the sets {sorted(sets)}")
    model = base_model
    if spec.adapter is not None:
        model = load_adapter(base_model, spec.adapter)
    try:
        with sampling_mode(model) as policy:
            scored = ev.evaluate_model(policy, tokenizer, [p for ps in sets.values() for p in ps],
                                       cache_dir=cache_dir, progress=progress, n_samples=cfg.eval_samples,
                                       temperature=cfg.eval_temperature, top_p=cfg.eval_top_p,
                                       max_new_tokens=cfg.eval_max_new_tokens, seed=cfg.seed,
                                       batch_size=cfg.eval_batch_size, show_code=cfg.eval_show_code)
    finally:
        if spec.adapter is not None:
            model.unload()  # back to the plain base for the next model
    for prefix, ps in sets.items():
        if prefix:
            own = {p.id for p in ps}
            ev.save_scored(out_dir / f"{prefix}-{spec.name}.jsonl", [s for s in scored if s.prompt_id in own])
    main = [s for s in scored if s.prompt_id in {p.id for p in sets[""]}]
    ev.save_scored(path, main)  # last: its presence means the whole pass finished
    return main


def spr_cell(scored, base, name: str = "method", language: str | None = None, seed: int = 0) -> ev.ResultRow:
    """SPR@1 of ``scored`` (on one evaluation language, if given) with its bootstrap CI over prompts, and its paired
    difference to ``base`` on the same prompts with the sign test and the noise verdict (``base`` None: no
    difference). The transfer matrix and the iteration curve are built from these cells: with a handful of prompts
    per language or per iteration, a point without its interval reads as more than it is."""
    methods = {name: scored} if base is None else {"base": base, name: scored}
    table = ev.results_table(methods, ["spr@1"], baseline=None if base is None else "base", language=language,
                             seed=seed)
    return table.get(name, "spr@1")


def iteration_curve(results: dict[str, list], methods: Sequence[str], iterations: int,
                    seed: int = 0) -> dict[str, list[ev.ResultRow | None]]:
    """SPR@1 per method and iteration (iteration 0 = the base model), each point a :func:`spr_cell` against the
    base model; None where that iteration was not evaluated."""
    base = spr_cell(results["base"], None, "base", seed=seed)
    curve = {}
    for m in methods:
        points: list[ev.ResultRow | None] = [base]
        for it in range(1, iterations + 1):
            name = m if it == iterations else f"{m}@{it}"
            points.append(spr_cell(results[name], results["base"], name, seed=seed) if name in results else None)
        curve[m] = points
    return curve


def _cell(row: ev.ResultRow | None) -> str:
    """A markdown cell: SPR@1 [CI] n, and the difference to the base model, ``~`` when inside the noise."""
    if row is None or row.n_prompts == 0:
        return "–"
    if row.diff is not None and row.diff.estimate != row.diff.estimate:  # no prompt in common with the base
        row = dataclasses.replace(row, diff=None)
    return ev.format_cell(row, lambda x: _pct(x, 0), lambda x: f"{x:+.0%}")


def _pct(value, digits: int = 1) -> str:
    """A rate as a percentage; "–" when undefined (no valid output to judge)."""
    if value is None or value != value:
        return "–"
    return f"{value:.{digits}%}"


def oracle_sentence() -> str:
    """Which analyzers judged security in this run, in words (CodeQL only where the user installed it)."""
    from . import oracle

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


def write_report(run_dir: Path, *, cfg, prompts, results: dict[str, list], table, unseen: dict[str, Any],
                 per_cwe: dict[str, dict[str, float]], transfer: dict[str, dict[str, float]] | None,
                 curve: dict[str, list[float]], utility: dict[str, float], figures: dict[str, str],
                 wall_s: float) -> Path:
    """RUN_DIR/report.md (every table, the paper's numbers beside ours) and RUN_DIR/results.json."""
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
        "## Main table", "", table.to_markdown(), "",
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
        if r["reduction"] != r["reduction"]:  # NaN: SFT wrote no vulnerable unseen-CWE code, nothing to reduce
            lines.append(f"| {m} | {_pct(r['method_rate'])} | n/a (SFT rate {_pct(r['base_rate'])}) | | |")
            continue
        lines.append(f"| {m} | {_pct(r['method_rate'])} | {r['reduction']:+.1%} | [{r['low']:+.1%}, {r['high']:+.1%}] | "
                     f"{'yes' if r['noise'] else 'no'} (p={r.get('p_value', float('nan')):.2g}) |")
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
    path = atomic_write_text(run_dir / "report.md", "\n".join(lines) + "\n")
    atomic_write_json(run_dir / "results.json", {
        "profile": cfg.profile, "model": cfg.model_id, "seed": cfg.seed, "n_prompts": len(prompts),
        "table": table.to_rows(), "unseen_reduction_vs_sft": unseen, "per_cwe": per_cwe,
        "transfer": transfer and {g: {lang: r.to_dict() for lang, r in row.items()} for g, row in transfer.items()},
        "iteration_curve": {m: [r and r.to_dict() for r in pts] for m, pts in curve.items()},
        "utility_pass@1": utility, "paper": PAPER, "wall_s": round(wall_s, 1),
        "spr@1": {m: ev.spr_at_1(r).spr for m, r in results.items()},
    })
    return path


def results_summary(run_dir: Path) -> dict[str, Any]:
    return json.loads((run_dir / "results.json").read_text())


TRANSFER_GROUPS = {"c/cpp": ("c", "cpp"), "all": ("c", "cpp", "python", "javascript", "go")}


def same_as_transfer(group: str, results: dict[str, list], iterations: int) -> str | None:
    """The already-scored model that *is* a transfer row, if any: one TSP-oracle iteration on every language's
    iteration-0 trees with notebook 03's budget is TSP-oracle's first self-play iteration."""
    name = "tsp-oracle" if iterations == 1 else "tsp-oracle@1"
    return name if group == "all" and name in results else None


def training_budget(run_dir: Path, cfg, fallback: int) -> int:
    """Examples per iteration that notebook 03 gave every method (recorded in pair_stats_iter_0.json)."""
    path = run_dir / "pair_stats_iter_0.json"
    if path.exists():
        return int(json.loads(path.read_text())["budget"])
    return cfg.train_budget or fallback


def train_transfer_adapter(base_model, tokenizer, trees, group: str, cfg, budget: int, run_dir: Path,
                           progress: bool = True) -> Path:
    """TSP-oracle trained for one iteration on the iteration-0 trees of one language group only (resumable).

    Everything but the trees is TSP-oracle's first self-play iteration: the same budget, LoRA initialisation and
    seed (:func:`selfplay.iteration_seed`), so the "all" group reproduces that iteration exactly."""
    from . import selfplay as sp
    from .models import attach_lora, save_adapter

    out = run_dir / "transfer" / group.replace("/", "_") / "adapter"
    if (out / "adapter_config.json").exists():
        return out
    langs = TRANSFER_GROUPS[group]
    pairs, stats = sp.tree_pairs("tsp-oracle", [t for t in trees if t.language in langs], tokenizer, cfg.max_seq_len)
    if not pairs:
        raise RuntimeError(f"no TSP-oracle pairs for {group}: the trees of these languages have no vulnerable branch")
    seed = sp.iteration_seed(cfg.seed, 1)
    pairs = sp.equalize_budget(pairs, budget, seed)
    tc = sp.TrainConfig.from_run("tsp-oracle", cfg, seed)
    model = attach_lora(base_model, r=cfg.lora_r, alpha=cfg.lora_alpha, gradient_checkpointing=tc.gradient_checkpointing,
                        seed=cfg.seed)
    log = sp.train(model, pairs, tc, tokenizer.pad_token_id, progress=progress)
    save_adapter(model, out)
    atomic_write_json(out.parent / "manifest.json", {"group": group, "languages": list(langs), "data": stats.to_dict(),
                                                     "trained_on": len(pairs), "seed": seed,
                                                     "wall_s": round(log.wall_s, 1), "final": log.summary()})
    model.unload()
    return out


def transfer_matrix(base_model, tokenizer, trees, results: dict[str, list], prompts, cfg, run_dir: Path,
                    progress: bool = True) -> dict[str, dict[str, ev.ResultRow]]:
    """SPR@1 per evaluation language (columns) of TSP-oracle trained on each language group (rows), and of the
    base model, each cell a :func:`spr_cell` (CI, and the difference to the base model on that language's prompts).
    Trains and scores what is missing (resumable); adds the scored samples to ``results``.

    Prints each group's share of the pair pool: when one group holds nearly all pairs (a forest whose other
    languages gave no vulnerable branch), its row and the all-languages row differ by little but chance."""
    from . import selfplay as sp

    languages = sorted({p.language for p in prompts})
    budget = training_budget(run_dir, cfg, len(trees))  # notebook 03's: every method trained on this many
    pool = sp.oracle_pairs(trees, tokenizer)[0]
    matrix: dict[str, dict[str, float]] = {}
    for group, langs in TRANSFER_GROUPS.items():
        own = sum(p.language in langs for p in pool)  # pairs are built per tree: a group's are its trees' pairs
        print(f"{group}: {own} of the {len(pool)} TSP-oracle pairs of iteration 0, {budget} drawn for training")
        reused = same_as_transfer(group, results, cfg.iterations)
        if reused:  # one TSP-oracle iteration on every language's iteration-0 trees: already trained and scored
            print(f"  = {reused}, already trained and scored by notebook 03")
            scored = results[reused]
        else:
            try:
                adapter = train_transfer_adapter(base_model, tokenizer, trees, group, cfg, budget, run_dir,
                                                 progress=progress)
            except RuntimeError as exc:
                print(f"  skipped: {exc}")
                continue
            name = "transfer-" + group.replace("/", "_")
            scored = evaluate_spec(ModelSpec(name, adapter), base_model, tokenizer, prompts, run_dir / "eval", cfg=cfg,
                                   cache_dir=run_dir / "oracle_cache", progress=progress)
            results[name] = scored
        matrix[group] = {lang: spr_cell(scored, results["base"], group, lang, cfg.seed) for lang in languages}
    matrix["none (base)"] = {lang: spr_cell(results["base"], None, "base", lang, cfg.seed) for lang in languages}
    return matrix


def unseen_vs_sft(final: dict[str, list], seed: int) -> dict[str, dict[str, Any]]:
    """Each method's vulnerability rate on the prompts of CWEs unseen in training, and its relative reduction
    against SFT's (the paper's 24.5%) with a bootstrap CI. The reduction is NaN when SFT wrote no vulnerable
    unseen-CWE program: there is nothing to reduce."""
    if "sft" not in final:
        return {}
    out = {}
    for m, rows in final.items():
        if m == "sft":
            continue
        r = ev.unseen_reduction(rows, final["sft"], seed=seed)
        out[m] = {"base_rate": r.base_rate, "method_rate": r.method_rate, "reduction": r.reduction.estimate,
                  "low": r.reduction.low, "high": r.reduction.high, "p_value": r.p_value,
                  "noise": ev.noise_verdict(r.reduction, r.p_value), "n_prompts": r.n_prompts}
    return out


def unseen_lines(unseen: dict[str, dict[str, Any]]) -> list[str]:
    """:func:`unseen_vs_sft` as sentences."""
    lines = []
    for m, r in unseen.items():
        head = (f"{m:12s} unseen-CWE vulnerability {_pct(r['method_rate'])} vs SFT {_pct(r['base_rate'])} "
                f"({r['n_prompts']} prompts)")
        if r["reduction"] != r["reduction"]:
            lines.append(f"{head}: relative reduction n/a (SFT wrote no vulnerable unseen-CWE program)")
        else:
            lines.append(f"{head}: relative reduction {r['reduction']:+.1%} [{r['low']:+.1%}, {r['high']:+.1%}]"
                         + (f", sign test p={r['p_value']:.2g}" if "p_value" in r else "")
                         + ("  (inside the noise)" if r["noise"] else ""))
    return lines


README_START, README_END = "<!-- results:start -->", "<!-- results:end -->"


def publish(run: Path, docs: Path, readme: Path) -> None:
    """Copy a run's headline figure and main table into ``docs/`` and the README (between the results markers)."""
    import shutil

    results = results_summary(run)
    text = (run / "report.md").read_text()
    table = text.split("## Main table", 1)[1].split("\n## ", 1)[0].strip()
    table = table.split("\n\nSPR@1:", 1)[0].strip()
    docs.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(run / "figures" / "spr_per_method.png", docs / "headline_spr.png")
    steps = [json.loads(p.read_text()) for p in sorted((run / "steps").glob("*.json"))]
    total = sum(st.get("wall_s", 0.0) for st in steps)
    per_notebook = ", ".join(f"{st['notebook'][:2]} {st['wall_s']:.0f} s" for st in steps if "wall_s" in st)
    codes = sorted({st.get("code") or "unknown" for st in steps})
    # "-dirty": files git tracks had been edited, so the commit named is not the whole story
    code = f"code `{codes[0]}`" if len(codes) == 1 else "code " + ", ".join(f"`{c}`" for c in codes) + " (mixed)"
    summary = "\n".join([
        README_START,
        f"From a reference run of the `{results['profile']}` profile ({results['model']}, seed {results['seed']}, "
        f"{results['n_prompts']} evaluation prompts; {code}; all notebooks {total / 60:.0f} min: {per_notebook}), "
        f"regenerated with `python -m tsp_utils.report publish "
        f"{run.relative_to(readme.parent) if run.is_relative_to(readme.parent) else run}`:",
        "", "![SPR@1 per method](docs/headline_spr.png)", "", table, "",
        "Our static oracle stands in for CodeQL and the model is 50x smaller than the paper's: these numbers are not "
        "comparable with the paper's (TSP 75.8, SFT 57.0, SPIN-style 74.5 SPR@1, on Python security benchmarks; "
        "this table pools C, Go, JavaScript and Python). Read the `invalid`, `empty` and `pass@1` "
        "columns before SPR@1: a model that writes unparsable, non-compiling (C), empty or non-working code can "
        "still look secure; "
        "`unfinished` says how many outputs stopped mid-function, mostly at the token limit. With the small offline "
        "model these are mostly loops (a line or a name repeated until the limit: `len_len_len_...`); at 256 tokens "
        "the base model's unfinished programs were still open (benchmarks/README.md).",
        README_END])
    body = readme.read_text()
    if README_START in body:
        head, rest = body.split(README_START, 1)
        body = head + summary + rest.split(README_END, 1)[1]
    else:
        body += "\n" + summary + "\n"
    atomic_write_text(readme, body)


def main(argv: list[str] | None = None) -> int:
    import argparse

    from .config import repo_root

    ap = argparse.ArgumentParser(prog="python -m tsp_utils.report")
    sub = ap.add_subparsers(dest="cmd", required=True)
    pub = sub.add_parser("publish", help="copy a run's headline figure and table into docs/ and README.md")
    pub.add_argument("run", type=Path)
    args = ap.parse_args(argv)
    run = args.run if args.run.is_absolute() else Path.cwd() / args.run
    if not (run / "results.json").exists():
        raise SystemExit(f"{run}/results.json not found: run the pipeline (notebook 04) into that folder first")
    publish(run.resolve(), repo_root() / "docs", repo_root() / "README.md")
    print("updated docs/headline_spr.png and README.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
