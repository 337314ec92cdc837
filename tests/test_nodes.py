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
