"""Code as lines and brackets: what is open at the end of each line, and where brackets fail to match."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexer import _C_FAMILY, lang_key, line_of, skip_mask

@dataclass(frozen=True)
class CodeLine:
    """One line of a piece of code, as the statement rules see it."""

    start: int  # offset of the line's first character
    end: int  # offset of its newline (or of the end of the text)
    closed: bool  # a newline ends it
    depth: int  # net count of ( [ { minus ) ] } from the start of the text to the end of this line
    brackets: str  # what is open there: closers that closed nothing, then the openers not yet closed ("", "({",
    # "(⦃" when the brace opens an object literal: see code_lines)
    code: str  # the line without its comments (literals kept), stripped
    indent: int  # leading spaces and tabs
    in_literal: bool  # the newline is inside a string or block comment that goes on


_OPENER_OF = {")": "(", "]": "[", "}": "{"}


DATA_BRACE = "\u2983"  # "⦃": how CodeLine.brackets writes a brace that opens data, not a block


_BEFORE_DATA_BRACE = re.compile(r"(?:[(\[,=:?|&]|\b(?:return|yield|throw)|\bnew\s+[\w.<>]+(?:\s*\[\s*\])+)\s*$")
_CASE_LABEL = re.compile(r"\s*(?:case\b.*|default\s*):\s*$")  # "case 1: {" opens a block
_STATEMENT_START = re.compile(r"[;{}\n]")


def _opens_data(code_before: str) -> bool:
    """Whether a ``{`` written after ``code_before`` (comments removed) opens an object literal or initializer
    (``f({``, ``x = {``, ``[{``, ``a || {``, ``return {``, Java's ``new int[] {``) rather than a block (``) {``,
    ``=> {``, ``else {``, ``case 1: {``). Not told apart: a brace after a name (Go's ``Config{``, C++'s ``v{``)
    or a cast (C's ``(struct s){``) counts as a block; reading those right needs types."""
    if not _BEFORE_DATA_BRACE.search(code_before):
        return False
    if code_before.rstrip().endswith(":"):  # a case label, or an object key
        head = _STATEMENT_START.split(code_before.rstrip())[-1]
        return not _CASE_LABEL.fullmatch(head)
    return True


def code_lines(code: str, language: str | None) -> list[CodeLine]:
    """Split ``code`` into :class:`CodeLine` records; brackets inside literals and comments do not count. Outside
    Python, a brace that opens data is written :data:`DATA_BRACE` in :attr:`CodeLine.brackets`: a callback's
    body (``f(a, () => {``: "({") and an object literal (``new App({``: "(⦃") leave different shapes open."""
    skip = skip_mask(code, language)
    braces_differ = lang_key(language) != "python"
    lines, depth, pos = [], 0, 0
    unmatched, stack, shown, broken = "", [], [], ""
    recent = ""  # the last code characters, comments removed: what a "{" follows
    while pos <= len(code):
        newline = code.find("\n", pos)
        end = len(code) if newline < 0 else newline
        kept = []
        for i in range(pos, end):
            if skip[i] == 1:
                continue
            kept.append(code[i])
            ch = code[i]
            if skip[i] or ch not in "()[]{}":
                continue
            if ch in "([{":
                depth += 1
                stack.append(ch)
                data = ch == "{" and braces_differ and _opens_data(recent + "".join(kept[:-1]))
                shown.append(DATA_BRACE if data else ch)
            else:
                depth -= 1
                if not stack:
                    unmatched += ch
                else:
                    shown.pop()
                    if stack.pop() != _OPENER_OF[ch]:
                        broken = "!"  # closed by the wrong kind: matches no golden shape
        text = code[pos:end]
        recent = (recent + "".join(kept) + "\n")[-64:]
        lines.append(CodeLine(pos, end, newline >= 0, depth, broken + unmatched + "".join(shown),
                              "".join(kept).strip(), len(text) - len(text.lstrip(" \t")),
                              newline >= 0 and bool(skip[newline])))
        if newline < 0:
            break
        pos = newline + 1
    return lines


_CONDITIONAL_DIRECTIVE = re.compile(r"^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else)\b", re.M)


def bracket_mismatch(code: str, language: str | None) -> tuple[int, str] | None:
    """The first bracket that is closed by the wrong kind, closes nothing, or is never closed: (1-based line,
    message), or None when all of ``( [ {`` match (outside literals, comments and, in C and C++, preprocessor
    lines). C and C++ code with ``#if``/``#else`` is not checked: each branch may open its own brace."""
    lang = lang_key(language)
    c_family = lang in _C_FAMILY
    if c_family and _CONDITIONAL_DIRECTIVE.search(code):
        return None
    skip = skip_mask(code, lang)
    if c_family:  # a directive and the lines its trailing backslashes continue
        for m in re.finditer(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", code, re.M):
            skip[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(code):
        if skip[i]:
            continue
        if ch in "([{":
            stack.append((ch, i))
        elif ch in _OPENER_OF:
            if not stack:
                return line_of(code, i), f"'{ch}' closes nothing"
            opener, at = stack.pop()
            if opener != _OPENER_OF[ch]:
                return line_of(code, i), f"'{ch}' closes the '{opener}' of line {line_of(code, at)}"
    if stack:
        opener, at = stack[-1]
        return line_of(code, at), f"'{opener}' is never closed"
    return None
