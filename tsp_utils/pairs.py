"""Building pairs: the preference pairs (and SFT examples) each method trains on, from labeled trees or samples.

``tsp-paper`` pairs the task with the golden function against prefix + branch, every branch; ``tsp-oracle`` pairs
at the branch point, oracle-secure against oracle-vulnerable, and counts every leaf it drops; ``spin`` pairs golden
against the policy's own sample; ``sft`` keeps the golden functions. Pairs are token ids taken from the trees (the
prefix is never re-tokenized), so a node-level pair's prompt/completion boundary is exactly the branch point. This
module imports no torch. The method, the drop reasons and the data budget: ``docs/training.md``.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

from .artifacts import atomic_write_jsonl, read_jsonl
from .labels import SECURE, UNKNOWN, VULNERABLE
from .tree import golden_response

MIN_PROMPT = 16  # prompt tokens a sequence keeps when its completion alone would fill max_len (dpo.build_sequence)

DROP_UNKNOWN = "unknown label (never treated as secure)"
DROP_SECURE = "secure: not a rejected side (the oracle cannot tell it from the golden path)"
DROP_NO_SECURE = "vulnerable, but no secure alternative at its branch points"
DROP_IDENTICAL = "vulnerable, but identical to the secure alternative"
DROP_PAST_CUT = "the two sides differ only after the max_seq_len cut"


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


# --------------------------------------------------------------------------------------------- token ids of a leaf


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


def _leaves_under(tree, node_id: str) -> list:
    node = tree.nodes[node_id]
    if node.is_leaf:
        return [node]
    return [leaf for c in node.children for leaf in _leaves_under(tree, c)]


# --------------------------------------------------------------------------------------------- the four methods


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
                                  chosen, rejected, leaf.id, {"label": leaf.label})
            pairs.append(pair)
            stats.add(pair)
    return pairs, stats


def oracle_pairs(trees, tokenizer) -> tuple[list[PreferencePair], PairStats]:
    """Node-level pairs: each oracle-vulnerable sampled leaf against a secure continuation, at the nearest branch
    point with a secure leaf under another child, never above where the leaf left the golden path. The prompt is
    the task plus the shared prefix up to that point. ``stats`` counts every sampled leaf once, as a pair or a drop
    reason (``docs/training.md``, "TSP-oracle's pairs")."""
    stats = PairStats("tsp-oracle")
    pairs = []
    for tree in trees:
        for leaf in tree.leaves():
            if leaf.kind != "sampled":
                continue
            label = leaf.label or UNKNOWN
            if label != VULNERABLE:
                stats.dropped[DROP_SECURE if label == SECURE else DROP_UNKNOWN] += 1
                continue
            path = tree.path(leaf.id)
            pair, identical = None, False
            for i in range(len(path) - 2, -1, -1):  # path[i]: a candidate branch point; path[i + 1]: the leaf's side
                point, side = path[i], path[i + 1]
                if side.kind == "golden":
                    break  # the leaf shares the golden path up to here: its mistake was made further down
                secure = [(s, c) for c in point.children if c != side.id for s in _leaves_under(tree, c)
                          if s.label == SECURE]
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
    from .models import encode_prompt, format_prompt  # models imports torch; this module does not

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
    from .sampling import BranchRequest, sample_branches  # sampling imports torch; this module does not

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


# --------------------------------------------------------------------------------------------- the sequence cut


def cut_completion(completion_ids: Sequence[int], max_len: int, min_prompt: int = MIN_PROMPT) -> list[int]:
    """A completion as it enters a sequence of ``max_len`` tokens: its tail is lost past ``max_len - min_prompt``."""
    ids, room = list(completion_ids), max_len - min_prompt
    return ids[:room] if len(ids) > room else ids


def truncate_prompt(pair: PreferencePair, max_prompt_len: int | None) -> PreferencePair:
    """The pair with its prompt cut from the *left* to ``max_prompt_len`` tokens (None: the full prompt, as in the
    paper). Both sides keep the same prompt, and the prompt/completion boundary (a node-level pair's branch point)
    is untouched; the model loses the start of the context (the chat template and the task's opening words, then
    the start of the golden prefix). Applied before the reference log-probs, so policy and reference see the
    same context. What this changes in the loss: ``docs/training.md``, "Shortcuts on a CPU"."""
    if max_prompt_len is not None and max_prompt_len < 1:
        raise ValueError(f"max_prompt_len must be a positive number of tokens or None, not {max_prompt_len}")
    if max_prompt_len is None or len(pair.prompt_ids) <= max_prompt_len:
        return pair
    return replace(pair, prompt_ids=list(pair.prompt_ids[-max_prompt_len:]))


def drop_undivided(pairs: list[PreferencePair], stats: PairStats, max_len: int,
                   min_prompt: int = MIN_PROMPT) -> list[PreferencePair]:
    """The pairs whose two sides still differ after :func:`cut_completion`; a pair whose sides diverge only past
    the cut would train nothing, so it is dropped and counted rather than spent from the data budget."""
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


# --------------------------------------------------------------------------------------------- the data budget


def data_budget(train_budget: int | None, oracle_pairs: int, n_tasks: int) -> int:
    """Examples per iteration for every method: ``train_budget`` if set, else TSP-oracle's pair count and at least
    one per task (SFT and SPIN have one example per task)."""
    return train_budget or max(oracle_pairs, n_tasks)


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


def pair_stats_markdown(*stats: PairStats) -> str:
    """Side by side: pairs, the share of candidates dropped, and each drop reason's count."""
    reasons = sorted({r for st in stats for r in st.dropped})
    lines = ["| | " + " | ".join(st.method for st in stats) + " |", "|---|" + "---:|" * len(stats),
             "| pairs | " + " | ".join(str(st.pairs) for st in stats) + " |",
             "| share of candidates dropped | " + " | ".join(f"{st.drop_share:.0%}" for st in stats) + " |"]
    lines += [f"| dropped: {r} | " + " | ".join(str(st.dropped.get(r, "")) for st in stats) + " |" for r in reasons]
    return "\n".join(lines)


def save_pairs(path, pairs: Sequence[PreferencePair]) -> Path:
    return atomic_write_jsonl(path, [p.to_dict() for p in pairs])


def load_pairs(path) -> list[PreferencePair]:
    return [PreferencePair(**row) for row in read_jsonl(path)]
