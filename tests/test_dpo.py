"""The DPO loss written out, the sequences it is computed on (truncation, masking) and packed pairs."""

import math

import pytest
import torch

from tsp_utils import dpo, models
from tsp_utils.pairs import PreferencePair


def test_dpo_loss_matches_a_hand_computed_value():
    pc, pr = torch.tensor([-10.0, -5.0]), torch.tensor([-12.0, -4.0])
    rc, rr = torch.tensor([-11.0, -5.0]), torch.tensor([-11.0, -5.0])
    loss, m = dpo.dpo_loss(pc, pr, rc, rr, beta=0.1)
    # row 1: 0.1*((-10+11) - (-12+11)) = 0.2 ; row 2: 0.1*((0) - (1)) = -0.1
    expected = (-math.log(1 / (1 + math.exp(-0.2))) - math.log(1 / (1 + math.exp(0.1)))) / 2
    assert float(loss) == pytest.approx(expected, rel=1e-6)
    assert float(m["rewards/margins"]) == pytest.approx(0.05) and float(m["rewards/accuracies"]) == 0.5
    assert float(m["rewards/chosen"]) == pytest.approx(0.05) and float(m["rewards/rejected"]) == pytest.approx(0.0)
    assert float(m["logps/chosen"]) == pytest.approx(-7.5) and float(m["logps/rejected"]) == pytest.approx(-8.0)


def test_truncation_cuts_the_prompt_from_the_left_never_the_divergence_point():
    ids, n_prompt = dpo.build_sequence(list(range(100)), [900, 901, 902], max_len=20)
    assert ids[-3:] == [900, 901, 902] and n_prompt == 17 and ids[:n_prompt] == list(range(83, 100))
    ids, n_prompt = dpo.build_sequence([1, 2], list(range(50)), max_len=20, min_prompt=4)
    assert n_prompt == 2 and len(ids) == 18  # an over-long completion loses its tail, the prompt stays


@pytest.fixture(scope="module")
def tiny(tiny_llama_dir):
    return models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)


def test_prompt_labels_are_masked(tiny):
    batch = dpo.collate([dpo.build_sequence([5, 6, 7, 8], [9, 10, 11], 64)], 0, "cpu")
    base = dpo.sequence_logps(tiny.model, batch).detach()
    changed = {k: v.clone() for k, v in batch.items()}
    changed["labels"][0, 1:4] = torch.tensor([100, 200, 300])  # labels at prompt positions
    assert torch.allclose(dpo.sequence_logps(tiny.model, changed), base)
    assert torch.allclose(dpo.sft_loss(tiny.model, changed), dpo.sft_loss(tiny.model, batch))
    changed["labels"][0, 5] = 400  # a completion label does count
    assert not torch.allclose(dpo.sequence_logps(tiny.model, changed), base)
    # and the value is the sum of the completion tokens' log-probs, computed directly
    with torch.no_grad():
        logp = tiny.model(input_ids=batch["input_ids"]).logits[0].log_softmax(-1)
    assert float(base) == pytest.approx(float(logp[3, 9] + logp[4, 10] + logp[5, 11]), abs=1e-4)


def _packing_cases(eos):
    P = PreferencePair
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
    packed = [dpo.pack(p, max_len) for p in pairs]
    assert [k.n_shared for k in packed[:3]] == [4, 5, 5]
    assert len(packed[1].input_ids) == (3 + 6) + (3 + 4) - 5  # the shared prefix is in the row once
    assert packed[3].n_shared < 16  # the sides were cut differently from the left: little left to share

    def grads(loss):
        model.zero_grad()
        loss.backward()
        return {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}

    chosen = dpo.collate([dpo.build_sequence(p.prompt_ids, p.chosen_ids, max_len) for p in pairs], pad, "cpu")
    rejected = dpo.collate([dpo.build_sequence(p.prompt_ids, p.rejected_ids, max_len) for p in pairs], pad, "cpu")
    sc, sr = dpo.sequence_logps(model, chosen), dpo.sequence_logps(model, rejected)
    pc, pr = dpo.packed_pair_logps(model, packed)  # one padded batch of four packed rows
    assert torch.allclose(pc, sc, atol=1e-4) and torch.allclose(pr, sr, atol=1e-4)
    g_separate, g_packed = grads((sc - 2 * sr).sum()), grads((pc - 2 * pr).sum())
    for name in g_separate:
        assert torch.allclose(g_packed[name], g_separate[name], atol=1e-4, rtol=1e-3), name
    # the mask matters: without it the rejected tokens would read the chosen branch and get other log-probs
    plain = [dpo.PackedPair(k.input_ids, k.position_ids, len(k.input_ids), k.len_chosen, k.chosen_at,
                           k.chosen_tokens, k.rejected_at, k.rejected_tokens) for k in packed[:2]]
    assert not torch.allclose(dpo.packed_pair_logps(model, plain)[1], sr[:2], atol=1e-3)
