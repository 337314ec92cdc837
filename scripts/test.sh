#!/usr/bin/env bash
# Set up, then run the test suite: unit tests plus a papermill smoke run of every notebook. Nothing touches the
# network: the hub is forced offline and the models come from local files.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 SEMGREP_ENABLE_VERSION_CHECK=0
set +e
.venv/bin/python -m pytest -ra "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure for this project" >&2
  exit 1
fi
exit "$status"
