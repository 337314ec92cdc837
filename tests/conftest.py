"""Shared fixtures. Nothing here may touch the network: the hub is forced offline before transformers loads."""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("SEMGREP_ENABLE_VERSION_CHECK", "0")
# A developer's own CodeQL install would change verdicts and slow every oracle test; the CodeQL path is tested
# with a fake codeql (tests/test_oracle_codeql.py), which turns it back on.
os.environ.setdefault("TSP_ORACLE_CODEQL", "off")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def offline_cache(tmp_path_factory):
    """A cache dir holding the converted SmolLM2 checkpoint, converted once per test session.

    Returns (cache_dir, first_load) so the model tests can check that the first load really converted."""
    from tsp_utils import models

    cache = tmp_path_factory.mktemp("tsp_cache")
    assert not (cache / models.OFFLINE_MODEL_ID / "config.json").exists()
    first = models.load_model(models.OFFLINE_MODEL_ID, "none", cache_dir=cache, verbose=False)
    os.environ["TSP_CACHE_DIR"] = str(cache)  # notebooks run by later tests reuse it
    return cache, first


@pytest.fixture(scope="session")
def tiny_llama_dir(tmp_path_factory, offline_cache):
    """A randomly initialised, CodeLlama-shaped (Llama architecture) checkpoint small enough for CPU tests."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    from tsp_utils.models import OFFLINE_MODEL_ID, load_tokenizer

    cache, _ = offline_cache
    tokenizer = load_tokenizer(str(cache / OFFLINE_MODEL_ID))
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                         bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                         pad_token_id=tokenizer.pad_token_id, tie_word_embeddings=False)
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    path = tmp_path_factory.mktemp("tiny_llama")
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path
