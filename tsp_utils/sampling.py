"""Sampling K continuations of a shared prefix, cheaply.

Branching at a risk node means: K continuations of the *same* prefix. The naive way calls ``generate`` once per
branch and re-encodes the prefix each time. Here the prefix is encoded once, its KV cache is copied to K rows,
and the K rows decode together; several nodes are batched too, with left padding. The result is the same
distribution (identical tokens under greedy decoding), at a fraction of the cost: see ``benchmarks/bench_tree.py``.

Decoding itself (:func:`decode`) is a short loop of our own rather than ``generate``, for one reason: a row that
has ended leaves the batch at once, where ``generate`` keeps decoding padding for it until the last row ends
(``benchmarks/bench_decode.py``). Evaluation (``evaluation.generate.generate_completions``) decodes through it too.
"""

from __future__ import annotations

import inspect
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import torch
from transformers import (DynamicCache, LogitsProcessorList, StoppingCriteria, StoppingCriteriaList,
                          TemperatureLogitsWarper, TopPLogitsWarper)

from .code import statement_end

@dataclass
class BranchRequest:
    """Sample ``k`` continuations after ``prefix_ids`` (prompt + response so far, already tokenized)."""

    prefix_ids: list[int]
    k: int
    key: Any = None  # the caller's handle (e.g. (task id, node id))
    language: str | None = None  # what a comment is, for stopping at the end of a local-mode statement
    shape: Any = None  # local mode: the code.StatementShape a branch must complete (None: one balanced statement)


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
    return "cache" if _takes(model, "cache") else "past_key_values"


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
              row_done: Sequence[Callable[[str], bool]] | None = None,
              languages: Sequence[str | None] | None = None, shapes: Sequence[Any] | None = None):
    """:func:`stop_rule` as a ``generate`` stopping criterion (for the naive reference sampler).

    This replaces ``generate(stop_strings=...)``, which preprocesses the whole vocabulary on every call: about 2 s
    per call with SmolLM2's 49k-token vocabulary on a CPU, more than the decoding itself for short branches.
    """
    rule = stop_rule(tokenizer, stops, window=window, line_end=line_end, row_done=row_done, languages=languages,
                     shapes=shapes)

    class StopOnText(StoppingCriteria):
        def __call__(self, input_ids, scores, **kwargs):
            new = input_ids[:, prompt_width:].tolist()
            return torch.tensor([rule(r, ids) for r, ids in enumerate(new)], dtype=torch.bool,
                                device=input_ids.device)

    return StoppingCriteriaList([StopOnText()])


def stop_rule(tokenizer, stops: Sequence[str] = (), *, window: int = 8, line_end: bool = False,
              row_done: Sequence[Callable[[str], bool]] | None = None,
              languages: Sequence[str | None] | None = None,
              shapes: Sequence[Any] | None = None) -> Callable[[int, Sequence[int]], bool]:
    """``rule(row, new_ids)``: whether a row is done, given the tokens it has produced so far.

    A row is done once its new text contains one of ``stops`` (only the last ``window`` tokens are searched:
    enough for stop strings of a few characters), or, with ``line_end``, once it has completed its statement (a
    local-mode branch is one statement, and every token after it would be thrown away; the row's entries in
    ``languages`` and ``shapes`` say what a comment is and what the statement must complete:
    :func:`code.statement_end`), or once ``row_done[row]`` says so of its whole new text."""
    stops = [s for s in stops if s]

    def rule(row: int, new_ids: Sequence[int]) -> bool:
        if not new_ids:
            return False
        if stops:
            tail = tokenizer.decode(new_ids[-window:], skip_special_tokens=True)
            if any(s in tail for s in stops):
                return True
        if line_end or row_done is not None:
            text = tokenizer.decode(new_ids, skip_special_tokens=True)  # decoded once for both checks
            return ((line_end and ends_statement(text, languages[row] if languages else None,
                                                 shapes[row] if shapes else None))
                    or (row_done is not None and row_done[row](text)))
        return False

    return rule


