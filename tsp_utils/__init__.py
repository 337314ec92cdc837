"""TSP: Tree-like Self-Play for secure code LLMs, reproduced for notebooks."""

__version__ = "0.1.0"

import logging as _logging

# Before anything imports bitsandbytes: on a CPU with AVX512-BF16 it logs at import that an optional kernel from the
# hub could not be loaded (its own kernel is used instead), a line in every notebook, 4-bit or not.
_logging.getLogger("bitsandbytes.backends.cpu.ops").setLevel(_logging.ERROR)
