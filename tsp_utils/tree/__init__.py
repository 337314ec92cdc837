"""Generation trees, the data structure at the heart of TSP: records, tasks, and growing them (stage 01).

``records`` holds the tree itself and its JSONL files, ``tasks`` the tasks and the golden response, ``grow`` the
builder, ``recovery`` the comparison with the paper's risk lines. Labeling (stage 02) is :mod:`tsp_utils.labeling`;
its names are re-exported here too. What a tree is and how it grows: docs/trees.md.
"""

from __future__ import annotations

import importlib
from typing import Any

from .grow import TreeBuilder, build_tree_file, grow_trees
from .records import NodeKind, RiskNode, TaskTree, TreeNode, iter_trees, load_trees, save_trees
from .recovery import recovery_rows
from .spans import token_texts
from .tasks import TreeTask, extract_code, golden_response, select_tasks, tasks_from_pairs

_LABELING = ("LabelCounts", "branch_start", "forest_stats", "label_tree_file", "label_trees", "leaf_branch")


def __getattr__(name: str) -> Any:
    # Lazy, because tsp_utils.labeling imports this package: an eager import here would be circular when
    # labeling is imported first.
    if name in _LABELING:
        return getattr(importlib.import_module("tsp_utils.labeling"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["NodeKind", "RiskNode", "TaskTree", "TreeBuilder", "TreeNode", "TreeTask", "build_tree_file",
           "extract_code", "golden_response", "grow_trees", "iter_trees", "load_trees", "recovery_rows",
           "save_trees", "select_tasks", "tasks_from_pairs", "token_texts", *_LABELING]
