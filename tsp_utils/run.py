"""Run every numbered notebook headless, in order, into ``runs/<name>/``.

    python -m tsp_utils.run --profile cpu --name cpu-ref

Each notebook is one stage (00 setup, 01 trees, 02 oracle labels, 03 self-play, 04 evaluation, 05 explorer);
stages talk to each other only through files in RUN_DIR. The runner makes a killed run cheap to resume: a
stage that finished leaves a marker in ``RUN_DIR/steps/``; a rerun with the same parameters skips it, and once a
stage has to run again every later stage runs again too, since its inputs may have changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .artifacts import atomic_write_json, atomic_write_text
from .config import PROFILES, config_lock, config_params, repo_root, resolve_config, write_run_config
from .layout import RunLayout

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"


@dataclass
class StepResult:
    notebook: str
    status: str  # "ran" | "skipped" | "failed"
    wall_s: float
    output: Path


class StepFailed(RuntimeError):
    pass


def discover_notebooks(folder: Path, only: list[str] | None = None) -> list[Path]:
    notebooks = sorted(folder.glob(NOTEBOOK_GLOB))
    if only:
        wanted = {o.split("_")[0].zfill(2) for o in only}
        notebooks = [nb for nb in notebooks if nb.name[:2] in wanted]
    if not notebooks:
        raise FileNotFoundError(f"no numbered notebooks ({NOTEBOOK_GLOB}) in {folder}" + (f" matching {only}" if only else ""))
    return notebooks


def params_hash(notebook: Path, params: dict[str, Any]) -> str:
    # The notebook's own source is part of the key: editing a stage invalidates its earlier result.
    digest = hashlib.sha256(notebook.read_bytes())
    digest.update(json.dumps(params, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


def marker_path(run_dir: Path, notebook: Path) -> Path:
    return RunLayout(run_dir).steps / f"{notebook.stem}.json"


def is_complete(run_dir: Path, notebook: Path, key: str) -> bool:
    marker = marker_path(run_dir, notebook)
    if not marker.exists():
        return False
    try:
        info = json.loads(marker.read_text())
    except json.JSONDecodeError:
        return False
    return info.get("key") == key and (RunLayout(run_dir).notebooks / notebook.name).exists()


# glibc returns every freed block above 128 KiB to the OS and maps fresh, zeroed pages for the next one. Decoding
# grows the KV cache by a copy of every layer's cache per token, a few MB each, so page faults become a sizeable
# share of a CPU decoding step. Keeping such blocks in the heap made a batch-16 `generate` 12% faster on our 2-core
# machine (benchmarks/README.md). The kernels read these at start-up; no effect outside glibc.
KERNEL_MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": str(32 * 2**20), "MALLOC_TRIM_THRESHOLD_": str(4 * 2**30)}


def execute_step(notebook: Path, run_dir: Path, params: dict[str, Any], kernel_name: str | None) -> float:
    import papermill

    for key, value in KERNEL_MALLOC_ENV.items():
        os.environ.setdefault(key, value)  # inherited by the kernel papermill starts
    os.environ.setdefault("TSP_PLAIN_PROGRESS", "1")  # text progress bars: a saved widget would read 0% (progress.py)
    from papermill.exceptions import PapermillExecutionError

    out_dir = RunLayout(run_dir).notebooks
    out_dir.mkdir(parents=True, exist_ok=True)
    partial = out_dir / f"{notebook.stem}.partial.ipynb"
    final = out_dir / notebook.name
    start = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(notebook), str(partial), parameters=params, kernel_name=kernel_name,
            cwd=str(notebook.parent), progress_bar=False, log_output=False,
        )
    except PapermillExecutionError as exc:
        raise StepFailed(
            f"notebook {notebook.name} failed in cell [{exc.exec_count}]: {exc.ename}: {exc.evalue}\n"
            f"partially executed notebook: {partial}"
        ) from None
    except Exception as exc:  # kernel died, notebook unreadable, ...
        raise StepFailed(f"notebook {notebook.name} could not run: {type(exc).__name__}: {exc}\n"
                         f"partially executed notebook (if any): {partial}") from None
    os.replace(partial, final)
    return time.perf_counter() - start


def code_version(root: Path | None = None) -> str | None:
    """The commit the package runs from (``git describe --always --dirty``: ``-dirty`` when tracked files were
    edited), or None outside a git checkout. Each finished step records it, so published numbers name their code."""
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=7"], cwd=root or repo_root(),
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.strip() or None


def run_pipeline(
    run_dir: str | os.PathLike,
    profile: str,
    notebooks_dir: str | os.PathLike | None = None,
    only: list[str] | None = None,
    extra_params: dict[str, Any] | None = None,
    force: bool = False,
    kernel_name: str | None = None,
) -> list[StepResult]:
    notebooks_dir = Path(notebooks_dir) if notebooks_dir else repo_root() / "notebooks"
    run_dir = Path(run_dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    params = {"PROFILE": profile, "RUN_DIR": str(run_dir), **(extra_params or {})}
    results: list[StepResult] = []
    rerun_rest, wrote_config = force, False
    for notebook in discover_notebooks(notebooks_dir, only):
        key = params_hash(notebook, params)
        output = RunLayout(run_dir).notebooks / notebook.name
        if not rerun_rest and is_complete(run_dir, notebook, key):
            print(f"[skip] {notebook.name}: already complete in {output}")
            results.append(StepResult(notebook.name, "skipped", 0.0, output))
            continue
        if not wrote_config:
            # The run's configuration starts from this command's parameters, not from an earlier command's
            # leftovers in config.json (notebooks then add only what they are given themselves).
            with config_lock(RunLayout(run_dir).config):  # a notebook of this run may be open elsewhere
                write_run_config(run_dir, resolve_config(profile, **config_params(extra_params or {})))
            wrote_config = True
        rerun_rest = True
        print(f"[run ] {notebook.name} ...", flush=True)
        code = code_version()  # what the kernel is about to import, not what the tree holds when it finishes
        try:
            wall = execute_step(notebook, run_dir, params, kernel_name)
        except StepFailed:
            results.append(StepResult(notebook.name, "failed", 0.0, output))
            write_summary(run_dir, profile, results)
            raise
        atomic_write_json(marker_path(run_dir, notebook), {
            "notebook": notebook.name, "key": key, "params": params, "wall_s": round(wall, 1),
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "code": code,
        })
        print(f"[done] {notebook.name} in {wall:.0f} s", flush=True)
        results.append(StepResult(notebook.name, "ran", wall, output))
    write_summary(run_dir, profile, results)
    return results


def write_summary(run_dir: Path, profile: str, results: list[StepResult]) -> Path:
    """summary.md: what ran and how long, then each stage's own short summary (``<stem>.summary.md``)."""
    lines = [f"# Run summary: {run_dir.name}", "", f"profile: `{profile}`", "",
             "| notebook | status | wall time (s) |", "|---|---|---|"]
    for r in results:
        wall = "" if r.status != "ran" else f"{r.wall_s:.0f}"
        if r.status == "skipped":
            marker = marker_path(run_dir, Path(r.notebook))
            if marker.exists():
                wall = f"{json.loads(marker.read_text()).get('wall_s', '')} (earlier)"
        lines.append(f"| {r.notebook} | {r.status} | {wall} |")
    for r in results:
        part = RunLayout(run_dir).stage_summary(Path(r.notebook).stem)
        if part.exists():
            lines += ["", part.read_text().strip()]
    return atomic_write_text(RunLayout(run_dir).summary, "\n".join(lines) + "\n")


