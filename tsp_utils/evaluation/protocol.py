"""The evaluation protocol of notebook 04: which prompts, which models, and scoring one model into RUN_DIR.

Every number of the report comes from the files written here (one ``eval/<model>.jsonl`` per model, see
:class:`tsp_utils.layout.RunLayout`), so a killed run resumes where it stopped.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..layout import RunLayout, layout
from . import score
from .records import ScoredSample

__all__ = ["select_prompts", "ModelSpec", "model_specs", "evaluation_specs", "evaluate_spec"]


def select_prompts(prompts: Sequence[Any], n: int | None, seed: int = 0) -> list[Any]:
    """``n`` prompts stratified over (language, split), so a small evaluation keeps every language and both splits."""
    if n is None or n >= len(prompts):
        return list(prompts)
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for p in prompts:
        groups[(p.language, p.split)].append(p)
    rng = random.Random(seed)
    for g in groups.values():
        rng.shuffle(g)
    queues = [groups[k] for k in sorted(groups)]
    out: list[Any] = []
    while len(out) < n and any(queues):
        for q in queues:
            if q and len(out) < n:
                out.append(q.pop())
    return sorted(out, key=lambda p: p.id)


@dataclass
class ModelSpec:
    name: str  # "base", "sft", "tsp-oracle@1", ...
    adapter: Path | None  # None: the base model


def model_specs(run: RunLayout | Path, methods: Sequence[str], iterations: int,
                each_iteration: bool) -> list[ModelSpec]:
    """The base model and each method's adapter of the last iteration (or of every iteration)."""
    run = layout(run)
    specs = [ModelSpec("base", None)]
    for method in methods:
        its = range(1, iterations + 1) if each_iteration else [iterations]
        for it in its:
            path = run.adapter(method, it)
            if not (path / "adapter_config.json").exists():
                raise FileNotFoundError(f"{path} is missing: run notebook 03 first (same RUN_DIR and profile)")
            name = method if it == iterations else f"{method}@{it}"
            specs.append(ModelSpec(name, path))
    return specs


def evaluation_specs(run: RunLayout | Path, cfg) -> list[ModelSpec]:
    """The models notebook 04 evaluates: base, every method's final adapter, and the intermediate iterations of
    the methods in ``cfg.eval_iterations_for`` (for the SPR@1-vs-iteration curve)."""
    specs = model_specs(run, cfg.methods, cfg.iterations, each_iteration=False)
    return specs + [s for m in cfg.eval_iterations_for if m in cfg.methods
                    for s in model_specs(run, [m], cfg.iterations, each_iteration=True)[1:-1]]


def evaluate_spec(spec: ModelSpec, base_model, tokenizer, prompts, run: RunLayout | Path, *, cfg,
                  progress: bool = True, also: dict[str, Sequence[Any]] | None = None) -> list[ScoredSample]:
    """Scored samples of one model, read from ``run.scored(spec.name)`` when that exists (resume), else generated
    and scored with the run's oracle cache.

    ``also`` ({prefix: prompts}) scores more prompt sets with the same model in the same pass and saves them as
    ``run.scored("<prefix>-<name>")``, where a later ``evaluate_spec`` of ``ModelSpec("<prefix>-<name>", ...)``
    finds them: on a CPU, one decoding pass over all rows costs little more than the longest of separate passes,
    and the analyzers start once."""
    run = layout(run)
    path = run.scored(spec.name)
    if path.exists():
        return score.load_scored(path, prompts)
    from ..models import applied_adapter, sampling_mode  # torch: select_prompts and the specs import without it

    sets = {"": list(prompts)}
    sets.update({prefix: list(ps) for prefix, ps in (also or {}).items()
                 if ps and not run.scored(f"{prefix}-{spec.name}").exists()})
    ids = [p.id for ps in sets.values() for p in ps]
    if len(ids) != len(set(ids)):
        raise ValueError(f"evaluate_spec({spec.name}): prompt ids repeat across the sets {sorted(sets)}")
    with applied_adapter(base_model, spec.adapter) as model, sampling_mode(model) as policy:
        scored = score.evaluate_model(policy, tokenizer, [p for ps in sets.values() for p in ps],
                                      cache_dir=run.oracle_cache, progress=progress, n_samples=cfg.eval_samples,
                                      temperature=cfg.eval_temperature, top_p=cfg.eval_top_p,
                                      max_new_tokens=cfg.eval_max_new_tokens, seed=cfg.seed,
                                      batch_size=cfg.eval_batch_size, show_code=cfg.eval_show_code)
    for prefix, ps in sets.items():
        if prefix:
            own = {p.id for p in ps}
            score.save_scored(run.scored(f"{prefix}-{spec.name}"), [s for s in scored if s.prompt_id in own])
    main = [s for s in scored if s.prompt_id in {p.id for p in sets[""]}]
    score.save_scored(path, main)  # last: its presence means the whole pass finished
    return main
