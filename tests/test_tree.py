"""Trees (tsp_utils.tree): cache-shared sampling, shared prefixes, depth >= 2, local-mode splicing, save/load."""

import json

import pytest

from tsp_utils import labeling
from tsp_utils.oracle import BranchVerdict
from tsp_utils import tree as T
from tsp_utils.sampling import BranchRequest, BranchResult, Continuation, sample_branches, sample_branches_naive
from tsp_utils.tree.spans import statement_tokens
from tree_helpers import ScriptedSampler, tiny  # noqa: F401 -- tiny is a fixture
from tree_samples import C_AFTER, C_BEFORE, C_RLE, PY_AFTER, PY_BEFORE



def test_cache_shared_sampling_matches_naive_under_greedy(tiny):
    tok = tiny.tokenizer
    p1 = tok("def f(x):\n    return", add_special_tokens=False)["input_ids"]
    p2 = tok("int main(void) {\n    char buf[16];\n    gets(", add_special_tokens=False)["input_ids"]
    reqs = [BranchRequest(p1, 3, "a"), BranchRequest(p2, 2, "b"), BranchRequest(p1[:3], 1, "c")]
    fast = {r.key: r for r in sample_branches(tiny.model, tok, reqs, max_new_tokens=8, temperature=0, seed=3)}
    slow = {r.key: r for r in sample_branches_naive(tiny.model, tok, reqs, max_new_tokens=8, temperature=0, seed=3)}
    assert set(fast) == {"a", "b", "c"}
    for key in fast:
        assert len(fast[key].continuations) == len(slow[key].continuations)
        for f, s in zip(fast[key].continuations, slow[key].continuations):
            assert f.token_ids == s.token_ids
            assert f.logprobs == pytest.approx(s.logprobs, abs=1e-4)
        assert fast[key].entropy == pytest.approx(slow[key].entropy, abs=1e-4)


def test_a_token_budget_bounds_every_batchs_cache_and_leaves_greedy_results_alone(tiny):
    from tsp_utils.sampling import _batches

    # rows are left-padded to the batch's longest prefix: 4 rows of a 40-token prefix + 10 new cost 200 tokens
    reqs = [BranchRequest([1] * n, k, f"r{i}") for i, (n, k) in enumerate([(5, 2), (10, 2), (20, 4), (40, 4), (90, 4)])]
    by_rows = _batches(reqs, max_rows=16)
    assert [[r.key for r in b] for b in by_rows] == [["r0", "r1", "r2", "r3", "r4"]]
    with pytest.warns(UserWarning, match="'r4': 4 rows x 100 tokens exceed max_batch_tokens=240"):
        by_tokens = _batches(reqs, max_rows=16, max_batch_tokens=240, max_new_tokens=10)
    assert [[r.key for r in b] for b in by_tokens] == [["r0", "r1", "r2"], ["r3"], ["r4"]]
    for batch in by_tokens[:-1]:
        assert sum(r.k for r in batch) * (max(len(r.prefix_ids) for r in batch) + 10) <= 240
    with pytest.raises(ValueError, match="max_batch_tokens"):
        _batches(reqs, max_rows=16, max_batch_tokens=0)

    tok = tiny.tokenizer
    p1 = tok("def f(x):\n    return", add_special_tokens=False)["input_ids"]
    p2 = tok("int main(void) {\n    char buf[16];\n    gets(", add_special_tokens=False)["input_ids"]
    reqs = [BranchRequest(p1, 3, "a"), BranchRequest(p2, 2, "b"), BranchRequest(p1[:3], 1, "c")]
    budget = 2 * (len(p2) + 8)  # the longest request fits alone; not all three together
    assert len(_batches(reqs, 16, budget, 8)) > 1
    whole = {r.key: r for r in sample_branches(tiny.model, tok, reqs, max_new_tokens=8, temperature=0, seed=3)}
    split = {r.key: r for r in sample_branches(tiny.model, tok, reqs, max_new_tokens=8, temperature=0, seed=3,
                                               max_batch_tokens=budget)}
    assert set(split) == set(whole)
    for key in whole:
        assert [c.token_ids for c in split[key].continuations] == [c.token_ids for c in whole[key].continuations]


