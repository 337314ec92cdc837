"""Node-level evaluation in a run (notebook 04): which nodes, one model's preference and sampled choice saved under
``RUN_DIR/eval/nodes/`` (a rerun reuses them), and the tables of the report: all nodes, seen vs unseen CWEs, per
language, per CWE, and the C/C++-trained model on the other languages (transfer)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..layout import RunLayout, layout
from . import node_choice, nodes
from .node_tables import (PREFERENCE_METRICS, Breakdown, NodeMeta, NodeTable, breakdown, breakdown_markdown,
                          choice_metrics, node_table, node_values)
from .protocol import ModelSpec, select_prompts

__all__ = ["NodeResult", "temperatures", "samples_choice", "select_node_pairs", "choice_pairs", "evaluate_nodes",
           "NodeReport", "node_report", "examples"]


@dataclass
class NodeResult:
    """One model at the nodes: its preferences, and its sampled choices per temperature (empty: not sampled)."""

    preferences: list[nodes.NodePreference]
    choices: dict[float, list[node_choice.NodeChoice]] = field(default_factory=dict)


def temperatures(cfg) -> list[tuple[float, float]]:
    """(temperature, top_p) the choice is sampled at: the evaluation's, then (``node_choice_at`` "eval+train")
    the training trees'."""
    pairs = [(cfg.eval_temperature, cfg.eval_top_p)]
    if cfg.node_choice_at == "eval+train":
        pairs.append((cfg.branch_temperature, cfg.branch_top_p))
    return list(dict(pairs).items())


def samples_choice(name: str, cfg) -> bool:
    """Whether the model called ``name`` gets the sampled choice: one of ``cfg.node_choice_for`` when that is set,
    else the base model, each method's last iteration (no ``@``) and the transfer adapters."""
    if cfg.node_choice_for is not None:
        return name in cfg.node_choice_for
    return "@" not in name


def select_node_pairs(prompts, tokenizer, cfg) -> list[nodes.NodePair]:
    """The run's nodes: ``cfg.node_eval_prompts`` held-out prompts, stratified over language and split."""
    return nodes.node_pairs(select_prompts(prompts, cfg.node_eval_prompts, cfg.seed), tokenizer)


def choice_pairs(pairs: Sequence[nodes.NodePair], tokenizer, run: RunLayout | Path) -> list[nodes.NodePair]:
    """The nodes the choice is sampled at: those where the oracle flags the insecure reference
    (:func:`.node_choice.judgeable`; its verdicts are kept in the run's oracle cache)."""
    flags = node_choice.judgeable(pairs, tokenizer, cache_dir=layout(run).oracle_cache)
    return [p for p, ok in zip(pairs, flags) if ok]


def evaluate_nodes(spec: ModelSpec, base_model, tokenizer, pairs: Sequence[nodes.NodePair], run: RunLayout | Path, *,
                   cfg, sample: bool = True, progress: bool = False) -> NodeResult:
    """One model's preference at every node and (``sample``) its sampled choice at each temperature of
    :func:`temperatures` at the :func:`choice_pairs`, each read from ``run.node_eval(...)`` when present, else
    computed and saved there."""
    run = layout(run)
    pref_path = run.node_eval(spec.name, "preference")
    temps = temperatures(cfg) if sample else []
    todo = [(t, p) for t, p in temps if not run.node_eval(spec.name, f"choice-T{t:g}").exists()]
    if not todo and pref_path.exists():
        return _saved_result(run, spec.name, pref_path, temps)
    from ..models import applied_adapter, sampling_mode  # torch

    with applied_adapter(base_model, spec.adapter) as model:
        if not pref_path.exists():
            pref_path.parent.mkdir(parents=True, exist_ok=True)
            nodes.save_preferences(pref_path, nodes.preference(model, tokenizer, pairs, cfg.node_batch_size))
        sampled = choice_pairs(pairs, tokenizer, run) if todo else []
        for t, top_p in todo:
            with sampling_mode(model) as policy:
                choices = node_choice.choose(policy, tokenizer, sampled, cfg.node_samples, temperature=t, top_p=top_p,
                                             max_new_tokens=cfg.node_max_new_tokens, seed=cfg.seed,
                                             cache_dir=run.oracle_cache, max_batch_tokens=cfg.max_batch_tokens,
                                             progress=progress)
            node_choice.save_choices(run.node_eval(spec.name, f"choice-T{t:g}"), choices)
    return _saved_result(run, spec.name, pref_path, temps)


def _saved_result(run: RunLayout, name: str, pref_path: Path, temps) -> NodeResult:
    return NodeResult(nodes.load_preferences(pref_path),
                      {t: node_choice.load_choices(run.node_eval(name, f"choice-T{t:g}")) for t, _ in temps})


