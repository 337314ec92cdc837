"""Reading code without parsing it: comments, string literals and line offsets, per language.

The oracle's attribution, the risk-node finder and the statement rules all need to know which characters are
code; this lexer is shared by them. Language facts (comment syntax) come from :mod:`tsp_utils.languages`.
"""

from __future__ import annotations

import re
from typing import Sequence

from ..languages import LANGUAGES, normalize_language

_LINE_COMMENT = {lang.id: lang.line_comment for lang in LANGUAGES.values()}
_BLOCK_COMMENTS = {lang.id for lang in LANGUAGES.values() if lang.block_comments}
_CPP = {"cpp"}
_C_FAMILY = {"c", "cpp"}
_RAW_STRING_PREFIX = re.compile(r"(?<![A-Za-z0-9_])(?:u8|[uUL])?R$")  # C++11 R"delim(...)delim"
# JavaScript: after these (or at the start, or after one of the keywords), "/" starts a regex, not a division.
_REGEX_MAY_FOLLOW = set("(,=:[!&|?{};+-*%~^")  # not "<" or ">": JSX's "</li>" is a tag, not a regex
_REGEX_KEYWORDS = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw", "yield",
                   "await"}


def _regex_end(code: str, i: int) -> int | None:
    """End of the JavaScript regex literal that may start at ``code[i] == "/"``, or None when that "/" divides."""
    p = i - 1
    while p >= 0 and code[p] in " \t\r\n":
        p -= 1
    if p >= 1 and code[p] in "+-" and code[p - 1] == code[p]:  # i++ / 2
        return None
    if p >= 0 and code[p] not in _REGEX_MAY_FOLLOW:
        word = re.search(r"[A-Za-z_$][\w$]*$", code[:p + 1])
        if not (word and word.group() in _REGEX_KEYWORDS):
            return None
    j, in_class = i + 1, False
    while j < len(code) and code[j] != "\n":
        if code[j] == "\\":
            j += 1
        elif code[j] == "[":
            in_class = True
        elif code[j] == "]":
            in_class = False
        elif code[j] == "/" and not in_class:
            j += 1
            while j < len(code) and code[j].isalpha():  # flags
                j += 1
            return j
        j += 1
    return None  # no closing "/" on the line: a division after all


def _raw_string_end(code: str, i: int) -> int | None:
    """End of the C++ raw string whose quote is ``code[i]`` (``R"delim(...)delim"``), or None if it is none."""
    if not _RAW_STRING_PREFIX.search(code[max(0, i - 3):i]):
        return None
    opening = code.find("(", i + 1)
    delimiter = code[i + 1:opening] if opening >= 0 else ""
    if opening < 0 or len(delimiter) > 16 or any(c in delimiter for c in ' \\)\n\t"'):
        return None
    close = code.find(")" + delimiter + '"', opening + 1)
    return len(code) if close < 0 else close + len(delimiter) + 2


def _digit_separator(code: str, i: int) -> bool:
    """C++14 and C23: the "'" in ``1'000'000`` separates digits; it does not open a character literal."""
    if i == 0 or not code[i - 1].isalnum() or not code[i + 1:i + 2].isalnum():
        return False
    k = i - 1
    while k >= 0 and (code[k].isalnum() or code[k] in "'._"):
        k -= 1
    return code[k + 1].isdigit()


def literal_spans(code: str, language: str | None) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every comment (kind "comment") and string or character literal (kind "string"), in
    order. A literal that the line leaves open ends at its newline (the code is broken there anyway); an
    unterminated comment, triple-quoted string, backquoted literal or C++ raw string runs to the end. JavaScript
    regex literals are literals; C++ digit separators (``1'000``) are not. Unknown languages: none.

    Not read: a JavaScript template nested inside another's ``${...}`` (the inner backquote ends the outer
    template) and Java text blocks (read as an empty string and a string that ends at the line's end)."""
    lang = lang_key(language)
    line_comment = _LINE_COMMENT.get(lang)
    if line_comment is None:
        return []
    block = lang in _BLOCK_COMMENTS
    quotes = "\"'`" if lang in ("go", "javascript") else "\"'"
    spans, i, n = [], 0, len(code)
    while i < n:
        ch = code[i]
        if code.startswith(line_comment, i):
            end = code.find("\n", i)
            end = n if end < 0 else end
            spans.append((i, end, "comment"))
            i = end
        elif block and code.startswith("/*", i):
            end = code.find("*/", i + 2)
            end = n if end < 0 else end + 2
            spans.append((i, end, "comment"))
            i = end
        elif ch == '"' and lang in _CPP and (end := _raw_string_end(code, i)) is not None:
            spans.append((i, end, "string"))
            i = end
        elif ch == "'" and lang in _C_FAMILY and _digit_separator(code, i):
            i += 1
        elif ch == "/" and lang in ("javascript",) and (end := _regex_end(code, i)) is not None:
            spans.append((i, end, "string"))
            i = end
        elif ch in quotes:
            triple = lang == "python" and code.startswith(ch * 3, i)
            close, j = (ch * 3 if triple else ch), i + (3 if triple else 1)
            raw = ch == "`" and lang == "go"  # Go's raw strings have no escapes
            while j < n and not code.startswith(close, j):
                if code[j] == "\\" and not raw:
                    j += 1
                elif code[j] == "\n" and not triple and ch != "`":
                    break  # an unclosed one-line literal: stop at the line's end
                j += 1
            end = min(n, j + len(close)) if j < n and code.startswith(close, j) else min(n, j)
            spans.append((i, end, "string"))
            i = max(end, i + 1)
        else:
            i += 1
    return spans


def comment_spans(code: str, language: str | None) -> list[tuple[int, int]]:
    """(start, end) character spans of the comments in ``code``: ``#`` for Python and Ruby, ``//`` and ``/* */``
    for the C family, Go, JavaScript and Java. String and character literals are skipped (a ``#`` or ``//`` in a
    string, a JavaScript regex or a C++ raw string is not a comment); an unterminated comment runs to the end.
    Unknown languages: none."""
    return [(a, b) for a, b, kind in literal_spans(code, language) if kind == "comment"]



def skip_mask(code: str, language: str | None, spans: Sequence[tuple[int, int, str]] | None = None) -> bytearray:
    """Per character of ``code``: 0 code, 1 inside a comment, 2 inside a string or character literal. ``spans``:
    ``literal_spans(code, language)``, when the caller has them already."""
    skip = bytearray(len(code))
    for a, b, kind in literal_spans(code, language) if spans is None else spans:
        skip[a:b] = (b"\x01" if kind == "comment" else b"\x02") * (b - a)
    return skip


def lang_key(language: str | None) -> str:
    """Our id for ``language`` ("js" -> "javascript"); an unknown name is kept, lower-cased."""
    return normalize_language(language) or (language or "").lower()


def line_starts(code: str) -> list[int]:
    starts, pos = [], 0
    for line in code.splitlines(keepends=True):
        starts.append(pos)
        pos += len(line)
    return starts


def line_of(code: str, offset: int) -> int:
    return code.count("\n", 0, offset) + 1

def in_spans(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)
