"""Training (DPO or SFT): one iteration's optimisation of the LoRA adapter on pairs, written out by hand.

:func:`train` computes the reference log-probs once with the model as it stands (the previous iterate), then
takes optimizer steps over the pairs as packed rows (:func:`tsp_utils.dpo.pack`) with the loss of
:func:`tsp_utils.dpo.dpo_loss` (or SFT's cross-entropy), logging TRL's metric names per optimizer step and, every
``eval_every`` steps, a held-out evaluation. :mod:`tsp_utils.trl_dpo` trains the same pairs with TRL; the
differences between the two paths and the CPU shortcuts (``max_prompt_len``): ``docs/training.md``.
"""

from __future__ import annotations

import hashlib
import math
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Sequence

import torch

from .dpo import build_sequence, collate, dpo_loss, pack, packed_pair_logps, sft_loss
from .models import autocast_dtype
from .pairs import PreferencePair, truncate_prompt
from .progress import tqdm

Evaluate = Callable[[object], dict[str, float]]  # the model (eval mode, no gradient) -> metrics, e.g. eval/node_*


@dataclass
class TrainConfig:
    method: str
    beta: float = 0.1
    learning_rate: float = 5e-5
    epochs: int = 1
    batch_size: int = 1
    grad_accum: int = 4
    max_seq_len: int = 1024
    seed: int = 0
    optimizer: str = "auto"  # "auto": paged 8-bit AdamW on CUDA (QLoRA recipe), AdamW elsewhere
    gradient_checkpointing: bool = False
    log_every: int = 1
    max_prompt_len: int | None = None  # prompts cut from the left to this many tokens (None: full, as the paper)
    eval_every: int = 0  # optimizer steps between held-out evaluations (0: only before and after training)

    @classmethod
    def from_run(cls, method: str, run_cfg, seed: int) -> "TrainConfig":
        """The training settings of a run profile (QLoRA on a T4 needs gradient checkpointing to fit)."""
        return cls(method, beta=run_cfg.dpo_beta, learning_rate=run_cfg.learning_rate, epochs=run_cfg.epochs,
                   batch_size=run_cfg.batch_size, grad_accum=run_cfg.grad_accum, max_seq_len=run_cfg.max_seq_len,
                   seed=seed, gradient_checkpointing=run_cfg.profile == "colab-t4",
                   max_prompt_len=run_cfg.max_prompt_len, eval_every=run_cfg.eval_every)


