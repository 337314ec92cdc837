"""Token spans of a growing tree: the text each token adds, the golden response's layout, and where a sampled
branch stops (its statement's end in local mode, the closing fence in paper mode). See docs/trees.md.
"""

from __future__ import annotations

import functools

from ..code import line_starts, statement_end
from .tasks import extract_code, golden_response


def token_texts(tokenizer, ids: list[int], prefix_ids: list[int] | None = None) -> list[str]:
    """The text each token adds, by incremental decoding (so that "".join(...) == decode(ids)).

    Decoding tokens one by one loses SentencePiece's leading spaces; decoding growing prefixes does not. A few
    context tokens before the span keep the first token's leading space right.
    """
    ctx = (prefix_ids or [])[-4:]
    base = tokenizer.decode(ctx)
    out, previous = [], base
    for i in range(len(ids)):
        current = tokenizer.decode(ctx + ids[: i + 1])
        out.append(current[len(previous):] if current.startswith(previous) else current[len(base):][len("".join(out)):])
        previous = current
    return out


@functools.lru_cache(maxsize=64)
def golden_layout(language: str, golden_code: str) -> tuple[str, int, tuple[int, ...]]:
    """The golden response, where its code starts in it, and where each line of the code starts (branch points
    of one tree share them)."""
    response = golden_response(language, golden_code)
    return response, extract_code(response)[1], tuple(line_starts(golden_code))


def statement_tokens(texts: list[str], language: str | None = None, shape=None,
                   final: bool = False) -> tuple[int, int | None]:
    """(number of tokens, golden end line) of the statement that ``texts`` starts (local mode; see
    :func:`code.statement_end`): all tokens and None when it is not complete. The token that crosses the
    statement's end is kept: what it carries past the end is usually whitespace (the next line's indentation,
    which the golden code after it then does not repeat). When it carries code, the branch cannot be cut at its
    statement's end, and counts as not complete."""
    found = statement_end("".join(texts), language, shape, final)
    if found is None:
        return len(texts), None
    end, end_line = found
    total = 0
    for i, t in enumerate(texts):
        total += len(t)
        if total >= end:
            return i + 1, (end_line if not t[len(t) - (total - end):].strip() else None)
    return len(texts), end_line


def closing_fence(texts: list[str]) -> int:
    """Number of tokens before the one that closes the code block (paper mode stops at the function's end)."""
    acc = ""
    for i, t in enumerate(texts):
        acc += t
        if "```" in acc:
            return i
    return len(texts)
