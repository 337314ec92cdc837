"""Base vs trained on the same trees: each branch's log-probability under the base model and under a trained
adapter, from the same prefix, so a reader sees which way training moved the policy at every branch point.

Notebook 04 scores the iteration-0 trees with both models (it has them loaded) and saves the scores under
``RUN_DIR/eval/branches/``; notebook 05 reads them. A branch is a child of a branch point: its span's tokens, given
the prompt and everything above it. Its *share* is its probability relative to its siblings' (the K spans sum to
1), the picture of the choice at that node; docs/trees.md ("Base vs trained").
"""

from __future__ import annotations

import html
import math
import os
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Sequence

from ..artifacts import atomic_write_jsonl, read_jsonl
from ..tree import TaskTree
from .facts import tree_facts

__all__ = ["BranchShift", "branch_keys", "score_branches", "score_model", "save_scores", "load_scores", "branch_shifts",
           "shift_table_html"]


def branch_keys(trees: Sequence[TaskTree], critical_only: bool = False) -> list[tuple[TaskTree, str]]:
    """(tree, child id) for every child of every branch point (a node with more than one child), in tree order;
    ``critical_only``: of the critical branch points only (a secure and a vulnerable leaf below)."""
    out = []
    for tree in trees:
        facts = tree_facts(tree)
        for nid in facts.order:
            children = tree.nodes[nid].children
            if len(children) > 1 and (nid in facts.critical or not critical_only):
                out += [(tree, c) for c in children]
    return out


def score_branches(model, tokenizer, trees: Sequence[TaskTree], *, critical_only: bool = True, batch_size: int = 8,
                   max_len: int = 1024) -> dict[str, float]:
    """``"task/node"`` -> the summed log-probability of that branch's span under ``model`` given the tree's prompt
    and the spans above it (no sampling; eval mode for the pass). By default only the branches of critical branch
    points, the decisions training should move (a quarter of the branch points in a ``cpu`` run: scoring all of
    them cost ~35 s per model on 2 cores)."""
    from ..dpo import build_sequence, collate, scoring, sequence_logps  # torch: only the scoring needs it

    rows, keys = [], []
    for tree, cid in branch_keys(trees, critical_only):
        node = tree.nodes[cid]
        if not node.token_ids:
            continue
        prefix = list(tree.meta["prompt_ids"]) + tree.token_ids(node.parent)
        rows.append(build_sequence(prefix, list(node.token_ids), max_len))
        keys.append(f"{tree.task_id}/{cid}")
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    device = next(model.parameters()).device
    order = sorted(range(len(rows)), key=lambda i: len(rows[i][0]))
    out: dict[str, float] = {}
    with scoring(model):
        for k in range(0, len(order), batch_size):
            idx = order[k:k + batch_size]
            logps = sequence_logps(model, collate([rows[i] for i in idx], pad, device))
            out.update({keys[i]: float(v) for i, v in zip(idx, logps.tolist())})
    return {k: out[k] for k in keys}


def score_model(adapter, base_model, tokenizer, trees: Sequence[TaskTree], path: str | os.PathLike
                ) -> dict[str, float]:
    """:func:`score_branches` of the base model (``adapter`` None) or of ``adapter`` on it, saved to ``path``; read
    from there when a run already has it."""
    if os.path.exists(path):
        return load_scores(path)
    from ..models import applied_adapter  # torch

    with applied_adapter(base_model, adapter) as model:
        scores = score_branches(model, tokenizer, trees)
    save_scores(path, scores)
    return scores


def save_scores(path: str | os.PathLike, scores: dict[str, float]) -> None:
    atomic_write_jsonl(path, [{"branch": k, "logp": v} for k, v in scores.items()])


def load_scores(path: str | os.PathLike) -> dict[str, float]:
    return {row["branch"]: row["logp"] for row in read_jsonl(path)}


@dataclass(frozen=True)
class BranchShift:
    """One branch under both models: summed log-probs, and its share among its siblings."""

    task_id: str
    parent: str
    node_id: str
    label: str  # the oracle's label of the leaves below: one label when they agree, else "mixed"
    text: str  # the branch's first line
    logp_before: float
    logp_after: float
    share_before: float
    share_after: float
    critical: bool  # the branch point has both a secure and a vulnerable leaf below

    def to_dict(self) -> dict:
        return asdict(self)


def _shares(logps: list[float]) -> list[float]:
    top = max(logps)
    weights = [math.exp(v - top) for v in logps]
    return [w / sum(weights) for w in weights]


def _label(counts: Counter) -> str:
    seen = [k for k, n in counts.items() if n]
    return seen[0] if len(seen) == 1 else "mixed"


def branch_shifts(trees: Sequence[TaskTree], before: dict[str, float], after: dict[str, float]) -> list[BranchShift]:
    """Every branch scored by both models, grouped by branch point; a branch point with a sibling missing from
    either score set is left out (its shares would not sum to 1)."""
    out = []
    for tree in trees:
        facts = tree_facts(tree)
        for nid in facts.order:
            kids = tree.nodes[nid].children
            keys = [f"{tree.task_id}/{c}" for c in kids]
            if len(kids) < 2 or not all(k in before and k in after for k in keys):
                continue
            sb, sa = _shares([before[k] for k in keys]), _shares([after[k] for k in keys])
            for c, k, b, a in zip(kids, keys, sb, sa):
                node = tree.nodes[c]
                first = node.text.strip().splitlines()[0] if node.text.strip() else "(nothing)"
                out.append(BranchShift(tree.task_id, nid, c, _label(facts.leaf_labels[c]), first, before[k],
                                       after[k], b, a, nid in facts.critical))
    return out


def shift_table_html(shifts: Sequence[BranchShift], names: tuple[str, str] = ("base", "trained"),
                     critical_only: bool = True, max_points: int = 8) -> str:
    """An HTML table: for each branch point (critical ones only, by default), its branches' labels, first lines and
    shares under both models, the largest moves first."""
    groups: dict[tuple[str, str], list[BranchShift]] = {}
    for s in shifts:
        if s.critical or not critical_only:
            groups.setdefault((s.task_id, s.parent), []).append(s)
    ranked = sorted(groups.values(), key=lambda g: -max(abs(s.share_after - s.share_before) for s in g))
    head = (f"<tr><th>task / node</th><th>label</th><th>branch (first line)</th><th>share, {html.escape(names[0])}"
            f"</th><th>share, {html.escape(names[1])}</th></tr>")
    rows = []
    for group in ranked[:max_points]:
        for i, s in enumerate(group):
            where = f"{html.escape(s.task_id)} / {html.escape(s.parent)}" if i == 0 else ""
            arrow = "▲" if s.share_after > s.share_before + 0.005 else "▼" if s.share_after < s.share_before - 0.005 \
                else ""
            rows.append(f"<tr><td>{where}</td><td class='lbl-{s.label}'>{s.label}</td>"
                        f"<td><code>{html.escape(s.text[:90])}</code></td><td>{s.share_before:.0%}</td>"
                        f"<td>{s.share_after:.0%} {arrow}</td></tr>")
    if not rows:
        return "<p>No branch point to show (no critical node scored by both models).</p>"
    return "<table>" + head + "".join(rows) + "</table>"
