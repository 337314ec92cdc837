"""Finding and loading the trees of a run for the explorer (labeled ones when notebook 02 has run)."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from ..layout import RunLayout
from ..tree import TaskTree, iter_trees


def find_trees_file(run: str | os.PathLike, iteration: int = 0, method: str | None = None) -> Path:
    """The trees of an iteration: the oracle-labeled file if it exists, else the raw trees.

    Iteration 0 is the base policy's forest (notebooks 01 and 02). Later ones are the forests a TSP method regrew
    with its own updated policy in notebook 03 (``trees/<method>/iter_<n>/``), so they need ``method``."""
    if iteration != 0 and method is None:
        raise ValueError(f"iteration {iteration}: say which method's regrown trees to show (METHOD = 'tsp-oracle' "
                         f"or 'tsp-paper'); only iteration 0 is shared by all methods")
    layout = RunLayout(Path(run))
    method = method if iteration != 0 else None  # iteration 0 is the shared forest, whichever method is named
    folder = layout.trees_dir(iteration, method)
    for path in (layout.labeled_trees(iteration, method), layout.trees(iteration, method)):
        if path.exists():
            return path
    hint = ("Run notebook 01 (build trees) and notebook 02 (label them) with the same RUN_DIR first." if iteration == 0
            else f"Notebook 03 regrows {method}'s trees for iteration {iteration} only when it trains more than "
                 f"{iteration} iteration(s).")
    raise FileNotFoundError(f"no trees in {folder} (looked for labeled.jsonl and trees.jsonl). {hint}")


def load_explorer_trees(run: str | os.PathLike, iteration: int = 0, max_tasks: int | None = None,
                        method: str | None = None) -> tuple[list[TaskTree], Path]:
    """Load up to ``max_tasks`` trees (streamed, so a cap really caps memory) and say which file they came from."""
    path = find_trees_file(run, iteration, method)
    return list(itertools.islice(iter_trees(path), max_tasks)), path
