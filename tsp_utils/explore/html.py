"""The explorer's HTML: one renderer for a node's view, shared by the notebook widget and the self-contained export.

Every string from the model, the dataset or the oracle is escaped: it is untrusted. See docs/trees.md ("The
explorer").
"""

from __future__ import annotations

import html
import math
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..artifacts import atomic_write_text
from ..oracle import BranchVerdict
from ..tree import TaskTree, TreeNode
from .facts import SHOWN_LABELS, TreeFacts, divergence, ensure_values, node_label, tree_facts

# Ten probability bins, red (the policy was unsure of this token) to green (it was certain). Bins rather than a
# per-token inline colour keep the export small: a forest has tens of thousands of tokens.
_N_BINS = 10

# Classes only, all prefixed "tsp-": inside a notebook this <style> applies to the whole page, so it must not
# restyle anything that is not ours. Token classes are one letter ("t" token, "p0".."p9" probability bin, "d"
# divergent) because a forest has tens of thousands of tokens; they are only styled inside .tsp-code/.tsp-legend.
# line-height/white-space are set because ipywidgets' HTML widget forces an inline-widget line height.
STYLE = "\n".join([
    ".tsp-view{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;line-height:1.45;"
    "color:#111827;white-space:normal}",
    ".tsp-code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;line-height:1.5;"
    "background:#f9fafb;border:1px solid #e5e7eb;border-radius:4px;padding:6px 8px;white-space:pre-wrap;"
    "word-break:break-word;max-height:28em;overflow:auto;margin:4px 0}",
    ".tsp-prefix,.tsp-suffix{color:#9ca3af}.tsp-suffix{font-style:italic}",
    ".tsp-code .d,.tsp-legend .d{box-shadow:inset 0 -2px 0 #6d28d9;font-weight:700}",
    ".tsp-bp{border-left:2px solid #6d28d9;margin:0 1px}",
    *[f".tsp-code .p{i},.tsp-legend .p{i}{{background:hsl({round(i * 120 / (_N_BINS - 1))},75%,84%)}}"
      for i in range(_N_BINS)],
    ".tsp-badge{display:inline-block;padding:0 7px;border-radius:9px;font-size:11px;font-weight:600;color:#fff;"
    "line-height:1.6;margin-right:3px}",
    ".tsp-secure{background:#16a34a}.tsp-vulnerable{background:#dc2626}",
    ".tsp-unknown,.tsp-unlabeled{background:#6b7280}.tsp-mixed{background:#d97706}.tsp-crit{background:#7c3aed}",
    ".tsp-kind{font-size:11px;color:#374151;border:1px solid #d1d5db;border-radius:3px;padding:0 4px}",
    ".tsp-muted{color:#6b7280}.tsp-small{font-size:11px}",
    ".tsp-findings{border-collapse:collapse;font-size:12px;margin:4px 0}",
    ".tsp-findings th,.tsp-findings td{border:1px solid #e5e7eb;padding:2px 6px;text-align:left;vertical-align:top}",
    ".tsp-findings th{background:#f3f4f6}",
    ".tsp-risk{background:#fef3c7;border-left:3px solid #d97706;padding:4px 8px;margin:4px 0}",
    ".tsp-task-text{background:#eff6ff;border-left:3px solid #3b82f6;padding:4px 8px;margin:4px 0;"
    "white-space:pre-wrap}",
    ".tsp-branches{margin-top:8px}",
    ".tsp-branch{border-left:3px solid #e5e7eb;padding-left:8px;margin:6px 0}",
    ".tsp-branch-critical{border-left-color:#7c3aed}",
    ".tsp-bar{display:inline-block;width:56px;height:8px;background:#fecaca;border-radius:4px;"
    "vertical-align:middle;overflow:hidden}.tsp-bar>span{display:block;height:100%;background:#16a34a}",
    ".tsp-legend{font-size:11px;color:#374151}.tsp-legend .tsp-sw{display:inline-block;padding:0 5px;"
    "font-family:ui-monospace,Menlo,Consolas,monospace}",
])

