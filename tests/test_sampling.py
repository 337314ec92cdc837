"""The decoding loop: ``generate``'s tokens under greedy decoding, rows that leave the batch without disturbing the
others, and the right distribution under temperature and top-p."""

import math
from collections import Counter

import pytest
import torch

from tsp_utils import models
from tsp_utils.sampling import decode, end_token_ids, left_pad, stop_rule


@pytest.fixture(scope="module")
def tiny(tiny_llama_dir):
    return models.load_model(str(tiny_llama_dir), "none", device="cpu", verbose=False)


def _rows(tok):
    texts = ["def f(x):\n    return", "int main(void) {\n    char buf[16];\n    gets(", "x ="]
    return left_pad([tok(t, add_special_tokens=False)["input_ids"] for t in texts], tok.pad_token_id, "cpu")


def _generated(tiny, ids, mask, n, **sampling):
    out = tiny.model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=n, min_new_tokens=n,
                              pad_token_id=tiny.tokenizer.pad_token_id, **sampling)
    return out[:, ids.shape[1]:].tolist()


def test_greedy_decoding_gives_generates_tokens_for_left_padded_rows(tiny):
    ids, mask = _rows(tiny.tokenizer)
    greedy = {"do_sample": False, "temperature": None, "top_p": None, "top_k": None}
    expected = _generated(tiny, ids, mask, 10, **greedy)
    got = decode(tiny.model, ids, mask, max_new_tokens=10, temperature=0, top_p=1.0,
                 end_ids=end_token_ids(tiny.model, tiny.tokenizer), min_new_tokens=10)
    assert [d.token_ids for d in got] == expected
    assert not any(d.finished for d in got)


def test_sampled_decoding_gives_generates_tokens_under_the_same_seed(tiny):
    ids, mask = _rows(tiny.tokenizer)
    torch.manual_seed(5)
    expected = _generated(tiny, ids, mask, 10, do_sample=True, temperature=0.7, top_p=0.9, top_k=None)
    torch.manual_seed(5)  # generate ran with min_new_tokens = 10: the end tokens blocked at every step, here too
    got = decode(tiny.model, ids, mask, max_new_tokens=10, temperature=0.7, top_p=0.9,
                 end_ids=end_token_ids(tiny.model, tiny.tokenizer), min_new_tokens=10)
    assert [d.token_ids for d in got] == expected
    assert len({tuple(row) for row in expected}) == 3


def test_a_row_that_stops_leaves_the_others_as_they_were(tiny):
    """Greedy: after row 0 leaves the batch (its cache rows dropped), rows 1 and 2 still decode generate's tokens.
    Sampled: the other rows draw the same tokens whether row 0 leaves early or not."""
    ids, mask = _rows(tiny.tokenizer)
    stop_row_0 = lambda row, new: row == 0 and len(new) == 2  # noqa: E731
    free = decode(tiny.model, ids, mask, max_new_tokens=10, temperature=0, top_p=1.0, end_ids=set())
    cut = decode(tiny.model, ids, mask, max_new_tokens=10, temperature=0, top_p=1.0, end_ids=set(), stop=stop_row_0)
    assert cut[0].token_ids == free[0].token_ids[:2] and cut[0].stopped and not cut[0].end_token
    assert [d.token_ids for d in cut[1:]] == [d.token_ids for d in free[1:]]
    sampled = []
    for stop in (None, stop_row_0):
        torch.manual_seed(11)
        sampled.append(decode(tiny.model, ids, mask, max_new_tokens=10, temperature=1.0, top_p=1.0, end_ids=set(),
                              stop=stop))
    assert sampled[1][0].token_ids == sampled[0][0].token_ids[:2]
    assert [d.token_ids for d in sampled[1][1:]] == [d.token_ids for d in sampled[0][1:]]
    assert len({tuple(d.token_ids) for d in sampled[0]}) == 3


def test_an_end_token_ends_its_row_and_is_not_kept(tiny):
    ids, mask = _rows(tiny.tokenizer)
    free = decode(tiny.model, ids, mask, max_new_tokens=6, temperature=0, top_p=1.0, end_ids=set())
    end = free[1].token_ids[3]  # make row 1's fourth greedy token an end token
    got = decode(tiny.model, ids, mask, max_new_tokens=6, temperature=0, top_p=1.0, end_ids={end}, scores=True)
    assert got[1].end_token and got[1].token_ids == free[1].token_ids[:3]
    assert len(got[1].logprobs) == 4  # the end token was sampled too, and scored
    # min_new_tokens keeps end tokens out of the first steps, as generate's min_new_tokens does
    held = decode(tiny.model, ids, mask, max_new_tokens=6, temperature=0, top_p=1.0, end_ids={end}, min_new_tokens=6)
    assert all(len(d.token_ids) == 6 and end not in d.token_ids for d in held)


