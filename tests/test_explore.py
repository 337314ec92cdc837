"""The tree explorer: the static HTML export and the ipywidgets browser, on small trees built by hand."""

import math
import re
from html.parser import HTMLParser

import pytest

from tsp_utils import explore
from tsp_utils.explore.html import _verdict_html
from tsp_utils.oracle import BranchVerdict
from tsp_utils.tree import RiskNode, TaskTree, TreeNode, save_trees

TASK = "py-xss-demo"

# (token id, token text, probability). The golden continuation and branch root.0.1 share their first two tokens,
# so those two branches diverge at token 2 and root.0.2 (which starts differently) at token 0.
GOLDEN = [(1, "def", 0.99), (2, " greet", 0.9), (3, "(name", 0.95), (4, "):\n", 0.97), (5, "    return", 0.8),
          (6, ' "<p>"', 0.6), (7, " +", 0.9), (8, " html.escape(name)", 0.05), (9, ' + "</p>"', 0.7), (10, "\n", 0.9)]
SAMPLED_1 = [(6, ' "<p>"', 0.6), (7, " +", 0.9), (20, " name", 0.7),
             (21, ' + "<script>track()</script></p>"', 0.2), (10, "\n", 0.9)]
SAMPLED_2 = [(30, ' "<b>"', 0.3), (31, " +", 0.8), (32, " name", 0.5), (33, ' + "</b>"', 0.9), (10, "\n", 0.9)]
# Depth-2 branches of root.0.2, after its third token; the tail (root.0.2.0) starts with token 32 " name".
SAMPLED_2A = [(40, " html.escape(name)", 0.4), (33, ' + "</b>"', 0.9), (10, "\n", 0.9)]
SAMPLED_2B = [(32, " name", 0.5), (51, '.upper() + "<script>x()</script>"', 0.1), (10, "\n", 0.9)]

XSS_FINDING = {"analyzer": "semgrep", "rule_id": "tsp.python.xss-concat", "cwe": "cwe-079", "line": 2,
               "severity": "high", "message": "request data concatenated into HTML (<script> injection)"}


def _node(node_id, parent, kind, tokens, depth=0):
    ids, texts, probs = zip(*tokens) if tokens else ((), (), ())
    return TreeNode(id=node_id, parent=parent, kind=kind, token_ids=list(ids), text="".join(texts),
                    token_texts=list(texts), logprobs=[math.log(p) for p in probs], depth=depth)


def _verdict(label, findings=(), reason=""):
    return {"label": label, "findings": list(findings), "prefix_findings": [], "syntax": "ok", "reason": reason}


def build_tree():
    """root -> golden (risk node after 5 tokens) -> golden tail + 2 sampled; root.0.2 splits again at depth 2."""
    tree = TaskTree(TASK, "python", "cwe-079", "Greet `name` in HTML; never emit <script> & friends.",
                    "<s>[INST] greet [/INST]", "import html")
    tree.add(TreeNode(id="root", parent=None, kind="root"))
    tree.add(_node("root.0", "root", "golden", GOLDEN))
    head_text = "".join(t for _, t, _ in GOLDEN[:5])
    tree.split("root.0", 5, head_text)  # tail root.0.0 = the golden continuation
    head = tree.nodes["root.0"]
    head.risk = RiskNode("oracle", char_offset=len(head_text), line=2, cwe="cwe-079", note="return value is HTML")
    head.branch_entropy = 1.37
    tree.nodes["root.0.0"].verdict = _verdict("secure")
    tree.add(_node(tree.new_id("root.0"), "root.0", "sampled", SAMPLED_1, depth=1)).verdict = \
        _verdict("vulnerable", [XSS_FINDING])
    s2 = tree.add(_node(tree.new_id("root.0"), "root.0", "sampled", SAMPLED_2, depth=1))
    s2_head = "".join(t for _, t, _ in SAMPLED_2[:2])
    tree.split(s2.id, 2, s2_head).verdict = _verdict("vulnerable", [XSS_FINDING])  # root.0.2.0
    s2.risk, s2.branch_entropy = RiskNode("oracle", len(head_text + s2_head), 2, "cwe-079"), 2.1
    tree.add(_node(tree.new_id(s2.id), s2.id, "sampled", SAMPLED_2A, depth=2)).verdict = _verdict("secure")
    tree.add(_node(tree.new_id(s2.id), s2.id, "sampled", SAMPLED_2B, depth=2)).verdict = \
        _verdict("unknown", reason="partial analysis")
    tree.compute_values()
    return tree


