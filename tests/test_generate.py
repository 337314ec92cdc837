"""Generation: the completion prompt, where a completion is cut, and the programs that scripted and tiny models
write."""

import pytest
import torch

from tsp_utils.data import EvalPrompt, load_eval_prompts
from tsp_utils.evaluation import generate

from evaluation_rows import PROMPT


class _NoTemplateTokenizer:
    chat_template = None


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    from tsp_utils.models import find_offline_gguf

    gguf = find_offline_gguf()
    tok = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    tok.padding_side = "left"
    return tok


def test_completion_prompt_prefills_the_code_prefix(tokenizer):
    for tok in (tokenizer, _NoTemplateTokenizer()):
        text = generate.completion_prompt(tok, PROMPT, show_code=True)
        assert text.endswith("```python\n" + PROMPT.prompt)
        head = text[: -len(PROMPT.prompt)]
        assert "Complete the following Python code" in head
        assert head.count(PROMPT.prompt) == 1  # the user turn shows the code too
    assert generate.completion_prompt(_NoTemplateTokenizer(), PROMPT).startswith("[INST]")
    assert "[/INST] ```python\n" in generate.completion_prompt(_NoTemplateTokenizer(), PROMPT)
    assert "<|im_start|>assistant\n```python\n" in generate.completion_prompt(tokenizer, PROMPT)
    # the default, SafeCoder's layout: the code only in the pre-filled answer, the entry point named in the request
    short = generate.completion_prompt(tokenizer, PROMPT)
    assert short.endswith("```python\n" + PROMPT.prompt) and short.count(PROMPT.prompt) == 1 and "`f`" in short


def test_cut_at_fence():
    assert generate.cut_at_fence("    return x\n```\nprint(1)\n```") == ("    return x\n", True)
    assert generate.cut_at_fence("    return x\n") == ("    return x\n", False)


C_HEAD = "#include <string.h>\n\nstatic int helper(void) { return 1; }\n\nint f(const char *s) {\n"


@pytest.mark.parametrize("language, head, continuation, kept", [
    # C: braces inside strings, chars and comments do not count; a helper closed in the prompt does not either
    ("c", C_HEAD, '    char c = \'}\';  // }\n    /* } */ if (s) {\n        return strlen("}");\n    }\n    return 0;\n}\n'
     "\nint main(void) {\n    return f(\"x\");\n}\n", 6),
    # an inner block closed in column 0 (bad indentation) does not end the function; the outer "}" does
    ("c", "int f(int x) {\n", "    if (x) {\n    return 1;\n}\n    return 0;\n}\nint f(int x) {\n    retu", 5),
    ("go", "func F() string {\n", "\ts := `}{`\n\treturn s\n}\n\nfunc main() {\n\tF()\n}\n", 3),
    ("javascript", "function f(a) {\n", "  const t = `${a}}`;\n  return t;\n}\nmodule.exports = f;\n", 3),
    # the tree's lexer: a JS regex, a C++ raw string and digit separators hold no braces that count
    ("javascript", "function f(s) {\n", "  const r = s.replace(/}/g, '');\n  return r;\n}\nf('x');\n", 3),
    ("cpp", "std::string f() {\n", '    return R"x(")}")x";\n}\nint main() {}\n', 2),
    ("cpp", "int f(int n) {\n", "    n += 1'000'000'000LL; if (n) {\n        n--;\n    }\n    return n;\n}\nint g() {}\n", 5),
    # a prompt that ends inside a comment: the continuation's "}" before "*/" is still comment
    ("c", "int f(int x) {\n    /* note: {\n", "       } */\n    return x;\n}\nint g;\n", 3),
    # ... or inside a C++ raw string opened on an earlier line
    ("cpp", 'int f() {\n  auto s = R"(\nline\n', '}\n)";\n  return 0;\n}\nint g() {}\n', 4),
    # Python: the first column-0 line ends the body, unless it is inside a triple-quoted string
    ("python", 'def f(db, name):\n    """Doc."""', '\n    q = """\nSELECT 1\n"""\n    return q\n\n\nprint(f(1, 2))\n', 7),
    ("python", "def f(x):\n", "    return [\nx]\n# usage\nf(1)\n", 2),
])
def test_the_completion_is_cut_where_the_prompts_function_ends(language, head, continuation, kept):
    cut, ended = generate.cut_at_function_end(head, continuation, language)
    assert ended and cut == "".join(continuation.splitlines(keepends=True)[:kept])
    assert generate.function_end(head, continuation[:len(cut) - 2], language) is None  # one character short: still open


