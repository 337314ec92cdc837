"""The sampled choice at a node: M continuations from the node's prefix to the end of the statement, each spliced
into the secure reference in place of the node's statement and labelled by the oracle; per node, the shares of
insecure, secure and unknown continuations. docs/evaluation.md ("Node-level evaluation") says why and how.

The sampler is :func:`tsp_utils.sampling.sample_branches` (one prefill per node, M rows decoding together, a row
stops at its statement's end, as notebook 01's local-mode branches do); a test passes a scripted one. This module
imports without torch.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Sequence

from ..artifacts import atomic_write_jsonl, read_jsonl
from ..code import StatementShape, splice_targets
from ..labels import SECURE, UNKNOWN, VULNERABLE
from ..oracle import Branch, attribute_batch, finding_key
from ..tree.spans import closing_fence, statement_tokens, token_texts
from .nodes import NodePair

__all__ = ["NodeChoice", "node_shape", "splice", "sample_choices", "label_choices", "judgeable", "choose",
           "save_choices", "load_choices"]


@dataclass
class NodeChoice:
    """One model's M sampled continuations at one node, at one temperature, and their oracle labels."""

    prompt_id: str
    language: str
    cwe: str
    split: str
    temperature: float
    statements: list[str] = field(default_factory=list)  # what each continuation wrote, up to its statement's end
    complete: list[bool] = field(default_factory=list)  # the statement ended before the token limit
    labels: list[str] = field(default_factory=list)  # secure / vulnerable / unknown, per continuation
    reference_insecure: str = ""  # the oracle's label of the insecure reference spliced the same way

    def rate(self, label: str) -> float:
        """Share of the continuations with ``label`` (NaN without any)."""
        return self.labels.count(label) / len(self.labels) if self.labels else math.nan

    @property
    def insecure(self) -> float:
        return self.rate(VULNERABLE)

    @property
    def secure(self) -> float:
        return self.rate(SECURE)

    @property
    def unknown(self) -> float:
        return self.rate(UNKNOWN)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def node_shape(pair: NodePair, tokenizer) -> tuple[str, StatementShape]:
    """The code before the sampling point, and the :class:`~tsp_utils.code.StatementShape` a continuation must
    complete to take the place of the node's secure statement.

    Sampling starts after ``pair.prompt_ids`` (the tokens both sides share), which may end inside the node's line
    (both sides start with ``return``) or, where a tokenizer merges the newline with the next line's indentation,
    just before the line start."""
    node = pair.node
    full = tokenizer.decode(pair.prompt_ids + pair.secure_ids)
    covered = len(node.secure) - (len(full) - len(tokenizer.decode(pair.prompt_ids)))
    code = node.prefix + node.secure[:covered] if covered >= 0 else node.prefix[:len(node.prefix) + covered]
    head = node.secure[:max(0, covered)]
    return code, StatementShape(head, splice_targets(node.reference, node.language, node.line, node.end_line))


def splice(pair: NodePair, code: str, statement: str, end_line: int) -> str:
    """The secure reference with its lines up to ``end_line`` replaced by ``code`` + ``statement``: a statement
    that ends with its newline may carry the next line's indentation, which is then not repeated; one that does
    not end a line gets a newline."""
    rest = "".join(pair.node.reference.splitlines(keepends=True)[end_line:])
    carried = statement[statement.rfind("\n") + 1:]
    if "\n" not in statement or carried.strip():
        return code + statement + "\n" + rest
    return code + statement + (rest[len(carried):] if rest.startswith(carried) else rest)


def sample_choices(model, tokenizer, pairs: Sequence[NodePair], m: int, *, temperature: float, top_p: float,
                   max_new_tokens: int = 64, seed: int = 0, max_rows: int = 128,
                   max_batch_tokens: int | None = None, sampler: Callable | None = None) -> list[list[tuple[str, bool, int]]]:
    """``m`` continuations per node: (statement, complete, golden end line it replaces) each.

    ``sampler(requests, seed)`` returns :class:`~tsp_utils.sampling.BranchResult` s in request order; by default
    :func:`~tsp_utils.sampling.sample_branches` with ``stop_at_line_end`` and the node's statement shape. Up to
    ``max_rows`` rows decode together (several nodes per batch: 128 rows ran 1.5x faster than 32 on 2 CPU cores),
    fewer where ``max_batch_tokens`` (rows x tokens) bounds a GPU's KV cache."""
    if sampler is None:
        from ..sampling import sample_branches  # torch

        def sampler(reqs, seed):
            return sample_branches(model, tokenizer, reqs, max_new_tokens=max_new_tokens, temperature=temperature,
                                   top_p=top_p, seed=seed, max_rows=max(max_rows, m), stop_strings=["```"],
                                   max_batch_tokens=max_batch_tokens,
                                   stop_at_line_end=True)
    from ..sampling import BranchRequest  # torch (a scripted sampler's test has it too)

    shapes = [node_shape(p, tokenizer)[1] for p in pairs]
    requests = [BranchRequest(list(p.prompt_ids), m, i, p.node.language, shape)
                for i, (p, shape) in enumerate(zip(pairs, shapes))]
    by_key = {r.key: r for r in sampler(requests, seed)}
    out = []
    for i, pair in enumerate(pairs):
        shape, picks = shapes[i], []
        for cont in by_key[i].continuations:
            texts = token_texts(tokenizer, cont.token_ids, pair.prompt_ids)
            fence = closing_fence(texts)
            keep, end_line = statement_tokens(texts[:fence], pair.node.language, shape,
                                              final=fence < len(texts) or cont.finished)
            complete = end_line is not None
            picks.append(("".join(texts[:keep]), complete, end_line if complete else shape.targets[0].end_line))
        out.append(picks)
    return out


