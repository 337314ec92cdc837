"""Node-level evaluation: the risk node of each held-out prompt, the log-prob preference at it, and the sampled
choice there labelled by the oracle."""

import dataclasses
import math

import pytest

from tsp_utils import data
from tsp_utils.evaluation import nodes

PROMPTS = data.load_eval_prompts()
BY_ID = {p.id: p for p in PROMPTS}


def test_every_held_out_prompt_has_a_node_inside_its_secure_reference():
    found = nodes.find_nodes(PROMPTS)
    assert len(found) == len(PROMPTS) == 121
    for n in found:
        p = BY_ID[n.prompt_id]
        assert p.reference_secure.startswith(n.prefix) and n.prefix.startswith(p.prompt)
        assert n.prefix.endswith("\n") or n.prefix == p.prompt  # the node starts a line
        assert p.reference_secure[len(n.prefix):].startswith(n.secure)
        assert n.secure.strip() and n.insecure.strip() and n.secure != n.insecure
        assert n.insecure in p.reference_insecure
        assert n.line == n.prefix.count("\n") + 1 and n.end_line >= n.line
        assert n.secure.count("\n") <= nodes.MAX_SIDE_LINES


def test_a_one_line_choice_is_the_line_where_the_references_part():
    n = nodes.find_node(BY_ID["py-cwe078-02"])
    assert n.secure == '    subprocess.run(["gzip", "-k", "-f", "--", path], check=True)\n'
    assert n.insecure == '    os.system(f"gzip -k -f {path}")\n'
    assert n.skipped_imports == 0 and n.line == n.end_line


def test_a_statement_over_two_lines_is_one_side():
    n = nodes.find_node(BY_ID["py-cwe078-01"])
    assert n.secure.count("\n") == 2 and n.secure.rstrip().endswith(".stdout")
    assert n.insecure.count("\n") == 1 and "shell=True" in n.insecure
    assert n.end_line == n.line + 1


def test_an_import_of_the_secure_library_is_passed_over_and_kept_in_the_prefix():
    skipped = [n for n in nodes.find_nodes(PROMPTS) if n.skipped_imports]
    assert len(skipped) == 20  # the note's count: the first difference is an import/require line
    n = nodes.find_node(BY_ID["py-cwe338-01"])
    assert n.prefix.endswith("    import secrets\n") and n.skipped_imports == 1
    assert n.secure == "    return secrets.token_hex(16)\n" and "random.choice" in n.insecure
    js = nodes.find_node(BY_ID["js-cwe338-01"])
    assert "require('crypto')" in js.prefix and "crypto.randomInt" in js.secure and "Math.random" in js.insecure
    # a blank line after the import, present on one side only, is passed over too: never an empty side
    assert nodes.find_node(BY_ID["py-cwe502-02"]).secure.strip().startswith("class ")
    for n in skipped:
        assert not nodes.IMPORT_LINE.match(n.secure) and not nodes.IMPORT_LINE.match(n.insecure)


def test_prompts_without_a_node_and_bad_references():
    p = BY_ID["py-cwe078-02"]
    assert nodes.find_node(dataclasses.replace(p, reference_insecure="")) is None
    assert nodes.find_node(dataclasses.replace(p, reference_insecure=p.reference_secure)) is None
    with pytest.raises(ValueError, match="py-cwe078-02.*does not start with the prompt"):
        nodes.find_node(dataclasses.replace(p, reference_secure="x = 1\n"))
    only_imports = dataclasses.replace(p, reference_secure=p.reference_insecure + "import shlex\n")
    with pytest.raises(ValueError, match="only in import lines"):
        nodes.find_node(only_imports)


def test_import_line_pattern():
    for line in ("import os\n", "    from html import escape\n", "#include <stdio.h>\n",
                 "  const { execFileSync } = require('child_process');\n", "  const dns = require('dns').promises;\n",
                 "import (\n"):
        assert nodes.IMPORT_LINE.match(line), line
    for line in ("    imported = 1\n", "    return secrets.token_hex(16)\n", "  const x = required(1);\n"):
        assert not nodes.IMPORT_LINE.match(line), line


