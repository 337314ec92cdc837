"""Sampling K continuations of a shared prefix, cheaply.

Branching at a risk node means: K continuations of the *same* prefix. The naive way calls ``generate`` once per
branch and re-encodes the prefix each time. Here the prefix is encoded once, its KV cache is copied to K rows,
and the K rows decode together; several nodes are batched too, with left padding. The result is the same
distribution (identical tokens under greedy decoding), at a fraction of the cost: see ``benchmarks/bench_tree.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import torch


@dataclass
class BranchRequest:
    """Sample ``k`` continuations after ``prefix_ids`` (prompt + response so far, already tokenized)."""

    prefix_ids: list[int]
    k: int
    key: Any = None  # the caller's handle (e.g. (task id, node id))


@dataclass
class Continuation:
    token_ids: list[int]
    logprobs: list[float]  # log-prob of each sampled token under the policy (temperature 1, no top-p)
    finished: bool  # stopped at EOS (or a stop string) rather than at max_new_tokens
    entropies: list[float] = field(default_factory=list)  # the policy's entropy (nats) before each token


@dataclass
class BranchResult:
    key: Any
    entropy: float  # nats, of the policy's next-token distribution at the branch point
    continuations: list[Continuation] = field(default_factory=list)


def _cache_kw(model) -> str:
    """transformers renamed ``past_key_values`` to ``cache`` in 5.x; speak whichever this version understands."""
    import inspect

    base = model.get_base_model() if hasattr(model, "get_base_model") else model  # peft wraps forward in **kwargs
    return "cache" if "cache" in inspect.signature(base.forward).parameters else "past_key_values"


def _sampling_kwargs(temperature: float, top_p: float) -> dict[str, Any]:
    if temperature <= 0:
        return {"do_sample": False, "temperature": None, "top_p": None, "top_k": None}
    return {"do_sample": True, "temperature": temperature, "top_p": top_p, "top_k": None}


def _trim(tokens: torch.Tensor, logits: Sequence[torch.Tensor], row: int, eos_ids: set[int],
          stop_hit: bool) -> Continuation:
    ids = tokens.tolist()
    cut = next((i for i, t in enumerate(ids) if t in eos_ids), None)
    finished = cut is not None
    ids = ids[:cut]
    if not ids:
        return Continuation([], [], finished or stop_hit, [])
    # One log-softmax over the row's steps and one transfer to the host, not two device syncs per token.
    logp = torch.log_softmax(torch.stack([logits[step][row] for step in range(len(ids))]).float(), dim=-1)
    chosen = logp.gather(-1, torch.tensor(ids, device=logp.device)[:, None])[:, 0]
    ents = -(logp.exp() * logp).sum(-1)
    return Continuation(ids, chosen.tolist(), finished or stop_hit, ents.tolist())


def text_stop(tokenizer, stops: Sequence[str], prompt_width: int, window: int = 8, line_end: bool = False,
              row_done: Sequence[Callable[[str], bool]] | None = None):
    """A stopping criterion that ends each row once its *new* text contains one of ``stops`` (or, with
    ``line_end``, once it has finished its first line with content: a local-mode branch is one statement, and
    every token after that line would be thrown away; or once ``row_done[row]`` says so of the row's new text).

    Only the last ``window`` new tokens are searched for ``stops``, enough for stop strings of a few characters.
    This replaces ``generate(stop_strings=...)``, which preprocesses the whole vocabulary on every call: about 2 s
    per call with SmolLM2's 49k-token vocabulary on a CPU, more than the decoding itself for short branches.
    """
    from transformers import StoppingCriteria, StoppingCriteriaList

    stops = [s for s in stops if s]

    class StopOnText(StoppingCriteria):
        def __call__(self, input_ids, scores, **kwargs):
            new = input_ids[:, prompt_width:]
            done = [False] * input_ids.shape[0]
            if new.shape[1] and stops:
                texts = tokenizer.batch_decode(new[:, -window:], skip_special_tokens=True)
                done = [any(s in t for s in stops) for t in texts]
            if new.shape[1] and (line_end or row_done is not None):
                texts = tokenizer.batch_decode(new, skip_special_tokens=True)  # the whole new text, decoded once
                if line_end:
                    done = [d or ends_first_line(t) for d, t in zip(done, texts)]
                if row_done is not None:
                    done = [d or check(t) for d, check, t in zip(done, row_done, texts)]
            return torch.tensor(done, dtype=torch.bool, device=input_ids.device)

    return StoppingCriteriaList([StopOnText()])


def ends_first_line(text: str) -> bool:
    """Whether ``text`` contains a newline after some non-space content (a first line with content is complete)."""
    stripped = text.lstrip()
    return "\n" in stripped


def end_token_ids(model, tokenizer) -> set[int]:
    """Token ids that end a generation: the model's generation config's and the tokenizer's EOS."""
    eos = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
    ids = set(eos if isinstance(eos, (list, tuple)) else [eos] if eos is not None else [])
    if tokenizer.eos_token_id is not None:
        ids.add(tokenizer.eos_token_id)
    return ids


@torch.no_grad()
def sample_branches(
    model,
    tokenizer,
    requests: Sequence[BranchRequest],
    *,
    max_new_tokens: int = 128,
    temperature: float = 1.0,
    top_p: float = 0.95,
    seed: int = 0,
    max_rows: int = 16,
    stop_strings: Sequence[str] | None = None,
    min_new_tokens: int | None = None,
    stop_at_line_end: bool = False,
) -> list[BranchResult]:
    """Cache-shared, batched sampling: one prefill per prefix, K decoding rows per prefix, several prefixes at once.

    ``max_rows`` bounds the decoding batch (sum of K over the prefixes in one batch) to bound memory.
    """
    device = next(model.parameters()).device
    pad_id = tokenizer.pad_token_id
    eos_ids = end_token_ids(model, tokenizer)
    results: list[BranchResult] = []
    torch.manual_seed(seed)
    for batch in _batches(requests, max_rows):
        results.extend(_sample_batch(model, tokenizer, batch, device, pad_id, eos_ids, max_new_tokens, temperature,
                                     top_p, stop_strings, min_new_tokens, stop_at_line_end))
    return results


def _batches(requests: Sequence[BranchRequest], max_rows: int) -> list[list[BranchRequest]]:
    # Similar lengths together waste less padding; order is restored by the caller's keys.
    ordered = sorted(requests, key=lambda r: len(r.prefix_ids))
    batches, current, rows = [], [], 0
    for req in ordered:
        if req.k > max_rows:
            raise ValueError(f"k={req.k} exceeds max_rows={max_rows}")
        if current and rows + req.k > max_rows:
            batches.append(current)
            current, rows = [], 0
        current.append(req)
        rows += req.k
    if current:
        batches.append(current)
    return batches


def _left_pad(seqs: list[list[int]], pad_id: int, device) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long, device=device)
    mask = torch.zeros((len(seqs), width), dtype=torch.long, device=device)
    for i, s in enumerate(seqs):
        if s:
            ids[i, width - len(s):] = torch.tensor(s, device=device)
            mask[i, width - len(s):] = 1
    return ids, mask


