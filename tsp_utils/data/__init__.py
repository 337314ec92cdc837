"""Tasks: vulnerable->fixed training pairs and completion-style evaluation prompts.

Training pairs use the SafeCoder/SVEN JSON Lines schema, so the paper's own data (SafeCoder's pairs and the TSP
authors' GPT-4o risk-node annotations of them) drops in beside ours. ``records`` holds the types, ``rows`` the
validation, ``loaders`` our bundled files, ``paper`` the paper's data, ``cli`` ``python -m tsp_utils.data``.
"""

from .cli import add_changes, check_bundled, main
from .loaders import (DATA_DIR, build_manifest, load_eval_prompts, load_manifest, load_train_pairs,
                      load_utility_tasks)
from .paper import (ANNOTATED_URL, SAFECODER_URL, SECURITYEVAL_URL, SHARED_DATA, load_annotated, load_safecoder,
                    load_securityeval, paper_data, parse_risk_annotations)
from .records import (CWE_PATTERN, AnnotatedPair, CharChange, DataError, EvalPrompt, GarbledFile, LineChange,
                      RiskAnnotation, TrainPair)
from .rows import PAIR_FIELDS, compute_changes, pair_from_row, prompt_from_row

__all__ = ["ANNOTATED_URL", "CWE_PATTERN", "DATA_DIR", "PAIR_FIELDS", "SAFECODER_URL", "SECURITYEVAL_URL",
           "SHARED_DATA", "AnnotatedPair", "CharChange", "DataError", "EvalPrompt", "GarbledFile", "LineChange",
           "RiskAnnotation", "TrainPair", "add_changes", "build_manifest", "check_bundled", "compute_changes",
           "load_annotated", "load_eval_prompts", "load_manifest", "load_safecoder", "load_securityeval",
           "load_train_pairs", "load_utility_tasks", "main", "pair_from_row", "paper_data",
           "parse_risk_annotations", "prompt_from_row"]