# Page-level rules for the exported file only (body, <details> nesting, the critical-only filter). The filter is
# pure CSS, so it works with scripts disabled: the checkbox precedes <main>, and "~" reaches into it.
_DOC_STYLE = "\n".join([
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:16px 24px;color:#111827}",
    "header{position:sticky;top:0;background:#fff;padding:6px 0;border-bottom:1px solid #e5e7eb;z-index:1}",
    "details.tsp-tree-node{margin:2px 0 2px 14px;border-left:1px dotted #d1d5db;padding-left:6px}",
    "details.tsp-tree-node>summary{cursor:pointer;font-size:13px;padding:1px 0}",
    ".tsp-node-body{margin:2px 0 8px 4px}",
    "section.tsp-task{border-top:2px solid #e5e7eb;margin-top:18px;padding-top:4px}",
    "section.tsp-task h2{font-size:17px;margin:6px 0}",
    ".tsp-stats{font-size:12px;color:#374151}",
    # The checkbox itself is invisible (but focusable); its label in the header shows the state.
    "#tsp-crit-only{position:absolute;opacity:0}",
    "label.tsp-toggle{cursor:pointer;border:1px solid #d1d5db;border-radius:4px;padding:1px 6px}",
    "label.tsp-toggle::before{content:'\\2610  '}#tsp-crit-only:checked~header label.tsp-toggle::before"
    "{content:'\\2611  '}#tsp-crit-only:focus-visible~header label.tsp-toggle{outline:2px solid #6d28d9}",
    "#tsp-crit-only:checked~main details.tsp-tree-node:not(.tsp-crit-path){display:none}",
    "#tsp-crit-only:checked~main details.tsp-crit-path:not(.tsp-critical)>.tsp-node-body{display:none}",
    "#tsp-crit-only:checked~main section.tsp-task:not(.tsp-has-critical){display:none}",
])


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _prob(logprob: Any) -> float | None:
    """exp(logprob), or None where the log-probability is missing or not a number (nothing to colour by)."""
    if logprob is None:
        return None
    try:
        value = float(logprob)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else math.exp(min(value, 0.0))


def _bin(p: float) -> int:
    return min(_N_BINS - 1, max(0, int(p * _N_BINS)))


def _attr(value: str) -> str:
    """Escape for a double-quoted attribute. Leaves single quotes alone (safe there): token tooltips are full of
    repr() quotes, and every byte per token counts in a forest-sized export."""
    return html.escape(value, quote=False).replace('"', "&quot;")


def render_tokens_html(node: TreeNode, divergent_from: int | None = None, colour: bool = True) -> str:
    """A node's span as one <span class="t"> per token: class ``p0``..``p9`` = probability bin, ``d`` from
    ``divergent_from`` on, and a tooltip with the token index, the token and its p. Falls back to plain text when
    the token texts do not add up to the span (then there is nothing to align colours with)."""
    if not node.token_texts or "".join(node.token_texts) != node.text:
        return f'<span class="t" title="no per-token data">{esc(node.text)}</span>'
    parts = []
    for i, tok in enumerate(node.token_texts):
        p = _prob(node.logprobs[i]) if i < len(node.logprobs) else None
        classes = "t"
        if colour and p is not None:
            classes += f" p{_bin(p)}"
        if divergent_from is not None and i >= divergent_from:
            classes += " d"
        title = f"#{i} {tok!r} " + (f"p={p:.3f}" if p is not None else "p unknown")
        parts.append(f'<span class="{classes}" title="{_attr(title)}">{html.escape(tok, quote=False)}</span>')
    return "".join(parts)


def _badge(label: str, text: str | None = None, title: str = "") -> str:
    cls = label if label in SHOWN_LABELS or label in ("mixed", "crit") else "unknown"
    tip = f' title="{esc(title)}"' if title else ""
    return f'<span class="tsp-badge tsp-{cls}"{tip}>{esc(text or label)}</span>'


