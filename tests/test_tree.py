"""Trees: risk-node positions, shared prefixes, depth >= 2, cache-shared sampling, save/load."""

import pytest

from tsp_utils import models, risk
from tsp_utils import tree as T
from tsp_utils.sampling import BranchRequest, BranchResult, Continuation, sample_branches, sample_branches_naive

PY_BEFORE = '''def run_backup(target):
    name = target.strip()
    cmd = "tar czf /backups/%s.tgz /srv/%s" % (name, name)
    os.system(cmd)
    return name
'''
PY_AFTER = '''def run_backup(target):
    name = target.strip()
    if not name.isalnum():
        raise ValueError("bad target")
    subprocess.run(["tar", "czf", f"/backups/{name}.tgz", f"/srv/{name}"], check=True)
    return name
'''
C_BEFORE = '''int copy_name(char *dst, const char *src) {
    int n = 0;
    strcpy(dst, src);
    n = strlen(dst);
    return n;
}
'''
C_AFTER = '''int copy_name(char *dst, size_t cap, const char *src) {
    int n = 0;
    snprintf(dst, cap, "%s", src);
    n = strlen(dst);
    return n;
}
'''


def test_diff_risk_sites_python():
    sites = risk.diff_risk_sites(PY_BEFORE, PY_AFTER, "cwe-078")
    # One hunk replaced the command lines: the site is the start of `if not name...`, after its indentation.
    assert [(s.line, s.method, s.cwe) for s in sites] == [(3, "diff", "cwe-078")]
    assert PY_AFTER[sites[0].char_offset:].startswith("if not name.isalnum()")


def test_diff_risk_sites_c_two_hunks():
    sites = risk.diff_risk_sites(C_BEFORE, C_AFTER)
    assert [s.line for s in sites] == [1, 3]
    assert C_AFTER[sites[1].char_offset:].startswith("snprintf(dst, cap")


def test_oracle_sites_only_inside_the_branch_and_before_to_after_mapping():
    code = "a = 1\nb = 2\n    os.system(x)\n"
    findings = [{"line": 1, "cwe": "cwe-000", "rule_id": "r0"}, {"line": 3, "cwe": "cwe-078", "rule_id": "B605"}]
    sites = risk.oracle_risk_sites(code, findings, min_line=2)
    assert [(s.line, s.cwe) for s in sites] == [(3, "cwe-078")] and code[sites[0].char_offset:].startswith("os.system")
    assert risk.map_before_line_to_after(PY_BEFORE, PY_AFTER, 2) == 2  # unchanged line
    assert risk.map_before_line_to_after(PY_BEFORE, PY_AFTER, 4) == 3  # inside the changed hunk


def test_uncertainty_sites_pick_high_entropy_tokens_in_the_given_lines():
    code = "x = 1\ny = foo(2)\n"
    offsets = [(0, 1), (2, 3), (4, 5), (6, 7), (10, 13), (14, 15)]
    entropies = [5.0, 0.1, 0.2, 0.3, 2.5, 1.0]
    sites = risk.uncertainty_risk_sites(offsets, entropies, code, lines={2}, top_k=1)
    assert [(s.line, code[s.char_offset:s.char_offset + 3]) for s in sites] == [(2, "foo")]


def test_locate_annotated_line_exact_and_fuzzy():
    assert risk.locate_line(PY_AFTER, "  return name") == 6
    assert risk.locate_line(PY_AFTER, 'subprocess.run(["tar", "czf", f"/backups/{name}.tgz", f"/srv/{name}"])') == 5
    assert risk.locate_line(PY_AFTER, "completely different") is None


# ------------------------------------------------------------------------------------------ with a tiny model


@pytest.fixture(scope="module")
def tiny(tiny_llama_dir):
    return models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)


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


class ScriptedSampler:
    """Returns fixed continuations so a test can build exactly the tree it needs."""

    def __init__(self, tokenizer, texts_by_level):
        self.tok, self.texts_by_level, self.level = tokenizer, texts_by_level, 0
        self.requests = []

    def __call__(self, requests, seed):
        self.requests.append(requests)
        texts = self.texts_by_level[self.level]
        self.level += 1
        out = []
        for req in requests:
            conts = [Continuation(self.tok(t, add_special_tokens=False)["input_ids"], [-0.5] * len(self.tok(t, add_special_tokens=False)["input_ids"]), True) for t in texts[:req.k]]
            out.append(BranchResult(req.key, 1.0, conts))
        return out


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
                                "findings": [{"line": lines[0], "cwe": "cwe-078", "rule_id": "B605"}] if lines else []}

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


