"""Structure of the labelled corpus under tests/oracle_corpus/{blind,tuned,blind2} (see tests/oracle_corpus/README.md).

Checks the manifests and the files only; it never runs the oracle, so that the blind half stays unseen by the
rules until the final measurement."""

import ast
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tsp_utils import languages

CORPUS = Path(__file__).resolve().parent / "oracle_corpus"
HALVES = ("blind", "tuned")  # the two halves of issue #22's corpus: every language, 30+ twins each
# blind2, blind3: later blind sets for the languages whose rules changed after the first blind measurement
EXTRA_SETS = {"blind2": ("cpp", "python"), "blind3": ("cpp", "python")}
SETS = [(half, lang) for half in HALVES for lang in ("c", "cpp", "go", "javascript", "python")] + \
    [(name, lang) for name, langs in EXTRA_SETS.items() for lang in langs]
ID_MARK = {"blind": "", "tuned": "t", "blind2": "b2-", "blind3": "b3-"}  # ids: "c-07", "c-t07", "cpp-b2-07", ...
MIN_TWINS = 30  # per half and language
MIN_CWES = 20
MIN_TWINS_TOTAL = 60  # both halves together, per language (issue #22)
MIN_CWES_TOTAL = 25
CWE = re.compile(r"^cwe-\d{3,}$")
ROW_KEYS = {"id", "dir", "language", "cwe", "task", "secure_choice", "vulnerable_line"}


# A header a row "needs" that this machine lacks (e.g. openssl/ on a runner without libssl-dev) skips that program's
# compile check, naming the header.
NEEDS_HEADERS = {"sqlite3": "sqlite3.h", "openssl": "openssl/evp.h", "libxml2": "libxml2/libxml/parser.h"}
NEEDS_MARKS = {"sqlite3": "<sqlite3.h>", "openssl": "<openssl/", "libxml2": "<libxml/"}
INCLUDE_DIRS = [Path("/usr/include"), Path("/usr/local/include"), Path("/opt/homebrew/include")]
C_STANDARD = {"c": "-std=c11", "cpp": "-std=c++17"}


def _parse_python(path: Path, row: dict) -> None:
    ast.parse(path.read_text(), filename=str(path))


def _parse_javascript(path: Path, row: dict) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the JavaScript syntax check needs it")
    input_type = {"esm": "module", "commonjs": "commonjs"}[row.get("module", "commonjs")]
    with path.open("rb") as source:
        done = subprocess.run([node, f"--input-type={input_type}", "--check"], stdin=source, capture_output=True,
                              timeout=60)
    assert done.returncode == 0, f"{path}: node --check failed:\n{done.stderr.decode(errors='replace')}"


def _missing_header(row: dict) -> str | None:
    for need in row.get("needs", []):
        header = NEEDS_HEADERS[need]
        if not any((d / header).exists() for d in INCLUDE_DIRS):
            return header
    return None


