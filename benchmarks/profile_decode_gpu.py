"""Exploratory GPU profile behind benchmarks/README.md: one decode step's time at batch 1..64 (NF4 vs bf16), a torch
profiler table for an NF4 decode step at batch 16, and sample_branches vs the naive loop on equal-length random
prefixes. Ran as-is on an H200 (log: logs/2026-11-25_h200_decode_profile.log):

    PYTHONPATH=.:/path/to/bitsandbytes python benchmarks/profile_decode_gpu.py   # needs /tmp/random-codellama-7b
"""
import sys, time, torch
sys.path.insert(0, "benchmarks")
from tsp_utils import models
from tsp_utils.sampling import BranchRequest, sample_branches, sample_branches_naive
from transformers import DynamicCache

def step_ms(model, B, prefix=145, steps=16):
    ids = torch.randint(3, 32000, (B, prefix), device="cuda")
    cache = DynamicCache()
    with torch.no_grad():
        out = model(input_ids=ids, use_cache=True, past_key_values=cache)
        tok = out.logits[:, -1:].argmax(-1)
        for _ in range(3):
            out = model(input_ids=tok, use_cache=True, past_key_values=cache)
        torch.cuda.synchronize(); t = time.perf_counter()
        for _ in range(steps):
            out = model(input_ids=tok, use_cache=True, past_key_values=cache)
        torch.cuda.synchronize()
    return (time.perf_counter() - t) / steps * 1000

path = "/tmp/random-codellama-7b"
for quant in ["nf4", "none"]:
    lm = models.load_model(path, quant, verbose=False)
    print(quant, lm.plan.compute_dtype, {B: round(step_ms(lm.model, B), 1) for B in (1, 4, 16, 64)}, flush=True)
    if quant == "nf4":
        from torch.profiler import profile, ProfilerActivity
        ids = torch.randint(3, 32000, (16, 145), device="cuda")
        cache = DynamicCache()
        with torch.no_grad():
            lm.model(input_ids=ids, use_cache=True, past_key_values=cache)
            tok = ids[:, -1:]
            with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
                for _ in range(4):
                    lm.model(input_ids=tok, use_cache=True, past_key_values=cache)
                torch.cuda.synchronize()
        print(prof.key_averages().table(sort_by="cuda_time_total", row_limit=12), flush=True)
    vocab = 32016
    reqs = [BranchRequest([int(x) for x in torch.randint(3, vocab, (145,))], 4, i) for i in range(4)]
    common = dict(max_new_tokens=48, min_new_tokens=48, temperature=1.0, top_p=0.95, seed=0)
    sample_branches(lm.model, lm.tokenizer, reqs[:1], **{**common, "max_new_tokens": 4, "min_new_tokens": 4})
    for rows in (16,):
        torch.cuda.synchronize(); t = time.perf_counter()
        sample_branches(lm.model, lm.tokenizer, reqs, max_rows=rows, **common); torch.cuda.synchronize()
        shared = time.perf_counter() - t
    t = time.perf_counter(); sample_branches_naive(lm.model, lm.tokenizer, reqs, **common); naive = time.perf_counter() - t
    print(f"{quant}: sample_branches {shared:.1f} s, naive {naive:.1f} s, speed-up {naive/shared:.2f}x", flush=True)
    del lm; torch.cuda.empty_cache()
