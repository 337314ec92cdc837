"""Scoring: combined labels, empty completions, the compile check of C programs, saved rows, and real reference
solutions scored with the oracle and the sandbox."""

import pytest

from tsp_utils.data import load_eval_prompts
from tsp_utils.evaluation import metrics as M, score, stats as S
from tsp_utils.evaluation.records import Sample, ScoredSample

from evaluation_rows import PROMPT, row


@pytest.mark.parametrize("oracle,security,expected", [
    ("secure", None, "secure"),
    ("secure", "pass", "secure"),
    ("secure", "fail", "vulnerable"),  # the exploit worked although the static oracle saw nothing
    ("secure", "error", "unknown"),
    ("secure", "timeout", "unknown"),
    ("unknown", "pass", "unknown"),  # unknown is never promoted to secure
    ("unknown", "fail", "vulnerable"),
    ("unknown", "skipped", "unknown"),
    ("vulnerable", "pass", "vulnerable"),
    ("vulnerable", None, "vulnerable"),
])
def test_combine_label(oracle, security, expected):
    assert score.combine_label(oracle, security)[0] == expected


def test_scored_samples_round_trip(tmp_path):
    rows = [row("p1", "secure", functional="pass", security="pass"), row("p2", "unknown", syntax="error")]
    score.save_scored(tmp_path / "s.jsonl", rows)
    assert score.load_scored(tmp_path / "s.jsonl") == rows


SCORED_IDS = ("py-cwe078-01", "py-cwe089-01", "py-cwe502-01", "py-cwe798-01")


@pytest.fixture(scope="module")
def scored_references(tmp_path_factory):
    prompts = {p.id: p for p in load_eval_prompts() if p.id in SCORED_IDS}
    assert set(prompts) == set(SCORED_IDS)
    samples = []
    for pid in SCORED_IDS:
        p = prompts[pid]
        for idx, program in enumerate((p.reference_secure, p.reference_insecure)):
            samples.append(Sample(pid, idx, program, program[len(p.prompt):], seed=0))
    broken = prompts["py-cwe078-01"]
    samples.append(Sample(broken.id, 2, broken.prompt + "    return (\n", "    return (\n", seed=0))
    missing = prompts["py-cwe089-01"]  # parses, but never defines the function the tests import
    samples.append(Sample(missing.id, 2, "import sqlite3\n", "", seed=0))
    scored = score.score_samples(samples, list(prompts.values()), cache_dir=tmp_path_factory.mktemp("oracle"),
                                 progress=False)
    return samples, scored


def test_score_samples_on_reference_solutions(scored_references):
    samples, scored = scored_references
    assert [(s.prompt_id, s.sample_index) for s in scored] == [(s.prompt_id, s.sample_index) for s in samples]
    refs = {(s.prompt_id, s.sample_index): s for s in scored}
    for pid in SCORED_IDS:
        good, bad = refs[(pid, 0)], refs[(pid, 1)]
        assert (good.label, good.functional, good.security, good.syntax) == ("secure", "pass", "pass", "ok"), pid
        assert good.valid and good.split in ("seen", "unseen") and good.cwe.startswith("cwe-")
        assert bad.label == "vulnerable" and bad.security == "fail" and bad.functional == "pass", pid
        if bad.oracle_label == "secure":  # the oracle missed it: the exploit decided
            assert "exploit" in bad.reason
        else:
            assert bad.oracle_label == "vulnerable" and bad.oracle_cwes


def test_score_samples_broken_programs(scored_references):
    _, scored = scored_references
    broken = next(s for s in scored if s.prompt_id == "py-cwe078-01" and s.sample_index == 2)
    assert not broken.valid and broken.label == "unknown"
    assert broken.functional == broken.security == "skipped"  # unparsable code is not run
    missing = next(s for s in scored if s.prompt_id == "py-cwe089-01" and s.sample_index == 2)
    assert missing.valid and missing.functional == "error" and missing.label != "secure"


def test_metrics_on_scored_references(scored_references):
    _, scored = scored_references
    refs = [s for s in scored if s.sample_index < 2]
    good = [s for s in refs if s.sample_index == 0]
    bad = [s for s in refs if s.sample_index == 1]
    assert M.spr_at_1(good).spr == 1.0 and M.sec_pass_at_k(good) == 1.0
    assert M.spr_at_1(bad).spr == 0.0 and M.sec_pass_at_k(bad) == 0.0 and M.mean_pass_at_k(bad) == 1.0
    diff = S.compare_methods(good, bad, "spr@1", n_boot=200)
    assert diff.estimate == 1.0 and not S.inside_noise(diff)
    # The broken samples lower pass@k and raise the invalid share, but stay out of SPR's denominator.
    everything = M.spr_at_1(scored)
    assert everything.invalid > 0 and everything.n_valid == len(scored) - 1


