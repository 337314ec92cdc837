"""Row validation: every row of a data file is checked on load, and an error names the file and line.

A silently malformed pair would place a risk node in the wrong spot and teach the model the wrong lesson.
"""

from __future__ import annotations

import difflib
from typing import Any

from ..languages import LANGUAGES
from .records import CWE_PATTERN, CharChange, DataError, EvalPrompt, LineChange, TrainPair


def _line_offsets(text: str) -> list[int]:
    offsets, pos = [], 0
    for line in text.splitlines(keepends=True):
        offsets.append(pos)
        pos += len(line)
    offsets.append(pos)
    return offsets


def compute_changes(before: str, after: str) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """SafeCoder-style ``line_changes`` and ``char_changes`` for a before/after pair.

    Lines are diffed first; characters are then diffed only inside each changed block of lines, so a char change
    never pairs text from unrelated parts of the function (a whole-text char diff happily matches a stray ``;``
    forty lines away).
    """
    b_lines, a_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    b_off, a_off = _line_offsets(before), _line_offsets(after)
    lines: dict[str, list] = {"deleted": [], "added": []}
    chars: dict[str, list] = {"deleted": [], "added": []}
    matcher = difflib.SequenceMatcher(None, b_lines, a_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for i in range(i1, i2):
            lines["deleted"].append({"line_no": i + 1, "char_start": b_off[i], "char_end": b_off[i + 1], "line": b_lines[i]})
        for j in range(j1, j2):
            lines["added"].append({"line_no": j + 1, "char_start": a_off[j], "char_end": a_off[j + 1], "line": a_lines[j]})
        b_block, a_block = "".join(b_lines[i1:i2]), "".join(a_lines[j1:j2])
        inner = difflib.SequenceMatcher(None, b_block, a_block, autojunk=False)
        for ctag, x1, x2, y1, y2 in inner.get_opcodes():
            if ctag in ("replace", "delete"):
                chars["deleted"].append({"char_start": b_off[i1] + x1, "char_end": b_off[i1] + x2, "chars": b_block[x1:x2]})
            if ctag in ("replace", "insert"):
                chars["added"].append({"char_start": a_off[j1] + y1, "char_end": a_off[j1] + y2, "chars": a_block[y1:y2]})
    return {"line_changes": lines, "char_changes": chars}


def _require(row: dict, key: str, kind: type, where: str, allow_empty: bool = False):
    if key not in row:
        raise DataError(f"{where}: missing field {key!r}")
    value = row[key]
    if not isinstance(value, kind):
        raise DataError(f"{where}: field {key!r} should be {kind.__name__}, got {type(value).__name__}")
    if not allow_empty and kind is str and not value.strip():
        raise DataError(f"{where}: field {key!r} is empty")
    return value


def _parse_changes(items: Any, kind: str, side: str, where: str, needs: str, parse) -> list:
    """``parse`` each change of ``kind.side``; a malformed one is a DataError that names the fields it ``needs``."""
    if not isinstance(items, list):
        raise DataError(f"{where}: {kind}.{side} should be a list")
    out = []
    for k, c in enumerate(items):
        try:
            out.append(parse(c))
        except (KeyError, TypeError, ValueError):
            raise DataError(f"{where}: {kind}.{side}[{k}] needs {needs}") from None
    return out


def _line_changes(items: Any, src: str, side: str, where: str) -> list[LineChange]:
    changes = _parse_changes(items, "line_changes", side, where, "line_no, char_start, char_end, line", lambda c:
                             LineChange(int(c["line_no"]), int(c["char_start"]), int(c["char_end"]), str(c["line"])))
    for k, change in enumerate(changes):
        text = src[change.char_start:change.char_end]
        # SafeCoder records the function's last line with a newline the extracted source does not have.
        if text != change.line and not (text + "\n" == change.line and change.char_end >= len(src)):
            raise DataError(f"{where}: line_changes.{side}[{k}] (line {change.line_no}) does not match the "
                            f"source text at chars {change.char_start}:{change.char_end}")
        if src.count("\n", 0, change.char_start) + 1 != change.line_no:
            raise DataError(f"{where}: line_changes.{side}[{k}] says line {change.line_no} but char "
                            f"{change.char_start} is on line {src.count(chr(10), 0, change.char_start) + 1}")
    return changes


def _char_changes(items: Any, src: str, side: str, where: str) -> list[CharChange]:
    changes = _parse_changes(items, "char_changes", side, where, "char_start, char_end, chars", lambda c:
                             CharChange(int(c["char_start"]), int(c["char_end"]), str(c["chars"])))
    for k, change in enumerate(changes):
        if src[change.char_start:change.char_end] != change.chars:
            raise DataError(f"{where}: char_changes.{side}[{k}] does not match the source text at chars "
                            f"{change.char_start}:{change.char_end}")
    return changes


PAIR_FIELDS = {"func_name", "language", "vul_type", "description", "func_src_before", "func_src_after",
               "line_changes", "char_changes", "file_context", "file_name"}


def pair_from_row(row: Any, where: str, language: str | None = None, repair: bool = False) -> TrainPair:
    """Validate one SafeCoder-schema row. ``language`` fills a missing field (SafeCoder rows carry only a file
    name). With ``repair`` (third-party data only), changes that are missing or disagree with the text are
    recomputed from before/after and the row is marked ``extra["changes_recomputed"]``; our own data is strict."""
    if not isinstance(row, dict):
        raise DataError(f"{where}: expected a JSON object, got {type(row).__name__}")
    language = row.get("language") or language
    if not isinstance(language, str) or language not in LANGUAGES:
        raise DataError(f"{where}: unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    vul_type = _require(row, "vul_type", str, where).lower()
    if not CWE_PATTERN.match(vul_type):
        raise DataError(f"{where}: vul_type {row['vul_type']!r} is not of the form 'cwe-078'")
    before = _require(row, "func_src_before", str, where)
    after = _require(row, "func_src_after", str, where)
    unusable = None
    if before == after:
        if not repair:
            raise DataError(f"{where}: func_src_before and func_src_after are identical (nothing was fixed)")
        unusable = "func_src_before and func_src_after are identical"
    lc, cc = row.get("line_changes"), row.get("char_changes")
    if repair:
        reason = None
        if not isinstance(lc, dict) or not isinstance(cc, dict):
            reason = "missing"
        else:
            try:
                _line_changes(lc.get("deleted"), before, "deleted", where)
                _line_changes(lc.get("added"), after, "added", where)
                _char_changes(cc.get("deleted"), before, "deleted", where)
                _char_changes(cc.get("added"), after, "added", where)
            except DataError as exc:
                reason = str(exc).split(": ", 1)[1]
        if reason:
            row = {**row, **compute_changes(before, after), "changes_recomputed": reason}
            lc, cc = row["line_changes"], row["char_changes"]
    if not isinstance(lc, dict) or not isinstance(cc, dict):
        raise DataError(f"{where}: line_changes and char_changes must be objects with 'added' and 'deleted' "
                        "(run `python -m tsp_utils.data add-changes FILE` to compute them)")
    pair = TrainPair(
        func_name=_require(row, "func_name", str, where, allow_empty=True),  # SafeCoder has unnamed lambdas
        language=language,
        vul_type=vul_type,
        description=_require(row, "description", str, where),
        func_src_before=before,
        func_src_after=after,
        deleted_lines=_line_changes(lc.get("deleted"), before, "deleted", where),
        added_lines=_line_changes(lc.get("added"), after, "added", where),
        deleted_chars=_char_changes(cc.get("deleted"), before, "deleted", where),
        added_chars=_char_changes(cc.get("added"), after, "added", where),
        file_context=_require(row, "file_context", str, where, allow_empty=True) if "file_context" in row else "",
        origin=where,
        extra={k: v for k, v in row.items() if k not in PAIR_FIELDS},
    )
    if unusable:
        pair.extra["unusable"] = unusable
    elif not (pair.deleted_chars or pair.added_chars):
        raise DataError(f"{where}: char_changes is empty although before and after differ")
    return pair


def prompt_from_row(row: Any, where: str) -> EvalPrompt:
    if not isinstance(row, dict):
        raise DataError(f"{where}: expected a JSON object")
    language = _require(row, "language", str, where)
    if not isinstance(language, str) or language not in LANGUAGES:
        raise DataError(f"{where}: unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    cwe = _require(row, "cwe", str, where).lower()
    if cwe != "none" and not CWE_PATTERN.match(cwe):
        raise DataError(f"{where}: cwe {row['cwe']!r} is neither 'none' nor of the form 'cwe-078'")
    prompt = EvalPrompt(
        id=_require(row, "id", str, where), language=language, cwe=cwe, prompt=_require(row, "prompt", str, where),
        entry_point=_require(row, "entry_point", str, where),
        **{k: _require(row, k, str, where, allow_empty=True) for k in
           ("reference_secure", "reference_insecure", "functional_test", "security_test", "notes") if k in row},
        split=row.get("split", ""), origin=where,
    )
    for ref in ("reference_secure", "reference_insecure"):
        value = getattr(prompt, ref)
        if value and not value.startswith(prompt.prompt):
            raise DataError(f"{where}: {ref} does not start with the prompt text")
    if prompt.entry_point not in prompt.prompt:
        raise DataError(f"{where}: entry_point {prompt.entry_point!r} does not occur in the prompt")
    if prompt.security_test and not (prompt.reference_secure and prompt.reference_insecure):
        raise DataError(f"{where}: a security_test needs both references, so that it can be checked")
    return prompt
