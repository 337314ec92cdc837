"""Checks that keep the package's shape (docs/architecture.md): small modules, a torch-free base, language facts
in one table, no repeated blocks, imports at the top of a module unless they keep a heavy library out of it."""

from __future__ import annotations

import ast

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "tsp_utils"
MAX_LINES = 500

# Modules allowed over MAX_LINES, each with the reason. Keep it short: a new entry needs a reason a reviewer accepts.
OVERSIZE_ALLOWED: dict[str, str] = {}

# The base: what the oracle, the sandbox, risk nodes and the data loaders need. None of it may pull in torch.
TORCH_FREE = ("tsp_utils.languages", "tsp_utils.labels", "tsp_utils.layout", "tsp_utils.config", "tsp_utils.code",
              "tsp_utils.data", "tsp_utils.risk", "tsp_utils.oracle", "tsp_utils.sandbox", "tsp_utils.artifacts")
HEAVY = ("torch", "transformers", "peft", "trl", "bitsandbytes", "accelerate", "datasets")

# Imports that may stand inside a function: heavy or optional libraries kept out of a module's import (so the base
# stays torch-free and the CLIs start fast), and the notebook-only UI libraries.
LAZY_IMPORT_ALLOWED = {*HEAVY, "safetensors", "tree_sitter", "tree_sitter_go", "yaml", "IPython", "ipywidgets",
                       "matplotlib", "papermill", "nbformat", "google", "fcntl", "gguf", "numpy", "scipy", "pandas",
                       "tsp_utils.models", "tsp_utils.sampling", "tsp_utils.training", "tsp_utils.dpo",
                       "tsp_utils.trl_dpo", "tsp_utils.selfplay", "tsp_utils.evaluation.generate"}

# One file's lazy import, with the reason.
LAZY_IMPORT_EXCEPTIONS = {
    ("tsp_utils/sandbox/run.py", "tsp_utils.progress"):
        "the sandbox package imports nothing else of tsp_utils, so its tests can copy it alone for another user",
}

LANGUAGE_IDS = ("python", "c", "cpp", "javascript", "go", "ruby", "java")
MIN_REPEAT = 6  # lines of code (blank, comment and import lines left out) that make a repeated block


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def test_modules_within_size_bound():
    over = {_rel(p): n for p in _modules() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    unexplained = {k: v for k, v in over.items() if k not in OVERSIZE_ALLOWED}
    assert not unexplained, f"modules over {MAX_LINES} lines (split them, or allow-list with a reason): {unexplained}"
    stale = sorted(set(OVERSIZE_ALLOWED) - set(over))
    assert not stale, f"allow-listed modules that are no longer over the bound: drop them from the list: {stale}"


def test_base_imports_without_torch():
    code = ("import sys\n"
            f"for m in {TORCH_FREE!r}:\n    __import__(m)\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]", f"the torch-free base imported {out.stdout.strip()}"


def _package_of(path: Path) -> str:
    return ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])


