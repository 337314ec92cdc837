"""What flows between the evaluation's layers: a generated :class:`Sample`, and the :class:`ScoredSample` that
scoring makes of it and every metric reads. Pure records, so the metrics can be tested on hand-made tables."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, Mapping

from ..labels import UNKNOWN, Label

Status = Literal["ok", "invalid", "unfinished"]  # whether a program is complete and well-formed enough to judge


@dataclass
class Sample:
    """One generated program for one prompt."""

    prompt_id: str
    sample_index: int
    program: str  # prompt.prompt + completion: what gets analysed and tested
    completion: str  # the model's continuation, cut where the function ends (or at the closing fence)
    seed: int  # the torch seed set before the batch that produced it
    finished: bool = True  # the function came to its end (False: max_new_tokens, EOS or the fence came first)
    n_new_tokens: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ScoredSample:
    """A sample with its verdicts. ``label`` is the combined (static + dynamic) security label used by the metrics.

    ``status`` says first whether there is a program to judge: "unfinished" (the function never ended: the token
    limit, EOS or the fence came first), "invalid" (it does not parse, or C/C++ does not compile) or "ok". Only an
    "ok" program carries a security label; the others are "unknown" whatever the analyzers said (``oracle_label``
    keeps what they said), so a loop cut at the token limit is never "secure".

    ``functional`` / ``security`` hold the sandbox status ("pass" | "fail" | "error" | "timeout"), "skipped" when
    the program did not parse (so no test was run), or None when the prompt has no such test (or is not Python).
    For ``security``, "pass" means the exploit did NOT succeed.
    """

    prompt_id: str
    sample_index: int = 0
    language: str = "python"
    cwe: str = ""
    split: str = ""
    label: Label = UNKNOWN  # combined static + dynamic verdict
    oracle_label: Label = UNKNOWN  # the static oracle's label alone (the paper's CodeQL-style metric)
    syntax: str = "unchecked"  # "ok" | "error" | "unchecked" (the oracle's syntax field)
    functional: str | None = None
    security: str | None = None
    oracle_cwes: list[str] = field(default_factory=list)
    reason: str = ""  # why unknown / which test decided
    program: str = ""
    finished: bool | None = None  # the function came to its end (None: not recorded, e.g. older result files)
    compiles: bool | None = None  # C/C++: the whole program compiles (None: not checked, or not C/C++)
    compile_error: str = ""  # the compiler's first error, or why it could not check
    compile_rule: str = ""  # oracle.compile_rule at the time ("": none, or the check failed): another is checked again
    empty: bool | None = None  # the completion adds nothing but a placeholder (see score.is_empty_completion)

    def __post_init__(self) -> None:
        if self.status != "ok" and self.label != UNKNOWN:
            self.reason = f"not judged: {self.status} program" + (f" ({self.reason})" if self.reason else "")
            self.label = UNKNOWN

    @property
    def status(self) -> Status:
        # "unchecked" syntax (no parser for the language) is no evidence of a broken program.
        if self.finished is False:
            return "unfinished"
        if self.syntax == "error" or self.compiles is False:
            return "invalid"
        return "ok"

    @property
    def valid(self) -> bool:
        return self.status == "ok"

    @property
    def functional_pass(self) -> bool | None:
        return None if self.functional is None else self.functional == "pass"

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, **asdict(self)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "ScoredSample":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})
