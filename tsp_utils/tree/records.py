"""The tree records: risk nodes, nodes with their token spans and verdicts, a task's tree, and JSONL files of them.

What a tree is, and what each field means, is in docs/trees.md.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Literal

from ..artifacts import atomic_write_text
from ..labels import SECURE, VULNERABLE, Label
from ..oracle import BranchVerdict

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
    verdict: BranchVerdict | None = None  # the oracle's verdict on the complete program through a leaf
    value: float | None = None  # share of secure leaves below (unknown leaves are not secure)
    depth: int = 0  # number of sampled branchings on the path from the root
    iteration: int = 0  # self-play iteration whose policy produced the span
    complete: bool | None = None  # sampled leaf: local mode, its statement was complete when sampling stopped;
    # paper mode, it ended on its own (fence or end token). False: cut at the token budget (or, local, by an end
    # token) mid-statement, so its program usually cannot parse (a cut that is a whole expression by chance parses
    # and is judged). None: golden, or a tree saved before this field existed

    def __setattr__(self, name: str, value: Any) -> None:
        # A verdict given as its JSON record (a tree file, a test's hand-made leaf) is stored as the record type.
        if name == "verdict" and isinstance(value, dict):
            value = BranchVerdict.from_dict(value)
        super().__setattr__(name, value)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def label(self) -> Label | None:
        """The oracle's label of the program through this leaf; None while it is unlabeled."""
        return self.verdict.label if self.verdict else None  # type: ignore[return-value]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["verdict"] = self.verdict.to_dict() if self.verdict is not None else None
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "TreeNode":
        d = dict(d)
        if d.get("risk") is not None:
            d["risk"] = RiskNode(**d["risk"])
        return cls(**d)  # a verdict dict becomes a BranchVerdict in __setattr__


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
                secure = int(node.label == SECURE)
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
            if SECURE in flat and VULNERABLE in flat:
                out.append(node)
        return out

    def _subtree_labels(self, node_id: str) -> frozenset[str]:
        node = self.nodes[node_id]
        if node.is_leaf:
            return frozenset([node.label or "unlabeled"])
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
