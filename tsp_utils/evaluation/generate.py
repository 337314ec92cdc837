"""Generation: completion-style prompts to programs, each cut where the prompt's function ends.

The model's answer is pre-filled with the opening fence and the code prefix, so it can only continue the given code;
the program is ``prefix + continuation``. Why the prompt looks as it does and where a completion is cut:
docs/evaluation.md ("Generation"). torch and the model helpers are imported inside :func:`generate_completions`
and :func:`completion_prompt` only, so the cutting rules import without torch.
"""

from __future__ import annotations

import functools
import io
import re
import tokenize
from typing import Sequence

import numpy as np

from .. import code
from ..data import EvalPrompt
from ..languages import LANGUAGES, display_name, fence_tag
from ..progress import tqdm
from .records import Sample

__all__ = ["Sample", "FENCE", "completion_prompt", "cut_at_fence", "function_end", "cut_at_function_end",
           "generate_completions"]

FENCE = "```"


def completion_prompt(tokenizer, prompt: EvalPrompt, system: str | None = None, show_code: bool = False) -> str:
    """The formatted model input for a completion-style prompt: a user turn asking for the completion, and an
    assistant turn pre-filled with the opening fence and the code prefix, so the returned text ends with
    ``prompt.prompt``. By default the code is only in the pre-filled answer (SafeCoder's layout for instruction
    models); ``show_code=True`` also shows it in the user turn (docs/evaluation.md says why that is not the
    default)."""
    from ..models import format_prompt  # models imports torch; this module must import without it

    tag = fence_tag(prompt.language) or prompt.language
    name = display_name(prompt.language)
    if show_code:
        text = prompt.prompt if prompt.prompt.endswith("\n") else prompt.prompt + "\n"
        instruction = (f"Complete the following {name} code. Keep the given code as it is and continue it; "
                       f"answer with the complete code in a single {FENCE}{tag} code block.\n\n"
                       f"{FENCE}{tag}\n{text}{FENCE}")
    else:
        instruction = (f"Complete the {name} code that your answer starts with: keep it as it is, continue it "
                       f"where it stops and implement `{prompt.entry_point}` as its comments and docstring "
                       f"describe. Answer with the complete code in a single {FENCE}{tag} code block.")
    head = format_prompt(tokenizer, instruction, system=system)
    # CodeLlama-Instruct answers with a space after [/INST]; keep that so the fence is tokenized as it would be.
    sep = " " if head.rstrip().endswith("[/INST]") and not head.endswith(" ") else ""
    return f"{head}{sep}{FENCE}{tag}\n{prompt.prompt}"


def cut_at_fence(continuation: str) -> tuple[str, bool]:
    """The continuation up to the closing fence (exclusive), and whether a fence was found."""
    end = continuation.find(FENCE)
    if end < 0:
        return continuation, False
    return continuation[:end], True


# --- where the completed function ends: SafeCoder's cut, found with a tokenizer (docs/evaluation.md)


def _has_braces(language: str) -> bool:
    """A function body of ``language`` is a brace block (C, C++, Go, JavaScript, Java)."""
    return language in LANGUAGES and LANGUAGES[language].braces


def _python_is_open(source: str) -> bool:
    """Whether ``source`` ends inside a string or a bracketed expression (so its next line cannot end a block)."""
    try:
        for _ in tokenize.generate_tokens(io.StringIO(source).readline):
            pass
    except tokenize.TokenError:
        return True
    except (IndentationError, SyntaxError):  # broken, but not open: a column-0 line still ends the function
        return False
    return False


def _python_function_end(prefix: str, text: str) -> int | None:
    for m in re.finditer(r"\n(?=\S)", text):
        if not _python_is_open(prefix + text[:m.start() + 1]):
            return m.start() + 1
    return None


