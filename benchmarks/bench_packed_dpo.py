"""DPO training step: both sides of a pair packed in one tree-shaped row vs two separate sequences, one run.

    python benchmarks/bench_packed_dpo.py [--run runs/cpu] [--methods tsp-oracle tsp-paper spin] [--pairs 6]

Takes the preference pairs a finished run trained on (``RUN/adapters/<method>/pairs_iter_1.jsonl``), so the
lengths and shared prefixes are the real ones, and times a policy forward + backward (the training step without
the optimizer) and a reference forward, on the same pairs both ways, with a LoRA adapter as in training. Before
timing, it checks that the two ways give the same log-probs.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import torch

from tsp_utils import dpo, models
from tsp_utils.pairs import load_pairs


def separate(model, pair, max_len: int, pad_id: int):
    chosen = dpo.collate([dpo.build_sequence(pair.prompt_ids, pair.chosen_ids, max_len)], pad_id, "cpu")
    rejected = dpo.collate([dpo.build_sequence(pair.prompt_ids, pair.rejected_ids, max_len)], pad_id, "cpu")
    return dpo.sequence_logps(model, chosen), dpo.sequence_logps(model, rejected)


def packed(model, pair, max_len: int, pad_id: int):
    return dpo.packed_pair_logps(model, [dpo.pack(pair, max_len)])


def time_it(fn, model, pairs, max_len, pad_id, backward: bool) -> float:
    start = time.perf_counter()
    for pair in pairs:
        if backward:
            pc, pr = fn(model, pair, max_len, pad_id)
            (pc - pr).sum().backward()
            model.zero_grad(set_to_none=True)
        else:
            with torch.no_grad():
                fn(model, pair, max_len, pad_id)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", default="runs/cpu")
    ap.add_argument("--methods", nargs="+", default=["tsp-oracle", "tsp-paper", "spin"])
    ap.add_argument("--pairs", type=int, default=6, help="pairs per method")
    ap.add_argument("--max-len", type=int, default=384)
    args = ap.parse_args()

    lm = models.load_model("offline", "none", verbose=False)
    pad_id = lm.tokenizer.pad_token_id
    model = models.attach_lora(lm.model, r=16, alpha=32, dropout=0.0)
    device = f"CPU x{os.cpu_count()} ({platform.machine()})"
    print(f"model: {lm.model_id} [{lm.plan.quantization}] + LoRA r=16 on {device}, torch {torch.__version__}")
    print("| pairs | tokens separate -> packed | train step separate | packed | speed-up | reference pass separate | packed | speed-up |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for method in args.methods:
        path = Path(args.run) / "adapters" / method / "pairs_iter_1.jsonl"
        if not path.exists():
            print(f"| {method} | {path} missing: run the cpu profile first |")
            continue
        pairs = load_pairs(path)[: args.pairs]
        rows = [dpo.pack(p, args.max_len) for p in pairs]
        n_sep = sum(len(r.input_ids) + r.n_shared for r in rows)
        n_packed = sum(len(r.input_ids) for r in rows)
        model.eval()
        with torch.no_grad():
            a, b = separate(model, pairs[0], args.max_len, pad_id), packed(model, pairs[0], args.max_len, pad_id)
        assert torch.allclose(torch.stack(a).flatten(), torch.stack(b).flatten(), atol=1e-3), (a, b)
        time_it(packed, model, pairs[:1], args.max_len, pad_id, backward=True)  # warm-up
        model.train()
        t_sep = time_it(separate, model, pairs, args.max_len, pad_id, backward=True)
        t_pack = time_it(packed, model, pairs, args.max_len, pad_id, backward=True)
        model.eval()
        r_sep = time_it(separate, model, pairs, args.max_len, pad_id, backward=False)
        r_pack = time_it(packed, model, pairs, args.max_len, pad_id, backward=False)
        print(f"| {len(pairs)} {method} | {n_sep} -> {n_packed} | {t_sep:.1f} s | {t_pack:.1f} s | {t_sep / t_pack:.2f}x "
              f"| {r_sep:.1f} s | {r_pack:.1f} s | {r_sep / r_pack:.2f}x |")


if __name__ == "__main__":
    main()