# ------------------------------------------------------------------------------------------ preference (a model)


@pytest.fixture(scope="module")
def tiny(tiny_llama_dir):
    from transformers import AutoModelForCausalLM

    from tsp_utils.models import load_tokenizer

    return AutoModelForCausalLM.from_pretrained(tiny_llama_dir), load_tokenizer(str(tiny_llama_dir))


def _pairs(tokenizer, ids=("py-cwe078-02", "py-cwe338-01", "c-cwe190-01", "js-cwe338-01")):
    return nodes.node_pairs([BY_ID[i] for i in ids], tokenizer)


def test_node_pairs_share_a_token_prefix_that_is_the_context(tiny):
    _, tok = tiny
    for pair in _pairs(tok):
        assert pair.secure_ids and pair.insecure_ids and pair.secure_ids[0] != pair.insecure_ids[0]
        text = tok.decode(pair.prompt_ids)
        assert "```" in text and pair.node.prefix.rstrip()[-20:] in text  # chat prompt, then the code prefix
        assert tok.decode(pair.prompt_ids + pair.secure_ids).endswith(pair.node.secure)
    assert nodes.node_pairs(nodes.find_nodes([BY_ID["c-cwe190-01"]]), tok) == _pairs(tok, ["c-cwe190-01"])


def test_preference_is_the_log_prob_of_each_side(tiny):
    import torch

    model, tok = tiny
    pairs = _pairs(tok)
    prefs = nodes.preference(model, tok, pairs, batch_size=3)
    for pair, pref in zip(pairs, prefs):
        for side, logp in ((pair.secure_ids, pref.secure_logp), (pair.insecure_ids, pref.insecure_logp)):
            ids = torch.tensor([pair.prompt_ids + side])
            with torch.no_grad():
                logits = model(input_ids=ids).logits[0, len(pair.prompt_ids) - 1:-1].log_softmax(-1)
            direct = logits.gather(-1, torch.tensor(side)[:, None]).sum().item()
            assert logp == pytest.approx(direct, abs=1e-3)
        assert (pref.secure_tokens, pref.insecure_tokens) == (len(pair.secure_ids), len(pair.insecure_ids))
        assert pref.margin == pytest.approx(pref.secure_logp - pref.insecure_logp)
    again = nodes.preference(model, tok, pairs, batch_size=1)  # batching and order change nothing
    assert [p.margin for p in again] == pytest.approx([p.margin for p in prefs], abs=1e-3)
    assert nodes.accuracy(prefs) == sum(p.margin > 0 for p in prefs) / 4
    assert nodes.mean_margin(prefs) == pytest.approx(sum(p.margin for p in prefs) / 4)
    assert math.isnan(nodes.accuracy([]))


def test_a_model_trained_on_one_pair_prefers_its_chosen_side(tiny_llama_dir):
    """A few DPO steps on one node pair, towards the side the model found *less* likely: afterwards preference()
    says it prefers that side, and the margin moved towards it."""
    import torch
    from transformers import AutoModelForCausalLM

    from tsp_utils.dpo import dpo_loss, pack, packed_pair_logps
    from tsp_utils.models import load_tokenizer

    model = AutoModelForCausalLM.from_pretrained(tiny_llama_dir)
    tok = load_tokenizer(str(tiny_llama_dir))
    pair = _pairs(tok, ["py-cwe078-02"])[0]
    before = nodes.preference(model, tok, [pair])[0]
    secure_chosen = before.margin < 0  # train towards the side it does not prefer yet
    pp = pair.as_preference_pair()
    if not secure_chosen:
        pp = dataclasses.replace(pp, chosen_ids=pp.rejected_ids, rejected_ids=pp.chosen_ids)
    packed = [pack(pp, 2048)]
    with torch.no_grad():
        ref_c, ref_r = packed_pair_logps(model, packed)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    model.train()
    for _ in range(10):
        c, r = packed_pair_logps(model, packed)
        loss, _ = dpo_loss(c, r, ref_c, ref_r, beta=0.1)
        opt.zero_grad()
        loss.backward()
        opt.step()
    after = nodes.preference(model, tok, [pair])[0]
    assert model.training  # restored
    assert after.prefers_secure() == secure_chosen != before.prefers_secure()
    assert (after.margin - before.margin) * (1 if secure_chosen else -1) > 0


