"""The verdict cache: JSON Lines shards keyed by the decision code's version (docs/oracle.md, "Verdict cache")."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

from ..artifacts import atomic_write_jsonl
from .analyzers import RULES_DIR, codeql_version
from .records import Verdict
from .tools import tool_versions

_PACKAGE = Path(__file__).resolve().parent
_TSP_UTILS = _PACKAGE.parent
# Every file whose text decides a verdict: this package's modules and its node checker, the lexer it borrows
# (tsp_utils.code: the bracket check and the literal mask) and the language table. Their text is part of every
# cache key, so no cached verdict outlives the code that made it (a hand-bumped version number was once forgotten
# after a change to the bracket check). Globbed, so a new module counts without being listed; the rule files are
# hashed by ruleset_version, with their names.
DECISION_SOURCES: tuple[Path, ...] = tuple(sorted(
    [p for p in _PACKAGE.rglob("*") if p.suffix in (".py", ".cjs") and "__pycache__" not in p.parts]
    + list((_TSP_UTILS / "code").glob("*.py")) + [_TSP_UTILS / "languages.py", _TSP_UTILS / "labels.py"]))


def ruleset_version() -> str:
    """Hash of the decision logic's source, our rule files and the analyzer versions (part of every cache key)."""
    h = hashlib.sha256()
    for path in DECISION_SOURCES:
        h.update(path.read_bytes())
    h.update(tool_versions().encode())
    codeql = codeql_version()
    if codeql is not None:
        h.update(("codeql=" + codeql).encode())
    for path in sorted(RULES_DIR.rglob("*.y*ml")):  # semgrep reads the rule folder recursively
        h.update(str(path.relative_to(RULES_DIR)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def cache_key(language: str, context: str, code: str, version: str) -> str:
    h = hashlib.sha256()
    for part in (version, language, context, code):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


# The verdict cache is a folder of JSON Lines shards, one written per analyze_batch call that judged something new,
# not a file per verdict: on Colab, RUN_DIR (and so the cache) lives on Google Drive, where every file created is a
# round trip, and a colab-t4 run labels thousands of snippets (a cpu run wrote 1,273 files). A shard's name carries
# the ruleset version, so shards that another version of the decision code wrote are never read (none of their
# keys could match). Past CACHE_SHARDS_MAX shards of the current version they are merged into one, and the shards of
# other versions (and the one-file-per-verdict folders of the layout before shards) are deleted then.
CACHE_SHARDS_MAX = 32


def _shards(cache_dir: Path, version: str) -> list[Path]:
    return sorted(cache_dir.glob(f"verdicts-{version}-*.jsonl"))


def load_cache(cache_dir: Path | None, version: str) -> tuple[dict[str, dict[str, Any]], list[Path]]:
    """(key -> verdict dict, the shards read to the end). A line that does not parse (a write cut short, a bad byte)
    is skipped alone: its snippet is judged again. A shard that could not be read is not in the list, so a merge
    keeps it."""
    entries: dict[str, dict[str, Any]] = {}
    read: list[Path] = []
    if cache_dir is None or not cache_dir.is_dir():
        return entries, read
    for shard in _shards(cache_dir, version):
        try:
            data = shard.read_bytes()
        except OSError:
            continue
        for line in data.splitlines():
            try:
                row = json.loads(line.decode("utf-8"))
                entries[row["key"]] = row["verdict"]
            except (ValueError, KeyError, TypeError):
                continue
        read.append(shard)
    return entries, read


def cached_verdict(entries: dict[str, dict[str, Any]], key: str) -> Verdict | None:
    try:
        return Verdict.from_dict(entries[key]) if key in entries else None
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # a row we cannot read: judge again


def save_cache(cache_dir: Path | None, version: str, new: dict[str, Verdict]) -> None:
    """One new shard with ``new``, written atomically (a concurrent reader sees all of it or none); then, if the
    shards have become many, one merged shard in place of those read whole."""
    if cache_dir is None or not new:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_jsonl(cache_dir / f"verdicts-{version}-{time.time_ns():020d}-{os.getpid()}.jsonl",
                       ({"key": k, "verdict": v.to_dict()} for k, v in new.items()))
    if len(_shards(cache_dir, version)) > CACHE_SHARDS_MAX:
        merged, read = load_cache(cache_dir, version)
        out = atomic_write_jsonl(cache_dir / f"verdicts-{version}-{time.time_ns():020d}-{os.getpid()}-merged.jsonl",
                                 ({"key": k, "verdict": v} for k, v in merged.items()))
        for shard in read:  # only shards read to the end: one another process wrote meanwhile stays
            if shard != out:
                shard.unlink(missing_ok=True)
        for stale in cache_dir.glob("verdicts-*.jsonl"):
            if not stale.name.startswith(f"verdicts-{version}-"):
                stale.unlink(missing_ok=True)
        for folder in cache_dir.glob("[0-9a-f][0-9a-f]"):
            if folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