def test_sampled_branches_of_one_prefix_differ(tiny):
    tok = tiny.tokenizer
    prefix = tok("def f(x):\n    return", add_special_tokens=False)["input_ids"]
    (result,) = sample_branches(tiny.model, tok, [BranchRequest(prefix, 4, 0)], max_new_tokens=6, temperature=1.0,
                                top_p=1.0, seed=0)
    assert len({tuple(c.token_ids) for c in result.continuations}) > 1


def test_stop_strings_end_each_row_where_its_text_appears(tiny):
    tok = tiny.tokenizer
    prefix = tok("def f(x):\n    return", add_special_tokens=False)["input_ids"]
    (free,) = sample_branches(tiny.model, tok, [BranchRequest(prefix, 1, 0)], max_new_tokens=12, temperature=0)
    ids = free.continuations[0].token_ids
    assert len(ids) == 12 and not free.continuations[0].finished
    stop = tok.decode(ids[3:5])
    assert stop in tok.decode(ids[:5])
    for sampler in (sample_branches, sample_branches_naive):
        (cut,) = sampler(tiny.model, tok, [BranchRequest(prefix, 1, 0)], max_new_tokens=12, temperature=0,
                         stop_strings=[stop])
        got = cut.continuations[0]
        assert got.finished and 1 <= len(got.token_ids) <= 5 and got.token_ids == ids[:len(got.token_ids)]
        assert stop in tok.decode(got.token_ids)
    # text that is already in the prompt does not stop a row
    (kept,) = sample_branches(tiny.model, tok, [BranchRequest(prefix, 1, 0)], max_new_tokens=12, temperature=0,
                              stop_strings=["return"])
    assert kept.continuations[0].token_ids[:4] == ids[:4]


def _task(language="python"):
    if language == "python":
        return T.TreeTask("t1", "python", "cwe-078", "Write a backup function.", PY_AFTER, PY_BEFORE, "import os\n")
    return T.TreeTask("t2", "c", "cwe-120", "Write a copy function.", C_AFTER, C_BEFORE, "#include <string.h>\n")


@pytest.mark.parametrize("language", ["python", "c"])
def test_siblings_share_their_prefix_token_for_token(tiny, language):
    builder = T.TreeBuilder(tiny.model, tiny.tokenizer, k=3, max_new_tokens=6, depth=1, labeler=lambda trees: None)
    (tree,) = builder.build([_task(language)])
    points = tree.branch_points()
    assert len(points) == (1 if language == "python" else 2)
    golden = tree.golden_leaf()
    assert T.extract_code(tree.response_text(golden.id))[0].rstrip() == _task(language).golden_code.rstrip()
    for node in points:
        prefix = tree.token_ids(node.id)
        assert len(node.children) == 1 + 3  # the golden continuation and K samples
        for child in node.children:
            assert tree.token_ids(child)[:len(prefix)] == prefix
            assert tree.prefix_text(child) == tree.response_text(node.id)
        assert node.branch_entropy is not None and node.risk.method == "diff"
    for n in tree.nodes.values():
        assert "".join(n.token_texts) == n.text and len(n.token_ids) == len(n.logprobs)