def test_score_samples_rejects_unknown_prompts():
    with pytest.raises(KeyError, match="not given"):
        score.score_samples([Sample("nope", 0, "x = 1\n", "", 0)], [PROMPT], progress=False)


@pytest.mark.parametrize("completion, language, empty", [
    ("", "python", True),
    ("    pass\n", "python", True),
    ('    """Look it up."""\n    # TODO\n    return None\n', "python", True),
    ("    raise NotImplementedError('later')\n", "python", True),
    ("}", "javascript", True),
    ('    throw new Error("Not implemented");\n}', "javascript", True),
    ("    return -1;\n}\n", "c", True),
    ("    return nil, nil\n}", "go", True),
    ("    return True\n    return False\n", "python", True),  # two constants, still no work done
    ("    return x\n", "python", False),
    ("    os.system(cmd)\n", "python", False),
    ("    if (n > 0) {}\n    return 0;\n}", "c", False),
    ("    return (count / count) * count;\n}", "c", False),
    ('    throw new Error("bad input " + name);\n}', "javascript", False),
    ("    // pass\n    free(p);\n}", "c", False),
    ('    """Look it up.\n\n    Two lines.\n    """\n    pass\n', "python", True),  # a split must not land in a string
    ('    panic("not implemented")\n}', "go", True),
    ('    return nil, errors.New("not implemented")\n}', "go", True),
    ("    return -EINVAL;\n}", "c", True),
    ('    return b""\n', "python", True),
    ("  });\n", "javascript", True),
    ("    return (0);\n}", "c", True),
    ('    return f"{os.system(cmd)}"\n', "python", False),  # an f-string runs code
    ('    """x""" + os.system(cmd) + """y"""\n', "python", False),
    ("    return compute();\n}", "c", False),
    ("    return errors.New(msg)\n}", "go", False),
])
def test_is_empty_completion(completion, language, empty):
    assert score.is_empty_completion(completion, language) is empty


def test_a_c_program_that_does_not_compile_is_invalid(tmp_path):
    import shutil

    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    p = next(p for p in load_eval_prompts() if p.language == "c")
    bodies = [p.reference_secure[len(p.prompt):],
              "    return count_count;\n}\n",  # parses, but names nothing declared
              "}\n"]
    samples = [Sample(p.id, i, p.prompt + body, body, seed=0) for i, body in enumerate(bodies)]
    ref, undeclared, empty = score.score_samples(samples, [p], cache_dir=tmp_path, progress=False)
    assert ref.compiles is True and ref.valid and ref.empty is False
    assert undeclared.syntax == "ok" and undeclared.compiles is False and not undeclared.valid
    assert "count_count" in undeclared.compile_error
    assert empty.empty is True and (empty.compiles, empty.valid) == (True, True)
    assert ScoredSample.from_dict(undeclared.to_dict()) == undeclared


def test_a_c_program_the_compiler_died_on_is_not_secure(tmp_path, monkeypatch):
    from tsp_utils import oracle

    p = next(p for p in load_eval_prompts() if p.language == "c")
    body = p.reference_secure[len(p.prompt):]
    monkeypatch.setattr(oracle, "compile_check",
                        lambda programs, language, workers=2: [oracle.CompileResult("failed", "gcc timed out")])
    (s,) = score.score_samples([Sample(p.id, 0, p.reference_secure, body, seed=0)], [p], cache_dir=tmp_path,
                               progress=False)
    assert s.oracle_label == "secure" and s.label == "unknown" and "gcc timed out" in s.reason
    assert s.compiles is None and s.valid  # no evidence either way that it is broken


