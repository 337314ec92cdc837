"""Peak GPU memory and time of a QLoRA DPO step: the colab-t4 recipe on a CodeLlama-7B-shaped model.

    python benchmarks/bench_qlora_memory.py                      # GPU; random weights, same cost as real ones
    python benchmarks/bench_qlora_memory.py --layers 2 --hidden 256 --seq-len 128   # CPU dry run of the script

The recipe is exactly what notebook 03 runs under ``PROFILE="colab-t4"`` (``TrainConfig.from_run``): NF4 base with
double quantisation, LoRA r=16 on all projections (fp32 adapter weights), gradient checkpointing, paged 8-bit
AdamW, batch 1. The compute dtype is forced to float16 as on a T4 (an H100 would pick bfloat16; the memory is the
same). Every pair is a prompt + chosen + rejected of exactly ``--seq-len`` tokens per side, so each step runs the
policy forward and backward on two full-length sequences; the reference log-probs (the previous iterate) are one
no-grad pass over the same two sequences, measured separately.

Target: peak allocated memory <= 14 GiB, which leaves a T4's 15 GiB usable some room for the CUDA context.
"""

from __future__ import annotations

import argparse
import os
import platform
import random

import torch

import random_codellama
from tsp_utils import models, selfplay as sp
from tsp_utils.config import resolve_config


def gib(n_bytes: float) -> float:
    return n_bytes / 2**30


def random_pairs(n: int, seq_len: int, vocab: int, seed: int = 0) -> list[sp.PreferencePair]:
    rng = random.Random(seed)
    prompt, completion = seq_len // 2, seq_len - seq_len // 2

    def ids(k):
        return [rng.randrange(3, vocab) for _ in range(k)]

    return [sp.PreferencePair("tsp-oracle", f"bench-{i}", "c", "CWE-787", ids(prompt), ids(completion), ids(completion))
            for i in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", default=str(models.cache_root() / "random-codellama-7b-shape"),
                    help="where the random-weight checkpoint is (written once if missing)")
    ap.add_argument("--tokenizer", default=None)
    ap.add_argument("--layers", type=int, default=None)
    ap.add_argument("--hidden", type=int, default=None)
    ap.add_argument("--seq-len", type=int, default=1024)
    ap.add_argument("--steps", type=int, default=8, help="DPO steps (pairs) to time; the optimizer steps at the end")
    args = ap.parse_args()

    cuda = torch.cuda.is_available()
    path = random_codellama.build(args.checkpoint, args.tokenizer, args.layers, args.hidden)
    cfg = resolve_config("colab-t4", max_seq_len=args.seq_len)
    tc = sp.TrainConfig.from_run("tsp-oracle", cfg, seed=0)
    lm = models.load_model(str(path), "nf4", compute_dtype=torch.float16 if cuda else None, verbose=True)
    weights = lm.memory_footprint_mb()
    model = models.attach_lora(lm.model, r=cfg.lora_r, alpha=cfg.lora_alpha,
                               gradient_checkpointing=tc.gradient_checkpointing)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    pairs = random_pairs(args.steps, args.seq_len, lm.model.config.vocab_size)
    pad = lm.tokenizer.pad_token_id if lm.tokenizer.pad_token_id is not None else 0

    ref_peak = None
    if cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    sp.reference_logps(model, pairs[:1], args.seq_len, pad)
    if cuda:
        ref_peak = torch.cuda.max_memory_allocated()
    log = sp.train(model, pairs, tc, pad, progress=False)  # resets the peak after its own reference pass
    reserved = torch.cuda.max_memory_reserved() if cuda else None

    device = torch.cuda.get_device_name(0) if cuda else f"CPU x{os.cpu_count()} ({platform.machine()})"
    print(f"\ndevice: {device}; torch {torch.__version__}")
    print(f"recipe: NF4 + double quant, {lm.plan.compute_dtype} compute, LoRA r={cfg.lora_r} ({trainable / 1e6:.1f}M "
          f"trainable), gradient checkpointing={tc.gradient_checkpointing}, optimizer="
          f"{'paged AdamW 8-bit' if cuda else 'AdamW (CPU)'}, batch {tc.batch_size}, grad_accum {tc.grad_accum}")
    print(f"sequence length {args.seq_len} per side (chosen and rejected), {args.steps} DPO steps")
    print(f"weights in memory: {weights / 1024:.2f} GiB")
    print(f"time per DPO step (policy fwd+bwd on chosen and rejected): {log.wall_s / args.steps:.2f} s")
    if cuda:
        peak = log.peak_gpu_mib * 2**20
        print(f"peak allocated, reference pass (no grad): {gib(ref_peak):.2f} GiB")
        print(f"peak allocated, DPO training step:        {gib(peak):.2f} GiB  (target <= 14 GiB: "
              f"{'met' if max(peak, ref_peak) <= 14 * 2**30 else 'NOT met'})")
        print(f"peak reserved by the allocator:           {gib(reserved):.2f} GiB")
    else:
        print("peak GPU memory: n/a (no GPU; this was a dry run of the script)")


if __name__ == "__main__":
    main()
