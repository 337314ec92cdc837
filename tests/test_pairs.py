"""Building pairs: TSP-paper's and TSP-oracle's pairs from labeled trees, SPIN's samples, drops, the data budget."""

import subprocess
import sys
import types
from pathlib import Path

import pytest

from tsp_utils import models, pairs as pr
from tsp_utils import tree as T
from test_tree import ScriptedSampler, _task


@pytest.fixture(scope="module")
def tiny(tiny_llama_dir):
    return models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)


def _labeled_tree(tiny):
    level1 = ['os.system("tar czf /b/" + name)\n    return name\n```', 'subprocess.run(["tar", name], check=True)\n    return name\n```']
    sampler = ScriptedSampler(tiny.tokenizer, [level1])
    builder = T.TreeBuilder(tiny.model, tiny.tokenizer, k=2, depth=1, sampler=sampler, labeler=lambda ts: None)
    (tree,) = builder.build([_task()])
    for leaf in tree.leaves():
        code = T.extract_code(tree.response_text(leaf.id))[0]
        leaf.verdict = {"label": "vulnerable" if "os.system" in code else "secure", "findings": []}
    tree.compute_values()
    return tree


def test_oracle_pairs_are_node_level_and_paper_pairs_are_not(tiny):
    tree = _labeled_tree(tiny)
    oracle, ostats = pr.oracle_pairs([tree], tiny.tokenizer)
    (point,) = tree.branch_points()
    assert ostats.pairs == 1 and len(oracle) == 1
    pair = oracle[0]
    assert pair.prompt_ids == tree.meta["prompt_ids"] + tree.token_ids(point.id)  # prompt = task + shared prefix
    rejected_text = tiny.tokenizer.decode(pair.rejected_ids)
    assert rejected_text.lstrip().startswith("os.system") and "def run_backup" not in rejected_text
    assert tiny.tokenizer.decode(pair.chosen_ids).lstrip().startswith("if not name.isalnum()")  # the golden branch
    paper, pstats = pr.paper_pairs([tree], tiny.tokenizer)
    assert pstats.pairs == 2  # unfiltered: the secure sample becomes a "rejected" too, as in the reference code
    assert all(p.prompt_ids == tree.meta["prompt_ids"] for p in paper)
    assert all(tiny.tokenizer.decode(p.chosen_ids).startswith("```python\ndef run_backup") for p in paper)


def test_oracle_pairs_drop_and_count_unknown_and_indistinguishable(tiny):
    tree = _labeled_tree(tiny)
    for leaf in tree.leaves():
        if leaf.kind == "sampled":
            leaf.verdict = {"label": "unknown" if "os.system" in leaf.text else "secure", "findings": []}
    pairs, stats = pr.oracle_pairs([tree], tiny.tokenizer)
    assert pairs == [] and stats.dropped == {pr.DROP_UNKNOWN: 1, pr.DROP_SECURE: 1}  # one outcome per sampled leaf
    assert stats.drop_share == 1.0


def _two_level_tree(golden_leaf_label="secure"):
    """g1 -> g2 -> g3 is the golden path. At g2 the policy sampled t1; at g1 it sampled s1 (split again at depth 2
    into s1a and s1b) and s2. Token ids are the node's number, so a completion shows which nodes it crosses."""
    tree = T.TaskTree("t", "python", "cwe-078", "", "", "", meta={"prompt_ids": [100]})
    tree.add(T.TreeNode("root", None, "root"))
    for node_id, parent, kind, ids, label in [
            ("g1", "root", "golden", [1], None), ("g2", "g1", "golden", [2], None),
            ("g3", "g2", "golden", [3], golden_leaf_label), ("t1", "g2", "sampled", [4], "vulnerable"),
            ("s1", "g1", "sampled", [5], None), ("s1a", "s1", "sampled", [6], "vulnerable"),
            ("s1b", "s1", "sampled", [7], "vulnerable"), ("s2", "g1", "sampled", [8], "secure")]:
        tree.add(T.TreeNode(node_id, parent, kind, ids, verdict={"label": label} if label else None))
    tree.compute_values()
    return tree


