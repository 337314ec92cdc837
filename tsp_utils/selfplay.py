"""Self-play training: preference pairs from labeled trees, the DPO loss written out, and the training loop.

Four methods share this module, so they differ only where the method differs:

* ``tsp-paper``  (the authors' code): prompt = the task; chosen = the whole golden function; rejected = the shared
  prefix + one sampled branch, every branch, unfiltered.
* ``tsp-oracle`` (ours): prompt = the task + the shared prefix up to the risk node; chosen = a secure continuation
  (golden, or an oracle-secure sibling); rejected = an oracle-vulnerable sibling. Pairs the oracle cannot tell
  apart, or with an ``unknown`` side, are dropped and counted. The loss starts where the branches diverge.
* ``spin``  (unstructured self-play): chosen = golden, rejected = the policy's own full sample from the prompt
  alone; no tree, no risk node.
* ``sft``: cross-entropy on the golden functions.

Everything works on token ids taken from the trees (the prefix is never re-tokenized), so the prompt/completion
boundary of a node-level pair is exactly the branch point.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

import torch
import torch.nn.functional as F

from .artifacts import atomic_write_json, atomic_write_jsonl, read_jsonl

METHODS = ("sft", "spin", "tsp-paper", "tsp-oracle")
IGNORE = -100
MIN_PROMPT = 16  # prompt tokens a sequence keeps when its completion alone would fill max_len (build_sequence)


@dataclass
class PreferencePair:
    method: str
    task_id: str
    language: str
    cwe: str
    prompt_ids: list[int]  # everything the model is conditioned on (masked out of the loss)
    chosen_ids: list[int]
    rejected_ids: list[int]  # empty for SFT examples
    node_id: str = ""  # the branch point (node-level pairs)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class PairStats:
    """How many pairs a method produced, per CWE and language, and how many candidates were dropped and why. A
    candidate is a sampled leaf of a tree (tsp-paper, tsp-oracle) or a sample (spin), counted once."""

    method: str
    pairs: int = 0
    by_cwe: Counter = field(default_factory=Counter)
    by_language: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)

    def add(self, pair: PreferencePair) -> None:
        self.pairs += 1
        self.by_cwe[pair.cwe] += 1
        self.by_language[pair.language] += 1

    def drop(self, pair: PreferencePair, reason: str) -> None:
        """Take back a pair counted by :meth:`add`, as dropped for ``reason``."""
        self.pairs -= 1
        self.by_cwe[pair.cwe] -= 1
        self.by_language[pair.language] -= 1
        self.dropped[reason] += 1

    @property
    def drop_share(self) -> float:
        total = self.pairs + sum(self.dropped.values())
        return sum(self.dropped.values()) / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "pairs": self.pairs, "by_cwe": dict(self.by_cwe),
                "by_language": dict(self.by_language), "dropped": dict(self.dropped),
                "drop_share": round(self.drop_share, 3)}


# --------------------------------------------------------------------------------------------- pairs


def _suffix_ids(tokenizer, node) -> list[int]:
    """Local-mode leaves end with spliced golden code; it is a separate segment, so tokenizing it alone is safe."""
    if not node.suffix_text or tokenizer is None:
        return []
    return tokenizer(node.suffix_text, add_special_tokens=False)["input_ids"]


def _eos(tokenizer) -> list[int]:
    return [tokenizer.eos_token_id] if tokenizer is not None and tokenizer.eos_token_id is not None else []


def leaf_ids(tree, leaf_id: str, tokenizer, start: int = 0) -> list[int]:
    """Token ids of a leaf's response from path index ``start`` on, plus any spliced suffix, and EOS where the
    response ends: not after a branch the token budget cut off (paper mode), which did not end there."""
    path = tree.path(leaf_id)
    leaf = path[-1]
    ids = [t for n in path[start:] for t in n.token_ids] + _suffix_ids(tokenizer, leaf)
    cut = leaf.kind == "sampled" and leaf.complete is False and not leaf.suffix_text
    return ids + ([] if cut else _eos(tokenizer))


def paper_pairs(trees, tokenizer) -> tuple[list[PreferencePair], PairStats]:
    """The reference code's pairs: (task) -> golden function vs prefix + branch, for every sampled leaf."""
    stats = PairStats("tsp-paper")
    pairs = []
    for tree in trees:
        golden = tree.golden_leaf()
        if golden is None:
            stats.dropped["no golden path"] += sum(leaf.kind == "sampled" for leaf in tree.leaves())
            continue
        chosen = leaf_ids(tree, golden.id, tokenizer)
        for leaf in tree.leaves():
            if leaf.kind != "sampled":
                continue
            rejected = leaf_ids(tree, leaf.id, tokenizer)
            if rejected == chosen:
                stats.dropped["identical to golden"] += 1
                continue
            pair = PreferencePair("tsp-paper", tree.task_id, tree.language, tree.cwe, list(tree.meta["prompt_ids"]),
                                  chosen, rejected, leaf.id, {"label": (leaf.verdict or {}).get("label")})
            pairs.append(pair)
            stats.add(pair)
    return pairs, stats


