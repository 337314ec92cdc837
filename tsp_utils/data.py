"""Tasks: vulnerable->fixed training pairs and completion-style evaluation prompts.

Training pairs use the SafeCoder/SVEN JSON Lines schema, so the paper's own data (SafeCoder's
``train-sec-new-desc.jsonl``, and the TSP authors' GPT-4o risk-node annotations of it) drops in beside ours.
Every row is validated on load, and errors name the file and line: a silently malformed pair would place a risk
node in the wrong spot and teach the model the wrong lesson.

    python -m tsp_utils.data check                 # validate every bundled file
    python -m tsp_utils.data add-changes F.jsonl   # (re)compute line_changes/char_changes in place
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
import re
import sys
import urllib.request
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .artifacts import atomic_write_jsonl, atomic_write_text
from .config import repo_root

DATA_DIR = repo_root() / "data"
SHARED_DATA = repo_root().parent / "shared" / "data"

LANGUAGES = ("c", "cpp", "python", "javascript", "go", "ruby", "java")
EXTENSION_LANGUAGE = {"py": "python", "js": "javascript", "jsx": "javascript", "ts": "javascript", "c": "c",
                      "h": "c", "cc": "cpp", "cpp": "cpp", "cxx": "cpp", "hpp": "cpp", "go": "go", "rb": "ruby",
                      "java": "java"}
CWE_PATTERN = re.compile(r"^cwe-\d{3,}$")

SAFECODER_URL = "https://raw.githubusercontent.com/eth-sri/SafeCoder/main/data_train_val/train/sec-new-desc.jsonl"
ANNOTATED_URL = ("https://raw.githubusercontent.com/Easonnoway/TSP/main/data/annotated_datasets/"
                 "sec-new-desc_annotated.json")
SECURITYEVAL_URL = "https://raw.githubusercontent.com/s2e-lab/SecurityEval/main/dataset.jsonl"


class DataError(ValueError):
    """A row that does not follow the schema; the message starts with ``file:line:``."""


class GarbledFile(DataError):
    """A file that is not JSON (or JSON Lines) at all: a download cut short, a proxy's error page."""


# --------------------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class LineChange:
    line_no: int  # 1-based, in the version the line belongs to
    char_start: int
    char_end: int  # exclusive, includes the newline
    line: str


@dataclass(frozen=True)
class CharChange:
    char_start: int
    char_end: int
    chars: str


@dataclass
class TrainPair:
    func_name: str
    language: str
    vul_type: str
    description: str
    func_src_before: str
    func_src_after: str
    deleted_lines: list[LineChange]
    added_lines: list[LineChange]
    deleted_chars: list[CharChange]
    added_chars: list[CharChange]
    file_context: str = ""
    origin: str = ""  # "file:line" the row came from
    extra: dict[str, Any] = field(default_factory=dict)  # commit_link, commit_msg, ... kept as they were

    @property
    def cwe(self) -> str:
        return self.vul_type

    @property
    def usable(self) -> bool:
        """False for third-party rows kept only so the file loads in full (e.g. before == after)."""
        return "unusable" not in self.extra

    def to_row(self) -> dict[str, Any]:
        """The SafeCoder-schema row (what the JSONL file holds)."""
        line = lambda c: {"line_no": c.line_no, "char_start": c.char_start, "char_end": c.char_end, "line": c.line}  # noqa: E731
        char = lambda c: {"char_start": c.char_start, "char_end": c.char_end, "chars": c.chars}  # noqa: E731
        row = {"func_name": self.func_name, "language": self.language, "vul_type": self.vul_type,
               "description": self.description, "func_src_before": self.func_src_before,
               "func_src_after": self.func_src_after,
               "line_changes": {"deleted": [line(c) for c in self.deleted_lines],
                                "added": [line(c) for c in self.added_lines]},
               "char_changes": {"deleted": [char(c) for c in self.deleted_chars],
                                "added": [char(c) for c in self.added_chars]},
               "file_context": self.file_context}
        row.update(self.extra)
        return row


@dataclass
class EvalPrompt:
    id: str
    language: str
    cwe: str  # "cwe-078", or "none" for plain utility tasks
    prompt: str
    entry_point: str
    reference_secure: str = ""
    reference_insecure: str = ""
    functional_test: str = ""
    security_test: str = ""
    notes: str = ""
    split: str = ""  # "seen" | "unseen" (CWE in the training pairs or not) | "utility"
    origin: str = ""

    def to_row(self) -> dict[str, Any]:
        row = asdict(self)
        row.pop("origin")
        return row


@dataclass(frozen=True)
class RiskAnnotation:
    """One of the TSP authors' GPT-4o risk nodes: a line of the fixed function and the CWE it guards against."""

    code_line: str
    cwe: str
    description: str


