"""matplotlib figures shared by the notebooks (each returns the Figure; the notebook decides where to save it).

One palette for every figure: a method or a label has the same colour wherever it is drawn
(Okabe-Ito colours, readable with colour-blindness), and figures are sized to be read at notebook width
(``WIDTH`` inches at ``DPI``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D
from matplotlib.transforms import offset_copy


SECURE, VULNERABLE, UNKNOWN = "#009E73", "#D55E00", "#999999"
GOLDEN, UNLABELED = "#E69F00", "#56B4E9"
LABEL_COLOURS = {"secure": SECURE, "vulnerable": VULNERABLE, "unknown": UNKNOWN, "unlabeled": UNLABELED,
                 "golden": GOLDEN}
METHOD_COLOURS = {"base": "#666666", "sft": "#56B4E9", "spin": "#CC79A7", "tsp-paper": "#E69F00",
                  "tsp-oracle": "#0072B2"}
WIDTH, DPI = 7.5, 110  # 825 px: the width of a notebook's output area
TITLE_PAD = 20  # points between the axes and a title, room for a one-line legend above the axes


def method_colour(name: str) -> str:
    """The colour of a method everywhere ("tsp-oracle@1" and "transfer-c_cpp" take their method's colour)."""
    base = name.split("@")[0]
    if base.startswith("transfer-"):
        base = "tsp-oracle"
    return METHOD_COLOURS.get(base, "#000000")


def _legend_above(ax, ncol: int = 3, **kwargs) -> None:
    """A legend in the margin just above the axes (under a title set with ``pad=TITLE_PAD``): it covers no data."""
    above = offset_copy(ax.transAxes, fig=ax.figure, x=0, y=2, units="points")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1), bbox_transform=above, ncol=ncol, frameon=False, fontsize=8,
              borderaxespad=0, **kwargs)


def _label_bars(ax, xs, values, ns=None, fmt: str = "{:.0%}") -> None:
    """Write each bar's value (and its n) on top of it, so a bar at 0 is still seen and a value resting on few
    samples says so."""
    for i, (x, v) in enumerate(zip(xs, values)):
        if v != v:  # NaN: no value
            continue
        text = fmt.format(v) + (f"\nn={ns[i]}" if ns is not None and ns[i] is not None else "")
        ax.annotate(text, (x, v), textcoords="offset points", xytext=(0, 2), ha="center", va="bottom", fontsize=7)


def plot_fidelity(report, group: str = "language", title: str | None = None):
    """Recall (vulnerable versions flagged) next to false alarms (fixed versions flagged), per group. Per CWE the
    bars lie horizontally, one row per CWE and language, so the labels stay readable however many there are."""
    rows = [r for r in report.rows if r.group == group]
    labels = [r.language if group == "language" else f"{r.cwe} ({r.language})" for r in rows]
    width, ys = 0.4, list(range(len(rows)))
    series = (("recall: vulnerable version flagged", [r.recall for r in rows], VULNERABLE, -width / 2),
              ("false alarm: fixed version flagged", [r.false_alarm for r in rows], UNKNOWN, width / 2))
    if group == "cwe":
        fig, ax = plt.subplots(figsize=(WIDTH, 0.32 * len(rows) + 1.4))
        for name, values, colour, shift in series:
            ax.barh([y + shift for y in ys], values, width, color=colour, label=name)
        ax.set_yticks(ys, labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.05)
        ax.set_xlabel("share of pairs")
    else:
        fig, ax = plt.subplots(figsize=(WIDTH * 0.8, 3.4))
        for name, values, colour, shift in series:
            xs = [x + shift for x in ys]
            ax.bar(xs, values, width, color=colour, label=name)
            _label_bars(ax, xs, values, [r.n for r in rows] if shift < 0 else None)
        ax.set_xticks(ys, labels, fontsize=9)
        ax.set_ylim(0, 1.2)
        ax.set_ylabel("share of pairs")
    for y, r in zip(ys, rows):
        if not r.reachable:
            ax.annotate("no rule", (0.01, y) if group == "cwe" else (y, 0.02), fontsize=7, va="center")
    _legend_above(ax, ncol=2)
    ax.set_title(title or f"Oracle fidelity per {group}", fontsize=10, pad=TITLE_PAD)
    fig.tight_layout()
    return fig