def _sample_batch(model, tokenizer, batch, device, pad_id, eos_ids, max_new_tokens, temperature, top_p,
                  stop_strings, min_new_tokens=None, stop_at_line_end=False) -> list[BranchResult]:
    from transformers import DynamicCache

    for req in batch:
        if len(req.prefix_ids) < 2:
            raise ValueError("a branch prefix needs at least two tokens (prompt + something)")
    ids, mask = _left_pad([r.prefix_ids for r in batch], pad_id, device)
    # Prefill everything but the last prefix token once per prefix; generate() then feeds that last token for
    # all K rows, so the first sampled token comes from the same distribution as in a plain generate() call.
    position_ids = (mask.cumsum(-1) - 1).clamp(min=0)
    cache = DynamicCache()
    cache_kw = _cache_kw(model)
    model(input_ids=ids[:, :-1], attention_mask=mask[:, :-1], position_ids=position_ids[:, :-1],
          use_cache=True, **{cache_kw: cache})
    repeats = torch.tensor([r.k for r in batch], device=device)
    index = torch.repeat_interleave(torch.arange(len(batch), device=device), repeats)
    cache.batch_select_indices(index)
    extra = _stop_kwargs(tokenizer, stop_strings, stop_at_line_end, ids.shape[1], min_new_tokens)
    out = model.generate(
        input_ids=ids[index], attention_mask=mask[index], max_new_tokens=max_new_tokens, **{cache_kw: cache},
        pad_token_id=pad_id, return_dict_in_generate=True, output_logits=True,
        **_sampling_kwargs(temperature, top_p), **extra,
    )
    new_tokens = out.sequences[:, ids.shape[1]:]
    results, row = [], 0
    for req in batch:
        entropy = _entropy(out.logits[0][row])
        conts = []
        for _ in range(req.k):
            conts.append(_trim(new_tokens[row], out.logits, row, eos_ids,
                               _stopped(tokenizer, new_tokens[row], stop_strings, stop_at_line_end)))
            row += 1
        results.append(BranchResult(req.key, entropy, conts))
    return results


