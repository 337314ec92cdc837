"""Training: the loop's logged metrics (TRL's names), the held-out evaluation every few steps, equal budgets across
methods, the prompt cut, and that DPO grows the margin and SFT lowers its loss on a tiny model."""

import math

import pytest
import torch

from tsp_utils import dpo, models, pairs as P, training
from tsp_utils.pairs import PreferencePair
from tsp_utils.trl_dpo import METRICS


def _pair(prompt, chosen, rejected, method="tsp-oracle"):
    return PreferencePair(method, "t", "python", "cwe-078", list(prompt), list(chosen), list(rejected))


PAIRS = [_pair([1, 5, 6, 7], [20, 21, 22, 23], [30, 31, 32, 33]), _pair([1, 8, 9], [40, 41, 42], [50, 51, 52]),
         _pair(range(100, 140), [60, 61], [70, 71, 72, 73, 74])]


def _lora(tiny_llama_dir, dropout=0.0):
    lm = models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)
    return models.attach_lora(lm.model, r=8, alpha=16, dropout=dropout, seed=0), lm.tokenizer.pad_token_id


def test_every_optimizer_step_logs_trls_metrics_and_the_evaluation_runs_every_eval_every_steps(tiny_llama_dir):
    model, pad = _lora(tiny_llama_dir)
    calls = []

    def evaluate(m):
        calls.append((m.training, torch.is_grad_enabled()))
        return {"eval/node_accuracy": len(calls) / 10, "eval/node_margin": -float(len(calls))}

    cfg = training.TrainConfig("tsp-oracle", learning_rate=5e-3, batch_size=1, grad_accum=2, eval_every=2)
    log = training.train(model, PAIRS * 3, cfg, pad, progress=False, evaluate=evaluate)  # 9 pairs: 5 steps of <= 2
    trained = [s for s in log.steps if "loss" in s]
    assert [s["step"] for s in trained] == [1, 2, 3, 4, 5] == list(range(1, log.budget["optimizer_steps"] + 1))
    # before training, every 2nd optimizer step, and after the last one (5, not a multiple of 2)
    assert [s["step"] for s in log.steps if "eval/node_accuracy" in s] == [0, 2, 4, 5]
    assert [s["eval/node_accuracy"] for s in log.steps if "eval/node_accuracy" in s] == [0.1, 0.2, 0.3, 0.4]
    assert calls == [(False, False)] * 4  # eval mode (no dropout), no gradient
    assert model.training is False and log.eval_s > 0
    for s in trained:
        assert {"step", "loss", *METRICS} <= set(s)
        assert 0.0 <= s["rewards/accuracies"] <= 1.0
        assert s["rewards/margins"] == pytest.approx(s["rewards/chosen"] - s["rewards/rejected"], abs=1e-6)
        assert s["logps/chosen"] < 0 and s["logps/rejected"] < 0
    # step 1: no optimizer step yet and no dropout, so the policy is the reference: rewards 0, loss log 2
    assert trained[0]["rewards/chosen"] == pytest.approx(0, abs=1e-5) and trained[0]["loss"] == pytest.approx(math.log(2))
    assert trained[-1]["rewards/margins"] > 0  # and it learned
    summary = log.summary()
    assert summary["eval/node_accuracy"] == 0.4 and set(METRICS) <= set(summary)


def test_cached_by_adapter_scores_each_state_of_the_adapter_once(tiny_llama_dir):
    model, pad = _lora(tiny_llama_dir)
    calls = []
    cached = training.cached_by_adapter(lambda m: calls.append(1) or {"eval/node_accuracy": float(len(calls))})
    assert cached(model) == cached(model) == {"eval/node_accuracy": 1.0}
    training.train(model, PAIRS, training.TrainConfig("tsp-oracle", learning_rate=5e-3, grad_accum=1), pad,
                   progress=False)
    assert cached(model) == {"eval/node_accuracy": 2.0} and len(calls) == 2


def test_training_grows_the_margin_and_lowers_the_sft_loss(tiny_llama_dir):
    model, pad = _lora(tiny_llama_dir)
    cfg = training.TrainConfig("tsp-oracle", learning_rate=5e-3, grad_accum=1)
    log = training.train(model, PAIRS[:2] * 4, cfg, pad, progress=False)
    assert log.steps[-1]["rewards/margins"] > log.steps[0]["rewards/margins"] and log.steps[-1]["rewards/margins"] > 0
    model2, _ = _lora(tiny_llama_dir)
    sft = [_pair([1, 5, 6], [20, 21, 22, 23, 24], [], method="sft")]
    batch = dpo.collate([dpo.build_sequence(sft[0].prompt_ids, sft[0].chosen_ids, 64)], pad, "cpu")
    before = float(dpo.sft_loss(model2, batch))
    training.train(model2, sft * 8, training.TrainConfig("sft", learning_rate=5e-3, grad_accum=1), pad, progress=False)
    assert float(dpo.sft_loss(model2, batch)) < before


