"""Training (DPO or SFT): one iteration's optimisation of the LoRA adapter on pairs, written out by hand.

:func:`train` computes the reference log-probs once with the model as it stands (the previous iterate), then
steps through the pairs as packed rows (:func:`tsp_utils.dpo.pack`) with the loss of :func:`tsp_utils.dpo.dpo_loss`
(or SFT's cross-entropy). :mod:`tsp_utils.trl_dpo` trains the same pairs with TRL; the differences between the
two paths: ``docs/training.md``.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass, field
from typing import Sequence

import torch

from .dpo import build_sequence, collate, dpo_loss, pack, packed_pair_logps, sft_loss
from .models import autocast_dtype
from .pairs import PreferencePair
from .progress import tqdm


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

    @classmethod
    def from_run(cls, method: str, run_cfg, seed: int) -> "TrainConfig":
        """The training settings of a run profile (QLoRA on a T4 needs gradient checkpointing to fit)."""
        return cls(method, beta=run_cfg.dpo_beta, learning_rate=run_cfg.learning_rate, epochs=run_cfg.epochs,
                   batch_size=run_cfg.batch_size, grad_accum=run_cfg.grad_accum, max_seq_len=run_cfg.max_seq_len,
                   seed=seed, gradient_checkpointing=run_cfg.profile == "colab-t4")


@dataclass
class TrainLog:
    steps: list[dict[str, float]] = field(default_factory=list)
    wall_s: float = 0.0
    peak_gpu_mib: float | None = None

    def summary(self) -> dict[str, float]:
        if not self.steps:
            return {}
        last = self.steps[-max(1, len(self.steps) // 4):]  # the final quarter, less noisy than the last step
        keys = [k for k in self.steps[0] if k != "step"]
        return {k: sum(s[k] for s in last) / len(last) for k in keys}


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
    Each pair is one packed row (:func:`tsp_utils.dpo.pack`), so ``pad_id`` is not needed; it stays for existing
    callers.
    """
    was_training = model.training
    model.eval()
    out = []
    for p in pairs:
        chosen, rejected = packed_pair_logps(model, [pack(p, max_len)])
        out.append((float(chosen[0]), float(rejected[0])))
    model.train(was_training)
    return out


def train(model, pairs: Sequence[PreferencePair], cfg: TrainConfig, pad_id: int, progress: bool = True) -> TrainLog:
    """Train ``model`` (a peft model: only LoRA weights are trainable) on DPO pairs or SFT examples."""
    device = next(model.parameters()).device
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    is_dpo = cfg.method != "sft"
    # On a GPU the forward pass runs in the half-precision compute dtype (LoRA weights stay fp32); on CPU, fp32.
    amp_dtype = autocast_dtype(model)
    autocast = lambda: torch.autocast(device_type=device.type, dtype=amp_dtype or torch.float32,  # noqa: E731
                                      enabled=amp_dtype is not None)
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
    log = TrainLog()
    order = [i for _ in range(cfg.epochs) for i in rng.sample(range(len(pairs)), len(pairs))]
    batches = [order[i:i + cfg.batch_size] for i in range(0, len(order), cfg.batch_size)]
    model.train()
    start = time.perf_counter()
    optimizer.zero_grad(set_to_none=True)
    bar = tqdm(batches, desc=f"{cfg.method}", disable=not progress)
    for step, idx in enumerate(bar, 1):
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
        group = min(cfg.grad_accum, len(batches) - (step - 1) // cfg.grad_accum * cfg.grad_accum)
        (scaler.scale(loss / group) if scaler else loss / group).backward()
        if step % cfg.grad_accum == 0 or step == len(batches):
            if scaler:
                scaler.step(optimizer)
                scaler.update()
            else:
                optimizer.step()
            optimizer.zero_grad(set_to_none=True)
        entry = {"step": step, "loss": float(loss.detach()), **{k: float(v) for k, v in metrics.items()}}
        log.steps.append(entry)
        bar.set_postfix({k: f"{v:.3f}" for k, v in entry.items() if k != "step"})
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


__all__ = ["TrainConfig", "TrainLog", "reference_logps", "train", "adapter_digest"]
