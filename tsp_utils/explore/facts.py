"""Facts about a tree that every view of it needs: walk order, leaf labels below each node, critical nodes, and
where sibling branches diverge. See docs/trees.md ("The explorer").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Sequence

from ..labels import LABELS
from ..tree import TaskTree, TreeNode

SHOWN_LABELS = (*LABELS, "unlabeled")  # the oracle's labels, and a leaf notebook 02 has not labeled yet


@dataclass(frozen=True)
class TreeFacts:
    """Per-tree facts every node view needs, computed once per tree rather than once per node (critical nodes
    need a walk of every subtree, and the export renders every node)."""

    order: tuple[str, ...]  # pre-order, children in stored order: the order a reader walks the tree in
    level: dict[str, int]  # distance from the root, for indentation (node.depth counts branchings instead)
    critical: frozenset[str]
    critical_path: frozenset[str]  # critical nodes and their ancestors: what "critical only" keeps reachable
    leaf_labels: dict[str, Counter]  # oracle labels of the leaves below each node
    divergent_from: dict[str, int]  # node id -> first divergent token of its own span (nodes with siblings)


def tree_facts(tree: TaskTree) -> TreeFacts:
    """Compute the :class:`TreeFacts` of ``tree``."""
    order = _preorder(tree)
    level: dict[str, int] = {}
    for nid in order:
        parent = tree.nodes[nid].parent
        level[nid] = 0 if parent is None else level[parent] + 1
    leaf_labels: dict[str, Counter] = {}
    for nid in reversed(order):  # children before parents
        node = tree.nodes[nid]
        leaf_labels[nid] = (Counter([node_label(node)]) if node.is_leaf
                            else sum((leaf_labels[c] for c in node.children), Counter()))
    critical = frozenset(n.id for n in tree.critical_nodes())
    path: set[str] = set()
    for nid in critical:
        path.update(n.id for n in tree.path(nid))
    divergent = {cid: start for nid in order if len(tree.nodes[nid].children) > 1
                 for cid, start in divergence(tree, nid)}
    return TreeFacts(tuple(order), level, critical, frozenset(path), leaf_labels, divergent)


def _preorder(tree: TaskTree) -> list[str]:
    """Node ids depth-first from every root; iterative because a golden path split at many risk nodes is a long
    chain."""
    roots = [n.id for n in tree.nodes.values() if n.parent is None]
    out: list[str] = []
    stack = roots[::-1]
    while stack:
        nid = stack.pop()
        out.append(nid)
        stack.extend(reversed(tree.nodes[nid].children))
    return out


def node_label(node: TreeNode) -> str:
    """A leaf's oracle label, or "unlabeled" before notebook 02 ran."""
    return node.label or "unlabeled"


def ensure_values(tree: TaskTree) -> None:
    """Values are derived from verdicts; fill them in when a labeled tree was saved without them, so the explorer
    never shows a blank value for a tree the oracle has seen. Unlabeled trees are left alone: there every value
    would be a meaningless 0."""
    labeled = any(n.verdict for n in tree.leaves())
    if labeled and any(n.value is None for n in tree.nodes.values()) and tree.ROOT in tree.nodes:
        tree.compute_values()


# ------------------------------------------------------------------------------------------------- divergence


def divergence(tree: TaskTree, node_id: str) -> list[tuple[str, int]]:
    """For each child of ``node_id``: (child id, index in the child's own span of its first divergent token).

    Siblings share everything before their spans, so they can only differ inside them. A child's divergent tokens
    start where it leaves its *closest* sibling (the longest common token prefix with any other child): before that
    point some sibling made the same choices, from there on the choices are its own. With one child there is
    nothing to diverge from, so the index is the span's length (no token highlighted).
    """
    children = [tree.nodes[c] for c in tree.nodes[node_id].children]
    out = []
    for child in children:
        keys = _token_keys(child)
        others = [_token_keys(o) for o in children if o is not child]
        out.append((child.id, max((_common_prefix_len(keys, o) for o in others), default=len(keys))))
    return out


def _token_keys(node: TreeNode) -> Sequence[Any]:
    """Token ids where present: equal text can come from different tokenisations, and it is the token choice that
    diverges. Text tokens are the fallback for hand-made or legacy nodes without ids."""
    return node.token_ids or node.token_texts


def _common_prefix_len(a: Sequence[Any], b: Sequence[Any]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n
