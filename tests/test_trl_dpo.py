"""The TRL path of self-play training: TRL's DPOTrainer computes our loss on our sequences, and trains on CPU."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file
from transformers import AutoTokenizer
from trl.trainer.dpo_trainer import DataCollatorForPreference

from tsp_utils import models, trl_dpo as td
from tsp_utils.dpo import build_sequence
from tsp_utils.pairs import PreferencePair, save_pairs, truncate_prompt
from tsp_utils.training import TrainConfig, reference_logps

MAX_LEN = 48  # small, so that two of the pairs below are truncated


def _pair(prompt, chosen, rejected):
    return PreferencePair("tsp-oracle", "t1", "python", "CWE-78", list(prompt), list(chosen), list(rejected))


def _pairs(eos):
    return [
        _pair([1, 100, 101, 102, 103, 104], [200, 201, 202, 203, eos], [300, 301, eos]),
        # a long prompt: TRL must cut it from the left, as build_sequence does (the branch point survives)
        _pair(range(400, 460), [500, 501, 502, 503, 504, 505, eos], [600, eos]),
        # a completion longer than MAX_LEN - 16: it loses its tail, 16 prompt tokens stay
        _pair(range(700, 730), list(range(800, 840)) + [eos], [900, 901, 902, eos]),
    ]


def _lora(tiny_llama_dir, seed=0):
    """The tiny model with a LoRA adapter whose lora_B is random, so the adapter changes the model."""
    lm = models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)
    torch.manual_seed(seed)  # lora_A's initialisation draws from the global RNG: make it independent of test order
    model = models.attach_lora(lm.model, r=4, alpha=8)
    _randomize(model, "lora_B.default", seed, scale=0.5)
    return model, lm.tokenizer


def _randomize(model, key, seed, scale):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if key in name:
                p.add_(scale * torch.randn(p.shape, generator=g))


def _cfg(**kw):
    return TrainConfig("tsp-oracle", beta=0.1, max_seq_len=MAX_LEN, batch_size=2, grad_accum=1, **kw)


def _assert_same(trl, manual):
    (trl_loss, trl_m), (man_loss, man_m) = trl, manual
    assert float(trl_loss) == pytest.approx(float(man_loss), rel=1e-4)
    assert set(trl_m) == set(man_m) == set(td.METRICS)  # the same names on both paths, no translation
    for key in ("rewards/chosen", "rewards/rejected", "rewards/margins", "logps/chosen", "logps/rejected"):
        assert trl_m[key] == pytest.approx(man_m[key], rel=1e-4, abs=1e-5), key
    assert trl_m["rewards/accuracies"] == man_m["rewards/accuracies"]


def test_trl_sees_exactly_the_sequences_build_sequence_builds(tiny_llama_dir):
    tok = AutoTokenizer.from_pretrained(str(tiny_llama_dir))
    pairs = _pairs(tok.eos_token_id)
    ds = td.pairs_to_dataset(pairs, MAX_LEN)
    assert ds.column_names == list(td.PAIR_COLUMNS) and ds[1]["prompt_ids"] == list(range(400, 460))
    assert len(ds[2]["chosen_ids"]) == MAX_LEN - 16  # the over-long completion lost its tail
    collator = DataCollatorForPreference(pad_token_id=tok.pad_token_id, max_length=MAX_LEN, truncation_mode="keep_end")
    batch = collator(ds.to_list())
    n = len(pairs)
    for i, p in enumerate(pairs):
        for row, completion in ((i, p.chosen_ids), (n + i, p.rejected_ids)):
            ids, n_prompt = build_sequence(p.prompt_ids, completion, MAX_LEN)
            width = int(batch["attention_mask"][row].sum())
            assert batch["input_ids"][row, :width].tolist() == ids
            assert batch["completion_mask"][row, :width].tolist() == [0] * n_prompt + [1] * (len(ids) - n_prompt)
    with pytest.raises(ValueError, match="no rejected side"):
        td.pairs_to_dataset([_pair([1, 2], [3], [])])


def test_trl_loss_equals_ours_with_the_base_model_as_reference(tiny_llama_dir, tmp_path):
    """Reference = the adapter-disabled base (peft ``disable_adapter``); TRL gets the base as an explicit ref_model
    and computes the reference on the fly (no precompute), a second code path through TRL."""
    model, tok = _lora(tiny_llama_dir)
    base = models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False).model
    pairs = _pairs(tok.eos_token_id)
    trainer = td.make_dpo_trainer(model, tok, pairs, _cfg(), tmp_path, ref_model=base,
                                  precompute_ref_log_probs=False)
    assert td.REF_ADAPTER not in model.peft_config  # an explicit reference: no adapter copy
    manual = td.manual_batch_loss(model, pairs, 0.1, MAX_LEN, tok.pad_token_id)
    assert abs(manual[1]["rewards/chosen"]) > 1e-2 and abs(manual[1]["rewards/margins"]) > 1e-3  # policy != reference
    _assert_same(td.trl_batch_loss(trainer, pairs), manual)


def test_trl_reference_is_the_adapter_as_it_was_and_the_loss_equals_ours(tiny_llama_dir, tmp_path):
    """With a peft model and no ref_model, TRL 1.16 freezes a copy of the current adapter as the reference (the
    previous iterate) and precomputes its log-probs; then the policy moves away from it."""
    model, tok = _lora(tiny_llama_dir)
    pairs = _pairs(tok.eos_token_id)
    expected_refs = reference_logps(model, pairs, MAX_LEN, tok.pad_token_id)
    trainer = td.make_dpo_trainer(model, tok, pairs, _cfg(), tmp_path)
    assert td.REF_ADAPTER in model.peft_config
    ds = trainer.train_dataset
    got = [x for pair in zip(ds["ref_chosen_logps"], ds["ref_rejected_logps"]) for x in pair]
    assert got == pytest.approx([x for pair in expected_refs for x in pair], rel=1e-4)  # = ours, before training
    loss, metrics = td.trl_batch_loss(trainer, pairs)
    assert float(loss) == pytest.approx(math.log(2), abs=1e-5) and metrics["rewards/margins"] == pytest.approx(0, abs=1e-6)
    # the base model is *not* TRL's reference here: our loss with the adapter disabled differs
    assert float(td.manual_batch_loss(model, pairs, 0.1, MAX_LEN, tok.pad_token_id)[0]) != pytest.approx(math.log(2))

    _randomize(model, "lora_B.default", seed=1, scale=0.5)  # the policy moves; the "ref" copy does not
    manual = td.manual_batch_loss(model, pairs, 0.1, MAX_LEN, tok.pad_token_id, ref_adapter=td.REF_ADAPTER)
    assert abs(manual[1]["rewards/margins"]) > 1e-3
    _assert_same(td.trl_batch_loss(trainer, pairs), manual)
    trainer.precompute_ref_logps = False  # TRL's other path: the "ref" adapter's forward inside compute_loss
    _assert_same(td.trl_batch_loss(trainer, pairs), manual)
    # the reference switch left the trainable flags as they were
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    assert trainable and all(".default." in n for n in trainable)


def test_two_trl_training_steps_on_cpu(tiny_llama_dir, tmp_path):
    model, tok = _lora(tiny_llama_dir)
    pairs = _pairs(tok.eos_token_id)

    def lora(name):
        return {n: p.detach().clone() for n, p in model.named_parameters() if f"lora_B.{name}." in n}

    before = lora("default")
    log = td.train_dpo(model, tok, pairs, _cfg(learning_rate=1e-3), tmp_path / "trl", max_steps=2)
    assert [s["step"] for s in log.steps] == [1, 2]
    assert all(math.isfinite(s["loss"]) for s in log.steps)
    assert set(log.steps[0]) == {"step", "loss", *td.METRICS}
    after = lora("default")
    assert any(not torch.equal(before[n], after[n]) for n in before)  # the adapter trained
    assert list(model.peft_config) == ["default"]  # the reference copy is gone ...
    out = models.save_adapter(model, tmp_path / "adapter")
    assert (out / "adapter_model.safetensors").exists() and not (out / td.REF_ADAPTER).exists()  # ... and not saved


@pytest.mark.slow
def test_the_accelerate_script_on_two_processes_trains_what_one_process_trains(tiny_llama_dir, tmp_path):
    """scripts/train_dpo_accelerate.py data-parallel: two processes (gloo on CPU, as NCCL would on two GPUs) with one
    pair each per step must take the same optimizer steps as one process with both pairs per step. Plain SGD, so an
    update is proportional to the gradient: a sum instead of a mean over processes, or two processes seeing the same
    pair, would show (Adam's first step is about lr x sign(grad) and would hide both)."""
    eos = AutoTokenizer.from_pretrained(str(tiny_llama_dir)).eos_token_id
    pairs = [_pair([1, 100, 101, 102], [200, 201, 202, eos], [300, 301, eos]),
             _pair(range(400, 420), [500, 501, eos], [600, 601, 602, eos]),
             _pair([1, 7, 8, 9, 10], [210, 211, eos], [310, 311, 312, 313, eos]),
             _pair(range(40, 60), [520, 521, 522, 523, eos], [620, eos])]
    save_pairs(tmp_path / "pairs.jsonl", pairs)
    common = ["--model", str(tiny_llama_dir), "--quantization", "none", "--pairs", str(tmp_path / "pairs.jsonl"),
              "--lora-dropout", "0", "--max-steps", "2", "--grad-accum", "1", "--optimizer", "sgd",
              "--learning-rate", "0.5"]
    script = str(Path(__file__).resolve().parents[1] / "scripts" / "train_dpo_accelerate.py")
    env = {**os.environ, "ACCELERATE_USE_CPU": "true", "OMP_NUM_THREADS": "1"}
    runs = {"one": [sys.executable, script, "--batch-size", "2"],
            "two": [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", script,
                    "--batch-size", "1"]}
    for name, cmd in runs.items():
        done = subprocess.run(cmd + common + ["--out", str(tmp_path / name)], env=env, capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
    manifests = {n: json.loads((tmp_path / n / "manifest.json").read_text()) for n in runs}
    assert manifests["one"]["processes"] == 1 and manifests["two"]["processes"] == 2
    assert {m["hyper_parameters"]["effective_batch"] for m in manifests.values()} == {2}
    assert manifests["one"]["generated_by_adapter"] == manifests["two"]["generated_by_adapter"]  # seeded LoRA init
    assert len(manifests["one"]["steps"]) == len(manifests["two"]["steps"]) == 2
    for a, b in zip(manifests["one"]["steps"], manifests["two"]["steps"]):  # the logs gather over processes
        assert a["loss"] == pytest.approx(b["loss"], rel=1e-5)
        assert a["rewards/margins"] == pytest.approx(b["rewards/margins"], abs=1e-6)
    one, two = (load_file(tmp_path / n / "adapter" / "adapter_model.safetensors") for n in runs)
    moved = max(float(v.abs().max()) for k, v in one.items() if "lora_B" in k)  # B starts at zero: this much trained
    assert moved > 1e-3 and one.keys() == two.keys()
    assert max(float((one[k] - two[k]).abs().max()) for k in one) < 1e-4 * moved


def test_trl_cuts_the_prompt_as_training_does(tiny_llama_dir, tmp_path):
    """TrainConfig.max_prompt_len reaches TRL: its rows hold the cut prompts, and its loss equals ours on them."""
    model, tok = _lora(tiny_llama_dir)
    base = models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False).model
    pairs = _pairs(tok.eos_token_id)
    trainer = td.make_dpo_trainer(model, tok, pairs, _cfg(max_prompt_len=8), tmp_path, ref_model=base,
                                  precompute_ref_log_probs=False)
    assert trainer.train_dataset[1]["prompt_ids"] == list(range(452, 460))
    cut = [truncate_prompt(p, 8) for p in pairs]
    _assert_same(td.trl_batch_loss(trainer, pairs), td.manual_batch_loss(model, cut, 0.1, MAX_LEN, tok.pad_token_id))
