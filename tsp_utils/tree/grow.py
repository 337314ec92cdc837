"""Stage 01, growing trees: the golden path cut at risk nodes, K sampled branches at each, and vulnerable
branches branching again (depth 2). See docs/trees.md for the method, its two modes and its edge cases.

torch, and the modules that import it (sampling, models), are imported inside the methods that run the model:
``tsp_utils.tree`` is also imported by the explorer and the labeling stage, which run without torch.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .. import labeling, risk
from ..artifacts import atomic_write_text
from ..code import StatementShape, comment_spans, in_spans, splice_targets
from ..labels import VULNERABLE
from ..progress import tqdm
from .records import RiskNode, TaskTree, TreeNode
from .spans import closing_fence, golden_layout, statement_tokens, token_texts
from .tasks import TreeTask, extract_code, golden_response


def _sampling():
    from .. import sampling  # torch

    return sampling


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
        self.sampler = sampler or (lambda reqs, seed: _sampling().sample_branches(
            self.model, self.tokenizer, reqs, max_new_tokens=self.max_new_tokens, temperature=self.temperature,
            top_p=self.top_p, seed=seed, max_rows=self.max_rows, stop_strings=["```"],
            stop_at_line_end=self.mode == "local", max_batch_tokens=max_batch_tokens))
        self.labeler = labeler or (lambda trees: labeling.label_trees(trees, cache_dir=self.oracle_cache,
                                                                      progress=False))

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
        import torch  # see the module docstring: torch only where a model runs

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
        from ..models import encode_prompt, format_prompt  # torch

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
        replace (:func:`tsp_utils.code.splice_targets`)."""
        origin = self._origin(tree, node_id)
        if origin is None:
            return None
        golden_code = tree.meta["golden_code"]
        _, header, starts = golden_layout(tree.language, golden_code)
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
        response, header, starts = golden_layout(tree.language, golden_code)
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
                fence = closing_fence(texts)  # the model closed the code block: nothing after it is code
                ended = fence < len(texts) or cont.finished
                keep, end_line = statement_tokens(texts[:fence], tree.language, shape, final=ended)
                complete = end_line is not None
                if not complete:  # resume after the whole hunk, the first target (the program usually will not parse)
                    end_line = shape.targets[0].end_line if shape else 0
            else:
                keep, end_line = closing_fence(texts), None
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
        return [_sampling().BranchRequest(tree.meta["prompt_ids"] + tree.token_ids(n), self.k, (tree.task_id, n), tree.language,
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
        self.labeler(trees)
        requests = []
        for tree in trees:
            for leaf in [n for n in tree.leaves() if n.kind == "sampled" and n.depth == level]:
                if leaf.label != VULNERABLE:
                    continue
                branch = labeling.leaf_branch(tree, leaf.id)
                code = branch.prefix + branch.continuation
                first_line = branch.prefix.count("\n") + 1
                sites = risk.oracle_risk_sites(code, leaf.verdict.findings, min_line=first_line)
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
        node = tree.nodes[leaf_id]
        ents = node.entropies
        # A local-mode leaf is one statement, and all of it is the choice; in paper mode, its first statement.
        end = len(node.token_texts) if self.mode == "local" else statement_tokens(node.token_texts, tree.language)[0]
        # Token i starts at starts[i] in the statement; none inside a comment (no decision is made there).
        starts = [0]
        for t in node.token_texts[:end]:
            starts.append(starts[-1] + len(t))
        comments = comment_spans("".join(node.token_texts[:end]), tree.language)
        candidates = [(h, i) for i, h in enumerate(ents[:end]) if i > 0 and h >= min_entropy
                      and node.token_texts[i].strip() and not in_spans(starts[i], comments)]
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


def grow_trees(model, tokenizer, cfg, tasks: list[TreeTask], path: str | os.PathLike, *, seed: int, iteration: int,
               oracle_cache=None, labeler=None, model_id: str = "", progress: bool = True) -> Path:
    """Stage 01 in one call: the builder ``cfg`` describes (:meth:`TreeBuilder.from_config`), run over ``tasks``
    into ``path`` (:func:`build_tree_file`: resumable, written atomically)."""
    builder = TreeBuilder.from_config(model, tokenizer, cfg, seed=seed, iteration=iteration, oracle_cache=oracle_cache,
                                      labeler=labeler, model_id=model_id)
    return build_tree_file(builder, tasks, path, progress=progress)
