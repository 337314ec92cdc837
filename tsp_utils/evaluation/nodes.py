"""Node-level evaluation: at each held-out prompt's risk node, does the model prefer the secure line?

A prompt with a secure and an insecure reference diverges at one line: the *node*. Its context is the completion
prompt plus the secure reference up to that line (valid code whatever the model's size); its two sides are the
secure and the insecure statement there. :func:`preference` scores both sides by log-probability (no sampling):
the method's own mechanism, measured where it acts. Design, pitfalls and what each number means:
docs/evaluation.md ("Node-level evaluation").

This module imports without torch (the extraction is pure); :func:`node_pairs` and :func:`preference` import the
model helpers (torch) when called. For the training loop's held-out curve::

    pairs = node_pairs(prompts, tokenizer)          # once
    prefs = preference(model, tokenizer, pairs, 8)  # every few steps
    accuracy(prefs), mean_margin(prefs)
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import asdict, dataclass
from typing import Any, Iterable, Sequence

from ..artifacts import atomic_write_jsonl, read_jsonl
from ..code import statement_end
from ..data import EvalPrompt, load_eval_prompts
from ..pairs import PreferencePair
from .generate import completion_prompt

__all__ = ["IMPORT_LINE", "MAX_SIDE_LINES", "Node", "NodePair", "NodePreference", "find_node", "find_nodes",
           "node_pairs", "preference", "accuracy", "mean_margin", "save_preferences", "load_preferences"]

# A line that only brings a library in: Python import/from-import, C #include, JavaScript require/import, Go import.
IMPORT_LINE = re.compile(r"^\s*(?:import\b|from\s+[\w.]+\s+import\b|#\s*include\b|"
                         r"(?:const|let|var)\s+[^=]+=\s*require\s*\(|require\s*\()")
MAX_SIDE_LINES = 3  # a side whose statement runs longer (a whole block) is scored as its first line only


@dataclass(frozen=True)
class Node:
    """Where a prompt's secure and insecure references diverge, as code (no tokenizer)."""

    prompt_id: str
    language: str
    cwe: str
    split: str  # "seen" | "unseen"
    prefix: str  # the secure reference up to the start of the node's line (starts with the prompt's code)
    secure: str  # the secure side: its statement from the line start, through its newline
    insecure: str  # the insecure side, the same way
    line: int  # 1-based line of reference_secure where the secure side starts
    end_line: int  # its last line
    skipped_imports: int = 0  # import/require lines of the secure reference passed over (they stay in ``prefix``)
    reference: str = ""  # the whole secure reference (the sampled choice is spliced into it)


def _is_import(line: str) -> bool:
    return bool(IMPORT_LINE.match(line))


def _side(lines: list[str], start: int, language: str) -> str:
    """The statement starting at ``lines[start]`` (through its newline), or that line alone when the statement
    runs past :data:`MAX_SIDE_LINES` lines or never ends."""
    text = "".join(lines[start:])
    found = statement_end(text, language, final=True)
    if found is not None:
        side = text[:found[0]]
        if side.count("\n") <= MAX_SIDE_LINES and side.strip():
            return side if side.endswith("\n") or len(side) == len(text) else side + "\n"
    return lines[start]


def find_node(prompt: EvalPrompt) -> Node | None:
    """The risk node of ``prompt``, or None when it has no insecure reference (or both references are the same).

    The first line where the references differ, except that an import/require line only one side has is passed
    over (it stays in the prefix when it is the secure side's), and so is a blank line only one side has: in 20 of
    the 121 prompts the secure reference first imports its library (``import secrets``), and the choice that
    matters is the call on a later line. The prefix then holds the import: docs/evaluation.md says what that
    changes."""
    s_ref, i_ref = prompt.reference_secure, prompt.reference_insecure
    if not s_ref or not i_ref or s_ref == i_ref:
        return None
    if not s_ref.startswith(prompt.prompt):
        raise ValueError(f"eval prompt {prompt.id}: reference_secure does not start with the prompt's code")
    s_lines, i_lines = s_ref.splitlines(keepends=True), i_ref.splitlines(keepends=True)
    i = j = skipped = 0
    while i < len(s_lines) and j < len(i_lines):
        if s_lines[i] == i_lines[j]:
            i, j = i + 1, j + 1
        elif _is_import(s_lines[i]) and s_lines[i] not in i_lines:
            i, skipped = i + 1, skipped + 1
        elif _is_import(i_lines[j]) and i_lines[j] not in s_lines:
            j += 1
        elif not s_lines[i].strip() or not i_lines[j].strip():  # a blank line one side has (after an import)
            i, j = i + (not s_lines[i].strip()), j + (not i_lines[j].strip())
        else:
            break
    if i >= len(s_lines) or j >= len(i_lines):
        raise ValueError(f"eval prompt {prompt.id}: the references differ only in import lines (no risk node)")
    prefix = "".join(s_lines[:i])
    if len(prefix) < len(prompt.prompt.rstrip("\n")):
        raise ValueError(f"eval prompt {prompt.id}: the references diverge inside the prompt's own code")
    secure, insecure = _side(s_lines, i, prompt.language), _side(i_lines, j, prompt.language)
    return Node(prompt.id, prompt.language, prompt.cwe, prompt.split, prefix, secure, insecure, i + 1,
                i + max(1, secure.count("\n")), skipped, s_ref)


def find_nodes(prompts: Iterable[EvalPrompt]) -> list[Node]:
    """The node of every prompt that has one (prompts without an insecure reference are left out)."""
    return [n for n in (find_node(p) for p in prompts) if n is not None]


