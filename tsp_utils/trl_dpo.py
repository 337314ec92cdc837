"""Training through TRL's ``DPOTrainer``: the pairs and the loss of :func:`tsp_utils.training.train`, at scale.

The notebooks train with the loop written out in :mod:`tsp_utils.training`; for several GPUs (``accelerate
launch scripts/train_dpo_accelerate.py``), DeepSpeed or FSDP this module hands the very same token ids to TRL,
configured so that TRL computes the very same loss (``tests/test_trl_dpo.py`` checks it against
:func:`manual_batch_loss`). What TRL needed, and which of its defaults were set back: ``docs/training.md``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
import warnings
from pathlib import Path
from typing import Any, Iterator, Sequence

import torch
from datasets import Dataset, Features, Sequence as Seq, Value, load_from_disk
from trl import DPOConfig, DPOTrainer

from .artifacts import atomic_dir
from .dpo import build_sequence, collate, dpo_loss, sequence_logps
from .models import autocast_dtype
from .pairs import MIN_PROMPT, PreferencePair, cut_completion, truncate_prompt
from .training import TrainConfig, TrainLog

PAIR_COLUMNS = ("prompt_ids", "chosen_ids", "rejected_ids")
REF_ADAPTER = "ref"  # the name TRL 1.16 gives the frozen copy of the adapter it uses as the reference
# The metrics TRL logs per step; dpo.dpo_loss and training.train log them under the same names
METRICS = ("rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies", "logps/chosen",
           "logps/rejected")


# --------------------------------------------------------------------------------------------- data


def _fit_completion(ids: Sequence[int], max_len: int | None, min_prompt: int) -> list[int]:
    """The first cut of ``dpo.build_sequence``: an over-long completion loses its tail."""
    return list(ids) if max_len is None else cut_completion(ids, max_len, min_prompt)


def pair_rows(pairs: Sequence[PreferencePair], max_len: int | None = None,
              min_prompt: int = MIN_PROMPT) -> list[dict[str, list[int]]]:
    """TRL's pre-tokenized preference rows (``prompt_ids``, ``chosen_ids``, ``rejected_ids``), one per pair."""
    rows = []
    for i, p in enumerate(pairs):
        if not p.rejected_ids:
            raise ValueError(f"pair {i} ({p.method}, {p.task_id}) has no rejected side: DPO needs preference pairs, "
                             "not SFT examples (train those with training.train)")
        if not p.chosen_ids:
            raise ValueError(f"pair {i} ({p.method}, {p.task_id}) has an empty chosen side")
        rows.append({"prompt_ids": [int(t) for t in p.prompt_ids],
                     "chosen_ids": _fit_completion(p.chosen_ids, max_len, min_prompt),
                     "rejected_ids": _fit_completion(p.rejected_ids, max_len, min_prompt)})
    return rows


def pairs_to_dataset(pairs: Sequence[PreferencePair], max_len: int | None = None, min_prompt: int = MIN_PROMPT):
    """The pairs as a ``datasets.Dataset`` in TRL's pre-tokenized preference format.

    Columns ``prompt_ids``, ``chosen_ids``, ``rejected_ids`` (lists of token ids), which TRL's
    ``DataCollatorForPreference`` joins as ``prompt_ids + chosen_ids`` / ``prompt_ids + rejected_ids`` and scores
    on the completion tokens only. Nothing is re-tokenized, so the prompt/completion boundary stays the branch point.
    With ``max_len``, completions longer than ``max_len - min_prompt`` lose their tail, as in
    ``dpo.build_sequence``; the prompt is left whole here, and cut from the left by the collator
    (``truncation_mode="keep_end"``, see :func:`make_dpo_trainer`).
    """
    features = Features({c: Seq(Value("int64")) for c in PAIR_COLUMNS})
    return Dataset.from_list(pair_rows(pairs, max_len, min_prompt), features=features)


def _pairs_digest(rows: list[dict[str, list[int]]]) -> str:
    h = hashlib.sha256()
    for row in rows:
        h.update(json.dumps([row[c] for c in PAIR_COLUMNS], separators=(",", ":")).encode())
    return h.hexdigest()[:16]


