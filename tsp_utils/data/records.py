"""The records of our data: training pairs (SafeCoder's schema), evaluation prompts, the paper's risk annotations."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

CWE_PATTERN = re.compile(r"^cwe-\d{3,}$")


class DataError(ValueError):
    """A row that does not follow the schema; the message starts with ``file:line:``."""


class GarbledFile(DataError):
    """A file that is not JSON (or JSON Lines) at all: a download cut short, a proxy's error page."""


# --------------------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class LineChange:
    line_no: int  # 1-based, in the version the line belongs to
    char_start: int
    char_end: int  # exclusive, includes the newline
    line: str


@dataclass(frozen=True)
class CharChange:
    char_start: int
    char_end: int
    chars: str


@dataclass
class TrainPair:
    func_name: str
    language: str
    vul_type: str
    description: str
    func_src_before: str
    func_src_after: str
    deleted_lines: list[LineChange]
    added_lines: list[LineChange]
    deleted_chars: list[CharChange]
    added_chars: list[CharChange]
    file_context: str = ""
    origin: str = ""  # "file:line" the row came from
    extra: dict[str, Any] = field(default_factory=dict)  # commit_link, commit_msg, ... kept as they were

    @property
    def cwe(self) -> str:
        return self.vul_type

    @property
    def usable(self) -> bool:
        """False for third-party rows kept only so the file loads in full (e.g. before == after)."""
        return "unusable" not in self.extra

    def to_row(self) -> dict[str, Any]:
        """The SafeCoder-schema row (what the JSONL file holds)."""
        line = lambda c: {"line_no": c.line_no, "char_start": c.char_start, "char_end": c.char_end, "line": c.line}  # noqa: E731
        char = lambda c: {"char_start": c.char_start, "char_end": c.char_end, "chars": c.chars}  # noqa: E731
        row = {"func_name": self.func_name, "language": self.language, "vul_type": self.vul_type,
               "description": self.description, "func_src_before": self.func_src_before,
               "func_src_after": self.func_src_after,
               "line_changes": {"deleted": [line(c) for c in self.deleted_lines],
                                "added": [line(c) for c in self.added_lines]},
               "char_changes": {"deleted": [char(c) for c in self.deleted_chars],
                                "added": [char(c) for c in self.added_chars]},
               "file_context": self.file_context}
        row.update(self.extra)
        return row


@dataclass
class EvalPrompt:
    id: str
    language: str
    cwe: str  # "cwe-078", or "none" for plain utility tasks
    prompt: str
    entry_point: str
    reference_secure: str = ""
    reference_insecure: str = ""
    functional_test: str = ""
    security_test: str = ""
    notes: str = ""
    split: str = ""  # "seen" | "unseen" (CWE in the training pairs or not) | "utility"
    origin: str = ""

    def to_row(self) -> dict[str, Any]:
        row = asdict(self)
        row.pop("origin")
        return row


@dataclass(frozen=True)
class RiskAnnotation:
    """One of the TSP authors' GPT-4o risk nodes: a line of the fixed function and the CWE it guards against."""

    code_line: str
    cwe: str
    description: str


@dataclass
class AnnotatedPair:
    pair: TrainPair
    risk_nodes: list[RiskAnnotation]
