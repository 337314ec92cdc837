#!/usr/bin/env bash
# Set up, then run every numbered notebook headless into runs/<name>/ (default profile: cpu; benchmarks/README.md has its measured time).
#   bash scripts/run.sh                       # profile cpu -> runs/cpu/
#   bash scripts/run.sh --profile smoke       # a few minutes, toy sizes
#   bash scripts/run.sh --name try2 --param SEED=1
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export SEMGREP_ENABLE_VERSION_CHECK=0
exec .venv/bin/python -m tsp_utils.run "$@"
