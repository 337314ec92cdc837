"""Training: DPO grows the reward margin and SFT lowers its loss on a tiny model."""

from tsp_utils import dpo, models, training
from tsp_utils.pairs import PreferencePair


def test_training_grows_the_margin_and_lowers_the_sft_loss(tiny_llama_dir):
    lm = models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)
    pad = lm.tokenizer.pad_token_id
    pairs = [PreferencePair("tsp-oracle", "t", "python", "cwe-078", [1, 5, 6, 7], [20, 21, 22, 23], [30, 31, 32, 33]),
             PreferencePair("tsp-oracle", "t", "python", "cwe-078", [1, 8, 9], [40, 41, 42], [50, 51, 52])]
    model = models.attach_lora(lm.model, r=8, alpha=16, dropout=0.0)
    cfg = training.TrainConfig("tsp-oracle", learning_rate=5e-3, grad_accum=1)
    log = training.train(model, pairs * 4, cfg, pad, progress=False)
    assert log.steps[-1]["margin"] > log.steps[0]["margin"] and log.steps[-1]["margin"] > 0
    lm2 = models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)
    model2 = models.attach_lora(lm2.model, r=8, alpha=16, dropout=0.0)
    sft = [PreferencePair("sft", "t", "python", "cwe-078", [1, 5, 6], [20, 21, 22, 23, 24], [])]
    batch = dpo.collate([dpo.build_sequence(sft[0].prompt_ids, sft[0].chosen_ids, 64)], pad, "cpu")
    before = float(dpo.sft_loss(model2, batch))
    training.train(model2, sft * 8, training.TrainConfig("sft", learning_rate=5e-3, grad_accum=1), pad, progress=False)
    assert float(dpo.sft_loss(model2, batch)) < before