def test_llm_annotator_speaks_openai_chat_and_maps_lines(monkeypatch):
    import io
    import json as _json
    import urllib.request

    seen = {}

    def fake_urlopen(request, timeout):
        seen["url"], seen["auth"] = request.full_url, request.get_header("Authorization")
        seen["body"] = _json.loads(request.data)
        reply = "[[1]]\n[Code_Line]     subprocess.run([\"tar\", \"czf\", f\"/backups/{name}.tgz\", f\"/srv/{name}\"], check=True)\n" \
                "[CWE_ID] CWE-78\n[Description] A shell string here would allow injection."
        return io.BytesIO(_json.dumps({"choices": [{"message": {"content": reply}}]}).encode())

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    with pytest.raises(RuntimeError, match="TSP_LLM_API_KEY"):
        monkeypatch.delenv("TSP_LLM_API_KEY", raising=False)
        monkeypatch.delenv("OPENAI_API_KEY", raising=False)
        risk.llm_risk_annotations(PY_AFTER, "python")
    notes = risk.llm_risk_annotations(PY_AFTER, "python", base_url="http://llm.local/v1", api_key="k", model="m")
    assert seen["url"] == "http://llm.local/v1/chat/completions" and seen["auth"] == "Bearer k"
    assert seen["body"]["model"] == "m" and "[Code_Line]" in seen["body"]["messages"][0]["content"]
    (site,) = risk.annotation_sites(PY_AFTER, notes)
    assert (site.line, site.cwe, site.method) == (5, "cwe-078", "llm")


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


def test_findings_the_golden_program_has_too_do_not_count_against_a_branch(tiny):
    """Local mode repeats the golden code after each branch's statement. An analyzer's alarm on that shared code
    (here MD5 on a line the fix kept) is the same for every leaf: it is background, not the branch's doing."""
    kept = "    digest = hashlib.md5(name.encode()).hexdigest()\n"
    golden = PY_AFTER.replace("    return name\n", kept + "    return name\n")
    vulnerable = PY_BEFORE.replace("    return name\n", kept + "    return name\n")
    task = T.TreeTask("t-md5", "python", "cwe-078", "Write a backup function.", golden, vulnerable,
                      "import hashlib\nimport os\nimport subprocess\n")
    sampler = ScriptedSampler(tiny.tokenizer, [[' subprocess.run(["tar", "czf", "/b/" + name], check=True)\n',
                                                ' os.system("tar czf /b/" + name)\n']])
    builder = T.TreeBuilder(tiny.model, tiny.tokenizer, k=2, depth=1, mode="local", sampler=sampler,
                            risk_methods=("diff",), labeler=lambda trees: None)
    (tree,) = builder.build([task])
    T.label_trees([tree], progress=False)
    leaves = {n.text.strip(): n.verdict for n in tree.leaves() if n.kind == "sampled"}
    golden_verdict = tree.golden_leaf().verdict
    safe, shell = leaves['subprocess.run(["tar", "czf", "/b/" + name], check=True)'], leaves['os.system("tar czf /b/" + name)']
    for verdict in (golden_verdict, safe):
        assert verdict["label"] == "secure", verdict
        assert {f["rule_id"] for f in verdict["background"]} >= {"B324"} and not verdict["findings"]
    assert shell["label"] == "vulnerable" and any(f["cwe"] == "cwe-078" for f in shell["findings"])
    assert all(f["rule_id"] != "B324" for f in shell["findings"])  # the MD5 line is background here too


