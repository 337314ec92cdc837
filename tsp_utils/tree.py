"""Generation trees: the data structure at the heart of TSP.

A task's tree starts at the prompt (the root). The *golden path* is the fixed function, token by token. At each
*risk node* (a token position where an insecure choice can be made) the current policy samples K continuations
of the shared prefix; those are sibling nodes of the golden continuation. A sampled branch that the oracle finds
vulnerable can branch again at its own flagged line, so the structure is a tree, not a star.

Every node owns a *span* of tokens; the text of a node's program is the concatenation of the spans on the path
from the root. Token ids are kept, not only text, because siblings must share their prefix token for token
(re-tokenising joined strings can merge tokens across the branch point and move it).
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Literal

from .artifacts import atomic_write_text
from .labels import Label

NodeKind = Literal["root", "golden", "sampled"]


@dataclass
class RiskNode:
    """Why a node boundary is a branch point."""

    method: str  # "diff" | "oracle" | "uncertainty" | "llm"
    char_offset: int  # in the owning program's response text
    line: int  # 1-based line of the function the choice is made on
    cwe: str | None = None
    note: str = ""
    end_line: int | None = None  # last golden line the choice replaces (local mode resumes the golden code after it)


@dataclass
class TreeNode:
    id: str
    parent: str | None
    kind: NodeKind
    token_ids: list[int] = field(default_factory=list)
    text: str = ""
    token_texts: list[str] = field(default_factory=list)  # the text each token contributes ("".join == text)
    logprobs: list[float] = field(default_factory=list)  # policy log-prob of each token of the span
    entropies: list[float] = field(default_factory=list)  # policy entropy before each sampled token (nats)
    children: list[str] = field(default_factory=list)
    risk: RiskNode | None = None  # set on a node whose *end* is a branch point (its children diverge)
    branch_entropy: float | None = None  # entropy (nats) of the policy's next-token distribution at that point
    suffix_text: str = ""  # local mode: golden code spliced after the sampled statement (not sampled)
    verdict: dict[str, Any] | None = None  # oracle BranchVerdict (as dict) of the complete program through a leaf
    value: float | None = None  # share of secure leaves below (unknown leaves are not secure)
    depth: int = 0  # number of sampled branchings on the path from the root
    iteration: int = 0  # self-play iteration whose policy produced the span
    complete: bool | None = None  # sampled leaf: local mode, its statement was complete when sampling stopped;
    # paper mode, it ended on its own (fence or end token). False: cut at the token budget (or, local, by an end
    # token) mid-statement, so its program usually cannot parse (a cut that is a whole expression by chance parses
    # and is judged). None: golden, or a tree saved before this field existed

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def label(self) -> Label | None:
        """The oracle's label of the program through this leaf; None while it is unlabeled."""
        return self.verdict["label"] if self.verdict else None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "TreeNode":
        d = dict(d)
        if d.get("risk") is not None:
            d["risk"] = RiskNode(**d["risk"])
        return cls(**d)


