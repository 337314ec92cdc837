"""What node-level evaluation costs on this machine: the log-prob preference at every held-out node, and M sampled
continuations per node labelled by the oracle, for one model (the `cpu` profile's SmolLM2, fp32).

    python benchmarks/bench_nodes.py                 # all 121 nodes' preference; 16 samples at 12 nodes
    python benchmarks/bench_nodes.py --nodes 50 --samples 16

Prints seconds per stage, so a profile's node evaluation (nodes x samples x temperatures x models) can be priced.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time

import torch

from tsp_utils import data, models
from tsp_utils.config import resolve_config
from tsp_utils.evaluation import node_choice, nodes, protocol


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=12, help="nodes to sample at")
    ap.add_argument("--samples", type=int, default=16)
    ap.add_argument("--batch-size", type=int, default=8)
    args = ap.parse_args()
    cfg = resolve_config("cpu")
    lm = models.load_run_model(cfg)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, "
          f"threads {torch.get_num_threads()}, {cfg.model_id} ({lm.plan})")
    prompts = data.load_eval_prompts()
    t = time.perf_counter()
    pairs = nodes.node_pairs(prompts, lm.tokenizer)
    print(f"node pairs: {len(pairs)} in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    prefs = nodes.preference(lm.model, lm.tokenizer, pairs, args.batch_size)
    print(f"preference, {len(pairs)} nodes, batch {args.batch_size}: {time.perf_counter() - t:.1f} s; accuracy "
          f"{nodes.accuracy(prefs):.1%} (per token {nodes.accuracy(prefs, per_token=True):.1%}), mean margin "
          f"{nodes.mean_margin(prefs):+.2f} nats")
    chosen = {p.id for p in protocol.select_prompts(prompts, args.nodes, 0)}
    some = [p for p in pairs if p.node.prompt_id in chosen]
    with tempfile.TemporaryDirectory() as cache:
        for temp, top_p in ((cfg.eval_temperature, cfg.eval_top_p), (cfg.branch_temperature, cfg.branch_top_p)):
            t = time.perf_counter()
            picks = node_choice.sample_choices(lm.model, lm.tokenizer, some, args.samples, temperature=temp,
                                               top_p=top_p, seed=0)
            t_sample = time.perf_counter() - t
            t = time.perf_counter()
            choices = node_choice.label_choices(some, picks, lm.tokenizer, temp, cache_dir=cache)
            t_label = time.perf_counter() - t
            n = sum(len(c.labels) for c in choices)
            rate = lambda lab: sum(c.labels.count(lab) for c in choices) / n  # noqa: E731
            print(f"T={temp}: {len(some)} nodes x {args.samples}: sampling {t_sample:.1f} s, oracle {t_label:.1f} s "
                  f"({len(set(s for c in choices for s in c.statements))} distinct statements); insecure "
                  f"{rate('vulnerable'):.1%}, secure {rate('secure'):.1%}, unknown {rate('unknown'):.1%}; insecure "
                  f"reference flagged at {sum(c.reference_insecure == 'vulnerable' for c in choices)}/{len(some)}")


if __name__ == "__main__":
    main()