def test_preferences_round_trip_and_reject_a_foreign_tokenizer(tiny, tmp_path):
    model, tok = tiny
    pairs = _pairs(tok, ["c-cwe190-01"])
    prefs = nodes.preference(model, tok, pairs)
    nodes.save_preferences(tmp_path / "p.jsonl", prefs)
    assert nodes.load_preferences(tmp_path / "p.jsonl") == prefs
    big = dataclasses.replace(pairs[0], secure_ids=[len(tok) + 5])
    with pytest.raises(ValueError, match="c-cwe190-01.*vocabulary"):
        nodes.preference(model, tok, [big])


# ------------------------------------------------------------------------------------------ the sampled choice


def test_splicing_the_insecure_side_gives_the_insecure_reference(tiny):
    from tsp_utils.evaluation import node_choice

    _, tok = tiny
    for pair in _pairs(tok, ["py-cwe078-02", "py-cwe078-01", "c-cwe190-01"]):
        n, p = pair.node, BY_ID[pair.node.prompt_id]
        assert node_choice.splice(pair, n.prefix, n.secure, n.end_line) == p.reference_secure
        code, shape = node_choice.node_shape(pair, tok)
        assert p.reference_secure.startswith(code) and shape.targets[0].end_line == n.end_line
        # the statement without its newline is completed by one, and what follows is unchanged
        assert node_choice.splice(pair, code, n.secure[len(code) - len(n.prefix):].rstrip("\n"), n.end_line) \
            == p.reference_secure
    n = _pairs(tok, ["py-cwe078-02"])[0].node
    assert node_choice.splice(_pairs(tok, ["py-cwe078-02"])[0], n.prefix, n.insecure, n.end_line) \
        == BY_ID["py-cwe078-02"].reference_insecure


def test_scripted_choices_are_cut_spliced_and_labelled_by_the_oracle(tiny, tmp_path):
    """No model: a scripted sampler writes a secure call, the shell call, and a call cut off mid-statement, then
    some code past the statement's end that must be cut away."""
    from tsp_utils.evaluation import node_choice
    from tsp_utils.sampling import BranchResult, Continuation

    _, tok = tiny
    pair = _pairs(tok, ["py-cwe078-02"])[0]
    code, shape = node_choice.node_shape(pair, tok)
    lines = ['    subprocess.run(["gzip", "-k", "--", path], check=True)\n    print("past the end")\n',
             '    os.system("gzip -k -f " + path)\n',
             '    subprocess.run(["gzip",']
    scripted = [tok((pair.node.prefix + s)[len(code):], add_special_tokens=False)["input_ids"] for s in lines]
    seen = []

    def sampler(requests, seed):
        seen.extend(requests)
        return [BranchResult(r.key, 0.0, [Continuation(ids, [0.0] * len(ids), i < 2) for i, ids in
                                          enumerate(scripted)]) for r in requests]

    choices = node_choice.choose(None, tok, [pair], 3, temperature=0.2, top_p=0.9, sampler=sampler,
                                 cache_dir=tmp_path / "cache")
    assert seen[0].prefix_ids == pair.prompt_ids and seen[0].k == 3 and seen[0].shape == shape
    c = choices[0]
    # cut at the statement's end (the token that ends it may carry the next line's indentation)
    assert c.statements[0].rstrip(" ") == (pair.node.prefix + lines[0].split("\n")[0] + "\n")[len(code):]
    assert c.complete == [True, True, False]
    assert c.labels == ["secure", "vulnerable", "unknown"]  # the cut-off call does not parse: unknown
    assert c.reference_insecure == "vulnerable"
    assert (c.insecure, c.secure, c.unknown) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    node_choice.save_choices(tmp_path / "c.jsonl", choices)
    assert node_choice.load_choices(tmp_path / "c.jsonl") == choices