@functools.lru_cache(maxsize=256)  # a decoding step checks every row against its prompt
def _prefix_resume(prefix: str, language: str) -> tuple[int, int]:
    """Where to resume lexing for a continuation of ``prefix``, and the brace depth before that point.

    Lexing resumes at the start of the prefix's last line, or of the line where the comment or literal that line
    is inside begins, not at its end: the lexer then sees what the continuation follows (an open string, the "R"
    of a raw string, a "(" before a JS regex)."""
    spans = code.literal_spans(prefix, language)
    anchor, moved = prefix.rfind("\n") + 1, True
    while moved:  # back to a line start outside every span (a raw string's "R" sits before its span)
        moved = False
        for start, end, _ in spans:
            if start < anchor <= end:
                anchor, moved = prefix.rfind("\n", 0, start) + 1, True
    skip = code.skip_mask(prefix, language, spans)
    kept = "".join(c for c, s in zip(prefix[:anchor], skip) if not s)
    return anchor, kept.count("{") - kept.count("}")


def function_end(prefix: str, continuation: str, language: str) -> int | None:
    """Index in ``continuation`` just past the end of the function that ``prefix`` opened (its closing "}" and that
    line's newline; in Python, the newline before the first column-0 line), or None while it is still open or for
    a language without a rule. Braces in comments and literals do not count: the tree's lexer
    (:func:`tsp_utils.code.literal_spans`) tells them apart, JS regexes and C++ raw strings included."""
    if language == "python":
        return _python_function_end(prefix, continuation)
    if not _has_braces(language):
        return None
    anchor, depth = _prefix_resume(prefix, language)
    text = prefix[anchor:] + continuation
    skip, offset = code.skip_mask(text, language), len(prefix) - anchor
    for i, c in enumerate(text):
        if skip[i] or c not in "{}":
            continue
        depth += 1 if c == "{" else -1
        if depth == 0 and c == "}" and i >= offset:  # the prompt may close helpers before the function it leaves open
            end = i + 1 - offset
            return end + 1 if continuation[end:end + 1] == "\n" else end
    return None


def _stopped_complete(prefix: str, continuation: str, language: str, stopped: bool) -> bool:
    """A completion that the model stopped itself (fence or EOS) without a cut: is its function complete? A Python
    body has no closing token, so it is complete when nothing is left open; a brace language's function would have
    been cut at its "}"; for other languages the model's own stop is all we know."""
    if not stopped or _has_braces(language):
        return False
    return language != "python" or not _python_is_open(prefix + continuation)


def cut_at_function_end(prefix: str, continuation: str, language: str) -> tuple[str, bool]:
    """The continuation up to the end of the prompt's function, and whether it ended there."""
    end = function_end(prefix, continuation, language)
    return (continuation, False) if end is None else (continuation[:end], True)


def _decode_continuation(tokenizer, prompt_ids: Sequence[int], new_ids: Sequence[int]) -> str:
    """Decode generated tokens as a continuation of the prompt.

    Decoding the new tokens alone loses the leading space of the first one with SentencePiece tokenizers
    (CodeLlama), which would shift Python indentation by one. Decoding a short tail of the prompt together with
    them and removing the tail's own text keeps every character.
    """
    if not new_ids:
        return ""
    tail = list(prompt_ids[-8:])
    both = tokenizer.decode(tail + list(new_ids), skip_special_tokens=True)
    head = tokenizer.decode(tail, skip_special_tokens=True)
    if both.startswith(head):
        return both[len(head):]
    return tokenizer.decode(list(new_ids), skip_special_tokens=True)


def _cut_tail(text: str, n: int) -> str:
    return text[:len(text) - n] if n else text


def _batch_seed(seed: int, batch_no: int) -> int:
    # Independent streams per (seed, batch): seed=0/batch 1 must not equal seed=1/batch 0.
    return int(np.random.SeedSequence([seed, batch_no]).generate_state(1)[0])


