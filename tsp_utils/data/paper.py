"""The paper's data, never bundled: SafeCoder's training pairs, the TSP authors' GPT-4o risk annotations of them,
and SecurityEval. Read from ``../shared/data`` when it is there, else downloaded on request.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import urllib.request
from pathlib import Path

from ..artifacts import atomic_write_text
from ..config import cache_root, repo_root
from ..languages import normalize_language
from .loaders import read_rows
from .records import AnnotatedPair, DataError, EvalPrompt, GarbledFile, RiskAnnotation, TrainPair
from .rows import pair_from_row

SHARED_DATA = repo_root().parent / "shared" / "data"

SAFECODER_URL = "https://raw.githubusercontent.com/eth-sri/SafeCoder/main/data_train_val/train/sec-new-desc.jsonl"
ANNOTATED_URL = ("https://raw.githubusercontent.com/Easonnoway/TSP/main/data/annotated_datasets/"
                 "sec-new-desc_annotated.json")
SECURITYEVAL_URL = "https://raw.githubusercontent.com/s2e-lab/SecurityEval/main/dataset.jsonl"


def _cache_dir() -> Path:
    return cache_root() / "data"


def _download(url: str, name: str) -> Path:
    target = _cache_dir() / name
    if not target.exists():
        print(f"downloading {url} -> {target}")
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 -- fixed https URLs above
            atomic_write_text(target, response.read().decode("utf-8"))
    return target


def _is_download(path: Path) -> bool:
    return path.parent == _cache_dir()


@contextlib.contextmanager
def _drop_if_garbled(path: Path, passed: bool):
    """A file we downloaded that is not JSON at all (a download cut short, a proxy's error page) is deleted, so that
    the next call downloads it again instead of failing on the cached copy until someone deletes it by hand. A file
    the caller ``passed`` is theirs, and a file that is JSON but breaks the schema would only come back the same."""
    try:
        yield
    except (GarbledFile, UnicodeDecodeError) as exc:
        if passed or not _is_download(path):
            raise
        path.unlink(missing_ok=True)
        raise DataError(f"{exc} (the downloaded copy {path} was deleted: the next call downloads it again)") from exc


def _locate(path, shared_rel: str, url: str, name: str, download: bool) -> Path:
    if path:
        return Path(path)
    shared = SHARED_DATA / shared_rel
    if shared.exists():
        return shared
    if download:
        return _download(url, name)
    raise FileNotFoundError(f"{name} is not at {shared}; pass a path, or download=True to fetch it from {url}")


def paper_data(loader, download: bool = False):
    """``loader(download=download)`` (:func:`load_safecoder`, :func:`load_annotated`), or None, with the reason
    printed, when the paper's data is neither in ``../shared/data`` nor downloadable (no network, a download cut
    short): the notebooks' sections on it are then skipped rather than failing the run. A malformed file in
    ``../shared/data`` still raises: that is a problem to fix, not data that is missing."""
    unavailable = (OSError, http.client.HTTPException) + ((ValueError,) if download else ())
    try:
        return loader(download=download)
    except unavailable as exc:  # not found, no network, a download cut short or garbled (DataError names the file)
        print(f"skipped, the paper's data is not available: {type(exc).__name__}: {exc}")
        return None


def load_safecoder(path: str | os.PathLike | None = None, download: bool = False) -> list[TrainPair]:
    """SafeCoder's ``sec-new-desc.jsonl`` (the paper's 421 training pairs). Language comes from the file name.

    A few rows lack line/char changes or record them against slightly different text (10 of 421 in the copy we
    test with); those are recomputed and marked ``extra["changes_recomputed"]``."""
    passed = path is not None
    path = _locate(path, "safecoder/train-sec-new-desc.jsonl", SAFECODER_URL, "safecoder-train-sec-new-desc.jsonl", download)
    pairs = []
    with _drop_if_garbled(path, passed):
        for where, row in read_rows(path):
            ext = str(row.get("file_name", "")).rsplit(".", 1)[-1].lower() if isinstance(row, dict) else ""
            pairs.append(pair_from_row(row, where, language=normalize_language(ext), repair=True))
    return pairs


_ANNOTATION = re.compile(r"\[Code_Line\](?P<line>.*?)\[CWE_ID\](?P<cwe>.*?)\[Description\](?P<desc>.*?)(?=\[\[\d+\]\]|\[Code_Line\]|```|$)", re.S)


def parse_risk_annotations(text: str) -> list[RiskAnnotation]:
    """Parse the authors' GPT-4o output: ``[Code_Line] ... [CWE_ID] ... [Description] ...`` triples."""
    nodes = []
    for m in _ANNOTATION.finditer(text or ""):
        cwe = m.group("cwe").strip().lower().replace("_", "-")
        digits = re.search(r"\d+", cwe)
        cwe = f"cwe-{int(digits.group()):03d}" if digits else cwe
        nodes.append(RiskAnnotation(m.group("line").strip(), cwe, " ".join(m.group("desc").split())))
    return nodes


def load_annotated(path: str | os.PathLike | None = None, download: bool = False) -> list[AnnotatedPair]:
    """The TSP authors' risk-node annotations of SafeCoder's pairs (a JSON list; GPT-4o text in ``output``)."""
    passed = path is not None
    path = _locate(path, "tsp_annotated/sec-new-desc_annotated.json", ANNOTATED_URL, "tsp-sec-new-desc_annotated.json", download)
    out = []
    with _drop_if_garbled(path, passed):
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise GarbledFile(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if not isinstance(rows, list):
            raise GarbledFile(f"{path}: expected a JSON list of rows")
        for k, row in enumerate(rows):
            where = f"{path}:[{k}]"
            ext = str(row.get("file_name", "")).rsplit(".", 1)[-1].lower() if isinstance(row, dict) else ""
            pair = pair_from_row(row, where, language=normalize_language(ext), repair=True)
            out.append(AnnotatedPair(pair, parse_risk_annotations(row.get("output", ""))))
    return out


# --------------------------------------------------------------------------------------------- eval prompts


def load_securityeval(path: str | os.PathLike | None = None, download: bool = True) -> list[EvalPrompt]:
    """SecurityEval's 121 Python prompts, downloaded at run time (it has no licence: never commit it)."""
    if path is None:
        if not download:
            raise FileNotFoundError("SecurityEval is never bundled; pass download=True (needs internet) or a path")
        path = _download(SECURITYEVAL_URL, "securityeval-dataset.jsonl")
    prompts = []
    for where, row in read_rows(Path(path)):
        try:
            ident, prompt = row["ID"], row["Prompt"]
        except (KeyError, TypeError):
            raise DataError(f"{where}: SecurityEval rows need 'ID' and 'Prompt'") from None
        digits = re.search(r"CWE-0*(\d+)", ident)
        cwe = f"cwe-{int(digits.group(1)):03d}" if digits else "none"
        entry = re.findall(r"def\s+(\w+)\s*\(", prompt)
        prompts.append(EvalPrompt(id=f"securityeval-{ident}", language="python", cwe=cwe, prompt=prompt,
                                  entry_point=entry[-1] if entry else "", origin=where))
    return prompts
