#!/usr/bin/env bash
# The GPU checks of benchmarks/README.md in one go, for a GPU machine with torch/transformers/peft but no network:
#   bash benchmarks/gpu_checks.sh WHEEL_DIR TOKENIZER_DIR [LOG_DIR]
# WHEEL_DIR holds a bitsandbytes wheel (installed into /tmp/site if bitsandbytes is missing); TOKENIZER_DIR is any
# Llama-family tokenizer (e.g. a copy of the offline SmolLM2's tokenizer files). Writes a 13.5 GB random-weight
# checkpoint to /tmp/random-codellama-7b once.
set -uo pipefail
cd "$(dirname "$0")/.."
WHEELS=${1:?wheel dir}; TOK=${2:?tokenizer dir}; LOGS=${3:-/tmp/gpu_checks}
mkdir -p "$LOGS"
python3 -c "import bitsandbytes" 2>/dev/null || {
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site "$WHEELS"/*.whl || exit 1
  export PYTHONPATH=/tmp/site
}
export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}$PWD HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$LOGS/gpu.txt"
python3 -c "import torch, transformers, peft, bitsandbytes as b; print('torch', torch.__version__, '| transformers', transformers.__version__, '| peft', peft.__version__, '| bitsandbytes', b.__version__)" | tee -a "$LOGS/gpu.txt"
python3 benchmarks/random_codellama.py /tmp/random-codellama-7b --tokenizer "$TOK" 2>&1 | tee "$LOGS/build.log"
timeout 240 python3 benchmarks/bench_qlora_memory.py --checkpoint /tmp/random-codellama-7b 2>&1 | grep -v Warning | tee "$LOGS/qlora_memory.log"
timeout 240 python3 benchmarks/bench_tree.py --random-7b /tmp/random-codellama-7b 2>&1 | grep -v Warning | tee "$LOGS/tree.log"
