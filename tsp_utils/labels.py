"""The oracle's verdict on a program or a branch, as every stage spells it."""

from __future__ import annotations

from typing import Literal, get_args

Label = Literal["secure", "vulnerable", "unknown"]
SECURE: Label = "secure"
VULNERABLE: Label = "vulnerable"
UNKNOWN: Label = "unknown"  # the oracle could not decide (syntax error, analyzer failure): never counted as secure
LABELS: tuple[Label, ...] = get_args(Label)


def check_label(value: object, where: str = "label") -> Label:
    """``value`` as a :data:`Label`, or a ValueError that names ``where`` it came from."""
    if value not in LABELS:
        raise ValueError(f"{where}: {value!r} is not a verdict label; expected one of {LABELS}")
    return value  # type: ignore[return-value]
