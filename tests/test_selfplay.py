"""Self-play: pair construction, the DPO loss by hand, masking, learning on a tiny model, the iteration loop."""

import math

import pytest
import torch

from tsp_utils import models, selfplay as sp
from tsp_utils import tree as T
from tsp_utils.config import resolve_config
from test_tree import ScriptedSampler, _task


def test_dpo_loss_matches_a_hand_computed_value():
    pc, pr = torch.tensor([-10.0, -5.0]), torch.tensor([-12.0, -4.0])
    rc, rr = torch.tensor([-11.0, -5.0]), torch.tensor([-11.0, -5.0])
    loss, m = sp.dpo_loss(pc, pr, rc, rr, beta=0.1)
    # row 1: 0.1*((-10+11) - (-12+11)) = 0.2 ; row 2: 0.1*((0) - (1)) = -0.1
    expected = (-math.log(1 / (1 + math.exp(-0.2))) - math.log(1 / (1 + math.exp(0.1)))) / 2
    assert float(loss) == pytest.approx(expected, rel=1e-6)
    assert float(m["margin"]) == pytest.approx(0.05) and float(m["accuracy"]) == 0.5
    assert float(m["chosen_reward"]) == pytest.approx(0.05) and float(m["rejected_reward"]) == pytest.approx(0.0)


def test_truncation_cuts_the_prompt_from_the_left_never_the_divergence_point():
    ids, n_prompt = sp.build_sequence(list(range(100)), [900, 901, 902], max_len=20)
    assert ids[-3:] == [900, 901, 902] and n_prompt == 17 and ids[:n_prompt] == list(range(83, 100))
    ids, n_prompt = sp.build_sequence([1, 2], list(range(50)), max_len=20, min_prompt=4)
    assert n_prompt == 2 and len(ids) == 18  # an over-long completion loses its tail, the prompt stays


@pytest.fixture(scope="module")
def tiny(tiny_llama_dir):
    return models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)


def test_prompt_labels_are_masked(tiny):
    batch = sp.collate([sp.build_sequence([5, 6, 7, 8], [9, 10, 11], 64)], 0, "cpu")
    base = sp.sequence_logps(tiny.model, batch).detach()
    changed = {k: v.clone() for k, v in batch.items()}
    changed["labels"][0, 1:4] = torch.tensor([100, 200, 300])  # labels at prompt positions
    assert torch.allclose(sp.sequence_logps(tiny.model, changed), base)
    assert torch.allclose(sp.sft_loss(tiny.model, changed), sp.sft_loss(tiny.model, batch))
    changed["labels"][0, 5] = 400  # a completion label does count
    assert not torch.allclose(sp.sequence_logps(tiny.model, changed), base)
    # and the value is the sum of the completion tokens' log-probs, computed directly
    with torch.no_grad():
        logp = tiny.model(input_ids=batch["input_ids"]).logits[0].log_softmax(-1)
    assert float(base) == pytest.approx(float(logp[3, 9] + logp[4, 10] + logp[5, 11]), abs=1e-4)


def _packing_cases(eos):
    P = sp.PreferencePair
    return [
        P("tsp-oracle", "t", "python", "c", [1, 5, 6, 7], [20, 21, 22, eos], [30, 31, eos]),  # the prompt is shared
        P("tsp-paper", "t", "python", "c", [1, 5, 6], [20, 21, 22, 23, 24, eos], [20, 21, 40, eos]),  # + the prefix
        P("tsp-paper", "t", "python", "c", [1, 5, 6], [20, 21, 22, eos], [20, 21]),  # rejected inside chosen
        P("spin", "t", "python", "c", list(range(100, 140)), [20] * 30, [21, eos]),  # truncated unequally: no sharing
    ]


