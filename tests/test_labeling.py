"""Labeling trees with the oracle (tsp_utils.labeling): branch attribution and background findings."""

from tsp_utils import labeling
from tsp_utils import tree as T
from tree_helpers import ScriptedSampler, tiny  # noqa: F401 -- tiny is a fixture
from tree_samples import PY_AFTER, PY_BEFORE


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
    labeling.label_trees([tree], progress=False)
    leaves = {n.text.strip(): n.verdict for n in tree.leaves() if n.kind == "sampled"}
    golden_verdict = tree.golden_leaf().verdict
    safe, shell = leaves['subprocess.run(["tar", "czf", "/b/" + name], check=True)'], leaves['os.system("tar czf /b/" + name)']
    for verdict in (golden_verdict, safe):
        assert verdict.label == "secure", verdict
        assert {f.rule_id for f in verdict.background} >= {"B324"} and not verdict.findings
    assert shell.label == "vulnerable" and any(f.cwe == "cwe-078" for f in shell.findings)
    assert all(f.rule_id != "B324" for f in shell.findings)  # the MD5 line is background here too


def test_label_counts_read_as_a_table_per_language():
    counts = labeling.LabelCounts({"secure": 3, "vulnerable": 1}, {"c": {"secure": 1, "vulnerable": 1},
                                                                  "python": {"secure": 2}}, 0, 1, 2)
    table = labeling.label_table(counts)
    assert "| c | 1 | 1 | 0 |" in table and "| python | 2 | 0 | 0 |" in table and "| all | 3 | 1 | 0 |" in table
    assert counts.to_dict()["by_language"]["python"] == {"secure": 2}