def test_every_method_gets_the_same_optimizer_steps_and_its_tokens_are_counted(tiny_llama_dir):
    """Scripted pairs of different sizes and counts: after pairs.equalize_budget every method takes the same number
    of optimizer steps on the same number of examples; the tokens differ and are counted as trained."""
    short = [_pair([1, 2, 3], [10, 11], [12])]  # 1 available: repeated
    long = [_pair(range(100, 100 + n), range(200, 200 + 2 * n), range(300, 300 + n)) for n in range(5, 12)]  # 7
    sft = [_pair([1, 2], [5, 6, 7, 8], [], method="sft"), _pair([1, 3], [9], [], method="sft")]
    budget = 4
    logs = {}
    for method, available in (("tsp-oracle", short), ("tsp-paper", long), ("sft", sft)):
        chosen = P.equalize_budget(available, budget, seed=0)
        cfg = training.TrainConfig(method, batch_size=1, grad_accum=3, max_seq_len=64, learning_rate=1e-3)
        model, pad = _lora(tiny_llama_dir)
        logs[method] = training.train(model, chosen, cfg, pad, progress=False)
        b = logs[method].budget
        assert b == training.training_budget(chosen, cfg)
        assert b["prompt_tokens"] == sum(len(p.prompt_ids) for p in chosen)
        assert b["chosen_tokens"] == sum(len(p.chosen_ids) for p in chosen)
        assert b["rejected_tokens"] == sum(len(p.rejected_ids) for p in chosen)  # SFT: 0
        assert b["distinct_examples"] == min(len(available), budget)
    assert {m: (log.budget["optimizer_steps"], log.budget["examples"]) for m, log in logs.items()} == {
        m: (2, 4) for m in logs}  # ceil(4 / 3) steps of 3 and 1 examples
    assert all(len(log.steps) == 2 for log in logs.values())
    assert logs["tsp-paper"].budget["chosen_tokens"] > logs["tsp-oracle"].budget["chosen_tokens"]
    # epochs and the sequence cut count too
    cfg = training.TrainConfig("tsp-paper", batch_size=2, grad_accum=1, max_seq_len=20, epochs=2)
    b = training.training_budget(long[-1:], cfg)  # prompt 11, chosen 22, rejected 11: completions cut to 20 - 16
    assert b == {"optimizer_steps": 1, "examples": 2, "distinct_examples": 1, "prompt_tokens": 2 * 11,
                 "chosen_tokens": 2 * 4, "rejected_tokens": 2 * 4}


def test_the_prompt_cut_keeps_the_branch_point_and_a_shared_prompt(tiny_llama_dir):
    node = _pair(range(100, 150), [7, 8, 9], [7, 8, 30, 31])  # a node-level pair: both sides start with 7, 8
    cut = P.truncate_prompt(node, 20)
    assert cut.prompt_ids == list(range(130, 150)) and node.prompt_ids == list(range(100, 150))  # left cut, a copy
    assert (cut.chosen_ids, cut.rejected_ids) == (node.chosen_ids, node.rejected_ids)
    packed = dpo.pack(cut, 64)
    assert packed.input_ids[:20] == list(range(130, 150)) and packed.n_shared == 22  # prompt + the common 7, 8
    (a, na), (b, nb) = (dpo.build_sequence(cut.prompt_ids, side, 64) for side in (cut.chosen_ids, cut.rejected_ids))
    assert na == nb == 20 and a[:na] == b[:nb] == cut.prompt_ids
    assert P.truncate_prompt(node, 50) is node and P.truncate_prompt(node, None) is node
    with pytest.raises(ValueError, match="max_prompt_len"):
        P.truncate_prompt(node, 0)

    def run(max_prompt_len):
        model, pad = _lora(tiny_llama_dir)
        cfg = training.TrainConfig("tsp-oracle", learning_rate=5e-3, grad_accum=1, max_prompt_len=max_prompt_len)
        return training.train(model, [node, PAIRS[0]], cfg, pad, progress=False).steps

    full = run(None)
    assert run(50) == full  # N at least the prompt's length: the loss is the paper's, unchanged
    cut_run = run(10)  # a real cut changes the context, and so the log-probs of the node-level pair's step
    assert any(a["logps/chosen"] != pytest.approx(b["logps/chosen"]) for a, b in zip(cut_run, full))


def test_reference_log_probs_are_computed_once_per_distinct_pair(tiny_llama_dir, monkeypatch):
    model, pad = _lora(tiny_llama_dir)
    rows = []
    real = training.packed_pair_logps
    monkeypatch.setattr(training, "packed_pair_logps", lambda m, packed: rows.append(len(packed)) or real(m, packed))
    refs = training.reference_logps(model, PAIRS * 3, 64, pad)  # the data budget repeats examples
    assert len(rows) == len(PAIRS) and refs == training.reference_logps(model, PAIRS, 64, pad) * 3
