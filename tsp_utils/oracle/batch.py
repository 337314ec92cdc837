"""Labelling a batch: one file per snippet, the syntax checks and analyzers in parallel, the decision rule."""

from __future__ import annotations

import math
import os
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Callable, Sequence

from ..labels import SECURE, UNKNOWN, VULNERABLE
from ..languages import LANGUAGES, normalize_language
from ..progress import tqdm
from .analyzers import analyzers_for, run_bandit, run_codeql, run_cppcheck, run_flawfinder, run_semgrep
from .cache import cache_key, cached_verdict, load_cache, ruleset_version, save_cache
from .job import Job, join_context
from .policy import COUNT_THRESHOLD, SEV_RANK
from .records import Snippet, Verdict
from .syntax import check_c_family, check_go, check_javascript, prepare_python
from .tools import MAX_FILES_PER_PROCESS, chunks


def _finalize(job: Job) -> Verdict:
    """The decision rule (docs/oracle.md): syntax error, then a counted finding, then a failure, else secure."""
    if job.syntax == "error":
        # Unparsable code is never "secure"; analyzers were not run on it.
        return Verdict(UNKNOWN, job.language, [], "error", job.syntax_reason or "syntax error")
    counted = [f for f in job.findings if SEV_RANK[f.severity] >= SEV_RANK[COUNT_THRESHOLD]]
    advisories = [f for f in job.findings if SEV_RANK[f.severity] < SEV_RANK[COUNT_THRESHOLD]]
    key = lambda f: (f.line, f.analyzer, f.rule_id)  # noqa: E731
    counted.sort(key=key)
    advisories.sort(key=key)
    if counted:
        reason = ("partial analysis: " + "; ".join(job.failures)) if job.failures else ""
        return Verdict(VULNERABLE, job.language, counted, job.syntax, reason, advisories)
    if job.failures:
        return Verdict(UNKNOWN, job.language, [], job.syntax, "; ".join(job.failures), advisories)
    return Verdict(SECURE, job.language, [], job.syntax, job.syntax_reason if job.syntax == "unchecked" else "",
                   advisories)


def analyze_batch(
    snippets: Sequence[Snippet],
    cache_dir: str | os.PathLike | None = None,
    workers: int | None = None,
    progress: bool = True,
) -> list[Verdict]:
    """Label many snippets with one analyzer process per (analyzer, chunk of files).

    Results come back in input order. Identical snippets are analysed once. With ``cache_dir`` each verdict
    is stored keyed by sha256(ruleset version, language, context, code), in one JSON Lines shard per call; verdicts
    caused by analyzer failures are not cached so that a transient timeout does not stick.
    """
    workers = max(1, workers or min(4, os.cpu_count() or 1))
    cache_path = Path(cache_dir) if cache_dir is not None else None
    version = ruleset_version()
    cache, _ = load_cache(cache_path, version)
    results: list[Verdict | None] = [None] * len(snippets)
    jobs: dict[str, Job] = {}
    slots: dict[str, list[int]] = defaultdict(list)

    for i, sn in enumerate(snippets):
        lang = normalize_language(sn.language)
        if lang is None:
            results[i] = Verdict(UNKNOWN, str(sn.language), [], "unchecked",
                                 f"unsupported language: {sn.language!r}")
            continue
        for field_name in ("code", "context"):
            if not isinstance(getattr(sn, field_name) or "", str):
                where = f"snippet {i}" + (f" ({sn.id})" if sn.id else "")
                raise TypeError(f"{where}: {field_name} must be a str, got {type(getattr(sn, field_name)).__name__}")
        # A lone surrogate (from a decoder's errors="surrogateescape") cannot be written to a file: it becomes "?"
        code = sn.code.encode("utf-8", "replace").decode("utf-8")
        context = (sn.context or "").encode("utf-8", "replace").decode("utf-8")
        key = cache_key(lang, context, code, version)
        if key not in jobs and key not in slots:
            cached = cached_verdict(cache, key)
            if cached is not None:
                results[i] = cached
                continue
        slots[key].append(i)
        if key not in jobs:
            jobs[key] = Job(key=key, language=lang, code=code, context=context)
        # duplicates of a cached snippet are handled by the cache read above

    if jobs:
        with tempfile.TemporaryDirectory(prefix="tsp_oracle_") as workdir:
            _analyze_jobs(list(jobs.values()), workdir, workers, progress)
        new = {}
        for key, job in jobs.items():
            verdict = _finalize(job)
            # Timeouts and crashes may be transient (machine load); only deterministic outcomes are cached. A syntax
            # error is one, whatever an analyzer then failed to parse.
            if not job.failures or job.syntax == "error":
                new[key] = verdict
            for i in slots[key]:
                results[i] = Verdict.from_dict(verdict.to_dict())  # independent copies per slot
        save_cache(cache_path, version, new)
    return [r for r in results]  # type: ignore[misc]