def _parse_param(text: str) -> tuple[str, Any]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(f"--param expects KEY=VALUE, got {text!r}")
    key, value = text.split("=", 1)
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tsp_utils.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default="cpu", choices=sorted(PROFILES))
    parser.add_argument("--name", help="run name; results go to runs/<name>/ (default: the profile name)")
    parser.add_argument("--run-dir", type=Path, help="explicit RUN_DIR (overrides --name)")
    parser.add_argument("--only", nargs="+", help="notebook numbers to run, e.g. --only 00 02")
    parser.add_argument("--param", action="append", default=[], type=_parse_param,
                        help="extra papermill parameter KEY=VALUE (JSON values), e.g. --param SEED=1")
    parser.add_argument("--force", action="store_true", help="rerun every stage even if complete")
    parser.add_argument("--notebooks-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--kernel", default=None, help="Jupyter kernel name (default: the notebook's, python3)")
    args = parser.parse_args(argv)

    run_dir = args.run_dir or repo_root() / "runs" / (args.name or args.profile)
    started = time.perf_counter()
    try:
        results = run_pipeline(run_dir, args.profile, args.notebooks_dir, args.only, dict(args.param),
                               args.force, args.kernel)
    except StepFailed as exc:
        print(f"\nRUN FAILED: {exc}", file=sys.stderr)
        return 1
    ran = sum(r.status == "ran" for r in results)
    print(f"\n{ran} notebook(s) ran, {len(results) - ran} skipped, {time.perf_counter() - started:.0f} s. "
          f"Results: {run_dir}/ (summary.md, notebooks/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