def plot_label_counts(counts: dict[str, dict[str, int]], title: str):
    """Stacked secure / vulnerable / unknown bars per group (e.g. per language)."""
    groups = list(counts)
    fig, ax = plt.subplots(figsize=(WIDTH * 0.7, 3.2))
    bottom = [0] * len(groups)
    for label in ("secure", "vulnerable", "unknown"):
        values = [counts[g].get(label, 0) for g in groups]
        ax.bar(groups, values, bottom=bottom, color=LABEL_COLOURS[label], label=label)
        bottom = [b + v for b, v in zip(bottom, values)]
    _label_bars(ax, range(len(groups)), bottom, fmt="{:d}")
    ax.set_ylim(0, max(bottom, default=1) * 1.2 + 1)
    ax.set_ylabel("leaves")
    ax.set_title(title, fontsize=10, pad=TITLE_PAD)
    _legend_above(ax)
    fig.tight_layout()
    return fig


def save(fig, path: str | Path) -> Path:
    """Save atomically-enough for figures: write to a temp name and rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp" + path.suffix)
    fig.savefig(tmp, dpi=DPI, bbox_inches="tight")
    tmp.replace(path)
    return path


def draw_tree(tree, max_label: int = 28, title: str | None = None):
    """One task's tree, root at the left and leaves stacked downwards (a forest of K-way branch points is far
    wider than deep): golden nodes in gold, sampled branches coloured by their leaf verdict."""
    positions: dict[str, tuple[float, float]] = {}
    next_row = [0.0]

    def place(node_id: str, level: int) -> float:
        node = tree.nodes[node_id]
        if not node.children:
            y = -next_row[0]
            next_row[0] += 1
        else:
            ys = [place(c, level + 1) for c in node.children]
            y = sum(ys) / len(ys)
        positions[node_id] = (float(level), y)
        return y

    place(tree.ROOT, 0)
    depth = max(x for x, _ in positions.values())
    fig, ax = plt.subplots(figsize=(min(2.4 * (depth + 1) + 0.5, WIDTH * 1.2), max(3.0, 0.42 * next_row[0] + 0.8)))
    for node_id, (x, y) in positions.items():
        node = tree.nodes[node_id]
        if node.parent is not None:
            px, py = positions[node.parent]
            ax.plot([px, x], [py, y], color="#bbbbbb", zorder=1)
    for node_id, (x, y) in positions.items():
        node = tree.nodes[node_id]
        label = node.label
        colour = LABEL_COLOURS["golden" if node.kind == "golden" and label is None else label or "unlabeled"]
        text = "prompt" if node.kind == "root" else " ".join(node.text.split())[:max_label]
        if node.risk is not None:
            text += f"\n⚑ risk L{node.risk.line} ({node.risk.method})"
        ax.text(x, y, text, ha="center", va="center", fontsize=7, family="monospace",
                bbox=dict(boxstyle="round", fc=colour, ec="black" if len(node.children) > 1 else "none", alpha=0.85))
    ax.set_xlim(-0.6, depth + 0.6)
    ax.set_ylim(-next_row[0] + 0.4, 0.6)
    ax.set_axis_off()
    ax.set_title(title or f"{tree.task_id} ({tree.language}, {tree.cwe})", fontsize=9, pad=TITLE_PAD)
    handles = [plt.Rectangle((0, 0), 1, 1, color=LABEL_COLOURS[k]) for k in ("golden", "secure", "vulnerable",
                                                                             "unknown", "unlabeled")]
    _legend_above(ax, ncol=5, handles=handles, labels=["golden path", "secure leaf", "vulnerable leaf",
                                                      "unknown leaf", "sampled, inner"])
    fig.tight_layout()
    return fig


def plot_training(manifests: dict[str, list[dict]]):
    """Training curves, small multiples: one column per self-play iteration, one row per quantity (the loss; the
    policy's summed log-probs of the chosen side, solid, and the rejected side, dashed, so that both falling shows;
    the reward margin; the held-out node accuracy where it was evaluated), one colour per method. x: optimizer step."""
    iterations = sorted({m["iteration"] for runs in manifests.values() for m in runs}) or [1]
    rows = [("loss", "loss\n(SFT: cross-entropy)"), ("logps", "summed log-prob\n(— chosen, -- rejected)"),
            ("rewards/margins", "reward margin\n(chosen − rejected)"), ("eval/node_accuracy", "held-out node\naccuracy")]
    fig, axes = plt.subplots(len(rows), len(iterations), figsize=(3.6 * len(iterations) + 2.2, 2.1 * len(rows)),
                             sharex="col", sharey="row", squeeze=False)
    for i, (method, runs) in enumerate(manifests.items()):
        colour = method_colour(method)
        for m in runs:
            col = iterations.index(m["iteration"])

            def series(key):
                pts = [(s["step"], s[key]) for s in m["steps"] if s.get(key) is not None]
                return [x for x, _ in pts], [y for _, y in pts]

            for row, (key, _) in enumerate(rows):
                ax = axes[row][col]
                if key == "logps":
                    ax.plot(*series("logps/chosen"), color=colour, lw=1.2)
                    ax.plot(*series("logps/rejected"), color=colour, lw=1.2, ls="--")
                elif key.startswith("eval/"):
                    ax.plot(*series(key), color=colour, lw=1.2, marker="o", ms=3)
                else:
                    ax.plot(*series(key), color=colour, lw=1.2)
    for row, (key, label) in enumerate(rows):
        axes[row][0].set_ylabel(label, fontsize=8)
        for col, it in enumerate(iterations):
            ax = axes[row][col]
            ax.tick_params(labelsize=7)
            if key == "eval/node_accuracy":
                ax.axhline(0.5, color="#bdbdbd", lw=0.8, ls=":")
            if row == 0:
                ax.set_title(f"iteration {it}", fontsize=9)
            if row == len(rows) - 1:
                ax.set_xlabel("optimizer step", fontsize=8)
    handles = [Line2D([], [], color=method_colour(m), lw=2, label=m) for m in manifests]
    handles += [Line2D([], [], color="black", lw=1.2, label="chosen"),
                Line2D([], [], color="black", lw=1.2, ls="--", label="rejected")]
    fig.tight_layout(rect=(0, 0, 1 - 1.9 / fig.get_figwidth(), 1))
    fig.legend(handles=handles, loc="center left", bbox_to_anchor=(1 - 1.85 / fig.get_figwidth(), 0.5), fontsize=8,
               frameon=False)
    return fig


def plot_method_bars(table, metric: str = "spr@1", title: str | None = None):
    """One bar per method (in its colour) with its bootstrap confidence interval, its value and its n."""
    rows = [table.get(m, metric) for m in table.methods]
    fig, ax = plt.subplots(figsize=(WIDTH * 0.8, 3.6))
    xs = list(range(len(rows)))
    est = [r.estimate for r in rows]
    err = [[r.estimate - r.low for r in rows], [r.high - r.estimate for r in rows]]
    ax.bar(xs, est, color=[method_colour(r.method) for r in rows], yerr=err, capsize=4, ecolor="#333333")
    ax.scatter(xs, est, color=[method_colour(r.method) for r in rows], zorder=3, s=12)  # a bar at 0 still shows
    _label_bars(ax, [x + 0.22 for x in xs], est, [r.n_prompts for r in rows])
    ax.set_xticks(xs, [r.method for r in rows], fontsize=9)
    ax.set_ylim(0, 1.25)
    ax.set_ylabel(metric)
    ax.set_title(title or f"{metric} per method (95% bootstrap CI over prompts)", fontsize=10)
    fig.tight_layout()
    return fig


def _estimate(value) -> float:
    """A plain rate, the estimate of a cell that carries its CI (evaluation.tables.ResultRow) or the rate of a
    metrics.RateRow; NaN for None."""
    value = getattr(value, "estimate", getattr(value, "rate", value))
    return float("nan") if value is None else float(value)


def plot_heatmap(matrix: dict[str, dict[str, Any]], title: str, row_label: str = "", fmt: str = "{:.0%}",
                 cmap: str = "RdYlGn_r"):
    """rows x columns of rates (NaN cells left blank); used for per-CWE vulnerability and the transfer matrix.
    Cells may be ResultRows (the transfer matrix) or RateRows (per-CWE rates): their estimate is drawn and the count
    it rests on written under it, so a 100% from one prompt does not look like one from twenty."""
    rows = list(matrix)
    cols = sorted({c for r in matrix.values() for c in r})
    data = np.array([[_estimate(matrix[r].get(c)) for c in cols] for r in rows], dtype=float)
    counts = {(i, j): getattr(matrix[r].get(c), "n_judged", getattr(matrix[r].get(c), "n_prompts", None))
              for i, r in enumerate(rows) for j, c in enumerate(cols)}
    fig, ax = plt.subplots(figsize=(max(5, 0.6 * len(cols) + 2), max(2.5, 0.45 * len(rows) + 1.2)))
    im = ax.imshow(np.ma.masked_invalid(data), cmap=cmap, vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(cols)), cols, rotation=60, fontsize=7, ha="right")
    ax.set_yticks(range(len(rows)), rows, fontsize=8)
    for i in range(len(rows)):
        for j in range(len(cols)):
            if not np.isnan(data[i, j]):
                n = counts[(i, j)]
                ax.text(j, i, fmt.format(data[i, j]) + ("" if n is None else f"\nn={n}"), ha="center",
                        va="center", fontsize=6)
    ax.set_ylabel(row_label)
    ax.set_title(title, fontsize=9)
    fig.colorbar(im, ax=ax, fraction=0.03)
    fig.tight_layout()
    return fig


def plot_iteration_curve(curve: dict[str, list[Any]], metric: str = "SPR@1"):
    """One line per method; points that carry a CI (evaluation.tables.ResultRow) get it as an error bar. Methods are
    shifted a little sideways so that their bars do not hide each other."""
    fig, ax = plt.subplots(figsize=(WIDTH * 0.75, 3.4))
    for k, (method, points) in enumerate(curve.items()):
        x = np.arange(len(points)) + 0.06 * (k - (len(curve) - 1) / 2)
        y = np.array([_estimate(p) for p in points])
        low = np.array([getattr(p, "low", np.nan) if p is not None else np.nan for p in points], dtype=float)
        high = np.array([getattr(p, "high", np.nan) if p is not None else np.nan for p in points], dtype=float)
        bars = None if np.isnan(low).all() else np.nan_to_num(np.vstack([y - low, high - y]))
        ax.errorbar(x, y, yerr=bars, marker="o", capsize=3, label=method, color=method_colour(method))
        for xi, yi, p in zip(x, y, points):  # how many prompts stand behind each point
            if getattr(p, "n_prompts", None) is not None and not np.isnan(yi):
                ax.annotate(f"n={p.n_prompts}", (xi, yi), textcoords="offset points", xytext=(5, 4), fontsize=6)
    ax.set_xticks(range(max((len(p) for p in curve.values()), default=0)))
    ax.set_xlabel("self-play iteration (0 = base model)")
    ax.set_ylabel(metric)
    ax.set_ylim(0, 1.05)
    _legend_above(ax, ncol=4)
    ax.set_title(f"{metric} vs self-play iteration (95% CI over prompts)", fontsize=9, pad=TITLE_PAD)
    fig.tight_layout()
    return fig


def plot_packed_pair(packed, n_prompt: int, title: str | None = None):
    """The attention mask of one packed DPO pair (``dpo.pack``): which position may read which.

    The row holds the prompt, the shared golden prefix, the chosen branch and then the rejected branch's own
    tokens; the rejected branch reads the shared part and itself, never the chosen branch."""
    allowed = packed.allowed().numpy()
    n, s, a = len(packed.input_ids), packed.n_shared, packed.len_chosen
    # colour each allowed cell by the segment of the key position it reads
    segment = np.zeros(n)
    segment[n_prompt:s], segment[s:a], segment[a:] = 1, 2, 3
    image = np.where(allowed, segment[None, :] + 1, 0)
    cmap = ListedColormap(["white", "#90a4ae", "#1565c0", SECURE, VULNERABLE])
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    ax.imshow(image, cmap=cmap, vmin=0, vmax=4, interpolation="nearest")
    for edge in (n_prompt, s, a):
        ax.axvline(edge - 0.5, color="black", lw=0.6)
        ax.axhline(edge - 0.5, color="black", lw=0.6)
    ax.set_xlabel("key position (what is read)")
    ax.set_ylabel("query position (what is predicted)")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in cmap.colors[1:]]
    ax.legend(handles, [f"prompt ({n_prompt})", f"shared prefix ({s - n_prompt})", f"chosen branch ({a - s})",
                        f"rejected branch ({n - a})"], fontsize=7, loc="upper right")
    ax.set_title(title or f"one pair, one row: {n} tokens instead of {n + s}")
    fig.tight_layout()
    return fig


def plot_branch_shift(shifts, names: tuple[str, str] = ("base", "trained")):
    """Each tree branch's share among its siblings under the base model (x) and the trained one (y), coloured by
    the oracle's label of the leaves below it: secure branches above the diagonal and vulnerable ones below are
    training moving the policy the right way."""
    fig, ax = plt.subplots(figsize=(WIDTH * 0.6, WIDTH * 0.6), dpi=DPI)
    ax.plot([0, 1], [0, 1], color="#bbbbbb", lw=1, zorder=0)
    colours = {**LABEL_COLOURS, "mixed": "#000000"}
    for label in ("secure", "vulnerable", "unknown", "mixed", "unlabeled"):
        pts = [(s.share_before, s.share_after) for s in shifts if s.label == label]
        if pts:
            xs, ys = zip(*pts)
            up = sum(y > x for x, y in pts)
            ax.scatter(xs, ys, s=18, alpha=0.75, color=colours[label], label=f"{label} (n={len(pts)}, {up} up)")
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel=f"share among siblings, {names[0]}",
           ylabel=f"share among siblings, {names[1]}")
    ax.set_title(f"Tree branches: {names[0]} vs {names[1]}", pad=TITLE_PAD + 10)
    _legend_above(ax, ncol=2)
    fig.tight_layout()
    return fig
