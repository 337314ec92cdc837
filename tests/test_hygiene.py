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
    # nbformat 4.5 wants an id on every cell (a missing one is a warning in every run, and will be an error)
    assert (nb["nbformat"], nb["nbformat_minor"]) >= (4, 5) and all(c.get("id") for c in nb["cells"]), \
        f"{path.name}: cells without an id; run nbformat.validator.normalize on it"


def test_every_notebook_opens_in_colab_with_the_same_pinned_install_cell():
    from tsp_utils import colab

    slugs = {path.name: colab.notebook_repo(path) for path in NOTEBOOKS}
    assert len(set(slugs.values())) == 1 and None not in slugs.values(), slugs
    (repo,) = set(slugs.values())
    expected = colab.install_cell(repo)
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text())
        text = "".join("".join(c["source"]) for c in nb["cells"])
        assert colab.badge_url(repo, path.name) in text, f"{path.name}: no Colab badge to itself"
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert "colab-install" in code[0]["metadata"].get("tags", []), f"{path.name}: install cell is not first"
        assert "".join(code[0]["source"]) == expected, f"{path.name}: stale install cell; run python -m tsp_utils.colab"
    pins = [line for line in (REPO / "constraints.txt").read_text().splitlines() if line and not line.startswith("#")]
    # Colab installs the versions CI tests, all but the CI-only tools
    assert {pin.split("==")[0] for pin in pins if f'"{pin}"' not in expected} == set(colab.NOT_ON_COLAB)
    readme = dict(m.groups()[::-1] for m in colab._BADGE.finditer((REPO / "README.md").read_text()))
    assert readme == {p.name: repo for p in NOTEBOOKS}  # one README badge per notebook, same repository


def test_colab_sync_rewrites_badges_and_cells_once(tmp_path):
    import shutil

    from tsp_utils import colab

    src = next(p for p in NOTEBOOKS if p.name.startswith("05_"))
    nb = tmp_path / src.name
    shutil.copy(src, nb)
    readme = tmp_path / "README.md"
    readme.write_text(f"[x]({colab.badge_url(colab.PLACEHOLDER, src.name)})\n")
    assert colab.sync_notebook(nb, "alice/tsp") and colab.sync_readme(readme, "alice/tsp")
    assert colab.notebook_repo(nb) == "alice/tsp" and "github.com/alice/tsp" in nb.read_text()
    assert colab.PLACEHOLDER not in nb.read_text() and readme.read_text() == f"[x]({colab.badge_url('alice/tsp', src.name)})\n"
    assert not colab.sync_notebook(nb, "alice/tsp")  # idempotent
    assert nb.read_text().count('"colab-install"') == 1
    assert colab.main(["--repo", "not a slug"]) == 2


def test_relative_run_dirs_follow_tsp_run_root(tmp_path, monkeypatch):
    from tsp_utils.config import repo_root, run_dir

    monkeypatch.delenv("TSP_RUN_ROOT", raising=False)
    assert run_dir(tmp_path / "abs") == tmp_path / "abs"
    monkeypatch.setenv("TSP_RUN_ROOT", str(tmp_path / "drive"))
    assert run_dir("runs/dev") == tmp_path / "drive" / "runs" / "dev" and (tmp_path / "drive" / "runs" / "dev").is_dir()
    monkeypatch.delenv("TSP_RUN_ROOT")
    made = run_dir("runs/.run_dir_test")
    made.rmdir()
    assert made.parent == repo_root() / "runs"


@pytest.mark.parametrize("url", ["https://github.com/alice/tsp.git", "git@github.com:alice/tsp.git",
                                 "https://github.com/alice/tsp"])
def test_colab_repo_slug_comes_from_the_origin_remote(tmp_path, url):
    import subprocess

    from tsp_utils import colab

    assert colab.origin_slug(tmp_path) is None  # not a repository
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert colab.origin_slug(tmp_path) is None  # no origin
    subprocess.run(["git", "-C", str(tmp_path), "remote", "add", "origin", url], check=True)
    assert colab.origin_slug(tmp_path) == "alice/tsp"


def test_environment_yml_pip_section_is_one_pip_accepts():
    """conda writes the pip section to a requirements file next to environment.yml and runs `pip install -r` on it:
    every line must be a requirement or an option pip allows in such a file (`--no-deps` is not one)."""
    import yaml
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet

    env = yaml.safe_load((REPO / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "conda-forge" in env["channels"] and "python=3.11" in deps
    (torch,) = [d for d in deps if isinstance(d, str) and d.startswith("pytorch")]
    assert "2.13.0" in SpecifierSet(torch.removeprefix("pytorch"))
    (pip,) = [d["pip"] for d in deps if isinstance(d, dict)]
    assert "-e .[dev]" in pip
    for line in pip:
        if line.startswith("-"):
            option, _, value = line.partition(" ")
            assert option in {"-c", "-r", "-e", "--index-url", "--extra-index-url", "-f", "--find-links"}, line
            if option in ("-c", "-r"):
                assert (REPO / value).exists(), line
        else:
            Requirement(line)