def _lazy_imports(source: str, package: str) -> list[tuple[int, str]]:
    """(line, module) of every import inside a function of ``source`` (a module of ``package``), relative imports
    resolved."""
    tree = ast.parse(source)
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Import):
                found += [(node.lineno, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                name = f"{base}.{node.module}" if node.level and node.module else (base if node.level else node.module)
                found += ([(node.lineno, f"{name}.{a.name}") for a in node.names] if node.level and not node.module
                          else [(node.lineno, name)])
    return found


def _allowed(module: str) -> bool:
    return any(module == a or module.startswith(a + ".") for a in LAZY_IMPORT_ALLOWED)


def test_imports_stand_at_the_top():
    bad = [f"{_rel(p)}:{line} imports {mod}" for p in _modules()
           for line, mod in _lazy_imports(p.read_text(), _package_of(p))
           if not _allowed(mod) and (_rel(p), mod) not in LAZY_IMPORT_EXCEPTIONS]
    assert not bad, "imports inside functions (move them to the top, or allow-list a heavy library):\n" + "\n".join(bad)


def _language_keyed_dicts(source: str) -> list[int]:
    """Lines of dict literals keyed by two or more of our language ids."""
    return [node.lineno for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Dict)
            and len({k.value for k in node.keys if isinstance(k, ast.Constant) and k.value in LANGUAGE_IDS}) >= 2]


def test_language_facts_live_in_the_languages_table():
    offenders = [f"{_rel(p)}:{line}" for p in _modules() if p.name != "languages.py"
                 for line in _language_keyed_dicts(p.read_text())]
    assert not offenders, "per-language dicts outside tsp_utils/languages.py:\n" + "\n".join(offenders)


def _signature_lines(source: str) -> set[int]:
    """Lines of function signatures (and decorators): two functions with the same parameters are no copy."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            lines.update(range(first, node.body[0].lineno))
    return lines


def _code_lines(path: Path) -> list[tuple[int, str]]:
    source = path.read_text()
    signatures = _signature_lines(source)
    out = []
    for i, raw in enumerate(source.splitlines(), 1):
        line = " ".join(raw.split())
        if (not line or line.startswith("#") or line.startswith(("import ", "from ")) or len(line) < 4
                or i in signatures):
            continue
        out.append((i, line))
    return out


def repeated_blocks(paths: list[Path], min_lines: int = MIN_REPEAT) -> list[str]:
    """Runs of ``min_lines`` identical code lines (white space folded) that stand in two places."""
    seen: dict[tuple[str, ...], list[tuple[Path, int]]] = defaultdict(list)
    for p in paths:
        lines = _code_lines(p)
        for k in range(len(lines) - min_lines + 1):
            window = tuple(text for _, text in lines[k:k + min_lines])
            if sum(len(t) > 12 for t in window) >= min_lines // 2:  # not a run of brackets and "else:"
                seen[window].append((p, lines[k][0]))
    return sorted({" ~ ".join(f"{_rel(p)}:{n}" for p, n in places[:2]) for places in seen.values()
                   if len(places) > 1})


def test_no_repeated_blocks():
    blocks = repeated_blocks(_modules())
    assert not blocks, f"blocks of {MIN_REPEAT}+ lines written twice in tsp_utils/ (share one):\n" + "\n".join(blocks)


def test_repeated_block_detector_finds_a_copy(tmp_path, monkeypatch):
    lines = [f"    total_value_{i} = compute_something(argument_{i})\n" for i in range(8)]
    (tmp_path / "a.py").write_text("def f():\n" + "".join(lines))
    (tmp_path / "b.py").write_text("def g(x):\n    if x:\n" + "".join("    " + line for line in lines))
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    pair = [tmp_path / "a.py", tmp_path / "b.py"]
    assert repeated_blocks(pair) == ["a.py:2 ~ b.py:3", "a.py:3 ~ b.py:4", "a.py:4 ~ b.py:5"]
    (tmp_path / "b.py").write_text("def g():\n" + "".join(lines[:MIN_REPEAT - 1]))
    assert repeated_blocks(pair) == []


@pytest.mark.parametrize("snippet, expected", [
    ("def f():\n    import torch\n", []),
    ("def f():\n    import json\n", ["json"]),
    ("def f():\n    from .oracle import analyze\n", ["tsp_utils.oracle"]),
])
def test_lazy_import_check(snippet, expected):
    assert [m for _, m in _lazy_imports(snippet, "tsp_utils") if not _allowed(m)] == expected


def _rebound_constants(source: str) -> list[str]:
    """Module-level UPPER_CASE names assigned more than once (a later copy silently wins over the first)."""
    seen: dict[str, int] = {}
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) \
            else []
        for t in targets:
            if isinstance(t, ast.Name) and t.id.isupper():
                seen[t.id] = seen.get(t.id, 0) + 1
    return sorted(name for name, n in seen.items() if n > 1)


def test_no_module_constant_is_defined_twice():
    """A palette defined twice in plots.py once gave every figure the second one: each constant is set once."""
    twice = {_rel(p): names for p in _modules() if (names := _rebound_constants(p.read_text()))}
    assert not twice, f"module constants assigned twice: {twice}"
    assert _rebound_constants("A = 1\nB = 2\nA = 3\n") == ["A"]
