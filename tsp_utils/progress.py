"""Progress bars: tqdm's notebook widget in Jupyter, plain text where nobody watches a widget.

A notebook executed headless (papermill, ``python -m tsp_utils.run``) saves each widget as it was drawn before any
update reached it, so every bar in the saved notebook reads 0%. The runner sets ``TSP_PLAIN_PROGRESS=1`` for its
kernels: their bars are text, and the saved notebooks show where each loop ended and how long it took.
"""

from __future__ import annotations

import os
from typing import Any

from tqdm.auto import tqdm as _auto_bar
from tqdm.std import tqdm as _plain_bar


def tqdm(*args: Any, **kwargs: Any):
    """``tqdm.auto.tqdm``, or plain ``tqdm`` (updating at most every 5 s, to keep saved notebooks small) when
    ``TSP_PLAIN_PROGRESS`` is set."""
    if os.environ.get("TSP_PLAIN_PROGRESS"):
        kwargs.setdefault("mininterval", 5.0)
        return _plain_bar(*args, **kwargs)
    return _auto_bar(*args, **kwargs)
