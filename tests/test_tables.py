"""The method x metric table with its CIs, differences and markdown."""

import pytest

from tsp_utils.evaluation import tables as T

from evaluation_rows import row


def test_results_table_and_markdown():
    base = [row(f"p{i}", "secure" if i % 2 else "vulnerable", functional="pass") for i in range(20)]
    base += [row(f"u{i}", "vulnerable", split="unseen", functional="fail") for i in range(10)]
    tsp = [row(f"p{i}", "secure", functional="pass") for i in range(20)]
    tsp += [row(f"u{i}", "secure" if i % 2 else "vulnerable", split="unseen", functional="pass") for i in range(10)]
    table = T.results_table({"base": base, "tsp": tsp}, ["spr@1", "sec-pass@1", "invalid"], baseline="base",
                            n_boot=300)
    r = table.get("tsp", "spr@1")
    assert r.estimate == pytest.approx(25 / 30) and r.low <= r.estimate <= r.high and r.n_prompts == 30
    assert r.diff.estimate == pytest.approx(25 / 30 - 10 / 30) and r.noise is False
    assert table.get("base", "spr@1").diff is None  # the baseline is not compared with itself
    assert table.get("tsp", "invalid").noise is True  # 0 vs 0
    md = table.to_markdown()
    lines = md.splitlines()
    assert lines[0] == "| method | spr@1 | sec-pass@1 | invalid |"
    assert lines[2].startswith("| base |") and lines[3].startswith("| tsp |") and "83.3 [" in lines[3]
    assert "] n=30<br>Δ" in lines[3]  # how many prompts each value rests on
    assert "Δ +50.0" in lines[3] and "inside the noise" in md
    unseen = T.results_table({"base": base, "tsp": tsp}, ["vuln"], split="unseen", n_boot=200)
    assert unseen.get("base", "vuln").estimate == 1.0 and unseen.get("tsp", "vuln").estimate == 0.5
    assert "split=unseen" in unseen.to_markdown(percent=False)
    assert table.to_rows()[0]["method"] == "base"
    with pytest.raises(ValueError, match="unknown metric"):
        T.results_table({"base": base}, ["security"])