def _subtree_badge(node: TreeNode, facts: TreeFacts) -> str:
    """A leaf's oracle verdict, or for an inner node the mix of verdicts below it (amber when mixed)."""
    if node.is_leaf:
        return _badge(node_label(node), title="oracle verdict of the complete program through this leaf")
    counts = facts.leaf_labels[node.id]
    present = [lab for lab in SHOWN_LABELS if counts[lab]]
    summary = " / ".join(f"{counts[lab]} {lab}" for lab in present)
    label = present[0] if len(present) == 1 else "mixed"
    return _badge(label, summary + " below", "oracle verdicts of the leaves below this node")


def _value_html(node: TreeNode) -> str:
    if node.value is None:
        return '<span class="tsp-muted" title="no oracle labels yet">value –</span>'
    pct = max(0.0, min(1.0, node.value)) * 100
    return (f'<span title="share of secure leaves below this node">value {node.value:.2f} '
            f'<span class="tsp-bar"><span style="width:{pct:.0f}%"></span></span></span>')


def _node_head_html(node: TreeNode, facts: TreeFacts) -> str:
    bits = [f"<b>{esc(node.id)}</b>", f'<span class="tsp-kind">{esc(node.kind)}</span>']
    if node.id in facts.critical:
        bits.append(_badge("crit", "critical", "branch point with both a secure and a vulnerable leaf below"))
    if node.kind != "root":
        bits.append(_subtree_badge(node, facts))
    bits.append(f'<span class="tsp-muted">depth {node.depth} · iteration {node.iteration} · '
                f"{len(node.token_texts) or len(node.token_ids)} tokens</span>")
    if node.complete is False:
        bits.append(_badge("unknown", "cut off", "sampling stopped before this branch was complete (token budget or "
                                                 "end token): its program usually cannot parse"))
    bits.append(_value_html(node))
    return f'<div class="tsp-node-head">{" ".join(bits)}</div>'


def _risk_html(node: TreeNode) -> str:
    """Why this node's end is a branch point, and how undecided the policy was there (branch entropy)."""
    if node.risk is None and node.branch_entropy is None:
        return ""
    bits = []
    if node.risk is not None:
        r = node.risk
        bits.append(f"<b>risk node</b> (found by {esc(r.method)}) at line {esc(r.line)}, "
                    f"char {esc(r.char_offset)}" + (f", {esc(r.cwe.upper())}" if r.cwe else ""))
        if r.note:
            bits.append(f'<span class="tsp-muted">{esc(r.note)}</span>')
    if node.branch_entropy is not None:
        bits.append(f"policy entropy here H = {node.branch_entropy:.2f} nats")
    return f'<div class="tsp-risk">{" · ".join(bits)}</div>'


def _program_html(tree: TaskTree, node: TreeNode, facts: TreeFacts, colour: bool) -> str:
    """The program through the node: shared prefix muted, the node's own span per token, spliced suffix italic."""
    if node.kind == "root":
        return (f'<div class="tsp-task-text"><b>task</b> ({esc(tree.language)}, {esc(tree.cwe)}): '
                f"{esc(tree.instruction)}</div>")
    prefix = tree.prefix_text(node.id)
    body = [f'<span class="tsp-prefix" title="shared with its siblings">{esc(prefix)}</span>' if prefix else "",
            render_tokens_html(node, facts.divergent_from.get(node.id), colour)]
    if len(node.children) > 1:
        body.append('<span class="tsp-bp" title="branch point: the branches below continue from here"></span>')
    if node.suffix_text:
        body.append(f'<span class="tsp-suffix" title="golden code spliced after the sampled statement (not sampled)">'
                    f"{esc(node.suffix_text)}</span>")
    return f'<pre class="tsp-code">{"".join(body)}</pre>'