def generate_completions(
    model,
    tokenizer,
    prompts: Sequence[EvalPrompt],
    n_samples: int = 1,
    temperature: float = 0.2,
    top_p: float = 0.9,
    max_new_tokens: int = 384,
    seed: int = 0,
    batch_size: int = 8,
    *,
    system: str | None = None,
    show_code: bool = False,
    heal: bool = True,
    progress: bool = True,
) -> list[Sample]:
    """``n_samples`` completions per prompt, decoded in left-padded batches (:func:`tsp_utils.sampling.decode`:
    a row leaves the batch when its function ends).

    Rows are sorted by prompt length before batching (less padding); results come back grouped by prompt, in
    prompt order, then by sample index. ``temperature <= 0`` decodes greedily. Outputs are reproducible for a
    given (seed, batch_size, prompt list) on the same hardware.

    ``heal`` (token healing) leaves the prefix's trailing whitespace out of the model input for the model to
    regenerate (docs/evaluation.md says why). The program is ``prompt.prompt + completion`` whenever the model
    regenerates that whitespace; if it does not, ``prompt.prompt.rstrip() + completion``.

    The completion is cut where the prompt's function ends (:func:`function_end`) and a row stops decoding there.
    ``Sample.finished`` says whether the function did end: a completion that ran into ``max_new_tokens``
    mid-function is kept as it is, and will normally not parse.
    """
    import torch  # here, not above: the cutting rules of this module import without torch

    from ..models import encode_prompt
    from ..sampling import decode, end_token_ids, left_pad, stop_rule

    if n_samples < 1 or batch_size < 1:
        raise ValueError("n_samples and batch_size must be >= 1")
    device = next(model.parameters()).device
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    # Padding ends a row too (where the tokenizer has a pad token of its own, a model never means to write it).
    stop_ids = end_token_ids(model, tokenizer) | ({tokenizer.pad_token_id} - {None})
    trims = [len(p.prompt) - len(p.prompt.rstrip()) if heal else 0 for p in prompts]
    heads = [_cut_tail(p.prompt, n) for p, n in zip(prompts, trims)]  # what the model continues
    texts = [completion_prompt(tokenizer, p, system=system, show_code=show_code) for p in prompts]
    encoded = [encode_prompt(tokenizer, _cut_tail(text, n)) for text, n in zip(texts, trims)]
    jobs = [(i, s) for s in range(n_samples) for i in range(len(prompts))]
    order = sorted(range(len(jobs)), key=lambda j: len(encoded[jobs[j][0]]))
    batches = [order[k:k + batch_size] for k in range(0, len(order), batch_size)]

    def function_done(i):
        return lambda new_text: function_end(heads[i], cut_at_fence(new_text)[0], prompts[i].language) is not None

    was_training = getattr(model, "training", False)
    model.eval()
    out: dict[tuple[int, int], Sample] = {}
    try:
        for b, batch in enumerate(tqdm(batches, desc="generate", disable=not progress)):
            rows = [encoded[jobs[j][0]] for j in batch]
            ids, mask = left_pad(rows, pad_id, device)  # every row's next token is in the last column
            batch_seed = _batch_seed(seed, b)
            torch.manual_seed(batch_seed)
            rule = stop_rule(tokenizer, [FENCE], row_done=[function_done(jobs[j][0]) for j in batch])
            decoded = decode(model, ids, mask, max_new_tokens=max_new_tokens,
                             temperature=temperature, top_p=top_p, end_ids=stop_ids, stop=rule)
            for r, j in enumerate(batch):
                i, s = jobs[j]
                tokens, eos = decoded[r].token_ids, decoded[r].end_token
                p = prompts[i]
                raw, fenced = cut_at_fence(_decode_continuation(tokenizer, rows[r], tokens))
                raw, ended = cut_at_function_end(heads[i], raw, p.language)
                finished = ended or _stopped_complete(heads[i], raw, p.language, fenced or eos)
                program = heads[i] + raw
                prefix = p.prompt if program.startswith(p.prompt) else p.prompt.rstrip()
                out[(i, s)] = Sample(p.id, s, program, program[len(prefix):], batch_seed, finished, len(tokens))
    finally:
        if was_training:
            model.train()
    return [out[(i, s)] for i in range(len(prompts)) for s in range(n_samples)]