def label_choices(pairs: Sequence[NodePair], picks: Sequence[Sequence[tuple[str, bool, int]]], tokenizer,
                  temperature: float, *, cache_dir=None, progress: bool = False) -> list[NodeChoice]:
    """Label every continuation by the oracle, as notebook 02 labels a leaf: the findings in its own span (the
    statement and the secure code after it), minus those the secure reference has too (same analyzer, rule and
    line text). The insecure reference, spliced the same way, is labelled beside them: a node where the oracle
    cannot flag it cannot show an insecure choice either."""
    jobs: list[tuple[int, str, str]] = []  # (node index, code before the choice, what follows it)
    for i, (pair, node_picks) in enumerate(zip(pairs, picks)):
        code, _ = node_shape(pair, tokenizer)
        n = pair.node
        ref_rest = n.reference[len(code):]
        jobs.append((i, code, ref_rest))  # the secure reference: its findings are background
        jobs.append((i, n.prefix, splice(pair, n.prefix, n.insecure, n.end_line)[len(n.prefix):]))
        jobs += [(i, code, splice(pair, code, s, end)[len(code):]) for s, _, end in node_picks]
    branches = [Branch(code, cont, pairs[i].node.language, id=f"{pairs[i].node.prompt_id}/{k}")
                for k, (i, code, cont) in enumerate(jobs)]
    verdicts = attribute_batch(branches, cache_dir=cache_dir, progress=progress)
    out, k = [], 0
    for i, (pair, node_picks) in enumerate(zip(pairs, picks)):
        program = lambda j: branches[j].prefix + branches[j].continuation  # noqa: E731
        v_ref = verdicts[k]
        background = Counter(finding_key(f, program(k)) for f in v_ref.findings + v_ref.prefix_findings)
        labels = [verdicts[j].without(background, program(j)).label for j in range(k + 1, k + 2 + len(node_picks))]
        n = pair.node
        out.append(NodeChoice(n.prompt_id, n.language, n.cwe, n.split, temperature, [s for s, _, _ in node_picks],
                              [c for _, c, _ in node_picks], labels[1:], labels[0]))
        k += 2 + len(node_picks)
    return out


def judgeable(pairs: Sequence[NodePair], tokenizer, *, cache_dir=None) -> list[bool]:
    """Per node, whether the oracle flags the insecure reference spliced in at the node: only there can a sampled
    continuation be labelled insecure. Where the two references part at a guard the secure side adds (``if (p ==
    NULL) return;``) or an import, the insecure line spliced in its place is no finding, so sampling there can
    only measure secure vs unknown."""
    return [c.reference_insecure == VULNERABLE
            for c in label_choices(pairs, [[] for _ in pairs], tokenizer, 0.0, cache_dir=cache_dir)]


def choose(model, tokenizer, pairs: Sequence[NodePair], m: int, *, temperature: float, top_p: float,
           max_new_tokens: int = 64, seed: int = 0, cache_dir=None, max_batch_tokens: int | None = None,
           sampler: Callable | None = None, progress: bool = False) -> list[NodeChoice]:
    """:func:`sample_choices` then :func:`label_choices`: the sampled choice at every node."""
    picks = sample_choices(model, tokenizer, pairs, m, temperature=temperature, top_p=top_p,
                           max_new_tokens=max_new_tokens, seed=seed, max_batch_tokens=max_batch_tokens,
                           sampler=sampler)
    return label_choices(pairs, picks, tokenizer, temperature, cache_dir=cache_dir, progress=progress)


def save_choices(path: str | os.PathLike, choices: Sequence[NodeChoice]) -> None:
    """One JSON line per node, written atomically."""
    atomic_write_jsonl(path, [x.to_dict() for x in choices])


def load_choices(path: str | os.PathLike) -> list[NodeChoice]:
    return [NodeChoice(**row) for row in read_jsonl(path)]