def test_vulnerable_branch_branches_again_at_its_flagged_line(tiny):
    # Level 1: one secure sample and one that is fine on its first line but calls os.system on its second line.
    level1 = ['if not name:\n        raise ValueError("empty")\n    return name\n```',
              'print(name)\n    os.system("tar czf /b/" + name)\n    return name\n```']
    level2 = ['subprocess.run(["tar", "czf", "/b/" + name], check=True)\n    return name\n```'] * 2
    sampler = ScriptedSampler(tiny.tokenizer, [level1, level2])

    def labeler(trees):
        for tree in trees:
            for leaf in tree.leaves():
                code = T.extract_code(tree.response_text(leaf.id))[0]
                lines = [i for i, line in enumerate(code.splitlines(), 1) if "os.system(" in line]
                leaf.verdict = {"label": "vulnerable" if lines else "secure",
                                "findings": [{"analyzer": "bandit", "rule_id": "B605", "cwe": "cwe-078",
                                              "line": lines[0], "severity": "high", "message": "shell"}] if lines else []}

    builder = T.TreeBuilder(tiny.model, tiny.tokenizer, k=2, depth=2, sampler=sampler, labeler=labeler)
    (tree,) = builder.build([_task()])
    assert tree.max_depth() == 2
    assert len(sampler.requests) == 2 and len(sampler.requests[1]) == 1
    (split_head,) = [n for n in tree.branch_points() if n.risk and n.risk.method == "oracle"]
    assert split_head.text.startswith("print(name)") and "os.system" not in split_head.text
    assert all(tree.response_text(split_head.id) == tree.prefix_text(c) for c in split_head.children)
    labeler([tree])
    tree.compute_values()
    assert split_head.id in {n.id for n in tree.critical_nodes()}
    assert 0 < tree.nodes["root"].value < 1


def test_local_mode_splices_the_rest_of_the_golden_code(tiny):
    sampler = ScriptedSampler(tiny.tokenizer, [[' os.system("tar czf /b/" + name)\n    junk()\n']])
    builder = T.TreeBuilder(tiny.model, tiny.tokenizer, k=1, depth=1, mode="local", sampler=sampler,
                            labeler=lambda trees: None)
    (tree,) = builder.build([_task()])
    (leaf,) = [n for n in tree.leaves() if n.kind == "sampled"]
    assert leaf.text.strip() == 'os.system("tar czf /b/" + name)'  # one statement only
    program = T.extract_code(tree.response_text(leaf.id))[0]
    assert program.startswith("def run_backup(target):\n    name = target.strip()\n    os.system(")
    compile(program, "branch", "exec")  # the splice keeps the indentation valid
    assert program.rstrip().endswith("return name") and "junk()" not in program
    # The model's statement replaces the fix's whole hunk (if/raise/subprocess.run); the golden code resumes after it.
    assert "raise ValueError" not in program and "subprocess" not in program


def test_the_uncertainty_node_may_sit_on_any_line_of_the_changed_hunk(tiny, monkeypatch):
    """The fix's hunk is three lines (the check, the raise, the safe call); the policy is least sure on its last."""
    task = _task()
    builder = T.TreeBuilder(tiny.model, tiny.tokenizer, k=2, depth=1, mode="local",
                            risk_methods=("diff", "uncertainty"), labeler=lambda trees: None)
    response = T.golden_response("python", task.golden_code)
    enc = tiny.tokenizer(response, add_special_tokens=False, return_offsets_mapping=True)
    target = response.index("subprocess.run") + len("subprocess.")  # on golden line 5, the hunk's last
    hesitant = next(i for i, (a, b) in enumerate(enc["offset_mapping"]) if a <= target < b)

    def scores(prompt_ids, response_ids):
        entropies = [0.1] * len(response_ids)
        entropies[hesitant] = 3.0
        return [-0.1] * len(response_ids), entropies

    monkeypatch.setattr(builder, "_golden_scores", scores)
    tree, _ = builder.init_tree(task)
    (node,) = [n for n in tree.nodes.values() if n.risk and n.risk.method == "uncertainty"]
    assert node.risk.line == 5 and node.risk.end_line == 5  # the branch replaces what is left of the hunk
    assert tree.response_text(node.id).endswith("subprocess.")


