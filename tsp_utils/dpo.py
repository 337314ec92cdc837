"""The DPO and SFT losses, and the token sequences they are computed on.

A pair becomes prompt + completion sequences cut to ``max_seq_len`` from the left of the prompt
(:func:`build_sequence`), or one packed row holding both sides with a tree-shaped attention mask (:func:`pack`);
:func:`dpo_loss` is the loss of the paper, written out. Why packing gives the same numbers, and how the loss
relates to TRL's: ``docs/training.md``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Sequence

import torch
import torch.nn.functional as F

from .pairs import MIN_PROMPT, PreferencePair, cut_completion

IGNORE = -100  # the label cross-entropy skips

# --------------------------------------------------------------------------------------------- sequences


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


@contextlib.contextmanager
def scoring(model):
    """Eval mode (dropout off) and no gradients for a pass that only scores; the model's mode is restored after."""
    was_training = getattr(model, "training", False)
    model.eval()
    try:
        with torch.no_grad():
            yield model
    finally:
        if was_training:
            model.train()


def sequence_logps(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Sum of log p(token) over the completion tokens of each row. Shape [batch].

    Position t's logits predict token t+1, hence the shift by one."""
    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits[:, :-1].float()
    labels, mask = batch["labels"][:, 1:], batch["loss_mask"][:, 1:]
    token_logps = torch.gather(logits.log_softmax(-1), 2, labels.unsqueeze(-1)).squeeze(-1)
    return (token_logps * mask).sum(-1)


# --------------------------------------------------------------------------------------------- packed pairs
# Both sides of a pair in one row; the shared prefix is computed once ("Packed pairs" in docs/training.md).


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


def pack(pair: PreferencePair, max_len: int) -> PackedPair:
    return pack_pair(build_sequence(pair.prompt_ids, pair.chosen_ids, max_len),
                     build_sequence(pair.prompt_ids, pair.rejected_ids, max_len))


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


# --------------------------------------------------------------------------------------------- the losses


def dpo_loss(policy_chosen: torch.Tensor, policy_rejected: torch.Tensor, ref_chosen: torch.Tensor,
             ref_rejected: torch.Tensor, beta: float = 0.1) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """The DPO (sigmoid) loss of Rafailov et al. (2023, eq. 7), as in the TSP paper (beta = 0.1):

        reward(y) = beta * (log pi(y|x) - log pi_ref(y|x))
        loss      = -log sigmoid(reward(chosen) - reward(rejected))

    Args: each log-prob is summed over a sequence's completion tokens, shape [batch]: ``policy_chosen`` =
    log pi(y_w|x), ``policy_rejected`` = log pi(y_l|x), ``ref_chosen`` / ``ref_rejected`` the same under pi_ref.
    Returns: the loss averaged over the batch (a scalar), and its metrics under TRL's names, batch means:
    ``rewards/chosen``, ``rewards/rejected``, ``rewards/margins`` (chosen - rejected), ``rewards/accuracies`` (the
    share of pairs with a positive margin), ``logps/chosen`` and ``logps/rejected`` (the policy's summed log-probs;
    when both fall, the policy is making both sides less likely, not only the rejected one).
    """
    chosen_reward = beta * (policy_chosen - ref_chosen)
    rejected_reward = beta * (policy_rejected - ref_rejected)
    margin = chosen_reward - rejected_reward
    loss = -F.logsigmoid(margin).mean()
    return loss, {"rewards/chosen": chosen_reward.detach().mean(), "rewards/rejected": rejected_reward.detach().mean(),
                  "rewards/margins": margin.detach().mean(), "rewards/accuracies": (margin.detach() > 0).float().mean(),
                  "logps/chosen": policy_chosen.detach().mean(), "logps/rejected": policy_rejected.detach().mean()}


def sft_loss(model, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """Mean cross-entropy over completion tokens (a :func:`collate` batch)."""
    logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits[:, :-1].float()
    labels = batch["labels"][:, 1:].masked_fill(~batch["loss_mask"][:, 1:], IGNORE)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=IGNORE)


__all__ = ["IGNORE", "MIN_PROMPT", "cut_completion", "build_sequence", "collate", "sequence_logps", "PackedPair",
           "pack_pair", "pack", "packed_pair_logps", "dpo_loss", "sft_loss"]