def test_packed_pairs_give_the_separate_sequences_log_probs_and_gradients(tiny_llama_dir):
    lm = models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)
    torch.manual_seed(0)
    model = models.attach_lora(lm.model, r=4, alpha=8, dropout=0.0)
    with torch.no_grad():  # a non-zero adapter, so that LoRA's own gradients are exercised too
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.3)
    pairs, max_len, pad = _packing_cases(lm.tokenizer.eos_token_id), 48, lm.tokenizer.pad_token_id
    packed = [sp.pack(p, max_len) for p in pairs]
    assert [k.n_shared for k in packed[:3]] == [4, 5, 5]
    assert len(packed[1].input_ids) == (3 + 6) + (3 + 4) - 5  # the shared prefix is in the row once
    assert packed[3].n_shared < 16  # the sides were cut differently from the left: little left to share

    def grads(loss):
        model.zero_grad()
        loss.backward()
        return {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}

    chosen = sp.collate([sp.build_sequence(p.prompt_ids, p.chosen_ids, max_len) for p in pairs], pad, "cpu")
    rejected = sp.collate([sp.build_sequence(p.prompt_ids, p.rejected_ids, max_len) for p in pairs], pad, "cpu")
    sc, sr = sp.sequence_logps(model, chosen), sp.sequence_logps(model, rejected)
    pc, pr = sp.packed_pair_logps(model, packed)  # one padded batch of four packed rows
    assert torch.allclose(pc, sc, atol=1e-4) and torch.allclose(pr, sr, atol=1e-4)
    g_separate, g_packed = grads((sc - 2 * sr).sum()), grads((pc - 2 * pr).sum())
    for name in g_separate:
        assert torch.allclose(g_packed[name], g_separate[name], atol=1e-4, rtol=1e-3), name
    # the mask matters: without it the rejected tokens would read the chosen branch and get other log-probs
    plain = [sp.PackedPair(k.input_ids, k.position_ids, len(k.input_ids), k.len_chosen, k.chosen_at,
                           k.chosen_tokens, k.rejected_at, k.rejected_tokens) for k in packed[:2]]
    assert not torch.allclose(sp.packed_pair_logps(model, plain)[1], sr[:2], atol=1e-3)


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
    oracle, ostats = sp.oracle_pairs([tree], tiny.tokenizer)
    (point,) = tree.branch_points()
    assert ostats.pairs == 1 and len(oracle) == 1
    pair = oracle[0]
    assert pair.prompt_ids == tree.meta["prompt_ids"] + tree.token_ids(point.id)  # prompt = task + shared prefix
    rejected_text = tiny.tokenizer.decode(pair.rejected_ids)
    assert rejected_text.lstrip().startswith("os.system") and "def run_backup" not in rejected_text
    assert tiny.tokenizer.decode(pair.chosen_ids).lstrip().startswith("if not name.isalnum()")  # the golden branch
    paper, pstats = sp.paper_pairs([tree], tiny.tokenizer)
    assert pstats.pairs == 2  # unfiltered: the secure sample becomes a "rejected" too, as in the reference code
    assert all(p.prompt_ids == tree.meta["prompt_ids"] for p in paper)
    assert all(tiny.tokenizer.decode(p.chosen_ids).startswith("```python\ndef run_backup") for p in paper)


def test_oracle_pairs_drop_and_count_unknown_and_indistinguishable(tiny):
    tree = _labeled_tree(tiny)
    for leaf in tree.leaves():
        if leaf.kind == "sampled":
            leaf.verdict = {"label": "unknown" if "os.system" in leaf.text else "secure", "findings": []}
    pairs, stats = sp.oracle_pairs([tree], tiny.tokenizer)
    assert pairs == [] and stats.dropped == {sp.DROP_UNKNOWN: 1, sp.DROP_SECURE: 1}  # one outcome per sampled leaf
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
    pairs, stats = sp.oracle_pairs([_two_level_tree()], tokenizer=None)
    got = {p.meta["rejected"]: (p.node_id, p.prompt_ids, p.chosen_ids, p.rejected_ids) for p in pairs}
    assert got == {
        "t1": ("g2", [100, 1, 2], [3], [4]),  # at its own branch point, against the golden fix
        # s1's own siblings are all vulnerable: one level up, against the golden path
        "s1a": ("g1", [100, 1], [2, 3], [5, 6]),
        "s1b": ("g1", [100, 1], [2, 3], [5, 7]),
    }
    assert stats.pairs == 3 and stats.dropped == {sp.DROP_SECURE: 1}
    # when the oracle flags the golden function itself, t1 has no secure alternative at g2, and above g2 its side
    # is golden code: it is dropped rather than paired against s2 with golden tokens on the rejected side
    pairs, stats = sp.oracle_pairs([_two_level_tree("vulnerable")], tokenizer=None)
    assert {p.meta["rejected"]: p.chosen_ids for p in pairs} == {"s1a": [8], "s1b": [8]}
    assert stats.dropped == {sp.DROP_SECURE: 1, sp.DROP_NO_SECURE: 1}


def test_spin_pairs_contain_no_tree_prefix(tiny):
    pairs, stats = sp.spin_pairs(tiny.model, tiny.tokenizer, [_task(), _task("c")], max_new_tokens=6, seed=0)
    prompt_only = models.encode_prompt(tiny.tokenizer, models.format_prompt(tiny.tokenizer, _task().instruction))
    assert stats.pairs == 2
    assert pairs[0].prompt_ids == prompt_only  # the task alone: no golden prefix, no risk node
    assert tiny.tokenizer.decode(pairs[0].chosen_ids).startswith("```python\ndef run_backup")
    assert not tiny.tokenizer.decode(pairs[0].rejected_ids).startswith("```python\ndef run_backup")