def _analyze_jobs(jobs: list[Job], workdir: str, workers: int, progress: bool) -> None:
    for i, job in enumerate(jobs):
        job.fname = f"s{i:06d}{LANGUAGES[job.language].extension}"
        if not job.code.strip():
            job.syntax, job.syntax_reason = "error", "empty code"
        elif job.language == "python":
            prepare_python(job)  # in-process ast check; also picks the text bandit/semgrep will see
        else:
            job.text, job.offset = join_context(job.context, job.code)
    for job in jobs:
        if job.syntax != "error":
            Path(workdir, job.fname).write_text(job.text, encoding="utf-8")
    candidates = [j for j in jobs if j.syntax != "error"]

    # semgrep is the longest single process: start it on every file right away, in parallel with the
    # external syntax checks (its results for files that turn out not to parse are simply not used).
    semgrep_jobs = [j for j in candidates if "semgrep" in LANGUAGES[j.language].analyzers]
    semgrep_tasks = [("semgrep", lambda chunk=chunk: run_semgrep(chunk, workdir, workers))
                     for chunk in chunks(semgrep_jobs, MAX_FILES_PER_PROCESS["semgrep"])]

    by_lang: dict[str, list[Job]] = defaultdict(list)
    for job in candidates:
        by_lang[job.language].append(job)
    syntax_tasks: list[tuple[str, Callable[[], None]]] = []
    for lang, ljobs in by_lang.items():
        if LANGUAGES[lang].compiler:  # C, C++
            syntax_tasks.append((f"gcc-{lang}",
                                 lambda ljobs=ljobs, lang=lang: check_c_family(ljobs, workdir, lang, workers)))
        elif lang == "javascript":
            syntax_tasks.append(("node", lambda ljobs=ljobs: check_javascript(ljobs, workdir)))
        elif lang == "go":
            syntax_tasks.append(("gofmt", lambda ljobs=ljobs: check_go(ljobs, workdir)))
        # ruby/java: no checker installed here; semgrep's parse error makes the file a syntax error ("unknown").

    bar = None
    if progress:
        bar = tqdm(total=len(semgrep_tasks) + len(syntax_tasks), desc="oracle", leave=False)
    with ThreadPoolExecutor(max_workers=1) as semgrep_pool:
        semgrep_futs = [semgrep_pool.submit(fn) for _, fn in semgrep_tasks]
        _run_parallel(syntax_tasks, workers, bar)

        # the other analyzers only on files that parsed (or could not be checked)
        runnable = [j for j in candidates if j.syntax != "error"]
        tasks: list[tuple[str, Callable[[], None]]] = []
        per_tool: dict[str, list[Job]] = defaultdict(list)
        codeql_groups: dict[str, list[Job]] = defaultdict(list)
        analyzers = {lang: analyzers_for(lang) for lang in {j.language for j in runnable}}  # once, not per snippet
        for job in runnable:
            for tool in analyzers[job.language]:
                if tool == "codeql":
                    codeql_groups[LANGUAGES[job.language].codeql].append(job)
                elif tool != "semgrep":
                    per_tool[tool].append(job)
        for lang, cjobs in codeql_groups.items():
            tasks.append(("codeql", lambda cjobs=cjobs, lang=lang: run_codeql(cjobs, workdir, lang, workers)))
        for tool, tjobs in per_tool.items():
            # split so that `workers` processes of the same tool can run side by side
            size = min(MAX_FILES_PER_PROCESS[tool], max(25, math.ceil(len(tjobs) / workers)))
            for chunk in chunks(tjobs, size):
                if tool == "bandit":
                    tasks.append((tool, lambda chunk=chunk: run_bandit(chunk, workdir)))
                elif tool == "flawfinder":
                    tasks.append((tool, lambda chunk=chunk: run_flawfinder(chunk, workdir)))
                elif tool == "cppcheck":
                    tasks.append((tool, lambda chunk=chunk: run_cppcheck(chunk, workdir, 1)))
        if bar is not None:
            bar.total += len(tasks)
            bar.refresh()
        _run_parallel(tasks, workers, bar)
        for fut in semgrep_futs:
            fut.result()
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()


def _run_parallel(tasks: list[tuple[str, Callable[[], None]]], workers: int, bar: Any = None) -> None:
    if not tasks:
        return
    with ThreadPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
        futures = {pool.submit(fn): name for name, fn in tasks}
        for fut in as_completed(futures):
            fut.result()  # analyzer wrappers turn tool errors into per-file failures; anything else is a bug
            if bar is not None:
                bar.update(1)


def analyze(code: str, language: str, context: str = "") -> Verdict:
    """Label one snippet. For many snippets use ``analyze_batch`` (analyzer start-up dominates)."""
    return analyze_batch([Snippet(code=code, language=language, context=context)], progress=False)[0]
