"""Fidelity on labelled (vulnerable, fixed) pairs: recall, false alarms, unknowns, CWEs no analyzer can reach."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable

import yaml  # semgrep and bandit depend on PyYAML

from ..labels import UNKNOWN, VULNERABLE
from ..languages import LANGUAGES, normalize_language
from .analyzers import RULES_DIR
from .batch import analyze_batch
from .cache import ruleset_version
from .policy import cwe_matches, normalize_cwe
from .records import Snippet

# CWEs that the three off-the-shelf analyzers can emit (beyond our semgrep rules); used to list dataset CWEs
# that no analyzer here can reach. Derived from the tools' documentation.
_C_TOOLS_CWES = {"cwe-120", "cwe-119", "cwe-134", "cwe-078", "cwe-190", "cwe-362", "cwe-377", "cwe-415", "cwe-416",
                 "cwe-476", "cwe-401", "cwe-787", "cwe-125", "cwe-758", "cwe-562", "cwe-664", "cwe-676", "cwe-020",
                 "cwe-807", "cwe-250", "cwe-732", "cwe-327", "cwe-190"}
_TOOL_REACHABLE_CWES: dict[str, set[str]] = {
    "bandit": {"cwe-078", "cwe-089", "cwe-094", "cwe-095", "cwe-259", "cwe-295", "cwe-326", "cwe-327",
               "cwe-377", "cwe-502", "cwe-079", "cwe-611", "cwe-319", "cwe-732", "cwe-605", "cwe-020",
               "cwe-022"},
    "flawfinder": _C_TOOLS_CWES,
    "cppcheck": _C_TOOLS_CWES,
}


@dataclass
class FidelityRow:
    group: str  # "language" | "cwe" | "all"
    language: str
    cwe: str
    n: int
    recall: float  # share of vulnerable versions labelled vulnerable
    false_alarm: float  # share of fixed versions labelled vulnerable
    unknown_before: float
    unknown_after: float
    cwe_match_recall: float  # share of vulnerable versions flagged with a CWE matching vul_type
    reachable: bool  # whether any analyzer/rule here can emit this CWE for this language

    @property
    def margin(self) -> float:
        return self.recall - self.false_alarm


@dataclass
class FidelityReport:
    rows: list[FidelityRow]
    unreachable: list[tuple[str, str, int]]  # (language, cwe, n pairs) no analyzer here can report
    n_pairs: int
    ruleset: str

    def by_language(self) -> dict[str, FidelityRow]:
        return {r.language: r for r in self.rows if r.group == "language"}

    def to_rows(self) -> list[dict[str, Any]]:
        out = []
        for r in self.rows:
            d = dataclasses.asdict(r)
            d["margin"] = r.margin
            out.append(d)
        return out

    def to_markdown(self) -> str:
        head = ("| group | language | cwe | n | recall | false alarm | recall-FA | unknown before | "
                "unknown after | CWE-match recall | reachable |\n"
                "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
        lines = []
        for r in self.rows:
            lines.append(f"| {r.group} | {r.language} | {r.cwe} | {r.n} | {r.recall:.0%} | {r.false_alarm:.0%} | "
                         f"{r.margin:+.2f} | {r.unknown_before:.0%} | {r.unknown_after:.0%} | "
                         f"{r.cwe_match_recall:.0%} | {'yes' if r.reachable else 'NO'} |")
        text = head + "\n".join(lines) + "\n"
        if self.unreachable:
            text += ("\nCWEs no analyzer or rule here can report (static analysis without these checks cannot "
                     "reach them; they count as misses above):\n")
            for lang, cwe, n in self.unreachable:
                text += f"- {lang} {cwe}: {n} pair(s)\n"
        text += f"\n{self.n_pairs} pairs, ruleset {self.ruleset}. Unknown is counted separately, never as secure.\n"
        return text


@functools.lru_cache(maxsize=1)
def _rule_cwes() -> dict[str, set[str]]:
    """CWEs our semgrep rules can emit, per language."""
    out: dict[str, set[str]] = defaultdict(set)
    for path in RULES_DIR.glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for rule in data.get("rules", []):
            cwe = normalize_cwe((rule.get("metadata") or {}).get("cwe"))
            if not cwe:
                continue
            for lang in rule.get("languages", []):
                lang = normalize_language(lang)
                if lang:
                    out[lang].add(cwe)
    if "c" in out:
        out["cpp"] |= out["c"]
    return dict(out)


def _tool_reachable(language: str) -> set[str]:
    lang = LANGUAGES.get(language)
    return set().union(*(_TOOL_REACHABLE_CWES.get(tool, set()) for tool in (lang.analyzers if lang else ())))


def reachable_cwes(language: str) -> set[str]:
    lang = normalize_language(language) or language
    return set(_rule_cwes().get(lang, set())) | _tool_reachable(lang)


def _is_reachable(language: str, cwe: str) -> bool:
    reach = reachable_cwes(language)
    return any(cwe_matches(c, cwe) for c in reach)


def _pair_lang(p: Any) -> str:
    lang = getattr(p, "language", None)
    if lang is None and isinstance(p, dict):
        lang = p.get("language")
    return normalize_language(lang) or str(lang)


def _get(p: Any, name: str, default: Any = "") -> Any:
    if isinstance(p, dict):
        return p.get(name, default)
    return getattr(p, name, default)


def fidelity_report(pairs: Iterable[Any], cache_dir: str | os.PathLike | None = None,
                    workers: int | None = None, progress: bool = True) -> FidelityReport:
    """Recall / false alarms of the oracle on (vulnerable, fixed) pairs.

    ``pairs`` are objects (or dicts) with language, vul_type, func_src_before, func_src_after, file_context.
    """
    pairs = list(pairs)
    snippets = []
    for p in pairs:
        lang = _pair_lang(p)
        ctx = _get(p, "file_context", "") or ""
        snippets.append(Snippet(_get(p, "func_src_before"), lang, ctx))
        snippets.append(Snippet(_get(p, "func_src_after"), lang, ctx))
    verdicts = analyze_batch(snippets, cache_dir=cache_dir, workers=workers, progress=progress)
    recs = []
    for i, p in enumerate(pairs):
        before, after = verdicts[2 * i], verdicts[2 * i + 1]
        cwe = normalize_cwe(_get(p, "vul_type")) or "unknown"
        recs.append((_pair_lang(p), cwe, before, after))

    def row(group: str, lang: str, cwe: str, items: list) -> FidelityRow:
        n = len(items)
        b_vul = sum(b.label == VULNERABLE for _, _, b, _ in items)
        a_vul = sum(a.label == VULNERABLE for _, _, _, a in items)
        b_unk = sum(b.label == UNKNOWN for _, _, b, _ in items)
        a_unk = sum(a.label == UNKNOWN for _, _, _, a in items)
        match = sum(b.label == VULNERABLE and any(cwe_matches(f.cwe, c) for f in b.findings)
                    for _, c, b, _ in items)
        reach = all(_is_reachable(l, c) for l, c, _, _ in items) if group == "cwe" else True
        return FidelityRow(group, lang, cwe, n, b_vul / n, a_vul / n, b_unk / n, a_unk / n, match / n, reach)

    rows: list[FidelityRow] = []
    if recs:
        rows.append(row("all", "*", "*", recs))
    by_lang: dict[str, list] = defaultdict(list)
    by_cwe: dict[tuple[str, str], list] = defaultdict(list)
    for r in recs:
        by_lang[r[0]].append(r)
        by_cwe[(r[0], r[1])].append(r)
    for lang in sorted(by_lang):
        rows.append(row("language", lang, "*", by_lang[lang]))
    for (lang, cwe) in sorted(by_cwe):
        rows.append(row("cwe", lang, cwe, by_cwe[(lang, cwe)]))
    unreachable = [(lang, cwe, len(items)) for (lang, cwe), items in sorted(by_cwe.items())
                   if not _is_reachable(lang, cwe)]
    return FidelityReport(rows, unreachable, len(pairs), ruleset_version())
