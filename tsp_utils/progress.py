"""Progress bars: tqdm's notebook widget in Jupyter, one plain line per loop where nobody watches a widget.

A notebook executed headless (papermill, ``python -m tsp_utils.run``) saves a widget as it was first drawn (0%),
and a text bar as every redraw it printed. The runner sets ``TSP_PLAIN_PROGRESS=1`` for its kernels: their bars
draw nothing while they run and print one line when they close, so a saved notebook shows where each loop ended
and how long it took, once.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any

from tqdm.auto import tqdm as _auto_bar
from tqdm.std import tqdm as _plain_bar


class OneLineBar(_plain_bar):
    """A tqdm that draws into nothing and writes its final state as one line to stderr when it closes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["file"] = io.StringIO()
        kwargs.setdefault("mininterval", 3600.0)  # no redraws worth the time: nobody sees them
        self._reported = False
        super().__init__(*args, **kwargs)

    def close(self) -> None:
        if not self.disable and not self._reported:
            self._reported = True
            sys.stderr.write(self.format_meter(**{**self.format_dict, "ncols": 100, "ascii": False}).rstrip() + "\n")
            sys.stderr.flush()
        super().close()


def tqdm(*args: Any, **kwargs: Any):
    """``tqdm.auto.tqdm``, or :class:`OneLineBar` when ``TSP_PLAIN_PROGRESS`` is set."""
    if os.environ.get("TSP_PLAIN_PROGRESS"):
        return OneLineBar(*args, **kwargs)
    return _auto_bar(*args, **kwargs)
