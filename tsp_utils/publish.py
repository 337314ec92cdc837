"""``python -m tsp_utils.report publish RUN``: a run's results into the README (between the results markers) and
its figures into ``docs/``. The node-level table comes first, then whole programs, then unseen CWEs and transfer,
then what every method trained on; each with one sentence that reads it, written from ``results.json`` so that it
never disagrees with the table beside it."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

from .artifacts import atomic_write_text
from .layout import RunLayout, layout

__all__ = ["README_START", "README_END", "node_reading", "program_reading", "unseen_reading", "transfer_reading",
           "run_line", "publish"]

README_START, README_END = "<!-- results:start -->", "<!-- results:end -->"
FIGURES = {"branch_shift.png": "Tree branches, base vs trained", "spr_per_method.png": "SPR@1 per method"}


def _pts(x: float) -> str:
    return f"{100 * x:+.1f}"


def _compare(row: dict, unit: str = "points") -> str:
    """``Δ -3.1 points [-8.0, +2.0], inside the noise (MDE 10.3)`` for a row against the base model."""
    d = row.get("diff")
    if not d:
        return "not compared"
    verdict = "inside the noise" if row.get("noise") else f"beyond the noise (p={row.get('p_value', math.nan):.2g})"
    mde = (row.get("mde") or {}).get("mde")
    mde_text = f"; the smallest change this run could detect: {100 * mde:.1f} {unit}" if mde == mde and mde else ""
    return f"Δ {_pts(d[0])} {unit} [{_pts(d[1])}, {_pts(d[2])}], {verdict}{mde_text}"


def _rows(table: list[dict], metric: str, group: str = "all") -> dict[str, dict]:
    return {r["method"]: r for r in table if r["metric"] == metric and r.get("group", "all") == group}


def node_reading(nodes: dict[str, Any]) -> str:
    """One sentence per measure (the sampled insecure share, the preference) at the held-out nodes: base, then
    every model against it."""
    out = []
    temps = nodes.get("temperatures") or []
    if temps:
        metric = f"insecure@{temps[0]:g}"
        rows = {m: r for m, r in _rows(nodes["table"], metric).items() if r["n_prompts"]}
        if "base" in rows and len(rows) > 1:
            parts = [f"{m} {100 * r['estimate']:.1f}% ({_compare(r)})" for m, r in rows.items() if m != "base"]
            out.append(f"At the {nodes.get('choice_nodes', rows['base']['n_prompts'])} held-out risk nodes the oracle "
                       f"can judge, the base model wrote the insecure line in {100 * rows['base']['estimate']:.1f}% "
                       f"of its samples at T={temps[0]:g}; " + "; ".join(parts) + ".")
            # where the insecure share went: to secure lines, or to lines the oracle could not judge
            for m in (m for m in rows if m != "base"):
                moves = []
                for kind in ("secure", "unknown"):
                    r = _rows(nodes["table"], f"{kind}@{temps[0]:g}").get(m)
                    if r and r.get("diff"):
                        moves.append(f"the {kind} share moved {_pts(r['diff'][0])} points "
                                     f"({'inside' if r.get('noise') else 'beyond'} the noise)")
                if moves:
                    out.append(f"For {m}, " + " and ".join(moves) + ".")
    acc = _rows(nodes["table"], "pref-acc")
    if "base" in acc:
        parts = [f"{m} {100 * r['estimate']:.1f}% ({_compare(r)})" for m, r in acc.items() if m != "base"]
        out.append(f"The base model finds the secure line the more likely at {100 * acc['base']['estimate']:.1f}% of "
                   f"the {acc['base']['n_prompts']} nodes" + ("; " + "; ".join(parts) if parts else "") + ".")
    return " ".join(out)


def program_reading(table: list[dict]) -> str:
    """Whole programs: how many valid programs SPR@1 rests on, and whether any method differs from base."""
    spr = _rows(table, "spr@1")
    if "base" not in spr:
        return ""
    moved = [m for m, r in spr.items() if m != "base" and r.get("noise") is False]
    ns = ", ".join(f"{m} {r['n_prompts']}" for m, r in spr.items())
    verdict = ("no method's SPR@1 differs from the base model's beyond the noise" if not moved
               else f"{', '.join(moved)} differ(s) from the base model beyond the noise")
    return f"Whole programs: {verdict}; SPR@1 rests on the valid programs only ({ns})."


def unseen_reading(unseen: dict[str, dict]) -> str:
    """TSP-oracle (else the first method) on unseen-CWE prompts, against SFT, beside the paper's 24.5%."""
    if not unseen:
        return "No SFT model in this run: no unseen-CWE comparison."
    name = "tsp-oracle" if "tsp-oracle" in unseen else next(iter(unseen))
    r = unseen[name]
    head = (f"On the {r['n_prompts']} unseen-CWE prompt{'' if r['n_prompts'] == 1 else 's'} {name}'s vulnerability rate was "
            f"{100 * r['method_rate']:.0f}% against SFT's {100 * r['base_rate']:.0f}%")
    if r.get("reduction") is None or r["reduction"] != r["reduction"]:
        return head + "; no relative reduction is defined (SFT wrote no vulnerable unseen-CWE program); the paper " \
                      "reports 24.5%."
    return (head + f": a relative reduction of {100 * r['reduction']:+.0f}% [{100 * r['low']:+.0f}, "
            f"{100 * r['high']:+.0f}], {'inside the noise' if r['noise'] else 'beyond the noise'} (the paper: 24.5%).")