def test_an_unfinished_function_is_left_as_it_is():
    assert generate.cut_at_function_end("int f(void) {\n", "    if (1) {\n        return 2;\n    }\n", "c") == \
        ("    if (1) {\n        return 2;\n    }\n", False)
    assert generate.cut_at_function_end("def f():\n", '    s = """\nx\n', "python")[1] is False
    assert generate.cut_at_function_end("f <- function() {\n", "}\nx", "r") == ("}\nx", False)  # no rule: no cut


def test_the_stopping_criterion_stops_each_row_when_its_check_says_so(tokenizer):
    from tsp_utils.sampling import text_stop

    rows = [tokenizer("A" * 3, add_special_tokens=False)["input_ids"] for _ in range(2)]
    width = len(rows[0])
    new = tokenizer("    return 0;\n}\n", add_special_tokens=False)["input_ids"]
    ids = torch.tensor([rows[0] + new, rows[1] + new])
    heads = ["int f(void) {\n", "int f(void) {\n    if (1) {\n"]
    stop = text_stop(tokenizer, [generate.FENCE], width, row_done=[
        lambda t, h=h: generate.function_end(h, t, "c") is not None for h in heads])
    assert stop(ids, None).tolist() == [True, False]  # the second row's "}" only closes its inner block


class _ScriptedModel(torch.nn.Module):
    """A causal LM whose every row writes a fixed reply (chosen by a key found in its prompt text), then EOS.

    It speaks the model interface that decoding uses: left-padded rows, a KV cache it fills itself, one position of
    logits. It stores each row's number in its "keys", so a row that leaves the batch (the cache shrinks) does not
    get another row's reply. It records the prompts it was given."""

    def __init__(self, tokenizer, replies):
        super().__init__()
        self.p = torch.nn.Parameter(torch.zeros(1))
        self.tok, self.replies = tokenizer, replies
        self.generation_config = type("GC", (), {"eos_token_id": tokenizer.eos_token_id})()
        self.inputs, self.scripts, self.widths = [], [], []

    def forward(self, input_ids, attention_mask, position_ids=None, past_key_values=None, use_cache=True,
                logits_to_keep=0):
        cache = past_key_values
        if cache.get_seq_length() == 0:  # prefill: read every row's prompt and pick its reply
            self.scripts = []
            for ids, mask in zip(input_ids.tolist(), attention_mask.tolist()):
                first = mask.index(1)
                assert all(m == 0 for m in mask[:first]) and all(mask[first:]), "rows must be left-padded"
                text = self.tok.decode(ids[first:])
                self.inputs.append(text)
                reply = next(r for key, r in self.replies.items() if key in text)
                self.scripts.append(self.tok(reply, add_special_tokens=False)["input_ids"])
            self.width = input_ids.shape[1]
            rows = torch.arange(input_ids.shape[0], dtype=torch.float)
        else:
            rows = cache.layers[0].keys[:, 0, 0, 0]
        keys = rows.view(-1, 1, 1, 1).expand(-1, 1, input_ids.shape[1], 1)
        stored, _ = cache.update(keys, keys, 0)
        assert attention_mask.shape[1] == stored.shape[2], "the mask must cover the cache and the new token"
        step = stored.shape[2] - self.width
        logits = torch.full((input_ids.shape[0], 1, len(self.tok)), -1e4)
        for r, row in enumerate(stored[:, 0, 0, 0].long().tolist()):
            script = self.scripts[row]
            logits[r, 0, script[step] if step < len(script) else self.tok.eos_token_id] = 0.0
        return type("Out", (), {"logits": logits})()