@pytest.mark.parametrize("language, code, comments", [
    ("python", 'x = "# not a comment"  # a comment\ny = 1\n', ["# a comment"]),
    ("python", 's = """\n# inside a string\n"""  # real\n', ["# real"]),
    ("c", 'char *s = "// no"; // yes\n/* block\n spans */ int x = 1;\n', ["// yes", "/* block\n spans */"]),
    ("javascript", "const u = `//${host}`; // note\n", ["// note"]),
    ("go", "s := '/' // rune, then a comment\n", ["// rune, then a comment"]),
    ("c", "int x = 1; /* never closed", ["/* never closed"]),
    ("r", "x <- 1 # R", []),
    ("javascript", "const re = /\\/\\/ not a comment[/(]/g; // yes\n", ["// yes"]),  # a regex literal
    ("javascript", "if (ok) return /a(/.test(s); // r\n", ["// r"]),
    ("javascript", "const half = (a + b) / 2; // division\nx = n / 2 // too\n", ["// division", "// too"]),
    ("cpp", 'auto s = R"(// no "quote" )"; // yes\n', ["// yes"]),  # a raw string
    ("cpp", 'auto s = R"xy(a)" /* )xy"; // yes\n', ["// yes"]),
    ("cpp", "long n = 1'000'000; // yes\nchar c = '/'; /* k */\n", ["// yes", "/* k */"]),  # digit separators
])
def test_comment_spans_skip_string_literals(language, code, comments):
    from tsp_utils.code import comment_spans

    assert [code[a:b] for a, b in comment_spans(code, language)] == comments


def test_uncertainty_sites_are_never_inside_comments():
    import re

    from tsp_utils.code import line_of
    from tsp_utils.risk import uncertainty_risk_sites

    code = "int f(int n) {\n    // keep the buffer valid across resizes\n    return n;\n}\n"
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", code)]
    entropies = [3.0 if line_of(code, a) == 2 else 1.0 for a, _ in words]  # the comment's words: most uncertain
    (site,) = uncertainty_risk_sites(words, entropies, code, {2, 3}, language="c")
    assert site.line == 3  # the most uncertain token outside the comment
    assert uncertainty_risk_sites(words, entropies, code, {2, 3})[0].line == 2  # no language: the comment won


@pytest.mark.parametrize("language, text, statement", [
    ("python", "  # quote the name first\n    x = shlex.quote(name)\n    y = 1\n", "  # quote the name first\n    x = shlex.quote(name)\n"),
    (None, "  # quote the name first\n    x = shlex.quote(name)\n", "  # quote the name first\n"),  # no language: any line
    ("c", " /* bounded:\n  * see below */\n    strncpy(a, b, n);\n", " /* bounded:\n  * see below */\n    strncpy(a, b, n);\n"),
    ("c", " // clear it\n    *p = 0;\n    q();\n", " // clear it\n    *p = 0;\n"),  # `*p` is code, not a comment
    ("javascript", ' const u = "//x";\n  go(u);\n', ' const u = "//x";\n'),
    ("python", "  # only a comment so far\n    ", None),
])
def test_a_local_statement_is_its_first_complete_statement(language, text, statement):
    from tsp_utils.code import statement_end

    end = statement_end(text, language)
    assert (text[:end[0]] if end is not None else None) == statement


C_RLE = """size_t rle_decode(const unsigned char *in, size_t n, unsigned char *out, size_t out_cap) {
    size_t ip = 0, op = 0;
    while (ip + 1 < n) {
        size_t count = in[ip++];
        if (count > out_cap - op)
            return (size_t)-1;
        memset(out + op, in[ip++], count);
        op += count;
    }
    return op;
}
"""
JS_THUMB = """function createThumbnail(sourcePath, size, outPath, cb) {
  const args = [sourcePath, '-resize', size + 'x' + size, outPath];
  execFile('convert', args, { timeout: 15000 }, (err, stdout, stderr) => {
    cb(err);
  });
}
"""


