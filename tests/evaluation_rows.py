"""Hand-made rows for the evaluation tests: a scored sample in one line (two spellings), and a small Python
prompt."""

from tsp_utils.data import EvalPrompt
from tsp_utils.evaluation.records import ScoredSample


def row(pid, label, syntax="ok", functional=None, security=None, *, idx=0, split="seen", cwe="cwe-078",
        language="python", oracle_label=None):
    return ScoredSample(prompt_id=pid, sample_index=idx, language=language, cwe=cwe, split=split, label=label,
                        oracle_label=oracle_label or label, syntax=syntax, functional=functional, security=security)


PROMPT = EvalPrompt(id="t-1", language="python", cwe="cwe-078", entry_point="f",
                    prompt='import os\n\n\ndef f(x):\n    """Return x."""\n')


def scored_row(pid, label, lang="python", cwe="cwe-078", split="seen", functional="pass", syntax="ok"):
    return ScoredSample(pid, 0, lang, cwe, split, label, label, syntax, functional, None)