def _findings_table(findings: Sequence[dict[str, Any]], caption: str) -> str:
    if not findings:
        return ""
    rows = "".join(
        "<tr>" + "".join(f"<td>{esc(f.get(k) if f.get(k) is not None else '')}</td>"
                         for k in ("analyzer", "rule_id", "cwe", "line", "severity", "message")) + "</tr>"
        for f in findings)
    head = "".join(f"<th>{h}</th>" for h in ("analyzer", "rule", "CWE", "line", "severity", "message"))
    return (f'<div class="tsp-small tsp-muted">{esc(caption)}</div>'
            f'<table class="tsp-findings"><tr>{head}</tr>{rows}</table>')


def _verdict_html(verdict: BranchVerdict | None) -> str:
    """A leaf's oracle verdict: label, syntax check, why-unknown reason, and the findings that decided it."""
    if not verdict:
        return '<div class="tsp-muted">not labeled yet (run notebook 02)</div>'
    bits = [_badge(str(verdict.label)), f'<span class="tsp-muted">syntax {esc(verdict.syntax)}</span>']
    if verdict.reason:
        bits.append(f'<span class="tsp-muted">· {esc(verdict.reason)}</span>')
    findings = [f.to_dict() for f in verdict.findings]
    out = f'<div>{" ".join(bits)}</div>'
    out += _findings_table(findings, "findings in this branch") if findings else \
        '<div class="tsp-small tsp-muted">no findings in this branch</div>'
    # Prefix findings are shown apart: they are shared with every sibling, so they say nothing about this choice.
    out += _findings_table([f.to_dict() for f in verdict.prefix_findings],
                           "findings in the shared prefix (not this branch's)")
    out += _findings_table([f.to_dict() for f in verdict.background],
                           "findings the golden program has too (there whatever this branch chose; not counted)")
    return out


def _branch_html(child: TreeNode, start: int, prefix_tail: str, facts: TreeFacts, colour: bool) -> str:
    """One continuation at a branch point: the end of the shared line for context, then the child's span."""
    crit = " tsp-branch-critical" if child.id in facts.critical_path else ""
    n = len(child.token_texts) or len(child.token_ids)
    where = "no divergent tokens" if start >= n else f"diverges at token {start}"
    head = (f"{_subtree_badge(child, facts)} <b>{esc(child.id)}</b> <span class=\"tsp-kind\">{esc(child.kind)}"
            f"</span> {_value_html(child)} <span class=\"tsp-muted\">· {where}"
            + (" · branches again below" if len(child.children) > 1 else
               " · continues below" if child.children else "") + "</span>")
    code = ((f'<span class="tsp-prefix">{esc(prefix_tail)}</span>' if prefix_tail else "")
            + '<span class="tsp-bp" title="branch point"></span>'
            + render_tokens_html(child, start, colour)
            + ('<span class="tsp-muted"> …</span>' if child.children else "")
            + (f'<span class="tsp-suffix">{esc(child.suffix_text)}</span>' if child.suffix_text else ""))
    verdict = _verdict_html(child.verdict) if child.is_leaf else ""
    return f'<div class="tsp-branch{crit}"><div>{head}</div><pre class="tsp-code">{code}</pre>{verdict}</div>'


def _branches_html(tree: TaskTree, node: TreeNode, facts: TreeFacts, colour: bool) -> str:
    """What follows the node: at a branch point every sibling continuation, divergent tokens marked."""
    if not node.children:
        return ""
    prefix = "" if node.kind == "root" else tree.prefix_text(node.id) + node.text
    tail = prefix.rsplit("\n", 1)[-1][-160:]  # the partial line the branches complete, as context
    n = len(node.children)
    title = (f"{n} branches at the end of this node" if n > 1
             else "continues with one node (not a branch point)")
    rows = "".join(_branch_html(tree.nodes[cid], start, tail, facts, colour)
                   for cid, start in divergence(tree, node.id))
    return f'<div class="tsp-branches"><div><b>{title}</b></div>{rows}</div>'