@dataclass
class Decoded:
    """One row of :func:`decode`."""

    token_ids: list[int]  # the new tokens; an end token that ended the row is not included
    end_token: bool  # ended on one of ``end_ids``
    stopped: bool  # ended because the stop rule said so (its last token is included)
    logprobs: list[float] = field(default_factory=list)  # per sampled token, end token included (temperature 1)
    entropies: list[float] = field(default_factory=list)  # nats, of the policy before each sampled token

    @property
    def finished(self) -> bool:
        return self.end_token or self.stopped


@torch.no_grad()
def decode(model, input_ids: torch.Tensor, attention_mask: torch.Tensor, *, max_new_tokens: int,
           temperature: float, top_p: float, end_ids: set[int], stop: Callable[[int, Sequence[int]], bool] | None = None,
           cache=None, min_new_tokens: int = 0, scores: bool = False) -> list[Decoded]:
    """Sample up to ``max_new_tokens`` after each left-padded row; **a row leaves the batch as soon as it ends**.

    ``generate`` decodes a batch until its last row stops, feeding padding to the rows that are done. On a CPU
    every row costs compute, and in this project rows end at very different lengths (a one-line branch next to a
    whole function; a finished function next to one the model never closes), so here a finished row's KV cache is
    dropped and the rest decode on. ``benchmarks/bench_decode.py`` measures the gain.

    The tokens are ``generate``'s, sampled or greedy, token for token under the same seed. Temperature and top-p
    are transformers' own logits warpers, and the draw is ``torch.multinomial``'s own algorithm written out
    (``argmax(p / q)`` with ``q ~ Exp(1)`` drawn for every row of the *starting* batch at every step, which is the
    noise ``generate`` draws while it keeps finished rows). So a row's sample never depends on which other rows are
    still decoding. ``tests/test_sampling.py`` checks both against ``generate``.

    ``cache`` (a ``DynamicCache``) may already hold a prefill of the first ``cache.get_seq_length()`` columns;
    ``stop(row, new_ids)`` ends a row after the token it was given (:func:`stop_rule`); ``scores`` records each
    sampled token's log-probability and the entropy before it, under the untempered policy.
    """
    device = input_ids.device
    rows = input_ids.shape[0]
    greedy = temperature <= 0
    warpers = LogitsProcessorList([] if greedy else [TemperatureLogitsWarper(temperature), TopPLogitsWarper(top_p)])
    cache = cache if cache is not None else DynamicCache()
    done = cache.get_seq_length()
    positions = (attention_mask.cumsum(-1) - 1).clamp(min=0)
    feed, pos, mask = input_ids[:, done:], positions[:, done:], attention_mask
    extra = {_cache_kw(model): cache, **({"logits_to_keep": 1} if _takes(model, "logits_to_keep") else {})}
    blocked = torch.tensor(sorted(end_ids), dtype=torch.long, device=device)
    alive = torch.arange(rows, device=device)  # which starting rows the batch holds now, in order
    out = [Decoded([], False, False) for _ in range(rows)]
    for step in range(max_new_tokens):
        logits = model(input_ids=feed, attention_mask=mask, position_ids=pos, use_cache=True, **extra).logits
        if step == 0 and cache.get_seq_length() != mask.shape[1]:
            raise RuntimeError("decode: the model did not fill its KV cache (a model in training mode with gradient "
                               "checkpointing turns the cache off); call model.eval() first")
        logits = logits[:, -1].float()
        if scores:
            logp = torch.log_softmax(logits, dim=-1)
            entropy = torch.special.entr(logp.exp()).sum(-1)  # 0 log 0 = 0 for impossible tokens
        if step < min_new_tokens and len(blocked):
            logits[:, blocked] = -float("inf")
        if greedy:
            token = logits.argmax(-1)
        else:
            noise = torch.empty((rows, logits.shape[-1]), device=device).exponential_()[alive]
            token = (torch.softmax(warpers(None, logits), dim=-1) / noise).argmax(-1)
        chosen = token.tolist()
        if scores:
            picked = logp.gather(-1, token[:, None])[:, 0].tolist()
            ents = entropy.tolist()
        keep = []
        for i, (row, tid) in enumerate(zip(alive.tolist(), chosen)):
            rec = out[row]
            if scores:
                rec.logprobs.append(picked[i])
                rec.entropies.append(ents[i])
            if tid in end_ids:
                rec.end_token = True
                continue
            rec.token_ids.append(tid)
            if stop is not None and stop(row, rec.token_ids):
                rec.stopped = True
                continue
            keep.append(i)
        if not keep:
            break
        if len(keep) < len(alive):
            index = torch.tensor(keep, device=device)
            cache.batch_select_indices(index)
            alive, token, mask, pos = alive[index], token[index], mask[index], pos[index]
        feed = token[:, None]
        mask = torch.cat([mask, mask.new_ones((len(keep), 1))], dim=-1)
        pos = pos[:, -1:] + 1
    return out


