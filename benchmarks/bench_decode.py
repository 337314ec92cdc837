"""Decoding where a finished row leaves the batch (`sampling.decode`) vs `generate`, which decodes padding for the
finished rows until the last row ends. Same model, same rows, same stop rules, one run.

    python benchmarks/bench_decode.py            # SmolLM2 (offline) fp32, the `cpu` profile's sizes

Three workloads, each as the `cpu` profile runs it:

* **evaluation, greedy**: notebook 04's pass over the base model (security prompts and utility tasks in one batch,
  rows stop where the prompt's function ends);
* **evaluation, sampled** (T=0.2, top-p 0.9, the paper's setting);
* **tree branches**: notebook 01's local-mode branching at the real risk nodes of the training tasks (K=4, T=1,
  top-p 0.95, each branch one statement: rows stop at the end of their first line).

`decode` samples exactly what `generate` samples under the same seed, so both sides must give the same outputs
(the script checks it) and the times compare the same work. The `generate` side is what the package did before
`decode` existed: the same stop rule as a stopping criterion.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import torch

from bench_tree import requests_from_tasks
from tsp_utils import data, models, sampling
from tsp_utils.config import resolve_config
from tsp_utils.evaluation import generate, protocol


def decode_with_generate(model, input_ids, attention_mask, *, max_new_tokens, temperature, top_p, end_ids,
                         stop=None, cache=None, min_new_tokens=0, scores=False) -> list[sampling.Decoded]:
    """`sampling.decode`'s contract, done by `model.generate` (finished rows stay in the batch)."""
    from transformers import StoppingCriteria, StoppingCriteriaList

    width = input_ids.shape[1]

    class Rule(StoppingCriteria):
        def __call__(self, ids, _scores, **kw):
            new = ids[:, width:].tolist()
            return torch.tensor([bool(stop and stop(r, n)) for r, n in enumerate(new)], device=ids.device)

    kw = sampling._sampling_kwargs(temperature, top_p)
    if cache is not None:
        kw[sampling._cache_kw(model)] = cache
    if min_new_tokens:
        kw["min_new_tokens"] = min_new_tokens
    pad = min(end_ids)  # generate pads finished rows; any end token ends a row below
    out = model.generate(input_ids=input_ids, attention_mask=attention_mask, max_new_tokens=max_new_tokens,
                         pad_token_id=pad, stopping_criteria=StoppingCriteriaList([Rule()]),
                         return_dict_in_generate=True, output_logits=scores, **kw)
    rows = []
    for r, seq in enumerate(out.sequences[:, width:].tolist()):
        cut = next((i for i, t in enumerate(seq) if t in end_ids), None)
        ids = seq[:cut]
        stopped = bool(stop and ids and stop(r, ids))
        d = sampling.Decoded(ids, cut is not None and not stopped, stopped)
        if scores:
            n = len(ids) + (1 if d.end_token else 0)
            logp = torch.log_softmax(torch.stack([out.logits[s][r] for s in range(n)]).float(), dim=-1)
            d.logprobs = logp.gather(-1, torch.tensor(seq[:n])[:, None])[:, 0].tolist()
            d.entropies = torch.special.entr(logp.exp()).sum(-1).tolist()
        rows.append(d)
    return rows


def timed(fn, use_generate: bool):
    """Run ``fn`` with the package decoding through `decode` or through `generate`; (seconds, result)."""
    real = sampling.decode
    sampling.decode = decode_with_generate if use_generate else real
    try:
        t0 = time.perf_counter()
        result = fn()
        return time.perf_counter() - t0, result
    finally:
        sampling.decode = real


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="cpu")
    args = ap.parse_args()
    cfg = resolve_config(args.profile)
    lm = models.load_model(cfg.model_id, cfg.quantization, verbose=False)
    prompts = protocol.select_prompts(data.load_eval_prompts(), cfg.n_eval_prompts, cfg.seed)
    prompts += protocol.select_prompts(data.load_utility_tasks(), cfg.n_utility_tasks, cfg.seed)
    device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else f"CPU x{os.cpu_count()} ({platform.machine()})"
    print(f"model: {lm.model_id} [{lm.plan.quantization}, {str(lm.plan.compute_dtype).replace('torch.', '')}] on {device}")

    def evaluation(temperature):
        return lambda: generate.generate_completions(
            lm.model, lm.tokenizer, prompts, temperature=temperature, top_p=cfg.eval_top_p,
            max_new_tokens=cfg.eval_max_new_tokens, seed=cfg.seed, batch_size=cfg.eval_batch_size, progress=False)

    reqs = requests_from_tasks(lm, cfg.n_train_tasks, cfg.branches_k)

    def branches():
        return sampling.sample_branches(lm.model, lm.tokenizer, reqs, max_new_tokens=cfg.max_new_tokens,
                                        temperature=cfg.branch_temperature, top_p=cfg.branch_top_p, seed=cfg.seed,
                                        stop_strings=["```"], stop_at_line_end=True)

    evaluation(0)()  # warm-up (allocator, kernels), not timed
    rows = []
    def programs(out):
        return [s.program for s in out]

    def branch_tokens(out):
        return [c.token_ids for r in out for c in r.continuations]

    for name, fn, count, outputs in [
        (f"evaluation, greedy ({len(prompts)} prompts)", evaluation(0), lambda out: sum(s.n_new_tokens for s in out),
         programs),
        (f"evaluation, T={cfg.eval_temperature} ({len(prompts)} prompts)", evaluation(cfg.eval_temperature),
         lambda out: sum(s.n_new_tokens for s in out), programs),
        (f"tree branches ({len(reqs)} nodes x K={cfg.branches_k})", branches,
         lambda out: sum(len(c.token_ids) for r in out for c in r.continuations), branch_tokens),
    ]:
        t_gen, out_gen = timed(fn, use_generate=True)
        t_dec, out_dec = timed(fn, use_generate=False)
        same = "same outputs" if outputs(out_gen) == outputs(out_dec) else "OUTPUTS DIFFER"
        rows.append((name, t_gen, count(out_gen), t_dec, count(out_dec), same))
        print(f"{name}: generate {t_gen:.1f} s ({count(out_gen)} tokens kept), decode {t_dec:.1f} s "
              f"({count(out_dec)} tokens kept): {t_gen / t_dec:.2f}x {same}", flush=True)
    print("\n| workload | generate | decode (finished rows leave) | speed-up | note |\n|---|---:|---:|---:|---|")
    for name, t_gen, n_gen, t_dec, n_dec, same in rows:
        print(f"| {name} | {t_gen:.1f} s ({n_gen} tokens) | {t_dec:.1f} s ({n_dec} tokens) | {t_gen / t_dec:.2f}x | {same} |")


if __name__ == "__main__":
    main()