@dataclass
class TrainLog:
    """One entry per optimizer step (``step`` 1..n: the loss and :data:`METRICS`, means over the step's batches;
    entries with ``eval/...`` keys where the held-out evaluation ran, ``step`` 0 before training), the wall time of
    training and of the evaluations, and the budget (:func:`training_budget`)."""

    steps: list[dict[str, float]] = field(default_factory=list)
    wall_s: float = 0.0
    eval_s: float = 0.0
    peak_gpu_mib: float | None = None
    budget: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, float]:
        """The training metrics averaged over the final quarter of the steps (less noisy than the last step), and
        the last held-out evaluation."""
        trained = [s for s in self.steps if "loss" in s]
        out: dict[str, float] = {}
        if trained:
            last = trained[-max(1, len(trained) // 4):]
            keys = [k for k in trained[0] if k != "step" and not k.startswith("eval/")]
            out = {k: sum(s[k] for s in last) / len(last) for k in keys}
        evals = [s for s in self.steps if any(k.startswith("eval/") for k in s)]
        if evals:
            out.update({k: v for k, v in evals[-1].items() if k.startswith("eval/")})
        return out


def training_budget(pairs: Sequence[PreferencePair], cfg: TrainConfig) -> dict[str, int]:
    """What one iteration trains on, counted as the loop sees it: optimizer steps, examples (repeats and epochs
    included), distinct examples, and tokens after the prompt cut (``max_prompt_len``) and the sequence cut
    (``max_seq_len``): prompt tokens, and the scored completion tokens of each side (SFT: chosen only)."""
    pairs = [truncate_prompt(p, cfg.max_prompt_len) for p in pairs]
    tokens = defaultdict(int)
    for p in pairs:
        ids, n_prompt = build_sequence(p.prompt_ids, p.chosen_ids, cfg.max_seq_len)
        tokens["prompt_tokens"] += n_prompt
        tokens["chosen_tokens"] += len(ids) - n_prompt
        if p.rejected_ids and cfg.method != "sft":
            ids, n_prompt = build_sequence(p.prompt_ids, p.rejected_ids, cfg.max_seq_len)
            tokens["rejected_tokens"] += len(ids) - n_prompt
    examples = len(pairs) * cfg.epochs
    return {"optimizer_steps": math.ceil(math.ceil(examples / cfg.batch_size) / cfg.grad_accum),
            "examples": examples, "distinct_examples": len({_key(p) for p in pairs}),
            **{k: tokens[k] * cfg.epochs for k in ("prompt_tokens", "chosen_tokens", "rejected_tokens")}}


def _key(p: PreferencePair) -> tuple:
    return tuple(p.prompt_ids), tuple(p.chosen_ids), tuple(p.rejected_ids)


def _optimizer(params, cfg: TrainConfig, device_type: str):
    if cfg.optimizer in ("auto", "paged_adamw_8bit") and device_type == "cuda":
        import bitsandbytes as bnb  # CUDA only: on a CPU machine importing it only warns about missing kernels

        return bnb.optim.PagedAdamW8bit(params, lr=cfg.learning_rate)
    return torch.optim.AdamW(params, lr=cfg.learning_rate)


@torch.no_grad()
def reference_logps(model, pairs: Sequence[PreferencePair], max_len: int, pad_id: int) -> list[tuple[float, float]]:
    """log pi_ref(chosen), log pi_ref(rejected) per pair, computed once before an iteration's training.

    The reference policy is the previous iterate, which is exactly the model as it stands before this iteration
    trains; computing it up front (as TRL's ``precompute_ref_log_probs`` does) saves a second model in memory.
    Each distinct pair is one packed row (:func:`tsp_utils.dpo.pack`) scored once, however often the data budget
    repeats it. ``pad_id`` is not needed; it stays for existing callers.
    """
    was_training = model.training
    model.eval()
    done: dict[tuple, tuple[float, float]] = {}
    for p in pairs:
        if _key(p) not in done:
            chosen, rejected = packed_pair_logps(model, [pack(p, max_len)])
            done[_key(p)] = (float(chosen[0]), float(rejected[0]))
    model.train(was_training)
    return [done[_key(p)] for p in pairs]


def cached_by_adapter(evaluate: Evaluate) -> Evaluate:
    """``evaluate`` computed once per state of the LoRA weights (:func:`adapter_digest`): every method starts from
    the same seeded adapter, and iteration t+1 starts where t ended, so their held-out scores are reused rather
    than recomputed. For one base model: the digest covers the LoRA weights only."""
    cache: dict[str, dict[str, float]] = {}

    def run(model) -> dict[str, float]:
        digest = adapter_digest(model)
        if digest not in cache:
            cache[digest] = evaluate(model)
        return dict(cache[digest])

    return run


def _run_eval(model, evaluate: Evaluate, autocast) -> dict[str, float]:
    was_training = model.training
    model.eval()  # no dropout: the score of the model as it stands
    try:
        with torch.no_grad(), autocast():
            return {k: float(v) for k, v in evaluate(model).items()}
    finally:
        model.train(was_training)


def train(model, pairs: Sequence[PreferencePair], cfg: TrainConfig, pad_id: int, progress: bool = True,
          evaluate: Evaluate | None = None) -> TrainLog:
    """Train ``model`` (a peft model: only LoRA weights are trainable) on DPO pairs or SFT examples.

    One log entry per optimizer step (``cfg.grad_accum`` batches of ``cfg.batch_size``). ``evaluate(model)``, if
    given, runs before the first step (logged as step 0), after every ``cfg.eval_every``-th step and after the last
    one; its metrics join that step's entry."""
    device = next(model.parameters()).device
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    is_dpo = cfg.method != "sft"
    log = TrainLog(budget=training_budget(pairs, cfg))
    pairs = [truncate_prompt(p, cfg.max_prompt_len) for p in pairs]
    # On a GPU the forward pass runs in the half-precision compute dtype (LoRA weights stay fp32); on CPU, fp32.
    amp_dtype = autocast_dtype(model)
    autocast = lambda: torch.autocast(device_type=device.type, dtype=amp_dtype or torch.float32,  # noqa: E731
                                      enabled=amp_dtype is not None)
    start = time.perf_counter()
    with autocast():  # the reference is computed the way the policy will be: in iteration 1 they are equal
        refs = reference_logps(model, pairs, cfg.max_seq_len, pad_id) if is_dpo else None
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("the model has no trainable parameters: attach a LoRA adapter first (models.attach_lora)")
    optimizer = _optimizer(params, cfg, device.type)
    # fp16 gradients underflow without loss scaling (T4); bf16 (Ampere+) and fp32 (CPU) need none.
    scaler = torch.amp.GradScaler("cuda") if amp_dtype == torch.float16 else None
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    order = [i for _ in range(cfg.epochs) for i in rng.sample(range(len(pairs)), len(pairs))]
    batches = [order[i:i + cfg.batch_size] for i in range(0, len(order), cfg.batch_size)]
    groups = [batches[i:i + cfg.grad_accum] for i in range(0, len(batches), cfg.grad_accum)]

    def evaluation(step: int) -> dict[str, float]:
        if evaluate is None or not (step == 0 or step == len(groups) or (cfg.eval_every and step % cfg.eval_every == 0)):
            return {}
        t0 = time.perf_counter()
        out = _run_eval(model, evaluate, autocast)
        log.eval_s += time.perf_counter() - t0
        return out

    if evaluate is not None:
        log.steps.append({"step": 0, **evaluation(0)})
    model.train()
    optimizer.zero_grad(set_to_none=True)
    bar = tqdm(groups, desc=f"{cfg.method}", disable=not progress)
    for step, group in enumerate(bar, 1):
        sums: dict[str, float] = defaultdict(float)
        for idx in group:
            with autocast():
                if is_dpo:
                    pc, pr = packed_pair_logps(model, [pack(pairs[i], cfg.max_seq_len) for i in idx])
                    rc = torch.tensor([refs[i][0] for i in idx], device=device)
                    rr = torch.tensor([refs[i][1] for i in idx], device=device)
                    loss, metrics = dpo_loss(pc, pr, rc, rr, cfg.beta)
                else:
                    chosen = collate([build_sequence(pairs[i].prompt_ids, pairs[i].chosen_ids, cfg.max_seq_len)
                                      for i in idx], pad_id, device)
                    loss, metrics = sft_loss(model, chosen), {}
            # The mean over the accumulation group, the last one too when fewer batches are left to fill it.
            (scaler.scale(loss / len(group)) if scaler else loss / len(group)).backward()
            for k, v in {"loss": loss, **metrics}.items():
                sums[k] += float(v.detach()) / len(group)
        if scaler:
            scaler.step(optimizer)
            scaler.update()
        else:
            optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        entry = {"step": step, **sums, **evaluation(step)}
        log.steps.append(entry)
        bar.set_postfix({k.split("/")[-1]: f"{v:.3f}" for k, v in entry.items()
                         if k in ("loss", "rewards/margins", "rewards/accuracies", "eval/node_accuracy")})
    log.wall_s = time.perf_counter() - start
    if device.type == "cuda":
        log.peak_gpu_mib = torch.cuda.max_memory_allocated() / 2**20
    model.eval()
    return log


def adapter_digest(model) -> str:
    """A fingerprint of the LoRA weights, to show that iterations really change the policy."""
    h = hashlib.sha256()
    for name, p in sorted(model.named_parameters()):
        if "lora_" in name:
            h.update(p.detach().float().cpu().numpy().tobytes())
    return h.hexdigest()[:16]


__all__ = ["TrainConfig", "TrainLog", "Evaluate", "training_budget", "reference_logps", "cached_by_adapter",
           "train", "adapter_digest"]