def _dataset_on_disk(pairs, max_len: int | None, min_prompt: int, folder: Path, args):
    """Save the dataset under ``folder`` (once per content) and load it back, so that it has cache files.

    TRL's ``precompute_ref_log_probs`` writes the reference log-probs to a cache file next to the dataset's own
    files; an in-memory dataset has none, and then every process picks a different random file name. The main
    process writes first, the others wait (``main_process_first``) and load the same directory."""
    rows = pair_rows(pairs, max_len, min_prompt)
    # TRL caches the reference log-probs next to these files under a key of (dataset fingerprint, model hash); the
    # collator's cut (max_len) changes them too, so it is part of the folder name
    target = folder / f"pairs-{_pairs_digest(rows)}-n{len(rows)}-len{max_len}-min{min_prompt}"
    with args.main_process_first(local=True, desc="saving the preference pairs"):
        if not (target / "state.json").exists():
            with atomic_dir(target) as tmp:
                pairs_to_dataset(pairs, max_len, min_prompt).save_to_disk(str(tmp))
    return load_from_disk(str(target))


# --------------------------------------------------------------------------------------------- the trainer


class TokenIdDPOTrainer(DPOTrainer):
    """``DPOTrainer`` that trains on token ids as given.

    TRL 1.16's ``_prepare_dataset`` re-tokenizes every dataset (and fails on one without text columns); a
    dataset holding ``prompt_ids``, ``chosen_ids`` and ``rejected_ids`` is passed through untouched instead.
    Text datasets still go through TRL's own preparation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _no_dropout_in_reference_adapter(self.model)

    def _precompute_ref_logps(self, dataset, name, batch_size):
        # training.reference_logps runs in eval mode; TRL leaves the mode as it finds it, and the "ref" adapter
        # it has just added was created in training mode, so its LoRA dropout would make the reference noisy
        with _eval_mode(self.model), (_eval_mode(self.ref_model) if self.ref_model is not None
                                      else contextlib.nullcontext()):
            return super()._precompute_ref_logps(dataset, name, batch_size)

    def _prepare_dataset(self, dataset, processing_class, args, dataset_name):
        columns = getattr(dataset, "column_names", None) or list(next(iter(dataset)).keys())
        if set(PAIR_COLUMNS) <= set(columns):
            return dataset
        return super()._prepare_dataset(dataset, processing_class, args, dataset_name)


def _is_peft(model) -> bool:
    return hasattr(model, "peft_config") and hasattr(model, "disable_adapter")


def _no_dropout_in_reference_adapter(model) -> None:
    """The frozen ``"ref"`` adapter is a reference, not something being trained: dropout in it would only add noise
    to the reference log-probs computed on the fly (``precompute_ref_log_probs=False``) while the policy trains."""
    for module in model.modules():
        dropouts = getattr(module, "lora_dropout", None)
        if isinstance(dropouts, torch.nn.ModuleDict) and REF_ADAPTER in dropouts:
            dropouts[REF_ADAPTER] = torch.nn.Identity()


def drop_reference_adapter(model_or_trainer) -> bool:
    """Remove the frozen ``"ref"`` adapter copy TRL adds to a PEFT model; True if there was one.

    Call it after training: the model then holds only its own adapter again (``models.save_adapter`` would
    otherwise save the copy too, in a ``ref/`` subfolder), and the next iteration's trainer can copy the new
    adapter as its reference."""
    model = getattr(model_or_trainer, "model", model_or_trainer)
    if hasattr(model_or_trainer, "accelerator"):
        model = model_or_trainer.accelerator.unwrap_model(model)
    if not _is_peft(model) or REF_ADAPTER not in model.peft_config:
        return False
    if model.active_adapter == REF_ADAPTER:
        model.set_adapter("default")
    model.delete_adapter(REF_ADAPTER)
    return True


def _precision_flags(model) -> dict[str, bool]:
    """Mixed precision as in training.train: the model's half-precision compute dtype on a GPU, fp32 on CPU."""
    amp = autocast_dtype(model)
    return {"fp16": amp == torch.float16, "bf16": amp == torch.bfloat16}


