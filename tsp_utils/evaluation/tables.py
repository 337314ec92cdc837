"""Tables: method x metric with bootstrap CIs over prompts and, against a baseline, the paired difference, its sign
test and the inside-the-noise mark; as records, as markdown, and as the single SPR@1 cells of the transfer matrix
and the iteration curve. How to read a cell: docs/evaluation.md ("Reading the tables")."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from .metrics import filter_samples, prompt_stats, prompt_values
from .records import ScoredSample
from .stats import CI, aligned_values, bootstrap_ci, noise_verdict, paired_bootstrap_ci, sign_test

__all__ = ["DEFAULT_METRICS", "ResultRow", "ResultsTable", "results_table", "format_cell", "to_markdown",
           "spr_cell", "iteration_curve"]

DEFAULT_METRICS = ("spr@1", "vuln", "unknown", "invalid", "unfinished", "empty", "sec-pass@1", "pass@1")


@dataclass
class ResultRow:
    method: str
    metric: str
    estimate: float
    low: float
    high: float
    n_prompts: int  # prompts on which the metric is defined
    diff: CI | None = None  # paired (method - baseline), when a baseline was given
    p_value: float | None = None  # exact sign test of that difference (:func:`~.stats.sign_test`)
    noise: bool | None = None  # diff CI contains 0, or p >= alpha (:func:`~.stats.noise_verdict`)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["diff"] = None if self.diff is None else list(self.diff)
        return d


@dataclass
class ResultsTable:
    rows: list[ResultRow]
    methods: list[str]
    metrics: list[str]
    baseline: str | None = None
    note: str = ""  # e.g. which subset
    alpha: float = 0.05

    def get(self, method: str, metric: str) -> ResultRow:
        for r in self.rows:
            if r.method == method and r.metric == metric:
                return r
        raise KeyError((method, metric))

    def to_rows(self) -> list[dict[str, Any]]:
        return [r.to_dict() for r in self.rows]

    def to_frame(self):
        import pandas as pd  # about a second to import, and only this method needs it

        return pd.DataFrame(self.to_rows())

    def to_markdown(self, percent: bool = True) -> str:
        return to_markdown(self, percent)


def results_table(methods: Mapping[str, Iterable[ScoredSample]], metrics: Sequence[str] = DEFAULT_METRICS, *,
                  baseline: str | None = None, split: str | None = None, language: str | None = None,
                  label: str = "label", n_boot: int = 2000, alpha: float = 0.05, seed: int = 0) -> ResultsTable:
    """method x metric with percentile bootstrap CIs over prompts; with ``baseline``, also the paired difference
    to it and whether that difference is inside the noise."""
    subsets = {m: filter_samples(rows, split=split, language=language) for m, rows in methods.items()}
    if baseline is not None and baseline not in subsets:
        raise KeyError(f"baseline {baseline!r} is not among the methods {list(subsets)}")
    out = []
    for method, rows in subsets.items():
        stats = prompt_stats(rows, label)
        for metric in metrics:
            values = prompt_values(stats, metric)
            ci = bootstrap_ci(values, n_boot=n_boot, alpha=alpha, seed=seed)
            row = ResultRow(method, metric, ci.estimate, ci.low, ci.high, int(np.sum(~np.isnan(values))))
            if baseline is not None and method != baseline:
                a, b = aligned_values(rows, subsets[baseline], metric, label)  # what compare_methods pairs, once
                row.diff = paired_bootstrap_ci(a, b, n_boot=n_boot, alpha=alpha, seed=seed)
                row.p_value = sign_test(a, b)
                row.noise = noise_verdict(row.diff, row.p_value, alpha)
            out.append(row)
    note = ", ".join(f"{k}={v}" for k, v in (("split", split), ("language", language)) if v)
    return ResultsTable(out, list(subsets), list(metrics), baseline, note, alpha)


def _fmt(x: float, percent: bool, signed: bool = False) -> str:
    if x is None or math.isnan(x):
        return "n/a"
    v = 100 * x if percent else x
    digits = 1 if percent else 3
    return f"{v:+.{digits}f}" if signed else f"{v:.{digits}f}"


def format_cell(r: ResultRow, value: Callable[[float], str], signed: Callable[[float], str]) -> str:
    """One table cell: ``estimate [low, high] n=prompts``, and with a baseline ``<br>Δ diff [low, high] p=...``,
    marked ``~`` when the difference is inside the noise. ``value``/``signed`` format a number."""
    cell = f"{value(r.estimate)} [{value(r.low)}, {value(r.high)}] n={r.n_prompts}"
    if r.diff is not None:
        p = "" if r.p_value is None or r.noise is None else f" p={r.p_value:.2g}"
        cell += (f"<br>Δ {signed(r.diff.estimate)} [{signed(r.diff.low)}, {signed(r.diff.high)}]{p}"
                 + (" ~" if r.noise else ""))
    return cell


def to_markdown(table: ResultsTable, percent: bool = True) -> str:
    """A markdown table, methods as rows and metrics as columns: ``estimate [low, high] n=prompts`` (percent by
    default); with a baseline each cell adds ``Δ diff [low, high]``, marked ``~`` when the difference is inside the
    noise."""
    header = "| method | " + " | ".join(table.metrics) + " |"
    lines = [header, "|" + "---|" * (len(table.metrics) + 1)]
    for method in table.methods:
        cells = []
        for metric in table.metrics:
            cells.append(format_cell(table.get(method, metric), lambda x: _fmt(x, percent),
                                     lambda x: _fmt(x, percent, True)))
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    unit = "percent" if percent else "fractions"
    foot = (f"\n\nValues in {unit}, {100 * (1 - table.alpha):g}% percentile bootstrap CIs over prompts; n = the "
            "prompts a value is defined on (SPR@1 and vuln: those with a valid output; sec-pass@1 and pass@1: those "
            "with a functional test)")
    if table.baseline:
        foot += (f"; Δ = paired difference to {table.baseline} over the prompts where both have a value (for SPR@1 "
                 "and vuln: a valid output from both, so Δ can differ from the difference of the two columns); "
                 "p = exact two-sided sign test over the paired prompts whose values differ; ~ = inside the noise "
                 f"(CI contains 0, or p ≥ {table.alpha:g})")
    if table.note:
        foot += f"; subset: {table.note}"
    foot += (". Over a few prompts that all agree, a bootstrap interval has zero width: that is not certainty, and "
             "the sign test says how little a few prompts can show")
    return "\n".join(lines) + foot + "."


def spr_cell(scored, base, name: str = "method", language: str | None = None, seed: int = 0) -> ResultRow:
    """SPR@1 of ``scored`` (on one evaluation language, if given) with its bootstrap CI over prompts, and its paired
    difference to ``base`` on the same prompts with the sign test and the noise verdict (``base`` None: no
    difference). The transfer matrix and the iteration curve are built from these cells: with a handful of prompts
    per language or per iteration, a point without its interval reads as more than it is."""
    methods = {name: scored} if base is None else {"base": base, name: scored}
    table = results_table(methods, ["spr@1"], baseline=None if base is None else "base", language=language,
                          seed=seed)
    return table.get(name, "spr@1")


def iteration_curve(results: dict[str, list], methods: Sequence[str], iterations: int,
                    seed: int = 0) -> dict[str, list[ResultRow | None]]:
    """SPR@1 per method and iteration (iteration 0 = the base model), each point a :func:`spr_cell` against the
    base model; None where that iteration was not evaluated."""
    base = spr_cell(results["base"], None, "base", seed=seed)
    curve = {}
    for m in methods:
        points: list[ResultRow | None] = [base]
        for it in range(1, iterations + 1):
            name = m if it == iterations else f"{m}@{it}"
            points.append(spr_cell(results[name], results["base"], name, seed=seed) if name in results else None)
        curve[m] = points
    return curve