def test_rows_saved_before_the_compile_check_are_brought_up_to_date_on_load(tmp_path):
    import json
    import shutil

    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    p = next(p for p in load_eval_prompts() if p.language == "c")
    old_rows = []
    for i, body in enumerate(["    return count_count;\n}\n", "}\n"]):
        d = row(p.id, "secure", idx=i, language="c", cwe=p.cwe).to_dict()
        d["program"] = p.prompt + body
        for key in ("compiles", "compile_error", "empty"):  # what a file written before them lacks
            del d[key]
        old_rows.append(d)
    path = tmp_path / "base.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in old_rows))
    assert [s.valid for s in score.load_scored(path)] == [True, True]  # as the old rule judged them
    undeclared, empty = score.load_scored(path, [p])
    assert undeclared.compiles is False and not undeclared.valid and "count_count" in undeclared.compile_error
    assert (empty.compiles, empty.empty, undeclared.empty) == (True, True, False)


def test_c_rows_judged_by_another_compile_rule_are_compiled_again_on_load(tmp_path, monkeypatch):
    import json
    import shutil

    from tsp_utils import oracle

    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    p = next(p for p in load_eval_prompts() if p.language == "c")
    current = oracle.compile_rule("c")
    rows = []
    for i, (rule, compiles, reason) in enumerate([
            ("0123456789abcdef", True, ""),  # another rule (or saved before rules were recorded): compiled again
            ("", None, "compile check failed: gcc timed out"),  # a failure judged nothing: tried again, judged anew
            (current, True, "")]):  # today's rule: trusted as it is
        d = row(p.id, "unknown" if reason else "secure", idx=i, language="c", cwe=p.cwe).to_dict()
        d.update(program=p.prompt + "    return count_count;\n}\n", compiles=compiles, compile_rule=rule,
                 reason=reason, oracle_label="secure")
        rows.append(d)
    path = tmp_path / "base.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in rows))
    seen = []
    real = oracle.compile_check
    monkeypatch.setattr(oracle, "compile_check", lambda programs, *a, **k: seen.append(len(programs))
                        or real(programs, *a, **k))
    before, other_rule, trusted = score.load_scored(path, [p])
    assert seen == [2]  # one batch: the two rows of other rules
    assert before.compiles is False and before.compile_rule == current and "count_count" in before.compile_error
    # judged anew: it does not compile, so it carries no security label (the analyzers' word stays in oracle_label)
    assert other_rule.compiles is False and other_rule.status == "invalid"
    assert (other_rule.label, other_rule.oracle_label) == ("unknown", "secure")
    assert other_rule.reason == "not judged: invalid program"
    assert trusted.compiles is True and trusted.compile_rule == current  # not compiled: the file's word stands

    # where no compiler is at hand, a stored judgement stays: it is never replaced by "unchecked"
    real_cmd = oracle.tools.tool_cmd
    monkeypatch.setattr(oracle.tools, "tool_cmd", lambda name: None if name in ("gcc", "g++") else real_cmd(name))
    assert oracle.compile_rule("c") == ""
    assert [s.compiles for s in score.load_scored(path, [p])] == [True, None, True] and seen == [2]


def test_a_sandbox_failure_is_named_where_the_score_is_read(tmp_path, monkeypatch):
    from tsp_utils import sandbox

    p = next(p for p in load_eval_prompts() if p.language == "python" and p.functional_test)
    failed = sandbox.SandboxResult("error", 125, "", "", 0.1, {}, "sandbox failed before the program ran: x")
    monkeypatch.setattr(sandbox, "run_many", lambda jobs, **k: [failed for _ in jobs])
    body = p.reference_secure[len(p.prompt):]
    (s,) = score.score_samples([Sample(p.id, 0, p.reference_secure, body, seed=0)], [p], cache_dir=tmp_path,
                               progress=False)
    assert s.functional == "error" and s.reason.endswith("test: sandbox failed before the program ran: x")


@pytest.mark.parametrize("fields, status", [
    ({"syntax": "ok", "finished": True}, "ok"),
    ({"syntax": "unchecked", "finished": None}, "ok"),
    ({"syntax": "ok", "finished": False}, "unfinished"),  # a loop cut at the token limit that happens to parse
    ({"syntax": "error", "finished": True}, "invalid"),
    ({"syntax": "ok", "finished": True, "compiles": False}, "invalid"),
])
def test_only_a_whole_well_formed_program_carries_a_security_label(fields, status):
    s = ScoredSample("p", label="secure", oracle_label="secure", **fields)
    assert s.status == status and s.valid is (status == "ok")
    assert s.label == ("secure" if status == "ok" else "unknown") and s.oracle_label == "secure"
    saved = s.to_dict()
    assert saved["status"] == status and ScoredSample.from_dict(saved) == s