def _leaves_under(tree, node_id: str) -> list:
    node = tree.nodes[node_id]
    if node.is_leaf:
        return [node]
    return [leaf for c in node.children for leaf in _leaves_under(tree, c)]


DROP_UNKNOWN = "unknown label (never treated as secure)"
DROP_SECURE = "secure: not a rejected side (the oracle cannot tell it from the golden path)"
DROP_NO_SECURE = "vulnerable, but no secure alternative at its branch points"
DROP_IDENTICAL = "vulnerable, but identical to the secure alternative"


def oracle_pairs(trees, tokenizer) -> tuple[list[PreferencePair], PairStats]:
    """Node-level pairs: each oracle-vulnerable sampled leaf against a secure continuation, at the branch point
    where it left the secure alternatives.

    A leaf is paired at its nearest branch point that has a secure leaf under another child; failing that, at the
    next one up, but never above the point where it left the golden path: there its side of the branch is golden
    code, and the pair would teach the policy to avoid the fix. The prompt is the task plus the shared prefix up
    to the branch point; both completions start there. Every sampled leaf has one outcome (a pair, or a drop
    reason), so ``stats`` counts leaves, once each: as candidates for the rejected side (a secure leaf counts
    as dropped there, and may still be another pair's chosen side).
    """
    stats = PairStats("tsp-oracle")
    pairs = []
    for tree in trees:
        for leaf in tree.leaves():
            if leaf.kind != "sampled":
                continue
            label = (leaf.verdict or {}).get("label", "unknown")
            if label != "vulnerable":
                stats.dropped[DROP_SECURE if label == "secure" else DROP_UNKNOWN] += 1
                continue
            path = tree.path(leaf.id)
            pair, identical = None, False
            for i in range(len(path) - 2, -1, -1):  # path[i]: a candidate branch point; path[i + 1]: the leaf's side
                point, side = path[i], path[i + 1]
                if side.kind == "golden":
                    break  # the leaf shares the golden path up to here: its mistake was made further down
                secure = [(s, c) for c in point.children if c != side.id for s in _leaves_under(tree, c)
                          if (s.verdict or {}).get("label") == "secure"]
                if not secure:
                    continue
                # The golden continuation if it is secure; else the secure sibling with the best value.
                chosen_leaf, _ = min(secure, key=lambda sc: (sc[0].kind != "golden", -(tree.nodes[sc[1]].value or 0.0)))
                chosen = leaf_ids(tree, chosen_leaf.id, tokenizer, i + 1)
                rejected = leaf_ids(tree, leaf.id, tokenizer, i + 1)
                if chosen == rejected:
                    identical = True
                    break
                prompt = list(tree.meta["prompt_ids"]) + tree.token_ids(point.id)
                pair = PreferencePair("tsp-oracle", tree.task_id, tree.language, tree.cwe, prompt, chosen, rejected,
                                      point.id, {"chosen": chosen_leaf.id, "rejected": leaf.id,
                                                 "risk": point.risk.method if point.risk else None})
                break
            if pair is None:
                stats.dropped[DROP_IDENTICAL if identical else DROP_NO_SECURE] += 1
                continue
            pairs.append(pair)
            stats.add(pair)
    return pairs, stats


