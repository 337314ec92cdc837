"""Look inside generation trees: an ipywidgets explorer for notebooks and a static, self-contained HTML export.

``facts`` computes what a view needs (order, labels below, critical nodes, divergence), ``html`` renders a node
and exports a forest, ``loading`` finds a run's trees, ``widget`` is the notebook explorer, ``overlay`` sets the
base and a trained model's probabilities of each branch side by side. What to look for in a
tree: docs/trees.md ("The explorer").
"""

from .facts import TreeFacts, divergence, tree_facts
from .html import (STYLE, export_html, legend_html, node_anchor, render_document, render_node_html,
                   render_tokens_html, render_tree_html, summary_table_html, task_anchor)
from .loading import find_trees_file, load_explorer_trees
from .overlay import (BranchShift, branch_shifts, load_scores, save_scores, score_branches, score_model,
                      shift_table_html)
from .widget import TreeExplorer

__all__ = [
    "BranchShift",
    "STYLE",
    "TreeExplorer",
    "TreeFacts",
    "branch_shifts",
    "divergence",
    "export_html",
    "find_trees_file",
    "legend_html",
    "load_explorer_trees",
    "load_scores",
    "node_anchor",
    "render_document",
    "render_node_html",
    "render_tokens_html",
    "render_tree_html",
    "save_scores",
    "score_branches",
    "score_model",
    "shift_table_html",
    "summary_table_html",
    "task_anchor",
    "tree_facts",
]
