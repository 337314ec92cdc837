"""Statements: where one ends, and which golden lines a branch's statement replaces."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..languages import LANGUAGES
from .lexer import lang_key
from .lines import CodeLine, code_lines

_SEMICOLON_LANGUAGES = {lang.id for lang in LANGUAGES.values() if lang.statement_ends_in_semicolon}

@dataclass(frozen=True)
class SpliceTarget:
    """A run of golden lines that a local-mode branch can stand in for, and the shape the branch needs to take its
    place: the golden code after the run must still parse after the branch."""

    end_line: int  # last golden line of the run (0: not tied to golden lines)
    brackets: str  # what the run leaves open (:attr:`CodeLine.brackets`: a line opening a callback,
    # ``f(a, () => {``, leaves "({"); a branch must leave the same open for the golden code after it to close
    ends_statement: bool = False  # the run's last line ends a statement (:func:`ends_statement_line`): so must
    # the branch's (C, C++, Java: ";" or a brace; JavaScript, Go: no operator, "," or brace-less header at the end)
    opens_block: bool = False  # Python: the run ends in ":" and the golden code goes on with its body


@dataclass(frozen=True)
class StatementShape:
    """What a local-mode branch must complete. ``head`` is the statement's text before the branch point, from the
    start of its line (the golden line's indentation, and anything already written of the statement); the branch
    ends at the first line end where head + branch has the shape of one of ``targets``, tried in order."""

    head: str = ""
    targets: tuple[SpliceTarget, ...] = (SpliceTarget(0, "", ends_statement=True),)  # one complete statement


_COMPOUND_WORDS = ("else", "elif", "except", "finally")  # a dedented line that still belongs to the statement
_CONTINUES_COMPOUND = re.compile(rf"({'|'.join(_COMPOUND_WORDS)})\b")


_BRACELESS_HEADER = re.compile(r"^(?:\}\s*)?(?:else\s+)?(?:if|for|while|switch)\b.*\)$|^(?:\}\s*)?(?:else|do)$")
_CONTINUES_AFTER_BRACE = re.compile(r"(else|catch|finally|while)\b")  # "} else {" may be on the next line


def ends_statement_line(code: str, language: str | None) -> bool:
    """Whether a line of code (comments removed, stripped) can end a statement. C, C++, Java: it ends in ";" or
    a brace. JavaScript, Go and other brace languages: it does not end in an operator or ",", and is no
    ``if (...)`` / ``else`` header without its brace. Python: always (brackets and indentation decide there)."""
    lang = lang_key(language)
    if not code:
        return False
    if lang in _SEMICOLON_LANGUAGES:
        return code[-1] in ";{}"
    if lang == "python":
        return True
    if code.endswith(("++", "--")):
        return True
    return code[-1] not in "+-*/%&|^=<>,?.!~" and not _BRACELESS_HEADER.match(code)


def _whole_statement_end(lines: list[CodeLine], start: int, language: str) -> int | None:
    """Index in ``lines`` (which start at a statement's first line) of the statement's last line, at or after
    ``start``: Python, the last line before the next line of code indented no deeper than the first (that is no
    ``else``/``elif``/``except``/``finally``); brace languages, the first line back at depth 0 that ends a
    statement and is not followed by ``else``/``catch``/``finally``/``while``. None when the code ends first."""
    code_at = [k for k, ln in enumerate(lines) if ln.code]
    if not code_at:
        return None
    first = lines[code_at[0]]
    if language == "python":
        last = None
        for k in code_at:
            ln = lines[k]
            prev = lines[k - 1] if k else None
            continuation = prev is not None and (prev.brackets != "" or prev.code.endswith("\\") or prev.in_literal)
            if k > start and not continuation and ln.indent <= first.indent and k > code_at[0]:
                if not (ln.indent == first.indent and _CONTINUES_COMPOUND.match(ln.code)):
                    return last
            last = k
        return None
    for n, k in enumerate(code_at):
        ln = lines[k]
        if k < start or ln.brackets != "" or ln.in_literal or not ends_statement_line(ln.code, language):
            continue
        following = lines[code_at[n + 1]].code if n + 1 < len(code_at) else ""
        if not (ln.code.endswith("}") and _CONTINUES_AFTER_BRACE.match(following)):
            return k
    return None


def splice_targets(golden_code: str, language: str | None, first_line: int, last_line: int) -> tuple[SpliceTarget, ...]:
    """The runs of golden lines ``first_line..j`` (1-based) a branch at ``first_line`` may replace, in order of
    preference: the whole run to ``last_line`` (the fix's hunk); shorter runs that end a complete statement; and
    the whole golden statement the hunk is part of. A shorter run lets a complete statement replace only part of a
    hunk whose last line opens a block (a callback), instead of leaving that block's body and closing brackets
    unmatched; the whole statement lets a one-line rewrite replace a hunk that ends inside brackets (the first
    lines of a call) or opens a block (``while (...) {``, ``if x:``) together with what closes it."""
    lang = lang_key(language)
    golden = golden_code.splitlines(keepends=True)
    last_line = min(max(first_line, last_line), len(golden))
    lines = code_lines("".join(golden[first_line - 1:]).rstrip("\n"), lang)  # lines[k] is golden line first_line + k
    targets: list[SpliceTarget] = []

    def add(j: int, required: bool = False) -> None:
        run = lines[:j - first_line + 1]
        with_code = [ln for ln in run if ln.code]
        if not with_code:
            return
        last, brackets = with_code[-1], run[-1].brackets
        ends = lang != "python" and ends_statement_line(last.code, lang)
        opens_block = lang == "python" and last.code.endswith(":") and brackets == ""
        broken = run[-1].in_literal or (lang == "python" and last.code.endswith("\\"))
        if not required and (broken or (lang != "python" and not ends)):
            return
        if all((t.brackets, t.ends_statement, t.opens_block) != (brackets, ends, opens_block) for t in targets):
            targets.append(SpliceTarget(j, brackets, ends, opens_block))

    for j in range(last_line, first_line - 1, -1):
        add(j, required=j == last_line)
    whole = _whole_statement_end(lines, last_line - first_line, lang)
    if whole is not None and first_line + whole > last_line:
        add(first_line + whole)
    return tuple(targets) or (SpliceTarget(last_line, ""),)


def statement_end(text: str, language: str | None = None, shape: StatementShape | None = None,
                  final: bool = False) -> tuple[int, int] | None:
    """Where a local-mode branch ``text`` (written after ``shape.head``) ends, as (index in ``text`` just past the
    statement, end line of the splice target it matches); None while it is not complete. ``final``: the text
    will not grow (the model ended it), so a Python block still open ends with it.

    The statement is complete at the end of a line that holds code (a comment line the model writes first is kept,
    but it is not the choice the branch is about), outside any literal, that leaves open the brackets a target does
    (so ``if (n > cap) {`` goes on to its closing brace when the golden lines it replaces open no block; the kinds
    count: a branch that leaves "{{" open cannot stand in for golden lines that leave "({" open, nor an object
    literal's "(⦃" for a callback's "({") and that ends a statement when the target's last line does
    (:func:`ends_statement_line`). In Python a line ending in
    ":" opens a block: it ends the statement when the target opens one too, and otherwise the statement runs to
    the end of its body (the first later line of code indented less than the body, that is not an ``else``/
    ``elif``/``except``/``finally`` of the same statement). Without ``language`` no comment is known and any
    content counts."""
    shape = shape or StatementShape()
    lang = lang_key(language)
    base = len(shape.head)
    lines = code_lines(shape.head + text, lang)
    python = lang == "python"
    body_indent: int | None = None  # Python: set while the branch's own block is open (its body's indentation)
    in_block = False
    previous: CodeLine | None = None  # the last line with code
    first_indent: int | None = None  # indentation of the statement's first line

    def block_end(at: int) -> tuple[int, int] | None:
        fits = [t for t in shape.targets if t.brackets == previous.brackets and not t.opens_block]
        return (at - base, fits[0].end_line) if fits else None

    for k, ln in enumerate(lines):
        if ln.code and first_indent is None:
            first_indent = ln.indent
        if in_block and ln.code and not ln.in_literal:
            if (previous is not None and (previous.brackets != "" or previous.code.endswith("\\"))) or (k and lines[k - 1].in_literal):
                pass  # a continuation line inside brackets: its indentation means nothing
            elif body_indent is None:
                body_indent = ln.indent
            elif ln.indent < body_indent and previous is not None:
                if _CONTINUES_COMPOUND.match(ln.code) and ln.indent >= (first_indent or 0):
                    body_indent = None  # the compound statement goes on; this line opens its next body
                elif not ln.closed and any(w.startswith(ln.code) for w in _COMPOUND_WORDS):
                    return None  # "exc" may yet be "except": wait for the word
                elif ln.start > base:
                    return block_end(ln.start)
            previous = ln
            continue
        previous = ln if ln.code else previous
        if not (ln.closed and ln.code and not ln.in_literal and ln.end >= base):
            continue
        if python and ln.code.endswith("\\"):
            continue
        opener = python and ln.code.endswith(":") and ln.brackets == ""
        ends = ends_statement_line(ln.code, lang)
        fits = [t for t in shape.targets if t.brackets == ln.brackets and (not t.ends_statement or ends)]
        exact = [t for t in fits if t.opens_block == opener] if python else fits
        if exact:
            return ln.end + 1 - base, exact[0].end_line
        if fits and not opener:  # the golden code goes on with a body this line does not open: it will not parse
            return ln.end + 1 - base, fits[0].end_line
        if opener:
            in_block = True
    if final and in_block and body_indent is not None and previous is not None:
        return block_end(base + len(text))
    return None
