"""Structure of the blind oracle corpus (tests/oracle_corpus/blind): twins complete, labelled and parseable.

The corpus measures the oracle; this test never runs the oracle. It checks only what the corpus itself promises:
every manifest row names two programs that exist, differ and parse, with a well-formed CWE and flaw line."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

BLIND = Path(__file__).resolve().parent / "oracle_corpus" / "blind"
CWE = re.compile(r"^cwe-\d{3,}$")
ROW_KEYS = {"id", "dir", "language", "cwe", "task", "secure_choice", "vulnerable_line"}
MIN_TWINS, MIN_CWES = 30, 20

# Compiled languages: syntax check command and file extension. A header a row "needs" that this machine lacks
# (e.g. openssl/ on a CI runner without libssl-dev) skips that program's compile check, naming the header.
COMPILERS = {"c": (["gcc", "-std=c11"], "c"), "cpp": (["g++", "-std=c++17"], "cpp")}
NEEDS_HEADERS = {"sqlite3": "sqlite3.h", "openssl": "openssl/evp.h", "libxml2": "libxml2/libxml/parser.h"}
INCLUDE_DIRS = [Path("/usr/include"), Path("/usr/local/include"), Path("/opt/homebrew/include")]


def _manifest_rows(language):
    path = BLIND / language / "manifest.jsonl"
    rows = []
    for n, line in enumerate(path.read_text().splitlines(), 1):
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as err:
            raise AssertionError(f"{path}:{n}: not JSON: {err}") from err
    return rows


def _programs(language):
    return [pytest.param(row, side, id=f"{row['id']}-{side}")
            for row in _manifest_rows(language) for side in ("vulnerable", "secure")]


# Every language with a manifest is checked; its file extension is read off the first twin on disk.
LANGUAGES = sorted(p.parent.name for p in BLIND.glob("*/manifest.jsonl"))


def _extension(language, row):
    found = sorted((BLIND / language / row["dir"]).glob("vulnerable.*"))
    assert len(found) == 1, f"{language}/{row['dir']}: expected one vulnerable.<ext>, found {found}"
    return found[0].suffix[1:]


def test_blind_corpus_covers_c_cpp_go():
    assert {"c", "cpp", "go"} <= set(LANGUAGES), f"manifests found for {LANGUAGES}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_manifest_rows_complete_and_twins_differ(language):
    rows = _manifest_rows(language)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), f"{language}: duplicate ids"
    for row in rows:
        where = f"{language}/manifest.jsonl row {row.get('id')}"
        ext = _extension(language, row)
        assert ROW_KEYS <= set(row), f"{where}: missing {ROW_KEYS - set(row)}"
        assert row["language"] == language, where
        assert CWE.match(row["cwe"]), f"{where}: malformed cwe {row['cwe']!r}"
        assert row["id"] == f"{language}-{row['dir'][:2]}", where
        assert row["task"].strip() and row["secure_choice"].strip(), where
        vul = (BLIND / language / row["dir"] / f"vulnerable.{ext}").read_text()
        sec = (BLIND / language / row["dir"] / f"secure.{ext}").read_text()
        assert vul != sec, f"{where}: twins are identical"
        lines = vul.splitlines()
        assert 1 <= row["vulnerable_line"] <= len(lines), f"{where}: vulnerable_line out of range"
        assert lines[row["vulnerable_line"] - 1].strip(), f"{where}: vulnerable_line is blank"
    dirs = {p.name for p in (BLIND / language).iterdir() if p.is_dir()}
    assert dirs == {r["dir"] for r in rows}, f"{language}: directories without a manifest row or vice versa"


@pytest.mark.parametrize("language", LANGUAGES)
def test_corpus_size_per_language(language):
    rows = _manifest_rows(language)
    assert len(rows) >= MIN_TWINS, f"{language}: {len(rows)} twins < {MIN_TWINS}"
    cwes = {r["cwe"] for r in rows}
    assert len(cwes) >= MIN_CWES, f"{language}: {len(cwes)} CWEs < {MIN_CWES}"


def _missing_header(row):
    for need in row.get("needs", []):
        header = NEEDS_HEADERS[need]
        if not any((d / header).exists() for d in INCLUDE_DIRS):
            return header
    return None


@pytest.mark.parametrize("language", sorted(COMPILERS))
def test_needs_declared_for_library_includes(language):
    """A program including a library header must list that library in "needs" (it drives the skip above)."""
    ext = COMPILERS[language][1]
    marks = {"sqlite3": "<sqlite3.h>", "openssl": "<openssl/", "libxml2": "<libxml/"}
    for row in _manifest_rows(language):
        for side in ("vulnerable", "secure"):
            src = (BLIND / language / row["dir"] / f"{side}.{ext}").read_text()
            used = {lib for lib, mark in marks.items() if mark in src}
            assert used <= set(row.get("needs", [])), f"{row['id']} {side}: needs {used}"


def _compile_check(language, row, side):
    cmd, ext = COMPILERS[language]
    if shutil.which(cmd[0]) is None:
        pytest.skip(f"{cmd[0]} not installed")
    header = _missing_header(row)
    if header:
        pytest.skip(f"{row['id']}: header {header} not installed")
    path = BLIND / language / row["dir"] / f"{side}.{ext}"
    includes = [f"-I{d / 'libxml2'}" for d in INCLUDE_DIRS if (d / "libxml2").exists()]
    proc = subprocess.run([*cmd, "-fsyntax-only", *includes, str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, f"{path} does not compile:\n{proc.stderr}"


@pytest.mark.parametrize("row,side", _programs("c"))
def test_c_programs_compile(row, side):
    _compile_check("c", row, side)


@pytest.mark.parametrize("row,side", _programs("cpp"))
def test_cpp_programs_compile(row, side):
    _compile_check("cpp", row, side)


def _error_nodes(node):
    if node.type == "ERROR" or node.is_missing:
        yield node
    for child in node.children:
        yield from _error_nodes(child)


@pytest.mark.parametrize("row,side", _programs("go"))
def test_go_programs_parse(row, side):
    tree_sitter = pytest.importorskip("tree_sitter")
    tree_sitter_go = pytest.importorskip("tree_sitter_go")
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_go.language()))
    path = BLIND / "go" / row["dir"] / f"{side}.go"
    tree = parser.parse(path.read_bytes())
    bad = [f"line {n.start_point[0] + 1}" for n in _error_nodes(tree.root_node)]
    assert not bad, f"{path}: syntax errors at {bad}"
