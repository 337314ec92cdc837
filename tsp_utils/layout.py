"""Where every artifact of a run lives under ``RUN_DIR``: the one place that spells those paths.

Notebooks and stage modules ask a :class:`RunLayout` for a path instead of joining strings, so a file is named
once and a reader can see the whole run folder here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RunLayout:
    """The files of one run, rooted at ``root`` (an existing RUN_DIR, see :func:`tsp_utils.config.run_dir`)."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    # ---- the runner and the run's configuration
    @property
    def config(self) -> Path:
        return self.root / "config.json"

    @property
    def summary(self) -> Path:
        return self.root / "summary.md"

    @property
    def steps(self) -> Path:
        return self.root / "steps"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    def stage_summary(self, stage: str) -> Path:
        """The short Markdown summary a notebook leaves for ``summary.md`` (``stage`` = the notebook's stem)."""
        return self.root / f"{stage}.summary.md"

    # ---- 00 setup
    @property
    def setup(self) -> Path:
        return self.root / "setup.json"

    # ---- 01 trees, 02 labels
    def trees_dir(self, iteration: int = 0, method: str | None = None) -> Path:
        """Without ``method``: the base policy's forest (iteration 0, notebooks 01 and 02), shared by all methods.
        With ``method``: the forest that method's self-play grew with its iterate ``iteration`` (iteration 0 only
        when self-play was not handed the shared forest)."""
        if method is not None:
            return self.root / "trees" / method / f"iter_{iteration}"
        if iteration != 0:
            raise ValueError(f"iteration {iteration}: say which method's regrown trees (method='tsp-oracle' or "
                             f"'tsp-paper'); only iteration 0 is shared by all methods")
        return self.root / "trees" / "iter_0"

    def trees(self, iteration: int = 0, method: str | None = None) -> Path:
        return self.trees_dir(iteration, method) / "trees.jsonl"

    def labeled_trees(self, iteration: int = 0, method: str | None = None) -> Path:
        return self.trees_dir(iteration, method) / "labeled.jsonl"

    def tree_stats(self, iteration: int = 0, method: str | None = None) -> Path:
        return self.trees_dir(iteration, method) / "stats.json"

    @property
    def risk_recovery(self) -> Path:
        return self.root / "risk_recovery.md"

    @property
    def oracle_cache(self) -> Path:
        """Verdicts keyed by content hash: a rerun labels only what is new."""
        return self.root / "oracle_cache"

    @property
    def fidelity(self) -> Path:
        return self.root / "fidelity.json"

    @property
    def fidelity_md(self) -> Path:
        return self.root / "fidelity.md"

    @property
    def fidelity_safecoder_md(self) -> Path:
        return self.root / "fidelity_safecoder.md"

    # ---- 03 pairs and training
    def pair_stats(self, iteration: int = 0) -> Path:
        return self.root / f"pair_stats_iter_{iteration}.json"

    def adapter_dir(self, method: str, iteration: int) -> Path:
        """An iteration's ``adapter/`` and ``manifest.json``."""
        return self.root / "adapters" / method / f"iter_{iteration}"

    def adapter(self, method: str, iteration: int) -> Path:
        return self.adapter_dir(method, iteration) / "adapter"

    def pairs(self, method: str, iteration: int) -> Path:
        return self.root / "adapters" / method / f"pairs_iter_{iteration}.jsonl"

    @property
    def training(self) -> Path:
        return self.root / "training.json"

    # ---- 04 evaluation, transfer and the report
    @property
    def eval_dir(self) -> Path:
        return self.root / "eval"

    def scored(self, name: str) -> Path:
        """The scored samples of one model ("base", "sft", "tsp-oracle@1", "utility-base", ...)."""
        return self.eval_dir / f"{name}.jsonl"

    def node_eval(self, name: str, kind: str) -> Path:
        """Node-level evaluation of one model: ``kind`` "preference" (log-probs of both sides at every node) or
        "choice-T<temperature>" (the sampled continuations and their labels)."""
        return self.eval_dir / "nodes" / f"{name}.{kind}.jsonl"

    def branch_scores(self, name: str) -> Path:
        """Each iteration-0 tree branch's log-prob under one model (notebook 04 writes, 05 overlays)."""
        return self.eval_dir / "branches" / f"{name}.jsonl"

    def transfer_adapter(self, group: str) -> Path:
        return self.root / "transfer" / group.replace("/", "_") / "adapter"

    @property
    def report(self) -> Path:
        return self.root / "report.md"

    @property
    def results(self) -> Path:
        return self.root / "results.json"

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    def figure(self, name: str) -> Path:
        return self.figures / name

    # ---- 05 explorer
    @property
    def tree_explorer(self) -> Path:
        return self.root / "tree_explorer.html"


def layout(run: str | os.PathLike | RunLayout) -> RunLayout:
    """A :class:`RunLayout` for ``run`` (a RunLayout is passed through)."""
    return run if isinstance(run, RunLayout) else RunLayout(Path(run))
