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

After training, the script samples as notebook 03 does when it regrows trees with the trained policy: ``--prefixes``
prefixes of ``--seq-len // 2 + --seq-len // 4`` tokens, K=4 rows each (at most 16 rows at once, the tree builder's
``max_rows``), ``--new-tokens`` tokens per row. Twice, side by side: from the model as training leaves it (QLoRA
preparation raised embeddings, norms and lm_head to fp32, so activations and the KV cache are fp32) and inside
``models.sampling_mode`` (those weights cast back to the compute dtype while sampling). Each side samples
``--sample-repeats`` rounds, alternating; the fastest round is reported, since on Hopper the first round at each new
sequence length costs far more in fp16 than later ones.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import random
import time

import torch

import random_codellama
from tsp_utils import models, training
from tsp_utils.config import resolve_config
from tsp_utils.pairs import PreferencePair
from tsp_utils.sampling import BranchRequest, sample_branches


def gib(n_bytes: float) -> float:
    return n_bytes / 2**30


def random_pairs(n: int, seq_len: int, vocab: int, seed: int = 0) -> list[PreferencePair]:
    rng = random.Random(seed)
    prompt, completion = seq_len // 2, seq_len - seq_len // 2

    def ids(k):
        return [rng.randrange(3, vocab) for _ in range(k)]

    return [PreferencePair("tsp-oracle", f"bench-{i}", "c", "CWE-787", ids(prompt), ids(completion), ids(completion))
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
    ap.add_argument("--prefixes", type=int, default=4, help="prefixes sampled from after training (K=4 rows each)")
    ap.add_argument("--new-tokens", type=int, default=256, help="tokens sampled per row (colab-t4: 256)")
    ap.add_argument("--sample-repeats", type=int, default=2,
                    help="sample this many rounds from each side, alternating; time the fastest (on Hopper the first "
                         "round of each new sequence length pays for cuDNN attention plans in fp16/bf16)")
    args = ap.parse_args()

    cuda = torch.cuda.is_available()
    path = random_codellama.build(args.checkpoint, args.tokenizer, args.layers, args.hidden)
    cfg = resolve_config("colab-t4", max_seq_len=args.seq_len)
    tc = training.TrainConfig.from_run("tsp-oracle", cfg, seed=0)
    lm = models.load_model(str(path), "nf4", compute_dtype=torch.float16 if cuda else None, verbose=True)
    weights = lm.memory_footprint_mb()
    model = models.attach_lora(lm.model, r=cfg.lora_r, alpha=cfg.lora_alpha,
                               gradient_checkpointing=tc.gradient_checkpointing)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    # Enough pairs for both the training steps and the prefixes sampled afterwards.
    pairs = random_pairs(max(args.steps, args.prefixes), args.seq_len, lm.model.config.vocab_size)
    pad = lm.tokenizer.pad_token_id if lm.tokenizer.pad_token_id is not None else 0

    ref_peak = None
    if cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    training.reference_logps(model, pairs[:1], args.seq_len, pad)
    if cuda:
        ref_peak = torch.cuda.max_memory_allocated()
    # train() resets the peak after its own reference pass
    log = training.train(model, pairs[: args.steps], tc, pad, progress=False)
    reserved = torch.cuda.max_memory_reserved() if cuda else None
    sides = {"as trained (fp32 embeddings, norms, lm_head)": lambda: contextlib.nullcontext(model),
             "models.sampling_mode (cast to the compute dtype)": lambda: models.sampling_mode(model)}
    runs: dict[str, list[tuple[float | None, float]]] = {name: [] for name in sides}
    for _ in range(args.sample_repeats):
        for name, ctx in sides.items():
            runs[name].append(sample_peak(ctx(), model, lm.tokenizer, pairs, args, cfg.branches_k, cuda))
    sampled = {name: (max((p for p, _ in r), default=None) if cuda else None, min(s for _, s in r))
               for name, r in runs.items()}

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
    rows = min(16, args.prefixes * cfg.branches_k)
    print(f"\nsampling after training: {args.prefixes} prefixes x K={cfg.branches_k}, {rows} rows at once, "
          f"{args.seq_len // 2 + args.seq_len // 4}-token prefixes + {args.new_tokens} new tokens")
    for name, (peak, seconds) in sampled.items():
        every = ", ".join(f"{s:.1f}" for _, s in runs[name])
        print(f"  {name:<50} peak allocated {gib(peak):6.2f} GiB, {seconds:6.1f} s (all rounds: {every} s)"
              if peak is not None else f"  {name:<50} {seconds:6.1f} s (all rounds: {every} s)")
    (a_peak, a_s), (b_peak, b_s) = sampled.values()
    if a_peak is not None:
        print(f"  ratio as trained / sampling_mode: memory {a_peak / b_peak:.2f}x, time {a_s / b_s:.2f}x")


def sample_peak(ctx, model, tokenizer, pairs, args, k: int, cuda: bool) -> tuple[float | None, float]:
    """Peak allocated memory and wall time of one round of branch sampling from ``ctx``'s model."""
    model.eval()
    prefixes = [p.prompt_ids + p.chosen_ids[: args.seq_len // 4] for p in pairs[: args.prefixes]]
    requests = [BranchRequest(ids, k, i) for i, ids in enumerate(prefixes)]
    if cuda:
        torch.cuda.synchronize()
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    with ctx as policy:
        sample_branches(policy, tokenizer, requests, max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens,
                        seed=0, max_rows=16)
    if cuda:
        torch.cuda.synchronize()
    return (torch.cuda.max_memory_allocated() if cuda else None), time.perf_counter() - start


if __name__ == "__main__":
    main()
