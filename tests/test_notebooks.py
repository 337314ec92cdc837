"""A papermill smoke run of every numbered notebook, in order, through the real runner (profile `smoke`)."""

import json

import pytest

from tsp_utils import run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory, offline_cache):
    rd = tmp_path_factory.mktemp("smoke_run")
    results = run.run_pipeline(rd, "smoke")
    return rd, results


def test_every_notebook_ran(smoke_run):
    rd, results = smoke_run
    assert results and all(r.status == "ran" for r in results)
    for r in results:
        assert r.output.exists()
    assert "## 00 setup" in (rd / "summary.md").read_text()


def test_setup_reports_the_model_it_loaded(smoke_run):
    rd, _ = smoke_run
    setup = json.loads((rd / "setup.json").read_text())
    assert setup["model_id"] == "smollm2-135m-instruct"
    assert setup["quantization"] == "nf4" and setup["compute_dtype"] == "float32"  # smoke exercises 4-bit on CPU
    assert setup["weights_mib"] > 0 and setup["config"]["profile"] == "smoke"
