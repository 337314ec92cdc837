"""Look inside generation trees: an ipywidgets explorer for notebooks and a static, self-contained HTML export.

``facts`` computes what a view needs (order, labels below, critical nodes, divergence), ``html`` renders a node
and exports a forest, ``loading`` finds a run's trees, ``widget`` is the notebook explorer. What to look for in a
tree: docs/trees.md ("The explorer").
"""

from .facts import TreeFacts, divergence, tree_facts
from .html import (STYLE, export_html, legend_html, node_anchor, render_document, render_node_html,
                   render_tokens_html, render_tree_html, summary_table_html, task_anchor)
from .loading import find_trees_file, load_explorer_trees
from .widget import TreeExplorer

__all__ = [
    "STYLE",
    "TreeExplorer",
    "TreeFacts",
    "divergence",
    "export_html",
    "find_trees_file",
    "legend_html",
    "load_explorer_trees",
    "node_anchor",
    "render_document",
    "render_node_html",
    "render_tokens_html",
    "render_tree_html",
    "summary_table_html",
    "task_anchor",
    "tree_facts",
]
