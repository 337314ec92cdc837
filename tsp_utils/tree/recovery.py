"""How many of the paper's GPT-4o risk lines our risk-node methods recover (notebook 01's comparison).

See docs/trees.md ("Our risk nodes vs the paper's").
"""

from __future__ import annotations

import random
from typing import Any

from .. import risk
from ..oracle import Snippet, analyze_batch
from ..progress import tqdm
from .grow import TreeBuilder
from .tasks import extract_code, golden_response


def recovery_rows(annotated: list[Any], model=None, tokenizer=None, cache_dir=None, progress: bool = True,
                  limit: int | None = None, seed: int = 0):
    """Recovery of the paper's GPT-4o risk lines by our methods (diff, oracle, uncertainty, and their union).

    ``limit`` scores a seeded random sample of that many functions (the entropy pass costs a forward pass per
    function: minutes for all 420 on a CPU)."""
    if limit is not None and limit < len(annotated):
        annotated = random.Random(seed).sample(list(annotated), limit)
    pairs = [a.pair for a in annotated]
    diff = [risk.diff_risk_sites(p.func_src_before, p.func_src_after) for p in pairs]
    verdicts = analyze_batch([Snippet(p.func_src_before, p.language, p.file_context) for p in pairs],
                             cache_dir=cache_dir, progress=progress)
    oracle_lines = [{risk.map_before_line_to_after(p.func_src_before, p.func_src_after, f.line) for f in v.findings if f.line}
                    for p, v in zip(pairs, verdicts)]
    predicted = {"diff": [risk.site_lines(s) for s in diff], "oracle (on the vulnerable version)": oracle_lines}
    if model is not None:
        builder = TreeBuilder(model, tokenizer, labeler=lambda trees: None)
        unc = []
        for p, sites in tqdm(list(zip(pairs, diff)), desc="entropy", disable=not progress):
            from ..models import encode_prompt, format_prompt  # torch, and only when a model is given

            prompt_ids = encode_prompt(tokenizer, format_prompt(tokenizer, p.description))
            response = golden_response(p.language, p.func_src_after)
            code, header = extract_code(response)
            enc = tokenizer(response, add_special_tokens=False, return_offsets_mapping=True)
            _, entropies = builder._golden_scores(prompt_ids, enc["input_ids"])
            offsets = [(max(0, s - header), max(0, e - header)) for s, e in enc["offset_mapping"]]
            lines = risk.site_lines(sites)
            unc.append({s.line for s in risk.uncertainty_risk_sites(offsets, entropies, code, lines, top_k=max(1, len(sites)),
                                                                     language=p.language)})
        predicted["uncertainty (in diff hunks)"] = unc
    predicted["union"] = [set().union(*(v[i] for v in predicted.values())) for i in range(len(pairs))]
    return risk.recovery_report(annotated, predicted)