def sft_examples(tasks, tokenizer) -> tuple[list[PreferencePair], PairStats]:
    """The golden functions as plain supervised examples (prompt = task, target = golden response)."""
    from .models import encode_prompt, format_prompt
    from .tree import golden_response

    stats = PairStats("sft")
    out = []
    for t in tasks:
        prompt = encode_prompt(tokenizer, format_prompt(tokenizer, t.instruction))
        target = tokenizer(golden_response(t.language, t.golden_code), add_special_tokens=False)["input_ids"] + _eos(tokenizer)
        ex = PreferencePair("sft", t.task_id, t.language, t.cwe, prompt, target, [])
        out.append(ex)
        stats.add(ex)
    return out, stats


def spin_pairs(model, tokenizer, tasks, *, temperature: float = 1.0, top_p: float = 0.95, max_new_tokens: int = 256,
               seed: int = 0, samples_per_task: int = 1,
               max_batch_tokens: int | None = None) -> tuple[list[PreferencePair], PairStats]:
    """SPIN-style pairs: chosen = golden response, rejected = the policy's own sample from the prompt alone."""
    from .sampling import BranchRequest, sample_branches

    golden, _ = sft_examples(tasks, tokenizer)
    stats = PairStats("spin")
    reqs = [BranchRequest(g.prompt_ids, samples_per_task, i) for i, g in enumerate(golden)]
    results = sample_branches(model, tokenizer, reqs, max_new_tokens=max_new_tokens, temperature=temperature,
                              top_p=top_p, seed=seed, stop_strings=["```\n"], max_batch_tokens=max_batch_tokens)
    pairs = []
    for res in results:
        g = golden[res.key]
        for cont in res.continuations:
            rejected = cont.token_ids + (_eos(tokenizer) if cont.finished else [])  # a cut sample did not end
            if rejected == g.chosen_ids or not cont.token_ids:
                stats.dropped["identical to golden or empty"] += 1
                continue
            pair = PreferencePair("spin", g.task_id, g.language, g.cwe, g.prompt_ids, g.chosen_ids, rejected)
            pairs.append(pair)
            stats.add(pair)
    return pairs, stats


DROP_PAST_CUT = "the two sides differ only after the max_seq_len cut"


def drop_undivided(pairs: list[PreferencePair], stats: PairStats, max_len: int,
                   min_prompt: int = MIN_PROMPT) -> list[PreferencePair]:
    """The pairs whose two sides still differ after :func:`build_sequence` cuts completions to ``max_len -
    min_prompt`` tokens. TSP-paper's and SPIN's sides share the start of their completions; when they diverge
    only past the cut, both sides are the same tokens and the pair would train nothing: it is dropped and counted
    rather than spent from the data budget."""
    keep = []
    for p in pairs:
        if p.rejected_ids and (cut_completion(p.chosen_ids, max_len, min_prompt)
                               == cut_completion(p.rejected_ids, max_len, min_prompt)):
            stats.drop(p, DROP_PAST_CUT)
        else:
            keep.append(p)
    return keep


def tree_pairs(method: str, trees, tokenizer, max_len: int) -> tuple[list[PreferencePair], PairStats]:
    """TSP-paper's or TSP-oracle's pairs from labeled trees, less those whose sides ``max_len`` would make equal."""
    pairs, stats = (paper_pairs if method == "tsp-paper" else oracle_pairs)(trees, tokenizer)
    return drop_undivided(pairs, stats, max_len), stats


def data_budget(train_budget: int | None, oracle_pairs: int, n_tasks: int) -> int:
    """Examples per iteration for every method: ``train_budget`` if set, else TSP-oracle's pair count and at least
    one per task (SFT and SPIN have one example per task)."""
    return train_budget or max(oracle_pairs, n_tasks)


def pair_stats_markdown(*stats: PairStats) -> str:
    """Side by side: pairs, the share of candidates dropped, and each drop reason's count."""
    reasons = sorted({r for st in stats for r in st.dropped})
    lines = ["| | " + " | ".join(st.method for st in stats) + " |", "|---|" + "---:|" * len(stats),
             "| pairs | " + " | ".join(str(st.pairs) for st in stats) + " |",
             "| share of candidates dropped | " + " | ".join(f"{st.drop_share:.0%}" for st in stats) + " |"]
    lines += [f"| dropped: {r} | " + " | ".join(str(st.dropped.get(r, "")) for st in stats) + " |" for r in reasons]
    return "\n".join(lines)


