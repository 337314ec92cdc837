"""What a learner must never find in an executed notebook: a bare repr, a library's warning, a stale progress bar.

Used by tests/test_notebooks.py on every notebook of the smoke run; tested itself on made-up outputs."""

from __future__ import annotations

import re
from typing import Any

_BARE_REPR = re.compile(r"PosixPath\(|^\s*[\[{(]['\"\w]|\{'[^'\n]{1,60}': ", re.M)  # a path, dict, list or tuple repr
_WARNING = re.compile(r"\b\w*(?:Warning|warnings\.warn)\b|^WARNING\b", re.M)
_BAR = re.compile(r"(\d{1,3})%\|")


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def output_problems(notebook: dict) -> list[str]:
    """One line per problem: ``cell N (its first line): what`` (N counts the code cells from 1, papermill's injected
    parameters cell included)."""
    problems = []
    code_cells = [c for c in notebook.get("cells", []) if c.get("cell_type") == "code"]
    for k, cell in enumerate(code_cells, 1):
        first = _text(cell.get("source")).strip().splitlines()[:1]
        n = f"{k} ({first[0][:40]!r})" if first else str(k)
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "stream":
                text = _text(out.get("text"))
                if out.get("name") == "stderr" and _WARNING.search(text):
                    problems.append(f"cell {n}: a warning on stderr: {text.strip()[:120]!r}")
                for match in _BAR.finditer(text):
                    if match.group(1) != "100":
                        problems.append(f"cell {n}: a progress bar left at {match.group(1)}%")
                if _BARE_REPR.search(text):
                    problems.append(f"cell {n}: a Python repr printed: {text.strip()[:120]!r}")
            elif kind in ("execute_result", "display_data"):
                data = out.get("data", {})
                plain = _text(data.get("text/plain"))
                if "application/vnd.jupyter.widget-view+json" in data and _BAR.search(plain):
                    problems.append(f"cell {n}: a progress-bar widget saved as {plain.strip()[:60]!r}")
                elif kind == "execute_result" and set(data) == {"text/plain"}:
                    problems.append(f"cell {n}: a bare value as the cell's result: {plain.strip()[:120]!r}")
            elif kind == "error":
                problems.append(f"cell {n}: {out.get('ename')}: {out.get('evalue')}")
    return problems
