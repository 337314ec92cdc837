"""The bundled data in ``data/``: our training pairs, evaluation prompts, utility tasks and the seen/unseen manifest."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from ..config import repo_root
from .records import DataError, EvalPrompt, GarbledFile, TrainPair
from .rows import pair_from_row, prompt_from_row

DATA_DIR = repo_root() / "data"


def read_rows(path: Path) -> Iterable[tuple[str, Any]]:
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                yield where, json.loads(line)
            except json.JSONDecodeError as exc:
                raise GarbledFile(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from None


def load_train_pairs(path: str | os.PathLike | None = None) -> list[TrainPair]:
    """Our bundled training pairs (``data/train_pairs.jsonl``) or any file in the same schema."""
    path = Path(path or DATA_DIR / "train_pairs.jsonl")
    return [pair_from_row(row, where) for where, row in read_rows(path)]


def load_eval_prompts(path: str | os.PathLike | None = None) -> list[EvalPrompt]:
    """Our completion-style security prompts (``data/eval_prompts.jsonl``), each with its seen/unseen split."""
    path = Path(path or DATA_DIR / "eval_prompts.jsonl")
    prompts = [prompt_from_row(row, where) for where, row in read_rows(path)]
    dupes = [k for k, n in Counter(p.id for p in prompts).items() if n > 1]
    if dupes:
        raise DataError(f"{path}: duplicate ids {dupes}")
    return prompts


def load_utility_tasks(path: str | os.PathLike | None = None) -> list[EvalPrompt]:
    """Plain (non-security) coding tasks with functional tests, to check that training keeps the model useful."""
    return load_eval_prompts(path or DATA_DIR / "utility_tasks.jsonl")


def load_manifest(path: str | os.PathLike | None = None) -> dict[str, Any]:
    path = Path(path or DATA_DIR / "eval_manifest.json")
    return json.loads(path.read_text())


def build_manifest(pairs: list[TrainPair], prompts: list[EvalPrompt]) -> dict[str, Any]:
    """Seen CWEs are those with at least one training pair (any language); everything else is held out."""
    seen = sorted({p.vul_type for p in pairs})
    prompt_cwes = sorted({p.cwe for p in prompts if p.cwe != "none"})
    return {
        "seen_cwes": seen,
        "unseen_cwes": [c for c in prompt_cwes if c not in seen],
        "train_pairs": dict(sorted(Counter(p.language for p in pairs).items())),
        "eval_prompts": {lang: dict(sorted(Counter(p.split for p in prompts if p.language == lang).items()))
                         for lang in sorted({p.language for p in prompts})},
    }