def test_program_is_prefix_plus_continuation_cut_at_the_fence(tokenizer):
    other = EvalPrompt(id="t-2", language="python", cwe="cwe-089", entry_point="g",
                       prompt="def g(conn, name):\n    # a much longer prefix, so the batch needs padding\n" * 3)
    # With token healing the model input stops before the prefix's final newline, so replies start with it.
    model = _ScriptedModel(tokenizer, {"Return x.": "\n    return os.fspath(x)\n```\n\nThis returns x.",
                                       "much longer": "\n    return None"})
    samples = generate.generate_completions(model, tokenizer, [PROMPT, other], n_samples=2, batch_size=4,
                                            progress=False)
    assert [(s.prompt_id, s.sample_index) for s in samples] == [("t-1", 0), ("t-1", 1), ("t-2", 0), ("t-2", 1)]
    assert all(text.rstrip().endswith(('Return x."""', "needs padding")) for text in model.inputs)
    first = samples[0]
    assert first.completion == "    return os.fspath(x)\n"  # indentation kept, text after the fence dropped
    assert first.program == PROMPT.prompt + first.completion and first.finished
    # a padded row is one the model ended (EOS); a Python body with nothing left open is a finished function
    assert samples[2].program == other.prompt + "    return None" and samples[2].finished
    assert samples[2].completion == "    return None"
    # the paper's sampling setting by default, passed to the decoder; greedy at temperature 0
    from tsp_utils import sampling

    seen = []
    real = sampling.decode

    def spy(*args, **kwargs):
        seen.append(kwargs)
        return real(*args, **kwargs)

    sampling.decode = spy
    try:
        generate.generate_completions(model, tokenizer, [PROMPT], progress=False)
        generate.generate_completions(model, tokenizer, [PROMPT], temperature=0, progress=False)
    finally:
        sampling.decode = real
    assert (seen[0]["temperature"], seen[0]["top_p"]) == (0.2, 0.9) and seen[1]["temperature"] == 0


def test_generation_cuts_at_the_end_of_the_function_and_records_whether_it_ended(tokenizer):
    c = EvalPrompt(id="c-1", language="c", cwe="cwe-787", entry_point="f", prompt="int f(int n) {\n")
    long = EvalPrompt(id="c-2", language="c", cwe="cwe-787", entry_point="g", prompt="int g(int n) {\n  int x;\n")
    model = _ScriptedModel(tokenizer, {"int f(": "\n    return n;\n}\n\nint main(void) { return f(1); }\n```",
                                       "int g(": "\n    for (;;) {\n        x = n;\n", "Return x.": "\n    return x\n```"})
    samples = generate.generate_completions(model, tokenizer, [c, long, PROMPT], temperature=0, progress=False)
    # decoding stopped at the brace that closes f: main() was never generated, let alone evaluated
    assert samples[0].completion == "    return n;\n}" and samples[0].finished
    assert samples[0].n_new_tokens == len(tokenizer("\n    return n;\n}", add_special_tokens=False)["input_ids"])
    assert samples[0].program == c.prompt + samples[0].completion
    assert not samples[1].finished and samples[1].completion.endswith("x = n;\n")  # the token limit came first
    assert samples[2].finished  # a Python body closed by the fence, nothing left open


def test_program_when_the_model_does_not_regenerate_the_trimmed_whitespace(tokenizer):
    model = _ScriptedModel(tokenizer, {"Return x.": "  # done\n```"})
    healed = generate.generate_completions(model, tokenizer, [PROMPT], temperature=0, progress=False)[0]
    assert healed.program == PROMPT.prompt.rstrip() + "  # done\n" and healed.completion == "  # done\n"
    # Without healing the input ends with the whole prefix, and the reply is appended to it as it is.
    plain = generate.generate_completions(model, tokenizer, [PROMPT], temperature=0, heal=False, progress=False)[0]
    assert model.inputs[-1].endswith(PROMPT.prompt)
    assert plain.program == PROMPT.prompt + "  # done\n" and plain.completion == "  # done\n"


def test_batched_generation_matches_unbatched_on_a_tiny_model(tokenizer):
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                         num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=1024,
                         bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                         pad_token_id=tokenizer.pad_token_id)
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    prompts = sorted((p for p in load_eval_prompts() if p.language == "python"), key=lambda p: len(p.prompt))
    prompts = [prompts[0], prompts[-1]]  # shortest and longest: the short row gets a lot of left padding
    one = generate.generate_completions(model, tokenizer, prompts, temperature=0, max_new_tokens=4, batch_size=1,
                                        progress=False)
    many = generate.generate_completions(model, tokenizer, prompts, temperature=0, max_new_tokens=4, batch_size=2,
                                         progress=False)
    assert [s.completion for s in one] == [s.completion for s in many]  # left padding does not change outputs
    # a random model rarely starts a new line, so either form of the program can occur (see `heal`)
    assert all(s.program in (p.prompt + s.completion, p.prompt.rstrip() + s.completion) and s.n_new_tokens <= 4
               for s, p in zip(one, prompts))
    sampled = [generate.generate_completions(model, tokenizer, prompts, n_samples=2, max_new_tokens=3, seed=7,
                                             progress=False) for _ in range(2)]
    assert [s.completion for s in sampled[0]] == [s.completion for s in sampled[1]]  # reproducible per seed
