"""Stage 02, labeling trees: the oracle judges every leaf's program by what its own branch wrote.

A leaf's findings are attributed to its branch or to the prefix it shares with its siblings, and findings the
golden program has too are set apart as background. See docs/trees.md ("Step 3: labeling leaves").
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from .labels import LABELS, UNKNOWN, Label
from .oracle import Branch, attribute_batch, finding_key
from .tree.records import TaskTree, load_trees, save_trees
from .tree.tasks import extract_code


@dataclass
class LabelCounts:
    """What :func:`label_trees` found: leaf labels overall and per language, and the decisions that matter."""

    total: dict[Label, int]
    by_language: dict[str, dict[Label, int]]
    unknown_unfinished: int  # unknown leaves whose branch was cut before it was complete (token budget)
    critical_nodes: int  # branch points with both a secure and a vulnerable leaf below
    branch_points: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def branch_start(tree: TaskTree, node_id: str) -> int:
    """Index into ``tree.path(node_id)`` of the first node of this leaf's own branch: the child of its nearest
    ancestor branch point (0 when the path never branches)."""
    path = tree.path(node_id)
    for i in range(len(path) - 1, 0, -1):
        if len(path[i - 1].children) > 1:
            return i
    return 0


def leaf_branch(tree: TaskTree, leaf_id: str) -> Branch:
    """The leaf's program split into (shared prefix, own continuation), as code for the oracle."""
    path = tree.path(leaf_id)
    cut = branch_start(tree, leaf_id)
    prefix = "".join(n.text for n in path[:cut] if n.kind != "root")
    code, offset = extract_code(tree.response_text(leaf_id))
    split = min(max(0, len(prefix) - offset), len(code))
    return Branch(code[:split], code[split:], tree.language, tree.context, id=f"{tree.task_id}/{leaf_id}")


def label_trees(trees: list[TaskTree], cache_dir=None, progress: bool = True) -> LabelCounts:
    """Label every leaf with the oracle (branch-attributed), then recompute node values.

    A leaf is judged by the findings in its own continuation, minus those the golden program has too (same
    analyzer, rule and source line): those are kept as ``background`` (docs/trees.md says why)."""
    jobs = [(tree, leaf.id) for tree in trees for leaf in tree.leaves()]
    branches = [leaf_branch(t, leaf_id) for t, leaf_id in jobs]
    verdicts = attribute_batch(branches, cache_dir=cache_dir, progress=progress)
    programs = [b.prefix + b.continuation for b in branches]
    background: dict[str, Counter] = {}
    for (tree, leaf_id), code, verdict in zip(jobs, programs, verdicts):
        if tree.nodes[leaf_id].kind == "golden":
            background[tree.task_id] = Counter(finding_key(f, code) for f in verdict.findings + verdict.prefix_findings)
    verdicts = [v.without(background.get(t.task_id, Counter()), code)
                for (t, _), code, v in zip(jobs, programs, verdicts)]
    total: Counter = Counter()
    by_language: dict[str, Counter] = {}
    unknown_unfinished = 0
    for (tree, leaf_id), verdict in zip(jobs, verdicts):
        tree.nodes[leaf_id].verdict = verdict
        total[verdict.label] += 1
        by_language.setdefault(tree.language, Counter())[verdict.label] += 1
        unknown_unfinished += verdict.label == UNKNOWN and tree.nodes[leaf_id].complete is False
    for tree in trees:
        tree.compute_values()
    return LabelCounts(dict(total), {k: dict(v) for k, v in by_language.items()}, unknown_unfinished,
                       sum(len(t.critical_nodes()) for t in trees), sum(len(t.branch_points()) for t in trees))


def forest_stats(trees: list[TaskTree], labels: LabelCounts | None = None) -> dict[str, Any]:
    """Totals over a forest: size, depth, branching (the golden continuation counts as one branch of a branch
    point, so K samples make K+1), tokens the policy generated, and, given :func:`label_trees`' counts, the
    critical decision nodes (branch points with both a secure and a vulnerable leaf below)."""
    stats = [t.stats() for t in trees]
    points = sum(s["branch_points"] for s in stats)
    totals = {
        "trees": len(trees),
        "nodes": sum(s["nodes"] for s in stats),
        "max_depth": max((s["depth"] for s in stats), default=0),
        "trees_reaching_depth_2": sum(s["depth"] >= 2 for s in stats),
        "branch_points": points,
        "branches_per_branch_point": round(sum(s["branches_per_node"] * s["branch_points"] for s in stats)
                                           / max(1, points), 2),
        "tokens_generated": sum(s["tokens_generated"] for s in stats),
        "unfinished_branches": sum(s["unfinished_branches"] for s in stats),
    }
    if labels is not None:
        totals.update(critical_nodes=labels.critical_nodes,
                      critical_share=round(labels.critical_nodes / max(1, labels.branch_points), 3),
                      leaf_labels=labels.total)
    return totals


def label_tree_file(src: str | os.PathLike, dst: str | os.PathLike, cache_dir=None,
                    progress: bool = True) -> LabelCounts:
    """Stage 02 in one call: label the trees in ``src`` and write them, verdicts and values, to ``dst``."""
    trees = load_trees(src)
    counts = label_trees(trees, cache_dir=cache_dir, progress=progress)
    save_trees(dst, trees)
    return counts


def label_table(counts: LabelCounts) -> str:
    """Leaf labels per language and in all, as a Markdown table (notebook 02)."""
    rows = ["| language | " + " | ".join(LABELS) + " |", "|---|" + "---:|" * len(LABELS)]
    for language, labels in [*sorted(counts.by_language.items()), ("all", counts.total)]:
        rows.append(f"| {language} | " + " | ".join(str(labels.get(label, 0)) for label in LABELS) + " |")
    return "\n".join(rows) + f"\n\nunknown because sampling stopped before the branch was complete: {counts.unknown_unfinished}\n"
