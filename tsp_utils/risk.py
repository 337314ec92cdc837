"""Finding CWE risk nodes: the places in a function where an insecure choice can be made.

The paper asks GPT-4o to name risky lines of each fixed function. We locate them without an LLM, three ways, and
keep the paper's annotator as an option:

* **diff**: where the fixed function diverges from the vulnerable one, once per changed hunk. The fix *is* the
  decision; its first line is where the model must choose.
* **oracle**: in the policy's own vulnerable samples, the start of each line the oracle flags. This is what lets
  a vulnerable branch branch again (depth 2+).
* **uncertainty**: token positions where the policy's next-token entropy is high, inside changed or flagged lines:
  the model is torn there, so branching there shows it both options.
* **llm** (optional): the paper's Step 0 through any OpenAI-compatible endpoint, when a key is configured.

All methods return :class:`RiskSite` records in character offsets of the *code*; the tree builder maps them to
token positions of the tokenized golden path.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import urllib.request
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from .data import RiskAnnotation, parse_risk_annotations


@dataclass(frozen=True)
class RiskSite:
    char_offset: int  # in the code
    line: int  # 1-based line of the code
    method: str  # "diff" | "oracle" | "uncertainty" | "llm"
    cwe: str | None = None
    note: str = ""
    end_line: int | None = None  # last line of the golden code this choice replaces (the fix's hunk)


def line_starts(code: str) -> list[int]:
    starts, pos = [], 0
    for line in code.splitlines(keepends=True):
        starts.append(pos)
        pos += len(line)
    return starts


def line_of(code: str, offset: int) -> int:
    return code.count("\n", 0, offset) + 1


def _first_code_char(code: str, start: int) -> int:
    """Branch after the indentation: the choice is the statement, not its whitespace."""
    end = code.find("\n", start)
    end = len(code) if end < 0 else end
    stripped = len(code[start:end]) - len(code[start:end].lstrip(" \t"))
    return start + stripped


def diff_risk_sites(before: str, after: str, cwe: str | None = None) -> list[RiskSite]:
    """One site per changed hunk: the first line of the fixed code in that hunk (or the line after a pure deletion)."""
    b_lines, a_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    starts = line_starts(after)
    sites = []
    matcher = difflib.SequenceMatcher(None, b_lines, a_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or j1 >= len(a_lines):
            continue
        # Skip blank/brace-only lines at the top of a hunk: the decision is the first line with content.
        j = j1
        while j < max(j2, j1 + 1) - 1 and not a_lines[j].strip(" \t\n{}"):
            j += 1
        offset = _first_code_char(after, starts[j])
        sites.append(RiskSite(offset, j + 1, "diff", cwe, f"hunk {tag} before:{i1 + 1}-{i2} after:{j1 + 1}-{j2}",
                              end_line=max(j2, j + 1)))
    return _dedupe(sites)


def oracle_risk_sites(code: str, findings: Iterable[Any], min_line: int = 1) -> list[RiskSite]:
    """Sites at the start of each line the oracle flagged (``findings`` have ``line`` and ``cwe``), from
    ``min_line`` on (a branch re-branches only inside its own continuation)."""
    starts = line_starts(code)
    sites = []
    for f in findings:
        line = f["line"] if isinstance(f, dict) else f.line
        cwe = f.get("cwe") if isinstance(f, dict) else f.cwe
        rule = f.get("rule_id") if isinstance(f, dict) else f.rule_id
        if line and min_line <= line <= len(starts):
            sites.append(RiskSite(_first_code_char(code, starts[line - 1]), line, "oracle", cwe, str(rule)))
    return _dedupe(sites)


_LINE_COMMENT = {"python": "#", "ruby": "#", "c": "//", "cpp": "//", "c++": "//", "go": "//", "javascript": "//",
                 "js": "//", "java": "//"}
_SEMICOLON_LANGUAGES = {"c", "cpp", "c++", "java"}  # a statement ends in ";" or a brace (not in Go, JS or Python)
_CPP = {"cpp", "c++"}
_C_FAMILY = {"c"} | _CPP
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
    lang = (language or "").lower()
    line_comment = _LINE_COMMENT.get(lang)
    if line_comment is None:
        return []
    block = line_comment == "//"
    quotes = "\"'`" if lang in ("go", "javascript", "js") else "\"'"
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
        elif ch == "/" and lang in ("javascript", "js") and (end := _regex_end(code, i)) is not None:
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


def skip_mask(code: str, language: str | None, spans: Sequence[tuple[int, int, str]] | None = None) -> bytearray:
    """Per character of ``code``: 0 code, 1 inside a comment, 2 inside a string or character literal. ``spans``:
    ``literal_spans(code, language)``, when the caller has them already."""
    skip = bytearray(len(code))
    for a, b, kind in literal_spans(code, language) if spans is None else spans:
        skip[a:b] = (b"\x01" if kind == "comment" else b"\x02") * (b - a)
    return skip


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
    braces_differ = (language or "").lower() != "python"
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
    lang = (language or "").lower()
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
    lang = (language or "").lower()
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
    lang = (language or "").lower()
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
    lang = (language or "").lower()
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


def in_spans(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def uncertainty_risk_sites(token_offsets: Sequence[tuple[int, int]], entropies: Sequence[float], code: str,
                           lines: set[int], top_k: int = 1, min_entropy: float = 0.5,
                           language: str | None = None) -> list[RiskSite]:
    """The ``top_k`` highest-entropy token positions inside ``lines`` (1-based), above ``min_entropy`` nats, and
    not inside a comment (given ``language``): what a comment says next is no security decision.

    ``token_offsets[i]`` is the (start, end) char span in ``code`` of golden token i and ``entropies[i]`` the
    policy's entropy when it had to produce that token.
    """
    comments = comment_spans(code, language)
    candidates = []
    for (start, end), h in zip(token_offsets, entropies):
        if end <= start or start >= len(code) or h < min_entropy:
            continue
        if line_of(code, start) in lines and code[start:end].strip() and not in_spans(start, comments):
            candidates.append((h, start))
    candidates.sort(reverse=True)
    return _dedupe([RiskSite(start, line_of(code, start), "uncertainty", None, f"entropy {h:.2f} nats")
                    for h, start in candidates[:top_k]])


def _dedupe(sites: list[RiskSite]) -> list[RiskSite]:
    seen, out = set(), []
    for s in sorted(sites, key=lambda s: s.char_offset):
        if s.char_offset not in seen:
            seen.add(s.char_offset)
            out.append(s)
    return out


# --------------------------------------------------------------------------------------------- paper's Step 0

ANNOTATION_PROMPT = """You are a software security expert. Below is a {language} function that is known to be secure.
Identify the lines where a developer could easily have introduced a vulnerability (CWE risk nodes): places where an
insecure choice is possible. For each, answer in exactly this format:
[[n]]
[Code_Line] <the line, copied verbatim>
[CWE_ID] CWE-<number>
[Description] <the weakness, and what an insecure version of this line would look like>