@dataclass
class AnnotatedPair:
    pair: TrainPair
    risk_nodes: list[RiskAnnotation]


# --------------------------------------------------------------------------------------------- diffs


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


# --------------------------------------------------------------------------------------------- validation


def _require(row: dict, key: str, kind: type, where: str, allow_empty: bool = False):
    if key not in row:
        raise DataError(f"{where}: missing field {key!r}")
    value = row[key]
    if not isinstance(value, kind):
        raise DataError(f"{where}: field {key!r} should be {kind.__name__}, got {type(value).__name__}")
    if not allow_empty and kind is str and not value.strip():
        raise DataError(f"{where}: field {key!r} is empty")
    return value


def _line_changes(items: Any, src: str, side: str, where: str) -> list[LineChange]:
    if not isinstance(items, list):
        raise DataError(f"{where}: line_changes.{side} should be a list")
    out = []
    for k, c in enumerate(items):
        try:
            change = LineChange(int(c["line_no"]), int(c["char_start"]), int(c["char_end"]), str(c["line"]))
        except (KeyError, TypeError, ValueError):
            raise DataError(f"{where}: line_changes.{side}[{k}] needs line_no, char_start, char_end, line") from None
        text = src[change.char_start:change.char_end]
        # SafeCoder records the function's last line with a newline the extracted source does not have.
        if text != change.line and not (text + "\n" == change.line and change.char_end >= len(src)):
            raise DataError(f"{where}: line_changes.{side}[{k}] (line {change.line_no}) does not match the "
                            f"source text at chars {change.char_start}:{change.char_end}")
        if src.count("\n", 0, change.char_start) + 1 != change.line_no:
            raise DataError(f"{where}: line_changes.{side}[{k}] says line {change.line_no} but char "
                            f"{change.char_start} is on line {src.count(chr(10), 0, change.char_start) + 1}")
        out.append(change)
    return out


def _char_changes(items: Any, src: str, side: str, where: str) -> list[CharChange]:
    if not isinstance(items, list):
        raise DataError(f"{where}: char_changes.{side} should be a list")
    out = []
    for k, c in enumerate(items):
        try:
            change = CharChange(int(c["char_start"]), int(c["char_end"]), str(c["chars"]))
        except (KeyError, TypeError, ValueError):
            raise DataError(f"{where}: char_changes.{side}[{k}] needs char_start, char_end, chars") from None
        if src[change.char_start:change.char_end] != change.chars:
            raise DataError(f"{where}: char_changes.{side}[{k}] does not match the source text at chars "
                            f"{change.char_start}:{change.char_end}")
        out.append(change)
    return out


PAIR_FIELDS = {"func_name", "language", "vul_type", "description", "func_src_before", "func_src_after",
               "line_changes", "char_changes", "file_context", "file_name"}


def pair_from_row(row: Any, where: str, language: str | None = None, repair: bool = False) -> TrainPair:
    """Validate one SafeCoder-schema row. ``language`` fills a missing field (SafeCoder rows carry only a file
    name). With ``repair`` (third-party data only), changes that are missing or disagree with the text are
    recomputed from before/after and the row is marked ``extra["changes_recomputed"]``; our own data is strict."""
    if not isinstance(row, dict):
        raise DataError(f"{where}: expected a JSON object, got {type(row).__name__}")
    language = row.get("language") or language
    if language not in LANGUAGES:
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