def dpo_config(cfg: TrainConfig, output_dir, model=None, **overrides):
    """The ``DPOConfig`` that makes TRL's training match ``training.train`` (``docs/training.md``, "The TRL path")."""
    on_cuda = model is not None and next(model.parameters()).device.type == "cuda"
    optim = "paged_adamw_8bit" if on_cuda and cfg.optimizer in ("auto", "paged_adamw_8bit") else "adamw_torch"
    if cfg.optimizer not in ("auto", "paged_adamw_8bit", "adamw", "adamw_torch"):
        optim = cfg.optimizer  # any optimizer name transformers knows
    kwargs: dict[str, Any] = dict(
        output_dir=str(output_dir),
        # the loss: plain sigmoid DPO on summed completion log-probs
        loss_type=["sigmoid"], beta=cfg.beta, label_smoothing=0.0, ld_alpha=None, use_weighting=False,
        f_divergence_type="reverse_kl",
        # the data: sequences exactly as dpo.build_sequence builds them
        max_length=cfg.max_seq_len, truncation_mode="keep_end", pad_to_multiple_of=None,
        precompute_ref_log_probs=True, remove_unused_columns=True,
        # the optimisation: training.train's recipe
        learning_rate=cfg.learning_rate, per_device_train_batch_size=cfg.batch_size,
        gradient_accumulation_steps=cfg.grad_accum, num_train_epochs=cfg.epochs, seed=cfg.seed, data_seed=cfg.seed,
        lr_scheduler_type="constant", warmup_steps=0, weight_decay=0.01, max_grad_norm=0.0, optim=optim,
        # (transformers 5 renamed gradient_checkpointing to activation_checkpointing; TRL reads the mirrored old name)
        activation_checkpointing=cfg.gradient_checkpointing, disable_dropout=False,
        **(_precision_flags(model) if model is not None else {"fp16": False, "bf16": False}),
        # bookkeeping: we save the adapter ourselves
        logging_steps=max(1, cfg.log_every), save_strategy="no", report_to="none", dataloader_num_workers=0,
        dataloader_pin_memory=on_cuda,
    )
    if cfg.gradient_checkpointing:
        kwargs["activation_checkpointing_kwargs"] = {"use_reentrant": False}
    if int(os.environ.get("WORLD_SIZE", "1")) > 1:
        # every LoRA weight gets a gradient in every step, so DDP need not search the graph for unused parameters
        # (a traversal per step, and known to clash with reentrant gradient checkpointing)
        kwargs["ddp_find_unused_parameters"] = False
    for old, new in (("gradient_checkpointing", "activation_checkpointing"),
                     ("gradient_checkpointing_kwargs", "activation_checkpointing_kwargs")):
        if old in overrides:  # the deprecated name would lose to the new one set above
            overrides[new] = overrides.pop(old)
    kwargs.update(overrides)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*keep_end.*", category=FutureWarning)
        return DPOConfig(**kwargs)