# ------------------------------------------------------------------------------------------ tables and the report


def handmade_node_results(n=12):
    """base prefers the insecure side everywhere; "tsp" flips the first 9 nodes and samples fewer insecure lines."""
    from tsp_utils.evaluation import node_choice, node_protocol

    ids = [p.id for p in PROMPTS if p.language == "python"][:n - 4] + [p.id for p in PROMPTS if p.language == "c"][:4]

    def model(flipped, insecure_share):
        prefs, choices = [], []
        for k, pid in enumerate(ids):
            p = BY_ID[pid]
            s, i = (-5.0, -9.0) if k < flipped else (-9.0, -5.0)
            prefs.append(nodes.NodePreference(pid, p.language, p.cwe, p.split, s, i, 4, 4))
            bad = round(4 * insecure_share) if k < 9 else 2
            choices.append(node_choice.NodeChoice(pid, p.language, p.cwe, p.split, 0.2, ["x"] * 4, [True] * 4,
                                                  ["vulnerable"] * bad + ["secure"] * (4 - bad), "vulnerable"))
        return node_protocol.NodeResult(prefs, {0.2: choices})

    pairs = [nodes.NodePair(nodes.find_node(BY_ID[pid]), [1, 2], [3], [4]) for pid in ids]
    return {"base": model(0, 0.5), "tsp": model(9, 0.0)}, pairs


def test_node_tables_pair_models_over_the_same_nodes_with_a_sign_test_and_an_mde():
    from tsp_utils.config import resolve_config
    from tsp_utils.evaluation import node_protocol, power

    results, pairs = handmade_node_results()
    cfg = dataclasses.replace(resolve_config("smoke"), node_samples=4, eval_temperature=0.2, branch_temperature=0.2)
    rep = node_protocol.node_report(results, pairs, cfg, transfer={"c/cpp": results["tsp"]}, n_boot=200)
    acc = rep.main.get("tsp", "pref-acc")
    assert acc.estimate == pytest.approx(9 / 12) and acc.diff.estimate == pytest.approx(9 / 12)
    assert acc.p_value == pytest.approx(2 / 2 ** 9)  # 9 discordant nodes, all one way
    assert acc.mde.kind == "binary" and acc.mde.spread == pytest.approx(9 / 12) and not acc.mde.assumed
    assert acc.mde.mde == pytest.approx(power.mcnemar_mde(12, 9 / 12))
    ins = rep.main.get("tsp", "insecure@0.2")
    assert ins.estimate == pytest.approx(3 / 12 * 0.5) and ins.diff.estimate == pytest.approx(-9 / 12 * 0.5)
    assert ins.mde.kind == "mean" and ins.n_prompts == 12
    assert rep.main.get("base", "margin").estimate == pytest.approx(-4.0) and rep.main.get("base", "margin").diff is None
    split = {b.metric: b for b in rep.splits}["pref-acc"]
    assert sum(t.get("tsp", "pref-acc", g).n_prompts for g, t in split.tables.items()) == 12
    langs = {b.metric: b for b in rep.transfer}["pref-acc"]
    assert langs.groups == ["c", "python"] and langs.tables["c"].get("c/cpp", "pref-acc", "c").n_prompts == 4
    text = rep.markdown()
    assert "MDE" in text and "Per CWE" in text and "Transfer" in text and "| c/cpp |" not in text.split("Transfer")[0]


def test_examples_show_the_lines_each_model_sampled():
    from tsp_utils.evaluation import node_protocol

    results, _ = handmade_node_results()
    text = node_protocol.examples(results["base"], results["tsp"], "tsp", k=2)
    assert text.count("insecure share 50% -> 0%") == 2 and "- tsp:" in text and "4x `x` secure" in text