def _stop_kwargs(tokenizer, stop_strings, line_end: bool, prompt_width: int, min_new_tokens) -> dict[str, Any]:
    kw: dict[str, Any] = {"min_new_tokens": min_new_tokens} if min_new_tokens else {}
    if stop_strings or line_end:
        kw["stopping_criteria"] = text_stop(tokenizer, stop_strings or [], prompt_width, line_end=line_end)
    return kw


def _stopped(tokenizer, tokens, stop_strings, line_end: bool) -> bool:
    if not stop_strings and not line_end:
        return False
    text = tokenizer.decode(tokens, skip_special_tokens=True)
    return any(s in text for s in stop_strings or []) or (line_end and ends_first_line(text))


def _entropy(logits: torch.Tensor) -> float:
    logp = torch.log_softmax(logits.float(), dim=-1)
    return float(-(logp.exp() * logp).sum())


@torch.no_grad()
def sample_branches_naive(
    model,
    tokenizer,
    requests: Sequence[BranchRequest],
    *,
    max_new_tokens: int = 128,
    temperature: float = 1.0,
    top_p: float = 0.95,
    seed: int = 0,
    stop_strings: Sequence[str] | None = None,
    min_new_tokens: int | None = None,
    stop_at_line_end: bool = False,
) -> list[BranchResult]:
    """The reference: one ``generate`` call per branch, re-encoding the prefix every time. For the benchmark and
    for checking that :func:`sample_branches` samples from the same distribution."""
    device = next(model.parameters()).device
    eos_ids = end_token_ids(model, tokenizer)
    torch.manual_seed(seed)
    results = []
    for req in requests:
        ids = torch.tensor([req.prefix_ids], device=device)
        extra = _stop_kwargs(tokenizer, stop_strings, stop_at_line_end, ids.shape[1], min_new_tokens)
        conts, entropy = [], 0.0
        for _ in range(req.k):
            out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new_tokens,
                                 pad_token_id=tokenizer.pad_token_id, return_dict_in_generate=True,
                                 output_logits=True, **_sampling_kwargs(temperature, top_p), **extra)
            entropy = _entropy(out.logits[0][0])
            new = out.sequences[0, ids.shape[1]:]
            conts.append(_trim(new, out.logits, 0, eos_ids, _stopped(tokenizer, new, stop_strings, stop_at_line_end)))
        results.append(BranchResult(req.key, entropy, conts))
    return results
