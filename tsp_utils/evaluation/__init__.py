"""Evaluation of notebook 04: generate completions for the security prompts, score them, compute the paper's metrics.

One module per layer: :mod:`.generate` (prompts to programs), :mod:`.score` (programs to verdicts), :mod:`.metrics`
and :mod:`.stats` (verdicts to numbers and their uncertainty; pure, no torch), :mod:`.tables` (numbers to tables)
and :mod:`.protocol` (which prompts and models a run evaluates). What each metric means: docs/evaluation.md.
"""
