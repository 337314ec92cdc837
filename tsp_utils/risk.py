"""Finding CWE risk nodes: the places in a function where an insecure choice can be made.

Four methods (diff, oracle, uncertainty, and the paper's LLM annotator as an option) return :class:`RiskSite`
records in character offsets of the code; the tree builder maps them to tokens. docs/trees.md ("Step 1") explains
each method and when it applies.
"""

from __future__ import annotations

import difflib
import json
import os
import urllib.request
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from .code import comment_spans, in_spans, line_of, line_starts
from .data import RiskAnnotation, parse_risk_annotations


@dataclass(frozen=True)
class RiskSite:
    char_offset: int  # in the code
    line: int  # 1-based line of the code
    method: str  # "diff" | "oracle" | "uncertainty" | "llm"
    cwe: str | None = None
    note: str = ""
    end_line: int | None = None  # last line of the golden code this choice replaces (the fix's hunk)




def _first_code_char(code: str, start: int) -> int:
    """Branch after the indentation: the choice is the statement, not its whitespace."""
    end = code.find("\n", start)
    end = len(code) if end < 0 else end
    stripped = len(code[start:end]) - len(code[start:end].lstrip(" \t"))
    return start + stripped


def diff_risk_sites(before: str, after: str, cwe: str | None = None) -> list[RiskSite]:
    """One site per changed hunk: the first line of the fixed code in that hunk (or the line after a pure deletion)."""
    b_lines, a_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    starts = line_starts(after)
    sites = []
    matcher = difflib.SequenceMatcher(None, b_lines, a_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or j1 >= len(a_lines):
            continue
        # Skip blank/brace-only lines at the top of a hunk: the decision is the first line with content.
        j = j1
        while j < max(j2, j1 + 1) - 1 and not a_lines[j].strip(" \t\n{}"):
            j += 1
        offset = _first_code_char(after, starts[j])
        sites.append(RiskSite(offset, j + 1, "diff", cwe, f"hunk {tag} before:{i1 + 1}-{i2} after:{j1 + 1}-{j2}",
                              end_line=max(j2, j + 1)))
    return _dedupe(sites)


def oracle_risk_sites(code: str, findings: Iterable[Any], min_line: int = 1) -> list[RiskSite]:
    """Sites at the start of each line the oracle flagged (``findings`` have ``line`` and ``cwe``), from
    ``min_line`` on (a branch re-branches only inside its own continuation)."""
    starts = line_starts(code)
    sites = []
    for f in findings:
        line = f["line"] if isinstance(f, dict) else f.line
        cwe = f.get("cwe") if isinstance(f, dict) else f.cwe
        rule = f.get("rule_id") if isinstance(f, dict) else f.rule_id
        if line and min_line <= line <= len(starts):
            sites.append(RiskSite(_first_code_char(code, starts[line - 1]), line, "oracle", cwe, str(rule)))
    return _dedupe(sites)



def uncertainty_risk_sites(token_offsets: Sequence[tuple[int, int]], entropies: Sequence[float], code: str,
                           lines: set[int], top_k: int = 1, min_entropy: float = 0.5,
                           language: str | None = None) -> list[RiskSite]:
    """The ``top_k`` highest-entropy token positions inside ``lines`` (1-based), above ``min_entropy`` nats, and
    not inside a comment (given ``language``): what a comment says next is no security decision.

    ``token_offsets[i]`` is the (start, end) char span in ``code`` of golden token i and ``entropies[i]`` the
    policy's entropy when it had to produce that token.
    """
    comments = comment_spans(code, language)
    candidates = []
    for (start, end), h in zip(token_offsets, entropies):
        if end <= start or start >= len(code) or h < min_entropy:
            continue
        if line_of(code, start) in lines and code[start:end].strip() and not in_spans(start, comments):
            candidates.append((h, start))
    candidates.sort(reverse=True)
    return _dedupe([RiskSite(start, line_of(code, start), "uncertainty", None, f"entropy {h:.2f} nats")
                    for h, start in candidates[:top_k]])


def _dedupe(sites: list[RiskSite]) -> list[RiskSite]:
    seen, out = set(), []
    for s in sorted(sites, key=lambda s: s.char_offset):
        if s.char_offset not in seen:
            seen.add(s.char_offset)
            out.append(s)
    return out


# --------------------------------------------------------------------------------------------- paper's Step 0

ANNOTATION_PROMPT = """You are a software security expert. Below is a {language} function that is known to be secure.
Identify the lines where a developer could easily have introduced a vulnerability (CWE risk nodes): places where an
insecure choice is possible. For each, answer in exactly this format:
[[n]]
[Code_Line] <the line, copied verbatim>
[CWE_ID] CWE-<number>
[Description] <the weakness, and what an insecure version of this line would look like>

```{language}
{code}
```"""


def llm_risk_annotations(code: str, language: str, *, base_url: str | None = None, api_key: str | None = None,
                         model: str | None = None, timeout_s: float = 60.0) -> list[RiskAnnotation]:
    """Ask an OpenAI-compatible chat endpoint for risk lines, as the paper does with GPT-4o.

    Configured by arguments or ``TSP_LLM_BASE_URL`` / ``TSP_LLM_API_KEY`` / ``TSP_LLM_MODEL``; never required.
    """
    base_url = (base_url or os.environ.get("TSP_LLM_BASE_URL") or "https://api.openai.com/v1").rstrip("/")
    api_key = api_key or os.environ.get("TSP_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY")
    model = model or os.environ.get("TSP_LLM_MODEL", "gpt-4o")
    if not api_key:
        raise RuntimeError("the LLM annotator needs an API key: set TSP_LLM_API_KEY (or OPENAI_API_KEY)")
    body = json.dumps({"model": model, "temperature": 0,
                       "messages": [{"role": "user", "content": ANNOTATION_PROMPT.format(language=language, code=code)}]})
    request = urllib.request.Request(f"{base_url}/chat/completions", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {api_key}"})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 -- user-configured endpoint
        reply = json.loads(response.read())
    return parse_risk_annotations(reply["choices"][0]["message"]["content"])


def locate_line(code: str, code_line: str) -> int | None:
    """1-based line of ``code`` that best matches an annotated line (exact after stripping, else fuzzy >= 0.8)."""
    target = code_line.strip()
    if not target:
        return None
    lines = code.splitlines()
    for i, line in enumerate(lines, 1):
        if line.strip() == target:
            return i
    best, best_ratio = None, 0.8
    for i, line in enumerate(lines, 1):
        ratio = difflib.SequenceMatcher(None, line.strip(), target, autojunk=False).ratio()
        if ratio > best_ratio:
            best, best_ratio = i, ratio
    return best


def annotation_sites(code: str, annotations: Iterable[RiskAnnotation]) -> list[RiskSite]:
    starts = line_starts(code)
    sites = []
    for a in annotations:
        line = locate_line(code, a.code_line)
        if line is not None:
            sites.append(RiskSite(_first_code_char(code, starts[line - 1]), line, "llm", a.cwe, a.description[:80]))
    return _dedupe(sites)


def map_before_line_to_after(before: str, after: str, line: int) -> int:
    """Where a line of the vulnerable version sits in the fixed one (changed blocks map to their first line)."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i1 <= line - 1 < max(i2, i1 + 1):
            return (j1 + (line - 1 - i1) + 1) if tag == "equal" else j1 + 1
    return len(after.splitlines())


# --------------------------------------------------------------------------------------------- recovery report


@dataclass
class RecoveryRow:
    method: str
    functions: int
    annotated_lines: int  # the paper's GPT-4o risk lines we could locate in the fixed functions
    recovered: int  # of those, how many fall on a line our method marks
    predicted_lines_per_function: float

    @property
    def recall(self) -> float:
        return self.recovered / self.annotated_lines if self.annotated_lines else 0.0


def recovery_report(annotated: Sequence[Any], predicted: dict[str, Sequence[set[int]]]) -> list[RecoveryRow]:
    """How many of the paper's annotated risk lines each method recovers.

    ``annotated`` are :class:`~tsp_utils.data.AnnotatedPair`; ``predicted[method][i]`` is the set of lines of
    pair i's fixed function that the method marks.
    """
    targets = [{line for a in ap.risk_nodes if (line := locate_line(ap.pair.func_src_after, a.code_line))}
               for ap in annotated]
    total = sum(len(t) for t in targets)
    rows = []
    for method, sets in predicted.items():
        hit = sum(len(t & p) for t, p in zip(targets, sets))
        rows.append(RecoveryRow(method, len(annotated), total, hit, sum(len(p) for p in sets) / max(1, len(sets))))
    return rows


def site_lines(sites: Iterable[RiskSite]) -> set[int]:
    """Lines a set of sites marks: each site's line through the end of the hunk it replaces."""
    lines: set[int] = set()
    for s in sites:
        lines.update(range(s.line, (s.end_line or s.line) + 1))
    return lines


def recovery_markdown(rows: Sequence[RecoveryRow]) -> str:
    out = ["| method | functions | paper risk lines located | recovered | recall | our lines per function |",
           "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r.method} | {r.functions} | {r.annotated_lines} | {r.recovered} | {r.recall:.0%} | "
                   f"{r.predicted_lines_per_function:.1f} |")
    return "\n".join(out) + "\n"