@pytest.mark.parametrize("language, code, depth, brackets", [
    ("javascript", "const re = /[(]/; f(a, () => {\n", 2, "({"),
    ("cpp", 'auto s = R"({)"; if (x) {\n', 1, "{"),
    ("python", 'x = f"{a}" + "(" # )\n', 0, ""),
    ("c", "a[i] = (b + '(');\n", 0, ""),
    ("c", "}) {\n", -1, "}){"),  # closers that close nothing come first
    ("c", "f({)\n", 1, "!("),  # ")" closes a "{": no golden shape matches that
    ("c", "    }\n    else {\n", 0, "}{"),
    # a brace that opens data is told from one that opens a block: they need different golden code to close them
    ("javascript", "  new App({\n", 2, "(\u2983"),
    ("javascript", "  return {\n", 1, "\u2983"),
    ("c", "int a[] = /* sizes */ {\n", 1, "\u2983"),
    ("c", "switch (x) {\ncase 1: {\n", 2, "{{"),
    ("c", "switch (x) {\n  case 1:\n  {\n", 2, "{{"),  # the same block, its brace on the next line
    ("javascript", "o = {\n  a: {\n", 2, "\u2983\u2983"),  # an object key is no case label
    ("javascript", "f(a, opts || {\n", 2, "(\u2983"),
    ("java", "f(new int[] {\n", 2, "(\u2983"),
    ("cpp", "auto f = [] {\n", 1, "{"),  # a lambda's body
    ("go", "if ok {\n", 1, "{"),
])
def test_code_lines_count_brackets_outside_literals_and_comments(language, code, depth, brackets):
    from tsp_utils.code import code_lines

    last = code_lines(code, language)[-2 if code.endswith("\n") else -1]
    assert (last.depth, last.brackets) == (depth, brackets)


def test_splice_targets_are_the_hunk_then_shorter_complete_runs():
    from tsp_utils.code import SpliceTarget, splice_targets

    # C: `if (...)` alone is no statement, so the only run is the whole hunk (lines 5-6).
    assert splice_targets(C_RLE, "c", 5, 6) == (SpliceTarget(6, "", True, False),)
    # JS: the hunk ends by opening a callback ("({" left open); its first line alone is a complete statement.
    assert splice_targets(JS_THUMB, "javascript", 2, 3) == (SpliceTarget(3, "({", True), SpliceTarget(2, "", True))
    # Python: the whole hunk, or just the `if ...:` line whose body the golden code goes on with.
    assert splice_targets(PY_AFTER, "python", 3, 5) == (SpliceTarget(5, ""), SpliceTarget(3, "", False, True))
    # A hunk that ends inside a call, or opens a block: the whole golden statement is a run too, so a one-line
    # rewrite of the call, or a statement in place of the loop, can take its place.
    call = 'def f(a):\n    x = g(\n        a,\n        1,\n    )\n    return x\n'
    assert splice_targets(call, "python", 2, 3) == (SpliceTarget(3, "("), SpliceTarget(5, ""))
    assert splice_targets(PY_AFTER, "python", 3, 3) == (SpliceTarget(3, "", False, True), SpliceTarget(4, ""))
    loop = "int f(int n) {\n    while (n > 0) {\n        n--;\n    }\n    return n;\n}\n"
    assert splice_targets(loop, "c", 2, 2) == (SpliceTarget(2, "{", True), SpliceTarget(4, "", True))
    if_else = "int f(int n) {\n    if (n) {\n        n--;\n    }\n    else {\n        n++;\n    }\n    return n;\n}\n"
    assert splice_targets(if_else, "c", 2, 2)[-1] == SpliceTarget(7, "", True)  # the else belongs to the if