```{language}
{code}
```"""


def llm_risk_annotations(code: str, language: str, *, base_url: str | None = None, api_key: str | None = None,
                         model: str | None = None, timeout_s: float = 60.0) -> list[RiskAnnotation]:
    """Ask an OpenAI-compatible chat endpoint for risk lines, as the paper does with GPT-4o.

    Configured by arguments or ``TSP_LLM_BASE_URL`` / ``TSP_LLM_API_KEY`` / ``TSP_LLM_MODEL``; never required.
    """
    base_url = (base_url or os.environ.get("TSP_LLM_BASE_URL") or "https://api.openai.com/v1").rstrip("/")
    api_key = api_key or os.environ.get("TSP_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY")
    model = model or os.environ.get("TSP_LLM_MODEL", "gpt-4o")
    if not api_key:
        raise RuntimeError("the LLM annotator needs an API key: set TSP_LLM_API_KEY (or OPENAI_API_KEY)")
    body = json.dumps({"model": model, "temperature": 0,
                       "messages": [{"role": "user", "content": ANNOTATION_PROMPT.format(language=language, code=code)}]})
    request = urllib.request.Request(f"{base_url}/chat/completions", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {api_key}"})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 -- user-configured endpoint
        reply = json.loads(response.read())
    return parse_risk_annotations(reply["choices"][0]["message"]["content"])


def locate_line(code: str, code_line: str) -> int | None:
    """1-based line of ``code`` that best matches an annotated line (exact after stripping, else fuzzy >= 0.8)."""
    target = code_line.strip()
    if not target:
        return None
    lines = code.splitlines()
    for i, line in enumerate(lines, 1):
        if line.strip() == target:
            return i
    best, best_ratio = None, 0.8
    for i, line in enumerate(lines, 1):
        ratio = difflib.SequenceMatcher(None, line.strip(), target, autojunk=False).ratio()
        if ratio > best_ratio:
            best, best_ratio = i, ratio
    return best


def annotation_sites(code: str, annotations: Iterable[RiskAnnotation]) -> list[RiskSite]:
    starts = line_starts(code)
    sites = []
    for a in annotations:
        line = locate_line(code, a.code_line)
        if line is not None:
            sites.append(RiskSite(_first_code_char(code, starts[line - 1]), line, "llm", a.cwe, a.description[:80]))
    return _dedupe(sites)


def map_before_line_to_after(before: str, after: str, line: int) -> int:
    """Where a line of the vulnerable version sits in the fixed one (changed blocks map to their first line)."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i1 <= line - 1 < max(i2, i1 + 1):
            return (j1 + (line - 1 - i1) + 1) if tag == "equal" else j1 + 1
    return len(after.splitlines())