def _takes(model, name: str) -> bool:
    """Whether the model's forward accepts ``name`` (peft wraps forward in ``**kwargs``: ask the base model)."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    return name in inspect.signature(base.forward).parameters


def ends_statement(text: str, language: str | None = None, shape=None) -> bool:
    """Whether ``text`` completes a local-mode statement (:func:`code.statement_end`)."""
    return statement_end(text, language, shape) is not None


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
    max_batch_tokens: int | None = None,
) -> list[BranchResult]:
    """Cache-shared, batched sampling: one prefill per prefix, K decoding rows per prefix, several prefixes at once.

    ``max_rows`` bounds the decoding batch (sum of K over the prefixes in one batch). ``max_batch_tokens`` bounds
    what the KV cache grows to: rows x (longest prefix in the batch + ``max_new_tokens``), since rows are
    left-padded to the longest prefix. Rows alone do not bound memory when prefixes are long (a SafeCoder function
    can run to thousands of tokens); a prefix whose K rows exceed the budget by themselves is sampled alone.
    """
    device = next(model.parameters()).device
    pad_id = tokenizer.pad_token_id
    eos_ids = end_token_ids(model, tokenizer)
    results: list[BranchResult] = []
    torch.manual_seed(seed)
    for batch in _batches(requests, max_rows, max_batch_tokens, max_new_tokens):
        results.extend(_sample_batch(model, tokenizer, batch, device, pad_id, eos_ids, max_new_tokens, temperature,
                                     top_p, stop_strings, min_new_tokens, stop_at_line_end))
    return results


def _batches(requests: Sequence[BranchRequest], max_rows: int, max_batch_tokens: int | None = None,
             max_new_tokens: int = 0) -> list[list[BranchRequest]]:
    if max_batch_tokens is not None and max_batch_tokens < 1:
        raise ValueError(f"max_batch_tokens must be >= 1 or None, got {max_batch_tokens}")
    # Similar lengths together waste less padding; order is restored by the caller's keys. Ascending order also
    # makes the request being added the longest of its batch, so the batch's width is its prefix length.
    ordered = sorted(requests, key=lambda r: len(r.prefix_ids))
    batches, current, rows = [], [], 0
    for req in ordered:
        if req.k > max_rows:
            raise ValueError(f"k={req.k} exceeds max_rows={max_rows}")
        width = len(req.prefix_ids) + max_new_tokens
        over_budget = max_batch_tokens is not None and (rows + req.k) * width > max_batch_tokens
        if current and (rows + req.k > max_rows or over_budget):
            batches.append(current)
            current, rows = [], 0
        if max_batch_tokens is not None and req.k * width > max_batch_tokens:
            warnings.warn(f"branch request {req.key!r}: {req.k} rows x {width} tokens exceed max_batch_tokens="
                          f"{max_batch_tokens}; sampling it alone", stacklevel=3)
        current.append(req)
        rows += req.k
    if current:
        batches.append(current)
    return batches


def left_pad(seqs: Sequence[Sequence[int]], pad_id: int, device) -> tuple[torch.Tensor, torch.Tensor]:
    """``(ids, attention_mask)`` with every row padded on the left, so all rows' next tokens share a column."""
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
    for req in batch:
        if len(req.prefix_ids) < 2:
            raise ValueError("a branch prefix needs at least two tokens (prompt + something)")
    ids, mask = left_pad([r.prefix_ids for r in batch], pad_id, device)
    # Prefill everything but the last prefix token once per prefix; decoding then feeds that last token for
    # all K rows, so the first sampled token comes from the same distribution as in a plain generate() call.
    position_ids = (mask.cumsum(-1) - 1).clamp(min=0)
    cache = DynamicCache()
    cache_kw = _cache_kw(model)
    keep = {"logits_to_keep": 1} if _takes(model, "logits_to_keep") else {}  # the prefill's logits go unused
    model(input_ids=ids[:, :-1], attention_mask=mask[:, :-1], position_ids=position_ids[:, :-1],
          use_cache=True, **{cache_kw: cache}, **keep)
    repeats = torch.tensor([r.k for r in batch], device=device)
    index = torch.repeat_interleave(torch.arange(len(batch), device=device), repeats)
    cache.batch_select_indices(index)
    rule = stop_rule(tokenizer, stop_strings or (), line_end=stop_at_line_end,
                     languages=[r.language for r in batch for _ in range(r.k)],
                     shapes=[r.shape for r in batch for _ in range(r.k)]) \
        if stop_strings or stop_at_line_end else None
    rows = decode(model, ids[index], mask[index], cache=cache, max_new_tokens=max_new_tokens, temperature=temperature,
                  top_p=top_p, end_ids=eos_ids, stop=rule, min_new_tokens=min_new_tokens or 0, scores=True)
    results, row = [], 0
    for req in batch:
        entropy = rows[row].entropies[0]  # the K rows of a prefix share their first distribution
        conts = []
        for _ in range(req.k):
            d, n = rows[row], len(rows[row].token_ids)
            conts.append(Continuation(d.token_ids, d.logprobs[:n], d.finished, d.entropies[:n]))
            row += 1
        results.append(BranchResult(req.key, entropy, conts))
    return results