def build_plain_tree():
    """A second task where every leaf is secure: it has a branch point but no critical node."""
    tree = TaskTree("c-cwe-787-demo", "c", "cwe-787", "Copy a string safely.", "", "#include <string.h>")
    tree.add(TreeNode(id="root", parent=None, kind="root"))
    tree.add(_node("root.0", "root", "golden", [(1, "strncpy(dst", 0.9), (2, ", src, n);", 0.8), (3, "\n", 1.0)]))
    tree.split("root.0", 1, "strncpy(dst")
    tree.nodes["root.0.0"].verdict = _verdict("secure")
    tree.add(_node("root.0.1", "root.0", "sampled", [(4, ", src, sizeof dst);", 0.3), (3, "\n", 1.0)], 1)).verdict = \
        _verdict("secure")
    tree.compute_values()
    return tree


@pytest.fixture
def tree():
    return build_tree()


# ------------------------------------------------------------------------------------------ HTML inspection


class _Scan(HTMLParser):
    """Collects the text of a page, its token spans (classes, title, text) and its <details> elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tokens, self.details, self._spans = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "details":
            self.details.append(attrs)
        if tag == "span":
            classes = (attrs.get("class") or "").split()
            token = {"classes": classes, "title": attrs.get("title", ""), "text": ""} if "t" in classes else None
            if token is not None:
                self.tokens.append(token)
            self._spans.append(token)

    def handle_endtag(self, tag):
        if tag == "span" and self._spans:
            self._spans.pop()

    def handle_data(self, data):
        self.text.append(data)
        if self._spans and self._spans[-1] is not None:
            self._spans[-1]["text"] += data


def scan(markup):
    parser = _Scan()
    parser.feed(markup)
    parser.close()
    parser.text = "".join(parser.text)
    return parser


def divergent_texts(markup):
    return [t["text"] for t in scan(markup).tokens if "d" in t["classes"]]


def texts(tokens):
    return [t for _, t, _ in tokens]


# ------------------------------------------------------------------------------------------------- divergence


def test_divergence_starts_where_a_branch_leaves_its_closest_sibling(tree):
    assert tree.nodes["root.0"].children == ["root.0.0", "root.0.1", "root.0.2"]
    assert explore.divergence(tree, "root.0") == [("root.0.0", 2), ("root.0.1", 2), ("root.0.2", 0)]
    # depth 2: the tail and root.0.2.2 both start with " name"; root.0.2.1 differs at once
    assert explore.divergence(tree, "root.0.2") == [("root.0.2.0", 1), ("root.0.2.1", 0), ("root.0.2.2", 1)]
    # a single child has nothing to diverge from: no token is divergent
    assert explore.divergence(tree, "root") == [("root.0", 5)]


def test_branch_view_highlights_exactly_the_divergent_tokens(tree):
    markup = explore.render_node_html(tree, "root.0")
    expected = texts(GOLDEN[5:])[2:] + texts(SAMPLED_1)[2:] + texts(SAMPLED_2[:2])
    assert divergent_texts(markup) == expected
    # a node's own span in its program view is highlighted against its siblings too
    assert divergent_texts(explore.render_node_html(tree, "root.0.2.2")) == texts(SAMPLED_2B)[1:]
    assert divergent_texts(explore.render_node_html(tree, "root.0.1")) == texts(SAMPLED_1)[2:]


def test_tokens_are_coloured_by_probability_with_a_tooltip(tree):
    tokens = scan(explore.render_tokens_html(tree.nodes["root.0.0"])).tokens
    by_text = {t["text"]: t for t in tokens}
    low, high = by_text[" html.escape(name)"], by_text["\n"]  # p = 0.05 and 0.9
    assert "p0" in low["classes"] and "p=0.050" in low["title"] and "html.escape(name)" in low["title"]
    assert "p9" in high["classes"]
    plain = scan(explore.render_tokens_html(tree.nodes["root.0.0"], colour=False)).tokens
    assert not any(re.fullmatch(r"p\d", c) for t in plain for c in t["classes"])
    assert "".join(t["text"] for t in tokens) == tree.nodes["root.0.0"].text


# ------------------------------------------------------------------------------------------------ HTML export


def test_export_contains_every_node_and_marks_critical_ones(tree, tmp_path):
    other = build_plain_tree()
    path = explore.export_html([tree, other], tmp_path / "out" / "trees.html")
    assert path.exists() and [p.name for p in path.parent.iterdir()] == ["trees.html"]  # no temp file left
    markup = path.read_text(encoding="utf-8")
    page = scan(markup)
    ids = {d["id"]: d for d in page.details}
    for t in (tree, other):
        for nid in t.nodes:
            assert f"node-{t.task_id}-{nid}" in ids, nid
    assert len(page.details) == len(tree.nodes) + len(other.nodes)
    critical = {i for i, d in ids.items() if d["data-critical"] == "1"}
    assert critical == {f"node-{TASK}-root.0", f"node-{TASK}-root.0.2"}
    assert all("tsp-critical" in ids[i]["class"].split() for i in critical)
    # ancestors of critical nodes stay reachable when only critical nodes are shown
    assert "tsp-crit-path" in ids[f"node-{TASK}-root"]["class"].split()
    assert "tsp-crit-path" not in ids[f"node-{TASK}-root.0.1"]["class"].split()
    # the filter is a real control backed by a CSS rule
    assert 'id="tsp-crit-only"' in markup and "#tsp-crit-only:checked" in markup
    assert "2 critical" in page.text and "0 critical" in page.text


def test_export_escapes_code_and_is_self_contained(tree, tmp_path):
    markup = explore.export_html([tree], tmp_path / "t.html").read_text(encoding="utf-8")
    assert "<script" not in markup.lower()  # the code has <script> strings; none may reach the page as markup
    assert "&lt;script&gt;track()&lt;/script&gt;" in markup
    assert "never emit &lt;script&gt; &amp; friends" in markup
    # the text survives escaping: every leaf's program is readable on the page
    page = scan(markup)
    for leaf in tree.leaves():
        assert tree.response_text(leaf.id) in page.text
    assert XSS_FINDING["message"] in page.text and XSS_FINDING["rule_id"] in page.text
    # no external resources: no URLs at all, nothing fetched
    assert not re.search(r"https?://|//cdn|<link\b|\bsrc\s*=|@import|url\(", markup, re.I)


def test_render_tree_html_is_one_section_per_task(tree):
    section = explore.render_tree_html(tree)
    assert section.startswith("<section")
    assert section.count("<details") == section.count("</details>") == len(tree.nodes)


# ------------------------------------------------------------------------------------------------------ widget


def test_widget_builds_and_follows_the_selection(tree):
    widgets = pytest.importorskip("ipywidgets")
    ex = explore.TreeExplorer([tree, build_plain_tree()])
    assert isinstance(ex.widget, widgets.Box)
    assert [v for _, v in ex.node_select.options] == ["root", "root.0", "root.0.0", "root.0.1", "root.0.2",
                                                       "root.0.2.0", "root.0.2.1", "root.0.2.2"]
    first = ex.view.value
    ex.node_select.value = "root.0.1"
    assert ex.view.value != first
    view = scan(ex.view.value)
    assert tree.response_text("root.0.1") in view.text
    assert "<script" not in ex.view.value.lower()
    assert XSS_FINDING["message"] in view.text
    ex.task.value = 1
    assert ex.tree.task_id == "c-cwe-787-demo" and ex.node_id == "root"
    ex.node_select.value = "root.0.1"
    assert ", src, sizeof dst);" in scan(ex.view.value).text
    assert "<b>" not in scan(ex.view.value).text  # nothing of the other task is left in the view


def test_widget_buttons_walk_the_tree(tree):
    pytest.importorskip("ipywidgets")
    ex = explore.TreeExplorer([tree])
    assert ex.parent_button.disabled and ex.sibling_button.disabled and not ex.child_button.disabled
    ex.child_button.click()
    assert ex.node_id == "root.0"
    ex.child_button.click()
    assert ex.node_id == "root.0.0"
    ex.sibling_button.click()
    assert ex.node_id == "root.0.1" and texts(SAMPLED_1)[3] in scan(ex.view.value).text
    ex.sibling_button.click()
    ex.sibling_button.click()  # wraps around to the first branch
    assert ex.node_id == "root.0.0"
    ex.parent_button.click()
    assert ex.node_id == "root.0"


def test_widget_critical_filter_lists_only_critical_nodes(tree):
    pytest.importorskip("ipywidgets")
    ex = explore.TreeExplorer([tree, build_plain_tree()])
    ex.critical_only.value = True
    assert [v for _, v in ex.node_select.options] == ["root.0", "root.0.2"]
    assert ex.node_id in ("root.0", "root.0.2") and "critical" in scan(ex.view.value).text
    ex.select_node("root.0.2.1")  # a node the filter hides: the filter turns off instead of desynchronising
    assert not ex.critical_only.value and ex.node_id == "root.0.2.1"
    ex.critical_only.value = True
    ex.task.value = 1
    assert list(ex.node_select.options) == [] and "No critical nodes" in ex.view.value


def test_widget_opens_the_first_critical_node(tree):
    pytest.importorskip("ipywidgets")
    ex = explore.TreeExplorer([build_plain_tree(), tree])
    assert ex.goto_first_critical() == (TASK, "root.0") and ex.tree is tree and ex.node_id == "root.0"
    assert explore.TreeExplorer([build_plain_tree()]).goto_first_critical() is None


def test_widget_colour_toggle(tree):
    pytest.importorskip("ipywidgets")
    ex = explore.TreeExplorer([tree])
    ex.select_node("root.0")
    coloured = lambda: [c for t in scan(ex.view.value).tokens for c in t["classes"] if re.fullmatch(r"p\d", c)]
    assert coloured()
    ex.colour.value = False
    assert not coloured() and scan(ex.view.value).tokens


# ----------------------------------------------------------------------------------------------------- loading


def test_loading_prefers_labeled_trees_and_explains_what_is_missing(tree, tmp_path):
    with pytest.raises(FileNotFoundError, match="notebook 01"):
        explore.find_trees_file(tmp_path, 0)
    folder = tmp_path / "trees" / "iter_0"
    save_trees(folder / "trees.jsonl", [tree, build_plain_tree()])
    assert explore.find_trees_file(tmp_path, 0).name == "trees.jsonl"
    save_trees(folder / "labeled.jsonl", [tree, build_plain_tree()])
    trees, path = explore.load_explorer_trees(tmp_path, 0)
    assert path.name == "labeled.jsonl" and [t.task_id for t in trees] == [TASK, "c-cwe-787-demo"]
    trees, _ = explore.load_explorer_trees(tmp_path, 0, max_tasks=1)
    assert [t.task_id for t in trees] == [TASK]
    # later iterations are a method's regrown trees (notebook 03 writes trees/<method>/iter_<n>/)
    with pytest.raises(ValueError, match="METHOD"):
        explore.find_trees_file(tmp_path, 1)
    with pytest.raises(FileNotFoundError, match="Notebook 03 regrows"):
        explore.find_trees_file(tmp_path, 1, "tsp-oracle")
    save_trees(tmp_path / "trees" / "tsp-oracle" / "iter_1" / "labeled.jsonl", [tree])
    trees, path = explore.load_explorer_trees(tmp_path, 1, method="tsp-oracle")
    assert path.parent.parent.name == "tsp-oracle" and [t.task_id for t in trees] == [TASK]


def test_background_findings_are_shown_apart_from_the_branchs_own():
    verdict = {**_verdict("secure", reason="findings the golden program has too (not this branch's)"),
               "background": [XSS_FINDING]}
    html = _verdict_html(BranchVerdict.from_dict(verdict))
    assert "no findings in this branch" in html and "golden program has too" in html and "tsp.python.xss-concat" in html


def test_a_branch_cut_before_it_was_complete_is_marked(tree):
    cut = tree.nodes["root.0.2.2"]  # the unknown leaf
    cut.complete = False
    tree.nodes["root.0.2.1"].complete = True
    assert "cut off" in explore.render_node_html(tree, "root.0.2.2")
    assert "cut off" not in explore.render_node_html(tree, "root.0.2.1")
    assert "cut off" not in explore.render_node_html(tree, "root.0")  # golden: complete is None


# ------------------------------------------------------------------------------------- base vs trained overlay


def test_branch_shifts_compare_sibling_shares_under_two_models(tree):
    from tsp_utils.explore import overlay

    keys = [f"{TASK}/{c}" for _, c in overlay.branch_keys([tree])]
    assert keys == [f"{TASK}/{c}" for c in ("root.0.0", "root.0.1", "root.0.2", "root.0.2.0", "root.0.2.1",
                                            "root.0.2.2")]
    before = dict.fromkeys(keys, -1.0)
    after = {**before, f"{TASK}/root.0.0": 0.0, f"{TASK}/root.0.1": -3.0}
    shifts = overlay.branch_shifts([tree], before, after)
    top = [s for s in shifts if s.parent == "root.0"]
    assert [(s.node_id, s.label) for s in top] == [("root.0.0", "secure"), ("root.0.1", "vulnerable"),
                                                   ("root.0.2", "mixed")]
    assert all(s.critical and s.share_before == pytest.approx(1 / 3) for s in top)
    assert sum(s.share_after for s in top) == pytest.approx(1.0)
    assert top[0].share_after > 1 / 3 > top[1].share_after  # the secure branch gained what the vulnerable one lost
    del after[f"{TASK}/root.0.2.1"]  # a branch point with a sibling unscored is left out, not renormalised
    assert {s.parent for s in overlay.branch_shifts([tree], before, after)} == {"root.0"}
    table = overlay.shift_table_html(shifts, ("base", "tsp"))
    assert table.index("html.escape(name)") < table.index("track()") and "share, tsp" in table and "▲" in table
    assert table.index(f"{TASK} / root.0<") < table.index(f"{TASK} / root.0.2<")  # the larger move first


def test_branch_scores_are_the_span_log_probs_given_the_path(tiny_llama_dir, tmp_path):
    import torch

    from tsp_utils import models, plots
    from tsp_utils.explore import overlay

    lm = models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)
    tree = build_tree()
    tree.meta["prompt_ids"] = [5, 6, 7]
    scores = overlay.score_model(None, lm.model, lm.tokenizer, [tree], tmp_path / "base.jsonl")
    assert len(scores) == 6 and overlay.load_scores(tmp_path / "base.jsonl") == scores
    node = tree.nodes["root.0.2.1"]
    prefix = [5, 6, 7] + tree.token_ids("root.0.2")
    with torch.no_grad():
        logits = lm.model(input_ids=torch.tensor([prefix + node.token_ids])).logits[0].log_softmax(-1)
    expect = sum(logits[len(prefix) - 1 + i, t].item() for i, t in enumerate(node.token_ids))
    assert scores[f"{TASK}/root.0.2.1"] == pytest.approx(expect, abs=1e-4)
    fig = plots.plot_branch_shift(overlay.branch_shifts([tree], scores, scores), ("base", "base"))
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == \
        ["secure (n=2, 0 up)", "vulnerable (n=2, 0 up)", "unknown (n=1, 0 up)", "mixed (n=1, 0 up)"]