def make_dpo_trainer(model, tokenizer, pairs: Sequence[PreferencePair], cfg: TrainConfig, output_dir,
                     ref_model=None, *, min_prompt: int = MIN_PROMPT, adapter_fp32: bool = True, **overrides):
    """A TRL ``DPOTrainer`` on ``pairs`` that optimises the same loss as ``training.train``.

    ``model`` is a peft model (``models.attach_lora`` or ``models.load_adapter(..., trainable=True)``) on a full or
    4-bit base. DPOConfig: ``loss_type="sigmoid"``, ``beta=cfg.beta``, ``cfg``'s learning rate, batch size, gradient
    accumulation and epochs, ``max_length=cfg.max_seq_len`` with ``truncation_mode="keep_end"`` (the completion is
    kept, the prompt is cut from the left), reference log-probs precomputed, gradient checkpointing as
    ``cfg.gradient_checkpointing``, ``optim="paged_adamw_8bit"`` on CUDA (``cfg.optimizer="auto"``), fp16 on a T4 /
    bf16 on Ampere+ (the compute dtype ``models.load_model`` chose), ``report_to="none"``. ``overrides`` are any
    further ``DPOConfig`` fields (e.g. ``max_steps=2``, ``precompute_ref_log_probs=False``).

    Reference model: with ``ref_model=None`` and a peft model, TRL 1.16 freezes a copy of the adapter as it is now
    (adapter ``"ref"``) and uses it as the reference. That is the previous iterate -- ``training.train``'s
    reference -- in every iteration; in iteration 1 the adapter is fresh (``lora_B = 0``), so it equals the
    adapter-disabled base model. Call :func:`drop_reference_adapter` (or use :func:`train_dpo`) once training is over.
    """
    if not pairs:
        raise ValueError("no preference pairs to train on")
    if cfg.method == "sft":
        raise ValueError("make_dpo_trainer trains DPO pairs; train SFT examples with training.train")
    drop_reference_adapter(model)  # a copy left by an earlier iteration would be a stale reference
    pairs = [truncate_prompt(p, cfg.max_prompt_len) for p in pairs]  # the CPU shortcut, as training.train applies it
    args = dpo_config(cfg, output_dir, model, **overrides)
    if args.max_length is not None and args.truncation_mode != "keep_end":
        warnings.warn("truncation_mode is not 'keep_end': over-long pairs will lose completion tokens, not prompt "
                      "tokens, and differ from dpo.build_sequence", stacklevel=2)
    if args.precompute_ref_log_probs:
        dataset = _dataset_on_disk(pairs, args.max_length, min_prompt, Path(output_dir) / "data", args)
    else:
        dataset = pairs_to_dataset(pairs, args.max_length, min_prompt)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.unk_token or tokenizer.eos_token
    trainer = TokenIdDPOTrainer(model=model, ref_model=ref_model, args=args, train_dataset=dataset,
                                        processing_class=tokenizer)
    trainer.tsp_min_prompt = min_prompt
    trainer.tsp_max_prompt_len = cfg.max_prompt_len
    if adapter_fp32:
        # TRL casts a QLoRA adapter to bf16; training.train keeps LoRA weights in fp32 (the optimizer is built in
        # train(), so recasting here is safe)
        for p in model.parameters():
            if p.requires_grad and p.dtype != torch.float32:
                p.data = p.data.float()
    return trainer


def train_dpo(model, tokenizer, pairs: Sequence[PreferencePair], cfg: TrainConfig, output_dir, ref_model=None,
              **overrides) -> TrainLog:
    """Build the trainer, train, drop the reference copy; return the log in ``training.TrainLog``'s format."""
    start = time.perf_counter()
    trainer = make_dpo_trainer(model, tokenizer, pairs, cfg, output_dir, ref_model, **overrides)
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    trainer.train()
    drop_reference_adapter(trainer)
    model.eval()
    log = trainer_log(trainer)
    log.wall_s = time.perf_counter() - start
    if torch.cuda.is_available():
        log.peak_gpu_mib = torch.cuda.max_memory_allocated() / 2**20
    return log


def trainer_log(trainer) -> TrainLog:
    """TRL's logged steps as a ``training.TrainLog`` (the loss and :data:`METRICS`, under TRL's own names)."""
    log = TrainLog()
    for entry in trainer.state.log_history:
        if "loss" not in entry or "step" not in entry:
            continue  # the final summary (train_loss, train_runtime, ...) and eval entries
        row = {"step": entry["step"], "loss": float(entry["loss"])}
        row.update({key: float(entry[key]) for key in METRICS if key in entry})
        log.steps.append(row)
    return log


# --------------------------------------------------------------------------------------------- one batch, both ways


@contextlib.contextmanager
def _eval_mode(model) -> Iterator[None]:
    was_training = model.training
    model.eval()
    try:
        yield
    finally:
        model.train(was_training)