@pytest.mark.parametrize("statement, splits", [
    (' os.system("tar czf /b/" + name)\n', 2),  # each of the two vulnerable branches branches again
    (' # os.system would be simpler here\n', 0),  # a comment: no decision inside it to branch on
])
def test_local_mode_reaches_depth_two_inside_the_vulnerable_statement(tiny, statement, splits):
    ids = tiny.tokenizer(statement, add_special_tokens=False)["input_ids"]
    entropies = [0.1] * len(ids)
    entropies[2] = 3.0  # the policy hesitated at token 2

    def sampler(requests, seed):
        return [BranchResult(r.key, 1.0, [Continuation(ids, [-0.1] * len(ids), True, entropies)] * r.k) for r in requests]

    def labeler(trees):
        for tree in trees:
            for leaf in tree.leaves():
                code = T.extract_code(tree.response_text(leaf.id))[0]
                leaf.verdict = {"label": "vulnerable" if "os.system" in code else "secure", "findings": []}

    builder = T.TreeBuilder(tiny.model, tiny.tokenizer, k=2, depth=2, mode="local", sampler=sampler, labeler=labeler)
    (tree,) = builder.build([_task()])
    heads = [n for n in tree.branch_points() if n.risk.method == "uncertainty"]
    assert len(heads) == splits and tree.max_depth() == (2 if splits else 1)
    for head in heads:
        assert len(head.token_ids) == 2  # split right before the uncertain token
        for child in head.children:
            program = T.extract_code(tree.response_text(child))[0]
            compile(program, "branch", "exec")
            assert program.rstrip().endswith("return name")


def test_save_load_round_trip_and_streaming_resume(tiny, tmp_path):
    builder = T.TreeBuilder(tiny.model, tiny.tokenizer, k=2, max_new_tokens=4, depth=1, labeler=lambda trees: None)
    tasks = [_task("python"), _task("c")]
    out = T.build_tree_file(builder, tasks, tmp_path / "trees.jsonl", chunk=1, progress=False)
    trees = T.load_trees(out)
    assert [t.task_id for t in trees] == ["t1", "t2"]
    again = T.TaskTree.from_dict(trees[1].to_dict())
    assert again.to_dict() == trees[1].to_dict() and again.stats() == trees[1].stats()
    # A killed run leaves a partial file with a torn last line: the rerun keeps finished tasks, redoes the rest.
    partial = tmp_path / "again.jsonl.partial"
    partial.write_text(out.read_text().splitlines()[0] + "\n" + '{"task_id": "t2", "trunc')
    calls = []
    real_build = builder.build
    builder.build = lambda ts: calls.append([t.task_id for t in ts]) or real_build(ts)
    T.build_tree_file(builder, tasks, tmp_path / "again.jsonl", chunk=1, progress=False)
    assert calls == [["t2"]] and not partial.exists()
    assert [t.task_id for t in T.load_trees(tmp_path / "again.jsonl")] == ["t1", "t2"]
    with pytest.raises(ValueError, match=r"again\.jsonl:1: not a tree record"):
        (tmp_path / "again.jsonl").write_text('{"x": 1}\n')
        T.load_trees(tmp_path / "again.jsonl")


def test_local_mode_sampling_stops_rows_at_the_end_of_their_statement(tiny):
    from tsp_utils.sampling import ends_statement

    assert not ends_statement("\n    ") and not ends_statement("  x = 1") and ends_statement("\n  x = 1\n")
    tok = tiny.tokenizer
    prefix = tok("def f(x):\n    return", add_special_tokens=False)["input_ids"]
    reqs = [BranchRequest(prefix, 3, "a")]
    free = sample_branches(tiny.model, tok, reqs, max_new_tokens=40, temperature=1.0, top_p=1.0, seed=10)
    cut = sample_branches(tiny.model, tok, reqs, max_new_tokens=40, temperature=1.0, top_p=1.0, seed=10,
                          stop_at_line_end=True)
    stopped = 0
    for f, c in zip(free[0].continuations, cut[0].continuations):
        text = tok.decode(c.token_ids)
        # the same sample up to the first completed line, and not a token more
        assert c.token_ids == f.token_ids[:len(c.token_ids)]
        if ends_statement(tok.decode(f.token_ids)):
            assert c.finished and ends_statement(text) and not ends_statement(tok.decode(c.token_ids[:-1]))
            stopped += 1
    assert stopped, "no sample finished a line: pick another seed"


def test_a_token_that_carries_code_past_the_statement_makes_the_branch_incomplete():
    assert statement_tokens([" x = 1;", "\n", "    y"], "c") == (2, 0)  # whitespace past the end: complete
    assert statement_tokens([" x = 1", ";\n}", "\n"], "c") == (2, None)  # "}" past the end: cannot be cut there


