"""A papermill smoke run of every numbered notebook, in order, through the real runner (profile `smoke`)."""

import json

import pytest

import nbformat

from notebook_outputs import output_problems
from tsp_utils import run
from tsp_utils.labels import LABELS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory, offline_cache):
    rd = tmp_path_factory.mktemp("smoke_run")
    results = run.run_pipeline(rd, "smoke")
    return rd, results


def _cell(*outputs):
    return {"cell_type": "code", "source": "", "outputs": list(outputs)}


@pytest.mark.parametrize("output, problem", [
    ({"output_type": "execute_result", "data": {"text/plain": "PosixPath('/tmp/x/fidelity.md')"}}, "bare value"),
    ({"output_type": "stream", "name": "stdout", "text": "3 tasks: {'c': 1, 'go': 2}\n"}, "repr"),
    ({"output_type": "stream", "name": "stdout", "text": "wrote PosixPath('/tmp/x')\n"}, "repr"),
    ({"output_type": "stream", "name": "stderr", "text": "x.py:9: UserWarning: deprecated\n"}, "warning"),
    ({"output_type": "stream", "name": "stderr", "text": "trees:  33%|###   | 1/3\n"}, "progress bar left at 33%"),
    ({"output_type": "display_data", "data": {"application/vnd.jupyter.widget-view+json": {},
                                                "text/plain": "Loading weights:   0%|   | 0/272"}}, "widget"),
])
def test_output_checker_finds_each_kind_of_problem(output, problem):
    found = output_problems({"cells": [_cell(output)]})
    assert len(found) == 1 and problem in found[0]


def test_output_checker_passes_clean_outputs():
    clean = _cell({"output_type": "stream", "name": "stdout", "text": "3 trees, 27 nodes; wrote trees.jsonl\n"},
                  {"output_type": "stream", "name": "stderr", "text": "trees: 100%|#####| 3/3 [00:09<00:00]\n"},
                  {"output_type": "display_data", "data": {"text/markdown": "| a |", "text/plain": "<Markdown>"}})
    assert output_problems({"cells": [clean]}) == []


def test_notebook_outputs_read_cleanly(smoke_run):
    _, results = smoke_run
    problems = {r.output.name: output_problems(nbformat.read(r.output, as_version=4)) for r in results}
    assert not {k: v for k, v in problems.items() if v}, problems


def test_every_notebook_ran(smoke_run):
    rd, results = smoke_run
    assert results and all(r.status == "ran" for r in results)
    for r in results:
        assert r.output.exists()
    assert "## 00 setup" in (rd / "summary.md").read_text()


def test_setup_reports_the_model_it_loaded(smoke_run):
    rd, _ = smoke_run
    setup = json.loads((rd / "setup.json").read_text())
    assert setup["model_id"] == "smollm2-135m-instruct"
    assert setup["quantization"] == "nf4" and setup["compute_dtype"] == "float32"  # smoke exercises 4-bit on CPU
    assert setup["weights_mib"] > 0 and setup["config"]["profile"] == "smoke"


def test_trees_are_built_labeled_and_explorable(smoke_run):
    from tsp_utils import tree as T
    from tsp_utils.explore import node_anchor

    rd, _ = smoke_run
    trees = T.load_trees(rd / "trees" / "iter_0" / "trees.jsonl")
    labeled = T.load_trees(rd / "trees" / "iter_0" / "labeled.jsonl")
    assert trees and len(labeled) == len(trees)
    assert all(t.branch_points() for t in trees)
    assert all(leaf.label in LABELS
               for t in labeled for leaf in t.leaves())
    stats = json.loads((rd / "trees" / "iter_0" / "stats.json").read_text())
    assert stats["totals"]["trees"] == len(trees) and stats["totals"]["tokens_generated"] > 0
    html = (rd / "tree_explorer.html").read_text()
    for t in labeled:
        for node_id in t.nodes:
            assert f'id="{node_anchor(t.task_id, node_id)}"' in html


def test_oracle_fidelity_is_reported(smoke_run):
    rd, _ = smoke_run
    fidelity = json.loads((rd / "fidelity.json").read_text())
    langs = {r["language"] for r in fidelity["rows"] if r["group"] == "language"}
    assert {"python", "c", "javascript", "go"} <= langs
    assert (rd / "figures" / "fidelity_language.png").stat().st_size > 0


def test_training_saved_every_method_with_manifests(smoke_run):
    rd, _ = smoke_run
    for method in ("sft", "spin", "tsp-paper", "tsp-oracle"):
        manifest = json.loads((rd / "adapters" / method / "iter_1" / "manifest.json").read_text())
        assert len(manifest["steps"]) >= 2, f"{method} trained fewer than 2 steps"
        assert (rd / "adapters" / method / "iter_1" / "adapter" / "adapter_config.json").exists()


def test_evaluation_report_and_figures(smoke_run):
    rd, _ = smoke_run
    text = (rd / "report.md").read_text()
    assert "## Main table" in text and "75.8" in text
    results = json.loads((rd / "results.json").read_text())
    assert set(results["spr@1"]) >= {"base", "sft", "spin", "tsp-paper", "tsp-oracle"}
    for fig in ("spr_per_method", "per_cwe_heatmap", "spr_vs_iteration", "transfer_matrix"):
        assert (rd / "figures" / f"{fig}.png").stat().st_size > 0
