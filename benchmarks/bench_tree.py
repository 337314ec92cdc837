"""Tree expansion: cache-shared batched sampling vs the naive loop, same model, same branch requests, one run.

    python benchmarks/bench_tree.py                 # SmolLM2 (offline) on CPU
    python benchmarks/bench_tree.py --random-7b     # a CodeLlama-7B-shaped NF4 model with random weights (GPU)

Both paths generate exactly --new-tokens tokens per branch (min_new_tokens = max_new_tokens), so the work is
identical and tokens/s compare directly. The requests are the real risk-node prefixes of our training tasks.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import torch

from tsp_utils import data, models
from tsp_utils import tree as T
from tsp_utils.sampling import BranchRequest, sample_branches, sample_branches_naive


def random_7b(quantization: str):
    from transformers import LlamaConfig, LlamaForCausalLM

    offline = models.offline_checkpoint()
    tok = models.load_tokenizer(str(offline))
    cfg = LlamaConfig(vocab_size=32016, hidden_size=4096, intermediate_size=11008, num_hidden_layers=32,
                      num_attention_heads=32, num_key_value_heads=32, max_position_embeddings=16384,
                      rope_theta=1e6)  # CodeLlama-7B's shape
    path = models.cache_root() / "random-codellama-7b-shape"
    if not (path / "config.json").exists():
        with torch.device("cpu"):
            model = LlamaForCausalLM(cfg).to(torch.float16)
        model.save_pretrained(path)
        tok.save_pretrained(path)
    return models.load_model(str(path), quantization)


def requests_from_tasks(lm, n_tasks: int, k: int) -> list[BranchRequest]:
    tasks = T.select_tasks(T.tasks_from_pairs(data.load_train_pairs()), n_tasks)
    builder = T.TreeBuilder(lm.model, lm.tokenizer, k=k, labeler=lambda trees: None)
    reqs = []
    for task in tasks:
        tree, branch_after = builder.init_tree(task)
        reqs += builder._requests(tree, branch_after)
    return reqs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tasks", type=int, default=4)
    ap.add_argument("--k", type=int, default=4)
    ap.add_argument("--new-tokens", type=int, default=48)
    ap.add_argument("--max-rows", type=int, default=16)
    ap.add_argument("--quantization", default="none")
    ap.add_argument("--random-7b", action="store_true")
    args = ap.parse_args()

    lm = random_7b("nf4") if args.random_7b else models.load_model("offline", args.quantization, verbose=False)
    reqs = requests_from_tasks(lm, args.tasks, args.k)
    vocab = lm.model.config.vocab_size
    reqs = [BranchRequest([t % vocab for t in r.prefix_ids], r.k, r.key) for r in reqs]
    n_tokens = sum(r.k for r in reqs) * args.new_tokens
    common = dict(max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens, temperature=1.0, top_p=0.95, seed=0)
    # warm-up (kernels, allocator) on a single request, not timed
    sample_branches(lm.model, lm.tokenizer, reqs[:1], **{**common, "max_new_tokens": 4, "min_new_tokens": 4})

    t0 = time.perf_counter()
    sample_branches(lm.model, lm.tokenizer, reqs, max_rows=args.max_rows, **common)
    shared = time.perf_counter() - t0
    t0 = time.perf_counter()
    sample_branches_naive(lm.model, lm.tokenizer, reqs, **common)
    naive = time.perf_counter() - t0

    device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else f"CPU x{os.cpu_count()} ({platform.machine()})"
    prefix = sum(len(r.prefix_ids) for r in reqs) / len(reqs)
    print(f"model: {lm.model_id} [{lm.plan.quantization}, {str(lm.plan.compute_dtype).replace('torch.', '')}] on {device}")
    print(f"{len(reqs)} risk nodes x K={args.k} = {sum(r.k for r in reqs)} branches, mean prefix {prefix:.0f} tokens, "
          f"{args.new_tokens} new tokens each ({n_tokens} tokens)")
    print(f"naive loop (one generate per branch): {naive:7.1f} s  {n_tokens / naive:8.1f} tokens/s")
    print(f"cache-shared batched:                 {shared:7.1f} s  {n_tokens / shared:8.1f} tokens/s")
    print(f"speed-up: {naive / shared:.2f}x")


if __name__ == "__main__":
    main()