def _compile_c_family(path: Path, row: dict) -> None:
    compiler = languages.get(row["language"]).compiler
    if shutil.which(compiler) is None:
        pytest.skip(f"{compiler} not installed")
    header = _missing_header(row)
    if header:
        pytest.skip(f"{row['id']}: header {header} not installed")
    includes = [f"-I{d / 'libxml2'}" for d in INCLUDE_DIRS if (d / "libxml2").exists()]
    proc = subprocess.run([compiler, C_STANDARD[row["language"]], "-fsyntax-only", *includes, str(path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{path} does not compile:\n{proc.stderr}"


def _error_nodes(node):
    if node.type == "ERROR" or node.is_missing:
        yield node
    for child in node.children:
        yield from _error_nodes(child)


def _parse_go(path: Path, row: dict) -> None:
    tree_sitter = pytest.importorskip("tree_sitter")
    tree_sitter_go = pytest.importorskip("tree_sitter_go")
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_go.language()))
    bad = [f"line {n.start_point[0] + 1}" for n in _error_nodes(parser.parse(path.read_bytes()).root_node)]
    assert not bad, f"{path}: syntax errors at {bad}"


# One syntax check per corpus language.
PARSERS = {"python": _parse_python, "javascript": _parse_javascript, "c": _compile_c_family,
           "cpp": _compile_c_family, "go": _parse_go}


def _load_rows() -> list[dict]:
    rows = []
    for half in (*HALVES, *EXTRA_SETS):
        for manifest in sorted((CORPUS / half).glob("*/manifest.jsonl")):
            for n, line in enumerate(manifest.read_text().splitlines(), 1):
                if line.strip():
                    row = json.loads(line)
                    row["_where"] = f"{manifest.relative_to(CORPUS)}:{n}"
                    row["_dir"] = manifest.parent / str(row.get("dir", ""))
                    row["_manifest_language"] = manifest.parent.name
                    row["_half"] = half
                    rows.append(row)
    return rows


ROWS = _load_rows()


def _files(row: dict) -> tuple[Path, Path]:
    ext = languages.get(row["language"]).extension
    return row["_dir"] / f"vulnerable{ext}", row["_dir"] / f"secure{ext}"


@pytest.mark.parametrize("half", HALVES)
def test_every_corpus_language_has_a_manifest(half):
    found = {row["_manifest_language"] for row in ROWS if row["_half"] == half}
    assert set(PARSERS) <= found, f"no manifest for {sorted(set(PARSERS) - found)} under {CORPUS / half}"


def test_ids_are_unique():
    ids = [row.get("id") for row in ROWS]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def _size(halves: tuple[str, ...], language: str) -> tuple[int, int]:
    rows = [row for row in ROWS if row["_manifest_language"] == language and row["_half"] in halves]
    return len(rows), len({row["cwe"] for row in rows})


@pytest.mark.parametrize("half, language", SETS)
def test_each_language_has_enough_twins_and_cwes(half, language):
    twins, cwes = _size((half,), language)
    assert twins >= MIN_TWINS, f"{half}/{language}: {twins} twins, want at least {MIN_TWINS}"
    assert cwes >= MIN_CWES, f"{half}/{language}: {cwes} CWEs, want at least {MIN_CWES}"


@pytest.mark.parametrize("language", sorted(PARSERS))
def test_both_halves_together_reach_the_issue_size(language):
    twins, cwes = _size(HALVES, language)
    assert twins >= MIN_TWINS_TOTAL, f"{language}: {twins} twins in both halves, want at least {MIN_TWINS_TOTAL}"
    assert cwes >= MIN_CWES_TOTAL, f"{language}: {cwes} CWEs in both halves, want at least {MIN_CWES_TOTAL}"


@pytest.mark.parametrize("half, language", SETS)
def test_every_twin_directory_is_in_the_manifest(half, language):
    listed = {row["_dir"].name for row in ROWS if row["_manifest_language"] == language and row["_half"] == half}
    folder = CORPUS / half / language
    assert folder.is_dir(), f"no folder {folder}"
    on_disk = {p.name for p in folder.iterdir() if p.is_dir()}
    assert on_disk == listed, f"{half}/{language}: directories without a row {sorted(on_disk - listed)}, " \
                              f"rows without a directory {sorted(listed - on_disk)}"


@pytest.mark.parametrize("row", ROWS, ids=[str(row.get("id")) for row in ROWS])
def test_manifest_row_is_well_formed(row):
    where = row["_where"]
    assert ROW_KEYS <= set(row), f"{where}: missing {sorted(ROW_KEYS - set(row))}"
    assert row["language"] == row["_manifest_language"], f"{where}: language {row['language']!r}"
    assert row["language"] in PARSERS, f"{where}: no syntax check for {row['language']!r}"
    assert CWE.match(row["cwe"]), f"{where}: cwe {row['cwe']!r} is not like 'cwe-089'"
    number = re.fullmatch(rf"{row['language']}-{ID_MARK[row['_half']]}(\d\d)", row["id"])
    assert number, f"{where}: id {row['id']!r} is not '<language>-{ID_MARK[row['_half']]}NN'"
    assert row["dir"].startswith(f"{number.group(1)}_{row['cwe']}_"), f"{where}: dir {row['dir']!r}"
    assert row["task"].strip() and row["secure_choice"].strip(), f"{where}: empty task or secure_choice"
    if row["language"] == "javascript":
        assert row.get("module", "commonjs") in ("esm", "commonjs"), f"{where}: module {row.get('module')!r}"
    vulnerable, secure = _files(row)
    assert vulnerable.is_file() and secure.is_file(), f"{where}: missing {vulnerable.name} or {secure.name}"
    vulnerable_text, secure_text = vulnerable.read_text(), secure.read_text()
    assert vulnerable_text != secure_text, f"{where}: the twins are identical"
    n_lines = len(vulnerable_text.splitlines())
    assert isinstance(row["vulnerable_line"], int) and 1 <= row["vulnerable_line"] <= n_lines, \
        f"{where}: vulnerable_line {row['vulnerable_line']!r} outside 1..{n_lines}"
    assert vulnerable_text.splitlines()[row["vulnerable_line"] - 1].strip(), f"{where}: vulnerable_line is blank"
    if row["language"] in C_STANDARD:  # a library header drives the missing-header skip: it must be declared
        for side, text in (("vulnerable", vulnerable_text), ("secure", secure_text)):
            used = {lib for lib, mark in NEEDS_MARKS.items() if mark in text}
            assert used <= set(row.get("needs", [])), f"{where} {side}: includes {used}, needs lists none of it"


@pytest.mark.parametrize("side", ["vulnerable", "secure"])
@pytest.mark.parametrize("row", ROWS, ids=[str(row.get("id")) for row in ROWS])
def test_each_program_parses(row, side):
    vulnerable, secure = _files(row)
    PARSERS[row["language"]](vulnerable if side == "vulnerable" else secure, row)