# --------------------------------------------------------------------------------------------- recovery report


@dataclass
class RecoveryRow:
    method: str
    functions: int
    annotated_lines: int  # the paper's GPT-4o risk lines we could locate in the fixed functions
    recovered: int  # of those, how many fall on a line our method marks
    predicted_lines_per_function: float

    @property
    def recall(self) -> float:
        return self.recovered / self.annotated_lines if self.annotated_lines else 0.0


def recovery_report(annotated: Sequence[Any], predicted: dict[str, Sequence[set[int]]]) -> list[RecoveryRow]:
    """How many of the paper's annotated risk lines each method recovers.

    ``annotated`` are :class:`~tsp_utils.data.AnnotatedPair`; ``predicted[method][i]`` is the set of lines of
    pair i's fixed function that the method marks.
    """
    targets = [{line for a in ap.risk_nodes if (line := locate_line(ap.pair.func_src_after, a.code_line))}
               for ap in annotated]
    total = sum(len(t) for t in targets)
    rows = []
    for method, sets in predicted.items():
        hit = sum(len(t & p) for t, p in zip(targets, sets))
        rows.append(RecoveryRow(method, len(annotated), total, hit, sum(len(p) for p in sets) / max(1, len(sets))))
    return rows


def site_lines(sites: Iterable[RiskSite]) -> set[int]:
    """Lines a set of sites marks: each site's line through the end of the hunk it replaces."""
    lines: set[int] = set()
    for s in sites:
        lines.update(range(s.line, (s.end_line or s.line) + 1))
    return lines


def recovery_markdown(rows: Sequence[RecoveryRow]) -> str:
    out = ["| method | functions | paper risk lines located | recovered | recall | our lines per function |",
           "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r.method} | {r.functions} | {r.annotated_lines} | {r.recovered} | {r.recall:.0%} | "
                   f"{r.predicted_lines_per_function:.1f} |")
    return "\n".join(out) + "\n"