def _read_rows(path: Path) -> Iterable[tuple[str, Any]]:
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                yield where, json.loads(line)
            except json.JSONDecodeError as exc:
                raise GarbledFile(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None


def load_train_pairs(path: str | os.PathLike | None = None) -> list[TrainPair]:
    """Our bundled training pairs (``data/train_pairs.jsonl``) or any file in the same schema."""
    path = Path(path or DATA_DIR / "train_pairs.jsonl")
    return [pair_from_row(row, where) for where, row in _read_rows(path)]


# --------------------------------------------------------------------------------------------- paper data


def _download(url: str, name: str) -> Path:
    from .models import cache_root

    target = cache_root() / "data" / name
    if not target.exists():
        print(f"downloading {url} -> {target}")
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 -- fixed https URLs above
            atomic_write_text(target, response.read().decode("utf-8"))
    return target


def _is_download(path: Path) -> bool:
    from .models import cache_root

    return path.parent == cache_root() / "data"


@contextlib.contextmanager
def _drop_if_garbled(path: Path, passed: bool):
    """A file we downloaded that is not JSON at all (a download cut short, a proxy's error page) is deleted, so that
    the next call downloads it again instead of failing on the cached copy until someone deletes it by hand. A file
    the caller ``passed`` is theirs, and a file that is JSON but breaks the schema would only come back the same."""
    try:
        yield
    except (GarbledFile, UnicodeDecodeError) as exc:
        if passed or not _is_download(path):
            raise
        path.unlink(missing_ok=True)
        raise DataError(f"{exc} (the downloaded copy {path} was deleted: the next call downloads it again)") from exc


def _locate(path, shared_rel: str, url: str, name: str, download: bool) -> Path:
    if path:
        return Path(path)
    shared = SHARED_DATA / shared_rel
    if shared.exists():
        return shared
    if download:
        return _download(url, name)
    raise FileNotFoundError(f"{name} is not at {shared}; pass a path, or download=True to fetch it from {url}")


def paper_data(loader, download: bool = False):
    """``loader(download=download)`` (:func:`load_safecoder`, :func:`load_annotated`), or None, with the reason
    printed, when the paper's data is neither in ``../shared/data`` nor downloadable (no network, a download cut
    short): the notebooks' sections on it are then skipped rather than failing the run. A malformed file in
    ``../shared/data`` still raises: that is a problem to fix, not data that is missing."""
    import http.client

    unavailable = (OSError, http.client.HTTPException) + ((ValueError,) if download else ())
    try:
        return loader(download=download)
    except unavailable as exc:  # not found, no network, a download cut short or garbled (DataError names the file)
        print(f"skipped, the paper's data is not available: {type(exc).__name__}: {exc}")
        return None


def load_safecoder(path: str | os.PathLike | None = None, download: bool = False) -> list[TrainPair]:
    """SafeCoder's ``sec-new-desc.jsonl`` (the paper's 421 training pairs). Language comes from the file name.

    A few rows lack line/char changes or record them against slightly different text (10 of 421 in the copy we
    test with); those are recomputed and marked ``extra["changes_recomputed"]``."""
    passed = path is not None
    path = _locate(path, "safecoder/train-sec-new-desc.jsonl", SAFECODER_URL, "safecoder-train-sec-new-desc.jsonl", download)
    pairs = []
    with _drop_if_garbled(path, passed):
        for where, row in _read_rows(path):
            ext = str(row.get("file_name", "")).rsplit(".", 1)[-1].lower() if isinstance(row, dict) else ""
            pairs.append(pair_from_row(row, where, language=EXTENSION_LANGUAGE.get(ext), repair=True))
    return pairs


_ANNOTATION = re.compile(r"\[Code_Line\](?P<line>.*?)\[CWE_ID\](?P<cwe>.*?)\[Description\](?P<desc>.*?)(?=\[\[\d+\]\]|\[Code_Line\]|```|$)", re.S)


def parse_risk_annotations(text: str) -> list[RiskAnnotation]:
    """Parse the authors' GPT-4o output: ``[Code_Line] ... [CWE_ID] ... [Description] ...`` triples."""
    nodes = []
    for m in _ANNOTATION.finditer(text or ""):
        cwe = m.group("cwe").strip().lower().replace("_", "-")
        digits = re.search(r"\d+", cwe)
        cwe = f"cwe-{int(digits.group()):03d}" if digits else cwe
        nodes.append(RiskAnnotation(m.group("line").strip(), cwe, " ".join(m.group("desc").split())))
    return nodes


def load_annotated(path: str | os.PathLike | None = None, download: bool = False) -> list[AnnotatedPair]:
    """The TSP authors' risk-node annotations of SafeCoder's pairs (a JSON list; GPT-4o text in ``output``)."""
    passed = path is not None
    path = _locate(path, "tsp_annotated/sec-new-desc_annotated.json", ANNOTATED_URL, "tsp-sec-new-desc_annotated.json", download)
    out = []
    with _drop_if_garbled(path, passed):
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise GarbledFile(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(rows, list):
            raise GarbledFile(f"{path}: expected a JSON list of rows")
        for k, row in enumerate(rows):
            where = f"{path}:[{k}]"
            ext = str(row.get("file_name", "")).rsplit(".", 1)[-1].lower() if isinstance(row, dict) else ""
            pair = pair_from_row(row, where, language=EXTENSION_LANGUAGE.get(ext), repair=True)
            out.append(AnnotatedPair(pair, parse_risk_annotations(row.get("output", ""))))
    return out


# --------------------------------------------------------------------------------------------- eval prompts


def prompt_from_row(row: Any, where: str) -> EvalPrompt:
    if not isinstance(row, dict):
        raise DataError(f"{where}: expected a JSON object")
    language = _require(row, "language", str, where)
    if language not in LANGUAGES:
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


def load_eval_prompts(path: str | os.PathLike | None = None) -> list[EvalPrompt]:
    """Our completion-style security prompts (``data/eval_prompts.jsonl``), each with its seen/unseen split."""
    path = Path(path or DATA_DIR / "eval_prompts.jsonl")
    prompts = [prompt_from_row(row, where) for where, row in _read_rows(path)]
    dupes = [k for k, n in Counter(p.id for p in prompts).items() if n > 1]
    if dupes:
        raise DataError(f"{path}: duplicate ids {dupes}")
    return prompts


def load_utility_tasks(path: str | os.PathLike | None = None) -> list[EvalPrompt]:
    """Plain (non-security) coding tasks with functional tests, to check that training keeps the model useful."""
    return load_eval_prompts(path or DATA_DIR / "utility_tasks.jsonl")


def load_manifest(path: str | os.PathLike | None = None) -> dict[str, Any]:
    path = Path(path or DATA_DIR / "eval_manifest.json")
    return json.loads(path.read_text())


def build_manifest(pairs: list[TrainPair], prompts: list[EvalPrompt]) -> dict[str, Any]:
    """Seen CWEs are those with at least one training pair (any language); everything else is held out."""
    seen = sorted({p.vul_type for p in pairs})
    prompt_cwes = sorted({p.cwe for p in prompts if p.cwe != "none"})
    return {
        "seen_cwes": seen,
        "unseen_cwes": [c for c in prompt_cwes if c not in seen],
        "train_pairs": dict(sorted(Counter(p.language for p in pairs).items())),
        "eval_prompts": {lang: dict(sorted(Counter(p.split for p in prompts if p.language == lang).items()))
                         for lang in sorted({p.language for p in prompts})},
    }


def load_securityeval(path: str | os.PathLike | None = None, download: bool = True) -> list[EvalPrompt]:
    """SecurityEval's 121 Python prompts, downloaded at run time (it has no licence: never commit it)."""
    if path is None:
        if not download:
            raise FileNotFoundError("SecurityEval is never bundled; pass download=True (needs internet) or a path")
        path = _download(SECURITYEVAL_URL, "securityeval-dataset.jsonl")
    prompts = []
    for where, row in _read_rows(Path(path)):
        try:
            ident, prompt = row["ID"], row["Prompt"]
        except (KeyError, TypeError):
            raise DataError(f"{where}: SecurityEval rows need 'ID' and 'Prompt'") from None
        digits = re.search(r"CWE-0*(\d+)", ident)
        cwe = f"cwe-{int(digits.group(1)):03d}" if digits else "none"
        entry = re.findall(r"def\s+(\w+)\s*\(", prompt)
        prompts.append(EvalPrompt(id=f"securityeval-{ident}", language="python", cwe=cwe, prompt=prompt,
                                  entry_point=entry[-1] if entry else "", origin=where))
    return prompts


# --------------------------------------------------------------------------------------------- CLI


def add_changes(path: Path) -> int:
    rows = [row for _, row in _read_rows(path)]
    for row in rows:
        row.update(compute_changes(row["func_src_before"], row["func_src_after"]))
    atomic_write_jsonl(path, rows)
    return len(rows)


def check_bundled() -> dict[str, int]:
    pairs, prompts, utility = load_train_pairs(), load_eval_prompts(), load_utility_tasks()
    manifest = load_manifest()
    if manifest != build_manifest(pairs, prompts):
        raise DataError(f"{DATA_DIR / 'eval_manifest.json'} is out of date: run `python -m tsp_utils.data manifest`")
    seen = set(manifest["seen_cwes"])
    for p in prompts:
        expected = "seen" if p.cwe in seen else "unseen"
        if p.split != expected:
            raise DataError(f"{p.origin}: split is {p.split!r} but {p.cwe} makes it {expected!r}")
    return {"train_pairs": len(pairs), "eval_prompts": len(prompts), "utility_tasks": len(utility)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tsp_utils.data")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("check", help="validate every bundled data file")
    add = sub.add_parser("add-changes", help="compute line_changes/char_changes in place")
    add.add_argument("files", nargs="+", type=Path)
    sub.add_parser("manifest", help="recompute the seen/unseen split of the evaluation prompts")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "check":
            print(json.dumps(check_bundled()))
        elif args.cmd == "add-changes":
            for f in args.files:
                print(f"{f}: {add_changes(f)} rows")
        elif args.cmd == "manifest":
            pairs = load_train_pairs()
            path = DATA_DIR / "eval_prompts.jsonl"
            rows = [row for _, row in _read_rows(path)]
            seen = {p.vul_type for p in pairs}
            for row in rows:
                row["split"] = "seen" if row["cwe"].lower() in seen else "unseen"
            atomic_write_jsonl(path, rows)
            manifest = build_manifest(pairs, load_eval_prompts(path))
            atomic_write_text(DATA_DIR / "eval_manifest.json", json.dumps(manifest, indent=2) + "\n")
            print(json.dumps(manifest, indent=2))
    except (DataError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