def legend_html() -> str:
    """Colour key shared by the widget and the export."""
    swatches = "".join(f'<span class="tsp-sw p{i}">{i / _N_BINS:.1f}</span>' for i in range(_N_BINS))
    return (f'<div class="tsp-legend tsp-view">token p = exp(logprob): {swatches} &nbsp; '
            f'<span class="tsp-sw d">divergent</span> &nbsp; '
            f'<span class="tsp-prefix tsp-sw">shared prefix</span> &nbsp; '
            f'{_badge("secure")}{_badge("vulnerable")}{_badge("unknown")}'
            f'{_badge("mixed", "mixed below")}{_badge("crit", "critical")}</div>')


# ------------------------------------------------------------------------------------------- public renderers


def render_node_html(tree: TaskTree, node_id: str, *, colour: bool = True, facts: TreeFacts | None = None) -> str:
    """The full view of one node: header (kind, badges, value), risk info, the program through the node, the
    oracle verdict for a leaf, and every continuation after it. The widget and the export both call this."""
    facts = facts or tree_facts(tree)
    node = tree.nodes[node_id]
    parts = [_node_head_html(node, facts), _risk_html(node), _program_html(tree, node, facts, colour)]
    if node.is_leaf and node.kind != "root":
        parts.append(_verdict_html(node.verdict))
    parts.append(_branches_html(tree, node, facts, colour))
    return f'<div class="tsp-view">{"".join(parts)}</div>'


def task_anchor(task_id: str) -> str:
    """An id attribute value for a task: unsafe characters become "_" so links and selectors keep working."""
    return "task-" + re.sub(r"[^A-Za-z0-9_.:-]", "_", str(task_id))


def node_anchor(task_id: str, node_id: str) -> str:
    """The id attribute of a node in the export ("node-<task>-<node id>"), so anything can link to a node."""
    return "node-" + re.sub(r"[^A-Za-z0-9_.:-]", "_", f"{task_id}-{node_id}")


def stats_html(tree: TaskTree, facts: TreeFacts) -> str:
    s = tree.stats()
    labels = Counter()
    for node in tree.leaves():
        labels[node_label(node)] += 1
    leaves = ", ".join(f"{labels[lab]} {lab}" for lab in SHOWN_LABELS if labels[lab]) or "none"
    return (f'<p class="tsp-stats">{s["nodes"]} nodes · {s["leaves"]} leaves ({esc(leaves)}) · depth {s["depth"]}'
            f' · {s["branch_points"]} branch points ({s["branches_per_node"]:.1f} branches each) · '
            f'{s["tokens_generated"]} sampled tokens · <b>{len(facts.critical)} critical</b></p>')


def _details_html(tree: TaskTree, node_id: str, facts: TreeFacts, colour: bool) -> str:
    node = tree.nodes[node_id]
    classes = ["tsp-tree-node"]
    if node_id in facts.critical:
        classes.append("tsp-critical")
    if node_id in facts.critical_path:
        classes.append("tsp-crit-path")
    summary = [f"<b>{esc(node.id)}</b>", f'<span class="tsp-kind">{esc(node.kind)}</span>']
    if node_id in facts.critical:
        summary.append(_badge("crit", "critical"))
    if node.kind != "root":
        summary.append(_subtree_badge(node, facts))
    if node.risk is not None:
        summary.append(f'<span class="tsp-muted tsp-small">risk: line {esc(node.risk.line)}'
                       + (f" {esc(node.risk.cwe)}" if node.risk.cwe else "") + "</span>")
    children = "".join(_details_html(tree, c, facts, colour) for c in node.children)
    return (f'<details class="{" ".join(classes)}" id="{esc(node_anchor(tree.task_id, node_id))}"'
            f' data-critical="{int(node_id in facts.critical)}"{" open" if node.parent is None else ""}>'
            f'<summary>{" ".join(summary)}</summary>'
            f'<div class="tsp-node-body">{render_node_html(tree, node_id, colour=colour, facts=facts)}</div>'
            f"{children}</details>")