def _parses_as_c(program: str) -> bool:
    import shutil
    import subprocess
    import tempfile

    if shutil.which("gcc") is None:
        pytest.skip("no gcc")
    with tempfile.NamedTemporaryFile("w", suffix=".c") as f:
        f.write("#include <stddef.h>\n#include <string.h>\n#include <stdio.h>\n" + program)
        f.flush()
        return subprocess.run(["gcc", "-fsyntax-only", f.name], capture_output=True).returncode == 0


def test_a_local_branch_that_opens_a_block_is_spliced_whole(tiny):
    """Session 5's trees had 16 of 65 leaves unknown, several because a sampled `if (...) {` was followed by golden
    code that never closed it. The branch now runs to its closing brace and replaces the golden lines it covers."""
    task = T.TreeTask("rle", "c", "cwe-787", "Write an RLE decoder.", C_RLE, C_RLE.replace(
        "        if (count > out_cap - op)\n            return (size_t)-1;\n", ""), "")
    sampler = ScriptedSampler(tiny.tokenizer, [[" if (count >= out_cap) {\n            return (size_t)-1;\n        }\n        junk();\n",
                                                " op = 0;\n        junk();\n",
                                                " if (count >= out_cap) {\n            log_it("]])  # the budget ran out
    builder = T.TreeBuilder(tiny.model, tiny.tokenizer, k=3, depth=1, mode="local", sampler=sampler,
                            labeler=lambda trees: None)
    (tree,) = builder.build([task])
    cut = [n for n in tree.leaves() if n.kind == "sampled" and "log_it" in n.text]
    assert [n.complete for n in cut] == [False] and labeling.forest_stats([tree])["unfinished_branches"] == 1
    leaves = [n for n in tree.leaves() if n.kind == "sampled" and n not in cut]
    assert len(leaves) == 2 and all(n.complete for n in leaves)
    for leaf in leaves:
        program = T.extract_code(tree.response_text(leaf.id))[0]
        assert "junk" not in program and ("return (size_t)-1;" in program) == ("{" in leaf.text)
        assert program.count("memset(out + op") == 1 and _parses_as_c(program), program
    assert _parses_as_c(C_RLE)
    counts = labeling.label_trees([tree], progress=False)
    assert cut[0].label == "unknown" and counts.unknown_unfinished == 1
    assert all(n.label != "unknown" for n in leaves)


def test_a_local_branch_stops_at_the_closing_fence(tiny):
    sampler = ScriptedSampler(tiny.tokenizer, [[" if not name:\n```\nMore text.", " os.system(name)\n```"]])
    builder = T.TreeBuilder(tiny.model, tiny.tokenizer, k=2, depth=1, mode="local", sampler=sampler,
                            labeler=lambda trees: None)
    (tree,) = builder.build([_task()])
    leaves = {n.text.strip(): n for n in tree.leaves() if n.kind == "sampled"}
    assert set(leaves) == {"if not name:", "os.system(name)"}  # no fence, nothing after it
    # `if not name:` matches the golden `if` line; had the model ended without a body, it would not be complete
    assert leaves["if not name:"].complete and leaves["os.system(name)"].complete


def test_a_python_branch_that_rewrites_the_condition_keeps_the_golden_body(tiny):
    sampler = ScriptedSampler(tiny.tokenizer, [[" if not name:\n        os.system(name)\n", " x = shlex.quote(name)\n    y = 2\n"]])
    builder = T.TreeBuilder(tiny.model, tiny.tokenizer, k=2, depth=1, mode="local", sampler=sampler,
                            labeler=lambda trees: None)
    (tree,) = builder.build([_task()])
    programs = {n.text.strip(): T.extract_code(tree.response_text(n.id))[0] for n in tree.leaves() if n.kind == "sampled"}
    assert set(programs) == {"if not name:", "x = shlex.quote(name)"}
    for program in programs.values():
        compile(program, "branch", "exec")
    assert 'if not name:\n        raise ValueError("bad target")\n    subprocess.run' in programs["if not name:"]
    assert "raise" not in programs["x = shlex.quote(name)"] and "os.system" not in "".join(programs.values())


