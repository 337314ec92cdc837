"""The report built from scored samples: its tables, the unseen-CWE lines, and publishing to the README."""

import json

import pytest

from tsp_utils import data, report
from tsp_utils.config import resolve_config
from tsp_utils.evaluation import metrics, stats, tables

from evaluation_rows import scored_row


def test_report_from_handmade_results(tmp_path):
    prompts = [p for p in data.load_eval_prompts() if p.language == "python"][:4]
    base = [scored_row(p.id, "vulnerable", cwe=p.cwe, split=p.split) for p in prompts]
    sft = [scored_row(p.id, "vulnerable" if i < 2 else "secure", cwe=p.cwe, split=p.split) for i, p in enumerate(prompts)]
    tsp = [scored_row(p.id, "secure", cwe=p.cwe, split=p.split) for p in prompts[:3]] + \
          [scored_row(prompts[3].id, "unknown", cwe=prompts[3].cwe, split=prompts[3].split, syntax="error")]
    results = {"base": base, "sft": sft, "tsp-oracle": tsp}
    table = tables.results_table(results, baseline="base", n_boot=200)
    curve = tables.iteration_curve({**results, "tsp-oracle@1": sft}, ["tsp-oracle"], 2)
    # base, iteration 1, iteration 2 (the invalid output is excluded)
    assert [p.estimate for p in curve["tsp-oracle"]] == [0.0, 0.5, 1.0]
    first, last = curve["tsp-oracle"][1:]
    assert curve["tsp-oracle"][0].diff is None and (first.low, first.high) == (0.0, 1.0)
    assert last.diff.estimate == 1.0 and last.n_prompts == 3 and last.p_value == 0.25 and last.noise  # 3 prompts
    assert tables.iteration_curve(results, ["tsp-oracle"], 2)["tsp-oracle"][1] is None  # iteration 1 not evaluated
    transfer = {"c/cpp": {"python": tables.spr_cell(sft, base, "c/cpp", "python")},
                "none (base)": {"python": tables.spr_cell(base, None, "base", "python")}}
    cfg = resolve_config("smoke")
    path = report.write_report(tmp_path, cfg=cfg, prompts=prompts, results=results, table=table, unseen={},
                               per_cwe={m: {r.group[0]: r.rate for r in metrics.vulnerability_rates(rows)} for m, rows in results.items()},
                               transfer=transfer, curve=curve, utility={"base": 0.25},
                               figures={"x": "figures/x.png"}, wall_s=12.0)
    text = path.read_text()
    assert "## Training" not in text  # nothing trained in this run
    assert "75.8" in text and "57.0" in text and "24.5" in text  # the paper's numbers, labelled as such
    assert "not by CodeQL" in text and "inside the noise" in text
    assert "| c/cpp | 50% [0%, 100%] n=4<br>Δ +50% [+0%, +100%] p=0.5 ~ |" in text
    assert ("| tsp-oracle | 0% [0%, 0%] n=4 | 50% [0%, 100%] n=4<br>Δ +50% [+0%, +100%] p=0.5 ~ | "
            "100% [100%, 100%] n=3<br>Δ +100% [+100%, +100%] p=0.25 ~ |") in text
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["transfer"]["c/cpp"]["python"]["estimate"] == 0.5 and saved["iteration_curve"]["tsp-oracle"][1]["diff"] == [0.5, 0.0, 1.0]
    res = report.results_summary(tmp_path)
    assert res["spr@1"] == {"base": 0.0, "sft": 0.5, "tsp-oracle": 1.0}
    assert res["n_prompts"] == 4