def iteration_seed(run_seed: int, iteration: int) -> int:
    """The seed of one self-play iteration: it draws the iteration's pairs (:func:`equalize_budget`), orders them
    and samples the regrown trees. Notebook 04's transfer rows use iteration 1's, so that its "all languages" row
    *is* TSP-oracle's first iteration."""
    return run_seed + 1000 * iteration


def equalize_budget(pairs: list[PreferencePair], budget: int, seed: int = 0) -> list[PreferencePair]:
    """Every method trains on exactly ``budget`` examples per iteration (subsampled, or repeated when short), so
    that a difference between methods is not a difference in data volume."""
    if not pairs or budget <= 0:
        return []
    rng = random.Random(seed)
    if len(pairs) >= budget:
        return rng.sample(pairs, budget)
    out = list(pairs) * (budget // len(pairs))
    return out + rng.sample(pairs, budget - len(out))


def save_pairs(path, pairs: Sequence[PreferencePair]) -> Path:
    return atomic_write_jsonl(path, [p.to_dict() for p in pairs])


def load_pairs(path) -> list[PreferencePair]:
    return [PreferencePair(**row) for row in read_jsonl(path)]


# --------------------------------------------------------------------------------------------- tensors


def cut_completion(completion_ids: Sequence[int], max_len: int, min_prompt: int = MIN_PROMPT) -> list[int]:
    """A completion as it enters a sequence of ``max_len`` tokens: its tail is lost past ``max_len - min_prompt``."""
    ids, room = list(completion_ids), max_len - min_prompt
    return ids[:room] if len(ids) > room else ids


def build_sequence(prompt_ids: list[int], completion_ids: list[int], max_len: int, min_prompt: int = MIN_PROMPT):
    """Token ids of prompt + completion, and the prompt length (everything before it is masked out of the loss).

    Too long? Cut the *left* of the prompt first, so the divergence point (the prompt/completion boundary) and the
    completion survive; only a completion longer than ``max_len - min_prompt`` loses its tail (:func:`cut_completion`).
    """
    completion_ids = cut_completion(completion_ids, max_len, min_prompt)
    room = max_len - len(completion_ids)
    prompt_ids = prompt_ids[-room:] if room > 0 else []
    return prompt_ids + completion_ids, len(prompt_ids)


def collate(rows: list[tuple[list[int], int]], pad_id: int, device) -> dict[str, torch.Tensor]:
    """Right-padded batch (training needs no left padding: there is no generation step).

    ``labels`` are the input ids, as in transformers; ``loss_mask`` alone decides which positions are scored
    (completion tokens only), so what a prompt position's label says cannot leak into the loss."""
    width = max(len(ids) for ids, _ in rows)
    input_ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(rows), width), dtype=torch.long)
    loss_mask = torch.zeros((len(rows), width), dtype=torch.bool)
    for i, (ids, n_prompt) in enumerate(rows):
        input_ids[i, : len(ids)] = torch.tensor(ids)
        attention[i, : len(ids)] = 1
        loss_mask[i, n_prompt: len(ids)] = True
    return {"input_ids": input_ids.to(device), "attention_mask": attention.to(device),
            "labels": input_ids.clone().to(device), "loss_mask": loss_mask.to(device)}


# --------------------------------------------------------------------------------------------- the loss