def trl_batch_loss(trainer, pairs: Sequence[PreferencePair]) -> tuple[torch.Tensor, dict[str, float]]:
    """TRL's DPO loss and reward metrics on ``pairs`` as one batch (no gradient, eval mode: no dropout).

    The batch goes through the trainer's own collator, reference (the precomputed path's
    ``compute_ref_log_probs`` or the on-the-fly one) and ``compute_loss``; the metrics are the ones TRL logs
    (batch means), which ``dpo.dpo_loss`` returns under the same names."""
    pairs = [truncate_prompt(p, getattr(trainer, "tsp_max_prompt_len", None)) for p in pairs]
    rows = pair_rows(pairs, trainer.args.max_length, getattr(trainer, "tsp_min_prompt", MIN_PROMPT))
    batch = trainer._prepare_inputs(trainer.data_collator(rows))
    model = trainer.model
    metrics_store = trainer._metrics["eval"]
    with _eval_mode(model), torch.no_grad():
        if trainer.precompute_ref_logps:
            ref_chosen, ref_rejected = trainer.compute_ref_log_probs(trainer.ref_model or model, batch)
            batch["ref_chosen_logps"], batch["ref_rejected_logps"] = ref_chosen, ref_rejected
        metrics_store.clear()
        with trainer.compute_loss_context_manager():
            loss = trainer.compute_loss(model, batch)
        metrics = {key: metrics_store[key][-1] for key in METRICS if metrics_store.get(key)}
        metrics_store.clear()
    return loss.detach().float(), metrics


@contextlib.contextmanager
def reference_of(model, ref_adapter: str | None = None) -> Iterator[None]:
    """Run ``model`` as the reference: all adapters disabled (``ref_adapter=None``: the base model), or with the
    adapter ``ref_adapter`` active (``"ref"``: TRL's frozen copy). Trainable flags are restored afterwards."""
    if ref_adapter is None:
        with model.disable_adapter():
            yield
        return
    flags = {n: p.requires_grad for n, p in model.named_parameters()}
    previous = model.active_adapter
    model.set_adapter(ref_adapter)
    try:
        yield
    finally:
        model.set_adapter(previous)
        for n, p in model.named_parameters():
            p.requires_grad_(flags[n])


def manual_batch_loss(model, pairs: Sequence[PreferencePair], beta: float, max_len: int, pad_id: int, *,
                      ref_adapter: str | None = None,
                      min_prompt: int = MIN_PROMPT) -> tuple[torch.Tensor, dict[str, float]]:
    """Our DPO loss on ``pairs`` as one batch: ``dpo.build_sequence``/``collate``/``sequence_logps``/``dpo_loss``.

    The policy is ``model`` as it is; the reference is the same model with its adapter disabled
    (``with model.disable_adapter():``, the base model), or with adapter ``ref_adapter`` active. No gradient, eval
    mode (no dropout), like :func:`trl_batch_loss`."""
    device = next(model.parameters()).device
    chosen = collate([build_sequence(p.prompt_ids, p.chosen_ids, max_len, min_prompt) for p in pairs], pad_id, device)
    rejected = collate([build_sequence(p.prompt_ids, p.rejected_ids, max_len, min_prompt) for p in pairs], pad_id,
                       device)
    with _eval_mode(model), torch.no_grad():
        policy_chosen = sequence_logps(model, chosen)
        policy_rejected = sequence_logps(model, rejected)
        with reference_of(model, ref_adapter):
            ref_chosen, ref_rejected = sequence_logps(model, chosen), sequence_logps(model, rejected)
        loss, metrics = dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta)
    return loss, {k: float(v) for k, v in metrics.items()}


__all__ = ["PAIR_COLUMNS", "REF_ADAPTER", "METRICS", "pair_rows", "pairs_to_dataset", "dpo_config", "make_dpo_trainer",
           "train_dpo", "trainer_log", "drop_reference_adapter", "trl_batch_loss", "manual_batch_loss",
           "reference_of", "TokenIdDPOTrainer"]