def test_publish_puts_the_node_table_first_then_programs_training_and_figures_into_the_readme(tmp_path):
    from tsp_utils import publish

    write_manifests(tmp_path)
    test_the_node_level_table_comes_first_in_the_report_and_in_results(tmp_path)
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "spr_per_method.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "steps").mkdir()
    for name, code in (("00_setup", "abc1234"), ("01_trees", "abc1234")):
        (tmp_path / "steps" / f"{name}.json").write_text(json.dumps({"notebook": name, "wall_s": 60.0, "code": code}))
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{publish.README_START}\nold\n{publish.README_END}\n\ntail\n")
    publish.publish(tmp_path, tmp_path / "docs", readme)
    body = readme.read_text()
    assert "old" not in body and body.endswith("tail\n")
    assert "code `abc1234`;" in body and "00 60 s, 01 60 s" in body  # which code made the numbers
    order = [body.index(h) for h in ("### At held-out risk nodes", "### Whole programs", "### Unseen CWEs",
                                     "### What every method trained on")]
    assert order == sorted(order)
    # the readings are written from results.json: the handmade tsp model prefers the secure side at 9 of 12 nodes
    assert "The base model finds the secure line the more likely at 0.0% of the 12 nodes; tsp 75.0% (Δ +75.0 " \
           "points" in body and "| tsp |" in body and "MDE" in body
    assert "at T=0.2; tsp 12.5% (Δ -37.5 points" in body
    assert "For tsp, the secure share moved +37.5 points (beyond the noise) and the unknown share moved +0.0" in body
    assert "| sft | 1 | 8 | 16 |" in body and "transfer experiment did not run" in body
    assert (tmp_path / "docs" / "published_spr_per_method.png").read_bytes() == b"\x89PNG fake"
    publish.publish(tmp_path, tmp_path / "docs", readme)  # idempotent
    assert readme.read_text() == body
    (tmp_path / "steps" / "01_trees.json").write_text(json.dumps({"notebook": "01_trees", "wall_s": 1.0,
                                                                  "code": "def5678-dirty"}))
    publish.publish(tmp_path, tmp_path / "docs", readme)
    assert "code `abc1234`, `def5678-dirty` (mixed)" in readme.read_text()


def test_unseen_cwe_lines_say_n_a_when_sft_left_nothing_to_reduce():
    nan = float("nan")
    unseen = {"tsp-oracle": stats.Reduction(0.0, 0.0, stats.CI(nan, nan, nan), 3, 1.0),
              "spin": stats.Reduction(0.5, 0.25, stats.CI(0.5, -0.2, 1.0), 4, 0.5)}
    oracle_line, spin_line = report.unseen_lines(unseen)
    assert "n/a (SFT wrote no vulnerable unseen-CWE program)" in oracle_line and "nan" not in oracle_line
    assert "(3 prompts)" in oracle_line
    assert "+50.0% [-20.0%, +100.0%]" in spin_line and "inside the noise" in spin_line
    assert unseen["spin"].to_dict() == {"base_rate": 0.5, "method_rate": 0.25, "reduction": 0.5, "low": -0.2,
                                        "high": 1.0, "p_value": 0.5, "noise": True, "n_prompts": 4}
    assert report.unseen_vs_sft({"base": []}, seed=0) == {}


def test_the_report_says_which_outputs_no_syntax_check_judged():
    import dataclasses

    checked = scored_row("a", "secure", lang="go")
    unchecked = dataclasses.replace(scored_row("b", "secure", lang="javascript"), syntax="unchecked")
    assert report.unchecked_sentence({"base": [checked], "sft": [checked]}) == ""
    text = report.unchecked_sentence({"base": [checked, unchecked], "sft": [unchecked]})
    assert "2 of 3 outputs (javascript 2)" in text and "count as valid" in text


