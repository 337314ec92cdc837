"""TSP: Tree-like Self-Play for secure code LLMs, reproduced for notebooks."""

__version__ = "0.1.0"
