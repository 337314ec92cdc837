"""What notebook 03's training manifests (``RUN_DIR/adapters/<method>/iter_N/manifest.json``) say, for the notebook
and the report: every method's training budget per iteration, and one line per method on whether its held-out node
accuracy moved. Torch-free: it reads JSON only."""

from __future__ import annotations

import json
import os

from .layout import RunLayout, layout

METHODS = ("sft", "spin", "tsp-paper", "tsp-oracle")

BUDGET_COLUMNS = ("optimizer_steps", "examples", "distinct_examples", "prompt_tokens", "chosen_tokens",
                  "rejected_tokens")


def method_manifests(run: RunLayout | str | os.PathLike) -> dict[str, list[dict]]:
    """method -> its iterations' manifests, in order (methods that trained nothing are left out)."""
    lay, out = layout(run), {}
    for method in METHODS:
        it = 1
        while (lay.adapter_dir(method, it) / "manifest.json").exists():
            out.setdefault(method, []).append(
                json.loads((lay.adapter_dir(method, it) / "manifest.json").read_text(encoding="utf-8")))
            it += 1
    return out


def method_readings(run: RunLayout | str | os.PathLike) -> dict[str, str]:
    """method -> :func:`training_reading` of its iterations."""
    return {m: training_reading(ms) for m, ms in method_manifests(run).items()}


def training_budget_table(run: RunLayout | str | os.PathLike) -> list[dict]:
    """Every method's training budget per iteration, from the run's manifests: one record per (method, iteration)
    with :data:`BUDGET_COLUMNS` (``training.training_budget``), the settings that shape it (batch size, gradient
    accumulation, epochs, ``max_seq_len``, ``max_prompt_len``) and the seconds spent training and evaluating."""
    records = []
    for m in (m for ms in method_manifests(run).values() for m in ms):
        hp, budget = m.get("hyper_parameters", {}), m.get("budget", {})
        records.append({"method": m["method"], "iteration": m["iteration"],
                        **{k: budget.get(k) for k in BUDGET_COLUMNS},
                        **{k: hp.get(k) for k in ("batch_size", "grad_accum", "epochs", "max_seq_len", "max_prompt_len")},
                        "train_s": round(m.get("wall_s", 0.0) - m.get("eval_s", 0.0), 1), "eval_s": m.get("eval_s")})
    return records


def training_budget_markdown(records: list[dict]) -> str:
    """:func:`training_budget_table` as a markdown table (one row per method and iteration)."""
    cols = ["method", "iteration", *BUDGET_COLUMNS, "max_prompt_len", "train_s"]
    lines = ["| " + " | ".join(c.replace("_", " ") for c in cols) + " |", "|---|" + "---:|" * (len(cols) - 1)]
    lines += ["| " + " | ".join("–" if r.get(c) is None else str(r[c]) for c in cols) + " |" for r in records]
    return "\n".join(lines)


def training_reading(manifests: list[dict]) -> str:
    """One line on one method's iterations: did the held-out node accuracy move (first evaluation vs last), and
    did the chosen and the rejected log-probs fall (the sign of their rewards, beta x (log pi - log pi_ref), over
    the final quarter of the last iteration: below zero, that side became less likely than under the reference)."""
    steps = [s for m in manifests for s in m.get("steps", [])]
    evals = [s for s in steps if "eval/node_accuracy" in s]
    parts = []
    if len(evals) >= 2:
        first, last = evals[0]["eval/node_accuracy"], evals[-1]["eval/node_accuracy"]
        moved = "moved" if first != last else "did not move"
        parts.append(f"held-out node accuracy {moved}: {first:.0%} -> {last:.0%} ({100 * (last - first):+.0f} points)")
        if "eval/node_margin" in evals[0] and "eval/node_margin" in evals[-1]:  # continuous: moves before a node flips
            a, b = evals[0]["eval/node_margin"], evals[-1]["eval/node_margin"]
            parts.append(f"margin {a:+.2f} -> {b:+.2f} nats")
    else:
        parts.append("held-out node accuracy not evaluated")
    final = manifests[-1].get("final", {}) if manifests else {}
    if "rewards/chosen" in final:
        chosen, rejected = final["rewards/chosen"], final["rewards/rejected"]
        fell = [side for side, r in (("chosen", chosen), ("rejected", rejected)) if r < 0]
        verdict = {2: "both log-probs fell", 1: f"only the {fell[0] if fell else ''} log-prob fell"}.get(
            len(fell), "neither log-prob fell")
        parts.append(f"{verdict} (rewards: chosen {chosen:+.2f}, rejected {rejected:+.2f})")
    cwes: dict[str, int] = {}
    for m in manifests:  # what it trained on: a held-out node of a CWE it never saw has little reason to move
        for cwe, n in (m.get("data") or {}).get("by_cwe", {}).items():
            cwes[cwe] = cwes.get(cwe, 0) + n
    if cwes:
        total = sum(cwes.values())
        top = sorted(cwes.items(), key=lambda kv: -kv[1])[:3]
        parts.append("pairs available: " + ", ".join(f"{c} {n / total:.0%}" for c, n in top) + f" of {total}")
    return "; ".join(parts)


__all__ = ["METHODS", "BUDGET_COLUMNS", "method_manifests", "method_readings", "training_budget_table",
           "training_budget_markdown", "training_reading"]
