"""The notebook explorer: pick a task, walk its nodes, filter to critical nodes (core ipywidgets only)."""

from __future__ import annotations

from typing import Any, Sequence

from ..tree import TaskTree
from .facts import TreeFacts, ensure_values, node_label, tree_facts
from .html import STYLE, esc, legend_html, render_node_html, stats_html


class TreeExplorer:
    """Browse a forest in a notebook: pick a task, walk its nodes, filter to critical nodes.

    Only core ipywidgets and ``.observe(..., names="value")`` are used, so it works on Colab without a custom
    widget manager and on ipywidgets 7 and 8. The view is a ``widgets.HTML`` filled by :func:`render_node_html`.
    """

    def __init__(self, trees: Sequence[TaskTree], colour: bool = True):
        import ipywidgets as widgets  # here, not at the top: ~0.25 s (measured) that the HTML export never needs

        self.trees = list(trees)
        if not self.trees:
            raise ValueError("TreeExplorer needs at least one tree")
        for tree in self.trees:
            ensure_values(tree)
        self._facts: dict[int, TreeFacts] = {}
        self._quiet = False  # set while options are swapped, so intermediate selections do not render
        labels = [(f"{i + 1}. {t.task_id} · {t.language} · {t.cwe} · {len(t.nodes)} nodes", i)
                  for i, t in enumerate(self.trees)]
        self.task = widgets.Dropdown(options=labels, value=0, description="task",
                                     layout=widgets.Layout(width="460px"))
        self.critical_only = widgets.Checkbox(value=False, description="critical nodes only", indent=False)
        self.colour = widgets.Checkbox(value=colour, description="colour tokens by p", indent=False)
        self.node_select = widgets.Select(options=[], rows=18, layout=widgets.Layout(width="100%"))
        self.parent_button = widgets.Button(description="parent", tooltip="go to the parent node")
        self.child_button = widgets.Button(description="first child", tooltip="go to the first child")
        self.sibling_button = widgets.Button(description="next sibling", tooltip="next branch at the same point")
        for button in (self.parent_button, self.child_button, self.sibling_button):
            button.layout = widgets.Layout(width="32%")
        self.stats = widgets.HTML()
        self.view = widgets.HTML()
        left = widgets.VBox([self.node_select,
                             widgets.HBox([self.parent_button, self.child_button, self.sibling_button])],
                            layout=widgets.Layout(width="34%"))
        right = widgets.VBox([self.view], layout=widgets.Layout(width="66%"))
        self.widget = widgets.VBox([
            widgets.HTML(f"<style>{STYLE}</style>"),
            widgets.HBox([self.task, self.critical_only, self.colour]),
            self.stats, widgets.HTML(legend_html()), widgets.HBox([left, right]),
        ])
        self.task.observe(self._on_task, names="value")
        self.critical_only.observe(self._on_filter, names="value")
        self.colour.observe(lambda _: self._render(), names="value")
        self.node_select.observe(lambda _: self._render(), names="value")
        self.parent_button.on_click(lambda _: self._go("parent"))
        self.child_button.on_click(lambda _: self._go("child"))
        self.sibling_button.on_click(lambda _: self._go("sibling"))
        self._on_task(None)

    # ------------------------------------------------------------------ state

    @property
    def tree(self) -> TaskTree:
        return self.trees[self.task.value]

    @property
    def facts(self) -> TreeFacts:
        if self.task.value not in self._facts:
            self._facts[self.task.value] = tree_facts(self.tree)
        return self._facts[self.task.value]

    @property
    def node_id(self) -> str | None:
        return self.node_select.value

    def node_options(self) -> list[tuple[str, str]]:
        """(label, node id) in tree order, indented by level; only critical nodes when the filter is on."""
        facts = self.facts
        ids = [n for n in facts.order if not self.critical_only.value or n in facts.critical]
        return [(self._option_label(n), n) for n in ids]

    def _option_label(self, node_id: str) -> str:
        node, facts = self.tree.nodes[node_id], self.facts
        # Non-breaking spaces: a <select> collapses ordinary leading spaces, and the indentation is the tree.
        indent = "\u00a0\u00a0\u00a0" * facts.level[node_id] + ("└ " if facts.level[node_id] else "")
        bits = [f"{node.id} · {node.kind}"]
        if node_id in facts.critical:
            bits.append("★ critical")
        if node.is_leaf and node.kind != "root":
            bits.append(node_label(node))
        elif node.value is not None:
            bits.append(f"v={node.value:.2f}")
        return indent + " · ".join(bits)

    # ------------------------------------------------------------------ actions

    def select_node(self, node_id: str) -> None:
        """Show ``node_id``. A node hidden by the critical filter turns the filter off rather than leaving the
        list and the view out of step."""
        if node_id not in self.tree.nodes:
            raise KeyError(f"{self.tree.task_id}: no node {node_id!r}")
        if node_id not in [v for _, v in self.node_select.options]:
            self.critical_only.value = False
        self.node_select.value = node_id

    def goto_first_critical(self) -> tuple[str, str] | None:
        """Open the first critical node of the forest, the most instructive place to start reading; returns
        (task id, node id), or None when no tree has one (then the view stays where it was)."""
        for index, tree in enumerate(self.trees):
            facts = self._facts.get(index) or tree_facts(tree)
            first = next((nid for nid in facts.order if nid in facts.critical), None)
            if first is not None:
                self.task.value = index
                self.select_node(first)
                return tree.task_id, first
        return None

    def _go(self, where: str) -> None:
        target = self._target(where)
        if target is not None:
            self.select_node(target)

    def _target(self, where: str) -> str | None:
        """The node a navigation button leads to; "next sibling" wraps so one button cycles all branches."""
        if self.node_id is None:
            return None
        node = self.tree.nodes[self.node_id]
        if where == "parent":
            return node.parent
        if where == "child":
            return node.children[0] if node.children else None
        siblings = self.tree.nodes[node.parent].children if node.parent is not None else []
        if len(siblings) < 2:
            return None
        return siblings[(siblings.index(node.id) + 1) % len(siblings)]

    # ------------------------------------------------------------------ observers

    def _on_task(self, _change: Any) -> None:
        self.stats.value = (f'<div class="tsp-view">{stats_html(self.tree, self.facts)}'
                            f'<div class="tsp-task-text">{esc(self.tree.instruction)}</div></div>')
        self._set_options(keep=None)

    def _on_filter(self, _change: Any) -> None:
        self._set_options(keep=self.node_id)

    def _set_options(self, keep: str | None) -> None:
        options = self.node_options()
        values = [v for _, v in options]
        self._quiet = True
        try:
            self.node_select.options = options
            if values:
                self.node_select.value = keep if keep in values else values[0]
        finally:
            self._quiet = False
        self._render()

    def _render(self) -> None:
        if self._quiet:
            return
        nid = self.node_id
        if nid is None:
            why = ("No critical nodes in this task: no branch point has both a secure and a vulnerable leaf below "
                   "it." if self.critical_only.value else "This tree has no nodes.")
            self.view.value = f'<div class="tsp-view tsp-muted">{why}</div>'
        else:
            self.view.value = render_node_html(self.tree, nid, colour=self.colour.value, facts=self.facts)
        self.parent_button.disabled = self._target("parent") is None
        self.child_button.disabled = self._target("child") is None
        self.sibling_button.disabled = self._target("sibling") is None

    def _ipython_display_(self) -> None:
        from IPython.display import display  # as ipywidgets above

        display(self.widget)