def test_a_vulnerable_leaf_is_paired_where_it_left_the_secure_alternatives_never_against_golden_code():
    pairs, stats = pr.oracle_pairs([_two_level_tree()], tokenizer=None)
    got = {p.meta["rejected"]: (p.node_id, p.prompt_ids, p.chosen_ids, p.rejected_ids) for p in pairs}
    assert got == {
        "t1": ("g2", [100, 1, 2], [3], [4]),  # at its own branch point, against the golden fix
        # s1's own siblings are all vulnerable: one level up, against the golden path
        "s1a": ("g1", [100, 1], [2, 3], [5, 6]),
        "s1b": ("g1", [100, 1], [2, 3], [5, 7]),
    }
    assert stats.pairs == 3 and stats.dropped == {pr.DROP_SECURE: 1}
    # when the oracle flags the golden function itself, t1 has no secure alternative at g2, and above g2 its side
    # is golden code: it is dropped rather than paired against s2 with golden tokens on the rejected side
    pairs, stats = pr.oracle_pairs([_two_level_tree("vulnerable")], tokenizer=None)
    assert {p.meta["rejected"]: p.chosen_ids for p in pairs} == {"s1a": [8], "s1b": [8]}
    assert stats.dropped == {pr.DROP_SECURE: 1, pr.DROP_NO_SECURE: 1}


def test_spin_pairs_contain_no_tree_prefix(tiny):
    pairs, stats = pr.spin_pairs(tiny.model, tiny.tokenizer, [_task(), _task("c")], max_new_tokens=6, seed=0)
    prompt_only = models.encode_prompt(tiny.tokenizer, models.format_prompt(tiny.tokenizer, _task().instruction))
    assert stats.pairs == 2
    assert pairs[0].prompt_ids == prompt_only  # the task alone: no golden prefix, no risk node
    assert tiny.tokenizer.decode(pairs[0].chosen_ids).startswith("```python\ndef run_backup")
    assert not tiny.tokenizer.decode(pairs[0].rejected_ids).startswith("```python\ndef run_backup")


def test_data_budget_and_the_pair_statistics_table():
    assert pr.data_budget(None, oracle_pairs=7, n_tasks=5) == 7
    assert pr.data_budget(None, oracle_pairs=2, n_tasks=5) == 5  # at least one example per task
    assert pr.data_budget(3, oracle_pairs=7, n_tasks=5) == 3
    paper, oracle = pr.PairStats("tsp-paper", pairs=4), pr.PairStats("tsp-oracle", pairs=1)
    oracle.dropped["unknown side"] = 3
    lines = pr.pair_stats_markdown(paper, oracle).splitlines()
    assert lines[0] == "| | tsp-paper | tsp-oracle |" and lines[2] == "| pairs | 4 | 1 |"
    assert lines[3] == "| share of candidates dropped | 0% | 75% |" and lines[4] == "| dropped: unknown side |  | 3 |"


def test_a_pair_whose_sides_differ_only_past_the_cut_is_dropped_and_counted():
    stats = pr.PairStats("tsp-paper")
    early = pr.PreferencePair("tsp-paper", "t", "c", "cwe-787", [1], [5] * 20 + [6], [5] * 3 + [7])
    late = pr.PreferencePair("tsp-paper", "t", "c", "cwe-787", [1], [5] * 20 + [6], [5] * 20 + [7])
    for p in (early, late):
        stats.add(p)
    assert pr.drop_undivided([early, late], stats, max_len=32) == [early]  # completions are cut to 32 - 16 tokens
    assert (stats.pairs, stats.by_language["c"], stats.dropped) == (1, 1, {pr.DROP_PAST_CUT: 1})
    assert pr.drop_undivided([early, late], pr.PairStats("tsp-paper"), max_len=64) == [early, late]


def test_eos_ends_a_response_only_where_it_ended():
    tree = _two_level_tree()
    eos = types.SimpleNamespace(eos_token_id=0)
    assert pr.leaf_ids(tree, "t1", eos) == [1, 2, 4, 0]
    tree.nodes["t1"].complete = False  # cut at the token budget: the function goes on past it
    assert pr.leaf_ids(tree, "t1", eos) == [1, 2, 4]
    assert pr.leaf_ids(tree, "g3", eos) == [1, 2, 3, 0]


def test_building_pairs_imports_no_torch():
    """Pairs can be built, saved and counted where torch is not installed: the module imports none."""
    code = "import sys, tsp_utils.pairs; assert 'torch' not in sys.modules and 'transformers' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])