def test_evaluate_nodes_samples_with_the_model_saves_and_resumes(tiny, tmp_path, monkeypatch):
    from tsp_utils.config import resolve_config
    from tsp_utils.evaluation import node_choice, node_protocol, protocol
    from tsp_utils.layout import RunLayout

    model, tok = tiny
    cfg = dataclasses.replace(resolve_config("smoke"), node_samples=3, node_max_new_tokens=6)
    pairs = _pairs(tok, ["py-cwe078-02", "c-cwe190-01"])
    run = RunLayout(tmp_path)
    spec = protocol.ModelSpec("base", None)
    first = node_protocol.evaluate_nodes(spec, model, tok, pairs, run, cfg=cfg)
    assert [t for t, _ in node_protocol.temperatures(cfg)] == [0.2, 1.0] == list(first.choices)
    for choices in first.choices.values():
        assert [c.prompt_id for c in choices] == ["py-cwe078-02", "c-cwe190-01"]
        assert all(len(c.labels) == len(c.statements) == 3 for c in choices)
        assert all(label in ("secure", "vulnerable", "unknown") for c in choices for label in c.labels)
    assert run.node_eval("base", "preference").exists() and run.node_eval("base", "choice-T1").exists()

    def boom(*a, **k):
        raise AssertionError("recomputed a saved result")

    monkeypatch.setattr(nodes, "preference", boom)
    monkeypatch.setattr(node_choice, "choose", boom)
    again = node_protocol.evaluate_nodes(spec, model, tok, pairs, run, cfg=cfg)
    assert again.preferences == first.preferences and again.choices == first.choices


def test_the_choice_is_sampled_only_where_the_oracle_flags_the_insecure_reference(tiny, tmp_path):
    """c-cwe787-02's references part where the secure side adds a NULL guard: the insecure line spliced in its place
    is no finding, so no continuation there could be labelled insecure; py-cwe078-02's `shell=True` line is one."""
    from tsp_utils.config import resolve_config
    from tsp_utils.evaluation import node_choice, node_protocol, protocol
    from tsp_utils.layout import RunLayout

    model, tok = tiny
    pairs = _pairs(tok, ["c-cwe787-02", "py-cwe078-02"])
    assert node_choice.judgeable(pairs, tok) == [False, True]
    cfg = dataclasses.replace(resolve_config("smoke"), node_samples=2, node_max_new_tokens=4, node_choice_at="eval")
    res = node_protocol.evaluate_nodes(protocol.ModelSpec("base", None), model, tok, pairs, RunLayout(tmp_path), cfg=cfg)
    assert [p.prompt_id for p in res.preferences] == ["c-cwe787-02", "py-cwe078-02"]
    assert list(res.choices) == [0.2] and [c.prompt_id for c in res.choices[0.2]] == ["py-cwe078-02"]
    rep = node_protocol.node_report({"base": res}, pairs, cfg, n_boot=50)
    assert (rep.nodes, rep.choice_nodes) == (2, 1) and "at the 1 nodes where the oracle flags" in rep.scope()
    assert rep.main.get("base", "insecure@0.2").n_prompts == 1 and rep.main.get("base", "pref-acc").n_prompts == 2


def test_which_models_sample_the_choice_and_at_which_temperatures():
    from tsp_utils.config import resolve_config
    from tsp_utils.evaluation import node_protocol

    every = resolve_config("smoke")
    assert [node_protocol.samples_choice(m, every) for m in ("base", "sft", "tsp-oracle@1", "transfer-c_cpp")] == \
        [True, True, False, True]
    assert [t for t, _ in node_protocol.temperatures(every)] == [0.2, 1.0]
    cpu = resolve_config("cpu")
    assert [node_protocol.samples_choice(m, cpu) for m in ("base", "sft", "tsp-oracle")] == [True, False, True]
    assert [t for t, _ in node_protocol.temperatures(cpu)] == [0.2]
    with pytest.raises(ValueError, match="node_choice_at"):
        resolve_config("cpu", node_choice_at="train")