@dataclass(frozen=True)
class NodePair:
    """A node as tokens: the shared token prefix and each side's own tokens after it.

    ``prompt_ids`` is the longest common token prefix of (context + secure side) and (context + insecure side),
    each tokenized whole, so each side is scored as the model would read it, whatever the tokenizer merges across
    the line start."""

    node: Node
    prompt_ids: list[int]
    secure_ids: list[int]
    insecure_ids: list[int]

    def as_preference_pair(self, method: str = "node"):
        """The node as a :class:`tsp_utils.pairs.PreferencePair` (chosen = secure), for the DPO helpers."""
        n = self.node
        return PreferencePair(method, n.prompt_id, n.language, n.cwe, list(self.prompt_ids), list(self.secure_ids),
                              list(self.insecure_ids), node_id=f"line{n.line}")


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    return k


def node_pairs(prompts: Iterable[EvalPrompt] | Iterable[Node], tokenizer, *, show_code: bool = False) -> list[NodePair]:
    """Tokenized nodes of ``prompts`` (EvalPrompts, or Nodes with their prompts found by id): context =
    :func:`~.generate.completion_prompt` + the secure reference up to the node's line, as evaluation prompts it."""
    from ..models import encode_prompt  # torch

    items = list(prompts)
    if items and isinstance(items[0], Node):
        by_id = {p.id: p for p in load_eval_prompts()}
        items = [(by_id[n.prompt_id], n) for n in items]
    else:
        items = [(p, find_node(p)) for p in items]
    out = []
    for prompt, node in items:
        if node is None:
            continue
        context = completion_prompt(tokenizer, prompt, show_code=show_code) + node.prefix[len(prompt.prompt):]
        secure = encode_prompt(tokenizer, context + node.secure)
        insecure = encode_prompt(tokenizer, context + node.insecure)
        k = _common_prefix(secure, insecure)
        if k == len(secure) or k == len(insecure):
            raise ValueError(f"eval prompt {prompt.id}: one side's tokens are a prefix of the other's")
        out.append(NodePair(node, secure[:k], secure[k:], insecure[k:]))
    return out


@dataclass(frozen=True)
class NodePreference:
    """One model's log-probabilities of the two sides of one node (nats, summed over each side's own tokens)."""

    prompt_id: str
    language: str
    cwe: str
    split: str
    secure_logp: float
    insecure_logp: float
    secure_tokens: int
    insecure_tokens: int

    @property
    def margin(self) -> float:
        """log p(secure) - log p(insecure), summed: > 0 when the secure side is the more likely."""
        return self.secure_logp - self.insecure_logp

    @property
    def token_margin(self) -> float:
        """The same with each side's per-token mean: summed log-prob favours the shorter side, this does not."""
        return self.secure_logp / self.secure_tokens - self.insecure_logp / self.insecure_tokens

    def prefers_secure(self, per_token: bool = False) -> bool:
        return (self.token_margin if per_token else self.margin) > 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def preference(model, tokenizer, node_pairs: Sequence[NodePair], batch_size: int = 8, *,
               max_len: int = 2048) -> list[NodePreference]:
    """Log-probability of each node's secure and insecure side under ``model``, no sampling; in the order given.

    Both sides of a node share one row (:func:`tsp_utils.dpo.pack`: the prefix is computed once, each side attends
    only to it and to itself); rows are batched by length. Deterministic: the model is put in eval mode (dropout
    off) for the pass and restored after. ``max_len`` cuts a context from the left, as training does. ``tokenizer``
    must be the one :func:`node_pairs` used (its ids are checked against its vocabulary)."""
    from ..dpo import pack, packed_pair_logps, scoring  # torch

    vocab = len(tokenizer)
    for p in node_pairs:
        if max(p.prompt_ids + p.secure_ids + p.insecure_ids) >= vocab:
            raise ValueError(f"node {p.node.prompt_id}: token ids beyond the tokenizer's vocabulary ({vocab}); "
                             "were the pairs made with another tokenizer?")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    packed = [pack(p.as_preference_pair(), max_len) for p in node_pairs]
    order = sorted(range(len(packed)), key=lambda i: len(packed[i].input_ids))
    logps: dict[int, tuple[float, float]] = {}
    with scoring(model):
        for k in range(0, len(order), batch_size):
            idx = order[k:k + batch_size]
            chosen, rejected = packed_pair_logps(model, [packed[i] for i in idx])
            for i, c, r in zip(idx, chosen.tolist(), rejected.tolist()):
                logps[i] = (c, r)
    out = []
    for i, p in enumerate(node_pairs):
        n = p.node
        out.append(NodePreference(n.prompt_id, n.language, n.cwe, n.split, logps[i][0], logps[i][1],
                                  len(packed[i].chosen_tokens), len(packed[i].rejected_tokens)))
    return out


def accuracy(prefs: Sequence[NodePreference], per_token: bool = False) -> float:
    """Share of nodes where the secure side is the more likely (NaN for no node)."""
    if not prefs:
        return math.nan
    return sum(p.prefers_secure(per_token) for p in prefs) / len(prefs)


def mean_margin(prefs: Sequence[NodePreference], per_token: bool = False) -> float:
    """Mean of log p(secure) - log p(insecure) over nodes, in nats (per-token means with ``per_token``)."""
    if not prefs:
        return math.nan
    return sum(p.token_margin if per_token else p.margin for p in prefs) / len(prefs)


def save_preferences(path: str | os.PathLike, prefs: Sequence[NodePreference]) -> None:
    """One JSON line per node, written atomically."""
    atomic_write_jsonl(path, [x.to_dict() for x in prefs])


def load_preferences(path: str | os.PathLike) -> list[NodePreference]:
    return [NodePreference(**row) for row in read_jsonl(path)]
