"""The runner: order, resume after a kill, clear failures. Uses tiny notebooks, no model."""

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tsp_utils import run
from tsp_utils.progress import OneLineBar
from tsp_utils.progress import tqdm as bar


def _notebook(path: Path, body: str) -> None:
    params = new_code_cell('PROFILE = "cpu"\nRUN_DIR = "."', metadata={"tags": ["parameters"]})
    nb = new_notebook(cells=[params, new_code_cell(body)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture
def notebooks(tmp_path):
    folder = tmp_path / "nbs"
    folder.mkdir()
    # Stage 01 counts its executions; stage 02 announces itself, then hangs while RUN_DIR/hang exists, and fails
    # while RUN_DIR/fail exists.
    _notebook(folder / "01_count.ipynb",
              "from pathlib import Path\nwith open(Path(RUN_DIR) / 'count.txt', 'a') as f:\n    f.write('x')")
    _notebook(folder / "02_second.ipynb",
              "import time\nfrom pathlib import Path\nrd = Path(RUN_DIR)\n(rd / 'started').write_text('1')\n"
              "while (rd / 'hang').exists():\n    time.sleep(0.2)\n"
              "if (rd / 'fail').exists():\n    raise ValueError('stage two exploded')\n(rd / 'two.txt').write_text('ok')")
    (folder / "README.ipynb").write_text("{}")  # not numbered: must be ignored
    return folder


def _runs(run_dir: Path) -> int:
    return len((run_dir / "count.txt").read_text())


def test_runs_numbered_notebooks_in_order_and_writes_summary(notebooks, tmp_path):
    rd = tmp_path / "run"
    assert run.main(["--profile", "smoke", "--run-dir", str(rd), "--notebooks-dir", str(notebooks)]) == 0
    assert _runs(rd) == 1 and (rd / "two.txt").read_text() == "ok"
    assert sorted(p.name for p in (rd / "notebooks").iterdir()) == ["01_count.ipynb", "02_second.ipynb"]
    marker = json.loads((rd / "steps" / "01_count.json").read_text())
    assert marker["params"]["PROFILE"] == "smoke" and marker["params"]["RUN_DIR"] == str(rd.resolve())
    assert marker["code"] == run.code_version() and (marker["code"] or "").strip()  # the tests run in a checkout
    assert "| 02_second.ipynb | ran |" in (rd / "summary.md").read_text()
    # A second run skips both; a changed parameter reruns them.
    assert run.main(["--profile", "smoke", "--run-dir", str(rd), "--notebooks-dir", str(notebooks)]) == 0
    assert _runs(rd) == 1
    assert run.main(["--profile", "smoke", "--run-dir", str(rd), "--notebooks-dir", str(notebooks), "--param", "SEED=3"]) == 0
    assert _runs(rd) == 2


def test_resumes_after_kill_without_redoing_finished_steps(notebooks, tmp_path):
    rd = tmp_path / "run"
    rd.mkdir()
    (rd / "hang").write_text("1")
    cmd = [sys.executable, "-m", "tsp_utils.run", "--profile", "smoke", "--run-dir", str(rd),
           "--notebooks-dir", str(notebooks)]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 120
        while not (rd / "started").exists():
            assert proc.poll() is None, "runner exited before stage 02 started"
            assert time.time() < deadline, "stage 02 never started"
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the runner and its kernel, like a dead Colab VM
        proc.wait()
    assert (rd / "steps" / "01_count.json").exists()
    assert not (rd / "steps" / "02_second.json").exists()
    assert not (rd / "notebooks" / "02_second.ipynb").exists()  # only the .partial one may exist

    (rd / "hang").unlink()
    assert run.main(["--profile", "smoke", "--run-dir", str(rd), "--notebooks-dir", str(notebooks)]) == 0
    assert _runs(rd) == 1, "stage 01 ran again although it had finished before the kill"
    assert (rd / "two.txt").read_text() == "ok"


def test_failing_notebook_stops_with_cell_error_and_partial_path(notebooks, tmp_path, capsys):
    rd = tmp_path / "run"
    rd.mkdir()
    (rd / "fail").write_text("1")
    assert run.main(["--profile", "smoke", "--run-dir", str(rd), "--notebooks-dir", str(notebooks)]) == 1
    err = capsys.readouterr().err
    assert "02_second.ipynb failed" in err and "ValueError: stage two exploded" in err
    partial = rd / "notebooks" / "02_second.partial.ipynb"
    assert str(partial) in err and partial.exists()
    assert not (rd / "steps" / "02_second.json").exists()
    assert "| 02_second.ipynb | failed |" in (rd / "summary.md").read_text()


def test_bad_arguments_are_named(tmp_path):
    with pytest.raises(SystemExit):
        run.main(["--param", "NOEQUALS"])
    with pytest.raises(FileNotFoundError, match="no numbered notebooks"):
        run.discover_notebooks(tmp_path)


def test_the_run_configuration_carries_what_one_notebook_was_told_to_the_next(tmp_path):
    from tsp_utils.config import resolve_config, run_config

    run = tmp_path / "run"
    first = run_config(run, "smoke", branches_k=3, seed=None)  # notebook 01, told K=3; SEED left unset
    assert first == resolve_config("smoke", branches_k=3) and (run / "config.json").exists()
    later = run_config(run, "smoke", iterations=2, methods=["sft", "tsp-oracle"])  # notebook 03
    assert later.branches_k == 3 and later.iterations == 2 and later.methods == ("sft", "tsp-oracle")
    evaluation = run_config(run, "smoke", n_eval_prompts=None)  # notebook 04: sees all of it
    assert evaluation == later and isinstance(evaluation.risk_methods, tuple)
    assert run_config(run, "smoke", seed=7).seed == 7 and run_config(run, "smoke").seed == 7
    with pytest.raises(ValueError, match="belongs to profile 'smoke'"):
        run_config(run, "cpu")
    (run / "config.json").write_text("{not json")
    with pytest.raises(ValueError, match="config.json: not valid JSON"):
        run_config(run, "smoke")
    (run / "config.json").write_text("[]")
    with pytest.raises(ValueError, match="expected a JSON object"):
        run_config(run, "smoke")


def test_two_notebooks_updating_the_run_configuration_at_once_keep_both_values(tmp_path):
    """A notebook reads config.json, applies its values and writes it back. Another that reads in between would
    write back without the first one's values: the update holds a lock for its whole read-modify-write."""
    import subprocess
    import sys
    import time

    from tsp_utils.config import config_lock, _update_run_config, run_config

    run = tmp_path / "run"
    run_config(run, "smoke")
    started = tmp_path / "started"
    child = ("import pathlib, sys; from tsp_utils.config import run_config; "
             f"pathlib.Path({str(started)!r}).touch(); print(run_config({str(run)!r}, 'smoke', iterations=3).branches_k)")
    with config_lock(run / "config.json"):
        proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, text=True)
        while not started.exists() and proc.poll() is None:
            time.sleep(0.05)
        time.sleep(0.5)  # without the lock, the other notebook has read the old file by now
        _update_run_config(run / "config.json", "smoke", {"branches_k": 3})  # what run_config does under the lock
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0 and out.strip() == "3"
    final = run_config(run, "smoke")
    assert (final.branches_k, final.iterations) == (3, 3)


def test_the_runner_starts_the_run_configuration_from_its_own_parameters(notebooks, tmp_path):
    """A value an earlier command set does not outlive it: the runner rewrites config.json from its --param values
    (the run settings among them) before the first stage it runs."""
    import json as _json

    from tsp_utils.config import config_params, resolve_config, run_config

    run_dir = tmp_path / "run"
    run_config(run_dir, "smoke", n_eval_prompts=5)  # left over from an earlier, different command
    assert config_params({"N_EVAL_PROMPTS": 2, "ITERATION": 1, "METHOD": "x"}) == {"n_eval_prompts": 2}
    run.run_pipeline(run_dir, "smoke", notebooks_dir=notebooks, extra_params={"BRANCHES_K": 3})
    saved = _json.loads((run_dir / "config.json").read_text())
    assert saved == _json.loads(_json.dumps(resolve_config("smoke", branches_k=3).to_dict()))


def test_progress_bars_print_one_line_in_the_runners_kernels(monkeypatch, capsys):
    monkeypatch.setenv("TSP_PLAIN_PROGRESS", "1")
    for _ in bar(range(3), desc="work"):
        pass
    grow = bar(total=2, desc="oracle", leave=False)
    grow.update(2)
    grow.total += 3  # a loop that learns of more work on the way (the oracle's batches)
    grow.update(3)
    grow.close()
    grow.close()  # closing twice reports once
    bar(range(3), desc="quiet", disable=True).close()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and lines[0].startswith("work: 100%") and "3/3" in lines[0]
    assert lines[1].startswith("oracle: 100%") and "5/5" in lines[1]
    monkeypatch.delenv("TSP_PLAIN_PROGRESS")
    assert not isinstance(bar(range(3), file=io.StringIO()), OneLineBar)  # tqdm.auto's choice elsewhere