def sequence_logps(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Sum of log p(token) over the completion tokens of each row. Shape [batch].

    Position t's logits predict token t+1, hence the shift by one."""
    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits[:, :-1].float()
    labels, mask = batch["labels"][:, 1:], batch["loss_mask"][:, 1:]
    token_logps = torch.gather(logits.log_softmax(-1), 2, labels.unsqueeze(-1)).squeeze(-1)
    return (token_logps * mask).sum(-1)


# ------------------------------------------------------------------ both sides of a pair in one tree-shaped row
#
# Chosen and rejected share a prefix: the prompt always, and for tree pairs also the golden path up to the branch
# point (TSP-paper's rejected side is prefix + branch). Scoring the two sides as two sequences encodes that prefix
# twice, in the policy's forward and backward pass and in the reference pass. Packed, the row holds the chosen
# sequence followed by the rejected side's own tokens only; an attention mask shaped like the tree lets those
# tokens see the shared prefix and themselves, never the chosen branch, and their positions continue from the
# branch point. Every log-prob is what the two separate sequences give (tests/test_selfplay.py checks values and
# gradients); only the shared prefix is computed once. The gain is the shared fraction: about a quarter of a
# node-level pair's tokens here (benchmarks/README.md).


@dataclass
class PackedPair:
    """Token ids of one pair as a single row, and where each side's scored tokens are predicted."""

    input_ids: list[int]
    position_ids: list[int]
    n_shared: int  # tokens the two sides have in common, at the start of the row
    len_chosen: int  # the chosen sequence fills the row's first len_chosen tokens; the rejected side's own follow
    chosen_at: list[int]  # row positions whose logits predict the chosen completion's tokens ...
    chosen_tokens: list[int]  # ... and those tokens
    rejected_at: list[int]
    rejected_tokens: list[int]

    def allowed(self) -> torch.Tensor:
        """[L, L] bool: may position i attend to position j."""
        n, s, a = len(self.input_ids), self.n_shared, self.len_chosen
        allowed = torch.ones(n, n, dtype=torch.bool).tril()
        allowed[a:, s:a] = False  # the rejected branch never sees the chosen branch
        return allowed


def pack_pair(chosen: tuple[list[int], int], rejected: tuple[list[int], int]) -> PackedPair:
    """Pack two ``build_sequence`` results (ids, prompt length) that may share a prefix into one row."""
    (a, pa), (b, pb) = chosen, rejected
    s = 0
    while s < min(len(a), len(b)) and a[s] == b[s]:
        s += 1

    def where_b(k: int) -> int:  # the row position of the rejected sequence's token k: shared, or in its own tail
        return k if k < s else len(a) + k - s

    return PackedPair(
        input_ids=list(a) + list(b[s:]), position_ids=list(range(len(a))) + list(range(s, len(b))), n_shared=s,
        len_chosen=len(a),
        chosen_at=[j - 1 for j in range(max(pa, 1), len(a))], chosen_tokens=list(a[max(pa, 1):]),
        rejected_at=[where_b(j - 1) for j in range(max(pb, 1), len(b))], rejected_tokens=list(b[max(pb, 1):]))


def _attention_mask(allowed: torch.Tensor, model) -> torch.Tensor:
    """A 4-D mask transformers uses as given: boolean for SDPA, additive (0 / -inf) for eager attention."""
    mask = allowed[:, None]
    if getattr(model.config, "_attn_implementation", "sdpa") == "eager":
        dtype = next(p for p in model.parameters() if p.is_floating_point()).dtype
        dtype = dtype if dtype.itemsize >= 2 else torch.float32  # no fp8 masks
        mask = torch.zeros(mask.shape, dtype=dtype).masked_fill(~mask, torch.finfo(dtype).min)
    return mask


def packed_pair_logps(model, packed: Sequence[PackedPair]) -> tuple[torch.Tensor, torch.Tensor]:
    """Sum of completion log-probs of the chosen and the rejected side of each packed pair. Shapes [batch]."""
    device = next(model.parameters()).device
    width = max(len(p.input_ids) for p in packed)
    ids = torch.zeros((len(packed), width), dtype=torch.long)
    pos = torch.zeros((len(packed), width), dtype=torch.long)
    allowed = torch.eye(width, dtype=torch.bool).repeat(len(packed), 1, 1)  # padding sees itself: no empty rows
    for i, p in enumerate(packed):
        n = len(p.input_ids)
        ids[i, :n], pos[i, :n] = torch.tensor(p.input_ids), torch.tensor(p.position_ids)
        allowed[i, :n, :n] = p.allowed()
    logits = model(input_ids=ids.to(device), position_ids=pos.to(device),
                   attention_mask=_attention_mask(allowed, model).to(device)).logits
    chosen, rejected = [], []
    for i, p in enumerate(packed):
        for at, tokens, out in ((p.chosen_at, p.chosen_tokens, chosen), (p.rejected_at, p.rejected_tokens, rejected)):
            logp = logits[i, at].float().log_softmax(-1)
            out.append(logp.gather(-1, torch.tensor(tokens, device=device)[:, None]).sum())
    return torch.stack(chosen), torch.stack(rejected)


def pack(pair: "PreferencePair", max_len: int) -> PackedPair:
    return pack_pair(build_sequence(pair.prompt_ids, pair.chosen_ids, max_len),
                     build_sequence(pair.prompt_ids, pair.rejected_ids, max_len))


def dpo_loss(policy_chosen: torch.Tensor, policy_rejected: torch.Tensor, ref_chosen: torch.Tensor,
             ref_rejected: torch.Tensor, beta: float = 0.1) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """The DPO (sigmoid) loss of Rafailov et al., as in the paper (beta = 0.1):

        reward(y) = beta * (log pi(y|x) - log pi_ref(y|x))
        loss      = -log sigmoid(reward(chosen) - reward(rejected))
    """
    chosen_reward = beta * (policy_chosen - ref_chosen)
    rejected_reward = beta * (policy_rejected - ref_rejected)
    margin = chosen_reward - rejected_reward
    loss = -F.logsigmoid(margin).mean()
    return loss, {"chosen_reward": chosen_reward.detach().mean(), "rejected_reward": rejected_reward.detach().mean(),
                  "margin": margin.detach().mean(), "accuracy": (margin.detach() > 0).float().mean()}


def sft_loss(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Mean cross-entropy over completion tokens."""
    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits[:, :-1].float()
    labels = batch["labels"][:, 1:].masked_fill(~batch["loss_mask"][:, 1:], IGNORE)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE)


# --------------------------------------------------------------------------------------------- training


@dataclass
class TrainConfig:
    method: str
    beta: float = 0.1
    learning_rate: float = 5e-5
    epochs: int = 1
    batch_size: int = 1
    grad_accum: int = 4
    max_seq_len: int = 1024
    seed: int = 0
    optimizer: str = "auto"  # "auto": paged 8-bit AdamW on CUDA (QLoRA recipe), AdamW elsewhere
    gradient_checkpointing: bool = False
    log_every: int = 1

    @classmethod
    def from_run(cls, method: str, run_cfg, seed: int) -> "TrainConfig":
        """The training settings of a run profile (QLoRA on a T4 needs gradient checkpointing to fit)."""
        return cls(method, beta=run_cfg.dpo_beta, learning_rate=run_cfg.learning_rate, epochs=run_cfg.epochs,
                   batch_size=run_cfg.batch_size, grad_accum=run_cfg.grad_accum, max_seq_len=run_cfg.max_seq_len,
                   seed=seed, gradient_checkpointing=run_cfg.profile == "colab-t4")


@dataclass
class TrainLog:
    steps: list[dict[str, float]] = field(default_factory=list)
    wall_s: float = 0.0
    peak_gpu_mib: float | None = None

    def summary(self) -> dict[str, float]:
        if not self.steps:
            return {}
        last = self.steps[-max(1, len(self.steps) // 4):]  # the final quarter, less noisy than the last step
        keys = [k for k in self.steps[0] if k != "step"]
        return {k: sum(s[k] for s in last) / len(last) for k in keys}


def _optimizer(params, cfg: TrainConfig, device_type: str):
    if cfg.optimizer in ("auto", "paged_adamw_8bit") and device_type == "cuda":
        import bitsandbytes as bnb

        return bnb.optim.PagedAdamW8bit(params, lr=cfg.learning_rate)
    return torch.optim.AdamW(params, lr=cfg.learning_rate)


@torch.no_grad()
def reference_logps(model, pairs: Sequence[PreferencePair], max_len: int, pad_id: int) -> list[tuple[float, float]]:
    """log pi_ref(chosen), log pi_ref(rejected) per pair, computed once before an iteration's training.

    The reference policy is the previous iterate, which is exactly the model as it stands before this iteration
    trains; computing it up front (as TRL's ``precompute_ref_log_probs`` does) saves a second model in memory.
    Each pair is one packed row (:func:`pack`), so ``pad_id`` is not needed; it stays for existing callers.
    """
    was_training = model.training
    model.eval()
    out = []
    for p in pairs:
        chosen, rejected = packed_pair_logps(model, [pack(p, max_len)])
        out.append((float(chosen[0]), float(rejected[0])))
    model.train(was_training)
    return out


def train(model, pairs: Sequence[PreferencePair], cfg: TrainConfig, pad_id: int, progress: bool = True) -> TrainLog:
    """Train ``model`` (a peft model: only LoRA weights are trainable) on DPO pairs or SFT examples."""
    from .models import autocast_dtype
    from .progress import tqdm

    device = next(model.parameters()).device
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    is_dpo = cfg.method != "sft"
    # On a GPU the forward pass runs in the half-precision compute dtype (LoRA weights stay fp32); on CPU, fp32.
    amp_dtype = autocast_dtype(model)
    autocast = lambda: torch.autocast(device_type=device.type, dtype=amp_dtype or torch.float32,  # noqa: E731
                                      enabled=amp_dtype is not None)
    with autocast():  # the reference is computed the way the policy will be: in iteration 1 they are equal
        refs = reference_logps(model, pairs, cfg.max_seq_len, pad_id) if is_dpo else None
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("the model has no trainable parameters: attach a LoRA adapter first (models.attach_lora)")
    optimizer = _optimizer(params, cfg, device.type)
    # fp16 gradients underflow without loss scaling (T4); bf16 (Ampere+) and fp32 (CPU) need none.
    scaler = torch.amp.GradScaler("cuda") if amp_dtype == torch.float16 else None
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()
    log = TrainLog()
    order = [i for _ in range(cfg.epochs) for i in rng.sample(range(len(pairs)), len(pairs))]
    batches = [order[i:i + cfg.batch_size] for i in range(0, len(order), cfg.batch_size)]
    model.train()
    start = time.perf_counter()
    optimizer.zero_grad(set_to_none=True)
    bar = tqdm(batches, desc=f"{cfg.method}", disable=not progress)
    for step, idx in enumerate(bar, 1):
        with autocast():
            if is_dpo:
                pc, pr = packed_pair_logps(model, [pack(pairs[i], cfg.max_seq_len) for i in idx])
                rc = torch.tensor([refs[i][0] for i in idx], device=device)
                rr = torch.tensor([refs[i][1] for i in idx], device=device)
                loss, metrics = dpo_loss(pc, pr, rc, rr, cfg.beta)
            else:
                chosen = collate([build_sequence(pairs[i].prompt_ids, pairs[i].chosen_ids, cfg.max_seq_len)
                                  for i in idx], pad_id, device)
                loss, metrics = sft_loss(model, chosen), {}
        # The mean over the accumulation group, the last one too when fewer batches are left to fill it.
        group = min(cfg.grad_accum, len(batches) - (step - 1) // cfg.grad_accum * cfg.grad_accum)
        (scaler.scale(loss / group) if scaler else loss / group).backward()
        if step % cfg.grad_accum == 0 or step == len(batches):
            if scaler:
                scaler.step(optimizer)
                scaler.update()
            else:
                optimizer.step()
            optimizer.zero_grad(set_to_none=True)
        entry = {"step": step, "loss": float(loss.detach()), **{k: float(v) for k, v in metrics.items()}}
        log.steps.append(entry)
        bar.set_postfix({k: f"{v:.3f}" for k, v in entry.items() if k != "step"})
    log.wall_s = time.perf_counter() - start
    if device.type == "cuda":
        log.peak_gpu_mib = torch.cuda.max_memory_allocated() / 2**20
    model.eval()
    return log


def adapter_digest(model) -> str:
    """A fingerprint of the LoRA weights, to show that iterations really change the policy."""
    import hashlib

    h = hashlib.sha256()
    for name, p in sorted(model.named_parameters()):
        if "lora_" in name:
            h.update(p.detach().float().cpu().numpy().tobytes())
    return h.hexdigest()[:16]


__all__ = ["METHODS", "PreferencePair", "PairStats", "paper_pairs", "oracle_pairs", "sft_examples", "spin_pairs",
           "equalize_budget", "build_sequence", "collate", "sequence_logps", "PackedPair", "pack_pair", "pack",
           "packed_pair_logps", "dpo_loss", "sft_loss", "TrainConfig",
           "TrainLog", "train", "iteration_seed", "data_budget", "pair_stats_markdown", "reference_logps", "adapter_digest", "save_pairs", "load_pairs",
           "self_play"]


# --------------------------------------------------------------------------------------------- the loop


def _load_adapter_weights(model, path: Path) -> None:
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    set_peft_model_state_dict(model, load_file(str(path / "adapter_model.safetensors")))


def self_play(method: str, base_model, tokenizer, tasks, run_cfg, run_dir: Path, *, initial_trees: Path | None = None,
              budget: int | None = None, oracle_cache: Path | None = None, labeler=None, progress: bool = True):
    """T on-policy iterations of one method; returns (the trained peft model, one manifest per iteration).

    Iteration t trains on data generated by the iterate t-1 (the base model for t=1): trees for the TSP methods,
    full samples for SPIN. Each iteration's adapter and manifest land in ``run_dir/adapters/<method>/iter_<t>/``;
    a finished iteration is loaded instead of retrained, so a killed run resumes where it stopped.
    """
    from .models import attach_lora, sampling_mode, save_adapter
    from .tree import TreeBuilder, build_tree_file, label_trees, load_trees, save_trees

    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from {METHODS}")
    checkpointing = TrainConfig.from_run(method, run_cfg, run_cfg.seed).gradient_checkpointing
    # Seeded: every method starts from the same adapter, whichever methods ran (or were resumed) before it.
    model = attach_lora(base_model, r=run_cfg.lora_r, alpha=run_cfg.lora_alpha, gradient_checkpointing=checkpointing,
                        seed=run_cfg.seed)
    pad_id = tokenizer.pad_token_id
    manifests = []
    for it in range(1, run_cfg.iterations + 1):
        out = Path(run_dir) / "adapters" / method / f"iter_{it}"
        if (out / "manifest.json").exists() and (out / "adapter" / "adapter_model.safetensors").exists():
            _load_adapter_weights(model, out / "adapter")
            manifests.append(json.loads((out / "manifest.json").read_text()))
            continue
        seed = iteration_seed(run_cfg.seed, it)
        generated_by = adapter_digest(model)
        if method == "sft":
            pairs, stats = sft_examples(tasks, tokenizer)
        elif method == "spin":
            # A whole program, as long as an evaluated one may be (a branch's max_new_tokens bounds one statement
            # in local mode, which would make SPIN's rejected side a truncated stub).
            with sampling_mode(model) as policy:
                pairs, stats = spin_pairs(policy, tokenizer, tasks, temperature=run_cfg.branch_temperature,
                                          top_p=run_cfg.branch_top_p, seed=seed,
                                          max_new_tokens=max(run_cfg.max_new_tokens, run_cfg.eval_max_new_tokens),
                                          max_batch_tokens=run_cfg.max_batch_tokens)
            pairs = drop_undivided(pairs, stats, run_cfg.max_seq_len)
        else:
            trees_path = Path(run_dir) / "trees" / method / f"iter_{it - 1}" / "labeled.jsonl"
            if it == 1 and initial_trees is not None:
                trees = load_trees(initial_trees)  # notebook 01/02 already grew and labeled the base policy's trees
            elif trees_path.exists():
                trees = load_trees(trees_path)
            else:
                with sampling_mode(model) as policy:
                    builder = TreeBuilder.from_config(policy, tokenizer, run_cfg, seed=seed, iteration=it - 1,
                                                      oracle_cache=oracle_cache, labeler=labeler)
                    raw = build_tree_file(builder, tasks, trees_path.with_name("trees.jsonl"), progress=progress)
                trees = load_trees(raw)
                (labeler or (lambda ts: label_trees(ts, cache_dir=oracle_cache, progress=False)))(trees)
                for t in trees:
                    t.compute_values()
                save_trees(trees_path, trees)
            pairs, stats = tree_pairs(method, trees, tokenizer, run_cfg.max_seq_len)
        cfg = TrainConfig.from_run(method, run_cfg, seed)
        n_available = len(pairs)
        pairs = equalize_budget(pairs, budget or len(pairs), seed)
        save_pairs(out.parent / f"pairs_iter_{it}.jsonl", pairs)
        log = train(model, pairs, cfg, pad_id, progress=progress) if pairs else TrainLog()
        save_adapter(model, out / "adapter")
        manifest = {"method": method, "iteration": it, "seed": seed, "generated_by_adapter": generated_by,
                    "adapter": adapter_digest(model), "data": {**stats.to_dict(), "available": n_available,
                                                               "trained_on": len(pairs)},
                    "hyper_parameters": asdict(cfg), "wall_s": round(log.wall_s, 1), "peak_gpu_mib": log.peak_gpu_mib,
                    "final": log.summary(), "steps": log.steps}
        atomic_write_json(out / "manifest.json", manifest)
        manifests.append(manifest)
    return model, manifests
