#!/usr/bin/env bash
# The GPU checks of benchmarks/README.md in one go, for a GPU machine with torch but no network:
#   bash benchmarks/gpu_checks.sh WHEEL_DIR TOKENIZER_DIR [LOG_DIR]
# WHEEL_DIR holds the wheels of constraints.txt's transformers, peft, bitsandbytes and trl (plus datasets, dill and
# multiprocess for trl), installed into /tmp/site when given; TOKENIZER_DIR is any Llama-family tokenizer (e.g. a
# copy of the offline SmolLM2's tokenizer files). Writes a 13.5 GB random-weight checkpoint to /tmp/random-codellama-7b
# once. Each check runs under its own time limit, so one failure leaves the others' logs.
set -uo pipefail
cd "$(dirname "$0")/.."
WHEELS=${1:?wheel dir}; TOK=${2:?tokenizer dir}; LOGS=${3:-/tmp/gpu_checks}
mkdir -p "$LOGS"
if ls "$WHEELS"/*.whl >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site "$WHEELS"/*.whl || exit 1
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}$PWD:$PWD/benchmarks HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$LOGS/gpu.txt"
python3 -c "import torch, transformers, peft, bitsandbytes as b; print('torch', torch.__version__, '| transformers', transformers.__version__, '| peft', peft.__version__, '| bitsandbytes', b.__version__)" | tee -a "$LOGS/gpu.txt"
python3 benchmarks/random_codellama.py /tmp/random-codellama-7b --tokenizer "$TOK" 2>&1 | tee "$LOGS/build.log"

# 1. Memory of the colab-t4 DPO step (packed pairs) and of sampling after training, as trained vs sampling_mode.
timeout 200 python3 benchmarks/bench_qlora_memory.py --checkpoint /tmp/random-codellama-7b 2>&1 | grep -v Warning | tee "$LOGS/qlora_memory.log"

# 2. The TRL path (scripts/train_dpo_accelerate.py) on the same model and the same kind of pairs, one process.
python3 - <<'EOF' 2>&1 | tee "$LOGS/trl.log"
import bench_qlora_memory as b
from tsp_utils.pairs import save_pairs
save_pairs("/tmp/bench_pairs.jsonl", b.random_pairs(8, 1024, 32016))
EOF
timeout 150 python3 -m accelerate.commands.launch --num_processes 1 --mixed_precision no \
  scripts/train_dpo_accelerate.py --model /tmp/random-codellama-7b --pairs /tmp/bench_pairs.jsonl \
  --out /tmp/trl_out --max-seq-len 1024 --batch-size 1 --grad-accum 4 --max-steps 2 --log-every 1 2>&1 \
  | grep -v Warning | tee -a "$LOGS/trl.log"
python3 -c "import json; m = json.load(open('/tmp/trl_out/manifest.json')); print('TRL manifest:', {k: m[k] for k in ('precision', 'optimizer_steps', 'train_runtime_s', 'peak_gpu_mib')}, m['hyper_parameters']['optim'])" 2>&1 | tee -a "$LOGS/trl.log"

# 3. Tree expansion: cache-shared batched sampling vs the naive loop.
timeout 150 python3 benchmarks/bench_tree.py --random-7b /tmp/random-codellama-7b 2>&1 | grep -v Warning | tee "$LOGS/tree.log"