def transfer_reading(nodes: dict[str, Any]) -> str:
    """The C/C++-trained adapter's preference at each other language's nodes, against the base model."""
    moved = nodes.get("transfer", {}).get("pref-acc", {})
    parts = []
    for lang, rows in moved.items():
        for r in rows:
            if r["method"] != "base" and r.get("diff") and lang not in ("c", "cpp"):
                parts.append(f"{lang} {_compare(r)}")
    if not parts:
        return "The transfer experiment did not run (it is the `cpu-full` profile's)."
    return "Trained on C/C++ trees only, the preference at the other languages' nodes: " + "; ".join(parts) + "."


def _section(text: str, title: str) -> str:
    """The body of the report's ``## title`` section, up to the next one ('' when there is none)."""
    marker = f"## {title}"
    if marker not in text:
        return ""
    return text.split(marker, 1)[1].split("\n", 1)[1].split("\n## ", 1)[0].strip()


def run_line(files: RunLayout, results: dict[str, Any], readme: Path) -> str:
    """Which run this is: profile, model, seed, code version, and every notebook's wall time."""
    steps = [json.loads(p.read_text()) for p in sorted(files.steps.glob("*.json"))]
    total = sum(st.get("wall_s", 0.0) for st in steps)
    per_notebook = ", ".join(f"{st['notebook'][:2]} {st['wall_s']:.0f} s" for st in steps if "wall_s" in st)
    codes = sorted({st.get("code") or "unknown" for st in steps})
    # "-dirty": files git tracks had been edited, so the commit named is not the whole story
    code = f"code `{codes[0]}`" if len(codes) == 1 else "code " + ", ".join(f"`{c}`" for c in codes) + " (mixed)"
    where = files.root.relative_to(readme.parent) if files.root.is_relative_to(readme.parent) else files.root
    return (f"From a reference run of the `{results['profile']}` profile ({results['model']}, seed {results['seed']}; "
            f"{code}; all notebooks {total / 60:.0f} min on 2 CPU cores: {per_notebook}), regenerated with "
            f"`python -m tsp_utils.report publish {where}`.")


def publish(run: RunLayout | Path, docs: Path, readme: Path) -> None:
    """Write the run's results between the README's results markers and copy its figures into ``docs/``."""
    files = layout(run)
    results = json.loads(files.results.read_text())
    text = files.report.read_text()
    docs.mkdir(parents=True, exist_ok=True)
    figures = []
    for name, title in FIGURES.items():
        if files.figure(name).exists():
            shutil.copyfile(files.figure(name), docs / f"published_{name}")
            figures.append(f"![{title}](docs/published_{name})")
    nodes = results.get("nodes") or {}
    node_text = _section(text, "Node-level: the choice at held-out risk nodes")
    programs = _section(text, "Main table (whole programs)").split("\n\nSPR@1:", 1)[0].strip()
    parts = [README_START, run_line(files, results, readme), ""]
    if nodes:
        table = node_text.split("\n\n**", 1)[0]  # the scope line and the main node table, not the breakdowns
        parts += ["### At held-out risk nodes", "", node_reading(nodes), "", table.split("\n\n", 1)[-1], ""]
    parts += ["### Whole programs", "", program_reading(results.get("table", [])), "", programs, "",
              "### Unseen CWEs and transfer", "", unseen_reading(results.get("unseen_reduction_vs_sft", {})),
              transfer_reading(nodes), "", "### What every method trained on", "",
              _section(text, "Training: what every method was given"), "", *figures, "",
              "The model is 50x smaller than the paper's and our static oracle stands in for CodeQL: these numbers "
              "are not comparable with the paper's (TSP 75.8, SFT 57.0 SPR@1). The full report of the run, with "
              "every breakdown (per language, per CWE, seen vs unseen), is its `report.md`.", README_END]
    body = readme.read_text()
    summary = "\n".join(parts)
    if README_START in body:
        head, rest = body.split(README_START, 1)
        body = head + summary + rest.split(README_END, 1)[1]
    else:
        body += "\n" + summary + "\n"
    atomic_write_text(readme, body)
