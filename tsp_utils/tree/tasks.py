"""The tasks trees are grown for, and the golden response: a training pair's fixed function as the model answers.

See docs/trees.md ("Tasks and the golden path").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ..languages import fence_tag


@dataclass
class TreeTask:
    task_id: str
    language: str
    cwe: str
    instruction: str
    golden_code: str  # the fixed function: the golden path
    vulnerable_code: str  # the vulnerable function (risk nodes come from the difference)
    context: str = ""


def tasks_from_pairs(pairs: Iterable[Any]) -> list[TreeTask]:
    tasks = []
    for i, p in enumerate(pairs):
        if not getattr(p, "usable", True):
            continue
        name = (p.func_name or "anonymous").split("::")[-1].replace("/", "_")
        tasks.append(TreeTask(f"{i:03d}-{p.language}-{name}", p.language, p.vul_type, p.description,
                              p.func_src_after, p.func_src_before, p.file_context))
    return tasks


def select_tasks(tasks: list[TreeTask], n: int | None) -> list[TreeTask]:
    """The first ``n`` tasks taken round-robin over languages, so a small run still covers every language."""
    if n is None or n >= len(tasks):
        return list(tasks)
    by_lang: dict[str, list[TreeTask]] = {}
    for t in tasks:
        by_lang.setdefault(t.language, []).append(t)
    out: list[TreeTask] = []
    queues = [list(v) for _, v in sorted(by_lang.items())]
    while len(out) < n:
        for q in queues:
            if q and len(out) < n:
                out.append(q.pop(0))
    return out


# ------------------------------------------------------------------------------------------------ code in responses


def golden_response(language: str, code: str) -> str:
    """The response we want from the model: the fixed function in a fenced block, as chat models answer."""
    return f"```{fence_tag(language)}\n{code.rstrip()}\n```"


def extract_code(response: str) -> tuple[str, int]:
    """The code inside a fenced response and its char offset in the response (no fence: the whole text)."""
    start = 0
    if response.startswith("```"):
        newline = response.find("\n")
        start = len(response) if newline < 0 else newline + 1
    end = response.find("```", start)
    code = response[start:] if end < 0 else response[start:end]
    return code, start