def test_a_branch_that_starts_with_a_comment_keeps_its_line_of_code(tiny):
    sampler = ScriptedSampler(tiny.tokenizer, [[' # quote it for the shell\n    os.system("tar czf /b/" + name)\n    junk()\n']])
    builder = T.TreeBuilder(tiny.model, tiny.tokenizer, k=1, depth=1, mode="local", sampler=sampler,
                            labeler=lambda trees: None)
    (tree,) = builder.build([_task()])
    (leaf,) = [n for n in tree.leaves() if n.kind == "sampled"]
    assert [line.strip() for line in leaf.text.strip().splitlines()] == ["# quote it for the shell", 'os.system("tar czf /b/" + name)']
    program = T.extract_code(tree.response_text(leaf.id))[0]
    compile(program, "branch", "exec")
    assert "junk()" not in program and program.rstrip().endswith("return name")


# A labeled tree as the JSON the tree files have held since verdicts were saved (before the verdict was a record).
OLD_VERDICT = {"label": "vulnerable", "findings": [{"analyzer": "bandit", "rule_id": "B605", "cwe": "cwe-078", "line": 2,
                                                    "severity": "high", "message": "shell", "end_line": None}],
               "prefix_findings": [], "syntax": "ok", "reason": "", "language": "python",
               "background": [{"analyzer": "bandit", "rule_id": "B324", "cwe": "cwe-327", "line": 3,
                               "severity": "medium", "message": "md5", "end_line": 3}]}
OLD_TREE = {"task_id": "t", "language": "python", "cwe": "cwe-078", "instruction": "Run it.", "prompt_text": "<s>",
            "context": "import os\n", "meta": {"mode": "local", "k": 1},
            "nodes": [{"id": "root", "parent": None, "kind": "root", "token_ids": [], "text": "", "token_texts": [],
                       "logprobs": [], "entropies": [], "children": ["root.0"],
                       "risk": {"method": "diff", "char_offset": 3, "line": 2, "cwe": "cwe-078", "note": "",
                                "end_line": 2},
                       "branch_entropy": 1.5, "suffix_text": "", "verdict": None, "value": 0.0, "depth": 0,
                       "iteration": 0, "complete": None},
                      {"id": "root.0", "parent": "root", "kind": "sampled", "token_ids": [5, 6],
                       "text": "os.system(x)", "token_texts": ["os.", "system(x)"], "logprobs": [-0.5, -0.1],
                       "entropies": [1.0, 0.2], "children": [], "risk": None, "branch_entropy": None,
                       "suffix_text": "\n", "verdict": OLD_VERDICT, "value": 0.0, "depth": 1, "iteration": 0,
                       "complete": True}]}


def test_a_leaf_verdict_is_a_record_and_old_tree_files_load_and_save_unchanged(tmp_path):
    old = tmp_path / "old.jsonl"
    old.write_text(json.dumps(OLD_TREE, ensure_ascii=False) + "\n", encoding="utf-8")
    (tree,) = T.load_trees(old)
    leaf = tree.nodes["root.0"]
    assert isinstance(leaf.verdict, BranchVerdict) and leaf.label == "vulnerable"
    assert [f.rule_id for f in leaf.verdict.findings] == ["B605"] and leaf.verdict.background[0].end_line == 3
    assert tree.nodes["root"].label is None and tree.nodes["root"].risk.method == "diff"
    new = T.save_trees(tmp_path / "new.jsonl", [tree])
    assert new.read_text(encoding="utf-8") == old.read_text(encoding="utf-8")  # byte for byte
    leaf.verdict = {"label": "secure"}  # a verdict given as its JSON record is stored as the record
    assert isinstance(leaf.verdict, BranchVerdict) and leaf.label == "secure" and leaf.verdict.findings == []
    tree.compute_values()
    assert tree.nodes["root"].value == 1.0