def test_the_transfer_heatmap_and_the_iteration_curve_show_how_many_prompts_stand_behind_a_point():
    import matplotlib

    matplotlib.use("Agg")
    from tsp_utils import plots

    base = [scored_row(f"p{i}", "vulnerable") for i in range(3)]
    tuned = [scored_row(f"p{i}", "secure" if i else "vulnerable") for i in range(3)]
    cell = tables.spr_cell(tuned, base, "tuned", "python")
    fig = plots.plot_heatmap({"tuned": {"python": cell}, "rates": {"python": 0.25}}, "t")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["67%\nn=3", "25%"]  # a plain rate has no count to show
    rate = metrics.RateRow(("cwe-078",), "seen", 3, 3, 3, 1, 1, 0.5, 2)  # 3 prompts, 2 judged
    fig = plots.plot_heatmap({"base": {"cwe-078": rate}}, "t")
    assert [t.get_text() for t in fig.axes[0].texts] == ["50%\nn=2"]  # the judged count the rate rests on
    fig = plots.plot_iteration_curve({"tuned": [tables.spr_cell(base, None), cell, None]})
    (bars,) = [c for c in fig.axes[0].containers]
    low, high = bars.lines[2][0].get_segments()[1][:, 1]  # iteration 1's error bar spans its CI
    assert (low, high) == pytest.approx((cell.low, cell.high))
    assert [t.get_text() for t in fig.axes[0].texts] == ["n=3", "n=3"]
    broken = [scored_row(f"p{i}", "unknown", syntax="error") for i in range(3)]
    assert report._cell(tables.spr_cell(broken, base, "broken")) == "–"  # no valid output: no interval to show


def test_the_node_level_table_comes_first_in_the_report_and_in_results(tmp_path):
    import dataclasses

    from test_nodes import handmade_node_results
    from tsp_utils.evaluation import node_protocol

    results, pairs = handmade_node_results()
    cfg = dataclasses.replace(resolve_config("smoke"), node_samples=4, eval_temperature=0.2, branch_temperature=0.2)
    nodes = node_protocol.node_report(results, pairs, cfg, n_boot=200)
    prompts = [p for p in data.load_eval_prompts() if p.language == "python"][:2]
    scored = {"base": [scored_row(p.id, "vulnerable", cwe=p.cwe, split=p.split) for p in prompts]}
    path = report.write_report(tmp_path, cfg=cfg, prompts=prompts, results=scored,
                               table=tables.results_table(scored, baseline="base", n_boot=50), unseen={}, per_cwe={},
                               transfer=None, curve={}, utility={}, figures={}, wall_s=1.0, nodes=nodes)
    text = path.read_text()
    assert text.index("## Node-level") < text.index("## Main table (whole programs)")
    assert "MDE" in text.split("## Main table")[0] and "| tsp |" in text
    saved = json.loads((tmp_path / "results.json").read_text())
    row = next(r for r in saved["nodes"]["table"] if r["method"] == "tsp" and r["metric"] == "pref-acc")
    assert row["mde"]["kind"] == "binary" and row["n_prompts"] == 12 and saved["nodes"]["samples"] == 4


def write_manifests(root):
    from tsp_utils.layout import RunLayout

    run = RunLayout(root)
    for method, steps, acc in (("sft", 8, (0.25, 0.25)), ("tsp-oracle", 8, (0.25, 0.5))):
        out = run.adapter_dir(method, 1)
        out.mkdir(parents=True)
        (out / "manifest.json").write_text(json.dumps({
            "method": method, "iteration": 1, "wall_s": 30.0, "eval_s": 5.0,
            "hyper_parameters": {"batch_size": 1, "grad_accum": 2, "epochs": 1, "max_seq_len": 384, "max_prompt_len": 128},
            "budget": {"optimizer_steps": steps, "examples": 16, "distinct_examples": 16, "prompt_tokens": 900,
                       "chosen_tokens": 1000, "rejected_tokens": 0 if method == "sft" else 950},
            "steps": [{"step": 0, "eval/node_accuracy": acc[0]}, {"step": 8, "eval/node_accuracy": acc[1]}],
            "final": {}}))
    return run


def test_report_states_every_methods_training_budget(tmp_path):
    from tsp_utils.layout import RunLayout

    run = write_manifests(tmp_path)
    lines = report.training_section(run)
    text = "\n".join(lines)
    assert "| sft | 1 | 8 | 16 | 16 | 900 | 1000 | 0 | 128 | 25.0 |" in text
    assert "- sft: held-out node accuracy did not move: 25% -> 25%" in text
    assert "- tsp-oracle: held-out node accuracy moved: 25% -> 50% (+25 points)" in text
    assert report.training_section(RunLayout(tmp_path / "empty")) == []