def _stop_kwargs(tokenizer, stop_strings, line_end: bool, prompt_width: int, min_new_tokens,
                 req: BranchRequest) -> dict[str, Any]:
    kw: dict[str, Any] = {"min_new_tokens": min_new_tokens} if min_new_tokens else {}
    if stop_strings or line_end:
        kw["stopping_criteria"] = text_stop(tokenizer, stop_strings or [], prompt_width, line_end=line_end,
                                            languages=[req.language], shapes=[req.shape])
    return kw


def _stopped(tokenizer, tokens, stop_strings, line_end: bool, req: BranchRequest) -> bool:
    if not stop_strings and not line_end:
        return False
    return stop_rule(tokenizer, stop_strings or (), line_end=line_end, languages=[req.language],
                     shapes=[req.shape])(0, tokens.tolist())


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
        extra = _stop_kwargs(tokenizer, stop_strings, stop_at_line_end, ids.shape[1], min_new_tokens, req)
        conts, entropy = [], 0.0
        for _ in range(req.k):
            out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new_tokens,
                                 pad_token_id=tokenizer.pad_token_id, return_dict_in_generate=True,
                                 output_logits=True, **_sampling_kwargs(temperature, top_p), **extra)
            entropy = _entropy(out.logits[0][0])
            new = out.sequences[0, ids.shape[1]:]
            conts.append(_trim(new, out.logits, 0, eos_ids,
                               _stopped(tokenizer, new, stop_strings, stop_at_line_end, req)))
        results.append(BranchResult(req.key, entropy, conts))
    return results
