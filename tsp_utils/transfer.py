"""The cross-language transfer experiment of notebook 04: TSP-oracle trained for one iteration on the trees of
one language group only, and its SPR@1 on every evaluation language beside the base model's.

Only the trees differ from TSP-oracle's first self-play iteration (same budget, LoRA initialisation and seed), so
the "all" group *is* that iteration. The design and how to read the matrix: docs/evaluation.md ("Transfer").
"""

from __future__ import annotations

import json
from pathlib import Path

from .artifacts import atomic_write_json
from .evaluation.protocol import ModelSpec, evaluate_spec
from .evaluation.tables import ResultRow, spr_cell
from .layout import RunLayout, layout
from .models import attach_lora, save_adapter
from .pairs import equalize_budget, oracle_pairs, tree_pairs
from .selfplay import iteration_seed
from .training import TrainConfig, train

__all__ = ["TRANSFER_GROUPS", "coinciding_groups", "same_as_transfer", "training_budget", "train_transfer_adapter",
           "transfer_matrix"]

TRANSFER_GROUPS = {"c/cpp": ("c", "cpp"), "all": ("c", "cpp", "python", "javascript", "go")}


def coinciding_groups(pair_languages: set[str]) -> dict[str, str]:
    """Groups whose training pairs are another group's, given the languages the pair pool holds: {group: the
    broader group it equals}. When only C and C++ trees gave TSP-oracle pairs, "c/cpp" trains on exactly the
    pairs "all" trains on, so its row would repeat that row by construction: it is not trained again."""
    broadest_first = sorted(TRANSFER_GROUPS, key=lambda g: -len(TRANSFER_GROUPS[g]))
    seen: dict[frozenset[str], str] = {}
    same = {}
    for group in broadest_first:
        key = frozenset(pair_languages & set(TRANSFER_GROUPS[group]))
        if key in seen:
            same[group] = seen[key]
        else:
            seen[key] = group
    return same


def same_as_transfer(group: str, results: dict[str, list], iterations: int) -> str | None:
    """The already-scored model that *is* a transfer row, if any: one TSP-oracle iteration on every language's
    iteration-0 trees with notebook 03's budget is TSP-oracle's first self-play iteration."""
    name = "tsp-oracle" if iterations == 1 else "tsp-oracle@1"
    return name if group == "all" and name in results else None


def training_budget(run: RunLayout | Path, cfg, fallback: int) -> int:
    """Examples per iteration that notebook 03 gave every method (recorded in its iteration-0 pair stats)."""
    path = layout(run).pair_stats(0)
    if path.exists():
        return int(json.loads(path.read_text())["budget"])
    return cfg.train_budget or fallback


def train_transfer_adapter(base_model, tokenizer, trees, group: str, cfg, budget: int, run: RunLayout | Path,
                           progress: bool = True) -> Path:
    """TSP-oracle trained for one iteration on the iteration-0 trees of one language group only (resumable).

    Everything but the trees is TSP-oracle's first self-play iteration: the same budget, LoRA initialisation and
    seed (:func:`selfplay.iteration_seed`), so the "all" group reproduces that iteration exactly."""
    out = layout(run).transfer_adapter(group)
    if (out / "adapter_config.json").exists():
        return out
    langs = TRANSFER_GROUPS[group]
    pairs, stats = tree_pairs("tsp-oracle", [t for t in trees if t.language in langs], tokenizer, cfg.max_seq_len)
    if not pairs:
        raise RuntimeError(f"no TSP-oracle pairs for {group}: the trees of these languages have no vulnerable branch")
    seed = iteration_seed(cfg.seed, 1)
    pairs = equalize_budget(pairs, budget, seed)
    tc = TrainConfig.from_run("tsp-oracle", cfg, seed)
    model = attach_lora(base_model, r=cfg.lora_r, alpha=cfg.lora_alpha, gradient_checkpointing=tc.gradient_checkpointing,
                        seed=cfg.seed)
    log = train(model, pairs, tc, tokenizer.pad_token_id, progress=progress)
    save_adapter(model, out)
    atomic_write_json(out.parent / "manifest.json", {"group": group, "languages": list(langs), "data": stats.to_dict(),
                                                     "trained_on": len(pairs), "seed": seed,
                                                     "wall_s": round(log.wall_s, 1), "final": log.summary()})
    model.unload()
    return out


def transfer_matrix(base_model, tokenizer, trees, results: dict[str, list], prompts, cfg, run: RunLayout | Path,
                    progress: bool = True) -> dict[str, dict[str, ResultRow]]:
    """SPR@1 per evaluation language (columns) of TSP-oracle trained on each language group (rows), and of the
    base model, each cell a :func:`~tsp_utils.evaluation.tables.spr_cell` (CI, and the difference to the base
    model on that language's prompts). Trains and scores what is missing (resumable); adds the scored samples to
    ``results``.

    Prints each group's share of the pair pool: when one group holds nearly all pairs (a forest whose other
    languages gave no vulnerable branch), its row and the all-languages row differ by little but chance."""
    run = layout(run)
    languages = sorted({p.language for p in prompts})
    budget = training_budget(run, cfg, len(trees))  # notebook 03's: every method trained on this many
    pool = oracle_pairs(trees, tokenizer)[0]
    same = coinciding_groups({p.language for p in pool})
    scored_by_group: dict[str, list] = {}
    for group in sorted(TRANSFER_GROUPS, key=lambda g: g in same):  # a repeated group after the one it repeats
        langs = TRANSFER_GROUPS[group]
        own = sum(p.language in langs for p in pool)  # pairs are built per tree: a group's are its trees' pairs
        print(f"{group}: {own} of the {len(pool)} TSP-oracle pairs of iteration 0, {budget} drawn for training")
        reused = same_as_transfer(group, results, cfg.iterations)
        if group in same and same[group] in scored_by_group:
            print(f"  = the {same[group]!r} row: the other languages' trees gave no pairs, so it would train on the "
                  f"same pairs with the same seed; not trained again")
            scored_by_group[group] = scored_by_group[same[group]]
        elif reused:  # one TSP-oracle iteration on every language's iteration-0 trees: already trained and scored
            print(f"  = {reused}, already trained and scored by notebook 03")
            scored_by_group[group] = results[reused]
        else:
            try:
                adapter = train_transfer_adapter(base_model, tokenizer, trees, group, cfg, budget, run,
                                                 progress=progress)
            except RuntimeError as exc:
                print(f"  skipped: {exc}")
                continue
            name = "transfer-" + group.replace("/", "_")
            scored_by_group[group] = evaluate_spec(ModelSpec(name, adapter), base_model, tokenizer, prompts, run,
                                                   cfg=cfg, progress=progress)
            results[name] = scored_by_group[group]
    matrix: dict[str, dict[str, ResultRow]] = {}
    for group in TRANSFER_GROUPS:
        if group in scored_by_group:
            row = f"{group} (= {same[group]}: same pairs)" if group in same else group
            matrix[row] = {lang: spr_cell(scored_by_group[group], results["base"], group, lang, cfg.seed)
                           for lang in languages}
    matrix["none (base)"] = {lang: spr_cell(results["base"], None, "base", lang, cfg.seed) for lang in languages}
    return matrix