def test_stop_rule_reads_each_rows_new_text(tokenizer):
    enc = lambda text: tokenizer(text, add_special_tokens=False)["input_ids"]  # noqa: E731
    fence = stop_rule(tokenizer, ["```"])
    assert fence(0, enc("x = 1\n```")) and not fence(0, enc("x = 1\n")) and not fence(0, [])
    line = stop_rule(tokenizer, line_end=True)
    assert not line(0, enc("\n    ")) and line(0, enc("\n    x = 1\n"))
    # with a language per row, a comment line is not yet the statement
    code_line = stop_rule(tokenizer, line_end=True, languages=["python", None])
    assert not code_line(0, enc("\n    # shell-quote it\n")) and code_line(1, enc("\n    # shell-quote it\n"))
    assert code_line(0, enc("\n    # shell-quote it\n    x = quote(name)\n"))
    # with a statement shape per row: a block opened where the golden lines open none goes on to its close;
    # where the golden line opens one too, the branch ends with its first line
    from tsp_utils.code import SpliceTarget, StatementShape

    shaped = stop_rule(tokenizer, line_end=True, languages=["c", "c"],
                       shapes=[StatementShape("    ", (SpliceTarget(3, "", True),)),
                               StatementShape("    ", (SpliceTarget(2, "{", True),))])
    assert not shaped(0, enc(" if (n > cap) {\n")) and shaped(1, enc(" if (n > cap) {\n"))
    assert shaped(0, enc(" if (n > cap) {\n        return -1;\n    }\n"))
    per_row = stop_rule(tokenizer, row_done=[lambda t: "}" in t, lambda t: False])
    assert per_row(0, enc("  return 0;\n}")) and not per_row(1, enc("  return 0;\n}"))


@pytest.fixture(scope="module")
def tokenizer(tiny):
    return tiny.tokenizer


class _FixedNext(torch.nn.Module):
    """Every row's next-token distribution is ``probs`` (the rest of the vocabulary impossible)."""

    def __init__(self, probs, vocab=16, fill_cache=True):
        super().__init__()
        self.fill_cache = fill_cache
        self.p = torch.nn.Parameter(torch.zeros(1))
        self.logits = torch.full((vocab,), -float("inf"))
        self.logits[: len(probs)] = torch.log(torch.tensor(probs))

    def forward(self, input_ids, attention_mask, position_ids=None, past_key_values=None, use_cache=True):
        kv = torch.zeros((input_ids.shape[0], 1, input_ids.shape[1], 1))
        if self.fill_cache:  # a real model in eval mode fills its cache; decode checks that it did
            past_key_values.update(kv, kv, 0)
        return type("Out", (), {"logits": self.logits.expand(input_ids.shape[0], 1, -1).clone()})()


@pytest.mark.parametrize("temperature, top_p, expected", [
    (1.0, 1.0, [0.5, 0.3, 0.2]),
    (1.0, 0.6, [0.5 / 0.8, 0.3 / 0.8, 0.0]),  # top-p keeps the smallest set reaching 0.6: the first two
    (0.5, 1.0, [p * p / 0.38 for p in (0.5, 0.3, 0.2)]),  # temperature 0.5 squares the probabilities
])
def test_sampling_follows_temperature_and_top_p(temperature, top_p, expected):
    model, n = _FixedNext([0.5, 0.3, 0.2]), 6000
    ids, mask = torch.zeros((n, 1), dtype=torch.long), torch.ones((n, 1), dtype=torch.long)
    torch.manual_seed(0)
    got = decode(model, ids, mask, max_new_tokens=1, temperature=temperature, top_p=top_p, end_ids=set(),
                 scores=True)
    counts = Counter(d.token_ids[0] for d in got)
    for token, p in enumerate(expected):
        assert counts[token] / n == pytest.approx(p, abs=4 * math.sqrt(p * (1 - p) / n) + 1e-9)
    # the recorded log-probabilities are the untempered policy's
    assert got[0].logprobs[0] == pytest.approx(math.log([0.5, 0.3, 0.2][got[0].token_ids[0]]), abs=1e-6)
    assert got[0].entropies[0] == pytest.approx(-sum(p * math.log(p) for p in (0.5, 0.3, 0.2)), abs=1e-6)


def test_a_model_that_keeps_no_cache_is_an_error_not_garbage():
    ids, mask = torch.zeros((2, 3), dtype=torch.long), torch.ones((2, 3), dtype=torch.long)
    with pytest.raises(RuntimeError, match="model.eval"):
        decode(_FixedNext([1.0], fill_cache=False), ids, mask, max_new_tokens=2, temperature=0, top_p=1.0,
               end_ids=set())


def test_end_token_ids_come_from_the_model_and_the_tokenizer(tiny):
    assert tiny.tokenizer.eos_token_id in end_token_ids(tiny.model, tiny.tokenizer)