def test_training_grows_the_margin_and_lowers_the_sft_loss(tiny_llama_dir):
    lm = models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)
    pad = lm.tokenizer.pad_token_id
    pairs = [sp.PreferencePair("tsp-oracle", "t", "python", "cwe-078", [1, 5, 6, 7], [20, 21, 22, 23], [30, 31, 32, 33]),
             sp.PreferencePair("tsp-oracle", "t", "python", "cwe-078", [1, 8, 9], [40, 41, 42], [50, 51, 52])]
    model = models.attach_lora(lm.model, r=8, alpha=16, dropout=0.0)
    log = sp.train(model, pairs * 4, sp.TrainConfig("tsp-oracle", learning_rate=5e-3, grad_accum=1), pad, progress=False)
    assert log.steps[-1]["margin"] > log.steps[0]["margin"] and log.steps[-1]["margin"] > 0
    lm2 = models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)
    model2 = models.attach_lora(lm2.model, r=8, alpha=16, dropout=0.0)
    sft = [sp.PreferencePair("sft", "t", "python", "cwe-078", [1, 5, 6], [20, 21, 22, 23, 24], [])]
    batch = sp.collate([sp.build_sequence(sft[0].prompt_ids, sft[0].chosen_ids, 64)], pad, "cpu")
    before = float(sp.sft_loss(model2, batch))
    sp.train(model2, sft * 8, sp.TrainConfig("sft", learning_rate=5e-3, grad_accum=1), pad, progress=False)
    assert float(sp.sft_loss(model2, batch)) < before


def test_iterations_regenerate_with_the_updated_adapter(tiny_llama_dir, tmp_path):
    lm = models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)
    cfg = resolve_config("smoke", iterations=2, branches_k=2, tree_depth=1, max_new_tokens=6, tree_mode="paper",
                         learning_rate=5e-3, grad_accum=1, max_seq_len=256)

    def labeler(trees):  # alternate labels so that every branch point has both sides
        for tree in trees:
            for i, leaf in enumerate(tree.leaves()):
                leaf.verdict = {"label": "secure" if leaf.kind == "golden" else "vulnerable", "findings": []}

    model, manifests = sp.self_play("tsp-oracle", lm.model, lm.tokenizer, [_task(), _task("c")], cfg, tmp_path,
                                    labeler=labeler, progress=False)
    assert [m["iteration"] for m in manifests] == [1, 2]
    # iteration 2's trees were generated by iteration 1's adapter, not the fresh one
    assert manifests[1]["generated_by_adapter"] == manifests[0]["adapter"] != manifests[0]["generated_by_adapter"]
    assert manifests[1]["adapter"] != manifests[0]["adapter"]
    assert (tmp_path / "trees" / "tsp-oracle" / "iter_1" / "labeled.jsonl").exists()
    assert all(m["data"]["trained_on"] > 0 for m in manifests)
    # rerun: both iterations are complete, nothing is retrained
    lm2 = models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)
    _, again = sp.self_play("tsp-oracle", lm2.model, lm2.tokenizer, [_task(), _task("c")], cfg, tmp_path,
                            labeler=lambda ts: pytest.fail("relabeled on resume"), progress=False)
    assert [m["adapter"] for m in again] == [m["adapter"] for m in manifests]


def test_data_budget_and_the_pair_statistics_table():
    assert sp.data_budget(None, oracle_pairs=7, n_tasks=5) == 7
    assert sp.data_budget(None, oracle_pairs=2, n_tasks=5) == 5  # at least one example per task
    assert sp.data_budget(3, oracle_pairs=7, n_tasks=5) == 3
    paper, oracle = sp.PairStats("tsp-paper", pairs=4), sp.PairStats("tsp-oracle", pairs=1)
    oracle.dropped["unknown side"] = 3
    lines = sp.pair_stats_markdown(paper, oracle).splitlines()
    assert lines[0] == "| | tsp-paper | tsp-oracle |" and lines[2] == "| pairs | 4 | 1 |"
    assert lines[3] == "| share of candidates dropped | 0% | 75% |" and lines[4] == "| dropped: unknown side |  | 3 |"


def test_a_pair_whose_sides_differ_only_past_the_cut_is_dropped_and_counted():
    stats = sp.PairStats("tsp-paper")
    early = sp.PreferencePair("tsp-paper", "t", "c", "cwe-787", [1], [5] * 20 + [6], [5] * 3 + [7])
    late = sp.PreferencePair("tsp-paper", "t", "c", "cwe-787", [1], [5] * 20 + [6], [5] * 20 + [7])
    for p in (early, late):
        stats.add(p)
    assert sp.drop_undivided([early, late], stats, max_len=32) == [early]  # completions are cut to 32 - 16 tokens
    assert (stats.pairs, stats.by_language["c"], stats.dropped) == (1, 1, {sp.DROP_PAST_CUT: 1})
    assert sp.drop_undivided([early, late], sp.PairStats("tsp-paper"), max_len=64) == [early, late]


def test_eos_ends_a_response_only_where_it_ended():
    import types

    tree = _two_level_tree()
    eos = types.SimpleNamespace(eos_token_id=0)
    assert sp.leaf_ids(tree, "t1", eos) == [1, 2, 4, 0]
    tree.nodes["t1"].complete = False  # cut at the token budget: the function goes on past it
    assert sp.leaf_ids(tree, "t1", eos) == [1, 2, 4]
    assert sp.leaf_ids(tree, "g3", eos) == [1, 2, 3, 0]