@pytest.mark.parametrize("language, golden, lines, text, statement, end_line", [
    # a branch that opens a block the golden lines do not open runs to its closing brace
    ("c", C_RLE, (5, 6), " if (value == 0xFF) {\n            return 0;\n        }\n        op++;\n",
     " if (value == 0xFF) {\n            return 0;\n        }\n", 6),
    ("c", C_RLE, (5, 6), " if (value == 0xFF) {\n           ", None, None),  # still open
    ("c", C_RLE, (5, 6), " if (count > out_cap)\n            return 0;\n        op++;\n",
     " if (count > out_cap)\n            return 0;\n", 6),  # an if without braces takes its statement
    ("c", C_RLE, (5, 6), ' puts("{");\n', ' puts("{");\n', 6),  # a brace inside a literal does not count
    # a complete statement stands in for the part of a hunk before the line that opens a callback ...
    ("javascript", JS_THUMB, (2, 3), " properties = [];\n  x();\n", " properties = [];\n", 2),
    # ... and a branch that opens its own callback stands in for the whole hunk
    ("javascript", JS_THUMB, (2, 3), " exec(`convert ${sourcePath}`, (err) => {\n    cb(err);\n",
     " exec(`convert ${sourcePath}`, (err) => {\n", 3),
    ("python", PY_AFTER, (3, 5), "if not name:\n        junk()\n", "if not name:\n", 3),  # golden body goes on
    ("python", PY_AFTER, (3, 5), "x = shlex.quote(\n        name)\n    y = 1\n", "x = shlex.quote(\n        name)\n", 5),
    # no golden `if` at line 4: a branch's own block runs to the end of its body (else included)
    ("python", PY_AFTER, (4, 5), "if a:\n            b(\n  1)\n        else:\n            c()\n        d()",
     "if a:\n            b(\n  1)\n        else:\n            c()\n", 5),
    ("python", PY_AFTER, (4, 5), "if a:\n        b()\n", None, None),  # the body may go on
    ("python", PY_AFTER, (4, 5), "try:\n        b()\n    exc", None, None),  # "exc" may become "except"
    # an else that belongs to the statement around the branch point ends the branch's own block
    ("python", 'def f(a):\n    if a:\n        b = 1\n    else:\n        b = 2\n    return b\n', (3, 3),
     "for i in a:\n            b += i\n    else:\n        b = 2\n", "for i in a:\n            b += i\n", 3),
    # JavaScript has no ";" to wait for, but a line that ends in an operator or is an if header goes on
    ("javascript", JS_THUMB, (2, 3), ' const cmd = "convert " +\n    sourcePath;\n  x();\n',
     ' const cmd = "convert " +\n    sourcePath;\n', 2),
    ("javascript", JS_THUMB, (2, 3), " if (!size)\n    return cb(null);\n  x();\n", " if (!size)\n    return cb(null);\n", 2),
    ("javascript", JS_THUMB, (2, 3), " i++ / 2 + (j / 3);\n", " i++ / 2 + (j / 3);\n", 2),  # a division, no regex
    # an object literal leaves "(⦃" open, not the callback's "({": the golden callback body would read as its members
    ("javascript", JS_THUMB, (2, 3), " new App({\n    port: 1,\n  });\n  x();\n", " new App({\n    port: 1,\n  });\n", 2),
    # two braces open where the golden lines leave "({" open: the golden "});" would not close them
    ("javascript", JS_THUMB, (2, 3), " const t = bin => {\n    const spec = {\n     ", None, None),
])
def test_a_local_statement_completes_the_shape_of_the_golden_lines_it_replaces(language, golden, lines, text,
                                                                                  statement, end_line):
    from tsp_utils.code import StatementShape, statement_end, splice_targets

    first, last = lines
    indent = golden.splitlines()[first - 1]
    head = indent[:len(indent) - len(indent.lstrip())]
    if text.startswith(" "):  # these branches start after one space of the indentation, as tokenizers split it
        head = head[:-1]
    found = statement_end(text, language, StatementShape(head, splice_targets(golden, language, first, last)))
    assert (text[:found[0]] if found else None, found[1] if found else None) == (statement, end_line)


def test_a_python_block_the_model_ends_itself_is_complete():
    from tsp_utils.code import StatementShape, splice_targets, statement_end

    shape = StatementShape("    ", splice_targets(PY_AFTER, "python", 5, 5))
    text = "if name:\n        os.system(name)\n"
    assert statement_end(text, "python", shape) is None  # the body may go on ...
    assert statement_end(text, "python", shape, final=True) == (len(text), 5)  # ... unless the model stopped


def test_a_token_that_carries_code_past_the_statement_makes_the_branch_incomplete():
    assert T._statement_end([" x = 1;", "\n", "    y"], "c") == (2, 0)  # whitespace past the end: complete
    assert T._statement_end([" x = 1", ";\n}", "\n"], "c") == (2, None)  # "}" past the end: cannot be cut there


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
    assert [n.complete for n in cut] == [False] and T.forest_stats([tree])["unfinished_branches"] == 1
    leaves = [n for n in tree.leaves() if n.kind == "sampled" and n not in cut]
    assert len(leaves) == 2 and all(n.complete for n in leaves)
    for leaf in leaves:
        program = T.extract_code(tree.response_text(leaf.id))[0]
        assert "junk" not in program and ("return (size_t)-1;" in program) == ("{" in leaf.text)
        assert program.count("memset(out + op") == 1 and _parses_as_c(program), program
    assert _parses_as_c(C_RLE)
    counts = T.label_trees([tree], progress=False)
    assert cut[0].verdict["label"] == "unknown" and counts["unknown_unfinished"] == 1
    assert all(n.verdict["label"] != "unknown" for n in leaves)


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