def render_tree_html(tree: TaskTree, *, colour: bool = True) -> str:
    """One task as an HTML <section>: title, stats line, then every node as nested <details> holding its view.

    A fragment, not a document: :func:`render_document` adds the styles and the page controls around it."""
    ensure_values(tree)
    facts = tree_facts(tree)
    roots = [nid for nid in facts.order if tree.nodes[nid].parent is None]
    cls = "tsp-task tsp-has-critical" if facts.critical else "tsp-task"
    return (f'<section class="{cls}" id="{esc(task_anchor(tree.task_id))}">'
            f'<h2>{esc(tree.task_id)} <span class="tsp-muted tsp-small">{esc(tree.language)} · '
            f"{esc(tree.cwe)}</span></h2>{stats_html(tree, facts)}"
            + "".join(_details_html(tree, r, facts, colour) for r in roots) + "</section>")


def summary_table_html(trees: Iterable[TaskTree], *, links: bool = False) -> str:
    """One row per task (size, critical nodes, leaf verdicts) plus a total: the first thing to read, to see
    whether the trees branch at all and whether the oracle found both secure and vulnerable leaves."""
    cols = ("nodes", "leaves", "depth", "branch_points", "critical_nodes")
    total: Counter = Counter()
    rows = []
    for tree in trees:
        s = tree.stats()
        labels = Counter(node_label(n) for n in tree.leaves())
        total.update({k: s[k] for k in cols if k != "depth"})
        total.update(labels)
        total["tasks"] += 1
        name = esc(tree.task_id)
        if links:
            name = f'<a href="#{esc(task_anchor(tree.task_id))}">{name}</a>'
        cells = [name, esc(tree.language), esc(tree.cwe)] + [str(s[k]) for k in cols] + \
            [str(labels[lab]) for lab in SHOWN_LABELS]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = ["task", "language", "CWE", "nodes", "leaves", "depth", "branch pts", "critical", *SHOWN_LABELS]
    foot = [f"<b>{total['tasks']} tasks</b>", "", ""] + [str(total[k]) if k != "depth" else "" for k in cols] + \
        [str(total[lab]) for lab in SHOWN_LABELS]
    return ('<table class="tsp-findings"><tr>' + "".join(f"<th>{h}</th>" for h in head) + "</tr>"
            + "".join(rows) + "<tr>" + "".join(f"<td>{c}</td>" for c in foot) + "</tr></table>")


# Inline handlers, not a <script> element: the file then holds no script tag at all, so a stray "<script" in
# it can only be a bug. They only open/close <details>; the filter itself is CSS.
_OPEN_ALL = "document.querySelectorAll('details.tsp-tree-node').forEach(function(d){d.open=true})"
_CLOSE_ALL = "document.querySelectorAll('details.tsp-tree-node').forEach(function(d){d.open=false})"
_OPEN_CRIT = ("if(this.checked){document.querySelectorAll('details.tsp-crit-path').forEach(function(d)"
              "{d.open=true})}")


def render_document(trees: Iterable[TaskTree], title: str = "TSP generation trees") -> str:
    """A complete, self-contained HTML page for a forest: styles inline, no external resources."""
    trees = list(trees)
    sections = "".join(render_tree_html(t) for t in trees)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{STYLE}\n{_DOC_STYLE}</style></head><body>"
        f'<input type="checkbox" id="tsp-crit-only" onchange="{esc(_OPEN_CRIT)}">'
        f'<header><b>{esc(title)}</b> &nbsp; '
        '<label class="tsp-toggle" for="tsp-crit-only">critical nodes only</label> &nbsp; '
        f'<button type="button" onclick="{esc(_OPEN_ALL)}">expand all</button> '
        f'<button type="button" onclick="{esc(_CLOSE_ALL)}">collapse all</button>{legend_html()}</header>'
        f'<main><div class="tsp-view">{summary_table_html(trees, links=True)}</div>{sections}</main>'
        "</body></html>\n")


def export_html(trees: Iterable[TaskTree], path: str | os.PathLike, title: str = "TSP generation trees") -> Path:
    """Write :func:`render_document` to ``path`` atomically (a reader never sees half a file) and return it."""
    return atomic_write_text(path, render_document(trees, title))
