"""Node-level tables: per model and metric the mean over nodes with a bootstrap CI, and against the base model the
paired difference over the same nodes, its exact sign test and the minimum detectable effect (MDE) of that
comparison at its n (:mod:`.power`). Pure (numpy only). What each metric means: docs/evaluation.md
("Node-level evaluation")."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

from . import power
from .stats import bootstrap_ci, noise_verdict, paired_bootstrap_ci, sign_test
from .tables import ResultRow, format_cell

__all__ = ["PREFERENCE_METRICS", "choice_metrics", "NodeMeta", "NodeRow", "NodeTable", "node_values", "node_table",
           "breakdown", "breakdown_markdown"]

PREFERENCE_METRICS = ("pref-acc", "pref-acc-token", "margin")
NATS = ("margin",)  # metrics in nats; the others are shares, shown in percent


def choice_metrics(temperatures: Sequence[float]) -> tuple[str, ...]:
    """The sampled-choice metrics at each temperature: ``insecure@T``, ``secure@T``, ``unknown@T``."""
    return tuple(f"{k}@{t:g}" for t in temperatures for k in ("insecure", "secure", "unknown"))


@dataclass(frozen=True)
class NodeMeta:
    language: str
    cwe: str
    split: str


def node_values(prefs: Sequence[Any] = (), choices: Mapping[float, Sequence[Any]] | None = None
                ) -> dict[str, dict[str, float]]:
    """metric -> {prompt id: value} for one model: preference accuracy (1 when the secure side is the more
    likely, by summed and by per-token log-prob), the margin in nats, and at each temperature the node's
    insecure, secure and unknown shares of its sampled continuations."""
    out: dict[str, dict[str, float]] = {m: {} for m in PREFERENCE_METRICS}
    for p in prefs:
        out["pref-acc"][p.prompt_id] = float(p.prefers_secure())
        out["pref-acc-token"][p.prompt_id] = float(p.prefers_secure(per_token=True))
        out["margin"][p.prompt_id] = p.margin
    for t, rows in (choices or {}).items():
        for kind in ("insecure", "secure", "unknown"):
            out[f"{kind}@{t:g}"] = {c.prompt_id: getattr(c, kind) for c in rows}
    return out


@dataclass
class NodeRow(ResultRow):
    """A :class:`~.tables.ResultRow` over nodes (``n_prompts`` counts nodes), with its group and the MDE of the
    difference to the baseline."""

    group: str = "all"
    mde: power.MDE | None = None

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["mde"] = None if self.mde is None else self.mde.to_dict()
        return d


def _fmt(metric: str, signed: bool = False):
    if metric in NATS:
        return lambda x: "n/a" if x is None or math.isnan(x) else (f"{x:+.2f}" if signed else f"{x:.2f}")
    return lambda x: "n/a" if x is None or math.isnan(x) else (f"{100 * x:+.1f}" if signed else f"{100 * x:.1f}")


def cell(row: NodeRow) -> str:
    """``estimate [low, high] n=nodes``; against the baseline ``Δ diff [low, high] p=... MDE x`` (``~``: inside the
    noise; MDE*: from an assumed spread, nothing observed to estimate it from). "–": no node has a value (a model
    whose choice was not sampled)."""
    if row.n_prompts == 0:
        return "–"
    text = format_cell(row, _fmt(row.metric), _fmt(row.metric, True))
    if row.mde is not None:
        mde = row.mde.mde
        shown = "> 100" if row.metric not in NATS and mde == mde and mde > 1 else _fmt(row.metric)(mde)
        text += f" MDE {shown}" + ("*" if row.mde.assumed else "")
    return text


@dataclass
class NodeTable:
    rows: list[NodeRow]
    models: list[str]
    metrics: list[str]
    baseline: str | None = None
    note: str = ""
    alpha: float = 0.05

    def get(self, model: str, metric: str, group: str = "all") -> NodeRow:
        for r in self.rows:
            if (r.method, r.metric, r.group) == (model, metric, group):
                return r
        raise KeyError((model, metric, group))

    def to_rows(self) -> list[dict[str, Any]]:
        return [r.to_dict() for r in self.rows]

    def to_markdown(self) -> str:
        lines = ["| model | " + " | ".join(self.metrics) + " |", "|---|" + "---|" * len(self.metrics)]
        for m in self.models:
            lines.append(f"| {m} | " + " | ".join(cell(self.get(m, k)) for k in self.metrics) + " |")
        foot = ("\n\nShares in percent, margin in nats; 95% percentile bootstrap CIs over nodes; n = nodes. Δ = paired "
                f"difference to {self.baseline} over the same nodes, p = exact sign test over the nodes whose values "
                f"differ, ~ = inside the noise (CI contains 0 or p ≥ {self.alpha:g}); MDE = the smallest difference "
                f"this comparison could detect at its n (α = {self.alpha:g}, power 0.8; McNemar for accuracies, "
                "paired mean for rates and margins; * = from an assumed spread)")
        return "\n".join(lines) + foot + (f"; subset: {self.note}" if self.note else "") + "."


def _row(model: str, metric: str, group: str, a: dict[str, float], base: dict[str, float] | None, *,
         n_boot: int, alpha: float, seed: int, assumed_sd: float | None) -> NodeRow:
    values = np.array(list(a.values()), dtype=float)
    ci = bootstrap_ci(values, n_boot=n_boot, alpha=alpha, seed=seed)
    row = NodeRow(model, metric, ci.estimate, ci.low, ci.high, int(np.sum(~np.isnan(values))), group=group)
    if base is not None:
        common = [pid for pid in a if pid in base]
        x = np.array([a[p] for p in common], dtype=float)
        y = np.array([base[p] for p in common], dtype=float)
        row.diff = paired_bootstrap_ci(x, y, n_boot=n_boot, alpha=alpha, seed=seed)
        row.p_value = sign_test(x, y)
        row.noise = noise_verdict(row.diff, row.p_value, alpha)
        kind = "binary" if metric.startswith("pref-acc") else "mean"
        row.mde = power.detectable(x, y, kind, alpha=alpha, assumed_sd=assumed_sd)
    return row


def _subset(values: dict[str, float], meta: Mapping[str, NodeMeta], by: str | None, group: str) -> dict[str, float]:
    if by is None:
        return values
    return {pid: v for pid, v in values.items() if pid in meta and getattr(meta[pid], by) == group}


def node_table(values: Mapping[str, Mapping[str, dict[str, float]]], meta: Mapping[str, NodeMeta],
               metrics: Sequence[str], *, baseline: str | None = "base", by: str | None = None,
               group: str = "all", n_boot: int = 2000, alpha: float = 0.05, seed: int = 0,
               samples: int | None = None) -> NodeTable:
    """model x metric over the nodes (of one ``group`` of ``by`` = "language", "cwe" or "split", if given).
    ``values`` is model -> :func:`node_values`. ``samples`` (M) sets the assumed SD of a rate difference where no
    difference was observed (:func:`.power.rate_difference_sd`)."""
    if baseline is not None and baseline not in values:
        raise KeyError(f"baseline {baseline!r} is not among the models {list(values)}")
    assumed = power.rate_difference_sd(samples) if samples else None
    rows = []
    for model, per_metric in values.items():
        for metric in metrics:
            a = _subset(per_metric.get(metric, {}), meta, by, group)
            base = None if baseline is None or model == baseline else \
                _subset(values[baseline].get(metric, {}), meta, by, group)
            rows.append(_row(model, metric, group, a, base, n_boot=n_boot, alpha=alpha, seed=seed,
                             assumed_sd=None if metric in NATS else assumed))
    return NodeTable(rows, list(values), list(metrics), baseline, "" if by is None else f"{by}={group}", alpha)


@dataclass
class Breakdown:
    """One metric per group (rows) and model (columns), each cell against the baseline."""

    metric: str
    by: str
    groups: list[str]
    tables: dict[str, NodeTable] = field(default_factory=dict)


def breakdown(values: Mapping[str, Mapping[str, dict[str, float]]], meta: Mapping[str, NodeMeta], metric: str,
              by: str, **kw: Any) -> Breakdown:
    """:func:`node_table` of one metric for every group of ``by`` (language, cwe or split)."""
    groups = sorted({getattr(m, by) for m in meta.values()})
    return Breakdown(metric, by, groups, {g: node_table(values, meta, [metric], by=by, group=g, **kw) for g in groups})


def breakdown_markdown(b: Breakdown, min_nodes: int = 1) -> str:
    """One row per group, one column per model; models with no value in any group (not sampled) and groups where
    the baseline has fewer than ``min_nodes`` nodes are left out, and the table says how many groups that was."""
    models = next(iter(b.tables.values())).models if b.tables else []
    models = [m for m in models if any(t.get(m, b.metric, g).n_prompts for g, t in b.tables.items())]
    shown = [g for g in b.groups if b.tables[g].get(models[0], b.metric, g).n_prompts >= min_nodes] if models else []
    lines = [f"| {b.by} | " + " | ".join(models) + " |", "|---|" + "---|" * len(models)]
    for g in shown:
        t = b.tables[g]
        lines.append(f"| {g} | " + " | ".join(cell(t.get(m, b.metric, g)) for m in models) + " |")
    left = len(b.groups) - len(shown)
    if left:
        lines.append(f"\n{left} {b.by} group(s) with fewer than {min_nodes} nodes left out.")
    return "\n".join(lines)