@dataclass
class NodeReport:
    """The node-level tables of a run."""

    main: NodeTable
    splits: list[Breakdown]
    languages: list[Breakdown]
    cwes: list[Breakdown]
    transfer: list[Breakdown]
    samples: int
    temps: list[float]
    nodes: int = 0  # nodes in the run
    choice_nodes: int = 0  # of them, where the oracle flags the insecure reference: the choice is sampled there

    def scope(self) -> str:
        """One sentence: which nodes and models each kind of metric rests on."""
        sampled = [m for m in self.main.models if any(self.main.get(m, k).n_prompts for k in self.main.metrics
                                                      if "@" in k)]
        if not sampled:
            return f"Preference at {self.nodes} held-out nodes; no model's choice was sampled."
        return (f"Preference at all {self.nodes} held-out nodes, for every model. The choice ({self.samples} "
                f"continuations per node at T = {', '.join(f'{t:g}' for t in self.temps)}) at the {self.choice_nodes} "
                f"nodes where the oracle flags the insecure reference (elsewhere no continuation could be labelled "
                f"insecure), for {', '.join(sampled)}; the other models' choice cells are empty (–).")

    def markdown(self) -> str:
        parts = [self.scope(), self.main.to_markdown()]
        for title, items in (("Seen vs unseen CWEs", self.splits), ("Per language", self.languages),
                             ("Per CWE", self.cwes), ("Transfer: trained on C/C++ only, at the other languages' "
                                                      "nodes", self.transfer)):
            for b in items:  # a CWE with one or two nodes shows nothing a reader can use
                parts += [f"**{title}: {b.metric}**", breakdown_markdown(b, 3 if b.by == "cwe" else 1)]
        return "\n\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        def rows(bs):
            return {b.metric: {g: t.to_rows() for g, t in b.tables.items()} for b in bs}

        return {"samples": self.samples, "temperatures": self.temps, "nodes": self.nodes,
                "choice_nodes": self.choice_nodes, "table": self.main.to_rows(),
                "split": rows(self.splits), "language": rows(self.languages), "cwe": rows(self.cwes),
                "transfer": rows(self.transfer)}


def node_report(results: Mapping[str, NodeResult], pairs: Sequence[nodes.NodePair], cfg, *,
                transfer: Mapping[str, NodeResult] | None = None, n_boot: int = 2000) -> NodeReport:
    """The tables: every model x metric over all nodes against the base model; the accuracy and the insecure rate
    at the evaluation temperature per split, language and CWE; and, given ``transfer`` ({name: result} of models
    trained on one language group), those models against the base model per language."""
    meta = {p.node.prompt_id: NodeMeta(p.node.language, p.node.cwe, p.node.split) for p in pairs}
    temps = [t for t, _ in temperatures(cfg)]
    values = {m: node_values(r.preferences, r.choices) for m, r in results.items()}
    metrics = list(PREFERENCE_METRICS) + [m for m in choice_metrics(temps)
                                          if any(m in v and v[m] for v in values.values())]
    kw = dict(n_boot=n_boot, seed=cfg.seed, samples=cfg.node_samples)
    main = node_table(values, meta, metrics, **kw)
    key = [m for m in ("pref-acc", f"insecure@{temps[0]:g}") if m in metrics]
    final = {m: v for m, v in values.items() if "@" not in m}  # the breakdowns: base and each method's last
    out = {by: [breakdown(final, meta, k, by, **kw) for k in key] for by in ("split", "language", "cwe")}
    moved = []
    if transfer:
        tv = {"base": values["base"], **{m: node_values(r.preferences, r.choices) for m, r in transfer.items()}}
        moved = [breakdown(tv, meta, k, "language", **kw) for k in key]
    choice_nodes = max((len(c) for r in results.values() for c in r.choices.values()), default=0)
    return NodeReport(main, out["split"], out["language"], out["cwe"], moved, cfg.node_samples, temps, len(pairs),
                      choice_nodes)


def _lines(choice: node_choice.NodeChoice) -> list[str]:
    counts = Counter(zip((s.strip() for s in choice.statements), choice.labels))
    return [f"  - {n}x `{text[:100] or '(nothing)'}` {label}" for (text, label), n in counts.most_common(6)]


def examples(base: NodeResult, method: NodeResult, name: str, k: int = 3) -> str:
    """Markdown: at the ``k`` nodes where ``method``'s insecure share (first temperature) moved most from
    ``base``'s, the distinct lines each sampled there, how often, and their labels."""
    if not base.choices or not method.choices:
        return "(no sampled choices to show)"
    t = next(iter(base.choices))
    mine = {c.prompt_id: c for c in method.choices.get(t, [])}
    pairs = [(b, mine[b.prompt_id]) for b in base.choices[t] if b.prompt_id in mine]
    pairs.sort(key=lambda bm: -abs(bm[1].insecure - bm[0].insecure))
    out = []
    for b, m in pairs[:k]:
        out += [f"**{b.prompt_id}** ({b.cwe}), insecure share {b.insecure:.0%} -> {m.insecure:.0%} at T={t:g}",
                "- base:", *_lines(b), f"- {name}:", *_lines(m), ""]
    return "\n".join(out)
