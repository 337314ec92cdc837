"""The analyzers, one file per tool; which run on a language comes from :data:`tsp_utils.languages.LANGUAGES`."""

from __future__ import annotations

from ...languages import LANGUAGES
from .bandit import run_bandit
from .codeql import codeql_enabled, codeql_version, run_codeql
from .cppcheck import run_cppcheck
from .flawfinder import run_flawfinder
from .semgrep import RULES_DIR, run_semgrep

__all__ = ["RULES_DIR", "analyzers_for", "codeql_enabled", "codeql_version", "run_bandit", "run_codeql",
           "run_cppcheck", "run_flawfinder", "run_semgrep"]


def analyzers_for(language: str) -> tuple[str, ...]:
    """The analyzers that run on one language here (CodeQL added where installed and enabled)."""
    lang = LANGUAGES.get(language)
    if lang is None:
        return ()
    return lang.analyzers + ("codeql",) if lang.codeql and codeql_enabled() else lang.analyzers