@dataclass
class TaskTree:
    task_id: str
    language: str
    cwe: str
    instruction: str  # the task description given to the model
    prompt_text: str  # instruction in the model's format
    context: str  # file_context (imports/includes) the oracle prepends
    nodes: dict[str, TreeNode] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)  # model, mode, K, temperature, seeds, ...

    ROOT = "root"

    # --------------------------------------------------------------- construction

    def add(self, node: TreeNode) -> TreeNode:
        if node.id in self.nodes:
            raise ValueError(f"{self.task_id}: duplicate node id {node.id!r}")
        if node.parent is not None:
            self.nodes[node.parent].children.append(node.id)
        self.nodes[node.id] = node
        return node

    def new_id(self, parent: str) -> str:
        """Stable ids: the path of child indices from the root ("root.0.2"), so re-running the same tree
        construction gives the same ids."""
        return f"{parent}.{len(self.nodes[parent].children)}"

    def split(self, node_id: str, n_tokens: int, text_head: str) -> TreeNode:
        """Cut a node's span after ``n_tokens`` tokens, so that new siblings can branch there.

        The node keeps the head; a new child takes the tail and inherits the old children, verdict and value.
        """
        node = self.nodes[node_id]
        if not 0 < n_tokens < len(node.token_ids):
            raise ValueError(f"cannot split {node_id} ({len(node.token_ids)} tokens) at {n_tokens}")
        tail = TreeNode(
            id=f"{node_id}.{len(node.children)}", parent=node_id, kind=node.kind,
            token_ids=node.token_ids[n_tokens:], text=node.text[len(text_head):],
            token_texts=node.token_texts[n_tokens:], logprobs=node.logprobs[n_tokens:],
            entropies=node.entropies[n_tokens:], children=node.children, risk=node.risk,
            branch_entropy=node.branch_entropy, suffix_text=node.suffix_text, verdict=node.verdict,
            value=node.value, depth=node.depth, iteration=node.iteration, complete=node.complete,
        )
        if not node.text.startswith(text_head):
            raise ValueError(f"{node_id}: text_head is not a prefix of the node's text")
        for child in tail.children:
            self.nodes[child].parent = tail.id
        node.token_ids, node.logprobs, node.text = node.token_ids[:n_tokens], node.logprobs[:n_tokens], text_head
        node.token_texts, node.entropies = node.token_texts[:n_tokens], node.entropies[:n_tokens]
        node.children, node.risk, node.branch_entropy, node.suffix_text = [], None, None, ""
        node.verdict, node.value, node.complete = None, None, None
        # The tail's id is derived from the head's first free child slot; keep ids unique if that slot is reused.
        self.nodes[tail.id] = tail
        node.children.append(tail.id)
        return tail

    # --------------------------------------------------------------- queries

    def path(self, node_id: str) -> list[TreeNode]:
        out = []
        current: str | None = node_id
        while current is not None:
            node = self.nodes[current]
            out.append(node)
            current = node.parent
        return out[::-1]

    def response_text(self, node_id: str) -> str:
        """The model's response (code) from the root to the end of ``node_id``, plus any spliced suffix."""
        path = self.path(node_id)
        return "".join(n.text for n in path if n.kind != "root") + path[-1].suffix_text

    def token_ids(self, node_id: str) -> list[int]:
        return [t for n in self.path(node_id) for t in n.token_ids]

    def prefix_text(self, node_id: str) -> str:
        """The response text before ``node_id``'s own span (what it shares with its siblings)."""
        return "".join(n.text for n in self.path(node_id)[:-1] if n.kind != "root")

    def leaves(self) -> list[TreeNode]:
        return [n for n in self.nodes.values() if n.is_leaf and n.kind != "root"]

    def branch_points(self) -> list[TreeNode]:
        return [n for n in self.nodes.values() if len(n.children) > 1]

    def golden_leaf(self) -> TreeNode | None:
        golden = [n for n in self.leaves() if n.kind == "golden"]
        return golden[0] if golden else None

    def max_depth(self) -> int:
        return max((n.depth for n in self.nodes.values()), default=0)

    def compute_values(self) -> None:
        """Value of a node = share of secure leaves below it; an unlabeled or unknown leaf counts as not secure."""

        def visit(node_id: str) -> tuple[int, int]:
            node = self.nodes[node_id]
            if node.is_leaf:
                secure = int(bool(node.verdict) and node.verdict.get("label") == "secure")
                node.value = float(secure)
                return secure, 1
            secure = total = 0
            for child in node.children:
                s, t = visit(child)
                secure, total = secure + s, total + t
            node.value = secure / total
            return secure, total

        visit(self.ROOT)

    def critical_nodes(self) -> list[TreeNode]:
        """Branch points whose subtrees hold both a secure and a vulnerable leaf: the decisions that matter."""
        out = []
        for node in self.branch_points():
            labels = {self._subtree_labels(c) for c in node.children}
            flat = set().union(*labels) if labels else set()
            if "secure" in flat and "vulnerable" in flat:
                out.append(node)
        return out

    def _subtree_labels(self, node_id: str) -> frozenset[str]:
        node = self.nodes[node_id]
        if node.is_leaf:
            return frozenset([node.verdict["label"]]) if node.verdict else frozenset(["unlabeled"])
        return frozenset().union(*(self._subtree_labels(c) for c in node.children))

    def stats(self) -> dict[str, Any]:
        branch_points = self.branch_points()
        sampled = [n for n in self.nodes.values() if n.kind == "sampled"]
        return {
            "task_id": self.task_id,
            "nodes": len(self.nodes),
            "leaves": len(self.leaves()),
            "depth": self.max_depth(),
            "branch_points": len(branch_points),
            "branches_per_node": (sum(len(n.children) for n in branch_points) / len(branch_points)) if branch_points else 0.0,
            "tokens_generated": sum(len(n.token_ids) for n in sampled),
            "critical_nodes": len(self.critical_nodes()),
            "unfinished_branches": sum(n.complete is False for n in sampled if n.is_leaf),
        }

    # --------------------------------------------------------------- (de)serialisation

    def to_dict(self) -> dict[str, Any]:
        return {"task_id": self.task_id, "language": self.language, "cwe": self.cwe,
                "instruction": self.instruction, "prompt_text": self.prompt_text, "context": self.context,
                "meta": self.meta, "nodes": [n.to_dict() for n in self.nodes.values()]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "TaskTree":
        tree = cls(d["task_id"], d["language"], d["cwe"], d["instruction"], d["prompt_text"], d["context"],
                   meta=d.get("meta", {}))
        for nd in d["nodes"]:
            node = TreeNode.from_dict(nd)
            tree.nodes[node.id] = node
        return tree


def save_trees(path: str | os.PathLike, trees: Iterable[TaskTree]) -> Path:
    """One tree per line (JSONL), written atomically."""
    return atomic_write_text(path, "".join(json.dumps(t.to_dict(), ensure_ascii=False) + "\n" for t in trees))


def iter_trees(path: str | os.PathLike) -> Iterator[TaskTree]:
    """Stream trees from a JSONL file one at a time, so big forests never sit in memory at once."""
    with Path(path).open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield TaskTree.from_dict(json.loads(line))
                except (json.JSONDecodeError, KeyError, TypeError) as exc:
                    raise ValueError(f"{path}:{lineno}: not a tree record ({exc})") from None


def load_trees(path: str | os.PathLike) -> list[TaskTree]:
    return list(iter_trees(path))




# ------------------------------------------------------------------------------------------------ code in responses

FENCE_TAGS = {"python": "python", "c": "c", "cpp": "cpp", "javascript": "javascript", "go": "go", "ruby": "ruby",
              "java": "java"}


def golden_response(language: str, code: str) -> str:
    """The response we want from the model: the fixed function in a fenced block, as chat models answer."""
    return f"```{FENCE_TAGS.get(language, '')}\n{code.rstrip()}\n```"


def extract_code(response: str) -> tuple[str, int]:
    """The code inside a fenced response and its char offset in the response (no fence: the whole text)."""
    start = 0
    if response.startswith("```"):
        newline = response.find("\n")
        start = len(response) if newline < 0 else newline + 1
    end = response.find("```", start)
    code = response[start:] if end < 0 else response[start:end]
    return code, start


def branch_start(tree: TaskTree, node_id: str) -> int:
    """Index into ``tree.path(node_id)`` of the first node of this leaf's own branch: the child of its nearest
    ancestor branch point (0 when the path never branches)."""
    path = tree.path(node_id)
    for i in range(len(path) - 1, 0, -1):
        if len(path[i - 1].children) > 1:
            return i
    return 0


def leaf_branch(tree: TaskTree, leaf_id: str):
    """The leaf's program split into (shared prefix, own continuation), as code for the oracle."""
    from .oracle import Branch

    path = tree.path(leaf_id)
    cut = branch_start(tree, leaf_id)
    prefix = "".join(n.text for n in path[:cut] if n.kind != "root")
    code, offset = extract_code(tree.response_text(leaf_id))
    split = min(max(0, len(prefix) - offset), len(code))
    return Branch(code[:split], code[split:], tree.language, tree.context, id=f"{tree.task_id}/{leaf_id}")


def label_trees(trees: list[TaskTree], cache_dir=None, progress: bool = True) -> dict[str, Any]:
    """Label every leaf with the oracle (branch-attributed), then recompute node values. Returns label counts.

    A leaf is judged by the findings in its own continuation, minus those the golden program has too (same
    analyzer, rule and source line). Those are there whatever the branch chose: in local mode every leaf repeats
    the golden code after its statement, and an analyzer's false alarm on that code (the dataset says the fix is
    secure) would otherwise mark the golden path and every sibling vulnerable. They stay in the verdict as
    ``background``. A finding a branch *causes* further down (its statement makes a later golden line unsafe) is
    not on the golden program, and counts."""
    from collections import Counter

    from .oracle import attribute_batch, finding_key

    jobs = [(tree, leaf.id) for tree in trees for leaf in tree.leaves()]
    branches = [leaf_branch(t, leaf_id) for t, leaf_id in jobs]
    verdicts = attribute_batch(branches, cache_dir=cache_dir, progress=progress)
    programs = [b.prefix + b.continuation for b in branches]
    background: dict[str, Counter] = {}
    for (tree, leaf_id), code, verdict in zip(jobs, programs, verdicts):
        if tree.nodes[leaf_id].kind == "golden":
            background[tree.task_id] = Counter(finding_key(f, code) for f in verdict.findings + verdict.prefix_findings)
    verdicts = [v.without(background.get(t.task_id, Counter()), code)
                for (t, _), code, v in zip(jobs, programs, verdicts)]
    total: Counter = Counter()
    by_language: dict[str, Counter] = {}
    unknown_unfinished = 0
    for (tree, leaf_id), verdict in zip(jobs, verdicts):
        tree.nodes[leaf_id].verdict = verdict.to_dict()
        total[verdict.label] += 1
        by_language.setdefault(tree.language, Counter())[verdict.label] += 1
        unknown_unfinished += verdict.label == "unknown" and tree.nodes[leaf_id].complete is False
    for tree in trees:
        tree.compute_values()
    return {"total": dict(total), "by_language": {k: dict(v) for k, v in by_language.items()},
            "unknown_unfinished": unknown_unfinished,
            "critical_nodes": sum(len(t.critical_nodes()) for t in trees),
            "branch_points": sum(len(t.branch_points()) for t in trees)}


def forest_stats(trees: list[TaskTree], labels: dict[str, Any] | None = None) -> dict[str, Any]:
    """Totals over a forest: size, depth, branching (the golden continuation counts as one branch of a branch
    point, so K samples make K+1), tokens the policy generated, and, given :func:`label_trees`' counts, the
    critical decision nodes (branch points with both a secure and a vulnerable leaf below)."""
    stats = [t.stats() for t in trees]
    points = sum(s["branch_points"] for s in stats)
    totals = {
        "trees": len(trees),
        "nodes": sum(s["nodes"] for s in stats),
        "max_depth": max((s["depth"] for s in stats), default=0),
        "trees_reaching_depth_2": sum(s["depth"] >= 2 for s in stats),
        "branch_points": points,
        "branches_per_branch_point": round(sum(s["branches_per_node"] * s["branch_points"] for s in stats)
                                           / max(1, points), 2),
        "tokens_generated": sum(s["tokens_generated"] for s in stats),
        "unfinished_branches": sum(s["unfinished_branches"] for s in stats),
    }
    if labels is not None:
        totals.update(critical_nodes=labels["critical_nodes"],
                      critical_share=round(labels["critical_nodes"] / max(1, labels["branch_points"]), 3),
                      leaf_labels=labels["total"])
    return totals


def label_tree_file(src: str | os.PathLike, dst: str | os.PathLike, cache_dir=None, progress: bool = True) -> dict[str, Any]:
    trees = load_trees(src)
    counts = label_trees(trees, cache_dir=cache_dir, progress=progress)
    save_trees(dst, trees)
    return counts


# ------------------------------------------------------------------------------------------------ construction


@dataclass
class TreeTask:
    task_id: str
    language: str
    cwe: str
    instruction: str
    golden_code: str  # the fixed function: the golden path
    vulnerable_code: str  # the vulnerable function (risk nodes come from the difference)
    context: str = ""


def tasks_from_pairs(pairs: Iterable[Any]) -> list[TreeTask]:
    tasks = []
    for i, p in enumerate(pairs):
        if not getattr(p, "usable", True):
            continue
        name = (p.func_name or "anonymous").split("::")[-1].replace("/", "_")
        tasks.append(TreeTask(f"{i:03d}-{p.language}-{name}", p.language, p.vul_type, p.description,
                              p.func_src_after, p.func_src_before, p.file_context))
    return tasks


def token_texts(tokenizer, ids: list[int], prefix_ids: list[int] | None = None) -> list[str]:
    """The text each token adds, by incremental decoding (so that "".join(...) == decode(ids)).

    Decoding tokens one by one loses SentencePiece's leading spaces; decoding growing prefixes does not. A few
    context tokens before the span keep the first token's leading space right.
    """
    ctx = (prefix_ids or [])[-4:]
    base = tokenizer.decode(ctx)
    out, previous = [], base
    for i in range(len(ids)):
        current = tokenizer.decode(ctx + ids[: i + 1])
        out.append(current[len(previous):] if current.startswith(previous) else current[len(base):][len("".join(out)):])
        previous = current
    return out


def line_starts_of(code: str) -> list[int]:
    from .code import line_starts

    return line_starts(code)


@functools.lru_cache(maxsize=64)
def _golden_layout(language: str, golden_code: str) -> tuple[str, int, tuple[int, ...]]:
    """The golden response, where its code starts in it, and where each line of the code starts (branch points
    of one tree share them)."""
    response = golden_response(language, golden_code)
    return response, extract_code(response)[1], tuple(line_starts_of(golden_code))


def _statement_end(texts: list[str], language: str | None = None, shape=None,
                   final: bool = False) -> tuple[int, int | None]:
    """(number of tokens, golden end line) of the statement that ``texts`` starts (local mode; see
    :func:`code.statement_end`): all tokens and None when it is not complete. The token that crosses the
    statement's end is kept: what it carries past the end is usually whitespace (the next line's indentation,
    which the golden code after it then does not repeat). When it carries code, the branch cannot be cut at its
    statement's end, and counts as not complete."""
    from .code import statement_end

    found = statement_end("".join(texts), language, shape, final)
    if found is None:
        return len(texts), None
    end, end_line = found
    total = 0
    for i, t in enumerate(texts):
        total += len(t)
        if total >= end:
            return i + 1, (end_line if not t[len(t) - (total - end):].strip() else None)
    return len(texts), end_line


def _closing_fence(texts: list[str]) -> int:
    """Number of tokens before the one that closes the code block (paper mode stops at the function's end)."""
    acc = ""
    for i, t in enumerate(texts):
        acc += t
        if "```" in acc:
            return i
    return len(texts)


class TreeBuilder:
    """Builds TSP trees for a batch of tasks with the current policy.

    ``mode="paper"``: a branch continues to the end of the function (the closing fence or ``max_new_tokens``).
    ``mode="local"``: a branch is one statement, spliced into the rest of the golden code, so that a pair differs
    only where the model chose.
    """

    def __init__(self, model, tokenizer, *, k: int = 4, temperature: float = 1.0, top_p: float = 0.95,
                 max_new_tokens: int = 256, depth: int = 2, mode: str = "paper", risk_methods=("diff",),
                 max_rows: int = 16, seed: int = 0, iteration: int = 0, oracle_cache=None, sampler=None,
                 labeler=None, model_id: str = "", max_batch_tokens: int | None = None):
        if mode not in ("paper", "local"):
            raise ValueError(f"mode must be 'paper' or 'local', got {mode!r}")
        if depth < 1:
            raise ValueError("depth must be >= 1")
        self.model, self.tokenizer = model, tokenizer
        self.k, self.temperature, self.top_p = k, temperature, top_p
        self.max_new_tokens, self.depth, self.mode = max_new_tokens, depth, mode
        self.risk_methods, self.max_rows, self.seed, self.iteration = tuple(risk_methods), max_rows, seed, iteration
        self.oracle_cache = oracle_cache
        self.model_id = model_id
        from .sampling import sample_branches

        self.sampler = sampler or (lambda reqs, seed: sample_branches(
            self.model, self.tokenizer, reqs, max_new_tokens=self.max_new_tokens, temperature=self.temperature,
            top_p=self.top_p, seed=seed, max_rows=self.max_rows, stop_strings=["```"],
            stop_at_line_end=self.mode == "local", max_batch_tokens=max_batch_tokens))
        self.labeler = labeler or (lambda trees: label_trees(trees, cache_dir=self.oracle_cache, progress=False))

    @classmethod
    def from_config(cls, model, tokenizer, cfg, *, seed: int, iteration: int, oracle_cache=None, labeler=None,
                    model_id: str = "") -> "TreeBuilder":
        """The builder a run's configuration describes (K, depth, mode, risk methods, sampling, batch size): the
        one place those settings are read, for notebook 01's trees and the trees self-play regrows."""
        return cls(model, tokenizer, k=cfg.branches_k, temperature=cfg.branch_temperature, top_p=cfg.branch_top_p,
                   max_new_tokens=cfg.max_new_tokens, depth=cfg.tree_depth, mode=cfg.tree_mode,
                   risk_methods=cfg.risk_methods, seed=seed, iteration=iteration, oracle_cache=oracle_cache,
                   labeler=labeler, model_id=model_id, max_batch_tokens=cfg.max_batch_tokens)

    # --------------------------------------------------------------- golden path

    def _golden_scores(self, prompt_ids: list[int], response_ids: list[int]) -> tuple[list[float], list[float]]:
        """Log-prob of each golden token and the policy's entropy at that position (one teacher-forced pass)."""
        import torch

        device = next(self.model.parameters()).device
        ids = torch.tensor([prompt_ids + response_ids], device=device)
        with torch.no_grad():
            logits = self.model(input_ids=ids).logits[0, len(prompt_ids) - 1:-1].float()
        logp = torch.log_softmax(logits, dim=-1)
        chosen = logp.gather(-1, torch.tensor(response_ids, device=device)[:, None])[:, 0]
        ent = -(logp.exp() * logp).sum(-1)
        return chosen.tolist(), ent.tolist()

    def init_tree(self, task: TreeTask) -> tuple[TaskTree, list[str]]:
        """The golden path, cut at the risk nodes. Returns the tree and the ids of golden nodes to branch after."""
        from . import risk
        from .models import encode_prompt, format_prompt

        tok = self.tokenizer
        prompt_text = format_prompt(tok, task.instruction)
        prompt_ids = encode_prompt(tok, prompt_text)
        response = golden_response(task.language, task.golden_code)
        code, header = extract_code(response)
        enc = tok(response, add_special_tokens=False, return_offsets_mapping=True)
        ids, offsets = enc["input_ids"], enc["offset_mapping"]
        starts = [0] + [s for s, _ in offsets[1:]] + [len(response)]
        texts = [response[starts[i]:starts[i + 1]] for i in range(len(ids))]
        logprobs, entropies = self._golden_scores(prompt_ids, ids)

        sites = []
        if "diff" in self.risk_methods or "uncertainty" in self.risk_methods:
            diff_sites = risk.diff_risk_sites(task.vulnerable_code, task.golden_code, task.cwe)
            if "diff" in self.risk_methods:
                sites += diff_sites
            if "uncertainty" in self.risk_methods:
                code_offsets = [(max(0, s - header), max(0, e - header)) for s, e in offsets]
                lines = risk.site_lines(diff_sites)  # every line of every changed hunk
                sites += risk.uncertainty_risk_sites(code_offsets, entropies, code, lines, language=task.language)
        cut_points: dict[int, Any] = {}
        for site in sites:
            target = header + site.char_offset
            t = next((i for i, (s, e) in enumerate(offsets) if s <= target < e or s >= target), None)
            if t is not None and 0 < t < len(ids) and t not in cut_points:
                cut_points[t] = site
        tree = TaskTree(task.task_id, task.language, task.cwe, task.instruction, prompt_text, task.context,
                        meta={"prompt_ids": prompt_ids, "mode": self.mode, "k": self.k, "temperature": self.temperature,
                              "top_p": self.top_p, "max_new_tokens": self.max_new_tokens, "depth": self.depth,
                              "seed": self.seed, "model": self.model_id, "risk_methods": list(self.risk_methods),
                              "golden_code": task.golden_code, "vulnerable_code": task.vulnerable_code})
        tree.add(TreeNode(TaskTree.ROOT, None, "root", iteration=self.iteration))
        parent, branch_after = TaskTree.ROOT, []
        bounds = sorted(cut_points) + [len(ids)]
        start = 0
        for end in bounds:
            node = tree.add(TreeNode(tree.new_id(parent), parent, "golden", ids[start:end], "".join(texts[start:end]),
                                     texts[start:end], logprobs[start:end], iteration=self.iteration))
            if end in cut_points:
                s = cut_points[end]
                end_line = s.end_line or s.line
                if s.method == "uncertainty":  # a token inside a changed hunk: resume after that hunk
                    end_line = max([d.end_line or d.line for d in sites if d.method == "diff" and d.line <= s.line <= (d.end_line or d.line)] or [s.line])
                node.risk = RiskNode(s.method, s.char_offset, s.line, s.cwe, s.note, end_line)
                node.branch_entropy = entropies[end]
                branch_after.append(node.id)
            parent, start = node.id, end
        return tree, branch_after

    # --------------------------------------------------------------- branching

    def _origin(self, tree: TaskTree, node_id: str) -> RiskNode | None:
        """The golden risk node a local-mode branch point belongs to: the node's own, or, inside a sampled
        statement, the one of the golden node it grew from (its line and end line are golden lines)."""
        return next((n.risk for n in reversed(tree.path(node_id)) if n.kind == "golden" and n.risk), None)

    def _shape(self, tree: TaskTree, node_id: str):
        """Local mode: what a branch after ``node_id`` must complete to take the place of golden lines: the
        statement's head (from the start of the golden line the choice is on) and the runs of golden lines it may
        replace (:func:`code.splice_targets`)."""
        from .code import StatementShape, splice_targets

        origin = self._origin(tree, node_id)
        if origin is None:
            return None
        golden_code = tree.meta["golden_code"]
        _, header, starts = _golden_layout(tree.language, golden_code)
        line_start = header + starts[min(origin.line, len(starts)) - 1]
        head = "".join(n.text for n in tree.path(node_id) if n.kind != "root")[line_start:]
        return StatementShape(head, splice_targets(golden_code, tree.language, origin.line,
                                                   origin.end_line or origin.line))

    def _golden_suffix(self, tree: TaskTree, end_line: int, statement: str) -> str:
        """Local mode: the golden response after line ``end_line``, the last golden line the statement replaces.

        A statement that ends with its newline may already carry the next line's indentation ("\n    " is one
        token for many tokenizers); that much indentation is not repeated. One that does not end a line (cut at
        the token budget, or before a token that carries code) is followed by a newline."""
        golden_code = tree.meta["golden_code"]
        response, header, starts = _golden_layout(tree.language, golden_code)
        if end_line >= len(starts):
            rest = response[header + len(golden_code.rstrip()):]
        else:
            rest = response[header + starts[end_line]:]
        carried = statement[statement.rfind("\n") + 1:]
        if "\n" not in statement or carried.strip():
            return "\n" + rest
        return rest[len(carried):] if rest.startswith(carried) else rest

    def _add_branches(self, tree: TaskTree, node_id: str, result, depth: int, shape=None) -> list[str]:
        """Hang the sampled continuations under ``node_id``; ``shape`` is the one its request was sampled with."""
        node = tree.nodes[node_id]
        node.branch_entropy = result.entropy
        prefix_ids = tree.meta["prompt_ids"] + tree.token_ids(node_id)
        local = self.mode == "local"
        added = []
        for cont in result.continuations:
            texts = token_texts(self.tokenizer, cont.token_ids, prefix_ids)
            if local:
                fence = _closing_fence(texts)  # the model closed the code block: nothing after it is code
                ended = fence < len(texts) or cont.finished
                keep, end_line = _statement_end(texts[:fence], tree.language, shape, final=ended)
                complete = end_line is not None
                if not complete:  # resume after the whole hunk, the first target (the program usually will not parse)
                    end_line = shape.targets[0].end_line if shape else 0
            else:
                keep, end_line = _closing_fence(texts), None
                complete = keep < len(texts) or cont.finished  # the fence, or the model's own end
            if keep == 0:
                continue
            statement = "".join(texts[:keep])
            child = tree.add(TreeNode(tree.new_id(node_id), node_id, "sampled", cont.token_ids[:keep], statement,
                                      texts[:keep], cont.logprobs[:keep], entropies=cont.entropies[:keep],
                                      depth=depth, iteration=self.iteration, complete=complete,
                                      suffix_text=self._golden_suffix(tree, end_line, statement) if local else ""))
            added.append(child.id)
        return added

    def _requests(self, tree: TaskTree, node_ids: list[str]):
        from .sampling import BranchRequest

        return [BranchRequest(tree.meta["prompt_ids"] + tree.token_ids(n), self.k, (tree.task_id, n), tree.language,
                              self._shape(tree, n) if self.mode == "local" else None)
                for n in node_ids]

    def build(self, tasks: list[TreeTask]) -> list[TaskTree]:
        trees, requests, by_id = [], [], {}
        for task in tasks:
            tree, branch_after = self.init_tree(task)
            trees.append(tree)
            by_id[tree.task_id] = tree
            requests += self._requests(tree, branch_after)
        for level in range(1, self.depth + 1):
            if not requests:
                break
            shapes = {r.key: r.shape for r in requests}
            for result in self.sampler(requests, self.seed + 1000 * level):
                task_id, node_id = result.key
                self._add_branches(by_id[task_id], node_id, result, depth=level, shape=shapes[result.key])
            if level == self.depth:
                break
            requests = self._rebranch_requests(trees, level)
        return trees

    def _rebranch_requests(self, trees: list[TaskTree], level: int):
        """Split vulnerable branches of this level at their own first flagged line and ask for K new samples there."""
        from .risk import oracle_risk_sites

        self.labeler(trees)
        requests = []
        for tree in trees:
            for leaf in [n for n in tree.leaves() if n.kind == "sampled" and n.depth == level]:
                verdict = leaf.verdict or {}
                if verdict.get("label") != "vulnerable":
                    continue
                branch = leaf_branch(tree, leaf.id)
                code = branch.prefix + branch.continuation
                first_line = branch.prefix.count("\n") + 1
                sites = oracle_risk_sites(code, verdict.get("findings", []), min_line=first_line)
                split = self._split_at_site(tree, leaf.id, branch, sites)
                if split is None:
                    split = self._split_at_uncertainty(tree, leaf.id)
                if split is not None:
                    requests += self._requests(tree, [split])
        return requests

    def _split_at_uncertainty(self, tree: TaskTree, leaf_id: str, min_entropy: float = 0.5) -> str | None:
        """When the flagged line starts right at the branch point (in local mode, where a branch is one
        statement, whenever the flagged line is the statement's first), branch again inside it, at the token where
        the policy was most uncertain (outside comments: a statement that is only a comment does not branch again)."""
        from . import code

        node = tree.nodes[leaf_id]
        ents = node.entropies
        # A local-mode leaf is one statement, and all of it is the choice; in paper mode, its first statement.
        end = len(node.token_texts) if self.mode == "local" else _statement_end(node.token_texts, tree.language)[0]
        # Token i starts at starts[i] in the statement; none inside a comment (no decision is made there).
        starts = [0]
        for t in node.token_texts[:end]:
            starts.append(starts[-1] + len(t))
        comments = code.comment_spans("".join(node.token_texts[:end]), tree.language)
        candidates = [(h, i) for i, h in enumerate(ents[:end]) if i > 0 and h >= min_entropy
                      and node.token_texts[i].strip() and not code.in_spans(starts[i], comments)]
        if not candidates:
            return None
        h, i = max(candidates)
        # The golden risk node this branch grew from says which golden lines the statement replaces.
        origin = self._origin(tree, leaf_id)
        tree.split(leaf_id, i, "".join(node.token_texts[:i]))
        line = len(tree.prefix_text(leaf_id).splitlines()) or 1
        node.risk = RiskNode("uncertainty", len(tree.response_text(leaf_id)), line, origin.cwe if origin else None,
                             f"entropy {h:.2f} nats", origin.end_line if origin else None)
        return leaf_id

    def _split_at_site(self, tree: TaskTree, leaf_id: str, branch, sites) -> str | None:
        """Cut the leaf's span at the first flagged line strictly inside it; return the head node's id."""
        node = tree.nodes[leaf_id]
        _, code_offset = extract_code(tree.response_text(leaf_id))
        node_start = len(tree.prefix_text(leaf_id))  # response offset where this node's span starts
        for site in sites:
            target = code_offset + site.char_offset - node_start
            acc = 0
            for i, t in enumerate(node.token_texts):
                if acc >= target:
                    if 0 < i < len(node.token_ids):
                        head_text = "".join(node.token_texts[:i])
                        tree.split(leaf_id, i, head_text)
                        node.risk = RiskNode("oracle", site.char_offset, site.line, site.cwe, site.note)
                        return leaf_id
                    break
                acc += len(t)
        return None


def build_tree_file(builder: TreeBuilder, tasks: list[TreeTask], path: str | os.PathLike, chunk: int = 16,
                    progress: bool = True) -> Path:
    """Build trees chunk by chunk, streaming finished trees to ``path + '.partial'``; a rerun skips finished tasks
    and the final file appears atomically when every task is done."""
    from .progress import tqdm

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    done: set[str] = set()
    good_lines: list[str] = []
    if partial.exists():
        for line in partial.read_text(encoding="utf-8").splitlines():
            try:
                done.add(json.loads(line)["task_id"])
                good_lines.append(line)
            except (json.JSONDecodeError, KeyError):
                break  # a torn last line from a kill: drop it and redo that task
        atomic_write_text(partial, "".join(line + "\n" for line in good_lines))
    todo = [t for t in tasks if t.task_id not in done]
    bar = tqdm(total=len(tasks), initial=len(tasks) - len(todo), desc="trees", disable=not progress)
    for i in range(0, len(todo), chunk):
        trees = builder.build(todo[i:i + chunk])
        with partial.open("a", encoding="utf-8") as fh:
            for tree in trees:
                fh.write(json.dumps(tree.to_dict(), ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        bar.update(len(trees))
    bar.close()
    if not partial.exists():
        atomic_write_text(partial, "")
    os.replace(partial, path)
    return path


def select_tasks(tasks: list[TreeTask], n: int | None) -> list[TreeTask]:
    """The first ``n`` tasks taken round-robin over languages, so a small run still covers every language."""
    if n is None or n >= len(tasks):
        return list(tasks)
    by_lang: dict[str, list[TreeTask]] = {}
    for t in tasks:
        by_lang.setdefault(t.language, []).append(t)
    out: list[TreeTask] = []
    queues = [list(v) for _, v in sorted(by_lang.items())]
    while len(out) < n:
        for q in queues:
            if q and len(out) < n:
                out.append(q.pop(0))
    return out


def recovery_rows(annotated: list[Any], model=None, tokenizer=None, cache_dir=None, progress: bool = True,
                  limit: int | None = None, seed: int = 0):
    """Recovery of the paper's GPT-4o risk lines by our methods (diff, oracle, uncertainty, and their union).

    ``limit`` scores a seeded random sample of that many functions (the entropy pass costs a forward pass per
    function: minutes for all 420 on a CPU)."""
    import random

    from .progress import tqdm

    from . import risk
    from .oracle import Snippet, analyze_batch

    if limit is not None and limit < len(annotated):
        annotated = random.Random(seed).sample(list(annotated), limit)
    pairs = [a.pair for a in annotated]
    diff = [risk.diff_risk_sites(p.func_src_before, p.func_src_after) for p in pairs]
    verdicts = analyze_batch([Snippet(p.func_src_before, p.language, p.file_context) for p in pairs],
                             cache_dir=cache_dir, progress=progress)
    oracle_lines = [{risk.map_before_line_to_after(p.func_src_before, p.func_src_after, f.line) for f in v.findings if f.line}
                    for p, v in zip(pairs, verdicts)]
    predicted = {"diff": [risk.site_lines(s) for s in diff], "oracle (on the vulnerable version)": oracle_lines}
    if model is not None:
        builder = TreeBuilder(model, tokenizer, labeler=lambda trees: None)
        unc = []
        for p, sites in tqdm(list(zip(pairs, diff)), desc="entropy", disable=not progress):
            from .models import encode_prompt, format_prompt

            prompt_ids = encode_prompt(tokenizer, format_prompt(tokenizer, p.description))
            response = golden_response(p.language, p.func_src_after)
            code, header = extract_code(response)
            enc = tokenizer(response, add_special_tokens=False, return_offsets_mapping=True)
            _, entropies = builder._golden_scores(prompt_ids, enc["input_ids"])
            offsets = [(max(0, s - header), max(0, e - header)) for s, e in enc["offset_mapping"]]
            lines = risk.site_lines(sites)
            unc.append({s.line for s in risk.uncertainty_risk_sites(offsets, entropies, code, lines, top_k=max(1, len(sites)),
                                                                     language=p.language)})
        predicted["uncertainty (in diff hunks)"] = unc
    predicted["union"] = [set().union(*(v[i] for v in predicted.values())) for i in range(len(pairs))]
    return risk.recovery_report(annotated, predicted)
