#!/usr/bin/env python
"""Train one self-play iteration on a pairs file through TRL's DPOTrainer, on one or several GPUs.

    accelerate launch scripts/train_dpo_accelerate.py \\
        --model codellama/CodeLlama-7b-Instruct-hf --pairs RUN_DIR/adapters/tsp-oracle/pairs_iter_1.jsonl \\
        --out RUN_DIR/trl/tsp-oracle/iter_1

    # iteration t > 1: continue the previous iterate's adapter (it is also the DPO reference)
    accelerate launch scripts/train_dpo_accelerate.py --model ... --pairs .../pairs_iter_2.jsonl \\
        --init-adapter RUN_DIR/trl/tsp-oracle/iter_1/adapter --out RUN_DIR/trl/tsp-oracle/iter_2

    # CPU, one process (what the tests' tiny checkpoint runs on)
    python scripts/train_dpo_accelerate.py --model /path/to/checkpoint --pairs pairs.jsonl --out out/

The pairs file is ``pairs.save_pairs``'s JSONL (token ids; nothing is re-tokenized). The model is loaded with
``models.load_model`` (4-bit NF4 on a GPU unless ``--quantization none``), a LoRA adapter is attached (or loaded
with ``--init-adapter``), ``trl_dpo.make_dpo_trainer`` trains it with the same loss as ``training.train``, and the
main process writes ``OUT/adapter/`` (``models.save_adapter``) and ``OUT/manifest.json``. The effective batch is
``--batch-size`` (per device) x ``--grad-accum`` x the number of processes.

CPU check of the multi-process path (gloo instead of NCCL; ``accelerate launch --cpu`` starts a single process):

    ACCELERATE_USE_CPU=true torchrun --nproc_per_node 2 scripts/train_dpo_accelerate.py --quantization none ...
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, fields
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # `accelerate launch scripts/...` without the package installed
    sys.path.insert(0, str(REPO))

import torch  # noqa: E402

from tsp_utils import models, pairs as pr, training  # noqa: E402
from tsp_utils.artifacts import atomic_write_json  # noqa: E402
from tsp_utils.training import TrainConfig  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    d = {f.name: f.default for f in fields(TrainConfig) if f.name != "method"}
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default=None, help="hub id or checkpoint dir (default: models.load_model's: "
                   "CodeLlama-7B-Instruct on a GPU, the offline SmolLM2 on CPU)")
    p.add_argument("--pairs", required=True, type=Path, help="pairs JSONL written by pairs.save_pairs")
    p.add_argument("--out", required=True, type=Path, help="output dir: adapter/, manifest.json, trl/")
    p.add_argument("--quantization", default="auto", choices=["auto", "nf4", "none"])
    p.add_argument("--init-adapter", type=Path, default=None,
                   help="continue this adapter (the previous iterate; it is also the DPO reference)")
    p.add_argument("--lora-r", type=int, default=16)
    p.add_argument("--lora-alpha", type=int, default=32)
    p.add_argument("--lora-dropout", type=float, default=0.05)
    p.add_argument("--method", default=None, help="label for the manifest (default: the pairs' own method)")
    p.add_argument("--beta", type=float, default=d["beta"])
    p.add_argument("--learning-rate", type=float, default=d["learning_rate"])
    p.add_argument("--epochs", type=int, default=d["epochs"])
    p.add_argument("--batch-size", type=int, default=d["batch_size"], help="per device")
    p.add_argument("--grad-accum", type=int, default=d["grad_accum"])
    p.add_argument("--max-seq-len", type=int, default=d["max_seq_len"])
    p.add_argument("--seed", type=int, default=d["seed"])
    p.add_argument("--optimizer", default=d["optimizer"],
                   help="auto: paged_adamw_8bit on CUDA, adamw_torch elsewhere; or any transformers optim name")
    p.add_argument("--gradient-checkpointing", action=argparse.BooleanOptionalAction, default=None,
                   help="default: on with a CUDA GPU")
    p.add_argument("--max-steps", type=int, default=-1, help="stop after this many optimizer steps (-1: all epochs)")
    p.add_argument("--no-precompute-ref", action="store_true",
                   help="compute the reference log-probs in every step instead of once up front")
    p.add_argument("--log-every", type=int, default=d["log_every"])
    return p.parse_args(argv)


def process_device_map():
    """Under ``accelerate launch`` with several GPUs, each process holds a whole replica on its own GPU (the
    default ``device_map="auto"`` would spread one model over every visible GPU)."""
    local_rank = int(os.environ.get("LOCAL_RANK", "-1"))
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1 or local_rank < 0 or not torch.cuda.is_available():
        return None
    torch.cuda.set_device(local_rank)
    return {"": local_rank}


def build_model(args, gradient_checkpointing: bool, verbose: bool):
    loaded = models.load_model(args.model, args.quantization, verbose=verbose, device_map=process_device_map())
    if args.init_adapter is None:
        model = models.attach_lora(loaded.model, r=args.lora_r, alpha=args.lora_alpha, dropout=args.lora_dropout,
                                   gradient_checkpointing=gradient_checkpointing, seed=args.seed)
    else:
        base = loaded.model
        if getattr(base, "is_loaded_in_4bit", False):
            from peft import prepare_model_for_kbit_training  # peft loads with the model, not for --help

            base = prepare_model_for_kbit_training(base, use_gradient_checkpointing=gradient_checkpointing)
        elif gradient_checkpointing:
            base.gradient_checkpointing_enable()
            base.enable_input_require_grads()
        model = models.load_adapter(base, args.init_adapter, trainable=True)
    return loaded, model


def main(argv=None) -> int:
    args = parse_args(argv)
    # TRL and datasets load only when training starts, not for --help
    import trl

    from tsp_utils import trl_dpo

    # The trainer's Accelerator decides the distributed set-up; until it exists, the launcher's RANK says who talks.
    rank0 = int(os.environ.get("RANK", "0")) == 0
    pairs = pr.load_pairs(args.pairs)
    if not pairs:
        raise SystemExit(f"{args.pairs}: no pairs")
    sft = sum(1 for p in pairs if not p.rejected_ids)
    if sft:
        raise SystemExit(f"{args.pairs}: {sft} of {len(pairs)} rows are SFT examples (no rejected side); "
                         "train SFT with training.train")
    method = args.method or pairs[0].method
    gc = torch.cuda.is_available() if args.gradient_checkpointing is None else args.gradient_checkpointing
    cfg = TrainConfig(method, beta=args.beta, learning_rate=args.learning_rate, epochs=args.epochs,
                      batch_size=args.batch_size, grad_accum=args.grad_accum, max_seq_len=args.max_seq_len,
                      seed=args.seed, optimizer=args.optimizer, gradient_checkpointing=gc, log_every=args.log_every)

    loaded, model = build_model(args, gc, verbose=rank0)
    start_digest = training.adapter_digest(model)
    trainer = trl_dpo.make_dpo_trainer(model, loaded.tokenizer, pairs, cfg, args.out / "trl", max_steps=args.max_steps,
                                       precompute_ref_log_probs=not args.no_precompute_ref)
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()
    trainer.train()
    trl_dpo.drop_reference_adapter(trainer)  # save only the trained adapter, not TRL's frozen reference copy
    log = trl_dpo.trainer_log(trainer)
    processes = trainer.accelerator.num_processes

    if trainer.accelerator.is_main_process:
        models.save_adapter(model, args.out / "adapter")
        runtime = next((e["train_runtime"] for e in trainer.state.log_history if "train_runtime" in e), None)
        manifest = {
            "method": method, "trainer": f"trl {trl.__version__} DPOTrainer", "processes": processes,
            "model": loaded.model_id, "source": loaded.source, "precision": loaded.plan.reason,
            "pairs_file": str(args.pairs), "pairs": len(pairs), "init_adapter": str(args.init_adapter or ""),
            "generated_by_adapter": start_digest, "adapter": training.adapter_digest(model),
            "hyper_parameters": {**asdict(cfg), "lora_r": args.lora_r, "lora_alpha": args.lora_alpha,
                                 "effective_batch": cfg.batch_size * cfg.grad_accum * processes,
                                 "optim": trainer.args.optim, "fp16": trainer.args.fp16, "bf16": trainer.args.bf16},
            "optimizer_steps": trainer.state.global_step, "train_runtime_s": runtime,
            "peak_gpu_mib": torch.cuda.max_memory_allocated() / 2**20 if torch.cuda.is_available() else None,
            "final": log.summary(), "steps": log.steps,
        }
        atomic_write_json(args.out / "manifest.json", manifest)
        print(json.dumps({k: manifest[k] for k in ("method", "processes", "pairs", "optimizer_steps", "adapter",
                                                   "final")}))
    trainer.accelerator.wait_for_everyone()
    return 0


if __name__ == "__main__":
    sys.exit(main())
