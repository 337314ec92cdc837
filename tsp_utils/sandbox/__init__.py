"""Run untrusted (model-generated) Python in a contained child process: generated code runs only through here.

``run_python`` runs one program (and optionally its test) under time, CPU, memory, file-size and process limits,
in namespaces of its own where the host allows them; ``run_many`` runs many, a few at a time. ``SandboxResult.limits``
records what actually took effect. The threat model (what is enforced where, root vs unprivileged, what is out of
scope): docs/sandbox.md. The package imports only the standard library (tests copy it alone).
"""

from .run import MAX_OUTPUT_CHARS, SandboxJob, SandboxResult, run_many, run_python

__all__ = ["MAX_OUTPUT_CHARS", "SandboxJob", "SandboxResult", "run_many", "run_python"]
